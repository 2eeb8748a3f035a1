// Conversions: trapping truncation at the exact range limits, saturation, int-to-float rounding,
// promote/demote and reinterpret.
#include <cmath>
#include <limits>

#include "harness.h"

using namespace orca;
using namespace orca::testing;

namespace {
std::string conv(std::initializer_list<std::tuple<const char*, const char*, const char*>> ops) {
  std::string wat = "(module\n";
  for (auto [name, from, to] : ops) {
    wat += std::string("(func (export \"") + name + "\") (param " + from + ") (result " + to +
           ") local.get 0 " + name + ")\n";
  }
  return wat + ")";
}
}  // namespace

TEST_CASE("trapping float-to-int truncation: exact bounds, NaN and overflow") {
  Instance inst(conv({{"i32.trunc_f32_s", "f32", "i32"}, {"i32.trunc_f32_u", "f32", "i32"},
                      {"i32.trunc_f64_s", "f64", "i32"}, {"i32.trunc_f64_u", "f64", "i32"},
                      {"i64.trunc_f32_s", "f32", "i64"}, {"i64.trunc_f32_u", "f32", "i64"},
                      {"i64.trunc_f64_s", "f64", "i64"}, {"i64.trunc_f64_u", "f64", "i64"}}));
  float nanf = std::numeric_limits<float>::quiet_NaN();
  CHECK(inst.invoke("i32.trunc_f32_s", {F32(-2147483648.0f)}).i32() == std::numeric_limits<int32_t>::min());
  CHECK(inst.invoke("i32.trunc_f32_s", {F32(2147483648.0f)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i32.trunc_f32_s", {F32(-2147483904.0f)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i32.trunc_f32_s", {F32(nanf)}).trap == TrapCode::InvalidConversion);
  CHECK(inst.invoke("i32.trunc_f32_s", {F32(-1.9f)}).i32() == -1);
  CHECK(inst.invoke("i32.trunc_f32_u", {F32(-0.9f)}).i32() == 0);
  CHECK(inst.invoke("i32.trunc_f32_u", {F32(-1.0f)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i32.trunc_f32_u", {F32(4294967040.0f)}).i32() == -256);
  CHECK(inst.invoke("i32.trunc_f32_u", {F32(4294967296.0f)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i32.trunc_f64_s", {F64(-2147483648.9)}).i32() == std::numeric_limits<int32_t>::min());
  CHECK(inst.invoke("i32.trunc_f64_s", {F64(-2147483649.0)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i32.trunc_f64_s", {F64(2147483647.9)}).i32() == 2147483647);
  CHECK(inst.invoke("i32.trunc_f64_s", {F64(2147483648.0)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i32.trunc_f64_u", {F64(4294967295.9)}).i32() == -1);
  CHECK(inst.invoke("i32.trunc_f64_u", {F64(4294967296.0)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i32.trunc_f64_u", {F64(-0.99)}).i32() == 0);
  CHECK(inst.invoke("i32.trunc_f64_u", {F64(std::nan(""))}).trap == TrapCode::InvalidConversion);
  CHECK(inst.invoke("i64.trunc_f32_s", {F32(-9223372036854775808.0f)}).i64() == std::numeric_limits<int64_t>::min());
  CHECK(inst.invoke("i64.trunc_f32_s", {F32(9223372036854775808.0f)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i64.trunc_f32_u", {F32(18446742974197923840.0f)}).i64() == static_cast<int64_t>(18446742974197923840ULL));
  CHECK(inst.invoke("i64.trunc_f32_u", {F32(18446744073709551616.0f)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i64.trunc_f64_s", {F64(-9223372036854775808.0)}).i64() == std::numeric_limits<int64_t>::min());
  CHECK(inst.invoke("i64.trunc_f64_s", {F64(9223372036854775808.0)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i64.trunc_f64_s", {F64(-9223372036854777856.0)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i64.trunc_f64_u", {F64(18446744073709549568.0)}).i64() == static_cast<int64_t>(18446744073709549568ULL));
  CHECK(inst.invoke("i64.trunc_f64_u", {F64(18446744073709551616.0)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i64.trunc_f64_u", {F64(INFINITY)}).trap == TrapCode::IntegerOverflow);
  CHECK(inst.invoke("i64.trunc_f64_u", {F64(-INFINITY)}).trap == TrapCode::IntegerOverflow);
}

TEST_CASE("saturating truncation") {
  Instance inst(conv({{"i32.trunc_sat_f32_s", "f32", "i32"}, {"i32.trunc_sat_f64_u", "f64", "i32"},
                      {"i64.trunc_sat_f64_s", "f64", "i64"}, {"i64.trunc_sat_f32_u", "f32", "i64"}}));
  CHECK(inst.invoke("i32.trunc_sat_f32_s", {F32(3e9f)}).i32() == std::numeric_limits<int32_t>::max());
  CHECK(inst.invoke("i32.trunc_sat_f32_s", {F32(-3e9f)}).i32() == std::numeric_limits<int32_t>::min());
  CHECK(inst.invoke("i32.trunc_sat_f32_s", {F32(std::nanf(""))}).i32() == 0);
  CHECK(inst.invoke("i32.trunc_sat_f64_u", {F64(-5.0)}).i32() == 0);
  CHECK(inst.invoke("i32.trunc_sat_f64_u", {F64(1e10)}).i32() == -1);
  CHECK(inst.invoke("i64.trunc_sat_f64_s", {F64(-INFINITY)}).i64() == std::numeric_limits<int64_t>::min());
  CHECK(inst.invoke("i64.trunc_sat_f32_u", {F32(INFINITY)}).i64() == -1);
}

TEST_CASE("int-to-float rounding, promote/demote, reinterpret, wrap/extend") {
  Instance inst(conv({{"f32.convert_i64_u", "i64", "f32"}, {"f32.convert_i32_u", "i32", "f32"},
                      {"f64.convert_i64_u", "i64", "f64"}, {"f64.convert_i32_s", "i32", "f64"},
                      {"f32.convert_i64_s", "i64", "f32"}, {"f32.demote_f64", "f64", "f32"},
                      {"f64.promote_f32", "f32", "f64"}, {"i64.reinterpret_f64", "f64", "i64"},
                      {"f32.reinterpret_i32", "i32", "f32"}, {"i32.wrap_i64", "i64", "i32"},
                      {"i64.extend_i32_u", "i32", "i64"}, {"i64.extend_i32_s", "i32", "i64"}}));
  CHECK(inst.invoke("f32.convert_i64_u", {I64(-1)}).f32() == 18446744073709551616.0f);
  // Round to nearest even where a double rounding would differ.
  CHECK(inst.invoke("f32.convert_i64_u", {I64(0x8000008000000001LL)}).f32Bits() == 0x5f000001u);
  CHECK(inst.invoke("f32.convert_i64_s", {I64(0x0020000020000001LL)}).f32Bits() == 0x5a000001u);
  CHECK(inst.invoke("f32.convert_i32_u", {I32(-1)}).f32() == 4294967296.0f);
  CHECK(inst.invoke("f64.convert_i64_u", {I64(-1)}).f64() == 18446744073709551616.0);
  CHECK(inst.invoke("f64.convert_i32_s", {I32(-5)}).f64() == -5.0);
  CHECK(inst.invoke("f32.demote_f64", {F64(1e300)}).f32() == INFINITY);
  CHECK(std::isnan(inst.invoke("f32.demote_f64", {F64Bits(0x7ff8000000000001ULL)}).f32()));
  CHECK(inst.invoke("f64.promote_f32", {F32(1.5f)}).f64() == 1.5);
  CHECK(inst.invoke("i64.reinterpret_f64", {F64(-0.0)}).i64() == std::numeric_limits<int64_t>::min());
  CHECK(inst.invoke("f32.reinterpret_i32", {I32(0x7fa00001)}).f32Bits() == 0x7fa00001u);
  CHECK(inst.invoke("i32.wrap_i64", {I64(0x123456789LL)}).i32() == 0x23456789);
  CHECK(inst.invoke("i64.extend_i32_u", {I32(-1)}).i64() == 0xffffffffLL);
  CHECK(inst.invoke("i64.extend_i32_s", {I32(-1)}).i64() == -1);
}
