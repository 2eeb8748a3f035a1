// Loop versioning for wasm addresses that do not wrap.
//
// A wasm address is zext(i32 index) + offset, and the i32 arithmetic that computes the index
// wraps by definition. So for an index that steps through a loop ({start,+,step} in i32), scalar
// evolution cannot rewrite zext({start,+,step}) as the 64-bit {zext(start),+,step}: the two differ
// once the index wraps. Without the 64-bit form LLVM can neither strength-reduce the address nor
// see consecutive accesses (matmul loses 27 % to it, docs/benchmarks.md).
//
// This pass versions each innermost loop whose addresses are such zext-of-recurrence indices:
// the preheader checks that none of the recurrences wraps over the loop's trip count (the
// predicates scalar evolution states for the rewrite, expanded as code); when they hold, the
// loop runs with 64-bit affine indices, otherwise a copy of the original loop runs. The two
// compute the same addresses whenever the check passes, so every access, trap and side effect is
// where it was: the accesses themselves are untouched (volatile in guard-page mode, checked in
// bounds-checked mode).
#include "affine_addresses.h"

#include <vector>

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

namespace orca::compile {

namespace {

// Versioning copies the loop: bound the code it may add.
constexpr size_t kMaxLoopInstructions = 1000;

struct Rewrite {
  llvm::GetElementPtrInst* address;
  const llvm::SCEVAddRecExpr* index;  // the 64-bit recurrence, valid under the predicates
};

size_t instructionCount(const llvm::Loop& loop) {
  size_t n = 0;
  for (const llvm::BasicBlock* block : loop.blocks()) n += block->size();
  return n;
}

bool versionLoop(llvm::Loop& loop, llvm::LoopInfo& loops, llvm::DominatorTree& dominators,
                 llvm::ScalarEvolution& scev) {
  llvm::BasicBlock* preheader = loop.getLoopPreheader();
  if (!preheader || !loop.getLoopLatch() || !loop.hasDedicatedExits() || !loop.isLCSSAForm(dominators))
    return false;
  // The wrap check needs the trip count (a loop that may leave early, through a trap, has none).
  if (llvm::isa<llvm::SCEVCouldNotCompute>(scev.getBackedgeTakenCount(&loop))) return false;
  if (instructionCount(loop) > kMaxLoopInstructions) return false;

  llvm::PredicatedScalarEvolution predicated(scev, loop);
  std::vector<Rewrite> rewrites;
  for (llvm::BasicBlock* block : loop.blocks()) {
    for (llvm::Instruction& inst : *block) {
      auto* gep = llvm::dyn_cast<llvm::GetElementPtrInst>(&inst);
      if (!gep || gep->getNumIndices() != 1) continue;
      llvm::Value* index = gep->getOperand(1);
      if (!index->getType()->isIntegerTy(64) || !llvm::isa<llvm::Instruction>(index)) continue;
      if (llvm::isa<llvm::SCEVAddRecExpr>(scev.getSCEV(index))) continue;  // already affine
      const llvm::SCEVAddRecExpr* affine = predicated.getAsAddRec(index);
      if (!affine || !affine->isAffine() || affine->getLoop() != &loop) continue;
      // A step that is not a constant makes the wrap check a division by it at each entry and
      // leaves values for it in the enclosing loop: the sieve's inner loop (stride i) ran 10-20 %
      // slower versioned.
      if (!llvm::isa<llvm::SCEVConstant>(affine->getStepRecurrence(scev))) continue;
      rewrites.push_back({gep, affine});
    }
  }
  if (rewrites.empty() || predicated.getPredicate().isAlwaysTrue()) return false;

  // The old preheader becomes the check; the loop gets a new preheader after it.
  llvm::BasicBlock* check = preheader;
  llvm::BasicBlock* fastPreheader =
      llvm::SplitBlock(check, check->getTerminator(), &dominators, &loops, nullptr, "affine.ph");
  const llvm::DataLayout& layout = check->getModule()->getDataLayout();
  llvm::SCEVExpander expander(scev, layout, "affine");
  llvm::Value* wraps = expander.expandCodeForPredicate(&predicated.getPredicate(), check->getTerminator());

  llvm::ValueToValueMapTy map;
  llvm::SmallVector<llvm::BasicBlock*, 8> copied;
  llvm::Loop* original =
      llvm::cloneLoopWithPreheader(fastPreheader, check, &loop, map, ".wraps", &loops, &dominators, copied);
  llvm::remapInstructionsInBlocks(copied, map);
  llvm::Instruction* jump = check->getTerminator();
  llvm::BranchInst::Create(original->getLoopPreheader(), fastPreheader, wraps, jump);
  jump->eraseFromParent();

  // Both loops leave to the same exits: LCSSA phis take the copy's values too.
  llvm::SmallVector<llvm::BasicBlock*, 4> exits;
  loop.getUniqueExitBlocks(exits);
  for (llvm::BasicBlock* exit : exits) {
    for (llvm::PHINode& phi : exit->phis()) {
      unsigned incoming = phi.getNumIncomingValues();
      for (unsigned i = 0; i < incoming; ++i) {
        llvm::BasicBlock* from = phi.getIncomingBlock(i);
        if (!loop.contains(from)) continue;
        llvm::Value* value = phi.getIncomingValue(i);
        llvm::Value* copy = map.lookup(value);
        phi.addIncoming(copy ? copy : value, llvm::cast<llvm::BasicBlock>(map[from]));
      }
    }
    dominators.changeImmediateDominator(exit, check);
  }

  for (const Rewrite& r : rewrites) {
    llvm::Value* index = expander.expandCodeFor(r.index, r.address->getOperand(1)->getType(), r.address);
    r.address->setOperand(1, index);
  }
  scev.forgetLoop(&loop);
  return true;
}

}  // namespace

llvm::PreservedAnalyses AffineAddressesPass::run(llvm::Function& function,
                                                 llvm::FunctionAnalysisManager& analyses) {
  auto& loops = analyses.getResult<llvm::LoopAnalysis>(function);
  auto& dominators = analyses.getResult<llvm::DominatorTreeAnalysis>(function);
  auto& scev = analyses.getResult<llvm::ScalarEvolutionAnalysis>(function);
  std::vector<llvm::Loop*> innermost;
  for (llvm::Loop* loop : loops.getLoopsInPreorder())
    if (loop->isInnermost()) innermost.push_back(loop);
  bool changed = false;
  for (llvm::Loop* loop : innermost) changed |= versionLoop(*loop, loops, dominators, scev);
  return changed ? llvm::PreservedAnalyses::none() : llvm::PreservedAnalyses::all();
}

}  // namespace orca::compile
