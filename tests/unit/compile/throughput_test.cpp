// Compile throughput on a real module, run on demand:
//   ORCA_BENCH_WASM=path/to/module.wasm unit_compile -tc="compile throughput*"
// It is skipped when the variable is unset; when set, the module must compile and load.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "harness.h"

using namespace orca;

TEST_CASE("compile throughput of $ORCA_BENCH_WASM") {
  const char* path = std::getenv("ORCA_BENCH_WASM");
  if (!path) return;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto module = decode::decodeModule(bytes);
  REQUIRE(module.ok());
  REQUIRE(validate::validateModule(*module).ok());
  size_t instrs = 0;
  for (const auto& f : module->functions) instrs += f.body.code.size();
  for (unsigned opt : {0u, 2u}) {
    if (std::getenv("ORCA_BENCH_OPT") && unsigned(std::atoi(std::getenv("ORCA_BENCH_OPT"))) != opt) continue;
    compile::CompileOptions options;
    options.optLevel = opt;
    auto start = std::chrono::steady_clock::now();
    auto compiled = compile::compileModule(*module, options);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_MESSAGE(compiled.ok(), (compiled.ok() ? "" : compiled.error().describe()));
    size_t objectBytes = 0;
    for (const auto& o : compiled->objects) objectBytes += o.size();
    auto loaded = testing::testJit().load(*compiled);
    REQUIRE(loaded.ok());
    MESSAGE("O" << opt << ": " << module->functions.size() << " functions, " << instrs
                << " instructions, " << bytes.size() / 1e6 << " MB wasm in " << seconds << " s ("
                << bytes.size() / 1e6 / seconds << " MB/s), " << compiled->objects.size()
                << " objects, " << objectBytes / 1e6 << " MB of object code");
  }
}
