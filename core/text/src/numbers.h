// Numeric literals of the text format: integers with `_` separators in decimal or hex, and floats
// in decimal, hex, `inf`, `nan` and `nan:0x...` forms, rounded as the spec says (to nearest, ties
// to even), with "constant out of range" for what does not fit.
#pragma once

#include <cstdint>
#include <string_view>

namespace orca::text {

// Malformed: the token is not a literal of the requested form at all (the reference interpreter
// then reports "unknown operator"); OutOfRange: it is, but its value does not fit.
enum class NumStatus : uint8_t { Ok, Malformed, OutOfRange };

// uN: an unsigned literal without sign, at most `max`.
NumStatus parseNat(std::string_view text, uint64_t max, uint64_t& out);

// iN for N = 8, 16, 32, 64: signed or unsigned, returned as the N-bit two's complement pattern.
NumStatus parseInt(std::string_view text, unsigned bits, uint64_t& out);

NumStatus parseF32(std::string_view text, uint32_t& bits);
NumStatus parseF64(std::string_view text, uint64_t& bits);

}  // namespace orca::text
