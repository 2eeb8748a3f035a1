// The binary encoder: exact bytes for small modules, section order, LEB128 widths and the forms
// of element and data segments.
#include <algorithm>

#include "text_test_util.h"

using namespace orca;
using namespace orca::text;
using namespace orca::text::test;

namespace {

std::vector<uint8_t> wasm(std::string_view src) {
  auto r = watToWasm(src);
  INFO("source: " << src);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().describe()));
  return std::move(r).value();
}

std::vector<uint8_t> withHeader(const std::vector<uint8_t>& sections) {
  static constexpr uint8_t kHeader[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  // Sized once and filled: GCC 12's -Warray-bounds misreads an insert that grows a vector
  // initialised from a list (a false positive of its inliner, not an overflow).
  std::vector<uint8_t> out(sizeof kHeader + sections.size());
  std::copy(std::begin(kHeader), std::end(kHeader), out.begin());
  std::copy(sections.begin(), sections.end(), out.begin() + sizeof kHeader);
  return out;
}

}  // namespace

TEST_CASE("empty module is the header alone") {
  CHECK(wasm("(module)") == withHeader({}));
  CHECK(wasm("") == withHeader({}));
}

TEST_CASE("a function with an export, byte for byte") {
  auto bytes = wasm(R"((module (type (func (param i32) (result i32)))
    (func (export "f") (type 0) local.get 0 i32.const 1 i32.add)))");
  CHECK(bytes == withHeader({
                     0x01, 0x06, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F,        // type
                     0x03, 0x02, 0x01, 0x00,                                // function
                     0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,               // export
                     0x0A, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01,  // code
                     0x6A, 0x0B,
                 }));
}

TEST_CASE("signed LEB128 of constants") {
  auto body = [](std::string_view instr) {
    auto bytes = wasm("(func " + std::string(instr) + " drop)");
    // header(8) type(1+1+4) func(1+1+2) code: id size count bodysize locals ...
    size_t codeStart = 8 + 6 + 4;
    REQUIRE(bytes.size() > codeStart + 5);
    return std::vector<uint8_t>(bytes.begin() + codeStart + 5, bytes.end() - 2);  // minus drop end
  };
  CHECK(body("i32.const 0") == std::vector<uint8_t>{0x41, 0x00});
  CHECK(body("i32.const 63") == std::vector<uint8_t>{0x41, 0x3F});
  CHECK(body("i32.const 64") == std::vector<uint8_t>{0x41, 0xC0, 0x00});
  CHECK(body("i32.const -1") == std::vector<uint8_t>{0x41, 0x7F});
  CHECK(body("i32.const -65") == std::vector<uint8_t>{0x41, 0xBF, 0x7F});
  CHECK(body("i32.const 0x80000000") == std::vector<uint8_t>{0x41, 0x80, 0x80, 0x80, 0x80, 0x78});
  CHECK(body("i64.const 0x8000000000000000") ==
        std::vector<uint8_t>{0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F});
  CHECK(body("f32.const 1") == std::vector<uint8_t>{0x43, 0x00, 0x00, 0x80, 0x3F});
  CHECK(body("v128.const i32x4 1 2 3 4") ==
        std::vector<uint8_t>{0xFD, 0x0C, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0});
}

TEST_CASE("prefixed opcodes encode their sub-opcode as LEB128") {
  auto bytes = wasm("(func (param v128) (result v128) (f64x2.convert_low_i32x4_u (local.get 0)))");
  // 0xFD then 0xFF as a u32 LEB: 0xFF 0x01.
  std::vector<uint8_t> tail(bytes.end() - 4, bytes.end());
  CHECK(tail == std::vector<uint8_t>{0xFD, 0xFF, 0x01, 0x0B});
}

TEST_CASE("sections appear in the order the spec requires, data count when needed") {
  auto bytes = wasm(R"(
    (import "m" "g" (global i32))
    (data $d "x")
    (func (data.drop $d))
    (memory 1)
    (elem func)
    (global i32 (i32.const 0))
    (table 1 funcref)
    (export "f" (func 0))
    (start 0))");
  // Walk the sections and record their ids.
  std::vector<uint8_t> ids;
  size_t i = 8;
  while (i < bytes.size()) {
    ids.push_back(bytes[i]);
    size_t size = 0, shift = 0;
    ++i;
    while (bytes[i] & 0x80) size |= size_t(bytes[i++] & 0x7F) << shift, shift += 7;
    size |= size_t(bytes[i++]) << shift;
    i += size;
  }
  CHECK(i == bytes.size());
  CHECK(ids == std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11});
}

