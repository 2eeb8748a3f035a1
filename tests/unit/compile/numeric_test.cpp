// Integer and float instructions with the spec's edge cases (exec/numerics).
#include <cmath>
#include <limits>

#include "harness.h"

using namespace orca;
using namespace orca::testing;

namespace {

// One module with a function per binary/unary operator under test, named after the operator.
std::string binaryOps(const char* type, std::initializer_list<const char*> ops, const char* result = nullptr) {
  std::string wat = "(module\n";
  for (const char* op : ops) {
    wat += std::string("(func (export \"") + op + "\") (param " + type + " " + type + ") (result " +
           (result ? result : type) + ") local.get 0 local.get 1 " + type + "." + op + ")\n";
  }
  return wat + ")";
}
std::string unaryOps(const char* type, std::initializer_list<const char*> ops, const char* result = nullptr) {
  std::string wat = "(module\n";
  for (const char* op : ops) {
    wat += std::string("(func (export \"") + op + "\") (param " + type + ") (result " +
           (result ? result : type) + ") local.get 0 " + type + "." + op + ")\n";
  }
  return wat + ")";
}

constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();

}  // namespace

TEST_CASE("i32 arithmetic, division traps and remainder of INT_MIN by -1") {
  Instance inst(binaryOps("i32", {"add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or",
                                  "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"}));
  CHECK(inst.invoke("add", {I32(0x7fffffff), I32(1)}).i32() == kMin32);
  CHECK(inst.invoke("sub", {I32(kMin32), I32(1)}).i32() == 0x7fffffff);
  CHECK(inst.invoke("mul", {I32(0x10000), I32(0x10000)}).i32() == 0);
  CHECK(inst.invoke("div_s", {I32(-7), I32(2)}).i32() == -3);
  CHECK(inst.invoke("div_s", {I32(1), I32(0)}).trap == TrapCode::IntegerDivideByZero);
  CHECK(inst.invoke("div_s", {I32(kMin32), I32(-1)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("div_u", {I32(-1), I32(2)}).i32() == 0x7fffffff);
  CHECK(inst.invoke("div_u", {I32(1), I32(0)}).trap == TrapCode::IntegerDivideByZero);
  CHECK(inst.invoke("rem_s", {I32(kMin32), I32(-1)}).i32() == 0);
  CHECK(inst.invoke("rem_s", {I32(-7), I32(2)}).i32() == -1);
  CHECK(inst.invoke("rem_s", {I32(7), I32(0)}).trap == TrapCode::IntegerDivideByZero);
  CHECK(inst.invoke("rem_u", {I32(-1), I32(10)}).i32() == 5);
  CHECK(inst.invoke("rem_u", {I32(7), I32(0)}).trap == TrapCode::IntegerDivideByZero);
  CHECK(inst.invoke("and", {I32(0xff00), I32(0x0ff0)}).i32() == 0x0f00);
  CHECK(inst.invoke("or", {I32(0xff00), I32(0x0ff0)}).i32() == 0xfff0);
  CHECK(inst.invoke("xor", {I32(0xff00), I32(0x0ff0)}).i32() == 0xf0f0);
  CHECK(inst.invoke("shl", {I32(1), I32(33)}).i32() == 2);
  CHECK(inst.invoke("shr_s", {I32(kMin32), I32(31)}).i32() == -1);
  CHECK(inst.invoke("shr_s", {I32(-8), I32(-31)}).i32() == -4);
  CHECK(inst.invoke("shr_u", {I32(kMin32), I32(63)}).i32() == 1);
  CHECK(inst.invoke("rotl", {I32(0x80000001), I32(1)}).i32() == 3);
  CHECK(inst.invoke("rotl", {I32(0x12345678), I32(36)}).i32() == 0x23456781);
  CHECK(inst.invoke("rotr", {I32(1), I32(-1)}).i32() == 2);
}

TEST_CASE("i64 arithmetic and division traps") {
  Instance inst(binaryOps("i64", {"add", "mul", "div_s", "div_u", "rem_s", "rem_u", "shl", "shr_s", "shr_u", "rotl", "rotr"}));
  CHECK(inst.invoke("add", {I64(std::numeric_limits<int64_t>::max()), I64(1)}).i64() == kMin64);
  CHECK(inst.invoke("mul", {I64(0x100000000LL), I64(0x100000000LL)}).i64() == 0);
  CHECK(inst.invoke("div_s", {I64(kMin64), I64(-1)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("div_s", {I64(kMin64), I64(0)}).trap == TrapCode::IntegerDivideByZero);
  CHECK(inst.invoke("div_s", {I64(kMin64), I64(2)}).i64() == kMin64 / 2);
  CHECK(inst.invoke("div_u", {I64(-1), I64(0)}).trap == TrapCode::IntegerDivideByZero);
  CHECK(inst.invoke("div_u", {I64(kMin64), I64(2)}).i64() == 0x4000000000000000LL);
  CHECK(inst.invoke("rem_s", {I64(kMin64), I64(-1)}).i64() == 0);
  CHECK(inst.invoke("rem_s", {I64(kMin64), I64(0)}).trap == TrapCode::IntegerDivideByZero);
  CHECK(inst.invoke("rem_u", {I64(-1), I64(10)}).i64() == 5);
  CHECK(inst.invoke("shl", {I64(1), I64(65)}).i64() == 2);
  CHECK(inst.invoke("shr_s", {I64(kMin64), I64(63)}).i64() == -1);
  CHECK(inst.invoke("shr_u", {I64(kMin64), I64(127)}).i64() == 1);
  CHECK(inst.invoke("rotl", {I64(static_cast<int64_t>(0x8000000000000001ULL)), I64(1)}).i64() == 3);
  CHECK(inst.invoke("rotr", {I64(1), I64(65)}).i64() == kMin64);
}

TEST_CASE("clz, ctz, popcnt, eqz, sign extension") {
  Instance i32(unaryOps("i32", {"clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s"}));
  CHECK(i32.invoke("clz", {I32(0)}).i32() == 32);
  CHECK(i32.invoke("clz", {I32(1)}).i32() == 31);
  CHECK(i32.invoke("ctz", {I32(0)}).i32() == 32);
  CHECK(i32.invoke("ctz", {I32(kMin32)}).i32() == 31);
  CHECK(i32.invoke("popcnt", {I32(-1)}).i32() == 32);
  CHECK(i32.invoke("eqz", {I32(0)}).i32() == 1);
  CHECK(i32.invoke("eqz", {I32(5)}).i32() == 0);
  CHECK(i32.invoke("extend8_s", {I32(0x80)}).i32() == -128);
  CHECK(i32.invoke("extend8_s", {I32(0x17f)}).i32() == 127);
  CHECK(i32.invoke("extend16_s", {I32(0x8000)}).i32() == -32768);
  Instance i64(unaryOps("i64", {"clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"}));
  CHECK(i64.invoke("clz", {I64(0)}).i64() == 64);
  CHECK(i64.invoke("ctz", {I64(0)}).i64() == 64);
  CHECK(i64.invoke("popcnt", {I64(-1)}).i64() == 64);
  CHECK(i64.invoke("extend32_s", {I64(0x80000000LL)}).i64() == -2147483648LL);
  CHECK(i64.invoke("extend8_s", {I64(0xff)}).i64() == -1);
  Instance eqz(unaryOps("i64", {"eqz"}, "i32"));
  CHECK(eqz.invoke("eqz", {I64(0)}).i32() == 1);
  CHECK(eqz.invoke("eqz", {I64(kMin64)}).i32() == 0);
}

TEST_CASE("integer comparisons signed and unsigned") {
  Instance inst(binaryOps("i32", {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"}));
  CHECK(inst.invoke("lt_s", {I32(-1), I32(0)}).i32() == 1);
  CHECK(inst.invoke("lt_u", {I32(-1), I32(0)}).i32() == 0);
  CHECK(inst.invoke("gt_u", {I32(-1), I32(0)}).i32() == 1);
  CHECK(inst.invoke("ge_s", {I32(kMin32), I32(kMin32)}).i32() == 1);
  CHECK(inst.invoke("le_u", {I32(1), I32(0)}).i32() == 0);
  CHECK(inst.invoke("ne", {I32(1), I32(0)}).i32() == 1);
  Instance i64(binaryOps("i64", {"lt_s", "lt_u"}, "i32"));
  CHECK(i64.invoke("lt_s", {I64(kMin64), I64(0)}).i32() == 1);
  CHECK(i64.invoke("lt_u", {I64(kMin64), I64(0)}).i32() == 0);
}

TEST_CASE("f32 min/max propagate NaN and order -0 below +0") {
  Instance inst(binaryOps("f32", {"min", "max", "copysign", "add", "div"}));
  CHECK(inst.invoke("min", {F32(-0.0f), F32(0.0f)}).f32Bits() == 0x80000000u);
  CHECK(inst.invoke("min", {F32(0.0f), F32(-0.0f)}).f32Bits() == 0x80000000u);
  CHECK(inst.invoke("max", {F32(-0.0f), F32(0.0f)}).f32Bits() == 0u);
  CHECK(inst.invoke("max", {F32(0.0f), F32(-0.0f)}).f32Bits() == 0u);
  CHECK(inst.invoke("min", {F32(1.0f), F32(2.0f)}).f32() == 1.0f);
  CHECK(inst.invoke("max", {F32(1.0f), F32(2.0f)}).f32() == 2.0f);
  CHECK(inst.invoke("min", {F32(-INFINITY), F32(1.0f)}).f32() == -INFINITY);
  // A NaN operand gives a NaN (arithmetic: quiet bit set), with either operand order.
  uint32_t nan1 = inst.invoke("min", {F32Bits(0x7fa00000), F32(1.0f)}).f32Bits();
  CHECK((nan1 & 0x7fc00000u) == 0x7fc00000u);
  uint32_t nan2 = inst.invoke("max", {F32(1.0f), F32Bits(0xffc00001)}).f32Bits();
  CHECK((nan2 & 0x7fc00000u) == 0x7fc00000u);
  CHECK(inst.invoke("copysign", {F32(1.5f), F32(-0.0f)}).f32() == -1.5f);
  // copysign keeps a NaN's payload and only changes its sign.
  CHECK(inst.invoke("copysign", {F32Bits(0x7fa00001), F32(-1.0f)}).f32Bits() == 0xffa00001u);
  CHECK(std::isinf(inst.invoke("div", {F32(1.0f), F32(0.0f)}).f32()));
  CHECK(std::isnan(inst.invoke("div", {F32(0.0f), F32(0.0f)}).f32()));
}

TEST_CASE("f64 unary: abs/neg keep NaN payloads, nearest rounds half to even") {
  Instance inst(unaryOps("f64", {"abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"}));
  CHECK(inst.invoke("abs", {F64Bits(0xfff4000000000001ULL)}).f64Bits() == 0x7ff4000000000001ULL);
  CHECK(inst.invoke("neg", {F64Bits(0x7ff4000000000001ULL)}).f64Bits() == 0xfff4000000000001ULL);
  CHECK(inst.invoke("neg", {F64(0.0)}).f64Bits() == 0x8000000000000000ULL);
  CHECK(inst.invoke("nearest", {F64(2.5)}).f64() == 2.0);
  CHECK(inst.invoke("nearest", {F64(3.5)}).f64() == 4.0);
  CHECK(inst.invoke("nearest", {F64(-0.5)}).f64Bits() == 0x8000000000000000ULL);
  CHECK(inst.invoke("ceil", {F64(-0.5)}).f64Bits() == 0x8000000000000000ULL);
  CHECK(inst.invoke("floor", {F64(-0.5)}).f64() == -1.0);
  CHECK(inst.invoke("trunc", {F64(-1.9)}).f64() == -1.0);
  CHECK(inst.invoke("sqrt", {F64(2.0)}).f64() == std::sqrt(2.0));
  CHECK(std::isnan(inst.invoke("sqrt", {F64(-1.0)}).f64()));
  Instance f32(unaryOps("f32", {"abs", "neg", "nearest"}));
  CHECK(f32.invoke("abs", {F32Bits(0xff800001)}).f32Bits() == 0x7f800001u);
  CHECK(f32.invoke("neg", {F32Bits(0x7f800001)}).f32Bits() == 0xff800001u);
  CHECK(f32.invoke("nearest", {F32(-1.5f)}).f32() == -2.0f);
}

TEST_CASE("float comparisons with NaN") {
  Instance inst(binaryOps("f64", {"eq", "ne", "lt", "gt", "le", "ge"}, "i32"));
  double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(inst.invoke("eq", {F64(nan), F64(nan)}).i32() == 0);
  CHECK(inst.invoke("ne", {F64(nan), F64(nan)}).i32() == 1);
  CHECK(inst.invoke("lt", {F64(nan), F64(1)}).i32() == 0);
  CHECK(inst.invoke("ge", {F64(nan), F64(1)}).i32() == 0);
  CHECK(inst.invoke("eq", {F64(0.0), F64(-0.0)}).i32() == 1);
  CHECK(inst.invoke("le", {F64(1), F64(1)}).i32() == 1);
  CHECK(inst.invoke("gt", {F64(2), F64(1)}).i32() == 1);
}

TEST_CASE("constants keep NaN payloads bit for bit") {
  Instance inst(R"((module
    (func (export "f32") (result f32) f32.const nan:0x200001)
    (func (export "f64") (result f64) f64.const -nan:0x4000000000001)
    (func (export "i32") (result i32) f32.const nan:0x1 i32.reinterpret_f32)))");
  CHECK(inst.invoke("f32").f32Bits() == 0x7fa00001u);
  CHECK(inst.invoke("f64").f64Bits() == 0xfff4000000000001ULL);
  CHECK(inst.invoke("i32").i32() == 0x7f800001);
}

// Regression: LLVM's default float semantics folded x - 0.0, x * 1.0, x / -1.0 and
// demote(promote(x)) to x, returning a signalling NaN unquieted (spec float_exprs.wast).
TEST_CASE("signalling NaNs come out of arithmetic quieted") {
  Instance inst(R"((module
    (func (export "sub0") (param f32) (result f32) local.get 0 f32.const 0 f32.sub)
    (func (export "mul1") (param f64) (result f64) local.get 0 f64.const 1 f64.mul)
    (func (export "divm1") (param f32) (result f32) local.get 0 f32.const -1 f32.div)
    (func (export "promote-demote") (param f32) (result f32) local.get 0 f64.promote_f32 f32.demote_f64)))");
  CHECK((inst.invoke("sub0", {F32Bits(0x7fa00000)}).f32Bits() & 0x7fc00000u) == 0x7fc00000u);
  CHECK((inst.invoke("mul1", {F64Bits(0x7ff4000000000000ULL)}).f64Bits() & 0x7ff8000000000000ULL) == 0x7ff8000000000000ULL);
  CHECK((inst.invoke("divm1", {F32Bits(0x7fa00000)}).f32Bits() & 0x7fc00000u) == 0x7fc00000u);
  CHECK((inst.invoke("promote-demote", {F32Bits(0x7fa00000)}).f32Bits() & 0x7fc00000u) == 0x7fc00000u);
  CHECK(inst.invoke("sub0", {F32(1.5f)}).f32() == 1.5f);
}

// The same folds when the constant only appears after optimisation: through a call that LLVM
// inlines, through a local, from an integer conversion, and through memory (an integer store
// forwarded to a float load). Checking the literal constant of one instruction when emitting it
// would not be enough to drop the constrained operations (docs/architecture.md, "Compile").
TEST_CASE("signalling NaNs come out quieted when the constant comes from elsewhere") {
  const char* wat = R"((module
    (memory 1)
    (func $mul (param f64 f64) (result f64) local.get 0 local.get 1 f64.mul)
    (func (export "inlined") (param f64) (result f64) local.get 0 f64.const 1 call $mul)
    (func (export "local") (param f32) (result f32) (local f32)
      f32.const -0 local.set 1 local.get 0 local.get 1 f32.add)
    (func (export "converted") (param f64) (result f64)
      local.get 0 i32.const -1 f64.convert_i32_s f64.div)
    (func (export "forwarded") (param f64) (result f64)
      i32.const 8 i64.const 0x3ff0000000000000 i64.store
      local.get 0 i32.const 8 f64.load f64.mul)))";
  for (unsigned optLevel : {2u, 3u}) {
    CAPTURE(optLevel);
    compile::CompileOptions options;
    options.optLevel = optLevel;
    Instance inst(wat, options);
    constexpr uint64_t kSignalling64 = 0x7ff4000000000000ULL, kQuiet64 = 0x7ff8000000000000ULL;
    CHECK((inst.invoke("inlined", {F64Bits(kSignalling64)}).f64Bits() & kQuiet64) == kQuiet64);
    CHECK((inst.invoke("local", {F32Bits(0x7fa00000)}).f32Bits() & 0x7fc00000u) == 0x7fc00000u);
    CHECK((inst.invoke("converted", {F64Bits(kSignalling64)}).f64Bits() & kQuiet64) == kQuiet64);
    CHECK((inst.invoke("forwarded", {F64Bits(kSignalling64)}).f64Bits() & kQuiet64) == kQuiet64);
    CHECK(inst.invoke("inlined", {F64(2.5)}).f64() == 2.5);
    CHECK(inst.invoke("converted", {F64(2.5)}).f64() == -2.5);
  }
}
