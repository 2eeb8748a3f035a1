// Header, section framing and the module-level sections.
#include <doctest/doctest.h>

#include "wasm_builder.h"

using namespace orca;
using namespace orca::decode::test;
using ir::ValType;

TEST_CASE("the empty module decodes") {
  auto r = decodeBytes(header());
  REQUIRE(r.ok());
  CHECK(r->types.empty());
  CHECK(r->functions.empty());
  CHECK_FALSE(r->start.has_value());
  CHECK_FALSE(r->dataCount.has_value());
}

TEST_CASE("header errors") {
  CHECK_MALFORMED(Bytes{}, "unexpected end");
  CHECK_MALFORMED((Bytes{0x00, 0x61, 0x73}), "unexpected end");
  CHECK_MALFORMED((Bytes{0x00, 0x61, 0x73, 0x6D}), "unexpected end");
  CHECK_MALFORMED((Bytes{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00}), "unexpected end");
  CHECK_MALFORMED((Bytes{'a', 's', 'm', 0x00, 0x01, 0x00, 0x00, 0x00}), "magic header not detected");
  CHECK_MALFORMED((Bytes{0x00, 'A', 'S', 'M', 0x01, 0x00, 0x00, 0x00}), "magic header not detected");
  CHECK_MALFORMED((Bytes{0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}), "unknown binary version");
  CHECK_MALFORMED((Bytes{0x00, 0x61, 0x73, 0x6D, 0x00, 0x00, 0x00, 0x01}), "unknown binary version");
  // The header's own truncation says "unexpected end" without the section wording.
  CHECK(messageOf(Bytes{0x00, 0x61}) == "unexpected end");
}

TEST_CASE("section ids and order") {
  CHECK_MALFORMED(module({Bytes{0x0D, 0x00}}), "malformed section id");
  CHECK_MALFORMED(module({Bytes{0x7F, 0x00}}), "malformed section id");
  CHECK_MALFORMED(module({Bytes{0x80, 0x00}}), "malformed section id");
  // Duplicates and wrong order.
  CHECK_MALFORMED(module({section(1, vec({})), section(1, vec({}))}),
                  "unexpected content after last section");
  CHECK_MALFORMED(module({section(3, vec({})), section(2, vec({}))}),
                  "unexpected content after last section");
  // The data count section comes after the element section and before code.
  CHECK_MALFORMED(module({section(12, uleb(0)), section(9, vec({}))}),
                  "unexpected content after last section");
  CHECK_MALFORMED(module({section(10, vec({})), section(12, uleb(0))}),
                  "unexpected content after last section");
  CHECK(decodeBytes(module({section(9, vec({})), section(12, uleb(0)), section(10, vec({})),
                       section(11, vec({}))}))
            .ok());
  // Custom sections may appear anywhere, any number of times.
  auto r = decodeBytes(module({customSection("a", {1, 2, 3}), voidTypeSection(), customSection("b", {}),
                          customSection("a", {9})}));
  REQUIRE(r.ok());
  REQUIRE(r->customSections.size() == 3);
  CHECK(r->customSections[0].name == "a");
  CHECK(r->customSections[0].size == 3);
  CHECK(r->customSections[0].offset == 8 + 2 + 2);  // id, size, name "a"
  CHECK(r->customSections[1].name == "b");
  CHECK(r->customSections[1].size == 0);
  CHECK(r->customSections[2].size == 1);
}

TEST_CASE("section sizes") {
  // Declared size larger than what is left in the file.
  CHECK_MALFORMED(module({Bytes{0x01, 0x07, 0x02, 0x60, 0x00, 0x00}}), "length out of bounds");
  // Declared size smaller than the contents: the contents are read on, then found too long.
  CHECK_MALFORMED(module({Bytes{0x01, 0x03, 0x01, 0x60, 0x00, 0x00}}), "section size mismatch");
  // Declared size larger than the contents, more sections following.
  CHECK_MALFORMED(module({Bytes{0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00}}),
                  "section size mismatch");
  // A section size cut short by the end of the file.
  CHECK_MALFORMED(module({Bytes{0x01}}), "unexpected end");
  // Contents cut by the end of the file.
  CHECK_MALFORMED(module({Bytes{0x04, 0x01, 0x01}}), "unexpected end of section or function");
  CHECK_MALFORMED(module({Bytes{0x05, 0x01, 0x01}}), "unexpected end of section or function");
  // Custom section whose name is longer than the section.
  CHECK_MALFORMED(module({Bytes{0x00, 0x00, 0x00, 0x05, 0x01, 0x00}}), "unexpected end");
  CHECK_MALFORMED(module({Bytes{0x00}}), "unexpected end");
}

