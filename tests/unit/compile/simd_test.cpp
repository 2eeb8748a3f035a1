// SIMD instructions with the spec's edge cases, family by family (exec/instructions, "Vector
// Instructions", and exec/numerics). Each module exports one function per instruction under test,
// named after it; v128 values travel through the entry trampoline as RawValue's 16 bytes.
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "harness.h"

using namespace orca;
using namespace orca::testing;

namespace {

// A v128 argument from its lanes (lane 0 first, little-endian as in memory).
template <typename T>
RawValue V(std::initializer_list<T> lanes) {
  REQUIRE(lanes.size() * sizeof(T) == 16);
  RawValue r{};
  std::memcpy(r.v128, std::data(lanes), 16);
  return r;
}
RawValue I8(std::initializer_list<int8_t> l) { return V<int8_t>(l); }
RawValue U8(std::initializer_list<uint8_t> l) { return V<uint8_t>(l); }
RawValue I16(std::initializer_list<int16_t> l) { return V<int16_t>(l); }
RawValue I32x4(std::initializer_list<int32_t> l) { return V<int32_t>(l); }
RawValue I64x2(std::initializer_list<int64_t> l) { return V<int64_t>(l); }
RawValue F32x4(std::initializer_list<float> l) { return V<float>(l); }
RawValue F64x2(std::initializer_list<double> l) { return V<double>(l); }
RawValue F32x4Bits(std::initializer_list<uint32_t> l) { return V<uint32_t>(l); }
RawValue F64x2Bits(std::initializer_list<uint64_t> l) { return V<uint64_t>(l); }

// The lanes of a v128 result.
template <typename T>
std::vector<T> lanesOf(const Outcome& out, size_t i = 0) {
  REQUIRE(!out.trap);
  std::vector<T> lanes(16 / sizeof(T));
  std::memcpy(lanes.data(), out.values.at(i).v128, 16);
  return lanes;
}
template <typename T>
std::vector<T> L(std::initializer_list<T> l) { return std::vector<T>(l); }

// One function per instruction: `params` are the wasm parameter types, pushed in order.
std::string ops(const char* params, const char* result, std::initializer_list<const char*> names) {
  std::string wat = "(module\n";
  std::string ps(params);
  size_t n = ps.empty() ? 0 : 1;
  for (char c : ps) n += c == ' ';
  std::string gets;
  for (size_t i = 0; i < n; ++i) gets += "local.get " + std::to_string(i) + " ";
  for (const char* op : names) {
    wat += std::string("(func (export \"") + op + "\") (param " + params + ") (result " + result + ") " + gets +
           op + ")\n";
  }
  return wat + ")";
}

bool isArithmeticNan32(uint32_t bits) { return (bits & 0x7fc00000u) == 0x7fc00000u; }
bool isArithmeticNan64(uint64_t bits) { return (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull; }
bool isCanonicalNan32(uint32_t bits) { return (bits & 0x7fffffffu) == 0x7fc00000u; }

constexpr float kInf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("v128.const, splat, extract_lane (signed and unsigned) and replace_lane") {
  Instance inst(R"((module
    (func (export "const") (result v128) v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 0xff)
    (func (export "i8.splat") (param i32) (result v128) local.get 0 i8x16.splat)
    (func (export "i16.splat") (param i32) (result v128) local.get 0 i16x8.splat)
    (func (export "i64.splat") (param i64) (result v128) local.get 0 i64x2.splat)
    (func (export "f32.splat") (param f32) (result v128) local.get 0 f32x4.splat)
    (func (export "i8.s15") (param v128) (result i32) local.get 0 i8x16.extract_lane_s 15)
    (func (export "i8.u15") (param v128) (result i32) local.get 0 i8x16.extract_lane_u 15)
    (func (export "i16.s7") (param v128) (result i32) local.get 0 i16x8.extract_lane_s 7)
    (func (export "i16.u7") (param v128) (result i32) local.get 0 i16x8.extract_lane_u 7)
    (func (export "i64.1") (param v128) (result i64) local.get 0 i64x2.extract_lane 1)
    (func (export "f32.2") (param v128) (result f32) local.get 0 f32x4.extract_lane 2)
    (func (export "f64.1") (param v128) (result f64) local.get 0 f64x2.extract_lane 1)
    (func (export "i8.replace3") (param v128 i32) (result v128) local.get 0 local.get 1 i8x16.replace_lane 3)
    (func (export "f64.replace0") (param v128 f64) (result v128) local.get 0 local.get 1 f64x2.replace_lane 0)
  ))");
  CHECK(lanesOf<uint8_t>(inst.invoke("const")) == L<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff}));
  // splat truncates the i32 to the lane width.
  CHECK(lanesOf<uint8_t>(inst.invoke("i8.splat", {I32(0x1234)})) == std::vector<uint8_t>(16, 0x34));
  CHECK(lanesOf<int16_t>(inst.invoke("i16.splat", {I32(0x18000)})) == std::vector<int16_t>(8, -32768));
  CHECK(lanesOf<int64_t>(inst.invoke("i64.splat", {I64(-2)})) == L<int64_t>({-2, -2}));
  CHECK(lanesOf<float>(inst.invoke("f32.splat", {F32(-1.5f)})) == L<float>({-1.5f, -1.5f, -1.5f, -1.5f}));

  RawValue bytes = U8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0x34, 0x80});
  CHECK(inst.invoke("i8.s15", {bytes}).i32() == -128);
  CHECK(inst.invoke("i8.u15", {bytes}).i32() == 128);
  CHECK(inst.invoke("i16.s7", {bytes}).i32() == -32716);  // 0x8034
  CHECK(inst.invoke("i16.u7", {bytes}).i32() == 0x8034);
  CHECK(inst.invoke("i64.1", {I64x2({1, -7})}).i64() == -7);
  CHECK(inst.invoke("f32.2", {F32x4({1, 2, -3.25f, 4})}).f32() == -3.25f);
  // A NaN lane keeps its payload when extracted.
  CHECK(inst.invoke("f32.2", {F32x4Bits({0, 0, 0x7fa00001u, 0})}).f32Bits() == 0x7fa00001u);
  CHECK(inst.invoke("f64.1", {F64x2({1, -0.0})}).f64Bits() == 0x8000000000000000ull);

  CHECK(lanesOf<uint8_t>(inst.invoke("i8.replace3", {I8({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), I32(0x1ff)})) ==
        L<uint8_t>({0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<double>(inst.invoke("f64.replace0", {F64x2({1, 2}), F64(-8)})) == L<double>({-8, 2}));
}

TEST_CASE("i8x16.shuffle picks from both operands; swizzle gives 0 for indices of 16 and above") {
  Instance inst(R"((module
    (func (export "shuffle") (param v128 v128) (result v128)
      local.get 0 local.get 1 i8x16.shuffle 31 0 16 15 1 17 2 18 3 19 4 20 5 21 30 14)
    (func (export "swizzle") (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.swizzle)
  ))");
  RawValue a = U8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  RawValue b = U8({100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115});
  CHECK(lanesOf<uint8_t>(inst.invoke("shuffle", {a, b})) ==
        L<uint8_t>({115, 0, 100, 15, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105, 114, 14}));
  CHECK(lanesOf<uint8_t>(inst.invoke("swizzle", {b, U8({15, 16, 17, 0x80, 0xff, 0x10, 0x0f, 0, 1, 2, 3, 4, 5, 6, 7, 0x8f})})) ==
        L<uint8_t>({115, 0, 0, 0, 0, 0, 115, 100, 101, 102, 103, 104, 105, 106, 107, 0}));
}

TEST_CASE("integer lane arithmetic: wrapping, saturating, min/max, avgr_u, abs of INT_MIN, neg, popcnt") {
  Instance inst(ops("v128 v128", "v128",
                    {"i8x16.add", "i8x16.sub", "i16x8.mul", "i32x4.mul", "i64x2.mul", "i8x16.add_sat_s",
                     "i8x16.add_sat_u", "i8x16.sub_sat_s", "i8x16.sub_sat_u", "i16x8.add_sat_s", "i16x8.sub_sat_u",
                     "i8x16.min_s", "i8x16.min_u", "i32x4.max_s", "i32x4.max_u", "i8x16.avgr_u", "i16x8.avgr_u"}));
  Instance un(ops("v128", "v128", {"i8x16.abs", "i16x8.abs", "i32x4.abs", "i64x2.abs", "i8x16.neg", "i64x2.neg", "i8x16.popcnt"}));

  RawValue a8 = I8({127, -128, -1, 0, 100, -100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  RawValue b8 = I8({1, -1, 1, -128, 100, -100, -1, -2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.add", {a8, b8})) ==
        L<int8_t>({-128, 127, 0, -128, -56, 56, 0, 0, 6, 8, 10, 12, 14, 16, 18, 20}));
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.sub", {a8, b8})) ==
        L<int8_t>({126, -127, -2, -128, 0, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.add_sat_s", {a8, b8})) ==
        L<int8_t>({127, -128, 0, -128, 127, -128, 0, 0, 6, 8, 10, 12, 14, 16, 18, 20}));
  // Unsigned view: 127+1, 0x80+0xff, 0xff+1, 0+0x80, 100+100, 0x9c+0x9c, ...
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.add_sat_u", {a8, b8})) ==
        L<uint8_t>({128, 255, 255, 128, 200, 255, 255, 255, 6, 8, 10, 12, 14, 16, 18, 20}));
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.sub_sat_s", {a8, b8})) ==
        L<int8_t>({126, -127, -2, 127, 0, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.sub_sat_u", {a8, b8})) ==
        L<uint8_t>({126, 0, 254, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.min_s", {a8, b8})) ==
        L<int8_t>({1, -128, -1, -128, 100, -100, -1, -2, 3, 4, 5, 6, 7, 8, 9, 10}));
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.min_u", {a8, b8})) ==
        L<uint8_t>({1, 128, 1, 0, 100, 156, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.avgr_u", {U8({255, 0, 0, 1, 2, 3, 254, 100, 0, 0, 0, 0, 0, 0, 0, 0}),
                                                      U8({255, 0, 1, 2, 2, 4, 255, 101, 0, 0, 0, 0, 0, 0, 0, 0})})) ==
        L<uint8_t>({255, 0, 1, 2, 2, 4, 255, 101, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<uint16_t>(inst.invoke("i16x8.avgr_u", {V<uint16_t>({65535, 65534, 0, 1, 0, 0, 0, 0}),
                                                       V<uint16_t>({65535, 65535, 1, 1, 0, 0, 0, 0})})) ==
        L<uint16_t>({65535, 65535, 1, 1, 0, 0, 0, 0}));

  CHECK(lanesOf<int16_t>(inst.invoke("i16x8.mul", {I16({0x4000, -1, 300, 0, 0, 0, 0, 0}), I16({4, -1, 300, 0, 0, 0, 0, 0})})) ==
        L<int16_t>({0, 1, 24464, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int64_t>(inst.invoke("i64x2.mul", {I64x2({0x100000001LL, -3}), I64x2({0x100000001LL, 5})})) ==
        L<int64_t>({0x200000001LL, -15}));
  CHECK(lanesOf<int16_t>(inst.invoke("i16x8.add_sat_s", {I16({32767, -32768, 1, 0, 0, 0, 0, 0}), I16({1, -1, 1, 0, 0, 0, 0, 0})})) ==
        L<int16_t>({32767, -32768, 2, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<uint16_t>(inst.invoke("i16x8.sub_sat_u", {V<uint16_t>({0, 5, 65535, 0, 0, 0, 0, 0}), V<uint16_t>({1, 3, 1, 0, 0, 0, 0, 0})})) ==
        L<uint16_t>({0, 2, 65534, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.max_s", {I32x4({-1, 5, INT32_MIN, 0}), I32x4({1, 4, INT32_MAX, 0})})) ==
        L<int32_t>({1, 5, INT32_MAX, 0}));
  CHECK(lanesOf<uint32_t>(inst.invoke("i32x4.max_u", {I32x4({-1, 5, INT32_MIN, 0}), I32x4({1, 4, INT32_MAX, 0})})) ==
        L<uint32_t>({0xffffffffu, 5, 0x80000000u, 0}));

  // abs of INT_MIN is INT_MIN (it wraps), not poison.
  CHECK(lanesOf<int8_t>(un.invoke("i8x16.abs", {I8({-128, -127, 127, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -10})})) ==
        L<int8_t>({-128, 127, 127, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10}));
  CHECK(lanesOf<int16_t>(un.invoke("i16x8.abs", {I16({-32768, -1, 5, 0, 0, 0, 0, 0})})) == L<int16_t>({-32768, 1, 5, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int32_t>(un.invoke("i32x4.abs", {I32x4({INT32_MIN, -1, 5, 0})})) == L<int32_t>({INT32_MIN, 1, 5, 0}));
  CHECK(lanesOf<int64_t>(un.invoke("i64x2.abs", {I64x2({INT64_MIN, -9})})) == L<int64_t>({INT64_MIN, 9}));
  CHECK(lanesOf<int8_t>(un.invoke("i8x16.neg", {I8({-128, 1, 0, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})})) ==
        L<int8_t>({-128, -1, 0, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int64_t>(un.invoke("i64x2.neg", {I64x2({INT64_MIN, 1})})) == L<int64_t>({INT64_MIN, -1}));
  CHECK(lanesOf<uint8_t>(un.invoke("i8x16.popcnt", {U8({0, 1, 3, 7, 0xf, 0x1f, 0x3f, 0x7f, 0xff, 0x80, 0x55, 0xaa, 0x10, 0x11, 0x12, 0xfe})})) ==
        L<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 4, 4, 1, 2, 2, 7}));
}

TEST_CASE("shifts take the count modulo the lane width") {
  Instance inst(ops("v128 i32", "v128",
                    {"i8x16.shl", "i8x16.shr_s", "i8x16.shr_u", "i16x8.shr_s", "i32x4.shl", "i64x2.shl",
                     "i64x2.shr_s", "i64x2.shr_u"}));
  RawValue bytes = U8({0x81, 1, 0x40, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80});
  // 9 mod 8 = 1.
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.shl", {bytes, I32(9)})) ==
        L<uint8_t>({0x02, 2, 0x80, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.shr_s", {bytes, I32(-1)})) ==  // -1 mod 8 = 7
        L<uint8_t>({0xff, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff}));
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.shr_u", {bytes, I32(8)})) ==  // 8 mod 8 = 0
        L<uint8_t>({0x81, 1, 0x40, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80}));
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.shr_u", {bytes, I32(15)})) ==
        L<uint8_t>({1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  CHECK(lanesOf<int16_t>(inst.invoke("i16x8.shr_s", {I16({-32768, 16, 0, 0, 0, 0, 0, 0}), I32(17)})) ==
        L<int16_t>({-16384, 8, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.shl", {I32x4({1, 3, -1, 0}), I32(33)})) == L<int32_t>({2, 6, -2, 0}));
  CHECK(lanesOf<int64_t>(inst.invoke("i64x2.shl", {I64x2({1, 1}), I32(127)})) ==
        L<int64_t>({INT64_MIN, INT64_MIN}));
  CHECK(lanesOf<int64_t>(inst.invoke("i64x2.shr_s", {I64x2({INT64_MIN, 4}), I32(65)})) == L<int64_t>({INT64_MIN / 2, 2}));
  CHECK(lanesOf<uint64_t>(inst.invoke("i64x2.shr_u", {I64x2({INT64_MIN, -1}), I32(64 + 63)})) == L<uint64_t>({1, 1}));
}

TEST_CASE("comparisons give all-ones lanes; float ne is true for NaN") {
  Instance inst(ops("v128 v128", "v128",
                    {"i8x16.lt_s", "i8x16.lt_u", "i16x8.ge_u", "i32x4.gt_s", "i64x2.le_s", "i64x2.ne",
                     "f32x4.eq", "f32x4.ne", "f32x4.lt", "f64x2.ge"}));
  RawValue a = I8({-1, 1, 0, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5});
  RawValue b = I8({0, 1, -1, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4});
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.lt_s", {a, b})) == L<int8_t>({-1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.lt_u", {a, b})) == L<int8_t>({0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(lanesOf<int16_t>(inst.invoke("i16x8.ge_u", {I16({-1, 0, 1, 2, 0, 0, 0, 0}), I16({1, 0, 2, 2, 0, 0, 0, 1})})) ==
        L<int16_t>({-1, -1, 0, -1, -1, -1, -1, 0}));
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.gt_s", {I32x4({INT32_MAX, -1, 0, 5}), I32x4({INT32_MIN, 0, 0, 4})})) ==
        L<int32_t>({-1, 0, 0, -1}));
  CHECK(lanesOf<int64_t>(inst.invoke("i64x2.le_s", {I64x2({INT64_MIN, 1}), I64x2({INT64_MAX, 0})})) == L<int64_t>({-1, 0}));
  CHECK(lanesOf<int64_t>(inst.invoke("i64x2.ne", {I64x2({3, 1}), I64x2({3, 0})})) == L<int64_t>({0, -1}));
  float nan = std::numeric_limits<float>::quiet_NaN();
  RawValue fa = F32x4({nan, 0.0f, -0.0f, 1});
  RawValue fb = F32x4({nan, -0.0f, 1, 1});
  CHECK(lanesOf<int32_t>(inst.invoke("f32x4.eq", {fa, fb})) == L<int32_t>({0, -1, 0, -1}));
  CHECK(lanesOf<int32_t>(inst.invoke("f32x4.ne", {fa, fb})) == L<int32_t>({-1, 0, -1, 0}));
  CHECK(lanesOf<int32_t>(inst.invoke("f32x4.lt", {fa, fb})) == L<int32_t>({0, 0, -1, 0}));
  CHECK(lanesOf<int64_t>(inst.invoke("f64x2.ge", {F64x2({std::nan(""), 2}), F64x2({1, 2})})) == L<int64_t>({0, -1}));
}

TEST_CASE("bitwise ops, bitselect, any_true, all_true and bitmask") {
  Instance inst(R"((module
    (func (export "not") (param v128) (result v128) local.get 0 v128.not)
    (func (export "andnot") (param v128 v128) (result v128) local.get 0 local.get 1 v128.andnot)
    (func (export "bitselect") (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 v128.bitselect)
    (func (export "any_true") (param v128) (result i32) local.get 0 v128.any_true)
    (func (export "i8.all_true") (param v128) (result i32) local.get 0 i8x16.all_true)
    (func (export "i64.all_true") (param v128) (result i32) local.get 0 i64x2.all_true)
    (func (export "i8.bitmask") (param v128) (result i32) local.get 0 i8x16.bitmask)
    (func (export "i16.bitmask") (param v128) (result i32) local.get 0 i16x8.bitmask)
    (func (export "i32.bitmask") (param v128) (result i32) local.get 0 i32x4.bitmask)
    (func (export "i64.bitmask") (param v128) (result i32) local.get 0 i64x2.bitmask)
  ))");
  CHECK(lanesOf<uint64_t>(inst.invoke("not", {I64x2({0, 0x0123456789abcdefLL})})) ==
        L<uint64_t>({~0ull, ~0x0123456789abcdefull}));
  CHECK(lanesOf<uint64_t>(inst.invoke("andnot", {I64x2({-1, 0xff}), I64x2({0xf0, 0x0f})})) == L<uint64_t>({~0xf0ull, 0xf0}));
  CHECK(lanesOf<uint64_t>(inst.invoke("bitselect", {I64x2({-1, 0x1111}), I64x2({0, 0x2222}), I64x2({0xff00, 0xf0f0})})) ==
        L<uint64_t>({0xff00, 0x1212}));
  CHECK(inst.invoke("any_true", {I64x2({0, 0})}).i32() == 0);
  CHECK(inst.invoke("any_true", {I64x2({0, INT64_MIN})}).i32() == 1);
  CHECK(inst.invoke("any_true", {I64x2({1, 0})}).i32() == 1);
  CHECK(inst.invoke("i8.all_true", {U8({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x80})}).i32() == 1);
  CHECK(inst.invoke("i8.all_true", {U8({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0})}).i32() == 0);
  CHECK(inst.invoke("i64.all_true", {I64x2({0x100000000LL, 1})}).i32() == 1);
  CHECK(inst.invoke("i64.all_true", {I64x2({-1, 0})}).i32() == 0);
  CHECK(inst.invoke("i8.bitmask", {U8({0x80, 0, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80})}).i32() == 0x8005);
  CHECK(inst.invoke("i16.bitmask", {I16({-1, 1, -32768, 32767, 0, 0, 0, -2})}).i32() == 0x85);
  CHECK(inst.invoke("i32.bitmask", {I32x4({-1, -1, -1, -1})}).i32() == 0xf);
  CHECK(inst.invoke("i64.bitmask", {I64x2({1, -1})}).i32() == 2);
}

TEST_CASE("narrow saturates; extend, extmul, extadd_pairwise, dot and q15mulr_sat_s") {
  Instance inst(ops("v128 v128", "v128",
                    {"i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u", "i16x8.narrow_i32x4_s", "i16x8.narrow_i32x4_u",
                     "i16x8.extmul_high_i8x16_s", "i16x8.extmul_low_i8x16_u", "i64x2.extmul_low_i32x4_s",
                     "i64x2.extmul_high_i32x4_u", "i32x4.dot_i16x8_s", "i16x8.q15mulr_sat_s"}));
  Instance un(ops("v128", "v128",
                  {"i16x8.extend_low_i8x16_s", "i16x8.extend_high_i8x16_u", "i32x4.extend_high_i16x8_s",
                   "i64x2.extend_low_i32x4_u", "i16x8.extadd_pairwise_i8x16_s", "i16x8.extadd_pairwise_i8x16_u",
                   "i32x4.extadd_pairwise_i16x8_s", "i32x4.extadd_pairwise_i16x8_u"}));

  RawValue wide = I16({-129, -128, 127, 128, 255, 256, -1, 0});
  CHECK(lanesOf<int8_t>(inst.invoke("i8x16.narrow_i16x8_s", {wide, I16({32767, -32768, 1, 2, 3, 4, 5, 6})})) ==
        L<int8_t>({-128, -128, 127, 127, 127, 127, -1, 0, 127, -128, 1, 2, 3, 4, 5, 6}));
  CHECK(lanesOf<uint8_t>(inst.invoke("i8x16.narrow_i16x8_u", {wide, I16({32767, -32768, 1, 2, 3, 4, 5, 6})})) ==
        L<uint8_t>({0, 0, 127, 128, 255, 255, 0, 0, 255, 0, 1, 2, 3, 4, 5, 6}));
  CHECK(lanesOf<int16_t>(inst.invoke("i16x8.narrow_i32x4_s", {I32x4({-32769, 32768, 5, -5}), I32x4({INT32_MIN, INT32_MAX, 0, 1})})) ==
        L<int16_t>({-32768, 32767, 5, -5, -32768, 32767, 0, 1}));
  CHECK(lanesOf<uint16_t>(inst.invoke("i16x8.narrow_i32x4_u", {I32x4({-1, 65536, 65535, 40000}), I32x4({INT32_MIN, INT32_MAX, 0, 1})})) ==
        L<uint16_t>({0, 65535, 65535, 40000, 0, 65535, 0, 1}));

  RawValue bytes = I8({-128, -1, 2, 3, 4, 5, 6, 7, -128, 127, -1, 1, 0, 0, 0, 0});
  CHECK(lanesOf<int16_t>(un.invoke("i16x8.extend_low_i8x16_s", {bytes})) == L<int16_t>({-128, -1, 2, 3, 4, 5, 6, 7}));
  CHECK(lanesOf<int16_t>(un.invoke("i16x8.extend_high_i8x16_u", {bytes})) == L<int16_t>({128, 127, 255, 1, 0, 0, 0, 0}));
  CHECK(lanesOf<int32_t>(un.invoke("i32x4.extend_high_i16x8_s", {I16({0, 0, 0, 0, -32768, -1, 1, 32767})})) ==
        L<int32_t>({-32768, -1, 1, 32767}));
  CHECK(lanesOf<int64_t>(un.invoke("i64x2.extend_low_i32x4_u", {I32x4({-1, INT32_MIN, 0, 0})})) ==
        L<int64_t>({0xffffffffLL, 0x80000000LL}));
  CHECK(lanesOf<int16_t>(un.invoke("i16x8.extadd_pairwise_i8x16_s", {bytes})) == L<int16_t>({-129, 5, 9, 13, -1, 0, 0, 0}));
  CHECK(lanesOf<int16_t>(un.invoke("i16x8.extadd_pairwise_i8x16_u", {bytes})) == L<int16_t>({383, 5, 9, 13, 255, 256, 0, 0}));
  CHECK(lanesOf<int32_t>(un.invoke("i32x4.extadd_pairwise_i16x8_s", {I16({-32768, -32768, 32767, 32767, -1, 1, 0, 0})})) ==
        L<int32_t>({-65536, 65534, 0, 0}));
  CHECK(lanesOf<int32_t>(un.invoke("i32x4.extadd_pairwise_i16x8_u", {I16({-32768, -32768, -1, -1, -1, 1, 0, 0})})) ==
        L<int32_t>({65536, 131070, 65536, 0}));

  CHECK(lanesOf<int16_t>(inst.invoke("i16x8.extmul_high_i8x16_s", {bytes, bytes})) ==
        L<int16_t>({16384, 16129, 1, 1, 0, 0, 0, 0}));
  CHECK(lanesOf<uint16_t>(inst.invoke("i16x8.extmul_low_i8x16_u", {bytes, bytes})) ==
        L<uint16_t>({16384, 65025, 4, 9, 16, 25, 36, 49}));
  CHECK(lanesOf<int64_t>(inst.invoke("i64x2.extmul_low_i32x4_s", {I32x4({INT32_MIN, -1, 0, 0}), I32x4({INT32_MIN, 7, 0, 0})})) ==
        L<int64_t>({0x4000000000000000LL, -7}));
  CHECK(lanesOf<uint64_t>(inst.invoke("i64x2.extmul_high_i32x4_u", {I32x4({0, 0, -1, 2}), I32x4({0, 0, -1, 3})})) ==
        L<uint64_t>({0xfffffffe00000001ull, 6}));

  // dot: the only overflow, -32768*-32768 twice, wraps to INT32_MIN.
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.dot_i16x8_s", {I16({-32768, -32768, 1, 2, 3, -4, 32767, 32767}),
                                                         I16({-32768, -32768, 5, 6, 7, 8, 32767, -32768})})) ==
        L<int32_t>({INT32_MIN, 17, -11, -32767}));
  // q15mulr: (x*y + 0x4000) >> 15, saturating only 0x8000 * 0x8000.
  CHECK(lanesOf<int16_t>(inst.invoke("i16x8.q15mulr_sat_s", {I16({-32768, -32768, 16384, 1, -1, 32767, 0x2000, -16384}),
                                                           I16({-32768, 32767, 16384, 16384, 16384, 32767, 3, 1})})) ==
        L<int16_t>({32767, -32767, 8192, 1, 0, 32766, 1, 0}));
}

TEST_CASE("float lanes: min/max with NaN and signed zeros, pmin/pmax as selects, rounding, abs/neg keep payloads") {
  Instance inst(ops("v128 v128", "v128",
                    {"f32x4.min", "f32x4.max", "f64x2.min", "f64x2.max", "f32x4.pmin", "f32x4.pmax", "f64x2.pmin",
                     "f64x2.pmax", "f32x4.add", "f32x4.div", "f64x2.sub", "f64x2.mul"}));
  Instance un(ops("v128", "v128",
                  {"f32x4.abs", "f32x4.neg", "f64x2.abs", "f64x2.neg", "f32x4.sqrt", "f64x2.sqrt", "f32x4.ceil",
                   "f32x4.floor", "f32x4.trunc", "f32x4.nearest", "f64x2.nearest", "f64x2.ceil"}));

  auto minLanes = lanesOf<uint32_t>(inst.invoke("f32x4.min", {F32x4({0.0f, -0.0f, 1, 2}), F32x4Bits({0x80000000u, 0, 0x7fc00000u, 0x7fa00000u})}));
  CHECK(minLanes[0] == 0x80000000u);  // min(+0, -0) = -0
  CHECK(minLanes[1] == 0x80000000u);
  CHECK(isCanonicalNan32(minLanes[2]));
  CHECK(isArithmeticNan32(minLanes[3]));  // a signalling NaN comes out quieted
  auto maxLanes = lanesOf<uint32_t>(inst.invoke("f32x4.max", {F32x4({0.0f, -0.0f, -kInf, 2}), F32x4({-0.0f, 0.0f, 1, kInf})}));
  CHECK(maxLanes == L<uint32_t>({0, 0, 0x3f800000u, 0x7f800000u}));
  auto min64 = lanesOf<uint64_t>(inst.invoke("f64x2.min", {F64x2({std::nan(""), -0.0}), F64x2({1, 0.0})}));
  CHECK(isArithmeticNan64(min64[0]));
  CHECK(min64[1] == 0x8000000000000000ull);
  auto max64 = lanesOf<uint64_t>(inst.invoke("f64x2.max", {F64x2({-0.0, 3}), F64x2({0.0, std::nan("")})}));
  CHECK(max64[0] == 0);
  CHECK(isArithmeticNan64(max64[1]));

  // pmin(a, b) = b < a ? b : a: a NaN in either operand makes the comparison false, giving a.
  auto pmin = lanesOf<uint32_t>(inst.invoke("f32x4.pmin", {F32x4Bits({0x7fc00001u, 0x3f800000u, 0, 0x80000000u}),
                                                          F32x4Bits({0x3f800000u, 0x7fc00002u, 0x80000000u, 0})}));
  CHECK(pmin == L<uint32_t>({0x7fc00001u, 0x3f800000u, 0, 0x80000000u}));
  auto pmax = lanesOf<float>(inst.invoke("f32x4.pmax", {F32x4({1, 3, -kInf, 0}), F32x4({2, 2, kInf, 0})}));
  CHECK(pmax == L<float>({2, 3, kInf, 0}));
  CHECK(lanesOf<double>(inst.invoke("f64x2.pmin", {F64x2({1, -2}), F64x2({0.5, 3})})) == L<double>({0.5, -2}));
  auto pmax64 = lanesOf<uint64_t>(inst.invoke("f64x2.pmax", {F64x2Bits({0x7ff8000000000001ull, 0}), F64x2({7, -0.0})}));
  CHECK(pmax64 == L<uint64_t>({0x7ff8000000000001ull, 0}));

  CHECK(lanesOf<float>(inst.invoke("f32x4.add", {F32x4({1, 1e38f, -1, 0.5f}), F32x4({2, 1e38f, 1, 0.25f})})) ==
        L<float>({3, 2e38f, 0, 0.75f}));
  auto div = lanesOf<uint32_t>(inst.invoke("f32x4.div", {F32x4({1, -1, 0, 6}), F32x4({0, 0, 0, 3})}));
  CHECK(div[0] == 0x7f800000u);
  CHECK(div[1] == 0xff800000u);
  CHECK(isCanonicalNan32(div[2]));
  CHECK(div[3] == 0x40000000u);
  CHECK(lanesOf<double>(inst.invoke("f64x2.sub", {F64x2({1, 0.3}), F64x2({0.5, 0.1})})) == L<double>({0.5, 0.3 - 0.1}));
  CHECK(lanesOf<double>(inst.invoke("f64x2.mul", {F64x2({1e300, -2}), F64x2({1e10, 0.5})})) ==
        L<double>({std::numeric_limits<double>::infinity(), -1}));

  // abs/neg only touch the sign bit, also of NaNs.
  CHECK(lanesOf<uint32_t>(un.invoke("f32x4.abs", {F32x4Bits({0xffa00001u, 0x80000000u, 0xbf800000u, 0x7f800000u})})) ==
        L<uint32_t>({0x7fa00001u, 0, 0x3f800000u, 0x7f800000u}));
  CHECK(lanesOf<uint32_t>(un.invoke("f32x4.neg", {F32x4Bits({0x7fa00001u, 0, 0xbf800000u, 0xff800000u})})) ==
        L<uint32_t>({0xffa00001u, 0x80000000u, 0x3f800000u, 0x7f800000u}));
  CHECK(lanesOf<uint64_t>(un.invoke("f64x2.abs", {F64x2Bits({0xfff4000000000001ull, 0x8000000000000000ull})})) ==
        L<uint64_t>({0x7ff4000000000001ull, 0}));
  CHECK(lanesOf<uint64_t>(un.invoke("f64x2.neg", {F64x2Bits({0x7ff4000000000001ull, 0})})) ==
        L<uint64_t>({0xfff4000000000001ull, 0x8000000000000000ull}));

  auto sq = lanesOf<uint32_t>(un.invoke("f32x4.sqrt", {F32x4({4, -1, -0.0f, kInf})}));
  CHECK(sq[0] == 0x40000000u);
  CHECK(isCanonicalNan32(sq[1]));
  CHECK(sq[2] == 0x80000000u);
  CHECK(sq[3] == 0x7f800000u);
  CHECK(lanesOf<double>(un.invoke("f64x2.sqrt", {F64x2({2, 0.25})})) == L<double>({std::sqrt(2.0), 0.5}));
  auto ceil = lanesOf<uint32_t>(un.invoke("f32x4.ceil", {F32x4({-0.5f, 1.1f, -1.5f, 0x1p23f + 1})}));
  CHECK(ceil == L<uint32_t>({0x80000000u, 0x40000000u, 0xbf800000u, 0x4b000001u}));  // -0, 2, -1, 2^23+1
  CHECK(lanesOf<float>(un.invoke("f32x4.floor", {F32x4({-0.5f, 1.9f, -1.5f, kInf})})) == L<float>({-1, 1, -2, kInf}));
  auto tr = lanesOf<uint32_t>(un.invoke("f32x4.trunc", {F32x4({-0.5f, 1.9f, -1.5f, 0})}));
  CHECK(tr == L<uint32_t>({0x80000000u, 0x3f800000u, 0xbf800000u, 0}));
  // nearest rounds half to even and keeps the sign of zero.
  auto near = lanesOf<uint32_t>(un.invoke("f32x4.nearest", {F32x4({2.5f, 3.5f, -0.5f, -1.5f})}));
  CHECK(near == L<uint32_t>({0x40000000u, 0x40800000u, 0x80000000u, 0xc0000000u}));
  CHECK(lanesOf<double>(un.invoke("f64x2.nearest", {F64x2({0.5, 4503599627370497.0})})) == L<double>({0, 4503599627370497.0}));
  auto nanCeil = lanesOf<uint64_t>(un.invoke("f64x2.ceil", {F64x2Bits({0x7ff0000000000001ull, 0xbfe0000000000000ull})}));
  CHECK(isArithmeticNan64(nanCeil[0]));
  CHECK(nanCeil[1] == 0x8000000000000000ull);  // ceil(-0.5) = -0
}

TEST_CASE("signalling NaNs in constants come out quieted (no constant folding through them)") {
  Instance inst(R"((module
    (func (export "sqrt") (result v128) (f32x4.sqrt (v128.const f32x4 nan:0x200000 -nan:0x1 4 1)))
    (func (export "nearest") (result v128) (f64x2.nearest (v128.const f64x2 nan:0x1 2.5)))
    (func (export "mul1") (result v128) (f32x4.mul (v128.const f32x4 nan:0x1 1 1 1) (v128.const f32x4 1 1 1 1)))
    (func (export "demote") (result v128) (f32x4.demote_f64x2_zero (v128.const f64x2 nan:0x1 1)))
    (func (export "promote") (result v128) (f64x2.promote_low_f32x4 (v128.const f32x4 nan:0x1 1 0 0)))
  ))");
  auto sq = lanesOf<uint32_t>(inst.invoke("sqrt"));
  CHECK(isArithmeticNan32(sq[0]));
  CHECK(isArithmeticNan32(sq[1]));
  CHECK(sq[2] == 0x40000000u);
  auto near = lanesOf<uint64_t>(inst.invoke("nearest"));
  CHECK(isArithmeticNan64(near[0]));
  CHECK(near[1] == 0x4000000000000000ull);
  CHECK(isArithmeticNan32(lanesOf<uint32_t>(inst.invoke("mul1"))[0]));
  auto dem = lanesOf<uint32_t>(inst.invoke("demote"));
  CHECK(isArithmeticNan32(dem[0]));
  CHECK(dem[1] == 0x3f800000u);
  CHECK(dem[2] == 0);
  CHECK(dem[3] == 0);
  CHECK(isArithmeticNan64(lanesOf<uint64_t>(inst.invoke("promote"))[0]));
}

TEST_CASE("conversions: saturating truncation, the _zero forms, demote/promote, convert_low") {
  Instance inst(ops("v128", "v128",
                    {"i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u", "i32x4.trunc_sat_f64x2_s_zero",
                     "i32x4.trunc_sat_f64x2_u_zero", "f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u",
                     "f64x2.convert_low_i32x4_s", "f64x2.convert_low_i32x4_u", "f32x4.demote_f64x2_zero",
                     "f64x2.promote_low_f32x4"}));
  float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.trunc_sat_f32x4_s", {F32x4({nan, 3e9f, -3e9f, -1.9f})})) ==
        L<int32_t>({0, INT32_MAX, INT32_MIN, -1}));
  CHECK(lanesOf<uint32_t>(inst.invoke("i32x4.trunc_sat_f32x4_u", {F32x4({nan, 5e9f, -1.9f, 4294967040.0f})})) ==
        L<uint32_t>({0, 0xffffffffu, 0, 4294967040u}));
  // Unsigned lanes of 2^31 and above take the subtract-2^31 path; fractions below 0 give 0.
  CHECK(lanesOf<uint32_t>(inst.invoke("i32x4.trunc_sat_f32x4_u", {F32x4({3e9f, 2147483648.0f, -0.9f, 2147483520.0f})})) ==
        L<uint32_t>({3000000000u, 2147483648u, 0, 2147483520u}));
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.trunc_sat_f32x4_s", {F32x4({2147483520.0f, 2147483648.0f, -2147483648.0f, -kInf})})) ==
        L<int32_t>({2147483520, INT32_MAX, INT32_MIN, INT32_MIN}));
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.trunc_sat_f64x2_s_zero", {F64x2({-2147483648.9, 2147483647.9})})) ==
        L<int32_t>({INT32_MIN, INT32_MAX, 0, 0}));
  CHECK(lanesOf<int32_t>(inst.invoke("i32x4.trunc_sat_f64x2_s_zero", {F64x2({-2147483649.0, std::nan("")})})) ==
        L<int32_t>({INT32_MIN, 0, 0, 0}));
  CHECK(lanesOf<uint32_t>(inst.invoke("i32x4.trunc_sat_f64x2_u_zero", {F64x2({2147483648.5, 4294967296.0})})) ==
        L<uint32_t>({2147483648u, 0xffffffffu, 0, 0}));
  CHECK(lanesOf<uint32_t>(inst.invoke("i32x4.trunc_sat_f64x2_u_zero", {F64x2({-1e300, 4294967294.99})})) ==
        L<uint32_t>({0, 4294967294u, 0, 0}));
  CHECK(lanesOf<uint32_t>(inst.invoke("i32x4.trunc_sat_f64x2_u_zero", {F64x2({std::nan(""), 4294967295.5})})) ==
        L<uint32_t>({0, 0xffffffffu, 0, 0}));
  CHECK(lanesOf<float>(inst.invoke("f32x4.convert_i32x4_s", {I32x4({INT32_MIN, -1, 16777217, 0})})) ==
        L<float>({-2147483648.0f, -1, 16777216.0f, 0}));
  CHECK(lanesOf<float>(inst.invoke("f32x4.convert_i32x4_u", {I32x4({-1, INT32_MIN, 16777219, 1})})) ==
        L<float>({4294967296.0f, 2147483648.0f, 16777220.0f, 1}));
  CHECK(lanesOf<double>(inst.invoke("f64x2.convert_low_i32x4_s", {I32x4({INT32_MIN, -1, 5, 6})})) ==
        L<double>({-2147483648.0, -1}));
  CHECK(lanesOf<double>(inst.invoke("f64x2.convert_low_i32x4_u", {I32x4({-1, INT32_MIN, 5, 6})})) ==
        L<double>({4294967295.0, 2147483648.0}));
  auto dem = lanesOf<uint32_t>(inst.invoke("f32x4.demote_f64x2_zero", {F64x2({1e300, 0x1.000001p0})}));
  CHECK(dem == L<uint32_t>({0x7f800000u, 0x3f800000u, 0, 0}));  // overflow to inf; ties to even
  CHECK(lanesOf<double>(inst.invoke("f64x2.promote_low_f32x4", {F32x4({-1.5f, kInf, 7, 8})})) ==
        L<double>({-1.5, std::numeric_limits<double>::infinity()}));
}

namespace {
const char* kMemoryModule = R"((module (memory 1)
  (func (export "load") (param i32) (result v128) local.get 0 v128.load offset=1 align=1)
  (func (export "store") (param i32 v128) local.get 0 local.get 1 v128.store align=16)
  (func (export "load8x8_s") (param i32) (result v128) local.get 0 v128.load8x8_s)
  (func (export "load16x4_u") (param i32) (result v128) local.get 0 v128.load16x4_u)
  (func (export "load32x2_s") (param i32) (result v128) local.get 0 v128.load32x2_s)
  (func (export "load8_splat") (param i32) (result v128) local.get 0 v128.load8_splat)
  (func (export "load64_splat") (param i32) (result v128) local.get 0 v128.load64_splat)
  (func (export "load32_zero") (param i32) (result v128) local.get 0 v128.load32_zero)
  (func (export "load64_zero") (param i32) (result v128) local.get 0 v128.load64_zero)
  (func (export "load16_lane") (param i32 v128) (result v128) local.get 0 local.get 1 v128.load16_lane 5)
  (func (export "load64_lane") (param i32 v128) (result v128) local.get 0 local.get 1 v128.load64_lane offset=8 1)
  (func (export "store8_lane") (param i32 v128) local.get 0 local.get 1 v128.store8_lane 15)
  (func (export "store32_lane") (param i32 v128) local.get 0 local.get 1 v128.store32_lane 2)
  (func (export "drop_load") (param i32) local.get 0 v128.load drop)
))";
}  // namespace

TEST_CASE("v128 loads and stores: extend, splat, zero, lanes, unaligned, and traps at the end of memory") {
  for (bool explicitChecks : {false, true}) {
    CAPTURE(explicitChecks);
    compile::CompileOptions options;
    options.explicitBoundsChecks = explicitChecks;
    Instance inst(kMemoryModule, options);
    uint8_t* mem = inst.memory();
    for (int i = 0; i < 32; ++i) mem[i] = static_cast<uint8_t>(0x80 + i);

    CHECK(lanesOf<uint8_t>(inst.invoke("load", {I32(2)})) ==
          L<uint8_t>({0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92}));
    CHECK(lanesOf<int16_t>(inst.invoke("load8x8_s", {I32(0)})) == L<int16_t>({-128, -127, -126, -125, -124, -123, -122, -121}));
    CHECK(lanesOf<uint32_t>(inst.invoke("load16x4_u", {I32(1)})) == L<uint32_t>({0x8281, 0x8483, 0x8685, 0x8887}));
    CHECK(lanesOf<int64_t>(inst.invoke("load32x2_s", {I32(0)})) ==
          L<int64_t>({static_cast<int32_t>(0x83828180u), static_cast<int32_t>(0x87868584u)}));
    CHECK(lanesOf<uint8_t>(inst.invoke("load8_splat", {I32(5)})) == std::vector<uint8_t>(16, 0x85));
    CHECK(lanesOf<uint64_t>(inst.invoke("load64_splat", {I32(3)})) == L<uint64_t>({0x8a89888786858483ull, 0x8a89888786858483ull}));
    CHECK(lanesOf<uint32_t>(inst.invoke("load32_zero", {I32(1)})) == L<uint32_t>({0x84838281u, 0, 0, 0}));
    CHECK(lanesOf<uint64_t>(inst.invoke("load64_zero", {I32(0)})) == L<uint64_t>({0x8786858483828180ull, 0}));
    CHECK(lanesOf<uint16_t>(inst.invoke("load16_lane", {I32(3), V<uint16_t>({1, 2, 3, 4, 5, 6, 7, 8})})) ==
          L<uint16_t>({1, 2, 3, 4, 5, 0x8483, 7, 8}));
    CHECK(lanesOf<uint64_t>(inst.invoke("load64_lane", {I32(0), I64x2({1, 2})})) == L<uint64_t>({1, 0x8f8e8d8c8b8a8988ull}));

    CHECK(!inst.invoke("store", {I32(100), I64x2({0x0706050403020100LL, 0x0f0e0d0c0b0a0908LL})}).trap);
    for (int i = 0; i < 16; ++i) CHECK(mem[100 + i] == i);
    CHECK(!inst.invoke("store8_lane", {I32(200), U8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xee})}).trap);
    CHECK(mem[200] == 0xee);
    CHECK(mem[201] == 0);
    CHECK(!inst.invoke("store32_lane", {I32(300), I32x4({1, 2, 0x11223344, 4})}).trap);
    uint32_t word;
    std::memcpy(&word, mem + 300, 4);
    CHECK(word == 0x11223344u);
    CHECK(mem[304] == 0);

    // The last 16 bytes load; one byte further traps, also through the offset and for a
    // discarded result; a store that would cross the end writes nothing.
    CHECK(!inst.invoke("load", {I32(65536 - 17)}).trap);
    CHECK(inst.invoke("load", {I32(65536 - 16)}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(inst.invoke("load", {I32(-1)}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(inst.invoke("drop_load", {I32(65536 - 15)}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(!inst.invoke("load64_zero", {I32(65536 - 8)}).trap);
    CHECK(inst.invoke("load64_zero", {I32(65536 - 7)}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(inst.invoke("load64_lane", {I32(65536 - 8), I64x2({0, 0})}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(!inst.invoke("store8_lane", {I32(65535), I64x2({0, 0})}).trap);
    CHECK(inst.invoke("store8_lane", {I32(65536), I64x2({0, 0})}).trap == TrapCode::MemoryOutOfBounds);
    CHECK(inst.invoke("store", {I32(65536 - 15), I64x2({-1, -1})}).trap == TrapCode::MemoryOutOfBounds);
    if (explicitChecks) {
      // With explicit checks nothing of a trapping store is written (with the guard page,
      // a partial write before the fault is not defined by the spec's tests either way).
      for (int i = 65536 - 15; i < 65536; ++i) CHECK(mem[i] == 0);
    }
  }
}

TEST_CASE("v128 values through locals, blocks, select and calls") {
  Instance inst(R"((module
    (func $swap (param v128 v128) (result v128 v128) local.get 1 local.get 0)
    (func (export "f") (param v128 v128 i32) (result v128)
      (local v128)
      local.get 0 local.get 1 call $swap
      i32x4.sub local.set 3
      (block (result v128) local.get 3 local.get 0 local.get 2 select)
      (if (param v128) (result v128) (local.get 2) (then i32x4.neg) (else (i32x4.add (local.get 1)))))
  ))");
  // a=(10..), b=(1..): swap gives b a; b - a; select picks it when c != 0, then neg; else a + b.
  CHECK(lanesOf<int32_t>(inst.invoke("f", {I32x4({10, 20, 30, 40}), I32x4({1, 2, 3, 4}), I32(1)})) ==
        L<int32_t>({9, 18, 27, 36}));
  CHECK(lanesOf<int32_t>(inst.invoke("f", {I32x4({10, 20, 30, 40}), I32x4({1, 2, 3, 4}), I32(0)})) ==
        L<int32_t>({11, 22, 33, 44}));
}

// Every 0xFD opcode, generated from the opcode table, compiled at each optimisation level and run
// on the same inputs: the results must agree bit for bit (NaN lanes of float shapes only need to
// be NaN on both sides). This catches an instruction that folds, selects or lowers differently
// at -O0 (FastISel, no folding) than at -O2/-O3, which the spec scripts, run at the default
// level, would not see.
TEST_CASE("every SIMD opcode gives the same results at optimisation levels 0 to 3") {
  struct Fn {
    std::string name;
    std::string params;  // signature characters
    bool floatLanes = false;
    bool f64Lanes = false;
  };
  std::vector<Fn> fns;
  std::string wat = "(module (memory 1) (data (i32.const 0) \"";
  for (int i = 0; i < 64; ++i) {
    static const char* hex = "0123456789abcdef";
    uint8_t byte = static_cast<uint8_t>(i * 37 + 0x80);
    wat += std::string("\\") + hex[byte >> 4] + hex[byte & 15];
  }
  wat += "\")\n";
  auto typeName = [](char c) -> const char* {
    switch (c) {
      case 'i': return "i32";
      case 'I': return "i64";
      case 'f': return "f32";
      case 'F': return "f64";
      default: return "v128";
    }
  };
  for (size_t o = 0; o < ir::kOpcodeCount; ++o) {
    const ir::OpInfo& info = ir::opInfo(static_cast<ir::Opcode>(o));
    if (info.prefix != 0xFD) continue;
    std::string sig(info.signature);
    size_t colon = sig.find(':');
    REQUIRE(colon != std::string::npos);
    Fn fn{std::string(info.text), sig.substr(0, colon)};
    fn.floatLanes = fn.name.rfind("f32x4.", 0) == 0 || fn.name.rfind("f64x2.", 0) == 0;
    fn.f64Lanes = fn.name.rfind("f64x2.", 0) == 0;
    std::string results = sig.substr(colon + 1);
    wat += "(func (export \"" + fn.name + "\") (param";
    for (char c : fn.params) wat += std::string(" ") + typeName(c);
    wat += ") (result " + std::string(results.empty() ? "v128" : typeName(results[0])) + ")";
    for (size_t i = 0; i < fn.params.size(); ++i) wat += " local.get " + std::to_string(i);
    wat += " " + fn.name;
    switch (info.imm) {
      case ir::ImmKind::Lane:
      case ir::ImmKind::MemArgLane: wat += " 1"; break;
      case ir::ImmKind::V128: wat += " i32x4 0x7fc00001 0x80000000 -1 0x3fc00000"; break;
      case ir::ImmKind::Shuffle: wat += " 0 17 2 19 4 21 6 23 8 25 10 27 31 16 15 0"; break;
      default: break;
    }
    // A store's effect is read back.
    if (results.empty()) wat += " i32.const 0 v128.load";
    wat += ")\n";
    fns.push_back(fn);
  }
  wat += ")";
  CHECK(fns.size() == 236);

  const std::vector<RawValue> vectors = {
      U8({0, 1, 2, 3, 15, 16, 17, 31, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x40, 0x3f, 0x10}),
      F32x4Bits({0x7fc00000u, 0xff800001u, 0x80000000u, 0x40200000u}),  // NaN, sNaN, -0, 2.5
      F32x4({-0.5f, 3e9f, -3e9f, 1.5f}),
      F64x2Bits({0x7ff4000000000000ull, 0xc1e0000000200000ull}),  // sNaN, -2147483649
      F64x2({4294967295.5, -0.0}),
      I16({-32768, -32768, 32767, -1, 0, 1, 0x4000, -0x4000}),
      I32x4({INT32_MIN, INT32_MAX, -1, 0x10000}),
      I64x2({INT64_MIN, 0x0000000100000001LL}),
  };
  const std::vector<RawValue> i32s = {I32(3), I32(17), I32(-1), I32(65530)};
  const std::vector<RawValue> i64s = {I64(-5), I64(INT64_MIN)};
  const std::vector<RawValue> f32s = {F32(1.5f), F32Bits(0x7fa00000u)};
  const std::vector<RawValue> f64s = {F64(-2.5), F64Bits(0x7ff0000000000001ull)};

  struct Result {
    std::optional<TrapCode> trap;
    RawValue value{};
  };
  std::vector<std::vector<Result>> byLevel;
  for (unsigned level = 0; level <= 3; ++level) {
    compile::CompileOptions options;
    options.optLevel = level;
    Instance inst(wat, options);
    std::vector<Result> results;
    for (const Fn& fn : fns) {
      for (size_t row = 0; row < 8; ++row) {
        std::vector<RawValue> args;
        size_t k = 0;
        for (char c : fn.params) {
          switch (c) {
            case 'v': args.push_back(vectors[(row + 3 * k) % vectors.size()]); break;
            case 'i': args.push_back(i32s[(row + k) % i32s.size()]); break;
            case 'I': args.push_back(i64s[row % i64s.size()]); break;
            case 'f': args.push_back(f32s[row % f32s.size()]); break;
            default: args.push_back(f64s[row % f64s.size()]); break;
          }
          ++k;
        }
        Outcome out = inst.invoke(fn.name, args);
        Result r;
        r.trap = out.trap;
        if (!out.trap) r.value = out.values.at(0);
        results.push_back(r);
      }
    }
    byLevel.push_back(std::move(results));
  }

  auto sameLanes = [](const Fn& fn, const RawValue& a, const RawValue& b) {
    if (!fn.floatLanes) return std::memcmp(a.v128, b.v128, 16) == 0;
    if (fn.f64Lanes) {
      for (int i = 0; i < 2; ++i) {
        double x, y;
        std::memcpy(&x, a.v128 + 8 * i, 8);
        std::memcpy(&y, b.v128 + 8 * i, 8);
        if (!(std::isnan(x) && std::isnan(y)) && std::memcmp(&x, &y, 8) != 0) return false;
      }
      return true;
    }
    for (int i = 0; i < 4; ++i) {
      float x, y;
      std::memcpy(&x, a.v128 + 4 * i, 4);
      std::memcpy(&y, b.v128 + 4 * i, 4);
      if (!(std::isnan(x) && std::isnan(y)) && std::memcmp(&x, &y, 4) != 0) return false;
    }
    return true;
  };
  for (unsigned level = 0; level <= 3; ++level) {
    if (level == 2) continue;
    size_t i = 0;
    for (const Fn& fn : fns) {
      for (size_t row = 0; row < 8; ++row, ++i) {
        const Result& ref = byLevel[2][i];
        const Result& got = byLevel[level][i];
        CAPTURE(fn.name);
        CAPTURE(row);
        CAPTURE(level);
        CHECK(got.trap == ref.trap);
        if (!got.trap && !ref.trap) CHECK(sameLanes(fn, got.value, ref.value));
      }
    }
  }
}
