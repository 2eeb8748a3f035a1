// The official spec test runner: every .wast script of a test-suite folder, read by core/text's
// script parser and run through Orca's public C API (cli/src/wast_runner). Usage:
// spec_runner [FOLDER] [-v] [--compile=lazy|tiered] [--tier-up-threshold=N] [--bounds-checks].
// --compile=lazy compiles each function on its first call (orca_config_compile_strategy_set)
// instead of every module up front; --compile=tiered does too, and tiers a function up after N
// calls and loop iterations (2 unless given: the suite's functions are rarely hot, and the
// optimised code must run too; the run fails when no function was tiered up);
// --bounds-checks runs every script with explicit bounds checks instead of guard pages (the code
// differs). FOLDER defaults to $ORCA_TESTSUITE/wasm-2.0 or the build's
// ORCA_TESTSUITE_DIR/wasm-2.0. ORCA_SPEC_SCRIPT_TIMEOUT (seconds, default 300) bounds each
// script. Exit status 1 when any command failed. Under CI=true a run that checked less than it
// should fails too: a missing or empty suite, or any skipped command.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "wast_runner.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::string folder;
  bool verbose = false;
  orca_compile_strategy_t strategy = ORCA_COMPILE_EAGER;
  uint32_t tierUpThreshold = 2;
  auto memoryMode = orca::cli::WastMemoryMode::GuardPages;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-v" || arg == "--verbose") verbose = true;
    else if (arg == "--compile=lazy") strategy = ORCA_COMPILE_LAZY;
    else if (arg == "--compile=eager") strategy = ORCA_COMPILE_EAGER;
    else if (arg == "--compile=tiered") strategy = ORCA_COMPILE_TIERED;
    else if (arg.starts_with("--tier-up-threshold=") && arg.size() > 20 &&
             arg.find_first_not_of("0123456789", 20) == std::string::npos && arg.size() < 30)
      tierUpThreshold = static_cast<uint32_t>(std::min<unsigned long long>(std::stoull(arg.substr(20)), UINT32_MAX));
    else if (arg == "--bounds-checks") memoryMode = orca::cli::WastMemoryMode::BoundsChecks;
    else if (arg.starts_with("--")) {
      std::cerr << "spec_runner: unknown option " << arg
                << " (-v, --compile=eager|lazy|tiered, --tier-up-threshold=N, --bounds-checks)\n";
      return 2;
    } else folder = arg;
  }
  if (folder.empty()) {
    const char* env = std::getenv("ORCA_TESTSUITE");
    folder = std::string(env && *env ? env : ORCA_TESTSUITE_DIR) + "/wasm-2.0";
  }

  std::vector<std::string> scripts;
  std::error_code ec;
  if (fs::is_directory(folder, ec))
    for (const auto& entry : fs::directory_iterator(folder, ec))
      if (entry.path().extension() == ".wast") scripts.push_back(entry.path().string());
  // A missing suite runs nothing: said plainly, and a failure where nothing may pass unchecked.
  if (scripts.empty()) {
    bool strict = orca::cli::strictAccounting();
    std::cout << "spec: no test suite: no .wast scripts in " << folder
              << " (place WebAssembly/testsuite beside the repository as ../shared/testsuite, "
                 "or set ORCA_TESTSUITE)"
              << (strict ? "; a failure under CI=true" : "; nothing was tested") << "\n";
    return strict ? 1 : 0;
  }
  std::sort(scripts.begin(), scripts.end());

  auto total = orca::cli::runWastFiles(scripts, std::cout, verbose, strategy, memoryMode, tierUpThreshold);
  return orca::cli::runSucceeded(total) ? 0 : 1;
}
