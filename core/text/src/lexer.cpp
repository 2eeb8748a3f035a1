#include "lexer.h"

#include <algorithm>
#include <array>

namespace orca::text {
namespace {

// idchar as the spec lists it: letters, digits and the printable punctuation that is not a
// delimiter (space, quote, comma, semicolon, brackets, braces, parentheses). A table, because the
// tokenizer asks for every byte of the source.
constexpr auto kIdChars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : std::string_view("!#$%&'*+-./:<=>?@\\^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

inline bool isIdChar(unsigned char c) { return kIdChars[c]; }

int hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the UTF-8 sequence starting at s[i], or 0 when it is malformed.
size_t utf8Length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return n;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Scans a string literal starting at the opening quote; returns the offset after the closing
// quote, or an error.
Result<size_t> scanString(std::string_view s, size_t i) {
  size_t start = i++;
  while (true) {
    if (i >= s.size()) return makeError(ErrorKind::Malformed, "unclosed string literal", start);
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i + 1;
    if (c == '\n') return makeError(ErrorKind::Malformed, "unclosed string literal", start);
    if (c < 0x20 || c == 0x7F) return makeError(ErrorKind::Malformed, "illegal control character in string literal", i);
    if (c == '\\') {
      if (i + 1 >= s.size()) return makeError(ErrorKind::Malformed, "unclosed string literal", start);
      char e = s[i + 1];
      switch (e) {
        case 't': case 'n': case 'r': case '"': case '\'': case '\\':
          i += 2;
          continue;
        case 'u': {
          size_t j = i + 2;
          if (j >= s.size() || s[j] != '{') return makeError(ErrorKind::Malformed, "illegal escape", i);
          ++j;
          uint32_t cp = 0;
          size_t digits = 0;
          while (j < s.size() && s[j] != '}') {
            if (s[j] == '_' && digits > 0 && j + 1 < s.size() && hexValue(s[j + 1]) >= 0) { ++j; continue; }
            int h = hexValue(s[j]);
            if (h < 0) return makeError(ErrorKind::Malformed, "illegal escape", i);
            cp = cp * 16 + static_cast<uint32_t>(h);
            if (cp > 0x10FFFF) return makeError(ErrorKind::Malformed, "illegal escape", i);
            ++digits;
            ++j;
          }
          if (j >= s.size() || digits == 0 || (cp >= 0xD800 && cp < 0xE000))
            return makeError(ErrorKind::Malformed, "illegal escape", i);
          i = j + 1;
          continue;
        }
        default:
          if (hexValue(e) >= 0 && i + 2 < s.size() && hexValue(s[i + 2]) >= 0) {
            i += 3;
            continue;
          }
          return makeError(ErrorKind::Malformed, "illegal escape", i);
      }
    }
    if (c >= 0x80) {
      size_t n = utf8Length(s, i);
      if (n == 0) return makeError(ErrorKind::Malformed, "malformed UTF-8 encoding", i);
      i += n;
      continue;
    }
    ++i;
  }
}

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view s) {
  if (s.size() >= UINT32_MAX) return makeError(ErrorKind::Malformed, "source too large");
  std::vector<Token> tokens;
  tokens.reserve(s.size() / 4 + 1);
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { ++i; continue; }
    if (c == ';') {
      if (i + 1 < s.size() && s[i + 1] == ';') {
        // newline ::= U+0A | U+0D | U+0D U+0A: a lone carriage return ends the comment too.
        while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
        continue;
      }
      return makeError(ErrorKind::Malformed, "unexpected character ';'", i);
    }
    if (c == '(') {
      if (i + 1 < s.size() && s[i + 1] == ';') {
        // Block comments nest.
        size_t start = i;
        int depth = 1;
        i += 2;
        while (depth > 0) {
          if (i + 1 >= s.size()) return makeError(ErrorKind::Malformed, "unclosed comment", start);
          if (s[i] == '(' && s[i + 1] == ';') { ++depth; i += 2; }
          else if (s[i] == ';' && s[i + 1] == ')') { --depth; i += 2; }
          else ++i;
        }
        continue;
      }
      tokens.push_back({TokKind::LParen, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
      continue;
    }
    if (c == ')') {
      tokens.push_back({TokKind::RParen, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
      continue;
    }
    if (c == '"') {
      auto end = scanString(s, i);
      if (!end) return end.takeError();
      tokens.push_back({TokKind::String, static_cast<uint32_t>(i), static_cast<uint32_t>(*end)});
      i = *end;
      // Tokens must be separated: `"a""b"` or `"a"b` is one malformed token, not two.
      if (i < s.size() && (s[i] == '"' || isIdChar(static_cast<unsigned char>(s[i]))))
        return makeError(ErrorKind::Malformed, "unknown operator", i);
      continue;
    }
    if (isIdChar(c)) {
      size_t start = i;
      while (i < s.size() && isIdChar(static_cast<unsigned char>(s[i]))) ++i;
      // A string glued to a keyword (`abc"x"`) is not two tokens but a malformed one.
      if (i < s.size() && s[i] == '"') return makeError(ErrorKind::Malformed, "unknown operator", start);
      TokKind kind = TokKind::Reserved;
      if (c == '$' && i - start > 1) kind = TokKind::Id;
      else if (c >= 'a' && c <= 'z') kind = TokKind::Keyword;
      tokens.push_back({kind, static_cast<uint32_t>(start), static_cast<uint32_t>(i)});
      continue;
    }
    if (c >= 0x80) return makeError(ErrorKind::Malformed, "malformed UTF-8 encoding", i);
    return makeError(ErrorKind::Malformed, "unexpected character", i);
  }
  tokens.push_back({TokKind::Eof, static_cast<uint32_t>(s.size()), static_cast<uint32_t>(s.size())});
  return tokens;
}

TextPosition positionAt(std::string_view source, size_t offset) {
  TextPosition at;
  offset = std::min(offset, source.size());
  for (size_t i = 0; i < offset; ++i) {
    char c = source[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= source.size() || source[i + 1] != '\n'))) {
      ++at.line;
      at.column = 1;
    } else if (c != '\r' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      // A UTF-8 continuation byte belongs to the character before it.
      ++at.column;
    }
  }
  return at;
}

Error locateIn(std::string_view source, Error error) {
  if (error.offset) error.position = positionAt(source, *error.offset);
  return error;
}

std::string decodeString(std::string_view raw) {
  std::string out;
  if (raw.size() < 2) return out;
  std::string_view s = raw.substr(1, raw.size() - 2);
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) { out += c; continue; }
    char e = s[++i];
    switch (e) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case '\\': out += '\\'; break;
      case 'u': {
        uint32_t cp = 0;
        i += 2;  // past "u{"
        while (i < s.size() && s[i] != '}') {
          int h = hexValue(s[i]);
          if (h >= 0) cp = cp * 16 + static_cast<uint32_t>(h);
          ++i;
        }
        appendUtf8(out, cp);
        break;
      }
      default:
        if (i + 1 < s.size()) {
          out += static_cast<char>(hexValue(e) * 16 + hexValue(s[i + 1]));
          ++i;
        }
        break;
    }
  }
  return out;
}

bool isValidUtf8(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    size_t n = utf8Length(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace orca::text
