// Backtraces name a wasm instruction by the debug location of the machine instruction at the
// faulting pc. In guard-page mode a load out of bounds faults in the load itself, but x86
// instruction selection folds a load into the instruction that uses its value (`f64.load` then
// `f64.ne` becomes one `ucomisd xmm0, [mem]`), volatile or not, and gives the folded instruction
// the user's location; it may also merge that user with its own single user (a compare into the
// branch it decides). The innermost frame would then name the user, a few bytes later.
//
// Blocking the fold costs code (an empty inline asm between load and user made matmul and sieve
// in tests/bench 11-17 % slower). Instead, right before codegen, every instruction that a
// guarded load's value flows into through single uses in the same block takes the load's
// location. Those instructions only compute (the walk stops at loads, stores, calls and phis), so
// they cannot fault or be a return address themselves: their own location is never shown unless
// they absorbed the load. Code is unchanged; only line tables differ.
//
// Where two loads flow into one instruction, only the later one can be folded: guarded loads
// are volatile, selection keeps volatile accesses in order, and folding the earlier load into an
// instruction after the later one would move it past that load. Loads are visited in program
// order, so the later load's location is the one that stays.
#include "fault_locations.h"

#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>
#include <llvm/TargetParser/Triple.h>

namespace orca::compile {

namespace {

// Whether `inst` may absorb a load during selection without being a fault site or a call of its
// own: pure computations, and intrinsics that compute (the constrained float operations).
bool computesOnly(const llvm::Instruction& inst) {
  if (llvm::isa<llvm::PHINode>(inst) || llvm::isa<llvm::AnyMemIntrinsic>(inst)) return false;
  if (llvm::isa<llvm::IntrinsicInst>(inst)) return true;
  return !inst.mayReadOrWriteMemory() && !llvm::isa<llvm::CallBase>(inst);
}

void locateLoad(llvm::LoadInst& load) {
  const llvm::DebugLoc& loc = load.getDebugLoc();
  if (!loc) return;
  llvm::Instruction* value = &load;
  while (value->hasOneUse()) {
    auto* user = llvm::dyn_cast<llvm::Instruction>(*value->user_begin());
    if (!user || user->getParent() != load.getParent() || !computesOnly(*user)) return;
    user->setDebugLoc(loc);
    value = user;
  }
}

}  // namespace

void locateFoldableLoads(llvm::Module& mod) {
  if (!llvm::Triple(mod.getTargetTriple()).isX86()) return;  // only x86 loads inside an operation
  for (llvm::Function& func : mod) {
    for (llvm::BasicBlock& block : func) {
      for (llvm::Instruction& inst : block) {
        auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst);
        if (load && load->isVolatile()) locateLoad(*load);
      }
    }
  }
}

}  // namespace orca::compile
