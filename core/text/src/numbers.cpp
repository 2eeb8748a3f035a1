#include "numbers.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <locale.h>
#include <string>

namespace orca::text {
namespace {

int digitValue(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (hex && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (hex && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of a digit run with single `_` separators between digits (num / hexnum); 0 if none.
size_t scanDigits(std::string_view s, size_t i, bool hex) {
  size_t start = i;
  if (i >= s.size() || digitValue(s[i], hex) < 0) return 0;
  ++i;
  while (i < s.size()) {
    if (digitValue(s[i], hex) >= 0) { ++i; continue; }
    if (s[i] == '_' && i + 1 < s.size() && digitValue(s[i + 1], hex) >= 0) { i += 2; continue; }
    break;
  }
  return i - start;
}

// Reads an unsigned literal (decimal or 0x hex) exactly; OutOfRange when it exceeds 2^64-1.
NumStatus readUnsigned(std::string_view s, uint64_t& out) {
  bool hex = s.size() > 2 && s[0] == '0' && s[1] == 'x';
  size_t i = hex ? 2 : 0;
  size_t n = scanDigits(s, i, hex);
  if (n == 0 || i + n != s.size()) return NumStatus::Malformed;
  uint64_t value = 0;
  bool overflow = false;
  uint64_t base = hex ? 16 : 10;
  for (; i < s.size(); ++i) {
    if (s[i] == '_') continue;
    auto d = static_cast<uint64_t>(digitValue(s[i], hex));
    if (value > (UINT64_MAX - d) / base) overflow = true;
    value = value * base + d;
  }
  if (overflow) return NumStatus::OutOfRange;
  out = value;
  return NumStatus::Ok;
}

locale_t cLocale() {
  static locale_t locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(0));
  return locale;
}

// Checks the float grammar (num ('.' num?)? ([eE] sign? num)?, or its hex twin with [pP]) and
// returns the literal without separators, ready for strtod. Empty when malformed.
bool cleanFloat(std::string_view s, std::string& out) {
  bool hex = s.size() > 2 && s[0] == '0' && s[1] == 'x';
  size_t i = hex ? 2 : 0;
  size_t n = scanDigits(s, i, hex);
  if (n == 0) return false;
  i += n;
  if (i < s.size() && s[i] == '.') {
    ++i;
    i += scanDigits(s, i, hex);
  }
  if (i < s.size() && (hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t e = scanDigits(s, i, false);
    if (e == 0) return false;
    i += e;
  }
  if (i != s.size()) return false;
  out.clear();
  for (char c : s)
    if (c != '_') out += c;
  return true;
}

template <typename Bits>
NumStatus parseFloatImpl(std::string_view text, Bits& bits, unsigned mantBits, unsigned expBits) {
  bool negative = false;
  std::string_view s = text;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const Bits sign = negative ? Bits(1) << (mantBits + expBits) : Bits(0);
  const Bits expMask = ((Bits(1) << expBits) - 1) << mantBits;
  const Bits mantMask = (Bits(1) << mantBits) - 1;
  if (s == "inf") {
    bits = sign | expMask;
    return NumStatus::Ok;
  }
  if (s == "nan") {
    bits = sign | expMask | (Bits(1) << (mantBits - 1));
    return NumStatus::Ok;
  }
  if (s.substr(0, 4) == "nan:") {
    std::string_view payload = s.substr(4);
    if (payload.size() < 3 || payload[0] != '0' || payload[1] != 'x') return NumStatus::Malformed;
    uint64_t value = 0;
    NumStatus st = readUnsigned(payload, value);
    if (st != NumStatus::Ok) return st;
    if (value == 0 || value > mantMask) return NumStatus::OutOfRange;
    bits = sign | expMask | static_cast<Bits>(value);
    return NumStatus::Ok;
  }
  std::string clean;
  if (!cleanFloat(s, clean)) return NumStatus::Malformed;
  // strtod/strtof round correctly (to nearest, ties to even) for decimal and hex input alike, and
  // rounding straight to f32 avoids the double rounding of going through f64. The C locale makes
  // '.' the decimal point whatever the embedding program set.
  if constexpr (sizeof(Bits) == 4) {
    float f = cLocale() ? strtof_l(clean.c_str(), nullptr, cLocale()) : std::strtof(clean.c_str(), nullptr);
    if (std::isinf(f)) return NumStatus::OutOfRange;
    uint32_t b;
    std::memcpy(&b, &f, 4);
    bits = b | sign;
  } else {
    double d = cLocale() ? strtod_l(clean.c_str(), nullptr, cLocale()) : std::strtod(clean.c_str(), nullptr);
    if (std::isinf(d)) return NumStatus::OutOfRange;
    uint64_t b;
    std::memcpy(&b, &d, 8);
    bits = b | sign;
  }
  return NumStatus::Ok;
}

}  // namespace

NumStatus parseNat(std::string_view text, uint64_t max, uint64_t& out) {
  uint64_t value = 0;
  NumStatus st = readUnsigned(text, value);
  if (st != NumStatus::Ok) return st;
  if (value > max) return NumStatus::OutOfRange;
  out = value;
  return NumStatus::Ok;
}

NumStatus parseInt(std::string_view text, unsigned bits, uint64_t& out) {
  bool negative = false, hasSign = false;
  std::string_view s = text;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    hasSign = true;
    s.remove_prefix(1);
  }
  uint64_t value = 0;
  NumStatus st = readUnsigned(s, value);
  if (st != NumStatus::Ok) return st;
  const uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  const uint64_t signedMax = mask >> 1;  // 2^(N-1) - 1
  if (!hasSign) {
    if (value > mask) return NumStatus::OutOfRange;
    out = value;
  } else if (negative) {
    if (value > signedMax + 1) return NumStatus::OutOfRange;
    out = (0 - value) & mask;
  } else {
    if (value > signedMax) return NumStatus::OutOfRange;
    out = value;
  }
  return NumStatus::Ok;
}

NumStatus parseF32(std::string_view text, uint32_t& bits) { return parseFloatImpl<uint32_t>(text, bits, 23, 8); }
NumStatus parseF64(std::string_view text, uint64_t& bits) { return parseFloatImpl<uint64_t>(text, bits, 52, 11); }

}  // namespace orca::text
