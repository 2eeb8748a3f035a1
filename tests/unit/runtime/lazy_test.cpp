// Lazy compilation (CompileStrategy::Lazy): a function compiles on its first call, exactly once
// however many threads call it at once, and everything that reaches code (direct calls,
// call_indirect, funcrefs taken from a table) reaches the compiled code; traps, frames, fuel,
// interruption and stack limits work as in eagerly compiled code.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "helpers.h"
#include "orca/compile/compile.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

std::unique_ptr<Engine> lazyEngine(bool interruptible = false, std::string cacheDirectory = {}) {
  EngineConfig config;
  config.compileStrategy = CompileStrategy::Lazy;
  config.compile.interruptible = interruptible;
  config.compile.fuel = interruptible;
  config.cacheDirectory = std::move(cacheDirectory);
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

constexpr const char* kCalls = R"((module
  (type $t (func (param i32) (result i32)))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $double $square)
  (func $double (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  (func $square (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func $unused (param i32) (result i32) local.get 0)
  (func (export "direct") (param i32) (result i32) local.get 0 call $double)
  (func (export "indirect") (param i32) (result i32) local.get 0 local.get 0 call_indirect (type $t))
  (func (export "fact") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) i32.const 1
    else local.get 0 local.get 0 i32.const 1 i32.sub call 5 i32.mul end)))";

}  // namespace

TEST_CASE("lazy: a function compiles on its first call, once, and only the functions called do") {
  auto engine = lazyEngine();
  uint64_t modulesBefore = compile::modulesCompiled();
  uint64_t before = compile::functionsCompiled();
  Instantiated fx(*engine, kCalls);
  CHECK(compile::modulesCompiled() == modulesBefore);  // no whole-module compile
  CHECK(compile::functionsCompiled() == before);       // nothing called yet
  CHECK(fx.call("direct", 21) == "42");
  CHECK(compile::functionsCompiled() == before + 2);   // "direct" and $double
  CHECK(fx.call("direct", 5) == "10");
  CHECK(compile::functionsCompiled() == before + 2);   // compiled code is reused
  CHECK(fx.call("fact", 10) == "3628800");             // recursion through its own stub
  CHECK(compile::functionsCompiled() == before + 3);
  // A second instance of the module shares its code.
  Store other(*engine);
  auto second = other.instantiate(fx.module, {});
  REQUIRE(second.ok());
  RawValue io[1] = {i32(4)};
  REQUIRE((*second)->exportByName("direct")->func()->callInPlace(io).ok());
  CHECK(io[0].i32 == 8);
  CHECK(compile::functionsCompiled() == before + 3);
}

TEST_CASE("lazy: call_indirect and funcrefs taken from a table reach lazily compiled code") {
  auto engine = lazyEngine();
  Instantiated fx(*engine, kCalls);
  CHECK(fx.call("indirect", 0) == "0");  // table[0] = $double
  CHECK(fx.call("indirect", 1) == "1");  // table[1] = $square
  CHECK(fx.call("indirect", 2) == "undefined element");
  // The host calls $square through the table before wasm ever called it through the table.
  Table* table = fx.instance->exportByName("table")->table();
  REQUIRE(table);
  auto square = table->get(1);
  REQUIRE(square.ok());
  Func* f = Func::fromRef(*square);
  REQUIRE(f);
  RawValue io[1] = {i32(9)};
  REQUIRE(f->callInPlace(io).ok());
  CHECK(io[0].i32 == 81);
}

TEST_CASE("lazy: a trap inside a lazily compiled function names each frame") {
  auto engine = lazyEngine();
  Instantiated fx(*engine, std::string("(module") + kThreeFrames + R"(
    (func (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_u)))");
  checkThreeFrames(fx);
  // The same trap again, now that the code is compiled, and a trap of another kind.
  CHECK(fx.call("outer", 65536) == "out of bounds memory access");
  CHECK(fx.store.lastTrap().frames.size() == 3);
  CHECK(fx.call("div", 0) == "integer divide by zero");
  REQUIRE(fx.store.lastTrap().frames.size() == 1);
  CHECK(fx.store.lastTrap().frames[0].funcIndex == 3);
  CHECK(fx.call("outer", 0) == "1");
}

