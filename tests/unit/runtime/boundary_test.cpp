// The trap boundary and the orca_rt_* functions, driven by C++ functions that stand in for entry
// trampolines (white-box: they enter through the runtime's enterWasm as JIT code would). These
// need no compiler; the same paths are tested with real code in exec_test.cpp.
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

#include "../../../core/runtime/src/internal.h"
#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;
using abi::VMContext;

namespace {

// A module with memory, tables and passive segments; its functions are never run.
const char* kBulkWat = R"((module
  (memory (export "mem") 1)
  (table (export "t") 4 funcref)
  (func $a) (func $b) (func $c)
  (elem $e func $a $b $c)
  (data $d "abcdef")))";

Instance& bulkInstance(Store& store) {
  auto inst = store.instantiate(compileWat(noCodeEngine(), kBulkWat), {});
  REQUIRE(inst.ok());
  return **inst;
}

// Fake entries: `code` selects what to do; io[0..] carry arguments. Nothing with a destructor may
// live in them (a trap longjmps through).
void entryMemoryFill(void*, VMContext* vmctx, RawValue* io) {
  orca_rt_memory_fill(vmctx, 0, static_cast<uint32_t>(io[0].i32), 0x5A, static_cast<uint32_t>(io[1].i32));
}
void entryMemoryCopy(void*, VMContext* vmctx, RawValue* io) {
  orca_rt_memory_copy(vmctx, 0, 0, static_cast<uint32_t>(io[0].i32), static_cast<uint32_t>(io[1].i32),
                      static_cast<uint32_t>(io[2].i32));
}
void entryMemoryInit(void*, VMContext* vmctx, RawValue* io) {
  orca_rt_memory_init(vmctx, 0, 0, static_cast<uint32_t>(io[0].i32), static_cast<uint32_t>(io[1].i32),
                      static_cast<uint32_t>(io[2].i32));
}
void entryTableInit(void*, VMContext* vmctx, RawValue* io) {
  orca_rt_table_init(vmctx, 0, 0, static_cast<uint32_t>(io[0].i32), static_cast<uint32_t>(io[1].i32),
                     static_cast<uint32_t>(io[2].i32));
}
void entryTableCopy(void*, VMContext* vmctx, RawValue* io) {
  orca_rt_table_copy(vmctx, 0, 0, static_cast<uint32_t>(io[0].i32), static_cast<uint32_t>(io[1].i32),
                     static_cast<uint32_t>(io[2].i32));
}
void entryTableFill(void*, VMContext* vmctx, RawValue* io) {
  orca_rt_table_fill(vmctx, 0, static_cast<uint32_t>(io[0].i32), io[2].ref, static_cast<uint32_t>(io[1].i32));
}
void entryTrap(void*, VMContext* vmctx, RawValue* io) { orca_rt_trap(vmctx, static_cast<uint32_t>(io[0].i32)); }
// Calls the host function whose record is in io[0] as a host thunk would.
void entryHostCall(void*, VMContext*, RawValue* io) {
  auto* record = static_cast<abi::FuncRecord*>(io[0].ref);
  orca_rt_host_call(record->vmctx, io + 1);
}

Status enter(Instance& inst, void (*fn)(void*, VMContext*, RawValue*), std::vector<RawValue> io) {
  io.resize(8);
  return enterWasm(inst.store(), reinterpret_cast<void*>(fn), nullptr, inst.vmctx(), io.data());
}

void checkTrap(const Status& s, const char* message) {
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::Trap);
  CHECK(s.error().message == message);
}

}  // namespace

