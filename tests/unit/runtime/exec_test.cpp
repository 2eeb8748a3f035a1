// Running compiled code: calls, traps of every kind (explicit and from signals), the guard
// region's very edge, host functions called from wasm, re-entrancy, deep recursion on small
// threads, fuel and interruption, backtraces, start functions, cross-instance linking.
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "../../../core/runtime/src/internal.h"
#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

struct Fixture {
  Engine& engine;
  Store store;
  Instance* inst = nullptr;

  explicit Fixture(std::string_view wat, std::vector<Extern> imports = {}, Engine& e = sharedEngine())
      : engine(e), store(e) {
    // doctest installs its own crash handlers around every test case, in front of Orca's: put
    // Orca's back in front (they chain to doctest's for faults that are not wasm's).
    reinstallSignalHandlers();
    auto module = compileWat(engine, wat);
    auto i = store.instantiate(module, imports);
    REQUIRE_MESSAGE(i.ok(), (i.ok() ? "" : i.error().describe()));
    inst = *i;
  }

  Func* func(std::string_view name) {
    auto e = inst->exportByName(name);
    REQUIRE(e);
    REQUIRE(e->func());
    return e->func();
  }

  // Calls an export with i32/i64 arguments; returns the status and fills `results`.
  Status call(std::string_view name, std::vector<RawValue> args, std::vector<RawValue>* results = nullptr) {
    Func* f = func(name);
    std::vector<RawValue> out(f->type().results.size());
    Status s = f->call(args, out);
    if (results) *results = out;
    return s;
  }

  std::string trap(std::string_view name, std::vector<RawValue> args = {}) {
    Status s = call(name, std::move(args));
    REQUIRE_FALSE(s.ok());
    return s.error().message;
  }
};

}  // namespace

TEST_CASE("exec: calls with parameters and results") {
  Fixture fx(R"((module
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "swap") (param i64 f64) (result f64 i64) local.get 1 local.get 0)
    (func (export "nothing"))))");
  std::vector<RawValue> r;
  REQUIRE(fx.call("add", {i32(40), i32(2)}, &r).ok());
  CHECK(r[0].i32 == 42);
  RawValue d{};
  d.f64 = 2.5;
  REQUIRE(fx.call("swap", {i64(-7), d}, &r).ok());
  CHECK(r[0].f64 == 2.5);
  CHECK(r[1].i64 == -7);
  CHECK(fx.call("nothing", {}).ok());
}

TEST_CASE("exec: traps of each kind carry the spec message") {
  Fixture fx(R"((module
    (type $v (func))
    (type $i (func (result i32)))
    (memory 1)
    (table 3 funcref)
    (elem (i32.const 0) $v0 $i0)
    (func $v0)
    (func $i0 (result i32) i32.const 1)
    (func (export "unreachable") unreachable)
    (func (export "div0") (result i32) i32.const 1 i32.const 0 i32.div_s)
    (func (export "overflow") (result i32) i32.const 0x80000000 i32.const -1 i32.div_s)
    (func (export "conversion") (result i32) f32.const nan i32.trunc_f32_s)
    (func (export "load") (param i32) (result i32) local.get 0 i32.load)
    (func (export "store") (param i32) local.get 0 i32.const 1 i32.store)
    (func (export "undefined") i32.const 3 call_indirect (type $v))
    (func (export "uninitialized") i32.const 2 call_indirect (type $v))
    (func (export "mismatch") i32.const 1 call_indirect (type $v))
    (func (export "indirect-ok") (result i32) i32.const 1 call_indirect (type $i))
    (func (export "table-get") (result funcref) i32.const 3 table.get 0)
    (func (export "fill") i32.const 65530 i32.const 0 i32.const 7 memory.fill)))");
  CHECK(fx.trap("unreachable") == "unreachable");
  CHECK(fx.store.lastTrap().code == TrapCode::Unreachable);
  CHECK(fx.trap("div0") == "integer divide by zero");
  CHECK(fx.trap("overflow") == "integer overflow");
  CHECK(fx.trap("conversion") == "invalid conversion to integer");
  CHECK(fx.trap("load", {i32(65533)}) == "out of bounds memory access");
  CHECK(fx.trap("load", {i32(-1)}) == "out of bounds memory access");
  CHECK(fx.trap("store", {i32(65536)}) == "out of bounds memory access");
  CHECK(fx.call("load", {i32(65532)}).ok());
  CHECK(fx.trap("undefined") == "undefined element");
  CHECK(fx.trap("uninitialized") == "uninitialized element");
  CHECK(fx.trap("mismatch") == "indirect call type mismatch");
  std::vector<RawValue> r;
  REQUIRE(fx.call("indirect-ok", {}, &r).ok());
  CHECK(r[0].i32 == 1);
  CHECK(fx.trap("table-get") == "out of bounds table access");
  CHECK(fx.trap("fill") == "out of bounds memory access");
  // Traps leave the store usable.
  CHECK(fx.call("load", {i32(0)}).ok());
}

