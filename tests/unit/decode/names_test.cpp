// Names: strict UTF-8 everywhere a name is read, and the custom "name" section.
#include <doctest/doctest.h>

#include "wasm_builder.h"

using namespace orca;
using namespace orca::decode::test;

namespace {

Bytes exportNamed(const Bytes& rawName) {
  return module({section(7, vec({cat({uleb(rawName.size()), rawName, {0x00, 0x00}})}))});
}

Bytes withNameSection(const Bytes& payload) {
  return cat({header(), voidTypeSection(), section(3, vec({{0x00}, {0x00}})),
              section(10, vec({body({0x00}, {0x0B}), body({0x00}, {0x0B})})),
              customSection("name", payload)});
}

}  // namespace

TEST_CASE("well-formed UTF-8 names") {
  for (const Bytes& name : {Bytes{}, Bytes{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'},
                            Bytes{0xC2, 0x80}, Bytes{0xDF, 0xBF}, Bytes{0xE0, 0xA0, 0x80},
                            Bytes{0xED, 0x9F, 0xBF}, Bytes{0xEE, 0x80, 0x80}, Bytes{0xEF, 0xBF, 0xBF},
                            Bytes{0xF0, 0x90, 0x80, 0x80}, Bytes{0xF4, 0x8F, 0xBF, 0xBF},
                            Bytes{0x00}}) {
    auto r = decodeBytes(exportNamed(name));
    REQUIRE(r.ok());
    CHECK(r->exports[0].name == std::string(name.begin(), name.end()));
  }
}

TEST_CASE("malformed UTF-8 is rejected in every kind of name") {
  for (const Bytes& bad : {
           Bytes{0x80},                    // stray continuation
           Bytes{0xBF},
           Bytes{0xC0, 0x80},              // overlong
           Bytes{0xC1, 0xBF},
           Bytes{0xC2},                    // truncated
           Bytes{0xC2, 0x41},              // bad continuation
           Bytes{0xE0, 0x80, 0x80},        // overlong 3-byte
           Bytes{0xE0, 0x9F, 0xBF},
           Bytes{0xED, 0xA0, 0x80},        // surrogate
           Bytes{0xED, 0xBF, 0xBF},
           Bytes{0xE1, 0x80},              // truncated
           Bytes{0xF0, 0x80, 0x80, 0x80},  // overlong 4-byte
           Bytes{0xF0, 0x8F, 0xBF, 0xBF},
           Bytes{0xF4, 0x90, 0x80, 0x80},  // above U+10FFFF
           Bytes{0xF5, 0x80, 0x80, 0x80},
           Bytes{0xF8, 0x88, 0x80, 0x80, 0x80},
           Bytes{0xFE}, Bytes{0xFF},
           Bytes{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 0x80},  // after an ASCII run
       }) {
    CHECK_MALFORMED(exportNamed(bad), "malformed UTF-8 encoding");
    CHECK_MALFORMED(module({section(2, vec({cat({uleb(bad.size()), bad, str("x"), {0x00, 0x00}})}))}),
                    "malformed UTF-8 encoding");
    CHECK_MALFORMED(module({section(2, vec({cat({str("x"), uleb(bad.size()), bad, {0x00, 0x00}})}))}),
                    "malformed UTF-8 encoding");
    CHECK_MALFORMED(module({section(0, cat({uleb(bad.size()), bad}))}), "malformed UTF-8 encoding");
  }
}

TEST_CASE("the name section gives the module and function names") {
  Bytes moduleSub = cat({{0x00}, uleb(str("mod").size()), str("mod")});
  Bytes funcMap = vec({cat({uleb(0), str("first")}), cat({uleb(1), str("zweite\xC3\xA9")})});
  Bytes funcSub = cat({{0x01}, uleb(funcMap.size()), funcMap});
  Bytes localSub = {0x02, 0x01, 0x00};  // empty local names: skipped
  auto r = decodeBytes(withNameSection(cat({moduleSub, funcSub, localSub})));
  REQUIRE(r.ok());
  CHECK(r->names.module == std::optional<std::string>("mod"));
  REQUIRE(r->names.functions.size() == 2);
  CHECK(r->names.functions.at(0) == "first");
  CHECK(r->names.functions.at(1) == "zweite\xC3\xA9");
  REQUIRE(r->customSections.size() == 1);
  CHECK(r->customSections[0].name == "name");
}

TEST_CASE("a malformed name section is ignored, not fatal") {
  Bytes moduleSub = cat({{0x00}, uleb(str("mod").size()), str("mod")});
  Bytes badUtf8 = {0x01, 0x05, 0x01, 0x00, 0x02, 0xC0, 0x80};
  Bytes unsorted = cat({{0x01, 0x07}, vec({cat({uleb(1), str("a")}), cat({uleb(0), str("b")})})});
  for (const Bytes& payload : {
           cat({moduleSub, badUtf8}),                    // bad UTF-8 in a function name
           cat({moduleSub, Bytes{0x01, 0x30, 0x01}}),    // subsection longer than the section
           cat({moduleSub, moduleSub}),                  // subsection repeated
           cat({moduleSub, unsorted}),                   // namemap out of order
           Bytes{0x00, 0x02, 0x05, 'a'},                 // name longer than its subsection
           Bytes{0x00, 0x03, 0x01, 'a', 'b'},            // junk after the name in its subsection
           Bytes{0x01, 0x80},                            // truncated size
           Bytes{0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F},
       }) {
    auto r = decodeBytes(withNameSection(payload));
    REQUIRE(r.ok());
    CHECK_FALSE(r->names.module.has_value());
    CHECK(r->names.functions.empty());
  }
}
