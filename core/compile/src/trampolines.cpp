// Entry trampolines (host to wasm over a RawValue array) and host thunks (wasm to host through
// orca_rt_host_call), one of each per signature.
#include "emitter.h"
#include "trampolines.h"

namespace orca::compile {

static llvm::Value* slot(ModuleEmitter& m, llvm::IRBuilder<>& b, llvm::Value* array, size_t i) {
  return b.CreateConstInBoundsGEP1_64(m.i8Ty, array, i * sizeof(abi::RawValue));
}

// void orca_entry_<t>(void* code, VMContext* callee, RawValue* argsAndResults)
void emitEntryTrampoline(ModuleEmitter& m, const ir::FuncType& type, const std::string& name) {
  llvm::FunctionType* ty = llvm::FunctionType::get(m.voidTy, {m.ptrTy, m.ptrTy, m.ptrTy}, false);
  llvm::Function* f = llvm::Function::Create(ty, llvm::GlobalValue::ExternalLinkage, name, m.mod);
  m.addCommonAttributes(f);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(m.ctx, "entry", f));
  llvm::Value* array = f->getArg(2);
  std::vector<llvm::Value*> args{f->getArg(1)};
  for (size_t i = 0; i < type.params.size(); ++i) {
    args.push_back(b.CreateAlignedLoad(m.llvmType(type.params[i]), slot(m, b, array, i), llvm::Align(16)));
  }
  llvm::Value* result = b.CreateCall(m.functionType(type), f->getArg(0), args);
  if (type.results.size() == 1) {
    b.CreateAlignedStore(result, slot(m, b, array, 0), llvm::Align(16));
  } else {
    for (size_t i = 0; i < type.results.size(); ++i) {
      b.CreateAlignedStore(b.CreateExtractValue(result, static_cast<unsigned>(i)),
                           slot(m, b, array, i), llvm::Align(16));
    }
  }
  b.CreateRetVoid();
}

// R orca_thunk_<t>(VMContext* hostContext, P... params)
void emitHostThunk(ModuleEmitter& m, const ir::FuncType& type, const std::string& name) {
  llvm::Function* f = llvm::Function::Create(m.functionType(type), llvm::GlobalValue::ExternalLinkage,
                                             name, m.mod);
  m.addCommonAttributes(f);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(m.ctx, "entry", f));
  size_t slots = std::max<size_t>({type.params.size(), type.results.size(), 1});
  llvm::Type* arrayTy = llvm::ArrayType::get(llvm::FixedVectorType::get(m.i64Ty, 2), slots);
  llvm::AllocaInst* array = b.CreateAlloca(arrayTy);
  array->setAlignment(llvm::Align(16));
  for (size_t i = 0; i < type.params.size(); ++i) {
    b.CreateAlignedStore(f->getArg(static_cast<unsigned>(i + 1)), slot(m, b, array, i), llvm::Align(16));
  }
  b.CreateCall(m.runtimeFunction("orca_rt_host_call"), {f->getArg(0), array});
  if (type.results.empty()) {
    b.CreateRetVoid();
  } else if (type.results.size() == 1) {
    b.CreateRet(b.CreateAlignedLoad(m.llvmType(type.results[0]), slot(m, b, array, 0), llvm::Align(16)));
  } else {
    llvm::Value* agg = llvm::PoisonValue::get(m.resultType(type));
    for (size_t i = 0; i < type.results.size(); ++i) {
      llvm::Value* v = b.CreateAlignedLoad(m.llvmType(type.results[i]), slot(m, b, array, i), llvm::Align(16));
      agg = b.CreateInsertValue(agg, v, static_cast<unsigned>(i));
    }
    b.CreateRet(agg);
  }
}

}  // namespace orca::compile
