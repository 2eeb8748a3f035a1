// The module and function emitters: declarations, the prologue (locals, stack check, fuel,
// interruption), the dispatch of each instruction to its family, traps and context loads.
#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include "emitter.h"

namespace orca::compile {

using ir::Opcode;
using ir::ValType;

// The compiler's own failures (an instruction without an emitter, IR that LLVM rejects) are bugs
// in Orca, not properties of the module: ErrorKind::Internal, so that no caller reads them as a
// feature that is missing.
Error internalError(std::string message) {
  return makeError(ErrorKind::Internal, "compiler: " + std::move(message));
}


// ---------------------------------------------------------------------------------------------
// ModuleEmitter

ModuleEmitter::ModuleEmitter(llvm::LLVMContext& c, llvm::Module& md, const ir::Module& w,
                             const CompileOptions& o)
    : ctx(c), mod(md), wasm(w), options(o) {
  voidTy = llvm::Type::getVoidTy(ctx);
  i1Ty = llvm::Type::getInt1Ty(ctx);
  i8Ty = llvm::Type::getInt8Ty(ctx);
  i16Ty = llvm::Type::getInt16Ty(ctx);
  i32Ty = llvm::Type::getInt32Ty(ctx);
  i64Ty = llvm::Type::getInt64Ty(ctx);
  f32Ty = llvm::Type::getFloatTy(ctx);
  f64Ty = llvm::Type::getDoubleTy(ctx);
  ptrTy = llvm::PointerType::get(ctx, 0);
  v128Ty = llvm::FixedVectorType::get(i64Ty, 2);
  i8x16Ty = llvm::FixedVectorType::get(i8Ty, 16);
  i16x8Ty = llvm::FixedVectorType::get(i16Ty, 8);
  i32x4Ty = llvm::FixedVectorType::get(i32Ty, 4);
  i64x2Ty = v128Ty;
  f32x4Ty = llvm::FixedVectorType::get(f32Ty, 4);
  f64x2Ty = llvm::FixedVectorType::get(f64Ty, 2);
  functions_.assign(wasm.funcCount(), nullptr);
  llvm::MDBuilder mdb(ctx);
  llvm::MDNode* root = mdb.createTBAARoot("orca");
  llvm::MDNode* memoryType = mdb.createTBAAScalarTypeNode("linear memory", root);
  llvm::MDNode* runtimeType = mdb.createTBAAScalarTypeNode("runtime", root);
  tbaaMemory = mdb.createTBAAStructTagNode(memoryType, memoryType, 0);
  tbaaRuntime = mdb.createTBAAStructTagNode(runtimeType, runtimeType, 0);
}

llvm::Type* ModuleEmitter::llvmType(ValType t) const {
  switch (t) {
    case ValType::I32: return i32Ty;
    case ValType::I64: return i64Ty;
    case ValType::F32: return f32Ty;
    case ValType::F64: return f64Ty;
    case ValType::V128: return v128Ty;
    case ValType::FuncRef:
    case ValType::ExternRef: return ptrTy;
  }
  return i32Ty;
}

llvm::Constant* ModuleEmitter::zeroValue(ValType t) const {
  return llvm::Constant::getNullValue(llvmType(t));
}

llvm::Type* ModuleEmitter::resultType(const ir::FuncType& type) {
  if (type.results.empty()) return voidTy;
  if (type.results.size() == 1) return llvmType(type.results[0]);
  std::vector<llvm::Type*> fields;
  for (ValType r : type.results) fields.push_back(llvmType(r));
  return llvm::StructType::get(ctx, fields);
}

llvm::FunctionType* ModuleEmitter::functionType(const ir::FuncType& type) {
  std::vector<llvm::Type*> params{ptrTy};
  for (ValType p : type.params) params.push_back(llvmType(p));
  return llvm::FunctionType::get(resultType(type), params, false);
}

std::string ModuleEmitter::funcSymbol(uint32_t funcIndex) {
  return "orca_func_" + std::to_string(funcIndex);
}

void ModuleEmitter::addCommonAttributes(llvm::Function* f) {
  f->addFnAttr("frame-pointer", "all");
  f->addFnAttr("probe-stack", "inline-asm");
  f->setUWTableKind(llvm::UWTableKind::Async);
  f->addFnAttr(llvm::Attribute::NoUnwind);
}

llvm::Function* ModuleEmitter::definedFunction(uint32_t funcIndex) {
  llvm::Function*& f = functions_[funcIndex];
  if (!f) {
    ir::TypeIdx t = wasm.funcTypeIndex(ir::FuncIdx(funcIndex));
    f = llvm::Function::Create(functionType(t), llvm::GlobalValue::ExternalLinkage,
                               funcSymbol(funcIndex), mod);
    addCommonAttributes(f);
  }
  return f;
}

llvm::DISubprogram* ModuleEmitter::subprogram(uint32_t funcIndex, uint32_t bodyStart) {
  if (!debugInfo_) {
    // DWARF 4 line tables with inlining, and a subprogram entry for every function: -gmlt's
    // LineTablesOnly would leave out the entries of functions without inlined code, and the
    // line table alone does not say which function a row belongs to. There are no types or
    // variables to describe.
    mod.addModuleFlag(llvm::Module::Warning, "Debug Info Version", llvm::DEBUG_METADATA_VERSION);
    mod.addModuleFlag(llvm::Module::Warning, "Dwarf Version", 4);
    debugInfo_ = std::make_unique<llvm::DIBuilder>(mod);
    debugFile_ = debugInfo_->createFile("wasm", "");
    debugInfo_->createCompileUnit(llvm::dwarf::DW_LANG_C, debugFile_, "orca", options.optLevel > 0,
                                  "", 0, "", llvm::DICompileUnit::FullDebug, 0, false, false,
                                  llvm::DICompileUnit::DebugNameTableKind::None);
    debugType_ = debugInfo_->createSubroutineType(debugInfo_->getOrCreateTypeArray({}));
  }
  auto flags = llvm::DISubprogram::SPFlagDefinition;
  if (options.optLevel > 0) flags |= llvm::DISubprogram::SPFlagOptimized;
  return debugInfo_->createFunction(debugFile_, funcSymbol(funcIndex), "", debugFile_, bodyStart,
                                    debugType_, bodyStart, llvm::DINode::FlagZero, flags);
}

void ModuleEmitter::finalizeDebugInfo() {
  if (debugInfo_) debugInfo_->finalize();
}

llvm::Function* ModuleEmitter::runtimeFunction(const char* name) {
  if (llvm::Function* f = mod.getFunction(name)) return f;
  std::string_view n = name;
  llvm::FunctionType* ty = nullptr;
  bool noReturn = false;
  auto fn = [&](llvm::Type* ret, std::initializer_list<llvm::Type*> params) {
    ty = llvm::FunctionType::get(ret, std::vector<llvm::Type*>(params), false);
  };
  if (n == "orca_rt_trap") {
    fn(voidTy, {ptrTy, i32Ty});
    noReturn = true;
  } else if (n == "orca_rt_check_failed") {
    fn(voidTy, {ptrTy});
    noReturn = true;
  } else if (n == "orca_rt_memory_grow") {
    fn(i32Ty, {ptrTy, i32Ty, i32Ty});
  } else if (n == "orca_rt_memory_init") {
    fn(voidTy, {ptrTy, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty});
  } else if (n == "orca_rt_data_drop" || n == "orca_rt_elem_drop") {
    fn(voidTy, {ptrTy, i32Ty});
  } else if (n == "orca_rt_memory_copy") {
    fn(voidTy, {ptrTy, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty});
  } else if (n == "orca_rt_memory_fill") {
    fn(voidTy, {ptrTy, i32Ty, i32Ty, i32Ty, i32Ty});
  } else if (n == "orca_rt_table_grow") {
    fn(i32Ty, {ptrTy, i32Ty, ptrTy, i32Ty});
  } else if (n == "orca_rt_table_fill") {
    fn(voidTy, {ptrTy, i32Ty, i32Ty, ptrTy, i32Ty});
  } else if (n == "orca_rt_table_copy" || n == "orca_rt_table_init") {
    fn(voidTy, {ptrTy, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty});
  } else if (n == "orca_rt_host_call") {
    fn(voidTy, {ptrTy, ptrTy});
  } else {
    return nullptr;
  }
  llvm::Function* f = llvm::Function::Create(ty, llvm::GlobalValue::ExternalLinkage, name, mod);
  if (noReturn) {
    f->addFnAttr(llvm::Attribute::NoReturn);
    f->addFnAttr(llvm::Attribute::Cold);
  }
  f->addFnAttr(llvm::Attribute::NoUnwind);
  return f;
}

// ---------------------------------------------------------------------------------------------
// FunctionEmitter: setup and dispatch

FunctionEmitter::FunctionEmitter(ModuleEmitter& me, uint32_t definedIndex)
    : m(me),
      b(me.ctx),
      wasm(me.wasm),
      func(me.wasm.functions[definedIndex]),
      type(me.wasm.types[me.wasm.functions[definedIndex].type.value]) {
  fn = m.definedFunction(wasm.importedFuncs() + definedIndex);
  subprogram_ = m.subprogram(wasm.importedFuncs() + definedIndex, func.bodyStart);
  fn->setSubprogram(subprogram_);
  // Float operations are constrained (strict exceptions, round to nearest even): LLVM's default
  // float semantics ignore signalling NaNs and fold x - 0.0, x * 1.0, x / -1.0 or
  // demote(promote(x)) to x, while wasm requires such a NaN to come out quieted (float_exprs).
  fn->addFnAttr(llvm::Attribute::StrictFP);
  b.setIsFPConstrained(true);
  b.setDefaultConstrainedExcept(llvm::fp::ebStrict);
  b.setDefaultConstrainedRounding(llvm::RoundingMode::NearestTiesToEven);
}

std::vector<llvm::Value*> FunctionEmitter::popN(size_t n) {
  std::vector<llvm::Value*> values(stack_.end() - static_cast<ptrdiff_t>(n), stack_.end());
  stack_.resize(stack_.size() - n);
  return values;
}

llvm::Function* FunctionEmitter::intrinsic(llvm::Intrinsic::ID id,
                                           llvm::ArrayRef<llvm::Type*> types) {
  return llvm::Intrinsic::getDeclaration(&m.mod, id, types);
}

llvm::Value* FunctionEmitter::vmctxField(size_t offset, const char* name) {
  llvm::Value* addr = b.CreateConstInBoundsGEP1_64(m.i8Ty, vmctx, offset);
  llvm::LoadInst* load = b.CreateAlignedLoad(m.ptrTy, addr, llvm::Align(8), name);
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(m.ctx, {}));
  load->setMetadata(llvm::LLVMContext::MD_nonnull, llvm::MDNode::get(m.ctx, {}));
  return load;
}

