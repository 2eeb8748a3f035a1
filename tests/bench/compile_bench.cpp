// Compile throughput: MB of wasm compiled to native objects per second (decode and validate
// excluded), at O2 with 1 and 2 worker threads. Usage: compile_bench MODULE.wasm [flags].
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "orca/compile/compile.h"
#include "orca/decode/decode.h"

namespace {

std::vector<uint8_t> gBytes;
orca::ir::Module gModule;

void compileO2(benchmark::State& state) {
  orca::compile::CompileOptions options;
  options.optLevel = 2;
  options.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto compiled = orca::compile::compileModule(gModule, options);
    if (!compiled) state.SkipWithError(compiled.error().describe().c_str());
    benchmark::DoNotOptimize(compiled);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * gBytes.size()));
}

BENCHMARK(compileO2)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: compile_bench MODULE.wasm [benchmark flags]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  gBytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  auto module = orca::decode::decodeModule(gBytes);
  if (!module) {
    std::fprintf(stderr, "compile_bench: %s\n", module.error().describe().c_str());
    return 1;
  }
  gModule = std::move(*module);
  std::printf("module: %s, %zu bytes, %zu functions\n", argv[1], gBytes.size(), gModule.functions.size());
  argv[1] = argv[0];
  --argc;
  ++argv;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
