// The WAT/WAST tokenizer. Tokens are views into the source (offsets), never copies: a script of
// several megabytes is tokenized once and every module in it is parsed from the same vector.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "orca/ir/error.h"

namespace orca::text {

// token ::= keyword | uN | sN | fN | string | id | '(' | ')' | reserved
// Numbers are not told apart here: a token that starts with a digit or a sign is Reserved and
// the parser reads it as the kind of number it expects, so `0x1p3` is read once, as a float.
enum class TokKind : uint8_t { LParen, RParen, Keyword, Id, Reserved, String, Eof };

struct Token {
  TokKind kind = TokKind::Eof;
  uint32_t begin = 0;  // byte offsets into the source
  uint32_t end = 0;
};

// Tokenizes the whole source. Fails on an unterminated string or block comment, or a character
// that cannot start a token.
Result<std::vector<Token>> tokenize(std::string_view source);

// Decodes the body of a string token (quotes included in `raw`) into bytes. The lexer already
// checked the escapes, so this cannot fail.
std::string decodeString(std::string_view raw);

// True when `bytes` is well-formed UTF-8 (names must be).
bool isValidUtf8(std::string_view bytes);

}  // namespace orca::text
