// Shared helpers of the runtime unit tests.
#pragma once

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "orca/runtime/runtime.h"
#include "orca/text/wat.h"
#include "sha256.h"

namespace orca::runtime::test {

// One engine per test binary: creating a JIT is not free.
inline Engine& sharedEngine() {
  static std::unique_ptr<Engine> engine = [] {
    auto e = Engine::create();
    REQUIRE_MESSAGE(e.ok(), (e.ok() ? "" : e.error().describe()));
    return std::move(*e);
  }();
  return *engine;
}

// An engine that only decodes and validates (no code): for tests that must not depend on
// core/compile.
inline Engine& noCodeEngine() {
  static std::unique_ptr<Engine> engine = [] {
    EngineConfig config;
    config.compileCode = false;
    auto e = Engine::create(config);
    REQUIRE(e.ok());
    return std::move(*e);
  }();
  return *engine;
}

// An engine of its own that compiles at `optLevel`.
inline std::unique_ptr<Engine> engineAtOptLevel(uint8_t optLevel) {
  EngineConfig config;
  config.compile.optLevel = optLevel;
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

// Seals an artifact changed on purpose again (its last 32 bytes are the SHA-256 of the rest), so
// that a test reaches the checks behind the integrity check.
inline void resealArtifact(std::vector<uint8_t>& artifact) {
  artifact.resize(artifact.size() - std::tuple_size_v<Sha256>);
  appendSeal(artifact);
}

inline std::shared_ptr<const Module> compileWat(Engine& engine, std::string_view wat) {
  auto bytes = text::watToWasm(wat);
  REQUIRE_MESSAGE(bytes.ok(), (bytes.ok() ? "" : bytes.error().describe()));
  auto module = Module::compile(engine, *bytes);
  REQUIRE_MESSAGE(module.ok(), (module.ok() ? "" : module.error().describe()));
  return *module;
}

inline std::vector<uint8_t> wasmOf(std::string_view wat) {
  auto bytes = text::watToWasm(wat);
  REQUIRE(bytes.ok());
  return *bytes;
}

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char name[] = "/tmp/orca-cache-test-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path = name;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

inline std::unique_ptr<Engine> cachingEngine(const std::filesystem::path& dir,
                                             uint64_t maxBytes = kDefaultCacheMaxBytes) {
  EngineConfig config;
  config.cacheDirectory = dir.string();
  config.cacheMaxBytes = maxBytes;
  config.compile.optLevel = 0;  // tests recompile often: keep each compile cheap
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

inline RawValue i32(int32_t v) {
  RawValue r{};
  r.i32 = v;
  return r;
}
inline RawValue i64(int64_t v) {
  RawValue r{};
  r.i64 = v;
  return r;
}

// One instance of a module in a store of its own, for tests that call its exports by name.
struct Instantiated {
  std::shared_ptr<const Module> module;
  Store store;
  Instance* instance = nullptr;
  Instantiated(Engine& engine, std::string_view wat) : module(compileWat(engine, wat)), store(engine) {
    reinstallSignalHandlers();
    auto i = store.instantiate(module, {});
    REQUIRE_MESSAGE(i.ok(), (i.ok() ? "" : i.error().describe()));
    instance = *i;
  }
  Func* func(std::string_view name) {
    auto e = instance->exportByName(name);
    REQUIRE(e);
    REQUIRE(e->func());
    return e->func();
  }
  // Calls an export with one i32 argument and one i32 result; the result or the trap's message.
  std::string call(std::string_view name, int32_t arg) {
    RawValue io[1] = {i32(arg)};
    Status s = func(name)->callInPlace(io);
    return s.ok() ? std::to_string(io[0].i32) : s.error().message;
  }
};

// Functions 0-2 of a module that traps three frames deep. With the module's other functions
// after them: $leaf: local.get 0 @1, i32.load offset=4 @3; $middle: call $leaf @3; "outer":
// call $middle @3.
constexpr const char* kThreeFrames = R"(
  (memory 1)
  (func $leaf (param i32) (result i32) local.get 0 i32.load offset=4)
  (func $middle (param i32) (result i32) local.get 0 call $leaf i32.const 1 i32.add)
  (func (export "outer") (param i32) (result i32) local.get 0 call $middle))";

// Calls "outer" of kThreeFrames so that it traps, and checks the trap's frames.
inline void checkThreeFrames(Instantiated& fx) {
  CHECK(fx.call("outer", 65536) == "out of bounds memory access");
  const std::vector<Frame>& frames = fx.store.lastTrap().frames;
  REQUIRE(frames.size() == 3);
  for (uint32_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(frames[i].funcIndex == i);
    CHECK(frames[i].funcOffset == 3);
    CHECK(frames[i].instance == fx.instance);
  }
}

// Calls export "f" with 14 in a fresh store.
inline int32_t callF(Engine& engine, const std::shared_ptr<const Module>& module) {
  Store store(engine);
  auto instance = store.instantiate(module, {});
  REQUIRE(instance.ok());
  RawValue io[1] = {i32(14)};
  REQUIRE((*instance)->exportByName("f")->func()->callInPlace(io).ok());
  return io[0].i32;
}

}  // namespace orca::runtime::test
