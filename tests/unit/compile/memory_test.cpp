// Linear memory: loads/stores of every width, offsets, guard-page traps (including a load whose
// value is unused), explicit bounds checks, memory.size/grow and bulk operations.
#include "harness.h"

using namespace orca;
using namespace orca::testing;

namespace {
const char* kMemoryModule = R"((module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\80\ff")
  (func (export "i32.load") (param i32) (result i32) local.get 0 i32.load)
  (func (export "i32.load8_s") (param i32) (result i32) local.get 0 i32.load8_s)
  (func (export "i32.load8_u") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "i32.load16_s") (param i32) (result i32) local.get 0 i32.load16_s offset=7)
  (func (export "i64.load") (param i32) (result i64) local.get 0 i64.load)
  (func (export "i64.load32_s") (param i32) (result i64) local.get 0 i64.load32_s offset=6)
  (func (export "i64.load32_u") (param i32) (result i64) local.get 0 i64.load32_u offset=6)
  (func (export "f64.load") (param i32) (result f64) local.get 0 f64.load align=1)
  (func (export "i64.store16") (param i32 i64) local.get 0 local.get 1 i64.store16 offset=100)
  (func (export "i32.store") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "f32.store") (param i32 f32) local.get 0 local.get 1 f32.store)
  (func (export "drop-load") (param i32) local.get 0 i32.load drop)
  (func (export "store-then-trap") (param i32)
    i32.const 200 i32.const 7 i32.store
    local.get 0 i32.load drop
    i32.const 204 i32.const 8 i32.store)
  (func (export "offset-load") (param i32) (result i32) local.get 0 i32.load offset=4294967295)
  (func (export "size") (result i32) memory.size)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
  (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)))";
}

void memoryChecks(Instance& inst) {
  CHECK(inst.invoke("i32.load", {I32(0)}).i32() == 0x04030201);
  CHECK(inst.invoke("i32.load", {I32(1)}).i32() == 0x05040302);  // unaligned
  CHECK(inst.invoke("i32.load8_s", {I32(8)}).i32() == -128);
  CHECK(inst.invoke("i32.load8_u", {I32(9)}).i32() == 255);
  CHECK(inst.invoke("i32.load16_s", {I32(1)}).i32() == static_cast<int16_t>(0xff80));
  CHECK(inst.invoke("i64.load", {I32(0)}).i64() == 0x0807060504030201LL);
  CHECK(inst.invoke("i64.load32_s", {I32(0)}).i64() == static_cast<int32_t>(0xff800807));
  CHECK(inst.invoke("i64.load32_u", {I32(0)}).i64() == 0xff800807LL);
  CHECK(inst.invoke("i64.store16", {I32(0), I64(0x12345)}).values.empty());
  CHECK(inst.memory()[100] == 0x45);
  CHECK(inst.memory()[101] == 0x23);
  CHECK(inst.memory()[102] == 0);
  inst.invoke("f32.store", {I32(3), F32Bits(0x7fa00001)});
  CHECK(inst.invoke("i32.load", {I32(3)}).i32() == 0x7fa00001);
  // The last valid address and one past it.
  CHECK(inst.invoke("i32.load8_u", {I32(65535)}).i32() == 0);
  CHECK(inst.invoke("i32.load8_u", {I32(65536)}).trap == TrapCode::MemoryOutOfBounds);
  CHECK(inst.invoke("i32.load", {I32(65533)}).trap == TrapCode::MemoryOutOfBounds);
  CHECK(inst.invoke("i32.load", {I32(-1)}).trap == TrapCode::MemoryOutOfBounds);
  CHECK(inst.invoke("offset-load", {I32(-1)}).trap == TrapCode::MemoryOutOfBounds);
  CHECK(inst.invoke("i32.store", {I32(65536), I32(1)}).trap == TrapCode::MemoryOutOfBounds);
  // A load whose value is unused still traps (the lost-trap pitfall).
  CHECK(inst.invoke("drop-load", {I32(70000)}).trap == TrapCode::MemoryOutOfBounds);
  CHECK_FALSE(inst.invoke("drop-load", {I32(10)}).trap);
  // A store after a trapping load must not happen; the one before it must.
  CHECK(inst.invoke("store-then-trap", {I32(1 << 20)}).trap == TrapCode::MemoryOutOfBounds);
  CHECK(inst.invoke("i32.load", {I32(200)}).i32() == 7);
  CHECK(inst.invoke("i32.load", {I32(204)}).i32() == 0);
  // Size and growth.
  CHECK(inst.invoke("size").i32() == 1);
  CHECK(inst.invoke("grow", {I32(2)}).i32() == 1);
  CHECK(inst.invoke("size").i32() == 3);
  CHECK(inst.invoke("i32.load", {I32(3 * 65536 - 4)}).i32() == 0);
  CHECK(inst.invoke("i32.load", {I32(3 * 65536 - 3)}).trap == TrapCode::MemoryOutOfBounds);
  CHECK(inst.invoke("grow", {I32(100000)}).i32() == -1);
  // Bulk operations go through the runtime.
  inst.invoke("fill", {I32(1000), I32(0xab), I32(4)});
  CHECK(inst.invoke("i32.load", {I32(1000)}).i32() == static_cast<int32_t>(0xabababab));
  inst.invoke("copy", {I32(2000), I32(0), I32(8)});
  CHECK(inst.invoke("i64.load", {I32(2000)}).i64() == inst.invoke("i64.load", {I32(0)}).i64());
  CHECK(inst.invoke("fill", {I32(3 * 65536), I32(0), I32(1)}).trap == TrapCode::MemoryOutOfBounds);
}