llvm::Value* FunctionEmitter::storeContext() {
  return vmctxField(offsetof(abi::VMContext, store), "store");
}

static llvm::LoadInst* invariantPtrLoad(FunctionEmitter& e, llvm::Value* array, uint32_t index,
                                        const char* name) {
  llvm::Value* addr = e.b.CreateConstInBoundsGEP1_64(e.m.ptrTy, array, index);
  llvm::LoadInst* load = e.b.CreateAlignedLoad(e.m.ptrTy, addr, llvm::Align(8), name);
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(e.m.ctx, {}));
  return load;
}

llvm::Value* FunctionEmitter::globalCell(uint32_t globalIndex) {
  llvm::Value* globals = vmctxField(offsetof(abi::VMContext, globals), "globals");
  return invariantPtrLoad(*this, globals, globalIndex, "global.cell");
}

llvm::Value* FunctionEmitter::tableHeader(uint32_t tableIndex) {
  llvm::Value* tables = vmctxField(offsetof(abi::VMContext, tables), "tables");
  return invariantPtrLoad(*this, tables, tableIndex, "table");
}

llvm::Value* FunctionEmitter::funcRecord(uint32_t funcIndex) {
  llvm::Value* funcs = vmctxField(offsetof(abi::VMContext, funcs), "funcs");
  return invariantPtrLoad(*this, funcs, funcIndex, "func.record");
}

