// Linear memory: loads and stores of every width, memory.size/grow and the bulk operations.
//
// Addresses are memoryBase + zext(i32 index) + u32 offset, computed in 64 bits so that no sum
// wraps: with the 8 GiB reservation (4 GiB + guard) every such address lies in memory or in the
// guard, and an access in the guard faults and becomes a trap in the runtime's signal handler.
//
// The lost-trap pitfall: LLVM may delete a load whose value is unused, or move a store across a
// load that would fault, which loses or reorders a trap in guard-page mode. In that mode every
// access to linear memory is therefore volatile: volatile accesses are never deleted and keep
// their order among themselves. It costs optimisation (no load forwarding, no dead store
// elimination, no vectorisation of memory loops: 4-17x on memory-bound WAT loops, nothing
// measurable on the kernels of docs/benchmarks.md, which lose their time to addresses that may
// wrap instead: affine_addresses.cpp). With explicit bounds checks every trap is a call on a
// branch, which LLVM never moves a memory access across, so accesses there are plain.
//
// With explicit checks, linear memory accesses also carry their own TBAA type, distinct from
// every runtime structure (VMContext, globals, tables, memory size, fuel): the two never overlap,
// and knowing it lets LLVM keep globals and the memory size in registers across memory accesses.
// Not in guard-page mode: there a memory access is itself the trap, and LLVM orders a volatile
// access only against what may alias it, so proving that a global store does not alias memory
// would let LLVM sink it past a faulting load (the global would be stale after the trap).
#include "emitter.h"

