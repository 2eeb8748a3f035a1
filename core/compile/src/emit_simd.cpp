// SIMD (0xFD-prefixed) instructions: the one hook for the whole family. See emitter.h for the
// emitter API (v128 is <2 x i64> at the ABI; asLanes()/pushV128() convert to and from lane
// vectors; memoryAddress()/load()/store() for the memory forms).
#include "emitter.h"

namespace orca::compile {

Status FunctionEmitter::emitSimd(const ir::Instr& instr) {
  return unsupported("SIMD not compiled yet: " + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
