// Execution speed against native code: the kernels of kernels/kernels.c, compiled natively into
// this binary and to wasm32 for Orca (by the build, with clang-19), run with the same sizes.
// Usage: kernels_bench KERNELS.wasm [google-benchmark flags]. ci/bench.sh runs it.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "orca/runtime/runtime.h"

extern "C" {
double native_matmul(int n);
int32_t native_sieve(int32_t n);
uint32_t native_crc32(int32_t n);
int32_t native_fib(int32_t n);
}

namespace {

using orca::runtime::RawValue;

struct Wasm {
  std::unique_ptr<orca::runtime::Engine> engine;
  std::unique_ptr<orca::runtime::Store> store;
  orca::runtime::Instance* instance = nullptr;

  orca::runtime::Func* func(const char* name) const {
    auto e = instance->exportByName(name);
    return e ? e->func() : nullptr;
  }
};

// Guard-page mode (the default: volatile accesses, no bounds checks) and bounds-checked mode
// (plain accesses behind explicit checks): the difference is what each protection costs.
Wasm gWasm;
Wasm gChecked;

// Calls a wasm export with one i32 argument; returns the raw result.
RawValue callWasm(orca::runtime::Func* f, int32_t arg) {
  RawValue args[1]{};
  args[0].i32 = arg;
  RawValue results[1]{};
  if (!f->call(args, results)) std::abort();
  return results[0];
}

constexpr int kMatrix = 200;
constexpr int32_t kSieve = 4000000;
constexpr int32_t kCrc = 1 << 20;
constexpr int32_t kFib = 30;

void nativeMatmul(benchmark::State& s) { for (auto _ : s) benchmark::DoNotOptimize(native_matmul(kMatrix)); }
void wasmMatmul(benchmark::State& s) {
  auto* f = gWasm.func("matmul");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kMatrix));
}
void nativeSieve(benchmark::State& s) { for (auto _ : s) benchmark::DoNotOptimize(native_sieve(kSieve)); }
void wasmSieve(benchmark::State& s) {
  auto* f = gWasm.func("sieve");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kSieve));
}
void nativeCrc32(benchmark::State& s) { for (auto _ : s) benchmark::DoNotOptimize(native_crc32(kCrc)); }
void wasmCrc32(benchmark::State& s) {
  auto* f = gWasm.func("crc32");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kCrc));
}
void nativeFib(benchmark::State& s) { for (auto _ : s) benchmark::DoNotOptimize(native_fib(kFib)); }
void wasmFib(benchmark::State& s) {
  auto* f = gWasm.func("fib");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kFib));
}

BENCHMARK(nativeMatmul)->Unit(benchmark::kMillisecond);
BENCHMARK(wasmMatmul)->Unit(benchmark::kMillisecond);
void checkedMatmul(benchmark::State& s) {
  auto* f = gChecked.func("matmul");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kMatrix));
}
BENCHMARK(checkedMatmul)->Unit(benchmark::kMillisecond);
BENCHMARK(nativeSieve)->Unit(benchmark::kMillisecond);
BENCHMARK(wasmSieve)->Unit(benchmark::kMillisecond);
void checkedSieve(benchmark::State& s) {
  auto* f = gChecked.func("sieve");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kSieve));
}
BENCHMARK(checkedSieve)->Unit(benchmark::kMillisecond);
BENCHMARK(nativeCrc32)->Unit(benchmark::kMillisecond);
BENCHMARK(wasmCrc32)->Unit(benchmark::kMillisecond);
void checkedCrc32(benchmark::State& s) {
  auto* f = gChecked.func("crc32");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kCrc));
}
BENCHMARK(checkedCrc32)->Unit(benchmark::kMillisecond);
BENCHMARK(nativeFib)->Unit(benchmark::kMillisecond);
BENCHMARK(wasmFib)->Unit(benchmark::kMillisecond);
void checkedFib(benchmark::State& s) {
  auto* f = gChecked.func("fib");
  for (auto _ : s) benchmark::DoNotOptimize(callWasm(f, kFib));
}
BENCHMARK(checkedFib)->Unit(benchmark::kMillisecond);