namespace orca::compile {

using ir::Opcode;

llvm::Value* FunctionEmitter::memoryAddress(const ir::Instr& instr, llvm::Value* index,
                                            uint32_t accessBytes) {
  llvm::Value* ea = b.CreateZExt(index, m.i64Ty, "addr");
  uint64_t offset = instr.c;
  if (offset != 0) ea = b.CreateAdd(ea, b.getInt64(offset), "addr", /*HasNUW=*/true);
  if (m.options.explicitBoundsChecks) {
    llvm::Value* header = memoryHeader(instr.a);
    llvm::Value* size = b.CreateAlignedLoad(
        m.i64Ty, b.CreateConstInBoundsGEP1_64(m.i8Ty, header, offsetof(abi::MemoryHeader, size)),
        llvm::Align(8), "memory.size");
    llvm::Value* end = b.CreateAdd(ea, b.getInt64(accessBytes), "end", /*HasNUW=*/true);
    trapIf(b.CreateICmpUGT(end, size), TrapCode::MemoryOutOfBounds);
  }
  llvm::Value* base = instr.a == 0 && memoryBase_
                          ? memoryBase_
                          : static_cast<llvm::Value*>(b.CreateAlignedLoad(
                                m.ptrTy, memoryHeader(instr.a), llvm::Align(8), "base"));
  return b.CreateGEP(m.i8Ty, base, ea, "ptr");
}

// The memarg's alignment is a hint that a program may get wrong (an access with align=2 at an odd
// address must still work), while LLVM's `align` is a promise it may exploit (aligned vector
// moves, known low address bits). So every access is emitted with align 1: on x86-64 and AArch64
// scalar and vector loads cost the same either way.
static llvm::Align memargAlign(const ir::Instr&) { return llvm::Align(1); }

llvm::Value* FunctionEmitter::load(llvm::Type* ty, llvm::Value* address, const ir::Instr& instr) {
  llvm::LoadInst* l = b.CreateAlignedLoad(ty, address, memargAlign(instr));
  l->setVolatile(volatileMemory());
  if (!volatileMemory()) l->setMetadata(llvm::LLVMContext::MD_tbaa, m.tbaaMemory);
  return l;
}

void FunctionEmitter::store(llvm::Value* value, llvm::Value* address, const ir::Instr& instr) {
  llvm::StoreInst* s = b.CreateAlignedStore(value, address, memargAlign(instr));
  s->setVolatile(volatileMemory());
  if (!volatileMemory()) s->setMetadata(llvm::LLVMContext::MD_tbaa, m.tbaaMemory);
}

bool FunctionEmitter::volatileMemory() const { return !m.options.explicitBoundsChecks; }

Status FunctionEmitter::emitMemory(const ir::Instr& instr) {
  // Loads: (type loaded, width in bytes, extension to the result type).
  enum class Ext { None, S, U };
  auto emitLoad = [&](llvm::Type* memTy, uint32_t bytes, llvm::Type* resultTy, Ext ext) {
    llvm::Value* ptr = memoryAddress(instr, pop(), bytes);
    llvm::Value* v = load(memTy, ptr, instr);
    if (ext == Ext::S) v = b.CreateSExt(v, resultTy);
    if (ext == Ext::U) v = b.CreateZExt(v, resultTy);
    push(v);
  };
  auto emitStore = [&](llvm::Type* memTy, uint32_t bytes) {
    llvm::Value* value = pop();
    llvm::Value* ptr = memoryAddress(instr, pop(), bytes);
    if (value->getType() != memTy) value = b.CreateTrunc(value, memTy);
    store(value, ptr, instr);
  };
  switch (instr.op) {
    case Opcode::I32Load: emitLoad(m.i32Ty, 4, m.i32Ty, Ext::None); return {};
    case Opcode::I64Load: emitLoad(m.i64Ty, 8, m.i64Ty, Ext::None); return {};
    case Opcode::F32Load: emitLoad(m.f32Ty, 4, m.f32Ty, Ext::None); return {};
    case Opcode::F64Load: emitLoad(m.f64Ty, 8, m.f64Ty, Ext::None); return {};
    case Opcode::I32Load8S: emitLoad(m.i8Ty, 1, m.i32Ty, Ext::S); return {};
    case Opcode::I32Load8U: emitLoad(m.i8Ty, 1, m.i32Ty, Ext::U); return {};
    case Opcode::I32Load16S: emitLoad(m.i16Ty, 2, m.i32Ty, Ext::S); return {};
    case Opcode::I32Load16U: emitLoad(m.i16Ty, 2, m.i32Ty, Ext::U); return {};
    case Opcode::I64Load8S: emitLoad(m.i8Ty, 1, m.i64Ty, Ext::S); return {};
    case Opcode::I64Load8U: emitLoad(m.i8Ty, 1, m.i64Ty, Ext::U); return {};
    case Opcode::I64Load16S: emitLoad(m.i16Ty, 2, m.i64Ty, Ext::S); return {};
    case Opcode::I64Load16U: emitLoad(m.i16Ty, 2, m.i64Ty, Ext::U); return {};
    case Opcode::I64Load32S: emitLoad(m.i32Ty, 4, m.i64Ty, Ext::S); return {};
    case Opcode::I64Load32U: emitLoad(m.i32Ty, 4, m.i64Ty, Ext::U); return {};
    case Opcode::I32Store: emitStore(m.i32Ty, 4); return {};
    case Opcode::I64Store: emitStore(m.i64Ty, 8); return {};
    case Opcode::F32Store: emitStore(m.f32Ty, 4); return {};
    case Opcode::F64Store: emitStore(m.f64Ty, 8); return {};
    case Opcode::I32Store8:
    case Opcode::I64Store8: emitStore(m.i8Ty, 1); return {};
    case Opcode::I32Store16:
    case Opcode::I64Store16: emitStore(m.i16Ty, 2); return {};
    case Opcode::I64Store32: emitStore(m.i32Ty, 4); return {};

    case Opcode::MemorySize: {
      llvm::Value* header = memoryHeader(instr.a);
      llvm::Value* size = b.CreateAlignedLoad(
          m.i64Ty, b.CreateConstInBoundsGEP1_64(m.i8Ty, header, offsetof(abi::MemoryHeader, size)),
          llvm::Align(8), "memory.size");
      push(b.CreateTrunc(b.CreateLShr(size, b.getInt64(16)), m.i32Ty));
      return {};
    }
    case Opcode::MemoryGrow: {
      llvm::Value* delta = pop();
      push(b.CreateCall(m.runtimeFunction("orca_rt_memory_grow"),
                        {vmctx, constU32(instr.a), delta}));
      return {};
    }
    case Opcode::MemoryInit: {
      auto [dst, src, n] = pop3();
      b.CreateCall(m.runtimeFunction("orca_rt_memory_init"),
                   {vmctx, constU32(instr.b), constU32(instr.a), dst, src, n});
      return {};
    }
    case Opcode::DataDrop:
      b.CreateCall(m.runtimeFunction("orca_rt_data_drop"), {vmctx, constU32(instr.a)});
      return {};
    case Opcode::MemoryCopy: {
      auto [dst, src, n] = pop3();
      b.CreateCall(m.runtimeFunction("orca_rt_memory_copy"),
                   {vmctx, constU32(instr.a), constU32(instr.b), dst, src, n});
      return {};
    }
    case Opcode::MemoryFill: {
      auto [dst, value, n] = pop3();
      b.CreateCall(m.runtimeFunction("orca_rt_memory_fill"),
                   {vmctx, constU32(instr.a), dst, value, n});
      return {};
    }
    default: break;
  }
  return internalError(std::string("not a memory instruction: ") + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
