// Instructions: opcodes, immediates, block structure and the instruction-level errors.
#include <doctest/doctest.h>

#include "wasm_builder.h"

using namespace orca;
using namespace orca::decode::test;
using ir::BlockTypeKind;
using ir::Opcode;

namespace {

// Decodes a one-function module (with a memory and a table so memory/table instructions are
// plausible) and returns the body.
ir::InstrSeq bodyOf(const Bytes& code) {
  auto r = decodeBytes(oneFunction(code, {section(4, vec({{0x70, 0x00, 0x01}})),
                                     section(5, vec({{0x00, 0x01}})), section(12, uleb(0))}));
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return std::move(r->functions[0].body);
}

Bytes withMemory(const Bytes& code) { return oneFunction(code, {section(5, vec({{0x00, 0x01}}))}); }

}  // namespace

TEST_CASE("block, loop, if and else carry the indices of their end and else") {
  // 0: block  1: loop  2: if  3: nop  4: else  5: nop  6: end(if)  7: end(loop)  8: end(block)  9: end
  auto seq = bodyOf({0x02, 0x40, 0x03, 0x7F, 0x04, 0x00, 0x01, 0x05, 0x01, 0x0B, 0x0B, 0x0B, 0x0B});
  REQUIRE(seq.code.size() == 10);
  CHECK(seq.code[0].op == Opcode::Block);
  CHECK(seq.code[0].b == uint32_t(BlockTypeKind::Empty));
  CHECK(seq.code[0].c == 8);
  CHECK(seq.code[1].op == Opcode::Loop);
  CHECK(seq.code[1].b == uint32_t(BlockTypeKind::Value));
  CHECK(seq.code[1].a == 0x7F);
  CHECK(seq.code[1].c == 7);
  CHECK(seq.code[2].op == Opcode::If);
  CHECK(seq.code[2].b == uint32_t(BlockTypeKind::TypeIndex));
  CHECK(seq.code[2].a == 0);
  CHECK((seq.code[2].c & 0xFFFFFFFF) == 6);
  CHECK((seq.code[2].c >> 32) == 4);
  CHECK(seq.code[4].op == Opcode::Else);
  CHECK(seq.code[9].op == Opcode::End);
  // Opcode offsets are absolute in the binary.
  CHECK(seq.code[0].offset + 2 == seq.code[1].offset);

  // An if without else has 0 in the high half.
  auto plain = bodyOf({0x41, 0x00, 0x04, 0x40, 0x0B, 0x0B});
  CHECK(plain.code[1].c == 2);
}

TEST_CASE("block types") {
  // A multi-byte s33 type index.
  auto seq = bodyOf({0x02, 0x80, 0x01, 0x0B, 0x0B});
  CHECK(seq.code[0].a == 128);
  CHECK(seq.code[0].b == uint32_t(BlockTypeKind::TypeIndex));
  // 0x7B is v128.
  CHECK(bodyOf({0x02, 0x7B, 0x0B, 0x0B}).code[0].a == 0x7B);
  CHECK_MALFORMED(oneFunction({0x02, 0x7A, 0x0B, 0x0B}), "malformed value type");
  CHECK_MALFORMED(oneFunction({0x02, 0xFF, 0x7F, 0x0B, 0x0B}), "malformed block type");
  CHECK_MALFORMED(oneFunction({0x02, 0x80, 0x80, 0x80, 0x80, 0x20, 0x0B, 0x0B}), "integer too large");
}