// The two builds must compute the same thing, or the comparison means nothing.
bool checkAgreement() {
  bool ok = true;
  double m = callWasm(gWasm.func("matmul"), kMatrix).f64;
  ok &= m == native_matmul(kMatrix);
  ok &= callWasm(gChecked.func("matmul"), kMatrix).f64 == m;
  ok &= callWasm(gChecked.func("sieve"), kSieve).i32 == native_sieve(kSieve);
  ok &= callWasm(gWasm.func("sieve"), kSieve).i32 == native_sieve(kSieve);
  ok &= static_cast<uint32_t>(callWasm(gWasm.func("crc32"), kCrc).i32) == native_crc32(kCrc);
  ok &= callWasm(gWasm.func("fib"), kFib).i32 == native_fib(kFib);
  return ok;
}

bool load(Wasm& wasm, const std::vector<uint8_t>& bytes, orca::runtime::MemoryMode mode,
          orca::runtime::CompileStrategy strategy) {
  orca::runtime::EngineConfig config;
  config.memoryMode = mode;
  config.compileStrategy = strategy;
  auto engine = orca::runtime::Engine::create(config);
  if (!engine) {
    std::fprintf(stderr, "kernels_bench: %s\n", engine.error().describe().c_str());
    return false;
  }
  wasm.engine = std::move(*engine);
  auto module = orca::runtime::Module::compile(*wasm.engine, bytes);
  if (!module) {
    std::fprintf(stderr, "kernels_bench: %s\n", module.error().describe().c_str());
    return false;
  }
  wasm.store = std::make_unique<orca::runtime::Store>(*wasm.engine);
  auto instance = wasm.store->instantiate(*module, {});
  if (!instance) {
    std::fprintf(stderr, "kernels_bench: %s\n", instance.error().describe().c_str());
    return false;
  }
  wasm.instance = *instance;
  return true;
}

// Tiered: every kernel runs once more on both engines, which makes each hot (its loops alone pass
// the threshold), then this waits until the engines' tier-ups have stopped coming in, so that the
// benchmarks measure the optimised code only.
bool warmUpTiers() {
  for (Wasm* wasm : {&gWasm, &gChecked}) {
    callWasm(wasm->func("matmul"), kMatrix);
    callWasm(wasm->func("sieve"), kSieve);
    callWasm(wasm->func("crc32"), kCrc);
    callWasm(wasm->func("fib"), kFib);
  }
  auto tieredUp = [] { return gWasm.engine->tierStats().optimized + gChecked.engine->tierStats().optimized; };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  uint64_t seen = tieredUp();
  do {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    if (tieredUp() == seen && seen >= 8) break;
    seen = tieredUp();
  } while (std::chrono::steady_clock::now() < deadline);
  std::fprintf(stderr, "kernels_bench: %llu functions tiered up before the benchmarks\n",
               static_cast<unsigned long long>(seen));
  return seen >= 8;  // the four kernels in both engines
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: kernels_bench KERNELS.wasm [--compile=lazy|tiered] [benchmark flags]\n");
    return 2;
  }
  // --compile=lazy: the kernels run as compiled on their first call (the baseline tier).
  // --compile=tiered: as tiered up after their first calls (the optimised tier, compiled one
  // function at a time).
  auto strategy = orca::runtime::CompileStrategy::Eager;
  if (argc > 2 && (std::string_view(argv[2]) == "--compile=lazy" || std::string_view(argv[2]) == "--compile=tiered")) {
    strategy = std::string_view(argv[2]) == "--compile=lazy" ? orca::runtime::CompileStrategy::Lazy
                                                             : orca::runtime::CompileStrategy::Tiered;
    for (int i = 2; i + 1 < argc; ++i) argv[i] = argv[i + 1];
    --argc;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!load(gWasm, bytes, orca::runtime::MemoryMode::Guarded, strategy) ||
      !load(gChecked, bytes, orca::runtime::MemoryMode::BoundsChecked, strategy))
    return 1;
  if (!checkAgreement()) {
    std::fprintf(stderr, "kernels_bench: wasm and native results differ\n");
    return 1;
  }
  if (strategy == orca::runtime::CompileStrategy::Tiered && !warmUpTiers()) {
    std::fprintf(stderr, "kernels_bench: the kernels were not tiered up\n");
    return 1;
  }
  argv[1] = argv[0];
  --argc;
  ++argv;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
