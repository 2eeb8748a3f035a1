// Conversions (spec: exec/numerics, "Conversions"): wrap/extend, trapping and saturating
// float-to-int truncation, int-to-float conversion, promote/demote, reinterpret.
#include <cmath>

#include <llvm/IR/Intrinsics.h>

#include "emitter.h"

namespace orca::compile {

using ir::Opcode;

// Trapping truncation: NaN is "invalid conversion to integer"; a value whose truncation does not
// fit is "integer overflow". The bounds are exclusive and exact in the source type:
//   signed N bits:   -2^(N-1) - 1 < x < 2^(N-1), where -2^(N-1) - 1 is not representable (f32
//                    for any N, f64 for N = 64) the lower test becomes x >= -2^(N-1);
//   unsigned N bits: -1 < x < 2^N.
static llvm::Value* truncTrapping(FunctionEmitter& e, llvm::Value* x, llvm::Type* to, bool isSigned) {
  auto& b = e.b;
  llvm::Type* from = x->getType();
  unsigned n = to->getIntegerBitWidth();
  bool isF64 = from->isDoubleTy();
  e.trapIf(b.CreateFCmpUNO(x, x), TrapCode::InvalidConversion);
  llvm::Value* inRange;
  if (isSigned) {
    double upper = std::ldexp(1.0, static_cast<int>(n) - 1);
    llvm::Value* below = b.CreateFCmpOLT(x, llvm::ConstantFP::get(from, upper));
    llvm::Value* above;
    if (isF64 && n == 32) {
      above = b.CreateFCmpOGT(x, llvm::ConstantFP::get(from, -upper - 1.0));
    } else {
      above = b.CreateFCmpOGE(x, llvm::ConstantFP::get(from, -upper));
    }
    inRange = b.CreateAnd(above, below);
  } else {
    double upper = std::ldexp(1.0, static_cast<int>(n));
    inRange = b.CreateAnd(b.CreateFCmpOGT(x, llvm::ConstantFP::get(from, -1.0)),
                          b.CreateFCmpOLT(x, llvm::ConstantFP::get(from, upper)));
  }
  e.trapIf(b.CreateNot(inRange), TrapCode::IntegerOverflow);
  return isSigned ? b.CreateFPToSI(x, to) : b.CreateFPToUI(x, to);
}

Status FunctionEmitter::emitConversion(const ir::Instr& instr) {
  auto sat = [&](llvm::Type* to, bool isSigned) {
    llvm::Value* x = pop();
    auto id = isSigned ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
    push(b.CreateCall(intrinsic(id, {to, x->getType()}), {x}));
  };
  auto trapping = [&](llvm::Type* to, bool isSigned) { push(truncTrapping(*this, pop(), to, isSigned)); };
  switch (instr.op) {
    case Opcode::I32WrapI64: push(b.CreateTrunc(pop(), m.i32Ty)); return {};
    case Opcode::I64ExtendI32S: push(b.CreateSExt(pop(), m.i64Ty)); return {};
    case Opcode::I64ExtendI32U: push(b.CreateZExt(pop(), m.i64Ty)); return {};
    case Opcode::I32TruncF32S: case Opcode::I32TruncF64S: trapping(m.i32Ty, true); return {};
    case Opcode::I32TruncF32U: case Opcode::I32TruncF64U: trapping(m.i32Ty, false); return {};
    case Opcode::I64TruncF32S: case Opcode::I64TruncF64S: trapping(m.i64Ty, true); return {};
    case Opcode::I64TruncF32U: case Opcode::I64TruncF64U: trapping(m.i64Ty, false); return {};
    case Opcode::I32TruncSatF32S: case Opcode::I32TruncSatF64S: sat(m.i32Ty, true); return {};
    case Opcode::I32TruncSatF32U: case Opcode::I32TruncSatF64U: sat(m.i32Ty, false); return {};
    case Opcode::I64TruncSatF32S: case Opcode::I64TruncSatF64S: sat(m.i64Ty, true); return {};
    case Opcode::I64TruncSatF32U: case Opcode::I64TruncSatF64U: sat(m.i64Ty, false); return {};
    case Opcode::F32ConvertI32S: case Opcode::F32ConvertI64S: push(b.CreateSIToFP(pop(), m.f32Ty)); return {};
    case Opcode::F32ConvertI32U: case Opcode::F32ConvertI64U: push(b.CreateUIToFP(pop(), m.f32Ty)); return {};
    case Opcode::F64ConvertI32S: case Opcode::F64ConvertI64S: push(b.CreateSIToFP(pop(), m.f64Ty)); return {};
    case Opcode::F64ConvertI32U: case Opcode::F64ConvertI64U: push(b.CreateUIToFP(pop(), m.f64Ty)); return {};
    case Opcode::F32DemoteF64: push(b.CreateFPTrunc(pop(), m.f32Ty)); return {};
    case Opcode::F64PromoteF32: push(b.CreateFPExt(pop(), m.f64Ty)); return {};
    case Opcode::I32ReinterpretF32: push(b.CreateBitCast(pop(), m.i32Ty)); return {};
    case Opcode::I64ReinterpretF64: push(b.CreateBitCast(pop(), m.i64Ty)); return {};
    case Opcode::F32ReinterpretI32: push(b.CreateBitCast(pop(), m.f32Ty)); return {};
    case Opcode::F64ReinterpretI64: push(b.CreateBitCast(pop(), m.f64Ty)); return {};
    default: break;
  }
  return internalError(std::string("not a conversion: ") + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
