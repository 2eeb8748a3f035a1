// Control flow through the compiler: blocks with multi-value, loops, if/else, br_table,
// calls, recursion and the stack check.
#include "harness.h"

using namespace orca;
using namespace orca::testing;

TEST_CASE("a function adds two i32s") {
  Instance inst(R"((module (func (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add)))");
  CHECK(inst.invoke("add", {I32(2), I32(40)}).i32() == 42);
  CHECK(inst.invoke("add", {I32(-1), I32(1)}).i32() == 0);
}

TEST_CASE("factorial by recursion and by loop") {
  Instance inst(R"((module
    (func $fac (export "fac") (param i64) (result i64)
      local.get 0 i64.eqz
      if (result i64) i64.const 1
      else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end)
    (func (export "fac-loop") (param i64) (result i64) (local i64)
      i64.const 1 local.set 1
      block loop
        local.get 0 i64.eqz br_if 1
        local.get 1 local.get 0 i64.mul local.set 1
        local.get 0 i64.const 1 i64.sub local.set 0
        br 0
      end end
      local.get 1)))");
  CHECK(inst.invoke("fac", {I64(20)}).i64() == 2432902008176640000LL);
  CHECK(inst.invoke("fac-loop", {I64(20)}).i64() == 2432902008176640000LL);
  CHECK(inst.invoke("fac", {I64(0)}).i64() == 1);
}

// Regression for a quadratic br_table lowering: 200 nested labels, 60000 targets.
TEST_CASE("a huge br_table over deep nesting compiles and dispatches") {
  constexpr int kDepth = 200;
  constexpr int kTargets = 60000;
  std::string wat = "(module (func (export \"f\") (param i32) (result i32)\n";
  for (int i = 0; i < kDepth; ++i) wat += "block\n";
  wat += "local.get 0 br_table";
  for (int t = 0; t < kTargets; ++t) wat += " " + std::to_string(t % kDepth);
  wat += " 0\n";
  // After the end of block k (counted from the innermost, 0-based) return k.
  for (int k = 0; k < kDepth; ++k) wat += "end i32.const " + std::to_string(k) + " return\n";
  wat += "))";
  Instance inst(wat);
  CHECK(inst.invoke("f", {I32(0)}).i32() == 0);
  CHECK(inst.invoke("f", {I32(199)}).i32() == 199);
  CHECK(inst.invoke("f", {I32(59999)}).i32() == 59999 % kDepth);
  CHECK(inst.invoke("f", {I32(60000)}).i32() == 0);
}
