// Numeric literals: integer and float forms, separators, range checks, NaN payloads.
#include <cstring>

#include "text_test_util.h"

using namespace orca;
using namespace orca::text;
using namespace orca::text::test;

namespace {

uint64_t constBits(std::string_view type, std::string_view literal) {
  std::string src = "(func (" + std::string(type) + ".const " + std::string(literal) + ") drop)";
  ir::Module m = parseOk(src);
  return firstInstr(m).c;
}

std::string constError(std::string_view type, std::string_view literal) {
  return parseError("(func (" + std::string(type) + ".const " + std::string(literal) + ") drop)");
}

uint32_t f32Bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

uint64_t f64Bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

}  // namespace

TEST_CASE("integer literals: decimal, hex, signs and separators") {
  CHECK(constBits("i32", "0") == 0);
  CHECK(constBits("i32", "1_000_000") == 1000000);
  CHECK(constBits("i32", "0x1_F") == 31);
  CHECK(constBits("i32", "0xffffffff") == 0xffffffffu);
  CHECK(constBits("i32", "-1") == 0xffffffffu);
  CHECK(constBits("i32", "-0x80000000") == 0x80000000u);
  CHECK(constBits("i32", "+0x7fffffff") == 0x7fffffffu);
  CHECK(constBits("i64", "0xffffffffffffffff") == UINT64_MAX);
  CHECK(constBits("i64", "-9223372036854775808") == 0x8000000000000000ull);
  CHECK(constBits("i64", "18446744073709551615") == UINT64_MAX);
}

TEST_CASE("integer literals out of range or malformed") {
  CHECK(constError("i32", "0x100000000") == "constant out of range");
  CHECK(constError("i32", "-0x80000001") == "constant out of range");
  CHECK(constError("i32", "4294967296") == "constant out of range");
  CHECK(constError("i64", "0x10000000000000000") == "constant out of range");
  CHECK(constError("i64", "-9223372036854775809") == "constant out of range");
  CHECK(constError("i64", "99999999999999999999999") == "constant out of range");
  // Not literals at all: the reference interpreter calls them unknown operators.
  CHECK(startsWith(constError("i32", "0xg"), "unknown operator"));
  CHECK(startsWith(constError("i32", "1__0"), "unknown operator"));
  CHECK(startsWith(constError("i32", "_1"), "unknown operator"));
  CHECK(startsWith(constError("i32", "1_"), "unknown operator"));
  CHECK(startsWith(constError("i32", "0x"), "unknown operator"));
  // A literal of the wrong kind is unexpected.
  CHECK(constError("i32", "1.5") == "unexpected token");
  CHECK(constError("i32", "nan:canonical") == "unexpected token");
  CHECK(parseError("(func (i32.const) drop)") == "unexpected token");
}

TEST_CASE("float literals: decimal and hex, correctly rounded") {
  CHECK(constBits("f32", "1.5") == f32Bits(1.5f));
  CHECK(constBits("f32", "-0") == 0x80000000u);
  CHECK(constBits("f32", "0x1p-149") == 1u);  // smallest subnormal
  CHECK(constBits("f32", "0x1.fffffep127") == 0x7f7fffffu);
  CHECK(constBits("f32", "1e-50") == 0u);  // underflow rounds to zero, no error
  CHECK(constBits("f32", "1_0.0_1e+0_1") == f32Bits(100.1f));
  CHECK(constBits("f64", "0x1.8p1") == f64Bits(3.0));
  CHECK(constBits("f64", "0x1.") == f64Bits(1.0));
  CHECK(constBits("f64", "1.") == f64Bits(1.0));
  CHECK(constBits("f64", "0.1") == f64Bits(0.1));
  CHECK(constBits("f64", "0x1.fffffffffffffp1023") == 0x7fefffffffffffffull);
  // Ties to even at the f32 boundary: 1 + 2^-24 rounds down to 1.
  CHECK(constBits("f32", "0x1.000001p0") == f32Bits(1.0f));
  CHECK(constBits("f32", "0x1.000003p0") == 0x3f800002u);
}

TEST_CASE("float literals: inf, nan and payloads") {
  CHECK(constBits("f32", "inf") == 0x7f800000u);
  CHECK(constBits("f32", "-inf") == 0xff800000u);
  CHECK(constBits("f32", "nan") == 0x7fc00000u);
  CHECK(constBits("f32", "-nan") == 0xffc00000u);
  CHECK(constBits("f32", "nan:0x1") == 0x7f800001u);
  CHECK(constBits("f32", "nan:0x7f_ffff") == 0x7fffffffu);
  CHECK(constBits("f64", "nan:0x4000000000000") == 0x7ff4000000000000ull);
  CHECK(constBits("f64", "+nan") == 0x7ff8000000000000ull);
  CHECK(constError("f32", "nan:0x80_0000") == "constant out of range");
  CHECK(constError("f32", "nan:0x0") == "constant out of range");
  CHECK(constError("f64", "nan:0x10_0000_0000_0000") == "constant out of range");
  CHECK(startsWith(constError("f32", "nan:1"), "unknown operator"));
}