llvm::Value* FunctionEmitter::memoryHeader(uint32_t memoryIndex) {
  if (memoryIndex == 0) return vmctxField(offsetof(abi::VMContext, memory), "memory");
  llvm::Value* memories = vmctxField(offsetof(abi::VMContext, memories), "memories");
  return invariantPtrLoad(*this, memories, memoryIndex, "memory");
}

// One cold block per trapping site: a block shared by every division of a function would carry
// one location for all of them, and the backtrace would name the wrong instruction. The call is
// `nomerge` so that neither SimplifyCFG nor codegen's tail merging folds identical sites back
// into one (which would give the merged call no line). StackExhausted stands for every check
// the runtime resolves itself (stack, fuel, interruption): orca_rt_check_failed reads the
// store's state.
llvm::BasicBlock* FunctionEmitter::trapBlock(TrapCode code) {
  llvm::IRBuilderBase::InsertPointGuard guard(b);
  llvm::BasicBlock* bb = llvm::BasicBlock::Create(m.ctx, "trap", fn);
  b.SetInsertPoint(bb);
  llvm::CallInst* call =
      code == TrapCode::StackExhausted
          ? b.CreateCall(m.runtimeFunction("orca_rt_check_failed"), {vmctx})
          : b.CreateCall(m.runtimeFunction("orca_rt_trap"), {vmctx, b.getInt32(static_cast<uint32_t>(code))});
  call->addFnAttr(llvm::Attribute::NoMerge);
  b.CreateUnreachable();
  return bb;
}

