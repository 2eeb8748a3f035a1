// The static typing facts of each opcode, derived once from the signature strings of
// opcodes.def, so the function validator types most instructions by table lookup.
#pragma once

#include <array>
#include <cstdint>

#include "orca/ir/opcodes.h"
#include "orca/ir/types.h"

namespace orca::validate::detail {

// A value type on the operand stack: the ValType byte, or kUnknown for the bottom type that
// unreachable code pops from an empty (polymorphic) stack.
using StackType = uint8_t;
inline constexpr StackType kUnknown = 0;

inline constexpr StackType st(ir::ValType t) { return static_cast<StackType>(t); }

struct OpTypes {
  // Parameters in stack order (params[0] is the deepest operand).
  StackType params[3] = {};
  uint8_t paramCount = 0;
  StackType result = kUnknown;  // kUnknown: no result
  bool hasSignature = false;    // false: the validator types the instruction by hand
  // For memory accesses: log2 of the access width, the bound of the alignment immediate.
  uint8_t naturalAlign = 0;
  // For instructions with a lane immediate: the number of lanes it may address (0 otherwise).
  uint8_t laneCount = 0;
  ir::ImmKind imm = ir::ImmKind::None;
  // True when the immediate needs a check before typing (memarg, lane, shuffle mask, v128
  // constant), so the common instructions take one predictable branch.
  bool checkImmediate = false;
};

const std::array<OpTypes, ir::kOpcodeCount>& opTypesTable();

}  // namespace orca::validate::detail
