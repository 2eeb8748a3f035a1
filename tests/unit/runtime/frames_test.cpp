// Backtrace frames name their instruction: the one that trapped (innermost frame) or the call
// (outer frames), by module offset and by offset from the function's body start, at O0 and O2,
// with bounds checks, and from a cache entry; a callee that LLVM inlines is still a frame.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

// Offsets are from each body's start; every body begins with its empty locals vector (one byte).
//   0 $leaf    local.get 0 @1, i32.load offset=4 @3
//   1 $middle  local.get 0 @1, call $leaf @3, i32.const 1 @5, i32.add @7
//   2 "outer"  local.get 0 @1, call $middle @3
//   3 "two"    i32.const 100 @1 (3 bytes), local.get 0 @4, i32.div_s @6, local.get 1 @7, i32.div_s @9
//   4 "fne"    f64.const 1 @1 (9 bytes), local.get 0 @10, f64.load @12, f64.ne @15
//   5 "store"  local.get 0 @1, f64.const 1 @3 (9 bytes), f64.store @12, i32.const 0 @15
//   6 "vadd"   local.get 0 @1, i32x4.splat @3, local.get 0 @5, v128.load @7, i32x4.add @11, ...
//   7 "load8"  local.get 0 @1, local.get 0 @3, i32.load8_s @5, i32.add @8
constexpr const char* kWat = R"((module
  (memory 1)
  (func $leaf (param i32) (result i32) local.get 0 i32.load offset=4)
  (func $middle (param i32) (result i32) local.get 0 call $leaf i32.const 1 i32.add)
  (func (export "outer") (param i32) (result i32) local.get 0 call $middle)
  (func (export "two") (param i32 i32) (result i32)
    i32.const 100 local.get 0 i32.div_s local.get 1 i32.div_s)
  (func (export "fne") (param i32) (result i32) f64.const 1 local.get 0 f64.load f64.ne)
  (func (export "store") (param i32) (result i32) local.get 0 f64.const 1 f64.store i32.const 0)
  (func (export "vadd") (param i32) (result i32)
    local.get 0 i32x4.splat local.get 0 v128.load i32x4.add i32x4.extract_lane 0)
  (func (export "load8") (param i32) (result i32) local.get 0 local.get 0 i32.load8_s i32.add)))";

struct Want {
  uint32_t funcIndex;
  uint32_t funcOffset;
  uint8_t opcode;
};

std::unique_ptr<Engine> makeEngine(unsigned optLevel, MemoryMode mode = MemoryMode::Guarded,
                                   std::string cacheDirectory = {}) {
  EngineConfig config;
  config.compile.optLevel = optLevel;
  config.memoryMode = mode;
  config.cacheDirectory = std::move(cacheDirectory);
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

// Calls `name` in a new instance of kWat and returns the trap's frames after checking them
// against `want`: index, offsets, and the opcode found at the module offset.
std::vector<Frame> trapFrames(Engine& engine, const char* name, std::vector<RawValue> args,
                              const std::vector<Want>& want) {
  reinstallSignalHandlers();
  auto bytes = text::watToWasm(kWat);
  REQUIRE(bytes.ok());
  auto module = Module::compile(engine, *bytes);
  REQUIRE(module.ok());
  Store store(engine);
  auto instance = store.instantiate(*module, {});
  REQUIRE(instance.ok());
  Func* func = (*instance)->exportByName(name)->func();
  std::vector<RawValue> results(1);
  REQUIRE_FALSE(func->call(args, results).ok());
  std::vector<Frame> frames = store.lastTrap().frames;
  REQUIRE(frames.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    const Frame& frame = frames[i];
    CHECK(frame.funcIndex == want[i].funcIndex);
    CHECK(frame.funcOffset == want[i].funcOffset);
    CHECK(frame.moduleOffset == (*module)->ir().functions[want[i].funcIndex].bodyStart + want[i].funcOffset);
    REQUIRE(frame.moduleOffset < bytes->size());
    CHECK((*bytes)[frame.moduleOffset] == want[i].opcode);
    CHECK(frame.instance == *instance);
  }
  return frames;
}

const std::vector<Want> kLoadChain = {{0, 3, 0x28}, {1, 3, 0x10}, {2, 3, 0x10}};

}  // namespace

TEST_CASE("frames: a fault three calls deep names the load and each call, at O0 and O2") {
  auto o0 = makeEngine(0);
  std::vector<Frame> plain = trapFrames(*o0, "outer", {i32(65536)}, kLoadChain);
  // Not inlined: three machine frames.
  CHECK(plain[0].pc != plain[1].pc);
  CHECK(plain[1].pc != plain[2].pc);

  auto o2 = makeEngine(2);
  std::vector<Frame> inlined = trapFrames(*o2, "outer", {i32(65536)}, kLoadChain);
  // $leaf and $middle are inlined into "outer": one machine frame, three wasm frames.
  CHECK(inlined[0].pc == inlined[1].pc);
  CHECK(inlined[1].pc == inlined[2].pc);
}

TEST_CASE("frames: two traps of one kind in one function each name their own instruction") {
  for (unsigned level : {0u, 2u}) {
    CAPTURE(level);
    auto engine = makeEngine(level);
    trapFrames(*engine, "two", {i32(0), i32(1)}, {{3, 6, 0x6d}});
    trapFrames(*engine, "two", {i32(1), i32(0)}, {{3, 9, 0x6d}});
  }
}

// x86 instruction selection folds a load into the instruction that uses its value (here one
// `ucomisd xmm, [mem]` for f64.load and f64.ne), and that instruction carries the user's location:
// the fault must still name the load (or store), at every opt level, scalar or vector.
TEST_CASE("frames: a fault in a load whose value feeds another instruction names the load") {
  for (unsigned level : {0u, 1u, 2u, 3u}) {
    CAPTURE(level);
    auto engine = makeEngine(level);
    trapFrames(*engine, "fne", {i32(65536)}, {{4, 12, 0x2b}});
    trapFrames(*engine, "store", {i32(65536)}, {{5, 12, 0x39}});
    trapFrames(*engine, "vadd", {i32(65536)}, {{6, 7, 0xfd}});
    trapFrames(*engine, "load8", {i32(65536)}, {{7, 5, 0x2c}});
  }
}

TEST_CASE("frames: with explicit bounds checks the check names the load") {
  auto engine = makeEngine(2, MemoryMode::BoundsChecked);
  trapFrames(*engine, "outer", {i32(65536)}, kLoadChain);
}

TEST_CASE("frames: code loaded from a cache entry keeps its offsets") {
  std::string dir = (std::filesystem::temp_directory_path() / ("orca-frames-" + std::to_string(getpid()))).string();
  auto engine = makeEngine(2, MemoryMode::Guarded, dir);
  trapFrames(*engine, "outer", {i32(65536)}, kLoadChain);
  REQUIRE_FALSE(std::filesystem::is_empty(dir));  // the second compile is a cache hit
  trapFrames(*engine, "outer", {i32(65536)}, kLoadChain);
  std::filesystem::remove_all(dir);
}