TEST_CASE("a huge count in a tiny file is rejected without allocating it") {
  CHECK_MALFORMED(module({Bytes{0x01, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}}), "length out of bounds");
  CHECK_MALFORMED(module({Bytes{0x03, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}}), "length out of bounds");
  CHECK_MALFORMED(module({Bytes{0x0A, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}}), "length out of bounds");
  CHECK_MALFORMED(module({Bytes{0x0B, 0x08, 0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}}),
                  "length out of bounds");
}

TEST_CASE("type section") {
  auto r = decodeBytes(module({section(1, vec({{0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7B},
                                          {0x60, 0x03, 0x7D, 0x7C, 0x70, 0x01, 0x6F},
                                          {0x60, 0x00, 0x00}}))}));
  REQUIRE(r.ok());
  REQUIRE(r->types.size() == 3);
  CHECK(r->types[0].params == std::vector<ValType>{ValType::I32, ValType::I64});
  CHECK(r->types[0].results == std::vector<ValType>{ValType::V128});
  CHECK(r->types[1].params == std::vector<ValType>{ValType::F32, ValType::F64, ValType::FuncRef});
  CHECK(r->types[1].results == std::vector<ValType>{ValType::ExternRef});
  CHECK(r->types[2].params.empty());

  CHECK_MALFORMED(module({section(1, vec({{0x61, 0x00, 0x00}}))}), "malformed function type");
  CHECK_MALFORMED(module({section(1, vec({{0xE0, 0x7F, 0x00, 0x00}}))}),
                  "integer representation too long");
  CHECK_MALFORMED(module({section(1, vec({{0x60, 0x01, 0x7A, 0x00}}))}), "malformed value type");
  CHECK_MALFORMED(module({section(1, vec({{0x60, 0x01, 0x40, 0x00}}))}), "malformed value type");
  CHECK_MALFORMED(module({section(1, vec({{0x60, 0x01, 0xFF, 0x7F, 0x00}}))}),
                  "integer representation too long");
}

TEST_CASE("import section and index spaces") {
  Bytes imports = section(2, vec({cat({str("m"), str("f"), {0x00, 0x00}}),
                                  cat({str("m"), str("t"), {0x01, 0x6F, 0x01, 0x02, 0x05}}),
                                  cat({str("m"), str("mem"), {0x02, 0x00, 0x01}}),
                                  cat({str("m"), str("g"), {0x03, 0x7E, 0x01}}),
                                  cat({str("m"), str("f2"), {0x00, 0x00}})}));
  auto r = decodeBytes(module({voidTypeSection(), imports}));
  REQUIRE(r.ok());
  REQUIRE(r->imports.size() == 5);
  CHECK(r->imports[0].module == "m");
  CHECK(r->imports[0].name == "f");
  CHECK(r->imports[0].kind == ir::ExternKind::Func);
  CHECK(r->imports[1].kind == ir::ExternKind::Table);
  CHECK(r->imports[1].table.elem == ValType::ExternRef);
  CHECK(r->imports[1].table.limits.min == 2);
  CHECK(r->imports[1].table.limits.max == std::optional<uint64_t>(5));
  CHECK(r->imports[2].memory.limits.min == 1);
  CHECK_FALSE(r->imports[2].memory.limits.max.has_value());
  CHECK(r->imports[3].global.type == ValType::I64);
  CHECK(r->imports[3].global.mut == ir::Mutability::Var);
  CHECK(r->funcImports == std::vector<uint32_t>{0, 4});
  CHECK(r->tableImports == std::vector<uint32_t>{1});
  CHECK(r->memoryImports == std::vector<uint32_t>{2});
  CHECK(r->globalImports == std::vector<uint32_t>{3});

  for (uint8_t kind : {0x04, 0x05, 0x80, 0xFF})
    CHECK_MALFORMED(module({section(2, vec({cat({str("m"), str("x"), {kind, 0x00}})}))}),
                    "malformed import kind");
  CHECK_MALFORMED(module({section(2, vec({cat({str("m"), str("g"), {0x03, 0x7F, 0x02}})}))}),
                  "malformed mutability");
  CHECK_MALFORMED(module({section(2, vec({cat({str("m"), str("t"), {0x01, 0x7F, 0x00, 0x00}})}))}),
                  "malformed reference type");
}