TEST_CASE("element segments pick the compact form when they can") {
  // Active, table 0, funcref indices: flags 0.
  auto a = wasm("(table 1 funcref) (func) (elem (i32.const 0) 0)");
  std::vector<uint8_t> elemA = {0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00};
  CHECK(std::search(a.begin(), a.end(), elemA.begin(), elemA.end()) != a.end());
  // Passive expressions with externref: flags 5.
  auto b = wasm("(elem externref (ref.null extern))");
  std::vector<uint8_t> elemB = {0x09, 0x07, 0x01, 0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B};
  CHECK(std::search(b.begin(), b.end(), elemB.begin(), elemB.end()) != b.end());
  // Declarative function indices: flags 3 with elemkind 0.
  auto c = wasm("(func) (elem declare func 0)");
  std::vector<uint8_t> elemC = {0x09, 0x05, 0x01, 0x03, 0x00, 0x01, 0x00};
  CHECK(std::search(c.begin(), c.end(), elemC.begin(), elemC.end()) != c.end());
}

TEST_CASE("data segments: active on memory 0, passive") {
  auto bytes = wasm(R"((memory 1) (data (i32.const 8) "hi") (data "z"))");
  std::vector<uint8_t> data = {0x0B, 0x0B, 0x02, 0x00, 0x41, 0x08, 0x0B, 0x02, 'h', 'i', 0x01, 0x01, 'z'};
  CHECK(std::vector<uint8_t>(bytes.end() - data.size(), bytes.end()) == data);
}

TEST_CASE("locals are grouped in runs") {
  auto bytes = wasm("(func (local i32 i32) (local $x i64) (local f32 i32))");
  std::vector<uint8_t> code = {0x0A, 0x0C, 0x01, 0x0A, 0x04, 0x02, 0x7F, 0x01, 0x7E, 0x01, 0x7D, 0x01, 0x7F, 0x0B};
  CHECK(std::vector<uint8_t>(bytes.end() - code.size(), bytes.end()) == code);
}

TEST_CASE("block type indices are signed LEB128 and typed select keeps its type") {
  auto bytes = wasm(R"((type (func)) (type (func (param i32) (result i32)))
    (func (param i32) (result i32) (local.get 0) (block (type 1)))
    (func (result i32) (select (result i32) (i32.const 0) (i32.const 0) (i32.const 0))))");
  std::vector<uint8_t> block = {0x02, 0x01, 0x0B};
  CHECK(std::search(bytes.begin(), bytes.end(), block.begin(), block.end()) != bytes.end());
  std::vector<uint8_t> select = {0x1C, 0x01, 0x7F};
  CHECK(std::search(bytes.begin(), bytes.end(), select.begin(), select.end()) != bytes.end());
}

TEST_CASE("identifiers become a name section") {
  ir::Module m = parseOk(R"((module $mod (import "m" "f" (func $imported)) (func) (func $second)))");
  CHECK(m.names.module == std::optional<std::string>("mod"));
  CHECK(m.names.functions.at(0) == "imported");
  CHECK(m.names.functions.at(2) == "second");
  CHECK(m.names.functions.count(1) == 0);
  auto bytes = encodeModule(m);
  // Custom section 0 named "name": module subsection "mod", function subsection for 0 and 2.
  std::vector<uint8_t> tail = {0x00, 0x20, 0x04, 'n', 'a', 'm', 'e', 0x00, 0x04, 0x03, 'm', 'o', 'd',
                               0x01, 0x13, 0x02, 0x00, 0x08, 'i', 'm', 'p', 'o', 'r', 't', 'e', 'd',
                               0x02, 0x06, 's', 'e', 'c', 'o', 'n', 'd'};
  CHECK(std::vector<uint8_t>(bytes.end() - tail.size(), bytes.end()) == tail);
  // Without identifiers there is no name section.
  CHECK(wasm("(func)").size() == 8 + 6 + 4 + 6);
}

