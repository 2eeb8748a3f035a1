// Loading compiled objects into executable memory with LLVM ORC (LLJIT + JITLink), binding the
// runtime functions of abi.h by name. Free of LLVM types.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "orca/compile/compile.h"
#include "orca/ir/error.h"

namespace orca::jit {

// A wasm frame that a code address belongs to.
struct SourceFrame {
  uint32_t funcIndex = 0;     // module-wide function index
  uint32_t moduleOffset = 0;  // of the instruction, from the start of the module's bytes; 0 when
                              // the code has no single instruction (LLVM merged two)
  bool operator==(const SourceFrame&) const = default;
};

// Loaded code of one compiled module; unloading happens when the last reference goes away (one
// ResourceTracker per module).
class LoadedCode {
 public:
  virtual ~LoadedCode() = default;
  // Address of a symbol (orca_func_<i>, orca_entry_<t>, orca_thunk_<t>), or null when absent.
  virtual void* lookup(const std::string& symbol) const = 0;
  // Whether pc lies in this module's code (the signal handler asks).
  virtual bool containsPc(uintptr_t pc) const = 0;
  // The wasm frames at pc, innermost first: a function that LLVM inlined comes before the one it
  // was inlined into, each with its own instruction. Empty when pc has no location (trampolines,
  // thunks, objects compiled without debug info). A binary search in a table read from the
  // objects' DWARF on the first call (most modules never trap); not async-signal-safe.
  virtual std::vector<SourceFrame> sourceFrames(uintptr_t pc) const = 0;
  // Why the last function compiled on first call failed to compile (loadLazy), or empty.
  virtual std::string lazyCompileError() const = 0;
};

// Compiles function `funcIndex` (module-wide) at `tier` to an object that defines
// orca_func_<funcIndex>; `counting` (baseline code of a tiered module, else null) is for
// compile::compileFunction.
using FunctionCompiler = std::function<Result<std::vector<uint8_t>>(uint32_t funcIndex, compile::Tier tier,
                                                                    const compile::TierCounting* counting)>;

// Functions of lazily loaded modules compiled so far by one Jit: on their first call (baseline)
// and again when they became hot (tiered up: optimised code linked and the stub pointed at it).
struct TierStats {
  uint64_t baseline = 0;
  uint64_t optimized = 0;
};

struct JitOptions {
  // Whether the JIT has compile threads, which loadLazy needs: a function compiled on its first
  // call compiles and links on one of them, not on the guest's stack, whose headroom below the
  // stack limit may be as small as 32 KiB.
  bool compileThreads = false;
};

// Owns the LLJIT instance; shared by every module of an engine; thread-safe.
class Jit {
 public:
  // `runtimeSymbols` maps the names in abi.h (orca_rt_trap, ...) to their addresses.
  // `lazyCompileFailed` is jumped to, with the arguments of the call, when a function loaded by
  // loadLazy fails to compile; it must not return.
  static Result<std::unique_ptr<Jit>> create(
      const std::unordered_map<std::string, void*>& runtimeSymbols, JitOptions options = {},
      void* lazyCompileFailed = nullptr);
  virtual ~Jit() = default;
  // The loaded code keeps `compiled`: JITLink reads the objects in place (no copy), and the
  // source map reads their DWARF when it is first needed.
  virtual Result<std::shared_ptr<LoadedCode>> load(std::shared_ptr<const compile::CompiledModule> compiled) = 0;
  // Loads `compiled` (trampolines) now and makes orca_func_<i> of each of `funcIndices` a stub
  // that, on its first call, compiles the function with `compiler` (once, however many threads
  // call it), links it and jumps there; later calls go through the stub straight to the code.
  // Needs JitOptions::compileThreads. `compiler` must stay usable while the code is loaded; the
  // LoadedCode's destructor waits for a compile in progress and starts no other.
  // With `tierUpThreshold` > 0 the functions are tiered: baseline code counts calls and loop
  // iterations, and a function whose count reaches the threshold is compiled again at
  // Tier::Optimized on a background thread (once), linked, and its stub pointed at the new code,
  // so that later calls run it; frames running the baseline code finish there.
  virtual Result<std::shared_ptr<LoadedCode>> loadLazy(std::shared_ptr<const compile::CompiledModule> compiled,
                                                       const std::vector<uint32_t>& funcIndices,
                                                       FunctionCompiler compiler, uint32_t tierUpThreshold = 0) = 0;
  virtual TierStats tierStats() const = 0;
  // Whether pc lies in any loaded module's code. Async-signal-safe.
  virtual bool containsPc(uintptr_t pc) const = 0;
};

}  // namespace orca::jit
