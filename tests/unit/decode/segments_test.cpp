// Element and data segments in all their binary forms, and the data count section.
#include <doctest/doctest.h>

#include "wasm_builder.h"

using namespace orca;
using namespace orca::decode::test;
using ir::Opcode;
using ir::SegmentMode;
using ir::ValType;

namespace {

Result<ir::Module> withElems(std::initializer_list<Bytes> segments) {
  return decodeBytes(module({section(9, vec(segments))}));
}

const Bytes kOffset = {0x41, 0x07, 0x0B};           // i32.const 7 end
const Bytes kRefFunc3 = {0xD2, 0x03, 0x0B};         // ref.func 3 end
const Bytes kRefNullExtern = {0xD0, 0x6F, 0x0B};    // ref.null extern end

}  // namespace

TEST_CASE("the eight element segment forms") {
  auto r = withElems({
      cat({{0x00}, kOffset, vec({{0x01}, {0x02}})}),                     // 0: active, table 0
      cat({{0x01, 0x00}, vec({{0x04}})}),                                // 1: passive, elemkind
      cat({{0x02, 0x05}, kOffset, {0x00}, vec({{0x06}})}),               // 2: active, table 5
      cat({{0x03, 0x00}, vec({{0x08}})}),                                // 3: declarative
      cat({{0x04}, kOffset, vec({kRefFunc3})}),                          // 4: active, exprs
      cat({{0x05, 0x6F}, vec({kRefNullExtern, kRefNullExtern})}),        // 5: passive, exprs
      cat({{0x06, 0x02}, kOffset, {0x70}, vec({kRefFunc3})}),            // 6: active, table 2
      cat({{0x07, 0x70}, vec({kRefFunc3})}),                             // 7: declarative
  });
  REQUIRE(r.ok());
  const auto& e = r->elems;
  REQUIRE(e.size() == 8);

  CHECK(e[0].mode == SegmentMode::Active);
  CHECK(e[0].table.value == 0);
  CHECK(e[0].type == ValType::FuncRef);
  CHECK(e[0].offset.code[0].c == 7);
  REQUIRE(e[0].init.size() == 2);
  CHECK(e[0].init[1].code[0].op == Opcode::RefFunc);
  CHECK(e[0].init[1].code[0].a == 2);
  CHECK(e[0].init[1].code[1].op == Opcode::End);

  CHECK(e[1].mode == SegmentMode::Passive);
  CHECK(e[1].init[0].code[0].a == 4);
  CHECK(e[2].mode == SegmentMode::Active);
  CHECK(e[2].table.value == 5);
  CHECK(e[2].init[0].code[0].a == 6);
  CHECK(e[3].mode == SegmentMode::Declarative);
  CHECK(e[4].mode == SegmentMode::Active);
  CHECK(e[4].type == ValType::FuncRef);
  CHECK(e[4].init[0].code[0].a == 3);
  CHECK(e[5].mode == SegmentMode::Passive);
  CHECK(e[5].type == ValType::ExternRef);
  CHECK(e[5].init.size() == 2);
  CHECK(e[5].init[0].code[0].op == Opcode::RefNull);
  CHECK(e[6].table.value == 2);
  CHECK(e[6].type == ValType::FuncRef);
  CHECK(e[7].mode == SegmentMode::Declarative);
}

TEST_CASE("element segment errors") {
  CHECK_MALFORMED(module({section(9, vec({{0x08}}))}), "malformed elements segment kind");
  CHECK_MALFORMED(module({section(9, vec({cat({{0x01, 0x01}, vec({})})}))}), "malformed element kind");
  CHECK_MALFORMED(module({section(9, vec({cat({{0x05, 0x7F}, vec({kRefFunc3})})}))}),
                  "malformed reference type");
  CHECK_MALFORMED(module({section(9, vec({cat({{0x05, 0x70}, vec({{0xF3, 0x00, 0x0B}})})}))}),
                  "illegal opcode");
  CHECK_MALFORMED(module({section(9, vec({{0x80, 0x80, 0x80, 0x80, 0x10}}))}), "integer too large");
  // Count says two segments, the file holds one.
  CHECK_MALFORMED(module({Bytes{0x09, 0x07, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00}}),
                  "unexpected end");
}

TEST_CASE("the three data segment forms") {
  auto r = decodeBytes(module({section(11, vec({cat({{0x00}, kOffset, str("ab")}),
                                           cat({{0x01}, str("xyz")}),
                                           cat({{0x02, 0x03}, kOffset, str("")})}))}));
  REQUIRE(r.ok());
  const auto& d = r->datas;
  REQUIRE(d.size() == 3);
  CHECK(d[0].mode == SegmentMode::Active);
  CHECK(d[0].memory.value == 0);
  CHECK(d[0].init == std::vector<uint8_t>{'a', 'b'});
  CHECK(d[0].offset.code[0].op == Opcode::I32Const);
  CHECK(d[1].mode == SegmentMode::Passive);
  CHECK(d[1].init.size() == 3);
  CHECK(d[2].mode == SegmentMode::Active);
  CHECK(d[2].memory.value == 3);
  CHECK(d[2].init.empty());

  CHECK_MALFORMED(module({section(11, vec({{0x03}}))}), "malformed data segment kind");
  // Data bytes longer than the file.
  CHECK_MALFORMED(module({Bytes{0x0B, 0x0C, 0x01, 0x00, 0x41, 0x03, 0x0B, 0x07, 'a', 'b', 'c', 'd',
                                'e', 'f'}}),
                  "unexpected end of section or function");
  // Data bytes shorter than the section.
  CHECK_MALFORMED(module({Bytes{0x0B, 0x0C, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x05, 'a', 'b', 'c', 'd',
                                'e', 'f'}}),
                  "section size mismatch");
}

TEST_CASE("data count section") {
  auto r = decodeBytes(module({section(12, uleb(1)), section(11, vec({cat({{0x01}, str("x")})}))}));
  REQUIRE(r.ok());
  CHECK(r->dataCount == std::optional<uint32_t>(1));
  CHECK_MALFORMED(module({section(12, uleb(3)), section(11, vec({cat({{0x01}, str("x")})}))}),
                  "data count and data section have inconsistent lengths");
  CHECK_MALFORMED(module({section(12, uleb(1))}),
                  "data count and data section have inconsistent lengths");
  CHECK(decodeBytes(module({section(12, uleb(0))})).ok());
}