TEST_CASE("float literals out of range or malformed") {
  CHECK(constError("f32", "0x1p128") == "constant out of range");
  CHECK(constError("f32", "1e39") == "constant out of range");
  CHECK(constError("f32", "340282356779733661637539395458142568448") == "constant out of range");
  CHECK(constError("f64", "0x1.fffffffffffff8p1023") == "constant out of range");
  CHECK(constError("f64", "1e309") == "constant out of range");
  CHECK(startsWith(constError("f32", "0e"), "unknown operator"));
  CHECK(startsWith(constError("f32", "0x0.0p-"), "unknown operator"));
  CHECK(startsWith(constError("f64", "1.0e_1"), "unknown operator"));
  CHECK(startsWith(constError("f64", "0x1p_1"), "unknown operator"));
  CHECK(startsWith(constError("f64", ".5"), "unknown operator"));
  CHECK(startsWith(constError("f64", "1x"), "unknown operator"));
}

TEST_CASE("v128.const in every lane shape") {
  auto v128Of = [](std::string_view lanes) {
    ir::Module m = parseOk("(func (v128.const " + std::string(lanes) + ") drop)");
    const auto& body = m.functions[0].body;
    REQUIRE(body.v128s.size() == 1);
    return body.v128s[0];
  };
  ir::V128 v = v128Of("i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 -1 255");
  CHECK(v.bytes[0] == 0);
  CHECK(v.bytes[13] == 13);
  CHECK(v.bytes[14] == 0xff);
  CHECK(v.bytes[15] == 0xff);
  v = v128Of("i16x8 0x1234 0 0 0 0 0 0 -32768");
  CHECK(v.bytes[0] == 0x34);
  CHECK(v.bytes[1] == 0x12);
  CHECK(v.bytes[15] == 0x80);
  v = v128Of("i32x4 0xdeadbeef 0 0 1");
  CHECK(v.bytes[0] == 0xef);
  CHECK(v.bytes[3] == 0xde);
  CHECK(v.bytes[12] == 1);
  v = v128Of("i64x2 -1 0");
  CHECK(v.bytes[7] == 0xff);
  CHECK(v.bytes[8] == 0);
  v = v128Of("f32x4 1.0 0 0 -0");
  CHECK(v.bytes[3] == 0x3f);
  CHECK(v.bytes[2] == 0x80);
  CHECK(v.bytes[15] == 0x80);
  v = v128Of("f64x2 0 nan:0x1");
  CHECK(v.bytes[8] == 1);
  CHECK(v.bytes[15] == 0x7f);

  CHECK(parseError("(func (v128.const i32x4 1 2 3) drop)") == "wrong number of lane literals");
  CHECK(parseError("(func (v128.const i32x4 1 2 3 4 5) drop)") == "wrong number of lane literals");
  CHECK(parseError("(func (v128.const i8x16 -129 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0) drop)") ==
        "constant out of range");
  CHECK(parseError("(func (v128.const i16x8 65536 0 0 0 0 0 0 0) drop)") == "constant out of range");
  CHECK(parseError("(func (v128.const f32x4 1e39 0 0 0) drop)") == "constant out of range");
  CHECK(parseError("(func (v128.const i32x8 0 0 0 0) drop)") == "unexpected token");
}

TEST_CASE("memarg offsets and alignment") {
  ir::Module m = parseOk("(memory 1) (func (drop (i32.load offset=0x10 align=2 (i32.const 0))))");
  const ir::Instr& load = m.functions[0].body.code[1];
  CHECK(load.op == ir::Opcode::I32Load);
  CHECK(load.c == 16);
  CHECK(load.align == 1);
  m = parseOk("(memory 1) (func (drop (i64.load (i32.const 0))))");
  CHECK(m.functions[0].body.code[1].align == 3);  // natural alignment by default
  m = parseOk("(memory 1) (func (drop (i32.load offset=4294967295 (i32.const 0))))");
  CHECK(m.functions[0].body.code[1].c == 4294967295u);
  CHECK(startsWith(parseError("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))"),
                   "i32 constant"));
  CHECK(startsWith(parseError("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))"), "alignment"));
  CHECK(startsWith(parseError("(memory 1) (func (drop (i32.load align=0 (i32.const 0))))"), "alignment"));
}

TEST_CASE("lane indices and shuffles") {
  ir::Module m = parseOk("(func (result i32) (i8x16.extract_lane_u 15 (v128.const i64x2 0 0)))");
  CHECK(m.functions[0].body.code[1].lane == 15);
  // Out of the lane count but a u8: the validator rejects it, not the parser.
  parseOk("(func (result i32) (i32x4.extract_lane 200 (v128.const i64x2 0 0)))");
  CHECK(parseError("(func (result i32) (i32x4.extract_lane 256 (v128.const i64x2 0 0)))") ==
        "malformed lane index");
  CHECK(parseError("(func (result i32) (i32x4.extract_lane -1 (v128.const i64x2 0 0)))") ==
        "unexpected token");
  m = parseOk("(func (param v128) (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 "
              "(local.get 0) (local.get 0)))");
  REQUIRE(m.functions[0].body.v128s.size() == 1);
  CHECK(m.functions[0].body.v128s[0].bytes[15] == 31);
  CHECK(parseError("(func (param v128) (result v128) (i8x16.shuffle 0 1 2 (local.get 0) (local.get 0)))") ==
        "invalid lane length");
  CHECK(parseError("(func (param v128) (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 "
                   "-1 (local.get 0) (local.get 0)))") == "malformed lane index");
}
