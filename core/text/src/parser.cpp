// Token-level helpers of the parser and the parseWat entry point.
#include "parser.h"

#include "orca/text/wat.h"

namespace orca::text {

using ir::ValType;

const Token& Parser::peek(size_t k) const {
  if (pos_ + k < last_) return toks_[pos_ + k];
  // Past the range: an end-of-input token at the range's end.
  uint32_t at = last_ > first_ ? toks_[last_ - 1].end : 0;
  eof_ = Token{TokKind::Eof, at, at};
  return eof_;
}

bool Parser::isKw(std::string_view kw, size_t k) const {
  const Token& t = peek(k);
  return t.kind == TokKind::Keyword && text(t) == kw;
}

bool Parser::isLParenKw(std::string_view kw, size_t k) const {
  return peek(k).kind == TokKind::LParen && isKw(kw, k + 1);
}

bool Parser::isNumberLike(const Token& t) const {
  if (t.kind != TokKind::Reserved && t.kind != TokKind::Keyword) return false;
  uint64_t i;
  uint64_t f;
  std::string_view s = text(t);
  return parseInt(s, 64, i) != NumStatus::Malformed || parseF64(s, f) != NumStatus::Malformed;
}

bool Parser::isLaneLiteral(const Token& t) const {
  return t.kind == TokKind::Reserved ||
         (t.kind == TokKind::Keyword && (isNumberLike(t) || text(t).substr(0, 4) == "nan:"));
}

bool Parser::failUnexpected() {
  // A reserved token that is no literal is what the reference interpreter calls an unknown
  // operator, wherever it appears.
  const Token& t = peek();
  if (t.kind == TokKind::Reserved && !isNumberLike(t)) return fail("unknown operator", t);
  return fail("unexpected token", t);
}

bool Parser::isIndexToken(size_t k) const {
  const Token& t = peek(k);
  if (t.kind == TokKind::Id) return true;
  if (t.kind != TokKind::Reserved) return false;
  uint64_t v;
  return parseNat(text(t), UINT64_MAX, v) != NumStatus::Malformed;
}

bool Parser::fail(std::string message, const Token& at) {
  if (!error_) error_ = makeError(ErrorKind::Malformed, std::move(message), at.begin);
  return false;
}

bool Parser::failNumber(const Token& t, NumStatus st, std::string_view rangeMessage) {
  if (st == NumStatus::OutOfRange) return fail(std::string(rangeMessage), t);
  // A token that is no literal at all is what the reference interpreter calls an unknown
  // operator; a literal of the wrong kind (a float where an integer goes) is unexpected.
  if (t.kind == TokKind::Reserved || t.kind == TokKind::Keyword) {
    std::string_view s = text(t);
    if (s == "nan:canonical" || s == "nan:arithmetic") return fail("unexpected token", t);
    if (!isNumberLike(t)) return fail("unknown operator", t);
  }
  return fail("unexpected token", t);
}

bool Parser::expectLParen() {
  if (peek().kind != TokKind::LParen) return failUnexpected();
  ++pos_;
  return true;
}

bool Parser::expectRParen() {
  if (peek().kind != TokKind::RParen) return failUnexpected();
  ++pos_;
  return true;
}

bool Parser::expectKw(std::string_view kw) {
  if (!isKw(kw)) return failUnexpected();
  ++pos_;
  return true;
}

bool Parser::skipSexpr() {
  if (!expectLParen()) return false;
  size_t depth = 1;
  while (depth > 0) {
    const Token& t = peek();
    if (t.kind == TokKind::Eof) return fail("unexpected end of input");
    if (t.kind == TokKind::LParen) ++depth;
    else if (t.kind == TokKind::RParen) --depth;
    ++pos_;
  }
  return true;
}

std::optional<std::string_view> Parser::takeId() {
  if (peek().kind != TokKind::Id) return std::nullopt;
  return text(toks_[pos_++]);
}

bool Parser::parseString(std::string& out) {
  if (peek().kind != TokKind::String) return failUnexpected();
  out = decodeString(text(toks_[pos_++]));
  return true;
}

bool Parser::parseName(std::string& out) {
  const Token& t = peek();
  if (!parseString(out)) return false;
  if (!isValidUtf8(out)) return fail("malformed UTF-8 encoding", t);
  return true;
}

bool Parser::parseU32(uint32_t& out, std::string_view rangeMessage) {
  const Token& t = peek();
  if (t.kind != TokKind::Reserved && t.kind != TokKind::Keyword) return failUnexpected();
  uint64_t v = 0;
  NumStatus st = parseNat(text(t), UINT32_MAX, v);
  if (st != NumStatus::Ok) return failNumber(t, st, rangeMessage);
  out = static_cast<uint32_t>(v);
  ++pos_;
  return true;
}

bool Parser::parseValType(ValType& out) {
  const Token& t = peek();
  if (t.kind != TokKind::Keyword) return failUnexpected();
  std::string_view s = text(t);
  if (s == "i32") out = ValType::I32;
  else if (s == "i64") out = ValType::I64;
  else if (s == "f32") out = ValType::F32;
  else if (s == "f64") out = ValType::F64;
  else if (s == "v128") out = ValType::V128;
  else if (s == "funcref") out = ValType::FuncRef;
  else if (s == "externref") out = ValType::ExternRef;
  else return failUnknownOperator(t);
  ++pos_;
  return true;
}

bool Parser::parseRefType(ValType& out) {
  if (isKw("funcref")) out = ValType::FuncRef;
  else if (isKw("externref")) out = ValType::ExternRef;
  else return failUnexpected();
  ++pos_;
  return true;
}

bool Parser::parseHeapType(ValType& out) {
  if (isKw("func")) out = ValType::FuncRef;
  else if (isKw("extern")) out = ValType::ExternRef;
  else return failUnexpected();
  ++pos_;
  return true;
}

bool Parser::parseIndex(Space space, uint32_t& out) {
  const Token& t = peek();
  if (t.kind == TokKind::Id) {
    auto it = names_[space].find(text(t));
    if (it == names_[space].end()) {
      static constexpr const char* kNames[] = {"type", "function", "table", "memory",
                                               "global", "elem segment", "data segment"};
      return fail(std::string("unknown ") + kNames[space] + " " + std::string(text(t)), t);
    }
    out = it->second;
    ++pos_;
    return true;
  }
  return parseU32(out);
}

bool Parser::parseLimits(ir::Limits& out) {
  uint32_t min = 0;
  if (!parseU32(min, "i32 constant out of range")) return false;
  out.min = min;
  out.max.reset();
  if (peek().kind == TokKind::Reserved) {
    uint32_t max = 0;
    if (!parseU32(max, "i32 constant out of range")) return false;
    out.max = max;
  }
  return true;
}

Result<ir::Module> parseWat(std::string_view source) {
  auto tokens = tokenize(source);
  if (!tokens) return locateIn(source, tokens.takeError());
  Parser parser(source, *tokens, 0, tokens->size() - 1);
  auto module = parser.parseModule();
  if (!module) return locateIn(source, module.takeError());
  return module;
}

}  // namespace orca::text