TEST_CASE("block nesting errors") {
  // else outside an if, twice in an if, at top level.
  CHECK_MALFORMED(oneFunction({0x02, 0x40, 0x05, 0x0B, 0x0B}), "END opcode expected");
  CHECK_MALFORMED(oneFunction({0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B}),
                  "END opcode expected");
  CHECK_MALFORMED(oneFunction({0x05, 0x0B}), "END opcode expected");
  // The binary.wast case: two bodies where the first ends with else.
  Bytes m = cat({header(), voidTypeSection(), section(3, vec({{0x00}, {0x00}})),
                 Bytes{0x0A, 0x0C, 0x02, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x05, 0x00, 0x41, 0x01, 0x1A,
                       0x0B}});
  CHECK_MALFORMED(m, "END opcode expected");
  // A missing end runs into the end of the section.
  CHECK_MALFORMED(oneFunction({0x02, 0x40, 0x0B}), "unexpected end");
}

TEST_CASE("immediates") {
  auto seq = bodyOf({
      0x41, 0x80, 0x80, 0x80, 0x80, 0x78,              // i32.const INT32_MIN
      0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F,  // i64.const INT64_MIN
      0x43, 0x00, 0x00, 0x80, 0x3F,                    // f32.const 1.0
      0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,  // f64.const 1.0
      0x28, 0x02, 0x10,                                // i32.load align=4 offset=16
      0x0E, 0x02, 0x00, 0x01, 0x02,                    // br_table 0 1 2
      0x11, 0x03, 0x00,                                // call_indirect type 3 table 0
      0x1C, 0x01, 0x7E,                                // select (result i64)
      0xD0, 0x6F,                                      // ref.null extern
      0xD2, 0x05,                                      // ref.func 5
      0x3F, 0x00, 0x40, 0x00,                          // memory.size, memory.grow
      0x20, 0x07, 0x23, 0x09, 0x25, 0x01,              // local.get 7, global.get 9, table.get 1
      0x0B});
  const auto& c = seq.code;
  REQUIRE(c.size() == 16);
  CHECK(c[14].a == 1);
  CHECK(c[15].op == Opcode::End);
  CHECK(c[0].c == 0x80000000u);
  CHECK(c[1].c == 0x8000000000000000ull);
  CHECK(c[2].c == 0x3F800000u);
  CHECK(c[3].c == 0x3FF0000000000000ull);
  CHECK(c[4].op == Opcode::I32Load);
  CHECK(c[4].align == 2);
  CHECK(c[4].c == 16);
  CHECK(c[5].op == Opcode::BrTable);
  CHECK(c[5].b == 2);
  CHECK(seq.brTargets == std::vector<uint32_t>{0, 1, 2});
  CHECK(c[5].a == 0);
  CHECK(c[6].a == 3);
  CHECK(c[6].b == 0);
  CHECK(c[7].op == Opcode::SelectT);
  CHECK(c[7].b == 1);
  CHECK(c[7].a == 0x7E);
  CHECK(c[8].a == 0x6F);
  CHECK(c[9].a == 5);
  CHECK(c[10].op == Opcode::MemorySize);
  CHECK(c[11].op == Opcode::MemoryGrow);
  CHECK(c[12].a == 7);
  CHECK(c[13].a == 9);
}