TEST_CASE("exec: accesses at the very edge of the 8 GiB guard region trap") {
  Fixture fx(R"((module
    (memory 1)
    (func (export "edge32") (param i32) (result i32) local.get 0 i32.load offset=0xFFFFFFFF)
    (func (export "edge64") (param i32) (result i64) local.get 0 i64.load offset=0xFFFFFFFF)
    (func (export "edge8") (param i32) (result i32) local.get 0 i32.load8_u offset=0xFFFFFFFF)
    (func (export "last") (result i32) i32.const 65535 i32.load8_u)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
    (func (export "size") (result i32) memory.size)))");
  for (int32_t addr : {0, 1, 65536, -1}) {
    CHECK(fx.trap("edge32", {i32(addr)}) == "out of bounds memory access");
    CHECK(fx.trap("edge64", {i32(addr)}) == "out of bounds memory access");
    CHECK(fx.trap("edge8", {i32(addr)}) == "out of bounds memory access");
  }
  std::vector<RawValue> r;
  REQUIRE(fx.call("last", {}, &r).ok());
  CHECK(fx.call("grow", {i32(2)}, &r).ok());
  CHECK(r[0].i32 == 1);
  CHECK(fx.call("size", {}, &r).ok());
  CHECK(r[0].i32 == 3);
  CHECK(fx.call("grow", {i32(65536)}, &r).ok());
  CHECK(r[0].i32 == -1);
}

TEST_CASE("exec: host functions called from wasm; errors and exceptions trap; re-entrancy") {
  Engine& engine = sharedEngine();
  Store store(engine);
  reinstallSignalHandlers();  // in front of doctest's handlers (see Fixture)
  ir::FuncType binary{{ir::ValType::I32, ir::ValType::I32}, {ir::ValType::I32}};
  int calls = 0;
  auto mul = store.createHostFunc(binary, [&](Caller&, const RawValue* a, RawValue* r) -> Status {
    ++calls;
    r[0].i32 = a[0].i32 * a[1].i32;
    return {};
  });
  auto fail = store.createHostFunc(binary, [](Caller&, const RawValue*, RawValue*) -> Status {
    return makeError(ErrorKind::Trap, "host failure 17");
  });
  auto boom = store.createHostFunc(binary, [](Caller&, const RawValue*, RawValue*) -> Status {
    throw std::runtime_error("kaboom");
  });
  Func* wasmDiv = nullptr;
  auto reenter = store.createHostFunc(binary, [&](Caller&, const RawValue* a, RawValue* r) -> Status {
    RawValue args[2] = {a[0], a[1]};
    Status s = wasmDiv->call(args, {r, 1});
    return s;
  });
  REQUIRE((mul.ok() && fail.ok() && boom.ok() && reenter.ok()));
  auto module = compileWat(engine, R"((module
    (import "h" "mul" (func $mul (param i32 i32) (result i32)))
    (import "h" "fail" (func $fail (param i32 i32) (result i32)))
    (import "h" "boom" (func $boom (param i32 i32) (result i32)))
    (import "h" "reenter" (func $reenter (param i32 i32) (result i32)))
    (table 1 funcref)
    (elem (i32.const 0) $mul)
    (func (export "square") (param i32) (result i32) local.get 0 local.get 0 call $mul)
    (func (export "indirect") (param i32) (result i32)
      local.get 0 i32.const 3 i32.const 0 call_indirect (param i32 i32) (result i32))
    (func (export "fail") (result i32) i32.const 1 i32.const 2 call $fail)
    (func (export "boom") (result i32) i32.const 1 i32.const 2 call $boom)
    (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u)
    (func (export "reenter") (param i32 i32) (result i32) local.get 0 local.get 1 call $reenter)))");
  auto inst = store.instantiate(module, {Extern(*mul), Extern(*fail), Extern(*boom), Extern(*reenter)});
  REQUIRE_MESSAGE(inst.ok(), (inst.ok() ? "" : inst.error().describe()));
  auto get = [&](const char* name) { return (*inst)->exportByName(name)->func(); };
  wasmDiv = get("div");
  RawValue r{};
  RawValue seven = i32(7);
  REQUIRE(get("square")->call({&seven, 1}, {&r, 1}).ok());
  CHECK(r.i32 == 49);
  REQUIRE(get("indirect")->call({&seven, 1}, {&r, 1}).ok());
  CHECK(r.i32 == 21);
  CHECK(calls == 2);
  Status s = get("fail")->call({}, {&r, 1});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::Trap);
  CHECK(s.error().message == "host failure 17");
  s = get("boom")->call({}, {&r, 1});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("kaboom") != std::string::npos);
  RawValue args[2] = {i32(12), i32(4)};
  REQUIRE(get("reenter")->call(args, {&r, 1}).ok());
  CHECK(r.i32 == 3);
  args[1] = i32(0);
  s = get("reenter")->call(args, {&r, 1});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "integer divide by zero");
}