TEST_CASE("orca_rt memory operations: bounds in 64-bit arithmetic, overlap, dropped data") {
  Store store(noCodeEngine());
  Instance& inst = bulkInstance(store);
  Memory* mem = inst.memory(0);
  uint8_t* m = mem->data();

  CHECK(enter(inst, entryMemoryFill, {i32(10), i32(3)}).ok());
  CHECK(m[9] == 0);
  CHECK(m[10] == 0x5A);
  CHECK(m[12] == 0x5A);
  CHECK(m[13] == 0);
  // Exactly to the end is fine, even with count 0 at the end; one past traps with no effect.
  CHECK(enter(inst, entryMemoryFill, {i32(65535), i32(1)}).ok());
  CHECK(enter(inst, entryMemoryFill, {i32(65536), i32(0)}).ok());
  m[65530] = 1;
  checkTrap(enter(inst, entryMemoryFill, {i32(65530), i32(7)}), "out of bounds memory access");
  CHECK(m[65530] == 1);
  checkTrap(enter(inst, entryMemoryFill, {i32(65537), i32(0)}), "out of bounds memory access");
  // 32-bit wrap-around must not pass the check.
  checkTrap(enter(inst, entryMemoryFill, {i32(-1), i32(2)}), "out of bounds memory access");
  CHECK(store.lastTrap().code == TrapCode::MemoryOutOfBounds);

  // Overlapping copies in both directions.
  for (int i = 0; i < 8; ++i) m[100 + i] = static_cast<uint8_t>(i + 1);
  CHECK(enter(inst, entryMemoryCopy, {i32(102), i32(100), i32(6)}).ok());
  CHECK(std::memcmp(m + 102, "\1\2\3\4\5\6", 6) == 0);
  CHECK(enter(inst, entryMemoryCopy, {i32(100), i32(102), i32(6)}).ok());
  CHECK(std::memcmp(m + 100, "\1\2\3\4\5\6", 6) == 0);
  checkTrap(enter(inst, entryMemoryCopy, {i32(0), i32(65535), i32(2)}), "out of bounds memory access");

  CHECK(enter(inst, entryMemoryInit, {i32(200), i32(1), i32(4)}).ok());
  CHECK(std::memcmp(m + 200, "bcde", 4) == 0);
  checkTrap(enter(inst, entryMemoryInit, {i32(0), i32(3), i32(4)}), "out of bounds memory access");
  CHECK(enter(inst, entryMemoryInit, {i32(0), i32(6), i32(0)}).ok());
  orca_rt_data_drop(inst.vmctx(), 0);
  // A dropped segment has length 0: count 0 at offset 0 is fine, anything else traps.
  CHECK(enter(inst, entryMemoryInit, {i32(0), i32(0), i32(0)}).ok());
  checkTrap(enter(inst, entryMemoryInit, {i32(0), i32(0), i32(1)}), "out of bounds memory access");

  CHECK(orca_rt_memory_grow(inst.vmctx(), 0, 2) == 1);
  CHECK(mem->pages() == 3);
  CHECK(inst.vmctx()->memories[0]->size == 3 * 65536);
  CHECK(orca_rt_memory_grow(inst.vmctx(), 0, 65536) == -1);
}

TEST_CASE("orca_rt table operations") {
  Store store(noCodeEngine());
  Instance& inst = bulkInstance(store);
  Table* t = inst.table(0);
  CHECK(enter(inst, entryTableInit, {i32(1), i32(0), i32(3)}).ok());
  CHECK(*t->get(0) == nullptr);
  CHECK(*t->get(1) == inst.func(0)->ref());
  CHECK(*t->get(3) == inst.func(2)->ref());
  checkTrap(enter(inst, entryTableInit, {i32(2), i32(0), i32(3)}), "out of bounds table access");
  checkTrap(enter(inst, entryTableInit, {i32(0), i32(2), i32(2)}), "out of bounds table access");
  CHECK(enter(inst, entryTableCopy, {i32(0), i32(1), i32(3)}).ok());  // overlapping
  CHECK(*t->get(0) == inst.func(0)->ref());
  CHECK(*t->get(2) == inst.func(2)->ref());
  checkTrap(enter(inst, entryTableCopy, {i32(3), i32(0), i32(2)}), "out of bounds table access");
  RawValue nullRef{};
  CHECK(enter(inst, entryTableFill, {i32(1), i32(3), nullRef}).ok());
  CHECK(*t->get(3) == nullptr);
  checkTrap(enter(inst, entryTableFill, {i32(4), i32(1), nullRef}), "out of bounds table access");
  orca_rt_elem_drop(inst.vmctx(), 0);
  CHECK(enter(inst, entryTableInit, {i32(0), i32(0), i32(0)}).ok());
  checkTrap(enter(inst, entryTableInit, {i32(0), i32(0), i32(1)}), "out of bounds table access");
  CHECK(orca_rt_table_grow(inst.vmctx(), 0, inst.func(1)->ref(), 2) == 4);
  CHECK(t->size() == 6);
  CHECK(*t->get(5) == inst.func(1)->ref());
  CHECK(inst.vmctx()->tables[0]->size == 6);
  store.limits().maxTableElements = 10;
  CHECK(orca_rt_table_grow(inst.vmctx(), 0, nullptr, 5) == -1);
}

TEST_CASE("traps carry the spec message for every code") {
  Store store(noCodeEngine());
  Instance& inst = bulkInstance(store);
  for (uint32_t c = 0; c < static_cast<uint32_t>(TrapCode::HostError); ++c) {
    auto code = static_cast<TrapCode>(c);
    Status s = enter(inst, entryTrap, {i32(static_cast<int32_t>(c))});
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == trapMessage(code));
    CHECK(s.error().kind == (code == TrapCode::StackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap));
    CHECK(store.lastTrap().code == code);
  }
  // The boundary chain unwinds: nothing is left on this thread.
  CHECK(currentBoundary() == nullptr);
}

