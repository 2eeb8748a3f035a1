// A pass that gives loops over linear memory 64-bit affine addresses where the wasm index
// provably does not wrap (affine_addresses.cpp).
#pragma once

#include <llvm/IR/PassManager.h>

namespace orca::compile {

struct AffineAddressesPass : llvm::PassInfoMixin<AffineAddressesPass> {
  llvm::PreservedAnalyses run(llvm::Function& function, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace orca::compile
