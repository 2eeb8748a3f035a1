// WebAssembly to native object code through LLVM. This header is free of LLVM types: LLVM is a
// private dependency of this stage (and of core/jit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::compile {

// Every switch here changes the generated code, so every one is part of a cache key.
struct CompileOptions {
  unsigned optLevel = 2;         // 0..3, the new PassManager's O-levels
  unsigned threads = 0;          // worker threads for optimisation and codegen; 0 = all cores
  bool explicitBoundsChecks = false;  // compare every access with the memory size instead of
                                      // relying on the 8 GiB guard reservation
  bool fuel = false;             // decrement StoreContext::fuel per basic block
  bool interruptible = false;    // check StoreContext::interrupt at loop heads and function entry
};

// Relocatable native objects (ELF for the host) with the symbols named in abi.h, plus what the
// loader needs to know without re-reading the module.
struct CompiledModule {
  std::vector<std::vector<uint8_t>> objects;  // one per partition, compiled in parallel
  uint32_t funcCount = 0;                     // defined functions (orca_func_<imports + i>)
  uint32_t typeCount = 0;                     // orca_entry_<t> and orca_thunk_<t> for each type
};

// Compiles every defined function of a validated module, plus one entry trampoline and one host
// thunk per type. The only errors are ErrorKind::Internal (LLVM rejected or could not compile the
// IR Orca generated: a bug); every instruction of a validated 2.0 module compiles.
Result<CompiledModule> compileModule(const ir::Module& module, const CompileOptions& options);

// How much a function compiled on its own (lazy and tiered compilation) is optimised. The tier
// decides only the speed of the code, never what it does (traps, fuel, interruption and stack
// checks are the same), so it is no part of a cache key: such functions are never cached.
enum class Tier : uint8_t {
  Baseline,   // promote locals to registers, then fast instruction selection: milliseconds
  Optimized,  // CompileOptions::optLevel, as compileModule
};

// What the baseline code of a tiered module counts (compileFunction with Tier::Baseline): every
// call of function i and every iteration of a loop in it adds one to counters[i], with a plain
// load and store (no locked read-modify-write: threads racing on a counter only lose counts), and
// the increment that makes it `threshold` calls tierUp(owner, i) on the running thread (which may
// set the counter back to 0, so that the same code asks again later). Nothing
// here is part of a cache key: baseline code holds these addresses and is never cached.
struct TierCounting {
  uint32_t* counters = nullptr;  // indexed by module-wide function index
  uint32_t threshold = 0;        // > 0
  void (*tierUp)(void* owner, uint32_t funcIndex) = nullptr;
  void* owner = nullptr;
};

// The entry trampolines and host thunks of every type, without any function (lazy compilation
// loads these with the module and each function when it is first called).
Result<CompiledModule> compileTrampolines(const ir::Module& module, const CompileOptions& options);

// One defined function (module-wide index `funcIndex`) as an object of its own that defines
// orca_func_<funcIndex>; calls to other functions are references to their orca_func_ symbols.
// `counting` (Tier::Baseline only; may be null) makes the code count for tiering up.
// Thread-safe; the only errors are ErrorKind::Internal, as for compileModule.
Result<std::vector<uint8_t>> compileFunction(const ir::Module& module, uint32_t funcIndex,
                                             const CompileOptions& options, Tier tier,
                                             const TierCounting* counting = nullptr);

// How many times this process called compileModule (diagnostics; tests check that a path
// compiles exactly once).
uint64_t modulesCompiled();
// How many times this process called compileFunction (tests check that lazy compilation compiles
// a function once, and only when it is called).
uint64_t functionsCompiled();

// Identifies the code generator for artifacts and cache keys: Orca's version, git revision and
// a hash of the sources that decide the generated code (taken at build time), LLVM's version,
// the target triple and the CPU with its features.
std::string codegenFingerprint();

}  // namespace orca::compile