TEST_CASE("exec: raw host functions: one array in and out, failure tokens, exceptions, the caller") {
  Engine& engine = sharedEngine();
  reinstallSignalHandlers();  // in front of doctest's handlers (see Fixture)
  ir::FuncType binary{{ir::ValType::I32, ir::ValType::I32}, {ir::ValType::I32}};
  struct Seen {
    size_t count = 0;
    Instance* caller = nullptr;
    int failures = 0;
  } seen;
  static const char* const kToken = "raw failure 23";
  auto mul = [](void* env, Caller& caller, RawValue* io, size_t count) -> void* {
    auto* s = static_cast<Seen*>(env);
    s->count = count;
    s->caller = caller.instance();
    io[0].i32 = io[0].i32 * io[1].i32;
    return nullptr;
  };
  auto fail = [](void*, Caller&, RawValue*, size_t) -> void* { return const_cast<char*>(kToken); };
  auto boom = [](void*, Caller&, RawValue*, size_t) -> void* { throw std::runtime_error("raw kaboom"); };
  static Seen* failureSeen = &seen;
  auto failure = [](void* token) {
    ++failureSeen->failures;
    return makeError(ErrorKind::Trap, static_cast<const char*>(token));
  };
  bool finalized = false;
  std::shared_ptr<const Module> module = compileWat(engine, R"((module
    (import "h" "mul" (func $mul (param i32 i32) (result i32)))
    (import "h" "fail" (func $fail (param i32 i32) (result i32)))
    (import "h" "boom" (func $boom (param i32 i32) (result i32)))
    (func (export "square") (param i32) (result i32) local.get 0 local.get 0 call $mul)
    (func (export "fail") (result i32) i32.const 1 i32.const 2 call $fail)
    (func (export "boom") (result i32) i32.const 1 i32.const 2 call $boom)))");
  {
    Store store(engine);
    auto mulFunc = store.createRawHostFunc(binary, mul, &seen, failure, [&] { finalized = true; });
    auto failFunc = store.createRawHostFunc(binary, fail, nullptr, failure);
    auto boomFunc = store.createRawHostFunc(binary, boom, nullptr, failure);
    REQUIRE((mulFunc.ok() && failFunc.ok() && boomFunc.ok()));
    CHECK((*mulFunc)->slots() == 2);
    auto inst = store.instantiate(module, {Extern(*mulFunc), Extern(*failFunc), Extern(*boomFunc)});
    REQUIRE_MESSAGE(inst.ok(), (inst.ok() ? "" : inst.error().describe()));
    auto get = [&](const char* name) { return (*inst)->exportByName(name)->func(); };
    RawValue r{};
    RawValue nine = i32(9);
    REQUIRE(get("square")->call({&nine, 1}, {&r, 1}).ok());
    CHECK(r.i32 == 81);
    CHECK(seen.count == 2);
    CHECK(seen.caller == *inst);
    Status s = get("fail")->call({}, {&r, 1});
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == kToken);
    CHECK(seen.failures == 1);
    CHECK(store.lastTrap().code == TrapCode::HostError);
    s = get("boom")->call({}, {&r, 1});
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.find("raw kaboom") != std::string::npos);
    // From the host: no calling instance; the same array in callInPlace, a copy in call.
    RawValue io[2] = {i32(6), i32(7)};
    REQUIRE((*mulFunc)->callInPlace(io).ok());
    CHECK(io[0].i32 == 42);
    CHECK(seen.caller == nullptr);
    RawValue args[2] = {i32(3), i32(5)};
    REQUIRE((*mulFunc)->call(args, {&r, 1}).ok());
    CHECK(r.i32 == 15);
    CHECK(args[0].i32 == 3);
    s = (*failFunc)->call(args, {&r, 1});
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == kToken);
    CHECK(seen.failures == 2);
    s = (*boomFunc)->callInPlace(io);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.find("raw kaboom") != std::string::npos);
    CHECK_FALSE(finalized);
  }
  CHECK(finalized);  // with the store
}