void FunctionEmitter::locate(uint32_t offset) {
  b.SetCurrentDebugLocation(llvm::DILocation::get(m.ctx, offset, 0, subprogram_));
}

void FunctionEmitter::trapAlways(TrapCode code) { b.CreateBr(trapBlock(code)); }

void FunctionEmitter::trapIf(llvm::Value* cond, TrapCode code) {
  llvm::BasicBlock* trapBB = trapBlock(code);
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(m.ctx, "cont", fn);
  b.CreateCondBr(cond, trapBB, cont, coldWeights_);
  b.SetInsertPoint(cont);
}

llvm::Value* FunctionEmitter::callRecord(llvm::Value* record, ir::TypeIdx t,
                                         std::vector<llvm::Value*> args) {
  llvm::Value* code = b.CreateAlignedLoad(m.ptrTy, record, llvm::Align(8), "code");
  llvm::Value* calleeCtx = b.CreateAlignedLoad(
      m.ptrTy, b.CreateConstInBoundsGEP1_64(m.i8Ty, record, offsetof(abi::FuncRecord, vmctx)),
      llvm::Align(8), "callee.vmctx");
  args.insert(args.begin(), calleeCtx);
  llvm::CallInst* call = b.CreateCall(m.functionType(t), code, args);
  call->setTailCallKind(llvm::CallInst::TCK_NoTail);
  return call;
}

void FunctionEmitter::pushCallResults(llvm::Value* result, const ir::FuncType& calleeType) {
  if (calleeType.results.size() == 1) {
    push(result);
  } else {
    for (unsigned i = 0; i < calleeType.results.size(); ++i) push(b.CreateExtractValue(result, i));
  }
}

