// The official spec suite for the unit tests that read it (ORCA_TESTSUITE_DIR, or the environment's
// ORCA_TESTSUITE). A test calls requireTestsuite() first: when the suite is missing it fails
// under CI=true (a missing input is never a pass there) and is reported as not run elsewhere.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace orca::test {

// True when `dir` exists; otherwise reports it (FAIL under CI=true, a warning elsewhere).
inline bool requireTestsuite(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string_view(ci) == "true") {
    FAIL("spec test suite not found at " << dir.string() << " (CI=true: a missing suite is a failure)");
  } else {
    WARN_MESSAGE(false, "spec test suite not found at " << dir.string() << "; set ORCA_TESTSUITE; NOT RUN");
  }
  return false;
}

}  // namespace orca::test