TEST_CASE("exec: backtraces name the wasm frames, innermost first") {
  // Calls through a table so that LLVM cannot inline the callees away.
  Fixture fx(R"((module
    (type $t (func (param i32) (result i32)))
    (table 2 funcref)
    (elem (i32.const 0) $inner $middle)
    (func $inner (param i32) (result i32) local.get 0 i32.const 0 i32.div_s)
    (func $middle (param i32) (result i32) local.get 0 i32.const 0 call_indirect (type $t) i32.const 1 i32.add)
    (func $outer (export "outer") (param i32) (result i32)
      local.get 0 i32.const 1 call_indirect (type $t) i32.const 1 i32.add)))");
  CHECK(fx.trap("outer", {i32(5)}) == "integer divide by zero");
  const Trap& trap = fx.store.lastTrap();
  REQUIRE(trap.frames.size() >= 3);
  CHECK(trap.frames[0].funcName == "inner");
  CHECK(trap.frames[1].funcName == "middle");
  CHECK(trap.frames[2].funcName == "outer");
  CHECK(trap.frames[2].funcIndex == 2);
  CHECK(trap.frames[0].instance == fx.inst);
}

namespace {

struct RecursionRun {
  Func* func;
  std::string first, second;
  bool okAfter = false;
};

void* recursionThread(void* arg) {
  auto* run = static_cast<RecursionRun*>(arg);
  RawValue r{};
  RawValue n = i32(100000000);
  Status s = run->func->call({&n, 1}, {&r, 1});
  run->first = s.ok() ? "ok" : s.error().message;
  s = run->func->call({&n, 1}, {&r, 1});
  run->second = s.ok() ? "ok" : s.error().message;
  n = i32(10);
  run->okAfter = run->func->call({&n, 1}, {&r, 1}).ok() && r.i32 == 5;  // n - f(n-1)
  return nullptr;
}

}  // namespace

TEST_CASE("exec: deep recursion traps \"call stack exhausted\" on small and large threads") {
  Fixture fx(R"((module
    (func $down (export "down") (param i32) (result i32)
      local.get 0 i32.eqz
      if (result i32) i32.const 0
      else local.get 0 local.get 0 i32.const 1 i32.sub call $down i32.sub end)
    (func $big (export "big") (param i32) (result i32)
      (local v128 v128 v128 v128 v128 v128 v128 v128)
      local.get 0 i32.eqz
      if (result i32) i32.const 0
      else local.get 0 local.get 0 i32.const 1 i32.sub call $big i32.sub end)))");
  for (size_t stackSize : {size_t(256) << 10, size_t(1) << 20, size_t(8) << 20}) {
    CAPTURE(stackSize);
    RecursionRun run{fx.func("down"), {}, {}, false};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stackSize);
    pthread_t thread;
    REQUIRE(pthread_create(&thread, &attr, &recursionThread, &run) == 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    CHECK(run.first == "call stack exhausted");
    CHECK(run.second == "call stack exhausted");
    CHECK(run.okAfter);
  }
  CHECK(fx.trap("down", {i32(100000000)}) == "call stack exhausted");
  std::vector<RawValue> r;
  REQUIRE(fx.call("down", {i32(1000)}, &r).ok());
  CHECK(r[0].i32 == 500);
  CHECK(fx.trap("big", {i32(100000000)}) == "call stack exhausted");
}

TEST_CASE("exec: start function runs at instantiation; its trap fails instantiation") {
  Engine& engine = sharedEngine();
  Store store(engine);
  reinstallSignalHandlers();  // in front of doctest's handlers (see Fixture)
  auto mem = store.createMemory({{1, std::nullopt}});
  REQUIRE(mem.ok());
  auto ok = compileWat(engine, R"((module (import "m" "mem" (memory 1))
    (func $s i32.const 0 i32.const 99 i32.store8) (start $s)))");
  REQUIRE(store.instantiate(ok, {Extern(*mem)}).ok());
  CHECK((*mem)->data()[0] == 99);
  auto bad = compileWat(engine, R"((module (import "m" "mem" (memory 1))
    (func $s i32.const 1 i32.const 98 i32.store8 unreachable) (start $s)))");
  auto inst = store.instantiate(bad, {Extern(*mem)});
  REQUIRE_FALSE(inst.ok());
  CHECK(inst.error().kind == ErrorKind::Trap);
  CHECK(inst.error().message == "unreachable");
  CHECK((*mem)->data()[1] == 98);
}

