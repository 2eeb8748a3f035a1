// Tables and references: table.get/set/size inline through TableHeader with bounds checks, the
// rest through the runtime; ref.null, ref.is_null, ref.func.
#include "emitter.h"

namespace orca::compile {

using ir::Opcode;

// &elements[index] after checking index < size (trap "out of bounds table access").
static llvm::Value* tableSlot(FunctionEmitter& e, uint32_t table, llvm::Value* index32) {
  llvm::Value* header = e.tableHeader(table);
  llvm::Value* index = e.b.CreateZExt(index32, e.m.i64Ty);
  llvm::Value* size = e.b.CreateAlignedLoad(
      e.m.i64Ty, e.b.CreateConstInBoundsGEP1_64(e.m.i8Ty, header, offsetof(abi::TableHeader, size)),
      llvm::Align(8), "table.size");
  e.trapIf(e.b.CreateICmpUGE(index, size), TrapCode::TableOutOfBounds);
  llvm::Value* elements = e.b.CreateAlignedLoad(e.m.ptrTy, header, llvm::Align(8), "elements");
  return e.b.CreateInBoundsGEP(e.m.ptrTy, elements, index);
}

Status FunctionEmitter::emitTable(const ir::Instr& instr) {
  switch (instr.op) {
    case Opcode::TableGet: {
      llvm::Value* slot = tableSlot(*this, instr.a, pop());
      push(b.CreateAlignedLoad(m.ptrTy, slot, llvm::Align(8), "ref"));
      return {};
    }
    case Opcode::TableSet: {
      llvm::Value* value = pop();
      llvm::Value* slot = tableSlot(*this, instr.a, pop());
      b.CreateAlignedStore(value, slot, llvm::Align(8));
      return {};
    }
    case Opcode::TableSize: {
      llvm::Value* header = tableHeader(instr.a);
      llvm::Value* size = b.CreateAlignedLoad(
          m.i64Ty, b.CreateConstInBoundsGEP1_64(m.i8Ty, header, offsetof(abi::TableHeader, size)),
          llvm::Align(8), "table.size");
      push(b.CreateTrunc(size, m.i32Ty));
      return {};
    }
    case Opcode::TableGrow: {
      auto [init, delta] = pop2();
      push(b.CreateCall(m.runtimeFunction("orca_rt_table_grow"),
                        {vmctx, constU32(instr.a), init, delta}));
      return {};
    }
    case Opcode::TableFill: {
      auto [dst, value, n] = pop3();
      b.CreateCall(m.runtimeFunction("orca_rt_table_fill"),
                   {vmctx, constU32(instr.a), dst, value, n});
      return {};
    }
    case Opcode::TableCopy: {
      auto [dst, src, n] = pop3();
      b.CreateCall(m.runtimeFunction("orca_rt_table_copy"),
                   {vmctx, constU32(instr.a), constU32(instr.b), dst, src, n});
      return {};
    }
    case Opcode::TableInit: {
      auto [dst, src, n] = pop3();
      b.CreateCall(m.runtimeFunction("orca_rt_table_init"),
                   {vmctx, constU32(instr.b), constU32(instr.a), dst, src, n});
      return {};
    }
    case Opcode::ElemDrop:
      b.CreateCall(m.runtimeFunction("orca_rt_elem_drop"), {vmctx, constU32(instr.a)});
      return {};
    case Opcode::RefNull:
      push(llvm::ConstantPointerNull::get(m.ptrTy));
      return {};
    case Opcode::RefIsNull:
      push(b.CreateZExt(b.CreateICmpEQ(pop(), llvm::ConstantPointerNull::get(m.ptrTy)), m.i32Ty));
      return {};
    case Opcode::RefFunc:
      push(funcRecord(instr.a));
      return {};
    default: break;
  }
  return internalError(std::string("not a table instruction: ") + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