TEST_CASE("limits flags are a one-bit LEB") {
  CHECK(decodeBytes(module({section(5, vec({{0x01, 0x00, 0x00}}))})).ok());
  CHECK_MALFORMED(module({section(5, vec({{0x02, 0x00}}))}), "integer too large");
  CHECK_MALFORMED(module({section(5, vec({{0x10, 0x00}}))}), "integer too large");
  CHECK_MALFORMED(module({section(5, vec({{0x81, 0x00, 0x00, 0x00}}))}),
                  "integer representation too long");
  CHECK_MALFORMED(module({section(4, vec({{0x70, 0x02, 0x00}}))}), "integer too large");
  CHECK_MALFORMED(module({section(4, vec({{0x70, 0x81, 0x00, 0x00, 0x00}}))}),
                  "integer representation too long");
  // min and max are u32.
  auto r = decodeBytes(module({section(5, vec({{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x80, 0x80, 0x04}}))}));
  REQUIRE(r.ok());
  CHECK(r->memories[0].limits.min == 0xFFFFFFFFu);
  CHECK(r->memories[0].limits.max == std::optional<uint64_t>(65536));
  CHECK_MALFORMED(module({section(5, vec({{0x00, 0x80, 0x80, 0x80, 0x80, 0x10}}))}),
                  "integer too large");
}

TEST_CASE("globals, exports and start") {
  Bytes globals = section(6, vec({{0x7F, 0x00, 0x41, 0x2A, 0x0B}, {0x7E, 0x01, 0x42, 0x7F, 0x0B}}));
  Bytes exports = section(7, vec({cat({str("f"), {0x00, 0x00}}), cat({str("g"), {0x03, 0x01}})}));
  Bytes m = cat({header(), voidTypeSection(), section(3, vec({{0x00}})), globals, exports,
                 section(8, uleb(0)), section(10, vec({body({0x00}, {0x0B})}))});
  auto r = decodeBytes(m);
  REQUIRE(r.ok());
  REQUIRE(r->globals.size() == 2);
  CHECK(r->globals[0].type.mut == ir::Mutability::Const);
  REQUIRE(r->globals[0].init.code.size() == 2);
  CHECK(r->globals[0].init.code[0].op == ir::Opcode::I32Const);
  CHECK(r->globals[0].init.code[0].c == 42);
  CHECK(r->globals[0].init.code[1].op == ir::Opcode::End);
  CHECK(r->globals[1].init.code[0].c == ~uint64_t(0));
  REQUIRE(r->exports.size() == 2);
  CHECK(r->exports[1].name == "g");
  CHECK(r->exports[1].kind == ir::ExternKind::Global);
  CHECK(r->exports[1].index == 1);
  REQUIRE(r->start.has_value());
  CHECK(r->start->value == 0);

  CHECK_MALFORMED(module({section(7, vec({cat({str("f"), {0x04, 0x00}})}))}),
                  "malformed export kind");
  CHECK_MALFORMED(module({section(6, vec({{0x7F, 0x02, 0x41, 0x00, 0x0B}}))}),
                  "malformed mutability");
  CHECK_MALFORMED(module({section(6, vec({{0x7F, 0xFF, 0x41, 0x00, 0x0B}}))}),
                  "malformed mutability");
  // A constant expression without its end runs into the end of the file.
  CHECK_MALFORMED(module({section(6, vec({{0x7F, 0x00, 0x41, 0x00}}))}), "unexpected end");
  // Constant expressions are only decoded; constness is the validator's business.
  CHECK(decodeBytes(module({section(6, vec({{0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B}}))})).ok());
}

TEST_CASE("function and code sections must agree") {
  CHECK_MALFORMED(module({voidTypeSection(), section(3, vec({{0x00}, {0x00}}))}),
                  "function and code section have inconsistent lengths");
  CHECK_MALFORMED(module({section(10, vec({body({0x00}, {0x0B})}))}),
                  "function and code section have inconsistent lengths");
  CHECK_MALFORMED(module({voidTypeSection(), section(3, vec({{0x00}})),
                          section(10, vec({body({0x00}, {0x0B}), body({0x00}, {0x0B})}))}),
                  "function and code section have inconsistent lengths");
  // An empty function section with no code section is fine.
  CHECK(decodeBytes(module({section(3, vec({}))})).ok());
}