TEST_CASE("memory with guard pages") {
  Instance inst(kMemoryModule);
  memoryChecks(inst);
}

TEST_CASE("memory with explicit bounds checks") {
  compile::CompileOptions options;
  options.explicitBoundsChecks = true;
  Instance inst(kMemoryModule, options);
  memoryChecks(inst);
}

TEST_CASE("memory at -O0 keeps the same semantics") {
  compile::CompileOptions options;
  options.optLevel = 0;
  Instance inst(kMemoryModule, options);
  memoryChecks(inst);
}

// Side effects before a trap are all visible after it, in both modes: a global written in a loop
// must not be kept in a register across a load that faults.
TEST_CASE("globals and memory written before a memory trap are up to date") {
  const char* wat = R"((module
    (memory 1)
    (global $g (mut i32) (i32.const -1))
    (func (export "run") (param $n i32) (local $i i32)
      (loop
        (global.set $g (local.get $i))
        (i32.store (i32.const 16) (local.get $i))
        (drop (i32.load (i32.mul (local.get $i) (i32.const 4096))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if 0 (i32.lt_u (local.get $i) (local.get $n)))))
    (func (export "stored") (result i32) (i32.load (i32.const 16)))))";
  for (bool explicitChecks : {false, true}) {
    CAPTURE(explicitChecks);
    compile::CompileOptions options;
    options.explicitBoundsChecks = explicitChecks;
    Instance inst(wat, options);
    CHECK(inst.invoke("run", {I32(100)}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(inst.global(0).value.i32 == 16);
    CHECK(inst.invoke("stored").i32() == 16);
  }
}

// Runs `check` with the options of each memory mode at O0, O2 and O3.
template <typename Check>
void inEveryModeAndLevel(Check&& check) {
  for (bool explicitChecks : {false, true}) {
    for (unsigned optLevel : {0u, 2u, 3u}) {
      CAPTURE(explicitChecks);
      CAPTURE(optLevel);
      compile::CompileOptions options;
      options.explicitBoundsChecks = explicitChecks;
      options.optLevel = optLevel;
      check(options);
    }
  }
}

// What any faster memory scheme must keep (docs/architecture.md, "Linear memory"). LLVM assumes
// that a memory access cannot fault, so with plain accesses in guard-page mode it may move a load
// that faults above a store to an address it proves different, hoist a loop-invariant load above
// the first iteration's stores, or vectorise a loop so that the stores of the iterations before
// the fault in the same vector never happen. The last of these is what a build with plain
// accesses does to "copy-add" (none of its 10 stores survive); the first two are not seen on
// these functions today but are allowed to LLVM. Each case has a store that must be visible
// after the trap and one that must not have happened.
TEST_CASE("stores before a memory trap stay visible however the code is optimised") {
  const char* wat = R"((module
    (memory 1)
    ;; A store and, 4 bytes above it, a load (its value used) that faults when $p = 65532.
    (func (export "adjacent") (param $p i32) (result i32)
      (i32.store (local.get $p) (i32.const 7))
      (i32.load offset=4 (local.get $p)))
    ;; The load's address does not change in the loop: it faults in the first iteration, after
    ;; the first store.
    (func (export "invariant") (param $p i32) (result i32) (local $i i32) (local $sum i32)
      (loop
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $i) (i32.const 1)))
        (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if 0 (i32.lt_u (local.get $i) (i32.const 64))))
      (local.get $sum))
    ;; dst[i] = src[i] + 1 for i < 100, with src 10 elements below the end of memory: the
    ;; iterations 0..9 store, the 11th faults before storing.
    (func (export "copy-add") (local $i i32)
      (loop
        (i32.store (i32.shl (local.get $i) (i32.const 2))
          (i32.add (i32.load (i32.add (i32.const 65496) (i32.shl (local.get $i) (i32.const 2))))
                   (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if 0 (i32.lt_u (local.get $i) (i32.const 100)))))
    (func (export "at") (param i32) (result i32) (i32.load (local.get 0)))))";
  inEveryModeAndLevel([&](const compile::CompileOptions& options) {
    // A fresh instance (zeroed memory) per case.
    Instance adjacent(wat, options);
    CHECK(adjacent.invoke("adjacent", {I32(65532)}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(adjacent.invoke("at", {I32(65532)}).i32() == 7);

    Instance invariant(wat, options);
    CHECK(invariant.invoke("invariant", {I32(65536)}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(invariant.invoke("at", {I32(0)}).i32() == 1);
    CHECK(invariant.invoke("at", {I32(4)}).i32() == 0);
    CHECK(invariant.invoke("invariant", {I32(0)}).i32() == 64);  // memory[0] is 1 after the first store
    CHECK(invariant.invoke("at", {I32(252)}).i32() == 64);

    Instance copy(wat, options);
    CHECK(copy.invoke("copy-add").trap == TrapCode::MemoryOutOfBounds);
    for (int i = 0; i < 10; ++i) {
      CAPTURE(i);
      CHECK(copy.invoke("at", {I32(4 * i)}).i32() == 1);
    }
    CHECK(copy.invoke("at", {I32(40)}).i32() == 0);
  });
}

// Loops whose addresses step through memory get 64-bit addresses when their i32 index cannot
// wrap (affine_addresses.cpp); when it does wrap, the original loop must run. Here the index
// starts at 0xFFFFFFF0 and wraps to 0 on the fifth iteration; only the wrapped (in-bounds)
// addresses are loaded. With 64-bit addresses the loads would be 4 GiB too far and trap.
TEST_CASE("a loop whose wasm index wraps reads the wrapped addresses") {
  const char* wat = R"((module
    (memory 1)
    (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
    (func (export "sum") (param $x i32) (param $count i32) (result i32) (local $n i32) (local $sum i32)
      (loop
        (if (i32.lt_u (local.get $x) (i32.const 65536))
          (then (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if 0 (i32.lt_u (local.get $n) (local.get $count))))
      (local.get $sum))))";
  inEveryModeAndLevel([&](const compile::CompileOptions& options) {
    Instance inst(wat, options);
    CHECK(inst.invoke("sum", {I32(static_cast<int32_t>(0xFFFFFFF0u)), I32(8)}).i32() == 10);
    CHECK(inst.invoke("sum", {I32(0), I32(4)}).i32() == 10);  // no wrap: the 64-bit loop
    CHECK(inst.invoke("sum", {I32(65528), I32(4)}).i32() == 0);  // 2 zero words, 2 skipped
  });
}