TEST_CASE("host functions: results, errors and exceptions become traps, nested entries") {
  Store store(noCodeEngine());
  Instance& inst = bulkInstance(store);
  ir::FuncType type{{ir::ValType::I32, ir::ValType::I32}, {ir::ValType::I32}};
  auto add = store.createHostFunc(type, [](Caller& caller, const RawValue* args, RawValue* results) -> Status {
    CHECK(caller.instance() == nullptr);
    results[0].i32 = args[0].i32 + args[1].i32;
    return {};
  });
  auto fail = store.createHostFunc(type, [](Caller&, const RawValue*, RawValue*) -> Status {
    return makeError(ErrorKind::Trap, "host says no");
  });
  auto boom = store.createHostFunc(type, [](Caller&, const RawValue*, RawValue*) -> Status {
    throw std::runtime_error("boom");
  });
  // A host function that enters "wasm" again, which traps; the inner trap returns to it as an
  // error and its own error becomes the outer trap.
  auto nested = store.createHostFunc(type, [&](Caller&, const RawValue*, RawValue*) -> Status {
    Status inner = enter(inst, entryTrap, {i32(static_cast<int32_t>(TrapCode::IntegerDivideByZero))});
    CHECK(inner.error().message == "integer divide by zero");
    return makeError(ErrorKind::Trap, "nested: " + inner.error().message);
  });
  REQUIRE((add.ok() && fail.ok() && boom.ok() && nested.ok()));

  // Directly from the host.
  RawValue args[2] = {i32(2), i32(40)}, result{};
  REQUIRE((*add)->call(args, {&result, 1}).ok());
  CHECK(result.i32 == 42);
  Status s = (*fail)->call(args, {&result, 1});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::Trap);
  CHECK(s.error().message == "host says no");
  s = (*boom)->call(args, {&result, 1});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("boom") != std::string::npos);
  CHECK_FALSE((*add)->call({args, 1}, {&result, 1}).ok());  // arity

  // Through orca_rt_host_call, as a host thunk calls it from wasm.
  RawValue rec{};
  rec.ref = (*add)->ref();
  std::vector<RawValue> io = {rec, i32(5), i32(6)};
  io.resize(8);
  REQUIRE(enterWasm(store, reinterpret_cast<void*>(&entryHostCall), nullptr, inst.vmctx(), io.data()).ok());
  CHECK(io[1].i32 == 11);
  rec.ref = (*fail)->ref();
  s = enter(inst, entryHostCall, {rec, i32(1), i32(2)});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "host says no");
  CHECK(store.lastTrap().code == TrapCode::HostError);
  rec.ref = (*boom)->ref();
  s = enter(inst, entryHostCall, {rec, i32(1), i32(2)});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("boom") != std::string::npos);
  rec.ref = (*nested)->ref();
  s = enter(inst, entryHostCall, {rec, i32(1), i32(2)});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "nested: integer divide by zero");
  CHECK(currentBoundary() == nullptr);
}

TEST_CASE("host function finalizers and host info run when the store goes") {
  int finalized = 0, infoFinalized = 0;
  static int* infoCounter;
  infoCounter = &infoFinalized;
  {
    Store store(noCodeEngine());
    auto f = store.createHostFunc({}, [](Caller&, const RawValue*, RawValue*) { return Status{}; },
                                  [&] { ++finalized; });
    REQUIRE(f.ok());
    (*f)->setHostInfo(&finalized, [](void*) { ++*infoCounter; });
    auto g = store.createGlobal({ir::ValType::I32, ir::Mutability::Var}, i32(1));
    (*g)->setHostInfo(nullptr, [](void*) { ++*infoCounter; });
    CHECK(finalized == 0);
  }
  CHECK(finalized == 1);
  CHECK(infoFinalized == 2);
}

// --- Stack limit -------------------------------------------------------------------------------

namespace {

// Recurses like wasm code with a prologue check would, until orca_rt_check_failed traps. It never
// returns, by design (the trap longjmps out), which GCC's -Winfinite-recursion reports.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) void recurse(VMContext* vmctx, int depth) {
  volatile char pad[512];
  pad[0] = static_cast<char>(depth);
  if (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < vmctx->store->stackLimit)
    orca_rt_check_failed(vmctx);
  recurse(vmctx, depth + 1);
  pad[1] = pad[0];
}
#pragma GCC diagnostic pop
void entryRecurse(void*, VMContext* vmctx, RawValue*) { recurse(vmctx, 0); }