TEST_CASE("exec: linking across instances (functions, tables, globals, memories)") {
  Engine& engine = sharedEngine();
  Store store(engine);
  reinstallSignalHandlers();  // in front of doctest's handlers (see Fixture)
  auto a = compileWat(engine, R"((module
    (memory (export "mem") 1)
    (global (export "g") (mut i32) (i32.const 5))
    (table (export "tab") 2 funcref)
    (elem (i32.const 0) $get)
    (func $get (export "get") (result i32) global.get 0)
    (func (export "peek") (result i32) i32.const 8 i32.load)))");
  auto ia = store.instantiate(a, {});
  REQUIRE(ia.ok());
  auto b = compileWat(engine, R"((module
    (import "a" "get" (func $get (result i32)))
    (import "a" "mem" (memory 1))
    (import "a" "g" (global $g (mut i32)))
    (import "a" "tab" (table 2 funcref))
    (type $r (func (result i32)))
    (func (export "run") (result i32)
      i32.const 8 i32.const 1234 i32.store
      i32.const 6 global.set $g
      call $get
      i32.const 0 call_indirect (type $r)
      i32.add)))");
  Instance& A = **ia;
  auto ib = store.instantiate(b, {*A.exportByName("get"), *A.exportByName("mem"), *A.exportByName("g"),
                                  *A.exportByName("tab")});
  REQUIRE(ib.ok());
  RawValue r{};
  REQUIRE((*ib)->exportByName("run")->func()->call({}, {&r, 1}).ok());
  CHECK(r.i32 == 12);
  REQUIRE(A.exportByName("peek")->func()->call({}, {&r, 1}).ok());
  CHECK(r.i32 == 1234);
}

TEST_CASE("exec: bulk memory and table instructions through the runtime functions") {
  Fixture fx(R"((module
    (memory 1)
    (table 4 funcref)
    (func $f)
    (elem $e func $f $f)
    (data $d "hello")
    (func (export "init") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $d)
    (func (export "drop") data.drop $d)
    (func (export "tinit") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.init $e)
    (func (export "edrop") elem.drop $e)
    (func (export "byte") (param i32) (result i32) local.get 0 i32.load8_u)))");
  CHECK(fx.call("init", {i32(10), i32(1), i32(4)}).ok());
  std::vector<RawValue> r;
  REQUIRE(fx.call("byte", {i32(10)}, &r).ok());
  CHECK(r[0].i32 == 'e');
  CHECK(fx.trap("init", {i32(10), i32(2), i32(4)}) == "out of bounds memory access");
  CHECK(fx.call("drop", {}).ok());
  CHECK(fx.call("init", {i32(10), i32(0), i32(0)}).ok());
  CHECK(fx.trap("init", {i32(10), i32(0), i32(1)}) == "out of bounds memory access");
  CHECK(fx.call("tinit", {i32(2), i32(0), i32(2)}).ok());
  CHECK(fx.trap("tinit", {i32(3), i32(0), i32(2)}) == "out of bounds table access");
  CHECK(fx.call("edrop", {}).ok());
  CHECK(fx.trap("tinit", {i32(0), i32(0), i32(1)}) == "out of bounds table access");
}

TEST_CASE("exec: fuel and interruption") {
  EngineConfig config;
  config.compile.fuel = true;
  config.compile.interruptible = true;
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  const char* wat = R"((module
    (func (export "spin") (loop $l br $l))
    (func (export "count") (param i32) (result i32)
      (loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l) local.get 0)))";
  Fixture fx(wat, {}, **engine);
  fx.store.setFuel(1000);
  CHECK(fx.trap("spin") == "all fuel consumed");
  fx.store.setFuel(1'000'000);
  std::vector<RawValue> r;
  REQUIRE(fx.call("count", {i32(100)}, &r).ok());
  CHECK(fx.store.fuel() < 1'000'000);
  CHECK(fx.store.fuel() > 1'000'000 - 10'000);

  fx.store.setFuel(UINT64_MAX);
  std::thread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fx.store.interrupt();
  });
  CHECK(fx.trap("spin") == "interrupted");
  interrupter.join();
  CHECK(fx.store.lastTrap().code == TrapCode::Interrupted);
  // The flag is consumed: the next call runs.
  CHECK(fx.call("count", {i32(3)}, &r).ok());
}

