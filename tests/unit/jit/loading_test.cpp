// Loading compiled code: symbol lookup, code ranges for the signal handler, unloading.
#include "../compile/harness.h"

using namespace orca;
using namespace orca::testing;

namespace {
int hostGlobal = 0;
}

TEST_CASE("containsPc is true inside loaded code and false elsewhere") {
  uintptr_t fn;
  {
    Instance inst(R"((module (func (export "f") (result i32) i32.const 7)))");
    CHECK(inst.invoke("f").i32() == 7);
    fn = reinterpret_cast<uintptr_t>(inst.code().lookup("orca_func_0"));
    REQUIRE(fn != 0);
    CHECK(inst.code().containsPc(fn));
    CHECK(inst.code().containsPc(fn + 1));
    CHECK(testJit().containsPc(fn));
    CHECK_FALSE(inst.code().containsPc(reinterpret_cast<uintptr_t>(&hostGlobal)));
    CHECK_FALSE(testJit().containsPc(reinterpret_cast<uintptr_t>(&testTrap)));
    CHECK_FALSE(testJit().containsPc(0));
    CHECK(inst.code().lookup("orca_entry_0") != nullptr);
    CHECK(inst.code().lookup("orca_thunk_0") != nullptr);
    CHECK(inst.code().lookup("no_such_symbol") == nullptr);
  }
  // Unloaded with its LoadedCode: the range is gone.
  CHECK_FALSE(testJit().containsPc(fn));
}

TEST_CASE("two instances of the same symbols load side by side") {
  Instance a(R"((module (func (export "f") (result i32) i32.const 1)))");
  Instance b(R"((module (func (export "f") (result i32) i32.const 2)))");
  CHECK(a.invoke("f").i32() == 1);
  CHECK(b.invoke("f").i32() == 2);
  CHECK_FALSE(a.code().containsPc(reinterpret_cast<uintptr_t>(b.code().lookup("orca_func_0"))));
}

#include <execinfo.h>

// The unwinder walks from a host function through JIT frames back into the test: eh_frame of
// loaded code is registered and every function has unwind tables.
TEST_CASE("unwinding passes through JIT frames (eh_frame registration)") {
  std::vector<void*> frames(64);
  int depth = 0;
  std::vector<std::function<void(RawValue*)>> hosts{[&](RawValue*) {
    depth = backtrace(frames.data(), static_cast<int>(frames.size()));
  }};
  Instance inst(R"((module
    (import "host" "probe" (func $probe))
    (func $inner (call $probe))
    (func (export "outer") (call $inner) (call $inner))))", {}, hosts);
  REQUIRE_FALSE(inst.invoke("outer").trap);
  REQUIRE(depth > 0);
  int firstJit = -1;
  int lastJit = -1;
  for (int i = 0; i < depth; ++i) {
    if (testJit().containsPc(reinterpret_cast<uintptr_t>(frames[i]))) {
      if (firstJit < 0) firstJit = i;
      lastJit = i;
    }
  }
  CHECK(firstJit >= 0);
  CHECK(lastJit - firstJit >= 1);  // outer (with $inner inlined) and the entry trampoline
  CHECK(depth > lastJit + 1);
}

#include <atomic>
#include <thread>

// The signal handler reads the code ranges while other threads load and unload modules.
TEST_CASE("containsPc stays exact while other threads load and unload") {
  Instance stable(R"((module (func (export "f") (result i32) i32.const 3)))");
  uintptr_t pc = reinterpret_cast<uintptr_t>(stable.code().lookup("orca_func_0"));
  auto bytes = text::watToWasm(R"((module (func (export "g") (param i32) (result i32) local.get 0)))");
  REQUIRE(bytes.ok());
  auto module = decode::decodeModule(*bytes);
  REQUIRE(module.ok());
  compile::CompileOptions options;
  options.threads = 1;
  auto compiled = compile::compileModule(*module, options);
  REQUIRE(compiled.ok());
  auto shared = std::make_shared<const compile::CompiledModule>(std::move(*compiled));
  std::atomic<bool> stop{false};
  std::atomic<int> loads{0};
  std::atomic<int> failures{0};
  std::thread churn([&] {
    while (!stop.load()) {
      auto loaded = testJit().load(shared);
      if (!loaded.ok() || !(*loaded)->lookup("orca_func_0")) ++failures;
      ++loads;
    }
  });
  int misses = 0;
  for (int i = 0; i < 200000 || loads.load() < 20; ++i) {
    if (!testJit().containsPc(pc) || !stable.code().containsPc(pc)) ++misses;
  }
  stop = true;
  churn.join();
  CHECK(misses == 0);
  CHECK(failures == 0);
  CHECK(loads > 0);
  CHECK(stable.invoke("f").i32() == 3);
}

namespace {
// A module's objects, compiled as the runtime compiles them.
compile::CompiledModule compileWat(const char* wat) {
  auto bytes = text::watToWasm(wat);
  REQUIRE(bytes.ok());
  auto module = decode::decodeModule(*bytes);
  REQUIRE(module.ok());
  auto compiled = compile::compileModule(*module, compile::CompileOptions{});
  REQUIRE(compiled.ok());
  return *compiled;
}
}  // namespace

// Loading failures are Orca's own (the compiler and the loader disagree), never a feature that is
// missing: ErrorKind::Internal, which the spec runner counts as a failure.
TEST_CASE("an object that is not one is an internal error") {
  compile::CompiledModule damaged = compileWat(R"((module (func (export "f"))))");
  REQUIRE_FALSE(damaged.objects.empty());
  damaged.objects[0].assign(64, 0x5a);
  auto loaded = testJit().load(std::make_shared<const compile::CompiledModule>(std::move(damaged)));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::Internal);
  CHECK(loaded.error().message.rfind("jit: ", 0) == 0);
  CHECK(loaded.error().describe().rfind("internal: jit: ", 0) == 0);
}

TEST_CASE("a runtime symbol missing at link time is an internal error") {
  // memory.grow calls orca_rt_memory_grow, which a JIT without runtime functions cannot bind.
  compile::CompiledModule compiled = compileWat(R"((module (memory 1)
    (func (export "grow") (result i32) i32.const 1 memory.grow)))");
  auto bare = jit::Jit::create({});
  REQUIRE(bare.ok());
  auto loaded = (*bare)->load(std::make_shared<const compile::CompiledModule>(std::move(compiled)));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::Internal);
  CHECK(loaded.error().message.rfind("jit: ", 0) == 0);
}

// The source map is read from the objects' DWARF on the first sourceFrames call, which two threads
// (two stores trapping at once) may make together: both get the whole map.
TEST_CASE("the source map, read on first use, is the same for threads that ask at once") {
  Instance inst(R"((module
    (func (export "f") (param i32) (result i32) local.get 0 i32.const 3 i32.div_s)))");
  auto fn = reinterpret_cast<uintptr_t>(inst.code().lookup("orca_func_0"));
  REQUIRE(fn != 0);
  std::vector<jit::SourceFrame> seen[2];
  std::thread other([&] { seen[1] = inst.code().sourceFrames(fn); });
  seen[0] = inst.code().sourceFrames(fn);
  other.join();
  REQUIRE_FALSE(seen[0].empty());
  CHECK(seen[0][0].funcIndex == 0);
  CHECK(seen[0][0].moduleOffset >= inst.module().functions[0].bodyStart);
  CHECK(seen[0] == seen[1]);
}
