// The script runner's accounting: what counts as passed, failed and skipped, and when a run with
// skips fails (CI=true). The scripts are in tests/spec/fixtures.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "capi.h"
#include "orca.h"
#include "wast_runner.h"

using namespace orca::cli;

namespace {

const std::string kFixtures = ORCA_SPEC_FIXTURES;

WastCounts runFixture(const std::string& name, WastOptions options, std::string* report = nullptr) {
  std::ostringstream out;
  options.failures = &out;
  wasm_config_t* config = wasm_config_new();
  orca_config_interruptible_set(config, true);
  EnginePtr engine(wasm_engine_new_with_config(config));
  REQUIRE(engine);
  WastCounts counts = runWastFile(engine.get(), kFixtures + "/" + name, options);
  if (report) *report = out.str();
  return counts;
}

void checkCounts(const WastCounts& counts, uint64_t passed, uint64_t failed, uint64_t skipped) {
  CHECK(counts.passed == passed);
  CHECK(counts.failed == failed);
  CHECK(counts.skipped == skipped);
}

// Sets CI for one scope and puts back what was there.
class CiVariable {
 public:
  explicit CiVariable(const char* value) {
    if (const char* old = std::getenv("CI")) saved_ = old;
    if (value) setenv("CI", value, 1);
    else unsetenv("CI");
  }
  ~CiVariable() {
    if (saved_) setenv("CI", saved_->c_str(), 1);
    else unsetenv("CI");
  }

 private:
  std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("an internal error counts as a failure, never as a skip") {
  WastOptions options;
  options.moduleError = ErrorInfo{ORCA_ERROR_INTERNAL, "compiler: generated LLVM IR does not verify", std::nullopt};
  std::string report;
  WastCounts counts = runFixture("pass/one_module.wast", options, &report);
  // The module and the assertion that needs it both fail.
  checkCounts(counts, 0, 2, 0);
  CHECK(report.find("module: internal error: compiler: generated LLVM IR does not verify") != std::string::npos);
  CHECK_FALSE(runSucceeded(counts));
}

TEST_CASE("a feature the engine lacks skips, and a skip fails the run under CI=true") {
  WastOptions options;
  options.moduleError = ErrorInfo{ORCA_ERROR_UNSUPPORTED, "the threads feature is not implemented", std::nullopt};
  WastCounts counts = runFixture("pass/one_module.wast", options);
  checkCounts(counts, 0, 0, 2);
  {
    CiVariable ci("true");
    CHECK(strictAccounting());
    CHECK_FALSE(runSucceeded(counts));
  }
  {
    CiVariable ci(nullptr);
    CHECK_FALSE(strictAccounting());
    CHECK(runSucceeded(counts));
  }
  {
    CiVariable ci("false");
    CHECK(runSucceeded(counts));
  }
}

TEST_CASE("without the hook the same script passes") {
  WastCounts counts = runFixture("pass/one_module.wast", WastOptions{});
  checkCounts(counts, 2, 0, 0);
  CiVariable ci("true");
  CHECK(runSucceeded(counts));
}

TEST_CASE("a v128 global is read and compared, not skipped") {
  WastCounts counts = runFixture("pass/v128_global.wast", WastOptions{});
  checkCounts(counts, 3, 0, 0);
  std::string report;
  WastCounts wrong = runFixture("v128_global_wrong.wast", WastOptions{}, &report);
  checkCounts(wrong, 1, 1, 0);
  CHECK(report.find("assert_return: result 0") != std::string::npos);
}