void FunctionEmitter::emitPrologue() {
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(m.ctx, "entry", fn);
  b.SetInsertPoint(entry);
  coldWeights_ = llvm::MDBuilder(m.ctx).createBranchWeights(1, 1u << 20);
  vmctx = fn->getArg(0);
  vmctx->setName("vmctx");

  // Locals live in allocas; mem2reg/SROA turn them into SSA values.
  for (ValType p : type.params) localTypes_.push_back(p);
  for (const auto& [count, t] : func.localRuns) localTypes_.insert(localTypes_.end(), count, t);
  for (ValType t : localTypes_) locals_.push_back(b.CreateAlloca(m.llvmType(t)));
  for (size_t i = 0; i < localTypes_.size(); ++i) {
    llvm::Value* init = i < type.params.size() ? static_cast<llvm::Value*>(fn->getArg(i + 1))
                                               : m.zeroValue(localTypes_[i]);
    b.CreateStore(init, locals_[i]);
  }

  if (wasm.memoryCount() > 0) {
    memoryBase_ = vmctxField(offsetof(abi::VMContext, memoryBase), "memory.base");
  }

  // Stack check: deep recursion becomes "call stack exhausted" on whatever thread runs us.
  llvm::Value* store = storeContext();
  llvm::Value* limit = b.CreateAlignedLoad(m.i64Ty, store, llvm::Align(8), "stack.limit");
  llvm::Value* sp = b.CreateCall(intrinsic(llvm::Intrinsic::stacksave, {m.ptrTy}), {}, "sp");
  trapIf(b.CreateICmpULT(b.CreatePtrToInt(sp, m.i64Ty), limit), TrapCode::StackExhausted);
  checkInterrupt();
  chargeFuel();
  countForTierUp();
}

void FunctionEmitter::countForTierUp() {
  const TierCounting* counting = m.counting;
  if (!counting) return;
  uint32_t funcIndex = static_cast<uint32_t>(&func - wasm.functions.data()) + wasm.importedFuncs();
  auto address = [&](uintptr_t p) { return b.CreateIntToPtr(b.getInt64(p), m.ptrTy); };
  llvm::Value* counter = address(reinterpret_cast<uintptr_t>(counting->counters + funcIndex));
  // Unordered atomics: a plain mov each way, which LLVM may not tear or invent, and for which a
  // race has a defined (if lossy) result.
  llvm::LoadInst* count = b.CreateAlignedLoad(m.i32Ty, counter, llvm::Align(4), "tier.count");
  count->setAtomic(llvm::AtomicOrdering::Unordered);
  llvm::Value* next = b.CreateAdd(count, b.getInt32(1));
  b.CreateAlignedStore(next, counter, llvm::Align(4))->setAtomic(llvm::AtomicOrdering::Unordered);
  // Equality, not >=: a counter only ever takes the value read plus one (or the runtime's 0), so
  // some thread writes the threshold and asks; the runtime then starts the count again.
  llvm::BasicBlock* ask = llvm::BasicBlock::Create(m.ctx, "tier.up", fn);
  llvm::BasicBlock* counted = llvm::BasicBlock::Create(m.ctx, "tier.counted", fn);
  b.CreateCondBr(b.CreateICmpEQ(next, b.getInt32(counting->threshold)), ask, counted, coldWeights_);
  b.SetInsertPoint(ask);
  auto* tierUpType = llvm::FunctionType::get(m.voidTy, {m.ptrTy, m.i32Ty}, false);
  b.CreateCall(tierUpType, address(reinterpret_cast<uintptr_t>(counting->tierUp)),
               {address(reinterpret_cast<uintptr_t>(counting->owner)), b.getInt32(funcIndex)});
  b.CreateBr(counted);
  b.SetInsertPoint(counted);
}

void FunctionEmitter::chargeFuel() {
  if (!m.options.fuel) return;
  llvm::Value* fuelAddr =
      b.CreateConstInBoundsGEP1_64(m.i8Ty, storeContext(), offsetof(abi::StoreContext, fuel));
  llvm::Value* fuel = b.CreateAlignedLoad(m.i64Ty, fuelAddr, llvm::Align(8), "fuel");
  llvm::Value* left = b.CreateSub(fuel, b.getInt64(1));
  b.CreateAlignedStore(left, fuelAddr, llvm::Align(8));
  trapIf(b.CreateICmpSLT(left, b.getInt64(0)), TrapCode::StackExhausted);
}

void FunctionEmitter::checkInterrupt() {
  if (!m.options.interruptible) return;
  llvm::Value* flagAddr = b.CreateConstInBoundsGEP1_64(m.i8Ty, storeContext(),
                                                       offsetof(abi::StoreContext, interrupt));
  llvm::LoadInst* flag = b.CreateAlignedLoad(m.i64Ty, flagAddr, llvm::Align(8), "interrupt");
  // Another thread sets the flag while this code runs (abi.h): an atomic load, which LLVM may
  // neither hoist out of the loop nor merge with the previous check's.
  flag->setAtomic(llvm::AtomicOrdering::Monotonic);
  trapIf(b.CreateICmpNE(flag, b.getInt64(0)), TrapCode::StackExhausted);
}