TEST_CASE("0xFC and 0xFD prefixed instructions") {
  auto seq = bodyOf({
      0xFC, 0x00,                          // i32.trunc_sat_f32_s
      0xFC, 0x08, 0x03, 0x00,              // memory.init 3
      0xFC, 0x09, 0x02,                    // data.drop 2
      0xFC, 0x0A, 0x00, 0x00,              // memory.copy
      0xFC, 0x0B, 0x00,                    // memory.fill
      0xFC, 0x0C, 0x04, 0x01,              // table.init 4 1
      0xFC, 0x0E, 0x02, 0x03,              // table.copy 2 3
      0xFC, 0x11, 0x00,                    // table.fill 0
      0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,  // v128.const
      0xFD, 0x0D, 0, 17, 1, 18, 2, 19, 3, 20, 4, 21, 5, 22, 6, 23, 7, 24,  // i8x16.shuffle
      0xFD, 0x15, 0x0F,                    // i8x16.extract_lane_s 15
      0xFD, 0x54, 0x00, 0x08, 0x03,        // v128.load8_lane offset=8 lane 3
      0xFD, 0x80, 0x01,                    // i16x8.abs (two-byte sub-opcode)
      0xFD, 0xFF, 0x01,                    // f64x2.convert_low_i32x4_u
      0x0B});
  const auto& c = seq.code;
  REQUIRE(c.size() == 15);
  CHECK(c[0].op == Opcode::I32TruncSatF32S);
  CHECK(c[1].op == Opcode::MemoryInit);
  CHECK(c[1].a == 3);
  CHECK(c[2].op == Opcode::DataDrop);
  CHECK(c[2].a == 2);
  CHECK(c[3].op == Opcode::MemoryCopy);
  CHECK(c[4].op == Opcode::MemoryFill);
  CHECK(c[5].op == Opcode::TableInit);
  CHECK(c[5].a == 4);
  CHECK(c[5].b == 1);
  CHECK(c[6].a == 2);
  CHECK(c[6].b == 3);
  CHECK(c[7].op == Opcode::TableFill);
  CHECK(c[8].op == Opcode::V128Const);
  REQUIRE(seq.v128s.size() == 2);
  CHECK(seq.v128s[c[8].c].bytes[0] == 1);
  CHECK(seq.v128s[c[8].c].bytes[15] == 16);
  CHECK(c[9].op == Opcode::I8x16Shuffle);
  CHECK(seq.v128s[c[9].c].bytes[1] == 17);
  CHECK(c[10].lane == 15);
  CHECK(c[11].op == Opcode::V128Load8Lane);
  CHECK(c[11].c == 8);
  CHECK(c[11].lane == 3);
  CHECK(c[12].op == Opcode::I16x8Abs);
  CHECK(c[13].op == Opcode::F64x2ConvertLowI32x4U);
}

TEST_CASE("instruction errors") {
  CHECK_MALFORMED(oneFunction({0x06, 0x0B}), "illegal opcode");
  CHECK_MALFORMED(oneFunction({0xFF, 0x0B}), "illegal opcode");
  CHECK_MALFORMED(oneFunction({0xFC, 0x12, 0x0B}), "illegal opcode");
  CHECK_MALFORMED(oneFunction({0xFC, 0x80, 0x01, 0x0B}), "illegal opcode");
  CHECK_MALFORMED(oneFunction({0xFD, 0x9A, 0x01, 0x0B}), "illegal opcode");
  CHECK_MALFORMED(oneFunction({0xFC, 0x87, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B}),
                  "integer representation too long");
  // Reserved zero bytes: one byte 0x00, not a LEB that happens to be zero.
  CHECK_MALFORMED(withMemory({0x41, 0x00, 0x40, 0x01, 0x1A, 0x0B}), "zero byte expected");
  CHECK_MALFORMED(withMemory({0x41, 0x00, 0x40, 0x80, 0x00, 0x1A, 0x0B}), "zero byte expected");
  CHECK_MALFORMED(withMemory({0x3F, 0x01, 0x1A, 0x0B}), "zero byte expected");
  CHECK_MALFORMED(withMemory({0xFC, 0x0B, 0x01, 0x0B}), "zero byte expected");
  CHECK_MALFORMED(withMemory({0xFC, 0x0A, 0x00, 0x01, 0x0B}), "zero byte expected");
  // Alignment exponents of 32 and more are malformed; 31 is left to the validator.
  CHECK(decodeBytes(withMemory({0x41, 0x00, 0x28, 0x1F, 0x00, 0x1A, 0x0B})).ok());
  for (uint8_t flags : {0x20, 0x21, 0x3F, 0x40, 0x41})
    CHECK_MALFORMED(withMemory({0x41, 0x00, 0x28, flags, 0x00, 0x1A, 0x0B}), "malformed memop flags");
  CHECK_MALFORMED(oneFunction({0xD0, 0x7F, 0x0B}), "malformed reference type");
  CHECK_MALFORMED(oneFunction({0x1C, 0x01, 0x7A, 0x0B}), "malformed value type");
  // A v128 immediate cut by the end of the file.
  Bytes cut = cat({header(), voidTypeSection(), section(3, vec({{0x00}})),
                   Bytes{0x0A, 0x08, 0x01, 0x06, 0x00, 0xFD, 0x0C, 0x01, 0x02, 0x03}});
  CHECK_MALFORMED(cut, "unexpected end of section or function");
}

