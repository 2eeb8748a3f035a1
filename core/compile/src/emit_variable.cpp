// Parametric and variable instructions: drop, select, locals (allocas), globals (VMContext cells).
#include "emitter.h"

namespace orca::compile {

using ir::Opcode;

Status FunctionEmitter::emitVariable(const ir::Instr& instr) {
  switch (instr.op) {
    case Opcode::Drop:
      pop();
      return {};
    case Opcode::Select:
    case Opcode::SelectT: {
      llvm::Value* cond = b.CreateICmpNE(pop(), b.getInt32(0));
      auto [x, y] = pop2();
      push(b.CreateSelect(cond, x, y));
      return {};
    }
    case Opcode::LocalGet:
      push(b.CreateLoad(m.llvmType(localTypes_[instr.a]), locals_[instr.a]));
      return {};
    case Opcode::LocalSet:
      b.CreateStore(pop(), locals_[instr.a]);
      return {};
    case Opcode::LocalTee:
      b.CreateStore(top(), locals_[instr.a]);
      return {};
    case Opcode::GlobalGet: {
      const ir::GlobalType& gt = wasm.globalType(ir::GlobalIdx(instr.a));
      llvm::LoadInst* v =
          b.CreateAlignedLoad(m.llvmType(gt.type), globalCell(instr.a), llvm::Align(16), "global");
      if (gt.mut == ir::Mutability::Const) {
        v->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(m.ctx, {}));
      }
      push(v);
      return {};
    }
    case Opcode::GlobalSet:
      b.CreateAlignedStore(pop(), globalCell(instr.a), llvm::Align(16));
      return {};
    default: break;
  }
  return internalError(std::string("not a variable instruction: ") + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