TEST_CASE("lazy: threads calling the same uncompiled function at once all get its code, compiled once") {
  auto engine = lazyEngine();
  auto module = compileWat(*engine, R"((module
    (func $work (param i32) (result i32) (local $acc i32)
      (loop $l
        (local.set $acc (i32.add (local.get $acc) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br_if $l (local.get 0)))
      (local.get $acc))
    (func (export "run") (param i32) (result i32) local.get 0 call $work)
    (func (export "trap") (param i32) (result i32) unreachable)))");
  uint64_t before = compile::functionsCompiled();
  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store store(*engine);
      auto inst = store.instantiate(module, {});
      if (!inst.ok()) return void(++failures);
      Func* run = (*inst)->exportByName("run")->func();
      Func* trap = (*inst)->exportByName("trap")->func();
      // Every thread waits for all the others: the first calls happen together.
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      RawValue io[1] = {i32(100 + t)};
      if (!run->callInPlace(io).ok() || io[0].i32 != (100 + t) * (101 + t) / 2) ++failures;
      Status s = trap->callInPlace(io);
      if (s.ok() || s.error().message != "unreachable") ++failures;
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(compile::functionsCompiled() == before + 3);
}

TEST_CASE("lazy: fuel, interruption and stack exhaustion trap in lazily compiled code") {
  auto engine = lazyEngine(/*interruptible=*/true);
  Instantiated fx(*engine, R"((module
    (func $spin (loop $l br $l))
    (func (export "spin") (param i32) (result i32) call $spin i32.const 0)
    (func $down (param i32) (result i32) local.get 0 i32.const 1 i32.add call $down)
    (func (export "recurse") (param i32) (result i32) local.get 0 call $down)))");
  fx.store.setFuel(10000);
  CHECK(fx.call("spin", 0) == "all fuel consumed");
  fx.store.setFuel(UINT64_MAX);
  std::thread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fx.store.interrupt();
  });
  CHECK(fx.call("spin", 0) == "interrupted");
  interrupter.join();
  CHECK(fx.call("recurse", 0) == "call stack exhausted");
}

TEST_CASE("lazy: serialize compiles the whole module; a cache entry serves a lazy engine, a miss writes none") {
  auto lazy = lazyEngine();
  auto module = compileWat(*lazy, kCalls);
  uint64_t before = compile::modulesCompiled();
  auto artifact = module->serialize();
  REQUIRE(artifact.ok());
  CHECK(compile::modulesCompiled() == before + 1);
  auto eager = Engine::create();
  REQUIRE(eager.ok());
  auto loaded = Module::deserialize(**eager, *artifact);
  REQUIRE(loaded.ok());
  Store store(**eager);
  auto inst = store.instantiate(*loaded, {});
  REQUIRE(inst.ok());
  RawValue io[1] = {i32(7)};
  REQUIRE((*inst)->exportByName("direct")->func()->callInPlace(io).ok());
  CHECK(io[0].i32 == 14);

  TempDir dir;
  auto cachedLazy = lazyEngine(false, dir.path.string());
  std::vector<uint8_t> bytes = wasmOf(kCalls);
  REQUIRE(Module::compile(*cachedLazy, bytes).ok());
  CHECK(cachedLazy->cacheStats().misses == 1);
  CHECK(std::filesystem::is_empty(dir.path));
  // An eager engine of the same options writes the entry; the lazy engine then loads it.
  EngineConfig eagerConfig;
  eagerConfig.cacheDirectory = dir.path.string();
  auto cachedEager = Engine::create(eagerConfig);
  REQUIRE(cachedEager.ok());
  REQUIRE(Module::compile(**cachedEager, bytes).ok());
  CHECK_FALSE(std::filesystem::is_empty(dir.path));
  uint64_t functionsBefore = compile::functionsCompiled();
  auto hit = Module::compile(*cachedLazy, bytes);
  REQUIRE(hit.ok());
  CHECK(cachedLazy->cacheStats().hits == 1);
  Store cachedStore(*cachedLazy);
  auto cachedInst = cachedStore.instantiate(*hit, {});
  REQUIRE(cachedInst.ok());
  io[0] = i32(8);
  REQUIRE((*cachedInst)->exportByName("direct")->func()->callInPlace(io).ok());
  CHECK(io[0].i32 == 16);
  CHECK(compile::functionsCompiled() == functionsBefore);  // the entry's code, nothing compiled
}
