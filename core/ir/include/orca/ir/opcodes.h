// Opcodes and their static properties, expanded from opcodes.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace orca::ir {

// What follows an opcode in the binary format.
enum class ImmKind : uint8_t {
  None,
  BlockType,     // blocktype
  Label,         // labelidx
  BrTable,       // vec(labelidx) labelidx
  Func,          // funcidx
  CallIndirect,  // typeidx tableidx
  Local,         // localidx
  Global,        // globalidx
  Table,         // tableidx
  MemArg,        // align offset
  Memory,        // memidx (a reserved 0x00 byte in 2.0)
  I32,           // i32 (signed LEB)
  I64,           // i64 (signed LEB)
  F32,           // f32 (4 bytes)
  F64,           // f64 (8 bytes)
  V128,          // 16 bytes
  Shuffle,       // 16 lane indices
  Lane,          // laneidx byte
  MemArgLane,    // memarg laneidx
  SelectT,       // vec(valtype)
  RefType,       // reftype
  MemoryInit,    // dataidx memidx
  Data,          // dataidx
  MemoryCopy,    // memidx memidx
  TableInit,     // elemidx tableidx
  Elem,          // elemidx
  TableCopy,     // tableidx tableidx
};

enum class Opcode : uint16_t {
#define OP(Enum, text, prefix, code, imm, sig) Enum,
#include "orca/ir/opcodes.def"
  Count_
};

inline constexpr size_t kOpcodeCount = static_cast<size_t>(Opcode::Count_);

struct OpInfo {
  std::string_view text;       // "i32.add"
  uint8_t prefix;              // 0, 0xFC or 0xFD
  uint32_t code;               // byte after the prefix, or the opcode itself
  ImmKind imm;
  std::string_view signature;  // "ii:i", or "" when typed by hand
};

const OpInfo& opInfo(Opcode op);
inline std::string_view opName(Opcode op) { return opInfo(op).text; }

// Binary lookups for the decoder: nullopt where the byte (or sub-opcode) names no instruction.
std::optional<Opcode> opcodeFromByte(uint8_t byte);
std::optional<Opcode> opcodeFromPrefixed(uint8_t prefix, uint32_t code);

// Text lookup for the parser. `select` names the untyped form; the parser picks SelectT when a
// (result ...) follows.
std::optional<Opcode> opcodeFromName(std::string_view name);

// The natural alignment exponent (log2 of the access width in bytes) of a memory instruction,
// which bounds its alignment immediate. Returns 0 for instructions without a memarg.
uint32_t naturalAlignment(Opcode op);

}  // namespace orca::ir
