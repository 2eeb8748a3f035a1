#include <doctest/doctest.h>

#include <set>
#include <string>

#include "orca/ir/opcodes.h"

using namespace orca::ir;

TEST_CASE("every opcode round-trips through its binary encoding and its name") {
  std::set<std::pair<uint8_t, uint32_t>> encodings;
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    auto op = static_cast<Opcode>(i);
    const OpInfo& info = opInfo(op);
    CHECK(encodings.insert({info.prefix, info.code}).second);
    auto decoded = info.prefix == 0 ? opcodeFromByte(static_cast<uint8_t>(info.code))
                                    : opcodeFromPrefixed(info.prefix, info.code);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == op);
    if (op != Opcode::SelectT) {
      auto named = opcodeFromName(info.text);
      REQUIRE(named.has_value());
      CHECK(*named == op);
    }
  }
}

TEST_CASE("the table covers WebAssembly 2.0 and nothing more") {
  size_t simd = 0, misc = 0;
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    const OpInfo& info = opInfo(static_cast<Opcode>(i));
    simd += info.prefix == 0xFD;
    misc += info.prefix == 0xFC;
  }
  CHECK(simd == 236);
  CHECK(misc == 18);
  CHECK_FALSE(opcodeFromByte(0x06).has_value());   // try (exceptions), not 2.0
  CHECK_FALSE(opcodeFromByte(0xD3).has_value());
  CHECK_FALSE(opcodeFromPrefixed(0xFD, 0x9A).has_value());  // reserved SIMD slot
  CHECK_FALSE(opcodeFromPrefixed(0xFC, 18).has_value());
  CHECK_FALSE(opcodeFromPrefixed(0xFD, 0x100).has_value());
  CHECK_FALSE(opcodeFromName("i32.bogus").has_value());
}

TEST_CASE("signatures and alignments of representative instructions") {
  CHECK(opInfo(Opcode::I32Add).signature == "ii:i");
  CHECK(opInfo(Opcode::F64ConvertI64U).signature == "I:F");
  CHECK(opInfo(Opcode::V128Bitselect).signature == "vvv:v");
  CHECK(opInfo(Opcode::I8x16Shl).signature == "vi:v");
  CHECK(opInfo(Opcode::Block).imm == ImmKind::BlockType);
  CHECK(naturalAlignment(Opcode::I64Load32U) == 2);
  CHECK(naturalAlignment(Opcode::V128Load) == 4);
  CHECK(naturalAlignment(Opcode::V128Load16Lane) == 1);
}
