// Memory-bound kernels, run on demand to measure the cost of code generation choices (volatile
// memory accesses, bounds checks):  ORCA_BENCH_KERNELS=1 unit_compile -tc="kernel*"
// Each kernel's result is checked, so the test fails if a choice breaks them.
#include <chrono>
#include <cstdlib>

#include "harness.h"

using namespace orca;
using namespace orca::testing;

namespace {
const char* kKernels = R"((module
  (memory 16)
  ;; Fills n i32s with i*3, then sums them `reps` times.
  (func (export "sum") (param $n i32) (param $reps i32) (result i32) (local $i i32) (local $s i32)
    (loop $fill
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (i32.const 3)))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (loop $rep
      (local.set $i (i32.const 0))
      (loop $add
        (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (br_if $add (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (br_if $rep (local.tee $reps (i32.sub (local.get $reps) (i32.const 1)))))
    (local.get $s))
  ;; Byte copy of n bytes from 0 to 512 KiB, `reps` times.
  (func (export "copy") (param $n i32) (param $reps i32) (result i32) (local $i i32)
    (loop $rep
      (local.set $i (i32.const 0))
      (loop $c
        (i32.store8 offset=524288 (local.get $i) (i32.load8_u (local.get $i)))
        (br_if $c (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (br_if $rep (local.tee $reps (i32.sub (local.get $reps) (i32.const 1)))))
    (i32.load offset=524288 (i32.const 400)))
  ;; A struct-like access pattern: the same fields re-read and re-written in a loop.
  (func (export "fields") (param $reps i32) (result i32)
    (loop $rep
      (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (i32.load (i32.const 68))))
      (i32.store (i32.const 68) (i32.xor (i32.load (i32.const 68)) (i32.const 1)))
      (br_if $rep (local.tee $reps (i32.sub (local.get $reps) (i32.const 1)))))
    (i32.load (i32.const 64)))))";

double run(Instance& inst, const char* name, std::vector<abi::RawValue> args, int32_t expected) {
  auto start = std::chrono::steady_clock::now();
  auto out = inst.invoke(name, args);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(out.i32() == expected);
  return s;
}
}  // namespace

TEST_CASE("kernel timings ($ORCA_BENCH_KERNELS)") {
  if (!std::getenv("ORCA_BENCH_KERNELS")) return;
  for (bool explicitChecks : {false, true}) {
    compile::CompileOptions options;
    options.explicitBoundsChecks = explicitChecks;
    Instance inst(kKernels, options);
    // sum of i*3 for i < 65536, 2000 times, modulo 2^32
    uint32_t once = 0;
    for (uint32_t i = 0; i < 65536; ++i) once += i * 3;
    double sum = run(inst, "sum", {I32(65536), I32(2000)}, static_cast<int32_t>(once * 2000u));
    double copy = run(inst, "copy", {I32(65536), I32(2000)}, static_cast<int32_t>(100 * 3));
    // "sum" left i*3 at 64 and 68 (i = 16, 17).
    uint32_t a = 48, b = 51;
    for (int k = 0; k < 100000000; ++k) {
      a += b;
      b ^= 1;
    }
    double fields = run(inst, "fields", {I32(100000000)}, static_cast<int32_t>(a));
    std::string mode = explicitChecks ? "explicit checks" : "guard pages";
    MESSAGE(mode << ": sum " << sum << " s, copy "
            << copy << " s, fields " << fields << " s");
  }
}
