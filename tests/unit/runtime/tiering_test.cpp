// Tiered compilation (CompileStrategy::Tiered): traps, their frames, fuel and interruption are the
// same in a function's baseline and optimised code, and a module unloaded while its functions
// are being tiered up goes cleanly.
#include <chrono>
#include <thread>

#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

std::unique_ptr<Engine> tieredEngine(uint32_t threshold) {
  EngineConfig config;
  config.compileStrategy = CompileStrategy::Tiered;
  config.tierUpThreshold = threshold;
  config.compile.interruptible = true;
  config.compile.fuel = true;
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

bool waitForTierUps(const Engine& engine, uint64_t count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (engine.tierStats().optimized < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Fuel that one call of export `name` used (the store starts with plenty: Fixture below).
uint64_t fuelOf(Instantiated& fx, std::string_view name, int32_t arg) {
  uint64_t before = fx.store.fuel();
  CHECK(fx.call(name, arg) != "all fuel consumed");
  return before - fx.store.fuel();
}

struct Fixture : Instantiated {
  Fixture(Engine& engine, std::string_view wat) : Instantiated(engine, wat) { store.setFuel(UINT64_MAX / 2); }
};

const std::string kModule = std::string("(module") + kThreeFrames + R"(
  (func (export "sum") (param i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get 0)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    local.get $acc)
  (func (export "spin") (param i32) (result i32) (loop $l br $l) i32.const 0)))";

}  // namespace

TEST_CASE("tiered: frames, fuel and interruption are the same in baseline and optimised code") {
  auto engine = tieredEngine(/*threshold=*/1000);
  Fixture fx(*engine, kModule);
  checkThreeFrames(fx);  // baseline
  uint64_t baselineFuel = fuelOf(fx, "sum", 100);
  CHECK(fx.call("sum", 100) == "5050");
  // $leaf, $middle and "outer" reach the threshold by calls, "sum" by its loop.
  for (int i = 0; i < 1000; ++i) REQUIRE(fx.call("outer", 0) == "1");
  CHECK(fx.call("sum", 1000) == "500500");
  REQUIRE(waitForTierUps(*engine, 4));
  checkThreeFrames(fx);  // optimised: the stubs lead there now (counted only once repointed)
  CHECK(fx.call("sum", 100) == "5050");
  CHECK(fuelOf(fx, "sum", 100) == baselineFuel);
  CHECK(engine->tierStats().baseline == 4);  // "spin" never ran

  std::thread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fx.store.interrupt();
  });
  CHECK(fx.call("spin", 0) == "interrupted");  // hot by its loop, but the frame stays baseline
  interrupter.join();
  REQUIRE(waitForTierUps(*engine, 5));
  std::thread interrupter2([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fx.store.interrupt();
  });
  CHECK(fx.call("spin", 0) == "interrupted");  // the optimised loop checks too
  interrupter2.join();
}

TEST_CASE("tiered: modules unloaded while their functions tier up go cleanly") {
  auto engine = tieredEngine(/*threshold=*/1);
  for (int round = 0; round < 20; ++round) {
    Fixture fx(*engine, kModule);
    CHECK(fx.call("outer", 0) == "1");  // three tier-ups queued; the module goes at once
    CHECK(fx.call("sum", 3) == "6");
  }
  CHECK(engine->tierStats().baseline == 80);
}
