// Runs .wast scripts (the spec test format) against Orca through its public C API (wasm.h,
// orca.h); only the script syntax is read with core/text's parser. Shared by `orca wast` and
// tests/spec.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "capi.h"
#include "wasm.h"

namespace orca::cli {

struct WastCounts {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;

  WastCounts& operator+=(const WastCounts& other) {
    passed += other.passed;
    failed += other.failed;
    skipped += other.skipped;
    return *this;
  }
};

struct WastOptions {
  // Where a line per failed command goes ("file:line: what was expected, what happened").
  std::ostream* failures = nullptr;
  // Also report each skipped command (a feature the engine does not implement).
  bool reportSkips = false;
  // A test hook: every script module fails to compile with this error instead of reaching the C
  // API, so that a test can give the runner errors no input causes (ORCA_ERROR_INTERNAL).
  std::optional<ErrorInfo> moduleError;
};

// Runs every command of one script in a fresh store of `engine`, which must compile interruption
// checks (orca_config_interruptible_set) for the watchdog to stop a script that hangs. A script
// that cannot be read or parsed counts as one failure.
WastCounts runWastFile(wasm_engine_t* engine, const std::string& path, const WastOptions& options);

// Runs each script in one interruptible engine, printing a line per file ("path: N passed,
// N failed, N skipped") and failures to `out`, then the closing line "spec: N passed, N failed,
// N skipped" (and a line saying so when skips fail the run under CI=true). Returns the totals. ORCA_SPEC_SCRIPT_TIMEOUT (seconds, default 300) is each
// script's time budget. `strategy` is the engine's (orca_config_compile_strategy_set).
// How the engine protects linear memory: guard pages (the default) or explicit bounds checks,
// the mode an engine falls back to where 8 GiB of address space cannot be reserved. Code differs
// between the two, so the spec suite has to pass in both.
enum class WastMemoryMode : uint8_t { GuardPages, BoundsChecks };

// With ORCA_COMPILE_TIERED, `tierUpThreshold` (0: the engine's default) is the engine's
// (orca_config_tier_up_threshold_set); the run then also prints how many functions were compiled
// at each tier, and fails when none was tiered up (the optimised tier went untested).
WastCounts runWastFiles(const std::vector<std::string>& paths, std::ostream& out, bool reportSkips,
                        orca_compile_strategy_t strategy = ORCA_COMPILE_EAGER,
                        WastMemoryMode memoryMode = WastMemoryMode::GuardPages, uint32_t tierUpThreshold = 0);

// "N passed, N failed, N skipped"
std::string formatCounts(const WastCounts& counts);

// Whether the environment is a CI run (CI=true, or CI=1), where nothing may pass unchecked.
bool strictAccounting();

// Whether a run succeeded: no command failed and, under strictAccounting(), none was skipped (a
// skipped assertion is one nobody checked).
bool runSucceeded(const WastCounts& counts);

}  // namespace orca::cli
