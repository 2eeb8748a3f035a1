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
// that cannot start a token; the error has its offset but no position yet (see locateIn).
Result<std::vector<Token>> tokenize(std::string_view source);

// Where byte `offset` of `source` lies. Lines end at U+0A, U+0D or U+0D U+0A (the spec's
// newline); columns count characters, so a multi-byte UTF-8 character is one column.
TextPosition positionAt(std::string_view source, size_t offset);

// Gives an error with an offset in `source` its line and column: the one place where a text error
// gets its position, used by every entry point of the text format (parseWat, parseWast).
Error locateIn(std::string_view source, Error error);

// Decodes the body of a string token (quotes included in `raw`) into bytes. The lexer already
// checked the escapes, so this cannot fail.
std::string decodeString(std::string_view raw);

// True when `bytes` is well-formed UTF-8 (names must be).
bool isValidUtf8(std::string_view bytes);

}  // namespace orca::text