TEST_CASE("memory.init and data.drop need the data count section") {
  Bytes memory = section(5, vec({{0x00, 0x00}}));
  Bytes data = section(11, vec({{0x01, 0x00}}));
  Bytes init = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B};
  auto build = [&](const Bytes& code, bool withCount) {
    Bytes out = cat({header(), voidTypeSection(), section(3, vec({{0x00}})), memory});
    if (withCount) out = cat({out, section(12, uleb(1))});
    return cat({out, section(10, vec({body({0x00}, code)})), data});
  };
  CHECK_MALFORMED(build(init, false), "data count section required");
  CHECK_MALFORMED(build({0xFC, 0x09, 0x00, 0x0B}, false), "data count section required");
  CHECK(decodeBytes(build(init, true)).ok());
  CHECK(decodeBytes(build({0xFC, 0x09, 0x00, 0x0B}, true)).ok());
  // Other bulk instructions do not need it.
  CHECK(decodeBytes(build({0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0A, 0x00, 0x00, 0x0B}, false)).ok());
}

TEST_CASE("every opcode of the table decodes with plausible immediates") {
  // Walks the shared opcode table, encodes each instruction with zero immediates and decodes it.
  size_t checked = 0;
  for (size_t i = 0; i < ir::kOpcodeCount; ++i) {
    auto op = static_cast<Opcode>(i);
    const ir::OpInfo& info = ir::opInfo(op);
    if (op == Opcode::End || op == Opcode::Else) continue;
    Bytes code;
    if (info.prefix) {
      code.push_back(info.prefix);
      Bytes sub = uleb(info.code);
      code.insert(code.end(), sub.begin(), sub.end());
    } else {
      code.push_back(static_cast<uint8_t>(info.code));
    }
    Bytes imm;
    switch (info.imm) {
      case ir::ImmKind::None: break;
      case ir::ImmKind::BlockType: imm = {0x40, 0x0B}; break;  // with its own end
      case ir::ImmKind::BrTable: imm = {0x00, 0x00}; break;
      case ir::ImmKind::CallIndirect: case ir::ImmKind::MemoryInit: case ir::ImmKind::MemoryCopy:
      case ir::ImmKind::TableInit: case ir::ImmKind::TableCopy: case ir::ImmKind::MemArg:
        imm = {0x00, 0x00}; break;
      case ir::ImmKind::MemArgLane: imm = {0x00, 0x00, 0x00}; break;
      case ir::ImmKind::F32: imm = Bytes(4, 0); break;
      case ir::ImmKind::F64: imm = Bytes(8, 0); break;
      case ir::ImmKind::V128: case ir::ImmKind::Shuffle: imm = Bytes(16, 0); break;
      case ir::ImmKind::SelectT: imm = {0x01, 0x7F}; break;
      case ir::ImmKind::RefType: imm = {0x70}; break;
      default: imm = {0x00}; break;
    }
    code.insert(code.end(), imm.begin(), imm.end());
    code.push_back(0x0B);
    Bytes m = cat({header(), voidTypeSection(), section(3, vec({{0x00}})), section(12, uleb(0)),
                   section(10, vec({body({0x00}, code)}))});
    auto r = decodeBytes(m);
    INFO(info.text);
    REQUIRE(r.ok());
    CHECK(r->functions[0].body.code[0].op == op);
    ++checked;
  }
  CHECK(checked > 400);
}
