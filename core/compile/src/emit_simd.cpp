// SIMD (0xFD-prefixed) instructions: the one hook for the whole family (spec: exec/instructions,
// "Vector Instructions", and exec/numerics). See emitter.h for the emitter API: v128 is
// <2 x i64> at the ABI; asLanes()/pushV128() convert to and from lane vectors;
// memoryAddress()/load()/store() for the memory forms.
//
// Most instructions map onto one generic LLVM vector operation and LLVM picks the machine
// instruction. The exceptions, where wasm and LLVM disagree, are spelled out:
//   * float min/max propagate NaN and order -0 below +0 (llvm.minnum returns the other operand
//     for a NaN), so they are the scalar f32.min/max expansion applied lane-wise, built from the
//     constrained compares and add that every float operation here uses;
//   * pmin/pmax are the plain selects the spec defines;
//   * float abs/neg are bit operations, so NaN payloads pass through unchanged;
//   * swizzle gives 0 for indices >= 16, which no single LLVM operation does: it is a
//     variable permute of the index masked to 0..15 (x86 lowers it to pshufb) and a select;
//   * shift counts are taken modulo the lane width before the shift (LLVM would make poison);
//   * narrowing saturates by clamping in the wide type before truncating;
//   * trunc_sat is a plain conversion between selects (llvm.fptosi.sat is scalarised on vectors).
#include <llvm/IR/Intrinsics.h>

#include "emitter.h"

namespace orca::compile {

using ir::Opcode;

namespace {

// The lane vector types by shape, in one place so that the families below can be written once.
enum class Shape : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };

llvm::FixedVectorType* laneType(ModuleEmitter& m, Shape s) {
  switch (s) {
    case Shape::I8x16: return m.i8x16Ty;
    case Shape::I16x8: return m.i16x8Ty;
    case Shape::I32x4: return m.i32x4Ty;
    case Shape::I64x2: return m.i64x2Ty;
    case Shape::F32x4: return m.f32x4Ty;
    case Shape::F64x2: return m.f64x2Ty;
  }
  return m.i8x16Ty;
}

unsigned laneCount(Shape s) {
  switch (s) {
    case Shape::I8x16: return 16;
    case Shape::I16x8: return 8;
    case Shape::I32x4:
    case Shape::F32x4: return 4;
    case Shape::I64x2:
    case Shape::F64x2: return 2;
  }
  return 16;
}

// Lane indices first, first + step, ... (count of them): the masks of the half and pairwise
// shuffles.
std::vector<int> laneIndices(unsigned count, unsigned first, unsigned step = 1) {
  std::vector<int> mask(count);
  for (unsigned i = 0; i < count; ++i) mask[i] = static_cast<int>(first + i * step);
  return mask;
}

}  // namespace