// A module that touches every section and most immediate kinds. The expected bytes were checked
// against wat2wasm (a second opinion during development; this test does not need it) and decode
// and validate cleanly.
TEST_CASE("a representative module encodes byte for byte") {
  static constexpr std::string_view kSource = R"WAT((module
  (type (func (param i32) (result i32)))
  (import "env" "f" (func (param i64)))
  (import "env" "t" (table 1 10 funcref))
  (import "env" "m" (memory 1 2))
  (import "env" "g" (global (mut f64)))
  (table 4 externref)
  (global i32 (i32.const -7))
  (global (mut v128) (v128.const f32x4 1 -0 inf nan:0x200000))
  (export "run" (func 1))
  (export "tab" (table 1))
  (start 2)
  (elem (i32.const 0) func 1 2)
  (elem (table 1) (i32.const 0) externref (ref.null extern))
  (elem declare func 3)
  (elem funcref (ref.func 1) (ref.null func))
  (data (i32.const 16) "hello\00\ff")
  (data "passive")
  (func (type 0)
    (local i64 i64 v128)
    (drop (block (result i32) (local.get 0)
      (loop (param i32) (result i32)
        (br_table 0 1 1 (local.get 0) (local.get 0)))))
    (drop (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1)) (else (call_indirect (type 0) (i32.const 2) (i32.const 0)))))
    (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0))
    drop
    (i32.load8_u offset=3 align=1 (i32.const 0))
    drop
    (v128.store offset=16 (i32.const 0)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
        (v128.load8_lane 3 (i32.const 0) (local.get 3))
        (f64x2.splat (f64.const 0x1.8p1))))
    (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 1))
    (data.drop 1)
    (memory.copy (i32.const 0) (i32.const 1) (i32.const 2))
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 2))
    (table.copy 0 0 (i32.const 0) (i32.const 0) (i32.const 0))
    (table.init 0 3 (i32.const 0) (i32.const 0) (i32.const 0))
    (elem.drop 3)
    (drop (table.grow 1 (ref.null extern) (i32.const 1)))
    (drop (memory.grow (memory.size)))
    (local.set 1 (i64.trunc_sat_f64_u (global.get 0)))
    (i32.add (i32.wrap_i64 (local.get 1)) (i32x4.extract_lane 2 (local.get 3))))
  (func (call 0 (i64.const 0x7fffffffffffffff)))
  (func (result funcref) (ref.func 1))
)
)WAT";
  static const std::vector<uint8_t> kExpected = {
      0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x11, 0x04, 0x60, 0x01, 0x7F, 0x01, 0x7F,
      0x60, 0x01, 0x7E, 0x00, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, 0x70, 0x02, 0x27, 0x04, 0x03, 0x65,
      0x6E, 0x76, 0x01, 0x66, 0x00, 0x01, 0x03, 0x65, 0x6E, 0x76, 0x01, 0x74, 0x01, 0x70, 0x01, 0x01,
      0x0A, 0x03, 0x65, 0x6E, 0x76, 0x01, 0x6D, 0x02, 0x01, 0x01, 0x02, 0x03, 0x65, 0x6E, 0x76, 0x01,
      0x67, 0x03, 0x7C, 0x01, 0x03, 0x04, 0x03, 0x00, 0x02, 0x03, 0x04, 0x04, 0x01, 0x6F, 0x00, 0x04,
      0x06, 0x1B, 0x02, 0x7F, 0x00, 0x41, 0x79, 0x0B, 0x7B, 0x01, 0xFD, 0x0C, 0x00, 0x00, 0x80, 0x3F,
      0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x7F, 0x00, 0x00, 0xA0, 0x7F, 0x0B, 0x07, 0x0D, 0x02,
      0x03, 0x72, 0x75, 0x6E, 0x00, 0x01, 0x03, 0x74, 0x61, 0x62, 0x01, 0x01, 0x08, 0x01, 0x02, 0x09,
      0x1F, 0x04, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x01, 0x02, 0x06, 0x01, 0x41, 0x00, 0x0B, 0x6F, 0x01,
      0xD0, 0x6F, 0x0B, 0x03, 0x00, 0x01, 0x03, 0x05, 0x70, 0x02, 0xD2, 0x01, 0x0B, 0xD0, 0x70, 0x0B,
      0x0C, 0x01, 0x02, 0x0A, 0xD0, 0x01, 0x03, 0xB8, 0x01, 0x02, 0x02, 0x7E, 0x01, 0x7B, 0x02, 0x7F,
      0x20, 0x00, 0x03, 0x00, 0x20, 0x00, 0x20, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x01, 0x0B, 0x0B, 0x1A,
      0x20, 0x00, 0x45, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x02, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0B,
      0x1A, 0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1C, 0x01, 0x7F, 0x1A, 0x41, 0x00, 0x2D, 0x00, 0x03,
      0x1A, 0x41, 0x00, 0x41, 0x00, 0x20, 0x03, 0xFD, 0x54, 0x00, 0x00, 0x03, 0x44, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x08, 0x40, 0xFD, 0x14, 0xFD, 0x0D, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
      0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x1F, 0xFD, 0x0B, 0x04, 0x10, 0x41, 0x00, 0x41,
      0x00, 0x41, 0x01, 0xFC, 0x08, 0x01, 0x00, 0xFC, 0x09, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x02,
      0xFC, 0x0A, 0x00, 0x00, 0x41, 0x00, 0x41, 0x01, 0x41, 0x02, 0xFC, 0x0B, 0x00, 0x41, 0x00, 0x41,
      0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x03,
      0x00, 0xFC, 0x0D, 0x03, 0xD0, 0x6F, 0x41, 0x01, 0xFC, 0x0F, 0x01, 0x1A, 0x3F, 0x00, 0x40, 0x00,
      0x1A, 0x23, 0x00, 0xFC, 0x07, 0x21, 0x01, 0x20, 0x01, 0xA7, 0x20, 0x03, 0xFD, 0x1B, 0x02, 0x6A,
      0x0B, 0x0F, 0x00, 0x42, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x10, 0x00,
      0x0B, 0x04, 0x00, 0xD2, 0x01, 0x0B, 0x0B, 0x16, 0x02, 0x00, 0x41, 0x10, 0x0B, 0x07, 0x68, 0x65,
      0x6C, 0x6C, 0x6F, 0x00, 0xFF, 0x01, 0x07, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76, 0x65,
  };
  CHECK(wasm(kSource) == kExpected);
}
