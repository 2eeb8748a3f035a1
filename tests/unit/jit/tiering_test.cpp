// Jit::loadLazy with a tier-up threshold: baseline code counts calls and loop iterations, a hot
// function is compiled again at Tier::Optimized in the background (once) and its stub pointed at
// the new code, also while another thread keeps calling it; unloading the code with a tier-up
// queued or compiling neither crashes nor compiles after the unload.
//
// Which tier ran is made visible by the compiler given to loadLazy: it compiles the optimised tier
// from a second module whose functions return 8 where the first module's return 7.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "../compile/harness.h"

using namespace orca;
using namespace orca::testing;

namespace {

using I32Fn = int32_t (*)(abi::VMContext*, int32_t);

// "value" is called many times; "loop" once, with a loop of `n` iterations; "cold" rarely.
std::string tieredModule(int result) {
  std::string r = std::to_string(result);
  return R"((module
    (func (export "value") (param i32) (result i32) i32.const )" + r + R"()
    (func (export "loop") (param i32) (result i32)
      (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      i32.const )" + r + R"()
    (func (export "cold") (param i32) (result i32) i32.const )" + r + R"()))";
}

ir::Module decodeWat(const std::string& wat) {
  auto bytes = text::watToWasm(wat);
  REQUIRE(bytes.ok());
  auto module = decode::decodeModule(*bytes);
  REQUIRE(module.ok());
  return std::move(*module);
}

bool waitFor(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

struct Tiered {
  std::unique_ptr<jit::Jit> jit;
  ir::Module baseline = decodeWat(tieredModule(7));
  ir::Module optimized = decodeWat(tieredModule(8));
  compile::CompileOptions options;
  std::mutex mutex;
  std::vector<std::pair<uint32_t, compile::Tier>> asked;  // every compile, in order
  std::function<void(uint32_t)> beforeOptimizing = [](uint32_t) {};
  std::shared_ptr<jit::LoadedCode> code;
  abi::StoreContext store{};
  abi::VMContext vmctx{};

  explicit Tiered(uint32_t threshold) {
    jit::JitOptions jitOptions;
    jitOptions.compileThreads = true;
    auto made = jit::Jit::create(testRuntimeSymbols(), jitOptions);
    REQUIRE(made.ok());
    jit = std::move(*made);
    auto trampolines = compile::compileTrampolines(baseline, options);
    REQUIRE(trampolines.ok());
    auto loaded = (jit)->loadLazy(
        std::make_shared<const compile::CompiledModule>(std::move(*trampolines)), {0, 1, 2},
        [this](uint32_t index, compile::Tier tier, const compile::TierCounting* counting) {
          {
            std::lock_guard lock(mutex);
            asked.emplace_back(index, tier);
          }
          if (tier == compile::Tier::Baseline) return compile::compileFunction(baseline, index, options, tier, counting);
          CHECK(counting == nullptr);  // optimised code does not count
          beforeOptimizing(index);
          return compile::compileFunction(optimized, index, options, tier);
        },
        threshold);
    REQUIRE(loaded.ok());
    code = std::move(*loaded);
    vmctx.store = &store;
  }
  int32_t call(const char* symbol, int32_t arg) {
    void* stub = code->lookup(symbol);
    REQUIRE(stub != nullptr);
    return reinterpret_cast<I32Fn>(stub)(&vmctx, arg);
  }
  size_t compiles(uint32_t index, compile::Tier tier) {
    std::lock_guard lock(mutex);
    return static_cast<size_t>(std::count(asked.begin(), asked.end(), std::pair{index, tier}));
  }
};

}  // namespace

TEST_CASE("tiered: a function whose calls or loop iterations reach the threshold runs optimised code") {
  Tiered t(5);
  for (int i = 0; i < 4; ++i) CHECK(t.call("orca_func_0", 0) == 7);
  CHECK(t.compiles(0, compile::Tier::Baseline) == 1);
  CHECK(t.compiles(0, compile::Tier::Optimized) == 0);  // 4 calls: below the threshold
  CHECK(t.call("orca_func_0", 0) == 7);                 // the fifth asks, and runs baseline code
  REQUIRE(waitFor([&] { return t.jit->tierStats().optimized == 1; }));
  CHECK(t.call("orca_func_0", 0) == 8);
  for (int i = 0; i < 100; ++i) CHECK(t.call("orca_func_0", 0) == 8);
  CHECK(t.compiles(0, compile::Tier::Optimized) == 1);  // asked once, however often called

  // Entered once, hot by its loop: tiered up for the next call (the running frame stays baseline).
  CHECK(t.call("orca_func_1", 10) == 7);
  REQUIRE(waitFor([&] { return t.jit->tierStats().optimized == 2; }));
  CHECK(t.call("orca_func_1", 10) == 8);

  for (int i = 0; i < 3; ++i) CHECK(t.call("orca_func_2", 0) == 7);
  CHECK(t.compiles(2, compile::Tier::Optimized) == 0);
  CHECK(t.jit->tierStats().baseline == 3);
}

// Both threads make the first call at once, so one of them may point the stub at the baseline
// code after the tier-up (it resolved the first call and was preempted before updating the stub);
// the baseline code then asks again after another 1000 calls and the stub is repaired. The test
// therefore asks for 100,000 optimised results in a row, not for no baseline result after the
// first optimised one.
TEST_CASE("tiered: the stub is repointed while another thread keeps calling the function") {
  Tiered t(1000);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> eightsInARow{0};
  std::atomic<int> wrong{0};
  std::thread caller([&] {
    abi::StoreContext store{};
    abi::VMContext vmctx{};
    vmctx.store = &store;
    auto fn = reinterpret_cast<I32Fn>(t.code->lookup("orca_func_0"));
    while (!stop.load()) {
      int32_t r = fn(&vmctx, 0);
      if (r == 8) ++eightsInARow;
      else if (r == 7) eightsInARow = 0;
      else ++wrong;  // neither tier's result
    }
  });
  // This thread calls too, so that the counter races (lost counts only delay the tier-up).
  bool reached = waitFor([&] {
    CHECK(t.call("orca_func_0", 0) >= 7);
    return eightsInARow.load() > 100000;
  });
  stop = true;
  caller.join();
  CHECK(reached);
  CHECK(wrong == 0);
  CHECK(t.jit->tierStats().optimized == 1);
  CHECK(t.compiles(0, compile::Tier::Optimized) == 1);
}

TEST_CASE("tiered: unloading the code with tier-ups queued and compiling waits, then compiles nothing") {
  Tiered t(1);
  std::atomic<bool> compiling{false};
  std::atomic<bool> unloaded{false};
  std::atomic<int> afterUnload{0};
  t.beforeOptimizing = [&](uint32_t) {
    if (unloaded) ++afterUnload;
    compiling = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the unload happens meanwhile
  };
  CHECK(t.call("orca_func_0", 0) == 7);  // asks at once (threshold 1)
  CHECK(t.call("orca_func_2", 0) == 7);  // queued behind it (one optimising thread per two cores)
  REQUIRE(waitFor([&] { return compiling.load(); }));
  t.code.reset();  // waits for the compile in progress; the queued one finds the code gone
  unloaded = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(afterUnload == 0);
  CHECK(t.jit->tierStats().optimized == 0);
}
