// Helpers shared by the text unit tests.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "orca/text/wat.h"

namespace orca::text::test {

// Parses and fails the test case with the error text when parsing fails.
inline ir::Module parseOk(std::string_view src) {
  auto m = parseWat(src);
  INFO("source: " << src);
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? std::string() : m.error().describe()));
  return std::move(m).value();
}

// The message of the error parseWat returns; fails when it succeeds.
inline std::string parseError(std::string_view src) {
  auto m = parseWat(src);
  INFO("source: " << src);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Malformed);
  return m.error().message;
}

// Checks that `error` has a position in the text and that it is `line`:`column`.
inline void checkPosition(const Error& error, uint32_t line, uint32_t column) {
  REQUIRE(error.position.has_value());
  CHECK(error.position->line == line);
  CHECK(error.position->column == column);
}

// True when `message` starts with the spec's wording `expected`.
inline bool startsWith(std::string_view message, std::string_view expected) {
  return message.substr(0, expected.size()) == expected;
}

// The first instruction of function `f` (defined functions only).
inline const ir::Instr& firstInstr(const ir::Module& m, size_t f = 0) {
  REQUIRE(f < m.functions.size());
  REQUIRE(!m.functions[f].body.code.empty());
  return m.functions[f].body.code[0];
}

}  // namespace orca::text::test