struct ThreadResult {
  Store* store;
  Instance* inst;
  bool trapped = false;
  std::string message;
  bool secondRun = false;
};

void* smallStackThread(void* arg) {
  auto* r = static_cast<ThreadResult*>(arg);
  Status s = enter(*r->inst, entryRecurse, {});
  r->trapped = !s.ok();
  if (!s.ok()) r->message = s.error().message;
  // The thread lives on and can enter again.
  r->secondRun = !enter(*r->inst, entryRecurse, {}).ok();
  return nullptr;
}

}  // namespace

TEST_CASE("deep recursion on a 256 KiB thread traps \"call stack exhausted\" and the thread lives on") {
  Store store(noCodeEngine());
  Instance& inst = bulkInstance(store);
  for (size_t stackSize : {size_t(256) * 1024, size_t(8) << 20}) {
    ThreadResult r{&store, &inst, false, {}, false};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stackSize);
    pthread_t thread;
    REQUIRE(pthread_create(&thread, &attr, &smallStackThread, &r) == 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    CHECK(r.trapped);
    CHECK(r.message == "call stack exhausted");
    CHECK(r.secondRun);
  }
  // And on the main thread, whose bounds come from the process's stack limit.
  Status s = enter(inst, entryRecurse, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::Exhaustion);
  CHECK(s.error().message == "call stack exhausted");
  // The limit is restored after the call.
  CHECK(store.context()->stackLimit == 0);
}

// --- Signal chaining ------------------------------------------------------------------------------

namespace {

sigjmp_buf gTestJump;
std::atomic<bool> gTestArmed{false};
std::atomic<int> gTestHandled{0};

void testHandler(int sig, siginfo_t*, void*) {
  if (gTestArmed.exchange(false)) {
    ++gTestHandled;
    siglongjmp(gTestJump, 1);
  }
  // Not expecting a fault: behave as the default action would.
  signal(sig, SIG_DFL);
}

__attribute__((noinline)) void deliberateFault() {
  // The address is read at run time: a constant one is, to the compiler, an object of size zero
  // that the store overflows (GCC 12's -Warray-bounds), and it may drop a store it can prove bad.
  volatile uintptr_t address = 16;
  *reinterpret_cast<volatile int*>(address) = 1;
}

void entryFaultInHostCode(void*, VMContext*, RawValue*) {
  // A fault while a wasm call is active but whose PC is not in JIT code: not ours.
  if (sigsetjmp(gTestJump, 0) == 0) {
    gTestArmed = true;
    deliberateFault();
  }
}

}  // namespace

TEST_CASE("signal chaining: a handler installed before Orca's still gets faults outside wasm") {
  noCodeEngine();  // Orca's handlers are installed
  struct sigaction sa {}, saved {};
  sa.sa_sigaction = &testHandler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  REQUIRE(sigaction(SIGSEGV, &sa, &saved) == 0);
  reinstallSignalHandlers();  // Orca in front again, chaining to the test's handler

  struct sigaction current {};
  sigaction(SIGSEGV, nullptr, &current);
  CHECK((current.sa_sigaction == &testHandler) == false);

  // Outside any wasm call.
  if (sigsetjmp(gTestJump, 0) == 0) {
    gTestArmed = true;
    deliberateFault();
  }
  CHECK(gTestHandled == 1);

  // Inside a wasm call, at a PC outside JIT code.
  Store store(noCodeEngine());
  Instance& inst = bulkInstance(store);
  CHECK(enter(inst, entryFaultInHostCode, {}).ok());
  CHECK(gTestHandled == 2);
}

namespace {

struct sigaction gFoundBeforeReraiser;

// Like doctest's crash handler: restore what was installed before, then re-raise.
void reraisingHandler(int sig) {
  sigaction(sig, &gFoundBeforeReraiser, nullptr);
  raise(sig);
}

}  // namespace

TEST_CASE("signal chaining: a cycle of handlers ends in the default action, not a loop") {
  noCodeEngine();
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    alarm(10);  // a cycle would spin: SIGALRM then tells the parent
    // Leave doctest's (and a sanitizer's) handlers out of the chain: default, then Orca's.
    signal(SIGSEGV, SIG_DFL);
    reinstallSignalHandlers();
    struct sigaction sa {};
    sa.sa_handler = &reraisingHandler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &gFoundBeforeReraiser);  // saves Orca's
    reinstallSignalHandlers();                        // Orca's chain to the re-raiser
    deliberateFault();
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGSEGV);
}
