#include "wast_values.h"

#include <cstdio>
#include <cstring>

namespace orca::cli {
namespace {

using text::LaneShape;
using text::NanPattern;

template <typename T>
T loadLane(const uint8_t* bytes, unsigned lane) {
  T value;
  std::memcpy(&value, bytes + lane * sizeof(T), sizeof(T));
  return value;
}

// Canonical NaN: sign ignored, quiet bit set, rest of the payload zero. Arithmetic NaN: sign
// ignored, quiet bit set, any payload.
bool nan32Matches(uint32_t bits, NanPattern pattern) {
  uint32_t magnitude = bits & 0x7fffffffu;
  if (pattern == NanPattern::Canonical) return magnitude == 0x7fc00000u;
  return (magnitude & 0x7fc00000u) == 0x7fc00000u;
}

bool nan64Matches(uint64_t bits, NanPattern pattern) {
  uint64_t magnitude = bits & 0x7fffffffffffffffull;
  if (pattern == NanPattern::Canonical) return magnitude == 0x7ff8000000000000ull;
  return (magnitude & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

bool v128Matches(const orca_val_raw_t& actual, const text::WastExpected& expected) {
  const uint8_t* got = actual.v128;
  const uint8_t* want = expected.value.bits.bytes;
  switch (expected.shape) {
    case LaneShape::F32x4:
      for (unsigned lane = 0; lane < 4; ++lane) {
        uint32_t bits = loadLane<uint32_t>(got, lane);
        if (expected.nan[lane] != NanPattern::None) {
          if (!nan32Matches(bits, expected.nan[lane])) return false;
        } else if (bits != loadLane<uint32_t>(want, lane)) {
          return false;
        }
      }
      return true;
    case LaneShape::F64x2:
      for (unsigned lane = 0; lane < 2; ++lane) {
        uint64_t bits = loadLane<uint64_t>(got, lane);
        if (expected.nan[lane] != NanPattern::None) {
          if (!nan64Matches(bits, expected.nan[lane])) return false;
        } else if (bits != loadLane<uint64_t>(want, lane)) {
          return false;
        }
      }
      return true;
    default:
      return std::memcmp(got, want, 16) == 0;
  }
}

bool singleMatches(const orca_val_raw_t& actual, ir::ValType type, const text::WastExpected& expected,
                   HostRefs& hostRefs) {
  if (expected.value.type != type) return false;
  const text::WastValue& want = expected.value;
  switch (type) {
    case ir::ValType::I32:
      return static_cast<uint32_t>(actual.i32) == loadLane<uint32_t>(want.bits.bytes, 0);
    case ir::ValType::I64:
      return static_cast<uint64_t>(actual.i64) == loadLane<uint64_t>(want.bits.bytes, 0);
    case ir::ValType::F32: {
      uint32_t bits = loadLane<uint32_t>(actual.v128, 0);
      if (expected.nan[0] != NanPattern::None) return nan32Matches(bits, expected.nan[0]);
      return bits == loadLane<uint32_t>(want.bits.bytes, 0);
    }
    case ir::ValType::F64: {
      uint64_t bits = loadLane<uint64_t>(actual.v128, 0);
      if (expected.nan[0] != NanPattern::None) return nan64Matches(bits, expected.nan[0]);
      return bits == loadLane<uint64_t>(want.bits.bytes, 0);
    }
    case ir::ValType::V128:
      return v128Matches(actual, expected);
    case ir::ValType::FuncRef:
      if (want.isNull) return actual.ref == nullptr;
      return actual.ref != nullptr;  // scripts cannot name a particular function
    case ir::ValType::ExternRef:
      if (want.isNull) return actual.ref == nullptr;
      if (want.anyNonNull) return actual.ref != nullptr;
      return actual.ref != nullptr && actual.ref == hostRefs.raw(want.hostRef);
  }
  return false;
}

std::string hex(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string describeBits(ir::ValType type, const uint8_t* bytes, bool isNull, const void* ref,
                         const HostRefs* hostRefs) {
  switch (type) {
    case ir::ValType::I32: return "i32:" + hex(loadLane<uint32_t>(bytes, 0));
    case ir::ValType::I64: return "i64:" + hex(loadLane<uint64_t>(bytes, 0));
    case ir::ValType::F32: return "f32:" + hex(loadLane<uint32_t>(bytes, 0));
    case ir::ValType::F64: return "f64:" + hex(loadLane<uint64_t>(bytes, 0));
    case ir::ValType::V128: {
      std::string s = "v128:i32x4";
      for (unsigned lane = 0; lane < 4; ++lane) s += " " + hex(loadLane<uint32_t>(bytes, lane));
      return s;
    }
    case ir::ValType::FuncRef:
    case ir::ValType::ExternRef:
      if (isNull) return std::string(ir::valTypeName(type)) + ":null";
      if (type == ir::ValType::ExternRef && hostRefs)
        if (auto n = hostRefs->find(ref)) return "externref:ref.extern " + std::to_string(*n);
      return std::string(ir::valTypeName(type)) + ":" + hex(reinterpret_cast<uintptr_t>(ref));
  }
  return "?";
}

}  // namespace

void* HostRefs::raw(uint32_t n) {
  auto it = refs_.find(n);
  if (it != refs_.end()) return it->second.raw;
  Ref ref;
  ref.foreign.reset(wasm_foreign_new(store_));
  if (ref.foreign && !orca_ref_to_raw(store_, wasm_foreign_as_ref(ref.foreign.get()), WASM_EXTERNREF, &ref.raw))
    ref.raw = nullptr;
  void* raw = ref.raw;
  refs_.emplace(n, std::move(ref));
  return raw;
}

std::optional<uint32_t> HostRefs::find(const void* raw) const {
  for (const auto& [n, ref] : refs_)
    if (ref.raw && ref.raw == raw) return n;
  return std::nullopt;
}

ir::ValType valTypeOf(wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I32: return ir::ValType::I32;
    case WASM_I64: return ir::ValType::I64;
    case WASM_F32: return ir::ValType::F32;
    case WASM_F64: return ir::ValType::F64;
    case WASM_V128: return ir::ValType::V128;
    case WASM_FUNCREF: return ir::ValType::FuncRef;
    default: return ir::ValType::ExternRef;
  }
}

orca_val_raw_t toRawValue(const text::WastValue& value, HostRefs& hostRefs) {
  orca_val_raw_t raw{};
  switch (value.type) {
    case ir::ValType::FuncRef:
      raw.ref = nullptr;  // scripts only pass null funcrefs
      break;
    case ir::ValType::ExternRef:
      raw.ref = value.isNull ? nullptr : hostRefs.raw(value.hostRef);
      break;
    default:
      std::memcpy(raw.v128, value.bits.bytes, 16);
      break;
  }
  return raw;
}

bool resultMatches(const orca_val_raw_t& actual, ir::ValType type, const text::WastExpected& expected,
                   HostRefs& hostRefs) {
  if (!expected.either.empty()) {
    for (const auto& alternative : expected.either)
      if (resultMatches(actual, type, alternative, hostRefs)) return true;
    return false;
  }
  return singleMatches(actual, type, expected, hostRefs);
}

std::string describeValue(const orca_val_raw_t& value, ir::ValType type, const HostRefs& hostRefs) {
  return describeBits(type, value.v128, value.ref == nullptr, value.ref, &hostRefs);
}

std::string describeExpected(const text::WastExpected& expected) {
  if (!expected.either.empty()) {
    std::string s = "either(";
    for (size_t i = 0; i < expected.either.size(); ++i)
      s += (i ? " | " : "") + describeExpected(expected.either[i]);
    return s + ")";
  }
  if (expected.nan[0] != NanPattern::None && expected.shape == LaneShape::None)
    return std::string(ir::valTypeName(expected.value.type)) +
           (expected.nan[0] == NanPattern::Canonical ? ":nan:canonical" : ":nan:arithmetic");
  const auto& v = expected.value;
  if (v.type == ir::ValType::ExternRef && !v.isNull && !v.anyNonNull)
    return "externref:ref.extern " + std::to_string(v.hostRef);
  if (ir::isRefType(v.type) && v.anyNonNull) return std::string(ir::valTypeName(v.type)) + ":non-null";
  return describeBits(v.type, v.bits.bytes, v.isNull, nullptr, nullptr);
}

}  // namespace orca::cli
