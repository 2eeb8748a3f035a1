// Internal to core/jit: compiling functions on their first call (Jit::loadLazy). Each function is
// a materialization unit of its own in the module's second JITDylib; ORC's lazy reexports put a
// stub for it into the module's first JITDylib, which every call and funcref goes through. A
// tiered module's hot functions are compiled again into a third JITDylib and the stub repointed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>

#include "orca/jit/jit.h"
#include "source_map.h"

namespace orca::jit {

// The address a loaded symbol got, or null.
using SymbolAddress = std::function<void*(const std::string& symbol)>;

// Adds the line-table rows of one loaded object to `map`. JITLink moves each section as a whole,
// so a section's load address is that of any symbol in it minus the symbol's offset.
void addObjectRows(SourceMap& map, const std::vector<uint8_t>& bytes, const SymbolAddress& address);

// Threads that compile and link functions on their first call, so that neither runs on the
// calling guest's stack (whose headroom below the stack limit may be 32 KiB). Long-lived and
// joined when the pool goes: ORC's own thread-per-task dispatcher detaches its threads, which
// then may still be running when the process exits (it corrupted the heap at exit in tests).
class CompileThreads {
 public:
  explicit CompileThreads(unsigned count) : count_(count) {}
  ~CompileThreads() { stop(); }
  // Runs `job` on one of the threads and waits for it.
  void run(const std::function<void()>& job);
  // Queues `job` and returns at once (tiering up in the background). Dropped after stop().
  void post(std::function<void()> job);
  // Drops the posted jobs not started yet, waits for the running ones and joins the threads.
  void stop();

 private:
  struct Job {
    const std::function<void()>* job;
    bool done = false;
    std::function<void()> owned;  // a posted job's, which the thread that runs it deletes
  };
  void enqueue(Job* job);
  void work();
  unsigned count_;
  std::mutex mutex_;
  std::condition_variable wake_;  // a job was queued, or the pool is going
  std::condition_variable done_;  // a job finished
  std::deque<Job*> queue_;
  std::vector<std::thread> threads_;  // started when a job finds no idle one
  unsigned idle_ = 0;
  bool stopping_ = false;
};

// What one Jit compiled for lazily loaded modules (Jit::tierStats): functions compiled at the
// baseline tier, and functions whose optimised code was linked and their stub pointed at it.
struct TierCounters {
  std::atomic<uint64_t> baseline{0};
  std::atomic<uint64_t> optimized{0};
};

// The functions of one lazily loaded module: compiles them, counts calls for tiering up, and
// keeps what backtraces need.
class LazyFunctions {
 public:
  // `funcCount`: module-wide function indices are below it. `counting.threshold` 0: no tiering.
  LazyFunctions(FunctionCompiler compiler, uint32_t funcCount, compile::TierCounting counting,
                std::shared_ptr<TierCounters> stats);

  // Compiles one function; a baseline failure is kept for lastError(). Fails once retired.
  Result<std::vector<uint8_t>> compile(uint32_t funcIndex, compile::Tier tier);
  // Waits for the compiles in progress and refuses later ones: the compiler reads the module's
  // IR, which its owner frees after the code (a tier-up may still be queued then).
  void retire();
  // Keeps a compiled object until a backtrace needs its rows: a baseline object's load address
  // is known only once it is linked, which happens after the unit hands it to the linking layer
  // (`start` null); an optimised one's is known before its stub points at it.
  void compiled(std::string symbol, std::vector<uint8_t> object, void* start = nullptr);
  // The frames at pc in the functions compiled so far. `address` finds a linked baseline symbol.
  std::vector<SourceFrame> sourceFrames(uintptr_t pc, const SymbolAddress& address);
  std::string lastError() const;

  // What baseline code counts with, or null when the module is not tiered.
  const compile::TierCounting* counting() const { return counting_.threshold ? &counting_ : nullptr; }
  // True for the first request to tier `funcIndex` up, false for every later one.
  bool claimTierUp(uint32_t funcIndex) { return !tierUpClaimed_[funcIndex].exchange(true); }
  // Starts the function's count again, so that baseline code still in use asks again after
  // another `threshold` counts. Baseline code writes the counter without atomics too.
  void restartCount(uint32_t funcIndex) {
    std::atomic_ref<uint32_t>(counters_[funcIndex]).store(0, std::memory_order_relaxed);
  }
  // The optimised code of a function, once linked (null before).
  void* optimizedCode(uint32_t funcIndex) const { return optimizedCode_[funcIndex].load(std::memory_order_acquire); }
  void setOptimizedCode(uint32_t funcIndex, void* code) { optimizedCode_[funcIndex].store(code, std::memory_order_release); }
  TierCounters& stats() { return *stats_; }

 private:
  struct Unmapped {
    std::string symbol;
    std::vector<uint8_t> object;
    void* start;  // null: look the symbol up
  };
  FunctionCompiler compiler_;
  std::shared_mutex retireMutex_;  // compiles share it; retire() takes it alone
  bool retired_ = false;
  std::unique_ptr<uint32_t[]> counters_;  // written by baseline code (TierCounting)
  std::unique_ptr<std::atomic<bool>[]> tierUpClaimed_;
  std::unique_ptr<std::atomic<void*>[]> optimizedCode_;
  compile::TierCounting counting_;
  std::shared_ptr<TierCounters> stats_;
  mutable std::mutex mutex_;
  std::vector<Unmapped> unmapped_;  // not in map_ yet
  SourceMap map_;
  std::string error_;
};

// orca_func_<index> in the module's lazy JITDylib: compiled when first looked up (which the
// stub's first call does), then linked by the object layer like any object.
class LazyFunctionUnit final : public llvm::orc::MaterializationUnit {
 public:
  LazyFunctionUnit(llvm::orc::ObjectLinkingLayer& layer, CompileThreads& threads, llvm::orc::SymbolStringPtr symbol,
                   uint32_t funcIndex, std::shared_ptr<LazyFunctions> functions);
  llvm::StringRef getName() const override { return "orca_lazy_function"; }
  void materialize(std::unique_ptr<llvm::orc::MaterializationResponsibility> responsibility) override;

 private:
  void discard(const llvm::orc::JITDylib&, const llvm::orc::SymbolStringPtr&) override {}
  llvm::orc::ObjectLinkingLayer& layer_;
  CompileThreads& threads_;
  llvm::orc::SymbolStringPtr symbol_;
  uint32_t funcIndex_;
  std::shared_ptr<LazyFunctions> functions_;
};

}  // namespace orca::jit
