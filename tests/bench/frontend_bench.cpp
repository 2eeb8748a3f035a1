// Front-end throughput: decode, validate, and both, over one module file, in MB of wasm per
// second. Usage: frontend_bench MODULE.wasm [google-benchmark flags]. ci/bench.sh builds a large
// real-world module (gofmt compiled by Go for wasip1, about 5 MB) and runs this on it.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "orca/decode/decode.h"
#include "orca/validate/validate.h"

namespace {

std::vector<uint8_t> gModule;

void decodeOnly(benchmark::State& state) {
  for (auto _ : state) {
    auto module = orca::decode::decodeModule(gModule);
    if (!module) state.SkipWithError(module.error().describe().c_str());
    benchmark::DoNotOptimize(module);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * gModule.size()));
}

void validateOnly(benchmark::State& state) {
  auto module = orca::decode::decodeModule(gModule);
  if (!module) {
    state.SkipWithError(module.error().describe().c_str());
    return;
  }
  for (auto _ : state) {
    auto status = orca::validate::validateModule(*module);
    if (!status) state.SkipWithError(status.error().describe().c_str());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * gModule.size()));
}

void decodeAndValidate(benchmark::State& state) {
  for (auto _ : state) {
    auto module = orca::decode::decodeModule(gModule);
    if (!module || !orca::validate::validateModule(*module)) state.SkipWithError("rejected");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * gModule.size()));
}

BENCHMARK(decodeOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(validateOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(decodeAndValidate)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: frontend_bench MODULE.wasm [benchmark flags]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "frontend_bench: cannot open %s\n", argv[1]);
    return 1;
  }
  gModule.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::printf("module: %s, %zu bytes\n", argv[1], gModule.size());
  argv[1] = argv[0];
  --argc;
  ++argv;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
