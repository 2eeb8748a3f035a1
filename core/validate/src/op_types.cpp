#include "op_types.h"

#include <string_view>

namespace orca::validate::detail {
namespace {

StackType typeFromSignatureChar(char c) {
  switch (c) {
    case 'i': return st(ir::ValType::I32);
    case 'I': return st(ir::ValType::I64);
    case 'f': return st(ir::ValType::F32);
    case 'F': return st(ir::ValType::F64);
    case 'v': return st(ir::ValType::V128);
    default: return kUnknown;
  }
}

// Lane count of a lane-indexed SIMD instruction, read from its shape prefix ("i16x8." -> 8) or,
// for the lane loads and stores, from the access width (a 32-bit lane of 128 bits -> 4 lanes).
uint8_t laneCountOf(ir::Opcode op, const ir::OpInfo& info) {
  if (info.imm == ir::ImmKind::MemArgLane) return static_cast<uint8_t>(16u >> ir::naturalAlignment(op));
  if (info.imm == ir::ImmKind::Shuffle) return 32;  // the mask selects from both operands
  if (info.imm != ir::ImmKind::Lane) return 0;
  std::string_view text = info.text;
  if (text.starts_with("i8x16")) return 16;
  if (text.starts_with("i16x8")) return 8;
  if (text.starts_with("i32x4") || text.starts_with("f32x4")) return 4;
  if (text.starts_with("i64x2") || text.starts_with("f64x2")) return 2;
  return 0;
}

std::array<OpTypes, ir::kOpcodeCount> buildTable() {
  std::array<OpTypes, ir::kOpcodeCount> table{};
  for (size_t i = 0; i < ir::kOpcodeCount; ++i) {
    auto op = static_cast<ir::Opcode>(i);
    const ir::OpInfo& info = ir::opInfo(op);
    OpTypes& entry = table[i];
    entry.imm = info.imm;
    entry.checkImmediate = info.imm == ir::ImmKind::MemArg || info.imm == ir::ImmKind::MemArgLane ||
                           info.imm == ir::ImmKind::Lane || info.imm == ir::ImmKind::Shuffle ||
                           info.imm == ir::ImmKind::V128;
    entry.naturalAlign = static_cast<uint8_t>(ir::naturalAlignment(op));
    entry.laneCount = laneCountOf(op, info);
    std::string_view sig = info.signature;
    size_t colon = sig.find(':');
    if (sig.empty() || colon == std::string_view::npos) continue;
    entry.hasSignature = true;
    for (size_t k = 0; k < colon && entry.paramCount < 3; ++k) {
      entry.params[entry.paramCount++] = typeFromSignatureChar(sig[k]);
    }
    if (colon + 1 < sig.size()) entry.result = typeFromSignatureChar(sig[colon + 1]);
  }
  return table;
}

}  // namespace

const std::array<OpTypes, ir::kOpcodeCount>& opTypesTable() {
  static const std::array<OpTypes, ir::kOpcodeCount> table = buildTable();
  return table;
}

}  // namespace orca::validate::detail