namespace {

struct BigFrameRun {
  Func* func;
  std::string result;
};

void* bigFrameThread(void* arg) {
  auto* run = static_cast<BigFrameRun*>(arg);
  RawValue n = i32(1000000), r{};
  Status s = run->func->call({&n, 1}, {&r, 1});
  run->result = s.ok() ? "ok" : s.error().message;
  return nullptr;
}

}  // namespace

TEST_CASE("exec: frames larger than the safety margin hit the guard page and still trap cleanly") {
  // At -O0 every wasm local keeps its own stack slot: 20000 i64 locals make a ~160 KiB frame.
  // On a 256 KiB thread the first frame fits above the 64 KiB margin and the second cannot fit in
  // the stack at all: its inline stack probes fault in the guard page below the stack, which must
  // be classified as stack exhaustion, not as a memory access.
  auto o0 = engineAtOptLevel(0);
  std::string wat = "(module (func $huge (export \"huge\") (param i32) (result i32) (local";
  for (int i = 0; i < 20000; ++i) wat += " i64";
  wat += ")\n(if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else "
         "(i32.sub (local.get 0) (call $huge (i32.sub (local.get 0) (i32.const 1))))))))";
  Fixture fx(wat, {}, *o0);
  BigFrameRun run{fx.func("huge"), {}};
  uint64_t faultsBefore = claimedFaultCount();
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(256) << 10);
  pthread_t thread;
  REQUIRE(pthread_create(&thread, &attr, &bigFrameThread, &run) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  CHECK(run.result == "call stack exhausted");
  CHECK(claimedFaultCount() > faultsBefore);  // it was the guard page, not the prologue check
}

namespace {

sigjmp_buf gOuterJump;
std::atomic<int> gOuterHandled{0};
std::atomic<bool> gOuterArmed{false};

void outerHandler(int sig, siginfo_t*, void*) {
  if (gOuterArmed.exchange(false)) {
    ++gOuterHandled;
    siglongjmp(gOuterJump, 1);
  }
  signal(sig, SIG_DFL);
}

}  // namespace

TEST_CASE("exec: with another runtime's handler installed first, wasm faults are ours and other faults are theirs") {
  Fixture fx(R"((module (memory 1) (func (export "oob") (result i32) i32.const 70000 i32.load)))");
  struct sigaction sa {};
  sa.sa_sigaction = &outerHandler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  REQUIRE(sigaction(SIGSEGV, &sa, nullptr) == 0);
  reinstallSignalHandlers();
  CHECK(fx.trap("oob") == "out of bounds memory access");
  CHECK(gOuterHandled == 0);
  if (sigsetjmp(gOuterJump, 0) == 0) {
    gOuterArmed = true;
    // An address read at run time: GCC 12 reports a store to a constant one as an array overflow.
    volatile uintptr_t address = 8;
    *reinterpret_cast<volatile int*>(address) = 1;
  }
  CHECK(gOuterHandled == 1);
  CHECK(fx.trap("oob") == "out of bounds memory access");
}

TEST_CASE("exec: a host function sees its calling instance and that instance's memory") {
  Engine& engine = sharedEngine();
  Store store(engine);
  reinstallSignalHandlers();
  Instance* seen = nullptr;
  auto readByte = store.createHostFunc({{ir::ValType::I32}, {ir::ValType::I32}},
                                       [&](Caller& caller, const RawValue* a, RawValue* r) -> Status {
                                         seen = caller.instance();
                                         if (!seen) return makeError(ErrorKind::Trap, "no caller");
                                         auto mem = seen->exportByName("memory");
                                         if (!mem || !mem->memory()) return makeError(ErrorKind::Trap, "no memory");
                                         r[0].i32 = mem->memory()->data()[a[0].i32];
                                         return {};
                                       });
  REQUIRE(readByte.ok());
  auto module = compileWat(engine, R"((module
    (import "h" "read" (func $read (param i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 5) "\2a")
    (table 1 funcref) (elem (i32.const 0) $read)
    (func (export "direct") (result i32) i32.const 5 call $read)
    (func (export "indirect") (result i32) i32.const 5 i32.const 0 call_indirect (param i32) (result i32))))");
  auto one = store.instantiate(module, {Extern(*readByte)});
  auto two = store.instantiate(module, {Extern(*readByte)});
  REQUIRE((one.ok() && two.ok()));
  (*two)->memory(0)->data()[5] = 7;
  RawValue r{};
  REQUIRE((*one)->exportByName("direct")->func()->call({}, {&r, 1}).ok());
  CHECK(seen == *one);
  CHECK(r.i32 == 42);
  REQUIRE((*two)->exportByName("indirect")->func()->call({}, {&r, 1}).ok());
  CHECK(seen == *two);
  CHECK(r.i32 == 7);
  // The funcref in the table still converts back to the same host function.
  CHECK(Func::fromRef(*(*one)->table(0)->get(0)) == *readByte);
  // Called from the host, there is no calling instance.
  RawValue arg = i32(5);
  Status s = (*readByte)->call({&arg, 1}, {&r, 1});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "no caller");
}