Status FunctionEmitter::emit() {
  // The prologue's checks (stack, interruption, fuel) belong to the function's start.
  locate(func.bodyStart);
  emitPrologue();
  ControlFrame frame;
  frame.kind = FrameKind::Function;
  frame.params = {};
  frame.results = type.results;
  frame.height = 0;
  frame.endBlock = llvm::BasicBlock::Create(m.ctx, "return");
  frame.endPhis = makePhis(frame.endBlock, frame.results);
  frame.endPos = static_cast<uint32_t>(func.body.code.size() - 1);
  controls_.push_back(std::move(frame));

  const auto& code = func.body.code;
  for (pc = 0; pc < code.size(); ++pc) {
    locate(code[pc].offset);
    Status s = emitInstr(code[pc]);
    if (!s) {
      Error e = s.takeError();
      if (!e.offset) e.offset = code[pc].offset;
      return e;
    }
  }
  if (!controls_.empty()) return internalError("control stack not empty at the end of the body");
  // Every access that is neither to a local nor to linear memory reads a runtime structure
  // (TBAA only with explicit bounds checks: see emit_memory.cpp).
  if (volatileMemory()) return {};
  for (llvm::BasicBlock& bb : *fn) {
    for (llvm::Instruction& inst : bb) {
      llvm::Value* ptr = nullptr;
      if (auto* l = llvm::dyn_cast<llvm::LoadInst>(&inst)) ptr = l->getPointerOperand();
      if (auto* s = llvm::dyn_cast<llvm::StoreInst>(&inst)) ptr = s->getPointerOperand();
      if (!ptr || inst.getMetadata(llvm::LLVMContext::MD_tbaa)) continue;
      if (llvm::isa<llvm::AllocaInst>(ptr->stripPointerCasts())) continue;
      inst.setMetadata(llvm::LLVMContext::MD_tbaa, m.tbaaRuntime);
    }
  }
  return {};
}

Status FunctionEmitter::emitInstr(const ir::Instr& instr) {
  const ir::OpInfo& info = ir::opInfo(instr.op);
  if (info.prefix == 0xFD) return emitSimd(instr);
  switch (instr.op) {
    case Opcode::Unreachable:
    case Opcode::Nop:
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
    case Opcode::Else:
    case Opcode::End:
    case Opcode::Br:
    case Opcode::BrIf:
    case Opcode::BrTable:
    case Opcode::Return:
    case Opcode::Call:
    case Opcode::CallIndirect:
      return emitControl(instr);
    case Opcode::Drop:
    case Opcode::Select:
    case Opcode::SelectT:
    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee:
    case Opcode::GlobalGet:
    case Opcode::GlobalSet:
      return emitVariable(instr);
    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::TableInit:
    case Opcode::ElemDrop:
    case Opcode::TableCopy:
    case Opcode::TableGrow:
    case Opcode::TableSize:
    case Opcode::TableFill:
    case Opcode::RefNull:
    case Opcode::RefIsNull:
    case Opcode::RefFunc:
      return emitTable(instr);
    case Opcode::MemorySize:
    case Opcode::MemoryGrow:
    case Opcode::MemoryInit:
    case Opcode::DataDrop:
    case Opcode::MemoryCopy:
    case Opcode::MemoryFill:
      return emitMemory(instr);
    default:
      break;
  }
  if (info.imm == ir::ImmKind::MemArg) return emitMemory(instr);
  if (instr.op >= Opcode::I32WrapI64 && instr.op <= Opcode::F64ReinterpretI64) {
    return emitConversion(instr);
  }
  if (instr.op >= Opcode::I32TruncSatF32S && instr.op <= Opcode::I64TruncSatF64U) {
    return emitConversion(instr);
  }
  return emitNumeric(instr);
}

}  // namespace orca::compile
