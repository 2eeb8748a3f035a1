// The orca command's subcommands, over the public C API only (wasm.h, orca.h, wasi.h).
//
// Exit statuses (docs/cli.md): 0 success; 1 an input was rejected or failed (malformed or invalid
// module, link error, I/O error, a failed wast script); 2 usage error; 3 the guest trapped; a
// WASI guest's proc_exit status N (at most 125). Never 128 or above, so that only a real crash
// ends the process by a signal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orca.h"

namespace orca::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitTrap = 3;
constexpr int kExitMaxGuest = 125;

// Prints "orca: <line>" on stderr and returns `status`.
int fail(int status, const std::string& line);

// Where compiled code is cached: the user's cache directory unless told otherwise (docs/cli.md).
struct CacheOptions {
  bool disabled = false;          // --no-cache
  std::optional<std::string> dir; // --cache-dir DIR
  bool printStats = false;        // --cache-stats: what the cache did, on stderr
};

struct RunOptions {
  std::string module;
  std::vector<std::string> args;       // after the module: the guest's argv[1..], or --invoke's arguments
  std::vector<std::string> dirs;       // HOST[::GUEST]
  std::vector<std::string> env;        // K=V
  std::optional<std::string> invoke;   // a function to call instead of _start
  std::optional<uint64_t> fuel;
  std::optional<std::string> timeout;  // 1s, 500ms, 2m ...
  bool allowPrecompiled = false;       // load compiled artifacts (native code the user trusts)
  // --compile=eager|lazy|tiered (orca_config_compile_strategy_set)
  orca_compile_strategy_t compile = ORCA_COMPILE_EAGER;
  CacheOptions cache;
};

int runCommand(const RunOptions& options);
int validateCommand(const std::string& path);
int wat2wasmCommand(const std::string& path, std::string output);
// consumeFuel / interruptible: compile the checks that `run --fuel` / `run --timeout` need (an
// artifact loads only into an engine with the same switches).
int compileCommand(const std::string& path, std::string output, bool consumeFuel, bool interruptible);
int inspectCommand(const std::string& path, bool allowPrecompiled);
// `orca cache dir|stats|clean`: the directory, its entries and their size, removing them.
enum class CacheAction { Dir, Stats, Clean };
int cacheCommand(CacheAction action, const CacheOptions& options);

int wastCommand(const std::vector<std::string>& paths, bool verbose);

}  // namespace orca::cli
