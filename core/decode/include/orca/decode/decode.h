// The binary format decoder: bytes to the module IR, strictly by the spec.
#pragma once

#include <cstdint>
#include <span>

#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::decode {

// Decodes a whole module, function bodies included. Any violation of the binary grammar is an
// Error of kind Malformed carrying the byte offset and the spec test suite's wording ("unexpected
// end", "magic header not detected", "integer representation too long", "section size mismatch",
// "illegal opcode", "malformed UTF-8 encoding", ...). Index ranges and types are left to the
// validator, except where the binary format itself bounds them.
Result<ir::Module> decodeModule(std::span<const uint8_t> bytes);

// What decodeModule may leave out.
enum class Bodies : uint8_t {
  Decode,  // every function body, checked and decoded into instructions
  // Only each body's place (bodyOffset, bodyStart, bodySize); locals and instructions are skipped
  // unread. For a module whose bodies were decoded and validated before, when it was compiled
  // (Module::deserialize of a sealed artifact): the rest of the module is still decoded in full.
  Skip,
};
Result<ir::Module> decodeModule(std::span<const uint8_t> bytes, Bodies bodies);

}  // namespace orca::decode