TEST_CASE("exec: callInPlace shares one array for arguments and results") {
  Fixture fx(R"((module
    (func (export "rot") (param i32 i32 i32) (result i32 i32 i32) local.get 1 local.get 2 local.get 0)
    (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)))");
  RawValue io[3] = {i32(1), i32(2), i32(3)};
  REQUIRE(fx.func("rot")->callInPlace(io).ok());
  CHECK(io[0].i32 == 2);
  CHECK(io[1].i32 == 3);
  CHECK(io[2].i32 == 1);
  RawValue d[2] = {i32(1), i32(0)};
  Status s = fx.func("div")->callInPlace(d);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "integer divide by zero");
  auto host = fx.store.createHostFunc({{ir::ValType::I32, ir::ValType::I32}, {ir::ValType::I32}},
                                      [](Caller&, const RawValue* a, RawValue* r) -> Status {
                                        r[0].i32 = a[0].i32 - a[1].i32;
                                        return {};
                                      });
  REQUIRE(host.ok());
  RawValue h[2] = {i32(10), i32(4)};
  REQUIRE((*host)->callInPlace(h).ok());
  CHECK(h[0].i32 == 6);
}

TEST_CASE("exec: one module, a store per thread, traps and host calls on every thread at once") {
  Engine& engine = sharedEngine();
  reinstallSignalHandlers();
  auto module = compileWat(engine, R"((module
    (import "h" "twice" (func $twice (param i32) (result i32)))
    (memory 1)
    (func (export "work") (param i32) (result i32)
      (local $i i32) (local $acc i32)
      (loop $l
        (local.set $acc (i32.add (local.get $acc) (call $twice (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
      (local.get $acc))
    (func (export "oob") (result i32) i32.const 65536 i32.load)
    (func (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_u)))");
  constexpr int kThreads = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store store(engine);
      // A new signature per thread: trampolines are compiled concurrently too.
      std::vector<ir::ValType> params(static_cast<size_t>(t + 3), ir::ValType::I64);
      auto extra = store.createHostFunc({params, {}}, [](Caller&, const RawValue*, RawValue*) { return Status{}; });
      auto twice = store.createHostFunc({{ir::ValType::I32}, {ir::ValType::I32}},
                                        [](Caller&, const RawValue* a, RawValue* r) -> Status {
                                          r[0].i32 = 2 * a[0].i32;
                                          return {};
                                        });
      if (!extra.ok() || !twice.ok()) return void(++failures);
      auto inst = store.instantiate(module, {Extern(*twice)});
      if (!inst.ok()) return void(++failures);
      Func* work = (*inst)->exportByName("work")->func();
      Func* oob = (*inst)->exportByName("oob")->func();
      Func* div = (*inst)->exportByName("div")->func();
      for (int round = 0; round < 200; ++round) {
        RawValue io[1] = {i32(100)};
        if (!work->callInPlace(io).ok() || io[0].i32 != 9900) ++failures;
        RawValue none[1] = {};
        Status s = oob->callInPlace(none);
        if (s.ok() || s.error().message != "out of bounds memory access") ++failures;
        RawValue zero[1] = {i32(0)};
        s = div->callInPlace(zero);
        if (s.ok() || s.error().message != "integer divide by zero") ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
}

namespace {

struct FiberRun {
  Func* func;
  std::string deep, shallow;
  ucontext_t fiber, caller;
};
FiberRun* gFiberRun;

void fiberMain() {
  FiberRun& run = *gFiberRun;
  RawValue io[1] = {i32(100000000)};
  Status s = run.func->callInPlace(io);
  run.deep = s.ok() ? "ok" : s.error().message;
  io[0] = i32(100);
  s = run.func->callInPlace(io);
  run.shallow = s.ok() ? std::to_string(io[0].i32) : s.error().message;
  swapcontext(&run.fiber, &run.caller);
}

}  // namespace

TEST_CASE("exec: wasm called on a fiber's stack (Ruby, PHP fibers) gets that stack's limit") {
  Fixture fx(R"((module
    (func $down (export "down") (param i32) (result i32)
      local.get 0 i32.eqz
      if (result i32) i32.const 0
      else local.get 0 local.get 0 i32.const 1 i32.sub call $down i32.sub end)))");
  // A 512 KiB stack with a guard page below, as MRI and PHP allocate fiber stacks.
  const size_t page = static_cast<size_t>(getpagesize()), size = 512 * 1024;
  void* mem = mmap(nullptr, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  REQUIRE(mem != MAP_FAILED);
  REQUIRE(mprotect(mem, page, PROT_NONE) == 0);
  FiberRun run{fx.func("down"), {}, {}, {}, {}};
  gFiberRun = &run;
  REQUIRE(getcontext(&run.fiber) == 0);
  run.fiber.uc_stack.ss_sp = static_cast<char*>(mem) + page;
  run.fiber.uc_stack.ss_size = size;
  run.fiber.uc_link = &run.caller;
  makecontext(&run.fiber, &fiberMain, 0);
  REQUIRE(swapcontext(&run.caller, &run.fiber) == 0);
  CHECK(run.deep == "call stack exhausted");
  CHECK(run.shallow == "50");
  munmap(mem, size + page);
  // Back on the thread's own stack, the thread's limit applies again.
  std::vector<RawValue> r;
  REQUIRE(fx.call("down", {i32(1000)}, &r).ok());
  CHECK(r[0].i32 == 500);
}

TEST_CASE("exec: serialize and deserialize a compiled module") {
  Engine& engine = sharedEngine();
  auto bytes = text::watToWasm(R"((module
    (func $f (export "f") (param i32) (result i32) local.get 0 i32.const 3 i32.mul)
    (func (export "trap") unreachable)))");
  REQUIRE(bytes.ok());
  CHECK(Module::validate(engine, *bytes).ok());
  auto module = Module::compile(engine, *bytes);
  REQUIRE(module.ok());
  auto data = (*module)->serialize();
  REQUIRE(data.ok());
  auto back = Module::deserialize(engine, *data);
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().describe()));
  Store store(engine);
  reinstallSignalHandlers();
  auto inst = store.instantiate(*back, {});
  REQUIRE(inst.ok());
  RawValue io[1] = {i32(14)};
  REQUIRE((*inst)->exportByName("f")->func()->callInPlace(io).ok());
  CHECK(io[0].i32 == 42);
  RawValue none[1] = {};
  CHECK((*inst)->exportByName("trap")->func()->callInPlace(none).error().message == "unreachable");
  CHECK(store.lastTrap().frames.size() >= 1);

  // Damaged, truncated, or from another configuration: refused with a clear error.
  std::vector<uint8_t> truncated(data->begin(), data->end() - 1);
  CHECK(Module::deserialize(engine, truncated).error().kind == ErrorKind::Malformed);
  std::vector<uint8_t> garbage = {1, 2, 3};
  CHECK(Module::deserialize(engine, garbage).error().kind == ErrorKind::Malformed);
  EngineConfig other;
  other.compile.fuel = true;
  auto otherEngine = Engine::create(other);
  REQUIRE(otherEngine.ok());
  auto refused = Module::deserialize(**otherEngine, *data);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::Unsupported);
  CHECK(refused.error().message.find("options") != std::string::npos);
}

// The loader finds every symbol the compiler emits; one that is missing is Orca failing itself
// (ErrorKind::Internal), which an artifact, made outside, reports as damage.
TEST_CASE("exec: an artifact whose code lacks a function is refused as damaged") {
  Engine& engine = sharedEngine();
  auto bytes = text::watToWasm(R"((module (func (export "f") (result i32) i32.const 7)))");
  REQUIRE(bytes.ok());
  auto module = Module::compile(engine, *bytes);
  REQUIRE(module.ok());
  auto data = (*module)->serialize();
  REQUIRE(data.ok());
  // Rename the symbol in the object's string table (same length: the object stays well formed).
  const std::string symbol = "orca_func_0";
  size_t renamed = 0;
  for (auto at = std::search(data->begin(), data->end(), symbol.begin(), symbol.end()); at != data->end();
       at = std::search(at, data->end(), symbol.begin(), symbol.end())) {
    at[symbol.size() - 1] = 'X';
    ++renamed;
  }
  REQUIRE(renamed > 0);
  resealArtifact(*data);
  auto refused = Module::deserialize(engine, *data);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::Malformed);
  CHECK(refused.error().message == "serialized module: its code does not load (loaded code lacks orca_func_0)");
}