Status FunctionEmitter::emitSimd(const ir::Instr& instr) {
  using llvm::Intrinsic::ID;
  namespace Intr = llvm::Intrinsic;

  auto lanes = [&](llvm::Value* v, Shape s) { return asLanes(v, laneType(m, s)); };
  auto popLanes = [&](Shape s) { return lanes(pop(), s); };
  auto popLanes2 = [&](Shape s) {
    auto [x, y] = pop2();
    return std::pair{lanes(x, s), lanes(y, s)};
  };
  auto call = [&](ID id, llvm::ArrayRef<llvm::Value*> args) -> llvm::Value* {
    return b.CreateCall(intrinsic(id, {args[0]->getType()}), args);
  };
  auto splatInt = [&](llvm::FixedVectorType* vt, uint64_t value) {
    return llvm::ConstantInt::get(vt, value);
  };
  auto splatSigned = [&](llvm::FixedVectorType* vt, int64_t value) {
    return llvm::ConstantInt::getSigned(vt, value);
  };
  // The same type with lanes twice as wide and (optionally) a different count.
  auto widened = [&](llvm::FixedVectorType* vt, unsigned count) {
    unsigned w = vt->getElementType()->getIntegerBitWidth();
    return llvm::FixedVectorType::get(llvm::IntegerType::get(m.ctx, 2 * w), count);
  };
  enum class Sign { S, U };
  auto extend = [&](llvm::Value* v, llvm::Type* t, Sign sign) {
    return sign == Sign::S ? b.CreateSExt(v, t) : b.CreateZExt(v, t);
  };

  // ---- families ----
  auto binary = [&](Shape s, auto&& f) {
    auto [x, y] = popLanes2(s);
    pushV128(f(x, y));
  };
  auto unary = [&](Shape s, auto&& f) { pushV128(f(popLanes(s))); };
  auto binaryIntrinsic = [&](Shape s, ID id) {
    binary(s, [&](llvm::Value* x, llvm::Value* y) { return call(id, {x, y}); });
  };
  auto unaryIntrinsic = [&](Shape s, ID id) {
    unary(s, [&](llvm::Value* x) { return call(id, {x}); });
  };
  // Float sqrt and rounding: the constrained intrinsics, as every float operation of a function
  // is (see the FunctionEmitter constructor), so that a signalling NaN is quieted, never folded
  // through unchanged.
  auto unaryConstrained = [&](Shape s, ID id) {
    unary(s, [&](llvm::Value* x) {
      return b.CreateConstrainedFPCall(intrinsic(id, {x->getType()}), {x});
    });
  };
  // Comparisons: all ones in a lane where the relation holds, zero elsewhere.
  auto compare = [&](Shape s, llvm::CmpInst::Predicate p) {
    auto [x, y] = popLanes2(s);
    llvm::Value* c = llvm::CmpInst::isFPPredicate(p) ? b.CreateFCmp(p, x, y) : b.CreateICmp(p, x, y);
    llvm::FixedVectorType* vt = laneType(m, s);
    llvm::Type* intTy = vt->getElementType()->isFloatingPointTy()
                            ? llvm::FixedVectorType::get(
                                  b.getIntNTy(vt->getScalarSizeInBits()), vt->getNumElements())
                            : static_cast<llvm::Type*>(vt);
    pushV128(b.CreateSExt(c, intTy));
  };
  // Shifts: the i32 count modulo the lane width, splat to every lane.
  auto shift = [&](Shape s, llvm::Instruction::BinaryOps op) {
    llvm::Value* count = pop();
    llvm::Value* x = popLanes(s);
    llvm::FixedVectorType* vt = laneType(m, s);
    unsigned width = vt->getScalarSizeInBits();
    count = b.CreateAnd(count, b.getInt32(width - 1));
    count = b.CreateZExtOrTrunc(count, vt->getElementType());
    pushV128(b.CreateBinOp(op, x, b.CreateVectorSplat(vt->getNumElements(), count)));
  };
  auto allTrue = [&](Shape s) {
    llvm::Value* x = popLanes(s);
    llvm::Value* nonZero = b.CreateICmpNE(x, llvm::Constant::getNullValue(x->getType()));
    push(b.CreateZExt(b.CreateAndReduce(nonZero), m.i32Ty));
  };
  // bitmask: bit i of the result is the sign bit of lane i.
  auto bitmask = [&](Shape s) {
    llvm::Value* x = popLanes(s);
    llvm::Value* negative = b.CreateICmpSLT(x, llvm::Constant::getNullValue(x->getType()));
    llvm::Value* bits = b.CreateBitCast(negative, b.getIntNTy(laneCount(s)));
    push(b.CreateZExt(bits, m.i32Ty));
  };
  // narrow: lanes of x then of y, clamped to the narrow range (signed or unsigned) in the wide
  // type, then truncated. The inputs are always read as signed.
  auto narrow = [&](Shape wide, Shape narrowShape, Sign sign) {
    auto [x, y] = popLanes2(wide);
    unsigned n = laneCount(wide);
    llvm::Value* both = b.CreateShuffleVector(x, y, laneIndices(2 * n, 0));
    auto* bothTy = llvm::cast<llvm::FixedVectorType>(both->getType());
    unsigned narrowBits = laneType(m, narrowShape)->getScalarSizeInBits();
    int64_t lo = sign == Sign::S ? -(int64_t{1} << (narrowBits - 1)) : 0;
    int64_t hi = sign == Sign::S ? (int64_t{1} << (narrowBits - 1)) - 1 : (int64_t{1} << narrowBits) - 1;
    llvm::Value* clamped = call(Intr::smax, {both, splatSigned(bothTy, lo)});
    clamped = call(Intr::smin, {clamped, splatSigned(bothTy, hi)});
    pushV128(b.CreateTrunc(clamped, laneType(m, narrowShape)));
  };
  // extend_low/high: half of the lanes, each widened.
  auto extendHalf = [&](Shape from, bool high, Sign sign) {
    llvm::Value* x = popLanes(from);
    unsigned half = laneCount(from) / 2;
    llvm::Value* part = b.CreateShuffleVector(x, laneIndices(half, high ? half : 0));
    pushV128(extend(part, widened(laneType(m, from), half), sign));
  };
  // extmul_low/high: the product of the widened halves (it cannot overflow the wide lane).
  auto extmul = [&](Shape from, bool high, Sign sign) {
    auto [x, y] = popLanes2(from);
    unsigned half = laneCount(from) / 2;
    llvm::Type* wideTy = widened(laneType(m, from), half);
    std::vector<int> mask = laneIndices(half, high ? half : 0);
    llvm::Value* xw = extend(b.CreateShuffleVector(x, mask), wideTy, sign);
    llvm::Value* yw = extend(b.CreateShuffleVector(y, mask), wideTy, sign);
    pushV128(b.CreateMul(xw, yw));
  };
  // extadd_pairwise: lane i is the sum of the widened lanes 2i and 2i+1.
  auto extaddPairwise = [&](Shape from, Sign sign) {
    llvm::Value* x = popLanes(from);
    unsigned half = laneCount(from) / 2;
    llvm::Type* wideTy = widened(laneType(m, from), half);
    llvm::Value* even = extend(b.CreateShuffleVector(x, laneIndices(half, 0, 2)), wideTy, sign);
    llvm::Value* odd = extend(b.CreateShuffleVector(x, laneIndices(half, 1, 2)), wideTy, sign);
    pushV128(b.CreateAdd(even, odd));
  };
  // avgr_u: (x + y + 1) / 2 without overflow, computed in lanes twice as wide.
  auto avgr = [&](Shape s) {
    auto [x, y] = popLanes2(s);
    llvm::FixedVectorType* vt = laneType(m, s);
    llvm::FixedVectorType* wideTy = widened(vt, vt->getNumElements());
    llvm::Value* sum = b.CreateAdd(b.CreateZExt(x, wideTy), b.CreateZExt(y, wideTy));
    sum = b.CreateAdd(sum, splatInt(wideTy, 1));
    pushV128(b.CreateTrunc(b.CreateLShr(sum, splatInt(wideTy, 1)), vt));
  };
  // abs keeps INT_MIN as INT_MIN (is_int_min_poison = false).
  auto intAbs = [&](Shape s) {
    unary(s, [&](llvm::Value* x) {
      return b.CreateCall(intrinsic(Intr::abs, {x->getType()}), {x, b.getFalse()});
    });
  };

  // Float lanes: the integer view of the same shape.
  auto floatBitsType = [&](Shape s) { return s == Shape::F32x4 ? m.i32x4Ty : m.i64x2Ty; };
  // abs/neg: clear or flip the sign bit only.
  auto floatSignOp = [&](Shape s, bool isNeg) {
    llvm::FixedVectorType* it = floatBitsType(s);
    llvm::Value* x = lanes(pop(), s == Shape::F32x4 ? Shape::I32x4 : Shape::I64x2);
    llvm::APInt sign = llvm::APInt::getSignMask(it->getScalarSizeInBits());
    llvm::Value* r = isNeg ? b.CreateXor(x, llvm::ConstantInt::get(it, sign))
                           : b.CreateAnd(x, llvm::ConstantInt::get(it, ~sign));
    pushV128(r);
  };
  // min/max as the scalar f32.min/max lane-wise: NaN if either lane is NaN (an arithmetic NaN
  // from x + y); equal lanes differ at most in the sign of zero, where or gives -0 (min) and
  // and gives +0 (max); otherwise the ordinary order.
  auto floatMinMax = [&](Shape s, bool isMin) {
    auto [x, y] = popLanes2(s);
    llvm::FixedVectorType* it = floatBitsType(s);
    llvm::Value* unordered = b.CreateFCmpUNO(x, y);
    llvm::Value* nan = b.CreateFAdd(x, y);
    llvm::Value* xi = b.CreateBitCast(x, it);
    llvm::Value* yi = b.CreateBitCast(y, it);
    llvm::Value* equal = b.CreateBitCast(isMin ? b.CreateOr(xi, yi) : b.CreateAnd(xi, yi), x->getType());
    llvm::Value* pick = isMin ? b.CreateSelect(b.CreateFCmpOLT(x, y), x, y)
                              : b.CreateSelect(b.CreateFCmpOGT(x, y), x, y);
    llvm::Value* ordered = b.CreateSelect(b.CreateFCmpOEQ(x, y), equal, pick);
    pushV128(b.CreateSelect(unordered, nan, ordered));
  };

  // trunc_sat to i32 lanes, as selects around a plain conversion so that it stays one vector
  // instruction (llvm.fptosi.sat on vectors is scalarised lane by lane): NaN and out-of-range
  // lanes are replaced by 0 before converting, and their saturated values selected after.
  // Unsigned lanes of 2^31 and above convert x - 2^31 (exact) and get the top bit back.
  auto truncSat = [&](Shape from, Sign sign) -> llvm::Value* {
    llvm::Value* x = popLanes(from);
    auto* vt = laneType(m, from);
    auto* it = llvm::FixedVectorType::get(m.i32Ty, vt->getNumElements());
    auto fconst = [&](double v) { return llvm::ConstantFP::get(vt, v); };
    llvm::Value* zero = fconst(0.0);
    if (sign == Sign::S) {
      llvm::Value* isNan = b.CreateFCmpUNO(x, x);
      llvm::Value* tooBig = b.CreateFCmpOGE(x, fconst(2147483648.0));
      llvm::Value* tooSmall = b.CreateFCmpOLT(x, fconst(-2147483648.0));
      llvm::Value* safe = b.CreateSelect(b.CreateOr(isNan, b.CreateOr(tooBig, tooSmall)), zero, x);
      llvm::Value* r = b.CreateFPToSI(safe, it);
      r = b.CreateSelect(tooBig, splatInt(it, 0x7fffffff), r);
      return b.CreateSelect(tooSmall, splatInt(it, 0x80000000u), r);
    }
    llvm::Value* tooBig = b.CreateFCmpOGE(x, fconst(4294967296.0));
    llvm::Value* belowZero = b.CreateFCmpULT(x, zero);  // also NaN
    llvm::Value* safe = b.CreateSelect(b.CreateOr(belowZero, tooBig), zero, x);
    llvm::Value* high = b.CreateFCmpOGE(safe, fconst(2147483648.0));
    llvm::Value* low31 = b.CreateSelect(high, b.CreateFSub(safe, fconst(2147483648.0)), safe);
    llvm::Value* r = b.CreateFPToSI(low31, it);
    r = b.CreateOr(r, b.CreateSelect(high, splatInt(it, 0x80000000u), splatInt(it, 0)));
    return b.CreateSelect(tooBig, splatInt(it, 0xffffffffu), r);
  };

  // Lane access.
  auto extractLane = [&](Shape s, Sign sign) {
    llvm::Value* x = popLanes(s);
    llvm::Value* v = b.CreateExtractElement(x, b.getInt32(instr.lane));
    if (v->getType()->isIntegerTy() && v->getType()->getIntegerBitWidth() < 32) {
      v = extend(v, m.i32Ty, sign);
    }
    push(v);
  };
  auto replaceLane = [&](Shape s) {
    llvm::Value* value = pop();
    llvm::Value* x = popLanes(s);
    llvm::Type* laneTy = laneType(m, s)->getElementType();
    if (value->getType() != laneTy) value = b.CreateTrunc(value, laneTy);
    pushV128(b.CreateInsertElement(x, value, b.getInt32(instr.lane)));
  };
  auto splat = [&](Shape s) {
    llvm::Value* value = pop();
    llvm::FixedVectorType* vt = laneType(m, s);
    if (value->getType() != vt->getElementType()) value = b.CreateTrunc(value, vt->getElementType());
    pushV128(b.CreateVectorSplat(vt->getNumElements(), value));
  };

  // Memory.
  auto loadV128 = [&]() {
    llvm::Value* ptr = memoryAddress(instr, pop(), 16);
    push(load(m.v128Ty, ptr, instr));
  };
  // load8x8_s and friends: 8 bytes as a half-count vector of narrow lanes, each widened.
  auto loadExtend = [&](Shape narrowShape, Sign sign) {
    llvm::FixedVectorType* narrowTy = laneType(m, narrowShape);
    unsigned half = narrowTy->getNumElements() / 2;
    auto* memTy = llvm::FixedVectorType::get(narrowTy->getElementType(), half);
    llvm::Value* ptr = memoryAddress(instr, pop(), 8);
    pushV128(extend(load(memTy, ptr, instr), widened(narrowTy, half), sign));
  };
  auto loadSplat = [&](Shape s) {
    llvm::FixedVectorType* vt = laneType(m, s);
    llvm::Value* ptr = memoryAddress(instr, pop(), vt->getScalarSizeInBits() / 8);
    llvm::Value* v = load(vt->getElementType(), ptr, instr);
    pushV128(b.CreateVectorSplat(vt->getNumElements(), v));
  };
  auto loadZero = [&](Shape s) {
    llvm::FixedVectorType* vt = laneType(m, s);
    llvm::Value* ptr = memoryAddress(instr, pop(), vt->getScalarSizeInBits() / 8);
    llvm::Value* v = load(vt->getElementType(), ptr, instr);
    pushV128(b.CreateInsertElement(llvm::Constant::getNullValue(vt), v, b.getInt32(0)));
  };
  auto loadLane = [&](Shape s) {
    llvm::Value* x = popLanes(s);
    llvm::FixedVectorType* vt = laneType(m, s);
    llvm::Value* ptr = memoryAddress(instr, pop(), vt->getScalarSizeInBits() / 8);
    llvm::Value* v = load(vt->getElementType(), ptr, instr);
    pushV128(b.CreateInsertElement(x, v, b.getInt32(instr.lane)));
  };
  auto storeLane = [&](Shape s) {
    llvm::Value* x = popLanes(s);
    llvm::FixedVectorType* vt = laneType(m, s);
    llvm::Value* ptr = memoryAddress(instr, pop(), vt->getScalarSizeInBits() / 8);
    store(b.CreateExtractElement(x, b.getInt32(instr.lane)), ptr, instr);
  };

  using llvm::CmpInst;
  using llvm::Instruction;
  auto add = [&](llvm::Value* x, llvm::Value* y) { return b.CreateAdd(x, y); };
  auto sub = [&](llvm::Value* x, llvm::Value* y) { return b.CreateSub(x, y); };
  auto mul = [&](llvm::Value* x, llvm::Value* y) { return b.CreateMul(x, y); };
  auto neg = [&](llvm::Value* x) { return b.CreateNeg(x); };
  auto fadd = [&](llvm::Value* x, llvm::Value* y) { return b.CreateFAdd(x, y); };
  auto fsub = [&](llvm::Value* x, llvm::Value* y) { return b.CreateFSub(x, y); };
  auto fmul = [&](llvm::Value* x, llvm::Value* y) { return b.CreateFMul(x, y); };
  auto fdiv = [&](llvm::Value* x, llvm::Value* y) { return b.CreateFDiv(x, y); };
  // pmin is `y < x ? y : x`, pmax is `x < y ? y : x` (no NaN or zero-sign rule of their own).
  auto pmin = [&](llvm::Value* x, llvm::Value* y) { return b.CreateSelect(b.CreateFCmpOLT(y, x), y, x); };
  auto pmax = [&](llvm::Value* x, llvm::Value* y) { return b.CreateSelect(b.CreateFCmpOLT(x, y), y, x); };

  const Shape I8 = Shape::I8x16, I16 = Shape::I16x8, I32 = Shape::I32x4, I64 = Shape::I64x2;
  const Shape F32 = Shape::F32x4, F64 = Shape::F64x2;

  switch (instr.op) {
    // ---- memory ----
    case Opcode::V128Load: loadV128(); return {};
    case Opcode::V128Load8x8S: loadExtend(I8, Sign::S); return {};
    case Opcode::V128Load8x8U: loadExtend(I8, Sign::U); return {};
    case Opcode::V128Load16x4S: loadExtend(I16, Sign::S); return {};
    case Opcode::V128Load16x4U: loadExtend(I16, Sign::U); return {};
    case Opcode::V128Load32x2S: loadExtend(I32, Sign::S); return {};
    case Opcode::V128Load32x2U: loadExtend(I32, Sign::U); return {};
    case Opcode::V128Load8Splat: loadSplat(I8); return {};
    case Opcode::V128Load16Splat: loadSplat(I16); return {};
    case Opcode::V128Load32Splat: loadSplat(I32); return {};
    case Opcode::V128Load64Splat: loadSplat(I64); return {};
    case Opcode::V128Load32Zero: loadZero(I32); return {};
    case Opcode::V128Load64Zero: loadZero(I64); return {};
    case Opcode::V128Store: {
      llvm::Value* value = pop();
      llvm::Value* ptr = memoryAddress(instr, pop(), 16);
      store(value, ptr, instr);
      return {};
    }
    case Opcode::V128Load8Lane: loadLane(I8); return {};
    case Opcode::V128Load16Lane: loadLane(I16); return {};
    case Opcode::V128Load32Lane: loadLane(I32); return {};
    case Opcode::V128Load64Lane: loadLane(I64); return {};
    case Opcode::V128Store8Lane: storeLane(I8); return {};
    case Opcode::V128Store16Lane: storeLane(I16); return {};
    case Opcode::V128Store32Lane: storeLane(I32); return {};
    case Opcode::V128Store64Lane: storeLane(I64); return {};

    // ---- constants, shuffles, lanes ----
    case Opcode::V128Const: {
      const ir::V128& imm = v128Immediate(instr);
      pushV128(llvm::ConstantDataVector::get(m.ctx, llvm::ArrayRef<uint8_t>(imm.bytes, 16)));
      return {};
    }
    case Opcode::I8x16Shuffle: {
      const ir::V128& imm = v128Immediate(instr);
      std::vector<int> mask(imm.bytes, imm.bytes + 16);
      auto [x, y] = popLanes2(I8);
      pushV128(b.CreateShuffleVector(x, y, mask));
      return {};
    }
    case Opcode::I8x16Swizzle: {
      auto [x, indices] = popLanes2(I8);
      // A variable permute by the index modulo 16 (lane by lane, which LLVM recognises as one
      // permute instruction), then zero where the index is 16 or more.
      llvm::Value* inRange = b.CreateICmpULT(indices, splatInt(m.i8x16Ty, 16));
      llvm::Value* masked = b.CreateAnd(indices, splatInt(m.i8x16Ty, 15));
      llvm::Value* permuted = llvm::PoisonValue::get(m.i8x16Ty);
      for (unsigned i = 0; i < 16; ++i) {
        llvm::Value* index = b.CreateExtractElement(masked, b.getInt32(i));
        permuted = b.CreateInsertElement(permuted, b.CreateExtractElement(x, index), b.getInt32(i));
      }
      pushV128(b.CreateSelect(inRange, permuted, llvm::Constant::getNullValue(m.i8x16Ty)));
      return {};
    }
    case Opcode::I8x16Splat: splat(I8); return {};
    case Opcode::I16x8Splat: splat(I16); return {};
    case Opcode::I32x4Splat: splat(I32); return {};
    case Opcode::I64x2Splat: splat(I64); return {};
    case Opcode::F32x4Splat: splat(F32); return {};
    case Opcode::F64x2Splat: splat(F64); return {};
    case Opcode::I8x16ExtractLaneS: extractLane(I8, Sign::S); return {};
    case Opcode::I8x16ExtractLaneU: extractLane(I8, Sign::U); return {};
    case Opcode::I16x8ExtractLaneS: extractLane(I16, Sign::S); return {};
    case Opcode::I16x8ExtractLaneU: extractLane(I16, Sign::U); return {};
    case Opcode::I32x4ExtractLane: extractLane(I32, Sign::S); return {};
    case Opcode::I64x2ExtractLane: extractLane(I64, Sign::S); return {};
    case Opcode::F32x4ExtractLane: extractLane(F32, Sign::S); return {};
    case Opcode::F64x2ExtractLane: extractLane(F64, Sign::S); return {};
    case Opcode::I8x16ReplaceLane: replaceLane(I8); return {};
    case Opcode::I16x8ReplaceLane: replaceLane(I16); return {};
    case Opcode::I32x4ReplaceLane: replaceLane(I32); return {};
    case Opcode::I64x2ReplaceLane: replaceLane(I64); return {};
    case Opcode::F32x4ReplaceLane: replaceLane(F32); return {};
    case Opcode::F64x2ReplaceLane: replaceLane(F64); return {};

    // ---- comparisons ----
    case Opcode::I8x16Eq: compare(I8, CmpInst::ICMP_EQ); return {};
    case Opcode::I8x16Ne: compare(I8, CmpInst::ICMP_NE); return {};
    case Opcode::I8x16LtS: compare(I8, CmpInst::ICMP_SLT); return {};
    case Opcode::I8x16LtU: compare(I8, CmpInst::ICMP_ULT); return {};
    case Opcode::I8x16GtS: compare(I8, CmpInst::ICMP_SGT); return {};
    case Opcode::I8x16GtU: compare(I8, CmpInst::ICMP_UGT); return {};
    case Opcode::I8x16LeS: compare(I8, CmpInst::ICMP_SLE); return {};
    case Opcode::I8x16LeU: compare(I8, CmpInst::ICMP_ULE); return {};
    case Opcode::I8x16GeS: compare(I8, CmpInst::ICMP_SGE); return {};
    case Opcode::I8x16GeU: compare(I8, CmpInst::ICMP_UGE); return {};
    case Opcode::I16x8Eq: compare(I16, CmpInst::ICMP_EQ); return {};
    case Opcode::I16x8Ne: compare(I16, CmpInst::ICMP_NE); return {};
    case Opcode::I16x8LtS: compare(I16, CmpInst::ICMP_SLT); return {};
    case Opcode::I16x8LtU: compare(I16, CmpInst::ICMP_ULT); return {};
    case Opcode::I16x8GtS: compare(I16, CmpInst::ICMP_SGT); return {};
    case Opcode::I16x8GtU: compare(I16, CmpInst::ICMP_UGT); return {};
    case Opcode::I16x8LeS: compare(I16, CmpInst::ICMP_SLE); return {};
    case Opcode::I16x8LeU: compare(I16, CmpInst::ICMP_ULE); return {};
    case Opcode::I16x8GeS: compare(I16, CmpInst::ICMP_SGE); return {};
    case Opcode::I16x8GeU: compare(I16, CmpInst::ICMP_UGE); return {};
    case Opcode::I32x4Eq: compare(I32, CmpInst::ICMP_EQ); return {};
    case Opcode::I32x4Ne: compare(I32, CmpInst::ICMP_NE); return {};
    case Opcode::I32x4LtS: compare(I32, CmpInst::ICMP_SLT); return {};
    case Opcode::I32x4LtU: compare(I32, CmpInst::ICMP_ULT); return {};
    case Opcode::I32x4GtS: compare(I32, CmpInst::ICMP_SGT); return {};
    case Opcode::I32x4GtU: compare(I32, CmpInst::ICMP_UGT); return {};
    case Opcode::I32x4LeS: compare(I32, CmpInst::ICMP_SLE); return {};
    case Opcode::I32x4LeU: compare(I32, CmpInst::ICMP_ULE); return {};
    case Opcode::I32x4GeS: compare(I32, CmpInst::ICMP_SGE); return {};
    case Opcode::I32x4GeU: compare(I32, CmpInst::ICMP_UGE); return {};
    case Opcode::I64x2Eq: compare(I64, CmpInst::ICMP_EQ); return {};
    case Opcode::I64x2Ne: compare(I64, CmpInst::ICMP_NE); return {};
    case Opcode::I64x2LtS: compare(I64, CmpInst::ICMP_SLT); return {};
    case Opcode::I64x2GtS: compare(I64, CmpInst::ICMP_SGT); return {};
    case Opcode::I64x2LeS: compare(I64, CmpInst::ICMP_SLE); return {};
    case Opcode::I64x2GeS: compare(I64, CmpInst::ICMP_SGE); return {};
    // ne is unordered (true when either lane is NaN), the others ordered.
    case Opcode::F32x4Eq: compare(F32, CmpInst::FCMP_OEQ); return {};
    case Opcode::F32x4Ne: compare(F32, CmpInst::FCMP_UNE); return {};
    case Opcode::F32x4Lt: compare(F32, CmpInst::FCMP_OLT); return {};
    case Opcode::F32x4Gt: compare(F32, CmpInst::FCMP_OGT); return {};
    case Opcode::F32x4Le: compare(F32, CmpInst::FCMP_OLE); return {};
    case Opcode::F32x4Ge: compare(F32, CmpInst::FCMP_OGE); return {};
    case Opcode::F64x2Eq: compare(F64, CmpInst::FCMP_OEQ); return {};
    case Opcode::F64x2Ne: compare(F64, CmpInst::FCMP_UNE); return {};
    case Opcode::F64x2Lt: compare(F64, CmpInst::FCMP_OLT); return {};
    case Opcode::F64x2Gt: compare(F64, CmpInst::FCMP_OGT); return {};
    case Opcode::F64x2Le: compare(F64, CmpInst::FCMP_OLE); return {};
    case Opcode::F64x2Ge: compare(F64, CmpInst::FCMP_OGE); return {};

    // ---- bitwise ----
    case Opcode::V128Not: push(b.CreateNot(pop())); return {};
    case Opcode::V128And: binary(I64, [&](auto x, auto y) { return b.CreateAnd(x, y); }); return {};
    case Opcode::V128Andnot: binary(I64, [&](auto x, auto y) { return b.CreateAnd(x, b.CreateNot(y)); }); return {};
    case Opcode::V128Or: binary(I64, [&](auto x, auto y) { return b.CreateOr(x, y); }); return {};
    case Opcode::V128Xor: binary(I64, [&](auto x, auto y) { return b.CreateXor(x, y); }); return {};
    case Opcode::V128Bitselect: {
      // Bits of x where the mask is 1, of y where it is 0.
      auto [x, y, mask] = pop3();
      push(b.CreateOr(b.CreateAnd(x, mask), b.CreateAnd(y, b.CreateNot(mask))));
      return {};
    }
    case Opcode::V128AnyTrue: {
      llvm::Value* bits = b.CreateBitCast(pop(), b.getInt128Ty());
      push(b.CreateZExt(b.CreateICmpNE(bits, llvm::ConstantInt::get(b.getInt128Ty(), 0)), m.i32Ty));
      return {};
    }

    // ---- integer lanes ----
    case Opcode::I8x16Abs: intAbs(I8); return {};
    case Opcode::I16x8Abs: intAbs(I16); return {};
    case Opcode::I32x4Abs: intAbs(I32); return {};
    case Opcode::I64x2Abs: intAbs(I64); return {};
    case Opcode::I8x16Neg: unary(I8, neg); return {};
    case Opcode::I16x8Neg: unary(I16, neg); return {};
    case Opcode::I32x4Neg: unary(I32, neg); return {};
    case Opcode::I64x2Neg: unary(I64, neg); return {};
    case Opcode::I8x16Popcnt: unaryIntrinsic(I8, Intr::ctpop); return {};
    case Opcode::I8x16AllTrue: allTrue(I8); return {};
    case Opcode::I16x8AllTrue: allTrue(I16); return {};
    case Opcode::I32x4AllTrue: allTrue(I32); return {};
    case Opcode::I64x2AllTrue: allTrue(I64); return {};
    case Opcode::I8x16Bitmask: bitmask(I8); return {};
    case Opcode::I16x8Bitmask: bitmask(I16); return {};
    case Opcode::I32x4Bitmask: bitmask(I32); return {};
    case Opcode::I64x2Bitmask: bitmask(I64); return {};
    case Opcode::I8x16NarrowI16x8S: narrow(I16, I8, Sign::S); return {};
    case Opcode::I8x16NarrowI16x8U: narrow(I16, I8, Sign::U); return {};
    case Opcode::I16x8NarrowI32x4S: narrow(I32, I16, Sign::S); return {};
    case Opcode::I16x8NarrowI32x4U: narrow(I32, I16, Sign::U); return {};
    case Opcode::I16x8ExtendLowI8x16S: extendHalf(I8, false, Sign::S); return {};
    case Opcode::I16x8ExtendHighI8x16S: extendHalf(I8, true, Sign::S); return {};
    case Opcode::I16x8ExtendLowI8x16U: extendHalf(I8, false, Sign::U); return {};
    case Opcode::I16x8ExtendHighI8x16U: extendHalf(I8, true, Sign::U); return {};
    case Opcode::I32x4ExtendLowI16x8S: extendHalf(I16, false, Sign::S); return {};
    case Opcode::I32x4ExtendHighI16x8S: extendHalf(I16, true, Sign::S); return {};
    case Opcode::I32x4ExtendLowI16x8U: extendHalf(I16, false, Sign::U); return {};
    case Opcode::I32x4ExtendHighI16x8U: extendHalf(I16, true, Sign::U); return {};
    case Opcode::I64x2ExtendLowI32x4S: extendHalf(I32, false, Sign::S); return {};
    case Opcode::I64x2ExtendHighI32x4S: extendHalf(I32, true, Sign::S); return {};
    case Opcode::I64x2ExtendLowI32x4U: extendHalf(I32, false, Sign::U); return {};
    case Opcode::I64x2ExtendHighI32x4U: extendHalf(I32, true, Sign::U); return {};
    case Opcode::I8x16Shl: shift(I8, Instruction::Shl); return {};
    case Opcode::I8x16ShrS: shift(I8, Instruction::AShr); return {};
    case Opcode::I8x16ShrU: shift(I8, Instruction::LShr); return {};
    case Opcode::I16x8Shl: shift(I16, Instruction::Shl); return {};
    case Opcode::I16x8ShrS: shift(I16, Instruction::AShr); return {};
    case Opcode::I16x8ShrU: shift(I16, Instruction::LShr); return {};
    case Opcode::I32x4Shl: shift(I32, Instruction::Shl); return {};
    case Opcode::I32x4ShrS: shift(I32, Instruction::AShr); return {};
    case Opcode::I32x4ShrU: shift(I32, Instruction::LShr); return {};
    case Opcode::I64x2Shl: shift(I64, Instruction::Shl); return {};
    case Opcode::I64x2ShrS: shift(I64, Instruction::AShr); return {};
    case Opcode::I64x2ShrU: shift(I64, Instruction::LShr); return {};
    case Opcode::I8x16Add: binary(I8, add); return {};
    case Opcode::I16x8Add: binary(I16, add); return {};
    case Opcode::I32x4Add: binary(I32, add); return {};
    case Opcode::I64x2Add: binary(I64, add); return {};
    case Opcode::I8x16Sub: binary(I8, sub); return {};
    case Opcode::I16x8Sub: binary(I16, sub); return {};
    case Opcode::I32x4Sub: binary(I32, sub); return {};
    case Opcode::I64x2Sub: binary(I64, sub); return {};
    case Opcode::I16x8Mul: binary(I16, mul); return {};
    case Opcode::I32x4Mul: binary(I32, mul); return {};
    case Opcode::I64x2Mul: binary(I64, mul); return {};
    case Opcode::I8x16AddSatS: binaryIntrinsic(I8, Intr::sadd_sat); return {};
    case Opcode::I8x16AddSatU: binaryIntrinsic(I8, Intr::uadd_sat); return {};
    case Opcode::I8x16SubSatS: binaryIntrinsic(I8, Intr::ssub_sat); return {};
    case Opcode::I8x16SubSatU: binaryIntrinsic(I8, Intr::usub_sat); return {};
    case Opcode::I16x8AddSatS: binaryIntrinsic(I16, Intr::sadd_sat); return {};
    case Opcode::I16x8AddSatU: binaryIntrinsic(I16, Intr::uadd_sat); return {};
    case Opcode::I16x8SubSatS: binaryIntrinsic(I16, Intr::ssub_sat); return {};
    case Opcode::I16x8SubSatU: binaryIntrinsic(I16, Intr::usub_sat); return {};
    case Opcode::I8x16MinS: binaryIntrinsic(I8, Intr::smin); return {};
    case Opcode::I8x16MinU: binaryIntrinsic(I8, Intr::umin); return {};
    case Opcode::I8x16MaxS: binaryIntrinsic(I8, Intr::smax); return {};
    case Opcode::I8x16MaxU: binaryIntrinsic(I8, Intr::umax); return {};
    case Opcode::I16x8MinS: binaryIntrinsic(I16, Intr::smin); return {};
    case Opcode::I16x8MinU: binaryIntrinsic(I16, Intr::umin); return {};
    case Opcode::I16x8MaxS: binaryIntrinsic(I16, Intr::smax); return {};
    case Opcode::I16x8MaxU: binaryIntrinsic(I16, Intr::umax); return {};
    case Opcode::I32x4MinS: binaryIntrinsic(I32, Intr::smin); return {};
    case Opcode::I32x4MinU: binaryIntrinsic(I32, Intr::umin); return {};
    case Opcode::I32x4MaxS: binaryIntrinsic(I32, Intr::smax); return {};
    case Opcode::I32x4MaxU: binaryIntrinsic(I32, Intr::umax); return {};
    case Opcode::I8x16AvgrU: avgr(I8); return {};
    case Opcode::I16x8AvgrU: avgr(I16); return {};
    case Opcode::I16x8ExtaddPairwiseI8x16S: extaddPairwise(I8, Sign::S); return {};
    case Opcode::I16x8ExtaddPairwiseI8x16U: extaddPairwise(I8, Sign::U); return {};
    case Opcode::I32x4ExtaddPairwiseI16x8S: extaddPairwise(I16, Sign::S); return {};
    case Opcode::I32x4ExtaddPairwiseI16x8U: extaddPairwise(I16, Sign::U); return {};
    case Opcode::I16x8ExtmulLowI8x16S: extmul(I8, false, Sign::S); return {};
    case Opcode::I16x8ExtmulHighI8x16S: extmul(I8, true, Sign::S); return {};
    case Opcode::I16x8ExtmulLowI8x16U: extmul(I8, false, Sign::U); return {};
    case Opcode::I16x8ExtmulHighI8x16U: extmul(I8, true, Sign::U); return {};
    case Opcode::I32x4ExtmulLowI16x8S: extmul(I16, false, Sign::S); return {};
    case Opcode::I32x4ExtmulHighI16x8S: extmul(I16, true, Sign::S); return {};
    case Opcode::I32x4ExtmulLowI16x8U: extmul(I16, false, Sign::U); return {};
    case Opcode::I32x4ExtmulHighI16x8U: extmul(I16, true, Sign::U); return {};
    case Opcode::I64x2ExtmulLowI32x4S: extmul(I32, false, Sign::S); return {};
    case Opcode::I64x2ExtmulHighI32x4S: extmul(I32, true, Sign::S); return {};
    case Opcode::I64x2ExtmulLowI32x4U: extmul(I32, false, Sign::U); return {};
    case Opcode::I64x2ExtmulHighI32x4U: extmul(I32, true, Sign::U); return {};
    case Opcode::I32x4DotI16x8S: {
      // Lane i: x[2i]*y[2i] + x[2i+1]*y[2i+1] in 32 bits; only -32768*-32768 twice wraps.
      auto [x, y] = popLanes2(I16);
      llvm::Value* p = b.CreateMul(b.CreateSExt(x, widened(m.i16x8Ty, 8)), b.CreateSExt(y, widened(m.i16x8Ty, 8)));
      llvm::Value* even = b.CreateShuffleVector(p, laneIndices(4, 0, 2));
      llvm::Value* odd = b.CreateShuffleVector(p, laneIndices(4, 1, 2));
      pushV128(b.CreateAdd(even, odd));
      return {};
    }
    case Opcode::I16x8Q15mulrSatS: {
      // (x*y + 2^14) >> 15, saturated: only -32768*-32768 exceeds the i16 range.
      auto [x, y] = popLanes2(I16);
      llvm::FixedVectorType* wideTy = widened(m.i16x8Ty, 8);
      llvm::Value* p = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
      p = b.CreateAShr(b.CreateAdd(p, splatInt(wideTy, 0x4000)), splatInt(wideTy, 15));
      p = call(Intr::smin, {p, splatInt(wideTy, 0x7fff)});
      pushV128(b.CreateTrunc(p, m.i16x8Ty));
      return {};
    }

    // ---- float lanes ----
    case Opcode::F32x4Abs: floatSignOp(F32, false); return {};
    case Opcode::F64x2Abs: floatSignOp(F64, false); return {};
    case Opcode::F32x4Neg: floatSignOp(F32, true); return {};
    case Opcode::F64x2Neg: floatSignOp(F64, true); return {};
    case Opcode::F32x4Sqrt: unaryConstrained(F32, Intr::experimental_constrained_sqrt); return {};
    case Opcode::F64x2Sqrt: unaryConstrained(F64, Intr::experimental_constrained_sqrt); return {};
    case Opcode::F32x4Ceil: unaryConstrained(F32, Intr::experimental_constrained_ceil); return {};
    case Opcode::F64x2Ceil: unaryConstrained(F64, Intr::experimental_constrained_ceil); return {};
    case Opcode::F32x4Floor: unaryConstrained(F32, Intr::experimental_constrained_floor); return {};
    case Opcode::F64x2Floor: unaryConstrained(F64, Intr::experimental_constrained_floor); return {};
    case Opcode::F32x4Trunc: unaryConstrained(F32, Intr::experimental_constrained_trunc); return {};
    case Opcode::F64x2Trunc: unaryConstrained(F64, Intr::experimental_constrained_trunc); return {};
    case Opcode::F32x4Nearest: unaryConstrained(F32, Intr::experimental_constrained_roundeven); return {};
    case Opcode::F64x2Nearest: unaryConstrained(F64, Intr::experimental_constrained_roundeven); return {};
    case Opcode::F32x4Add: binary(F32, fadd); return {};
    case Opcode::F64x2Add: binary(F64, fadd); return {};
    case Opcode::F32x4Sub: binary(F32, fsub); return {};
    case Opcode::F64x2Sub: binary(F64, fsub); return {};
    case Opcode::F32x4Mul: binary(F32, fmul); return {};
    case Opcode::F64x2Mul: binary(F64, fmul); return {};
    case Opcode::F32x4Div: binary(F32, fdiv); return {};
    case Opcode::F64x2Div: binary(F64, fdiv); return {};
    case Opcode::F32x4Min: floatMinMax(F32, true); return {};
    case Opcode::F64x2Min: floatMinMax(F64, true); return {};
    case Opcode::F32x4Max: floatMinMax(F32, false); return {};
    case Opcode::F64x2Max: floatMinMax(F64, false); return {};
    case Opcode::F32x4Pmin: binary(F32, pmin); return {};
    case Opcode::F64x2Pmin: binary(F64, pmin); return {};
    case Opcode::F32x4Pmax: binary(F32, pmax); return {};
    case Opcode::F64x2Pmax: binary(F64, pmax); return {};

    // ---- conversions ----
    case Opcode::I32x4TruncSatF32x4S: pushV128(truncSat(F32, Sign::S)); return {};
    case Opcode::I32x4TruncSatF32x4U: pushV128(truncSat(F32, Sign::U)); return {};
    case Opcode::I32x4TruncSatF64x2SZero:
    case Opcode::I32x4TruncSatF64x2UZero: {
      llvm::Value* r = truncSat(F64, instr.op == Opcode::I32x4TruncSatF64x2SZero ? Sign::S : Sign::U);
      pushV128(b.CreateShuffleVector(r, llvm::Constant::getNullValue(r->getType()), laneIndices(4, 0)));
      return {};
    }
    case Opcode::F32x4ConvertI32x4S: pushV128(b.CreateSIToFP(popLanes(I32), m.f32x4Ty)); return {};
    case Opcode::F32x4ConvertI32x4U: pushV128(b.CreateUIToFP(popLanes(I32), m.f32x4Ty)); return {};
    case Opcode::F64x2ConvertLowI32x4S:
    case Opcode::F64x2ConvertLowI32x4U: {
      llvm::Value* low = b.CreateShuffleVector(popLanes(I32), laneIndices(2, 0));
      pushV128(instr.op == Opcode::F64x2ConvertLowI32x4S ? b.CreateSIToFP(low, m.f64x2Ty)
                                                          : b.CreateUIToFP(low, m.f64x2Ty));
      return {};
    }
    case Opcode::F32x4DemoteF64x2Zero: {
      auto* f32x2 = llvm::FixedVectorType::get(m.f32Ty, 2);
      llvm::Value* r = b.CreateFPTrunc(popLanes(F64), f32x2);
      pushV128(b.CreateShuffleVector(r, llvm::Constant::getNullValue(f32x2), laneIndices(4, 0)));
      return {};
    }
    case Opcode::F64x2PromoteLowF32x4: {
      llvm::Value* low = b.CreateShuffleVector(popLanes(F32), laneIndices(2, 0));
      pushV128(b.CreateFPExt(low, m.f64x2Ty));
      return {};
    }
    default: break;
  }
  return internalError(std::string("not a SIMD instruction: ") + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
