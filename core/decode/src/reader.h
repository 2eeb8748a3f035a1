// A cursor over untrusted bytes with the binary format's primitive readers (bytes, LEB128, names).
//
// Errors are sticky: the first failure is recorded and the cursor jumps to the end, so every later
// read fails fast and a caller only has to test ok() at loop heads and after compound reads. This
// keeps the hot paths (one-byte LEBs, opcodes) free of Result<> plumbing.
//
// Reads are bounded by `end` only, which for the module decoder is the end of the whole binary,
// not the end of the current section: like the reference interpreter, a section or function body
// that claims fewer bytes than its contents need is read on and reported afterwards as "section
// size mismatch". That is what makes our messages agree with the spec suite's in those cases.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "orca/ir/error.h"

namespace orca::decode::detail {

// True when bytes[0..size) is well-formed UTF-8: no overlong forms, no surrogates, nothing above
// U+10FFFF, no truncated sequence.
bool isValidUtf8(const uint8_t* bytes, size_t size);

// Which wording an end-of-input failure uses: the header and section framing say "unexpected end",
// everything inside a section "unexpected end of section or function" (as the spec suite does).
enum class EndWording : uint8_t { Short, InSection };

class Reader {
 public:
  Reader(const uint8_t* base, const uint8_t* begin, const uint8_t* end)
      : base_(base), p_(begin), end_(end) {}

  bool ok() const { return !error_; }
  bool atEnd() const { return p_ >= end_; }
  size_t offset() const { return static_cast<size_t>(p_ - base_); }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* cursor() const { return p_; }
  const uint8_t* base() const { return base_; }
  void setWording(EndWording wording) { wording_ = wording; }

  // Records the first error and stops all further reading.
  void fail(const char* message, size_t at) {
    if (!error_) error_ = makeError(ErrorKind::Malformed, message, at);
    p_ = end_;
  }
  void fail(std::string message, size_t at) {
    if (!error_) error_ = makeError(ErrorKind::Malformed, std::move(message), at);
    p_ = end_;
  }
  void failEnd() {
    fail(wording_ == EndWording::Short ? "unexpected end" : "unexpected end of section or function",
         static_cast<size_t>(end_ - base_));
  }
  Error takeError() { return std::move(*error_); }
  const std::optional<Error>& error() const { return error_; }

  uint8_t u8() {
    if (p_ >= end_) [[unlikely]] {
      failEnd();
      return 0;
    }
    return *p_++;
  }

  // Fixed-width little-endian reads (f32/f64 bits, the header words).
  uint32_t fixedU32() {
    if (remaining() < 4) [[unlikely]] {
      failEnd();
      return 0;
    }
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return v;  // the hosts we build for are little-endian
  }
  uint64_t fixedU64() {
    if (remaining() < 8) [[unlikely]] {
      failEnd();
      return 0;
    }
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }
  bool bytes(uint8_t* out, size_t n) {
    if (remaining() < n) [[unlikely]] {
      failEnd();
      return false;
    }
    std::memcpy(out, p_, n);
    p_ += n;
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) [[unlikely]] {
      failEnd();
      return false;
    }
    p_ += n;
    return true;
  }

  uint32_t u32() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return *p_++;
    return static_cast<uint32_t>(unsignedSlow(32));
  }
  uint64_t u64() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return *p_++;
    return unsignedSlow(64);
  }
  // A one-bit LEB (the limits flag): any continuation byte is too long.
  uint32_t u1() { return static_cast<uint32_t>(unsignedSlow(1)); }
  int32_t s32() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return oneByteSigned(*p_++);
    return static_cast<int32_t>(signedSlow(32));
  }
  int64_t s33() { return signedSlow(33); }
  int64_t s64() {
    if (p_ < end_ && *p_ < 0x80) [[likely]]
      return oneByteSigned(*p_++);
    return signedSlow(64);
  }

  // A u32 length or count that must fit in the bytes that are left ("length out of bounds").
  // Every element of a vector takes at least one byte, so this also bounds what a count may make
  // us allocate by the size of the input. As in the reference interpreter the bytes of the LEB
  // itself count as left, so a count one or two past the end reads on to "unexpected end".
  uint32_t len32() {
    size_t at = offset();
    size_t left = remaining();
    uint32_t n = u32();
    if (ok() && n > left) [[unlikely]]
      fail("length out of bounds", at);
    return ok() ? n : 0;
  }

  // name ::= vec(byte), well-formed UTF-8.
  std::string name() {
    size_t at = offset();
    uint32_t n = len32();
    if (!ok()) return {};
    const uint8_t* start = p_;
    if (!skip(n)) return {};
    if (!isValidUtf8(start, n)) {
      fail("malformed UTF-8 encoding", at);
      return {};
    }
    return std::string(reinterpret_cast<const char*>(start), n);
  }

 private:
  static int64_t oneByteSigned(uint8_t b) { return (b & 0x40) ? int64_t(b) - 0x80 : int64_t(b); }

  // uN: at most ceil(N/7) bytes, and the unused bits of the last byte must be zero.
  uint64_t unsignedSlow(int bits) {
    uint64_t result = 0;
    int shift = 0;
    for (int n = bits;; n -= 7, shift += 7) {
      if (n <= 0) {
        fail("integer representation too long", offset());
        return 0;
      }
      if (p_ >= end_) {
        failEnd();
        return 0;
      }
      uint8_t b = *p_++;
      if (n < 7 && (b & 0x7f) >= (1u << n)) {
        fail("integer too large", offset() - 1);
        return 0;
      }
      result |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
    }
  }

  // sN: as uN, but the unused bits of the last byte must all equal the sign bit.
  int64_t signedSlow(int bits) {
    uint64_t result = 0;
    int shift = 0;
    for (int n = bits;; n -= 7) {
      if (n <= 0) {
        fail("integer representation too long", offset());
        return 0;
      }
      if (p_ >= end_) {
        failEnd();
        return 0;
      }
      uint8_t b = *p_++;
      if (n < 7) {
        uint8_t mask = static_cast<uint8_t>((0xffu << (n - 1)) & 0x7fu);
        if ((b & mask) != 0 && (b & mask) != mask) {
          fail("integer too large", offset() - 1);
          return 0;
        }
      }
      result |= uint64_t(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) {
        if (shift < 64 && (b & 0x40)) result |= ~uint64_t(0) << shift;
        return static_cast<int64_t>(result);
      }
    }
  }

  const uint8_t* base_;
  const uint8_t* p_;
  const uint8_t* end_;
  EndWording wording_ = EndWording::InSection;
  std::optional<Error> error_;
};

}  // namespace orca::decode::detail
