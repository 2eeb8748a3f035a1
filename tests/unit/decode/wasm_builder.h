// Helpers to write WebAssembly binaries by hand in tests: bytes, LEB128, names and sections.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "orca/decode/decode.h"

namespace orca::decode::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

inline Bytes sleb(int64_t v) {
  Bytes out;
  bool more = true;
  while (more) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) more = false;
    else b |= 0x80;
    out.push_back(b);
  }
  return out;
}

inline Bytes str(std::string_view s) {
  Bytes out = uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A vector: the count followed by the already encoded elements.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = uleb(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

inline Bytes section(uint8_t id, const Bytes& payload) {
  return cat({Bytes{id}, uleb(payload.size()), payload});
}

inline Bytes customSection(std::string_view name, const Bytes& payload) {
  return section(0, cat({str(name), payload}));
}

// A module from its sections.
inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Type section with one type: [] -> [].
inline Bytes voidTypeSection() { return section(1, vec({{0x60, 0x00, 0x00}})); }

// A function body: vec(locals) then the expression bytes (which must include the final end).
inline Bytes body(const Bytes& locals, const Bytes& code) {
  Bytes inner = cat({locals, code});
  return cat({uleb(inner.size()), inner});
}

// A module with one function of type [] -> [] whose body is `code` (final end included) and no
// locals; `extra` sections go between the function and code sections (tables, memories, ...).
inline Bytes oneFunction(const Bytes& code, std::initializer_list<Bytes> extra = {}) {
  Bytes out = cat({header(), voidTypeSection(), section(3, vec({{0x00}}))});
  for (const Bytes& s : extra) out.insert(out.end(), s.begin(), s.end());
  Bytes codeSec = section(10, vec({body({0x00}, code)}));
  out.insert(out.end(), codeSec.begin(), codeSec.end());
  return out;
}

inline Result<ir::Module> decodeBytes(const Bytes& b) { return decodeModule(std::span<const uint8_t>(b)); }

// The message of a failed decode, or "ok".
inline std::string messageOf(const Bytes& b) {
  auto r = decodeBytes(b);
  if (r) return "ok";
  return r.error().message;
}

inline bool startsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace orca::decode::test

// Checks that `bytes` fails to decode as malformed, with a message starting with `prefix` and an
// offset inside (or at the end of) the input.
#define CHECK_MALFORMED(bytes, prefix)                                                         \
  do {                                                                                         \
    const auto& checkBytes_ = (bytes);                                                         \
    auto checkResult_ = ::orca::decode::test::decodeBytes(checkBytes_);                             \
    REQUIRE_FALSE(checkResult_.ok());                                                          \
    CHECK(checkResult_.error().kind == ::orca::ErrorKind::Malformed);                          \
    INFO("message: " << checkResult_.error().message);                                         \
    CHECK(::orca::decode::test::startsWith(checkResult_.error().message, prefix));             \
    REQUIRE(checkResult_.error().offset.has_value());                                          \
    CHECK(*checkResult_.error().offset <= checkBytes_.size());                                 \
  } while (0)