TEST_CASE("locals") {
  auto r = decodeBytes(cat({header(), voidTypeSection(), section(3, vec({{0x00}})),
                       section(10, vec({body(vec({{0x02, 0x7F}, {0x00, 0x7E}, {0x03, 0x7B}}),
                                             {0x0B})}))}));
  REQUIRE(r.ok());
  const auto& fn = r->functions[0];
  REQUIRE(fn.localRuns.size() == 3);
  CHECK(fn.localRuns[0] == std::pair<uint32_t, ValType>{2, ValType::I32});
  CHECK(fn.localRuns[2] == std::pair<uint32_t, ValType>{3, ValType::V128});
  CHECK(fn.localCount == 5);
  CHECK(fn.bodyOffset == 8 + 6 + 4 + 3);  // header, types, funcs, code section id+size+count
  CHECK(fn.bodyStart == fn.bodyOffset + 1);  // after the one-byte size
  CHECK(fn.bodySize == 8);

  auto tooMany = [](std::initializer_list<Bytes> runs) {
    return cat({header(), voidTypeSection(), section(3, vec({{0x00}})),
                section(10, vec({body(vec(runs), {0x0B})}))});
  };
  CHECK_MALFORMED(tooMany({{0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F}, {0x02, 0x7E}}), "too many locals");
  CHECK_MALFORMED(tooMany({{0x80, 0x80, 0x80, 0x80, 0x04, 0x7F}, {0x80, 0x80, 0x80, 0x80, 0x04, 0x7E},
                           {0x80, 0x80, 0x80, 0x80, 0x04, 0x7D}, {0x80, 0x80, 0x80, 0x80, 0x04, 0x7C}}),
                  "too many locals");
  // Exactly 2^32 - 1 locals is representable.
  auto most = decodeBytes(tooMany({{0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F}}));
  REQUIRE(most.ok());
  CHECK(most->functions[0].localCount == 0xFFFFFFFFu);
  CHECK_MALFORMED(tooMany({{0x80, 0x80, 0x80, 0x80, 0x10, 0x7F}}), "integer too large");
  CHECK_MALFORMED(tooMany({{0x01, 0x40}}), "malformed value type");
}

TEST_CASE("function body sizes") {
  // Body declares 4 bytes but its end is the fifth: read on, then mismatch.
  Bytes m = cat({header(), voidTypeSection(), section(3, vec({{0x00}})),
                 Bytes{0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x0B, 0x03, 0x01, 0x01, 0x00}});
  CHECK_MALFORMED(m, "section size mismatch");
  // Same body at the very end of the file.
  Bytes cut = cat({header(), voidTypeSection(), section(3, vec({{0x00}})),
                   Bytes{0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x1A}});
  CHECK_MALFORMED(cut, "unexpected end of section or function");
  // Junk after the final end inside the body.
  CHECK_MALFORMED(cat({header(), voidTypeSection(), section(3, vec({{0x00}})),
                       section(10, vec({body({0x00}, {0x0B, 0x01})}))}),
                  "section size mismatch");
}

// Module::deserialize decodes an artifact's wasm without its function bodies (they were decoded
// and validated when it was compiled): each body keeps its place, nothing inside it is read.
TEST_CASE("Bodies::Skip: bodies keep their place and are not read") {
  // Two functions; the second body is an illegal opcode with a local run, which a full decode
  // refuses and a skipping one never looks at.
  Bytes twoFuncs = cat({header(), voidTypeSection(), section(3, vec({{0x00}, {0x00}})),
                        section(10, vec({body({0x00}, {0x41, 0x07, 0x1A, 0x0B}), body({0x01, 0x02, 0x7F}, {0xFF, 0x0B})}))});
  CHECK(messageOf(twoFuncs).rfind("illegal opcode", 0) == 0);
  auto skipped = decode::decodeModule(std::span<const uint8_t>(twoFuncs), decode::Bodies::Skip);
  REQUIRE_MESSAGE(skipped.ok(), (skipped.ok() ? "" : skipped.error().describe()));
  REQUIRE(skipped->functions.size() == 2);

  Bytes valid = oneFunction({0x41, 0x07, 0x1A, 0x0B});
  auto full = decodeBytes(valid);
  auto places = decode::decodeModule(std::span<const uint8_t>(valid), decode::Bodies::Skip);
  REQUIRE(full.ok());
  REQUIRE(places.ok());
  REQUIRE(places->functions.size() == 1);
  const ir::Function& f = full->functions[0];
  const ir::Function& p = places->functions[0];
  CHECK(p.bodyOffset == f.bodyOffset);
  CHECK(p.bodyStart == f.bodyStart);
  CHECK(p.bodySize == f.bodySize);
  CHECK(p.type.value == f.type.value);
  CHECK_FALSE(f.body.code.empty());
  CHECK(p.body.code.empty());

  // The framing around the bodies is still checked, as a full decode checks it: a body size
  // past the end, a count that disagrees with the function section.
  Bytes pastEnd = cat({header(), voidTypeSection(), section(3, vec({{0x00}})), section(10, {0x01, 0x64, 0x00, 0x0B})});
  auto cut = decode::decodeModule(std::span<const uint8_t>(pastEnd), decode::Bodies::Skip);
  REQUIRE_FALSE(cut.ok());
  CHECK(messageOf(pastEnd) != "ok");
  CHECK(cut.error().message == decodeBytes(pastEnd).error().message);
  Bytes mismatch = cat({header(), voidTypeSection(), section(3, vec({{0x00}, {0x00}})),
                        section(10, vec({body({0x00}, {0x0B})}))});
  auto counted = decode::decodeModule(std::span<const uint8_t>(mismatch), decode::Bodies::Skip);
  REQUIRE_FALSE(counted.ok());
  CHECK(counted.error().message.rfind("function and code section have inconsistent lengths", 0) == 0);
}
