// Debug locations for memory accesses that x86 instruction selection folds into their user.
#pragma once

namespace llvm {
class Module;
}

namespace orca::compile {

// Gives the instructions that a guarded load's value flows into within its block the load's
// debug location, so that a fault in whichever machine instruction absorbs the load names the
// load (see fault_locations.cpp). Runs after optimisation, right before codegen.
void locateFoldableLoads(llvm::Module& mod);

}  // namespace orca::compile
