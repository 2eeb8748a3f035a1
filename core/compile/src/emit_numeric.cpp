// Numeric instructions (spec: exec/numerics): constants, tests, comparisons, integer and float
// arithmetic. Integer division traps on a cold path; float abs/neg/copysign are bit operations
// so NaN payloads pass through unchanged; min/max are expanded so NaN propagates and -0 < +0.
#include <llvm/IR/Intrinsics.h>

#include "emitter.h"

namespace orca::compile {

using ir::Opcode;

namespace {

llvm::Constant* floatBits(ModuleEmitter& m, bool is64, uint64_t bits) {
  if (is64) return llvm::ConstantFP::get(m.ctx, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, bits)));
  return llvm::ConstantFP::get(m.ctx, llvm::APFloat(llvm::APFloat::IEEEsingle(), llvm::APInt(32, bits)));
}

}  // namespace

Status FunctionEmitter::emitNumeric(const ir::Instr& instr) {
  auto binary = [&](auto&& f) {
    auto [x, y] = pop2();
    push(f(x, y));
  };
  auto unary = [&](auto&& f) { push(f(pop())); };
  auto cmp = [&](llvm::CmpInst::Predicate p) {
    auto [x, y] = pop2();
    llvm::Value* c = x->getType()->isFloatingPointTy() ? b.CreateFCmp(p, x, y) : b.CreateICmp(p, x, y);
    push(b.CreateZExt(c, m.i32Ty));
  };
  auto intrinsic1 = [&](llvm::Intrinsic::ID id) {
    llvm::Value* x = pop();
    push(b.CreateCall(intrinsic(id, {x->getType()}), {x}));
  };
  // clz/ctz with zero defined (is_zero_poison = false).
  auto bitCount = [&](llvm::Intrinsic::ID id) {
    llvm::Value* x = pop();
    push(b.CreateCall(intrinsic(id, {x->getType()}), {x, b.getFalse()}));
  };
  auto shiftAmount = [&](llvm::Value* x, llvm::Value* y) {
    unsigned width = x->getType()->getIntegerBitWidth();
    return b.CreateAnd(y, llvm::ConstantInt::get(x->getType(), width - 1));
  };
  auto rotate = [&](llvm::Intrinsic::ID id) {
    auto [x, y] = pop2();
    push(b.CreateCall(intrinsic(id, {x->getType()}), {x, x, y}));
  };
  auto intType = [&](llvm::Value* f) {
    return f->getType()->isDoubleTy() ? m.i64Ty : m.i32Ty;
  };
  auto signMask = [&](llvm::Type* it) {
    unsigned w = it->getIntegerBitWidth();
    return llvm::ConstantInt::get(it, llvm::APInt::getSignMask(w));
  };
  // Integer division and remainder with the spec's traps.
  auto divide = [&](bool isSigned, bool isRem) {
    auto [x, y] = pop2();
    llvm::Type* t = x->getType();
    llvm::Value* zero = llvm::ConstantInt::get(t, 0);
    trapIf(b.CreateICmpEQ(y, zero), TrapCode::IntegerDivideByZero);
    if (!isSigned) {
      push(isRem ? b.CreateURem(x, y) : b.CreateUDiv(x, y));
      return;
    }
    llvm::Value* minusOne = llvm::ConstantInt::getSigned(t, -1);
    if (!isRem) {
      llvm::Value* intMin = signMask(t);
      trapIf(b.CreateAnd(b.CreateICmpEQ(x, intMin), b.CreateICmpEQ(y, minusOne)),
             TrapCode::IntegerOverflow);
      push(b.CreateSDiv(x, y));
    } else {
      // INT_MIN rem -1 is 0, but the hardware instruction would fault: x rem 1 is 0 too.
      llvm::Value* safe = b.CreateSelect(b.CreateICmpEQ(y, minusOne), llvm::ConstantInt::get(t, 1), y);
      push(b.CreateSRem(x, safe));
    }
  };
  // min/max: NaN if either operand is NaN; -0 < +0; otherwise the ordinary order.
  auto minMax = [&](bool isMin) {
    auto [x, y] = pop2();
    llvm::Type* it = intType(x);
    llvm::Value* unordered = b.CreateFCmpUNO(x, y);
    llvm::Value* nan = b.CreateFAdd(x, y);  // a NaN operand yields an arithmetic NaN
    llvm::Value* xi = b.CreateBitCast(x, it);
    llvm::Value* yi = b.CreateBitCast(y, it);
    // Equal operands differ at most in the sign of zero: or picks -0 (min), and picks +0 (max).
    llvm::Value* equal = b.CreateBitCast(isMin ? b.CreateOr(xi, yi) : b.CreateAnd(xi, yi), x->getType());
    llvm::Value* pick = isMin ? b.CreateSelect(b.CreateFCmpOLT(x, y), x, y)
                              : b.CreateSelect(b.CreateFCmpOGT(x, y), x, y);
    llvm::Value* ordered = b.CreateSelect(b.CreateFCmpOEQ(x, y), equal, pick);
    push(b.CreateSelect(unordered, nan, ordered));
  };

  switch (instr.op) {
    case Opcode::I32Const: push(b.getInt32(static_cast<uint32_t>(instr.c))); return {};
    case Opcode::I64Const: push(b.getInt64(instr.c)); return {};
    case Opcode::F32Const: push(floatBits(m, false, instr.c & 0xFFFFFFFFu)); return {};
    case Opcode::F64Const: push(floatBits(m, true, instr.c)); return {};

    case Opcode::I32Eqz:
    case Opcode::I64Eqz: {
      llvm::Value* x = pop();
      push(b.CreateZExt(b.CreateICmpEQ(x, llvm::ConstantInt::get(x->getType(), 0)), m.i32Ty));
      return {};
    }
    case Opcode::I32Eq: case Opcode::I64Eq: cmp(llvm::CmpInst::ICMP_EQ); return {};
    case Opcode::I32Ne: case Opcode::I64Ne: cmp(llvm::CmpInst::ICMP_NE); return {};
    case Opcode::I32LtS: case Opcode::I64LtS: cmp(llvm::CmpInst::ICMP_SLT); return {};
    case Opcode::I32LtU: case Opcode::I64LtU: cmp(llvm::CmpInst::ICMP_ULT); return {};
    case Opcode::I32GtS: case Opcode::I64GtS: cmp(llvm::CmpInst::ICMP_SGT); return {};
    case Opcode::I32GtU: case Opcode::I64GtU: cmp(llvm::CmpInst::ICMP_UGT); return {};
    case Opcode::I32LeS: case Opcode::I64LeS: cmp(llvm::CmpInst::ICMP_SLE); return {};
    case Opcode::I32LeU: case Opcode::I64LeU: cmp(llvm::CmpInst::ICMP_ULE); return {};
    case Opcode::I32GeS: case Opcode::I64GeS: cmp(llvm::CmpInst::ICMP_SGE); return {};
    case Opcode::I32GeU: case Opcode::I64GeU: cmp(llvm::CmpInst::ICMP_UGE); return {};
    case Opcode::F32Eq: case Opcode::F64Eq: cmp(llvm::CmpInst::FCMP_OEQ); return {};
    case Opcode::F32Ne: case Opcode::F64Ne: cmp(llvm::CmpInst::FCMP_UNE); return {};
    case Opcode::F32Lt: case Opcode::F64Lt: cmp(llvm::CmpInst::FCMP_OLT); return {};
    case Opcode::F32Gt: case Opcode::F64Gt: cmp(llvm::CmpInst::FCMP_OGT); return {};
    case Opcode::F32Le: case Opcode::F64Le: cmp(llvm::CmpInst::FCMP_OLE); return {};
    case Opcode::F32Ge: case Opcode::F64Ge: cmp(llvm::CmpInst::FCMP_OGE); return {};

    case Opcode::I32Clz: case Opcode::I64Clz: bitCount(llvm::Intrinsic::ctlz); return {};
    case Opcode::I32Ctz: case Opcode::I64Ctz: bitCount(llvm::Intrinsic::cttz); return {};
    case Opcode::I32Popcnt: case Opcode::I64Popcnt: intrinsic1(llvm::Intrinsic::ctpop); return {};
    case Opcode::I32Add: case Opcode::I64Add: binary([&](auto x, auto y) { return b.CreateAdd(x, y); }); return {};
    case Opcode::I32Sub: case Opcode::I64Sub: binary([&](auto x, auto y) { return b.CreateSub(x, y); }); return {};
    case Opcode::I32Mul: case Opcode::I64Mul: binary([&](auto x, auto y) { return b.CreateMul(x, y); }); return {};
    case Opcode::I32DivS: case Opcode::I64DivS: divide(true, false); return {};
    case Opcode::I32DivU: case Opcode::I64DivU: divide(false, false); return {};
    case Opcode::I32RemS: case Opcode::I64RemS: divide(true, true); return {};
    case Opcode::I32RemU: case Opcode::I64RemU: divide(false, true); return {};
    case Opcode::I32And: case Opcode::I64And: binary([&](auto x, auto y) { return b.CreateAnd(x, y); }); return {};
    case Opcode::I32Or: case Opcode::I64Or: binary([&](auto x, auto y) { return b.CreateOr(x, y); }); return {};
    case Opcode::I32Xor: case Opcode::I64Xor: binary([&](auto x, auto y) { return b.CreateXor(x, y); }); return {};
    case Opcode::I32Shl: case Opcode::I64Shl:
      binary([&](auto x, auto y) { return b.CreateShl(x, shiftAmount(x, y)); });
      return {};
    case Opcode::I32ShrS: case Opcode::I64ShrS:
      binary([&](auto x, auto y) { return b.CreateAShr(x, shiftAmount(x, y)); });
      return {};
    case Opcode::I32ShrU: case Opcode::I64ShrU:
      binary([&](auto x, auto y) { return b.CreateLShr(x, shiftAmount(x, y)); });
      return {};
    // Funnel shifts take the amount modulo the width, as wasm's rotates do.
    case Opcode::I32Rotl: case Opcode::I64Rotl: rotate(llvm::Intrinsic::fshl); return {};
    case Opcode::I32Rotr: case Opcode::I64Rotr: rotate(llvm::Intrinsic::fshr); return {};

    case Opcode::F32Abs: case Opcode::F64Abs:
      unary([&](llvm::Value* x) {
        llvm::Type* it = intType(x);
        llvm::Value* bits = b.CreateAnd(b.CreateBitCast(x, it), b.CreateNot(signMask(it)));
        return b.CreateBitCast(bits, x->getType());
      });
      return {};
    case Opcode::F32Neg: case Opcode::F64Neg:
      unary([&](llvm::Value* x) {
        llvm::Type* it = intType(x);
        return b.CreateBitCast(b.CreateXor(b.CreateBitCast(x, it), signMask(it)), x->getType());
      });
      return {};
    case Opcode::F32Copysign: case Opcode::F64Copysign:
      binary([&](llvm::Value* x, llvm::Value* y) {
        llvm::Type* it = intType(x);
        llvm::Value* mag = b.CreateAnd(b.CreateBitCast(x, it), b.CreateNot(signMask(it)));
        llvm::Value* sign = b.CreateAnd(b.CreateBitCast(y, it), signMask(it));
        return b.CreateBitCast(b.CreateOr(mag, sign), x->getType());
      });
      return {};
    case Opcode::F32Ceil: case Opcode::F64Ceil: intrinsic1(llvm::Intrinsic::ceil); return {};
    case Opcode::F32Floor: case Opcode::F64Floor: intrinsic1(llvm::Intrinsic::floor); return {};
    case Opcode::F32Trunc: case Opcode::F64Trunc: intrinsic1(llvm::Intrinsic::trunc); return {};
    case Opcode::F32Nearest: case Opcode::F64Nearest: intrinsic1(llvm::Intrinsic::roundeven); return {};
    case Opcode::F32Sqrt: case Opcode::F64Sqrt: intrinsic1(llvm::Intrinsic::sqrt); return {};
    case Opcode::F32Add: case Opcode::F64Add: binary([&](auto x, auto y) { return b.CreateFAdd(x, y); }); return {};
    case Opcode::F32Sub: case Opcode::F64Sub: binary([&](auto x, auto y) { return b.CreateFSub(x, y); }); return {};
    case Opcode::F32Mul: case Opcode::F64Mul: binary([&](auto x, auto y) { return b.CreateFMul(x, y); }); return {};
    case Opcode::F32Div: case Opcode::F64Div: binary([&](auto x, auto y) { return b.CreateFDiv(x, y); }); return {};
    case Opcode::F32Min: case Opcode::F64Min: minMax(true); return {};
    case Opcode::F32Max: case Opcode::F64Max: minMax(false); return {};

    case Opcode::I32Extend8S:
      unary([&](llvm::Value* x) { return b.CreateSExt(b.CreateTrunc(x, m.i8Ty), m.i32Ty); });
      return {};
    case Opcode::I32Extend16S:
      unary([&](llvm::Value* x) { return b.CreateSExt(b.CreateTrunc(x, m.i16Ty), m.i32Ty); });
      return {};
    case Opcode::I64Extend8S:
      unary([&](llvm::Value* x) { return b.CreateSExt(b.CreateTrunc(x, m.i8Ty), m.i64Ty); });
      return {};
    case Opcode::I64Extend16S:
      unary([&](llvm::Value* x) { return b.CreateSExt(b.CreateTrunc(x, m.i16Ty), m.i64Ty); });
      return {};
    case Opcode::I64Extend32S:
      unary([&](llvm::Value* x) { return b.CreateSExt(b.CreateTrunc(x, m.i32Ty), m.i64Ty); });
      return {};
    default: break;
  }
  return internalError(std::string("no emitter for ") + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
