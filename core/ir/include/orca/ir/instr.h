// Decoded instructions. A function body is a flat vector of Instr in binary order; side tables
// hold what does not fit in 24 bytes (br_table targets, v128 constants and shuffle masks).
#pragma once

#include <cstdint>
#include <vector>

#include "orca/ir/opcodes.h"
#include "orca/ir/types.h"

namespace orca::ir {

// blocktype ::= [] | valtype | typeidx
enum class BlockTypeKind : uint8_t { Empty = 0, Value = 1, TypeIndex = 2 };

// Field use by immediate kind (unused fields are zero):
//   BlockType     a = valtype byte or typeidx, b = BlockTypeKind,
//                 c = index of the matching `end` (low 32 bits) and, for `if`, of its `else`
//                     (high 32 bits; 0 when there is none)
//   Label         a = labelidx
//   BrTable       a = first index into InstrSeq::brTargets, b = number of targets before the
//                     default; brTargets[a + b] is the default label
//   Func, Local, Global, Table, Data, Elem     a = the index
//   CallIndirect  a = typeidx, b = tableidx
//   MemArg        align = alignment exponent (saturated at 255), c = offset, a = memidx
//   MemArgLane    as MemArg, lane = lane index
//   Memory        a = memidx
//   I32, I64, F32, F64   c = the bits (i32 zero-extended)
//   V128, Shuffle c = index into InstrSeq::v128s
//   Lane          lane = lane index
//   SelectT       b = number of types, a = the first type's byte (when b >= 1)
//   RefType       a = reftype byte
//   MemoryInit    a = dataidx, b = memidx
//   MemoryCopy    a = destination memidx, b = source memidx
//   TableInit     a = elemidx, b = tableidx
//   TableCopy     a = destination tableidx, b = source tableidx
struct Instr {
  Opcode op = Opcode::Nop;
  uint8_t lane = 0;
  uint8_t align = 0;
  uint32_t offset = 0;  // byte offset of the opcode in the module binary
  uint32_t a = 0;
  uint32_t b = 0;
  uint64_t c = 0;
};
static_assert(sizeof(Instr) == 24, "Instr is kept small: bodies hold millions of them");

// An instruction sequence with its side tables: a function body or a constant expression.
// It includes the final `end`.
struct InstrSeq {
  std::vector<Instr> code;
  std::vector<uint32_t> brTargets;
  std::vector<V128> v128s;
};

}  // namespace orca::ir
