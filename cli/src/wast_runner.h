// Runs .wast scripts (the spec test format) against Orca. Shared by `orca wast` and tests/spec.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace orca::runtime {
class Engine;
}

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
  // Also report each skipped command (commands that need execution, until it lands).
  bool reportSkips = false;
};

// Runs every command of one script in a fresh store of `engine`. Without an engine (null), only
// what needs no execution is checked and the rest is skipped. A script that cannot be read or
// parsed counts as one failure.
WastCounts runWastFile(runtime::Engine* engine, const std::string& path, const WastOptions& options);

// Runs each script, printing a line per file ("path: N passed, N failed, N skipped") and failures
// to `out`, then the closing line "spec: N passed, N failed, N skipped". Returns the totals.
WastCounts runWastFiles(const std::vector<std::string>& paths, std::ostream& out, bool reportSkips);

// "N passed, N failed, N skipped"
std::string formatCounts(const WastCounts& counts);

}  // namespace orca::cli
