// LEB128 edge cases, through the places where each integer kind occurs.
#include <doctest/doctest.h>

#include "wasm_builder.h"

using namespace orca;
using namespace orca::decode::test;

namespace {

// global i32/i64 with a const initializer of raw LEB bytes.
Bytes i32Global(const Bytes& leb) { return module({section(6, vec({cat({{0x7F, 0x00, 0x41}, leb, {0x0B}})}))}); }
Bytes i64Global(const Bytes& leb) { return module({section(6, vec({cat({{0x7E, 0x00, 0x42}, leb, {0x0B}})}))}); }
// A memory whose minimum is the raw u32 LEB.
Bytes memoryMin(const Bytes& leb) { return module({section(5, vec({cat({{0x00}, leb})}))}); }

uint64_t i32Value(const Bytes& leb) {
  auto r = decodeBytes(i32Global(leb));
  REQUIRE(r.ok());
  return r->globals[0].init.code[0].c;
}
uint64_t i64Value(const Bytes& leb) {
  auto r = decodeBytes(i64Global(leb));
  REQUIRE(r.ok());
  return r->globals[0].init.code[0].c;
}

}  // namespace

TEST_CASE("u32") {
  auto minOf = [](const Bytes& leb) {
    auto r = decodeBytes(memoryMin(leb));
    REQUIRE(r.ok());
    return r->memories[0].limits.min;
  };
  CHECK(minOf({0x00}) == 0);
  CHECK(minOf({0x7F}) == 127);
  CHECK(minOf({0x80, 0x01}) == 128);
  CHECK(minOf({0x80, 0x80, 0x80, 0x80, 0x00}) == 0);  // padded to five bytes: allowed
  CHECK(minOf({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}) == 0xFFFFFFFFu);
  CHECK_MALFORMED(memoryMin({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), "integer representation too long");
  CHECK_MALFORMED(memoryMin({0x82, 0x80, 0x80, 0x80, 0x10}), "integer too large");
  CHECK_MALFORMED(memoryMin({0x82, 0x80, 0x80, 0x80, 0x40}), "integer too large");
  CHECK_MALFORMED(memoryMin({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}), "integer too large");
  // Unused bits set and a continuation: "too large" wins, as it is seen first.
  CHECK_MALFORMED(memoryMin({0x80, 0x80, 0x80, 0x80, 0x90, 0x00}), "integer too large");
  // Cut by the end of the file.
  CHECK_MALFORMED(module({Bytes{0x05, 0x03, 0x01, 0x00, 0x80}}), "unexpected end");
}

TEST_CASE("s32") {
  CHECK(i32Value({0x00}) == 0);
  CHECK(i32Value({0x7F}) == 0xFFFFFFFFu);            // -1
  CHECK(i32Value({0x3F}) == 63);
  CHECK(i32Value({0x40}) == 0xFFFFFFC0u);            // -64
  CHECK(i32Value({0xC0, 0x00}) == 64);
  CHECK(i32Value({0xFF, 0xFF, 0xFF, 0xFF, 0x07}) == 0x7FFFFFFFu);
  CHECK(i32Value({0x80, 0x80, 0x80, 0x80, 0x78}) == 0x80000000u);
  CHECK(i32Value({0xFF, 0xFF, 0xFF, 0xFF, 0x7F}) == 0xFFFFFFFFu);  // padded -1
  CHECK(i32Value({0x80, 0x80, 0x80, 0x80, 0x00}) == 0);            // padded 0
  CHECK_MALFORMED(i32Global({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), "integer representation too long");
  CHECK_MALFORMED(i32Global({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), "integer representation too long");
  for (uint8_t last : {0x0F, 0x1F, 0x70, 0x4F, 0x08, 0x77})
    CHECK_MALFORMED(i32Global({0x80, 0x80, 0x80, 0x80, last}), "integer too large");
}

TEST_CASE("s64") {
  CHECK(i64Value({0x7F}) == ~uint64_t(0));
  CHECK(i64Value({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}) == 0x7FFFFFFFFFFFFFFFull);
  CHECK(i64Value({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}) == 0x8000000000000000ull);
  CHECK(i64Value({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}) == 0);
  CHECK_MALFORMED(i64Global({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}),
                  "integer representation too long");
  for (uint8_t last : {0x7E, 0x01, 0x02, 0x41})
    CHECK_MALFORMED(i64Global({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, last}),
                    "integer too large");
}

TEST_CASE("LEBs in names, counts and section sizes") {
  // A padded section size and a padded name length are fine.
  Bytes padded = cat({header(), Bytes{0x00, 0x85, 0x80, 0x80, 0x80, 0x00, 0x81, 0x00, 'a', 'b', 'c'}});
  auto r = decodeBytes(padded);
  REQUIRE(r.ok());
  CHECK(r->customSections[0].name == "a");
  CHECK(r->customSections[0].size == 2);
  CHECK_MALFORMED(cat({header(), Bytes{0x00, 0x83, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01, 'a', 'b'}}),
                  "integer representation too long");
  CHECK_MALFORMED(cat({header(), Bytes{0x00, 0x83, 0x80, 0x80, 0x80, 0x10, 0x01, 'a', 'b'}}),
                  "integer too large");
}
