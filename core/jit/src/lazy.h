// Internal to core/jit: compiling functions on their first call (Jit::loadLazy). Each function is
// a materialization unit of its own in the module's second JITDylib; ORC's lazy reexports put a
// stub for it into the module's first JITDylib, which every call and funcref goes through.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
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
  ~CompileThreads();
  // Runs `job` on one of the threads and waits for it.
  void run(const std::function<void()>& job);

 private:
  struct Job {
    const std::function<void()>* job;
    bool done = false;
  };
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

// The functions of one lazily loaded module: compiles them and keeps what backtraces need.
class LazyFunctions {
 public:
  explicit LazyFunctions(FunctionCompiler compiler) : compiler_(std::move(compiler)) {}

  // Compiles one function; a failure is kept for lastError().
  Result<std::vector<uint8_t>> compile(uint32_t funcIndex);
  // Keeps a compiled object until a backtrace needs its rows: its load address is known only
  // once it is linked, which happens after the unit hands it to the linking layer.
  void compiled(std::string symbol, std::vector<uint8_t> object);
  // The frames at pc in the functions compiled so far. `address` finds a linked symbol.
  std::vector<SourceFrame> sourceFrames(uintptr_t pc, const SymbolAddress& address);
  std::string lastError() const;

 private:
  FunctionCompiler compiler_;
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> unmapped_;  // not in map_ yet
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
