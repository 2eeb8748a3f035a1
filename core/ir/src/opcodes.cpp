#include "orca/ir/opcodes.h"

#include <array>
#include <string>
#include <unordered_map>

namespace orca::ir {
namespace {

constexpr std::array<OpInfo, kOpcodeCount> kOpInfo = {{
#define OP(Enum, text, prefix, code, imm, sig) OpInfo{text, prefix, code, ImmKind::imm, sig},
#include "orca/ir/opcodes.def"
}};

// Dense lookup tables built once: one-byte opcodes, 0xFC sub-opcodes, 0xFD sub-opcodes.
struct Tables {
  std::array<int16_t, 256> single;
  std::array<int16_t, 32> misc;
  std::array<int16_t, 256> simd;
  std::unordered_map<std::string_view, Opcode> byName;

  Tables() {
    single.fill(-1);
    misc.fill(-1);
    simd.fill(-1);
    for (size_t i = 0; i < kOpcodeCount; ++i) {
      const OpInfo& info = kOpInfo[i];
      auto id = static_cast<int16_t>(i);
      if (info.prefix == 0) single[info.code] = id;
      else if (info.prefix == 0xFC) misc[info.code] = id;
      else simd[info.code] = id;
      // The typed select shares its text name with the untyped one; the parser decides.
      if (static_cast<Opcode>(i) != Opcode::SelectT) byName.emplace(info.text, static_cast<Opcode>(i));
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

std::optional<Opcode> fromSlot(int16_t slot) {
  if (slot < 0) return std::nullopt;
  return static_cast<Opcode>(slot);
}

}  // namespace

const OpInfo& opInfo(Opcode op) { return kOpInfo[static_cast<size_t>(op)]; }

std::optional<Opcode> opcodeFromByte(uint8_t byte) { return fromSlot(tables().single[byte]); }

std::optional<Opcode> opcodeFromPrefixed(uint8_t prefix, uint32_t code) {
  if (prefix == 0xFC && code < tables().misc.size()) return fromSlot(tables().misc[code]);
  if (prefix == 0xFD && code < tables().simd.size()) return fromSlot(tables().simd[code]);
  return std::nullopt;
}

std::optional<Opcode> opcodeFromName(std::string_view name) {
  const auto& byName = tables().byName;
  auto it = byName.find(name);
  if (it == byName.end()) return std::nullopt;
  return it->second;
}

uint32_t naturalAlignment(Opcode op) {
  switch (op) {
    case Opcode::I32Load8S: case Opcode::I32Load8U: case Opcode::I64Load8S:
    case Opcode::I64Load8U: case Opcode::I32Store8: case Opcode::I64Store8:
    case Opcode::V128Load8Splat: case Opcode::V128Load8Lane: case Opcode::V128Store8Lane:
      return 0;
    case Opcode::I32Load16S: case Opcode::I32Load16U: case Opcode::I64Load16S:
    case Opcode::I64Load16U: case Opcode::I32Store16: case Opcode::I64Store16:
    case Opcode::V128Load16Splat: case Opcode::V128Load16Lane: case Opcode::V128Store16Lane:
      return 1;
    case Opcode::I32Load: case Opcode::F32Load: case Opcode::I64Load32S:
    case Opcode::I64Load32U: case Opcode::I32Store: case Opcode::F32Store:
    case Opcode::I64Store32: case Opcode::V128Load32Splat: case Opcode::V128Load32Zero:
    case Opcode::V128Load32Lane: case Opcode::V128Store32Lane:
      return 2;
    case Opcode::I64Load: case Opcode::F64Load: case Opcode::I64Store: case Opcode::F64Store:
    case Opcode::V128Load8x8S: case Opcode::V128Load8x8U: case Opcode::V128Load16x4S:
    case Opcode::V128Load16x4U: case Opcode::V128Load32x2S: case Opcode::V128Load32x2U:
    case Opcode::V128Load64Splat: case Opcode::V128Load64Zero: case Opcode::V128Load64Lane:
    case Opcode::V128Store64Lane:
      return 3;
    case Opcode::V128Load: case Opcode::V128Store:
      return 4;
    default:
      return 0;
  }
}

}  // namespace orca::ir
