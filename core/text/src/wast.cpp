// The .wast script format: modules (text, binary, quote), register, actions and assertions.
// Text modules are parsed and encoded here, from the script's own token vector.
#include <cstring>

#include "lexer.h"
#include "numbers.h"
#include "orca/text/wast.h"
#include "orca/text/wat.h"
#include "parser.h"

namespace orca::text {
namespace {

using ir::ValType;

class ScriptParser {
 public:
  ScriptParser(std::string_view src, const std::vector<Token>& toks) : src_(src), toks_(toks) {}

  Result<WastScript> parse() {
    WastScript script;
    // A script may also be a single module written as bare fields (inline-module.wast).
    if (peek().kind == TokKind::LParen && isModuleField(peek(1))) {
      WastCommand cmd;
      cmd.line = lineOf(peek().begin);
      cmd.kind = WastCommand::Kind::Module;
      Parser parser(src_, toks_, 0, toks_.size() - 1);
      auto module = parser.parseModule();
      if (module) cmd.module.binary = encodeModule(*module);
      else cmd.module.textError = locateIn(src_, module.takeError());
      script.commands.push_back(std::move(cmd));
      return script;
    }
    while (peek().kind != TokKind::Eof) {
      WastCommand cmd;
      cmd.line = lineOf(peek().begin);
      if (!parseCommand(cmd)) {
        if (!error_) fail("unexpected token");
        return *error_;
      }
      script.commands.push_back(std::move(cmd));
    }
    return script;
  }

 private:
  bool isModuleField(const Token& t) const {
    static constexpr std::string_view kFields[] = {"type", "import", "func", "table", "memory",
                                                   "global", "export", "start", "elem", "data"};
    if (t.kind != TokKind::Keyword) return false;
    for (std::string_view f : kFields)
      if (text(t) == f) return true;
    return false;
  }

  const Token& peek(size_t k = 0) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  std::string_view text(const Token& t) const { return src_.substr(t.begin, t.end - t.begin); }
  bool isKw(std::string_view kw, size_t k = 0) const {
    return peek(k).kind == TokKind::Keyword && text(peek(k)) == kw;
  }
  bool isLParenKw(std::string_view kw, size_t k = 0) const {
    return peek(k).kind == TokKind::LParen && isKw(kw, k + 1);
  }

  uint32_t lineOf(size_t offset) {
    // Offsets only grow while parsing, so count newlines incrementally.
    if (offset < lineOffset_) {
      lineOffset_ = 0;
      line_ = 1;
    }
    for (; lineOffset_ < offset && lineOffset_ < src_.size(); ++lineOffset_)
      if (src_[lineOffset_] == '\n') ++line_;
    return line_;
  }

  // The token is quoted in the message; its line and column are added as the error's position.
  bool fail(std::string message) {
    if (!error_) {
      const Token& t = peek();
      error_ = makeError(ErrorKind::Malformed, message + " ('" + std::string(text(t).substr(0, 40)) + "')", t.begin);
    }
    return false;
  }
  bool expect(TokKind kind) {
    if (peek().kind != kind) return fail("unexpected token");
    ++pos_;
    return true;
  }
  bool expectKw(std::string_view kw) {
    if (!isKw(kw)) return fail("unexpected token");
    ++pos_;
    return true;
  }
  bool parseString(std::string& out) {
    if (peek().kind != TokKind::String) return fail("expected a string");
    out = decodeString(text(toks_[pos_++]));
    return true;
  }
  std::optional<std::string> takeId() {
    if (peek().kind != TokKind::Id) return std::nullopt;
    return std::string(text(toks_[pos_++]));
  }
  // Index after the `)` matching the `(` at pos_, or 0 when unbalanced.
  size_t matchingEnd() const {
    size_t depth = 0;
    for (size_t i = pos_; i < toks_.size(); ++i) {
      if (toks_[i].kind == TokKind::LParen) ++depth;
      else if (toks_[i].kind == TokKind::RParen && --depth == 0) return i + 1;
      else if (toks_[i].kind == TokKind::Eof) break;
    }
    return 0;
  }

  bool parseCommand(WastCommand& cmd) {
    if (peek().kind != TokKind::LParen || peek(1).kind != TokKind::Keyword) return fail("unexpected token");
    std::string_view kw = text(peek(1));
    if (kw == "module") {
      cmd.kind = WastCommand::Kind::Module;
      return parseModule(cmd.module);
    }
    pos_ += 2;
    if (kw == "register") {
      cmd.kind = WastCommand::Kind::Register;
      if (!parseString(cmd.registerName)) return false;
      cmd.registerModule = takeId();
      return expect(TokKind::RParen);
    }
    if (kw == "invoke" || kw == "get") {
      pos_ -= 2;
      cmd.kind = WastCommand::Kind::Action;
      return parseAction(cmd.action);
    }
    if (kw == "assert_return") {
      cmd.kind = WastCommand::Kind::AssertReturn;
      if (!parseAction(cmd.action)) return false;
      while (peek().kind == TokKind::LParen) {
        WastExpected e;
        if (!parseExpected(e)) return false;
        cmd.expected.push_back(std::move(e));
      }
      return expect(TokKind::RParen);
    }
    if (kw == "assert_trap") {
      cmd.kind = WastCommand::Kind::AssertTrap;
      if (isLParenKw("module")) {
        cmd.trapsOnModule = true;
        if (!parseModule(cmd.module)) return false;
      } else if (!parseAction(cmd.action)) {
        return false;
      }
      return parseString(cmd.message) && expect(TokKind::RParen);
    }
    if (kw == "assert_exhaustion") {
      cmd.kind = WastCommand::Kind::AssertExhaustion;
      return parseAction(cmd.action) && parseString(cmd.message) && expect(TokKind::RParen);
    }
    WastCommand::Kind kind;
    if (kw == "assert_malformed") kind = WastCommand::Kind::AssertMalformed;
    else if (kw == "assert_invalid") kind = WastCommand::Kind::AssertInvalid;
    else if (kw == "assert_unlinkable") kind = WastCommand::Kind::AssertUnlinkable;
    else if (kw == "assert_uninstantiable") kind = WastCommand::Kind::AssertUninstantiable;
    else {
      pos_ -= 1;
      return fail("unknown command");
    }
    cmd.kind = kind;
    return parseModule(cmd.module) && parseString(cmd.message) && expect(TokKind::RParen);
  }

  bool parseModule(WastModule& m) {
    if (!isLParenKw("module")) return fail("expected a module");
    size_t end = matchingEnd();
    if (end == 0) return fail("unbalanced parentheses");
    size_t start = pos_;
    pos_ += 2;
    m.name = takeId();
    if (isKw("binary") || isKw("quote")) {
      bool binary = isKw("binary");
      m.form = binary ? WastModule::Form::Binary : WastModule::Form::Quote;
      ++pos_;
      while (peek().kind == TokKind::String) {
        std::string s = decodeString(text(toks_[pos_++]));
        if (binary) m.binary.insert(m.binary.end(), s.begin(), s.end());
        else m.quote += s;
      }
      return expect(TokKind::RParen);
    }
    m.form = WastModule::Form::Text;
    Parser parser(src_, toks_, start, end);
    auto module = parser.parseModule();
    if (module) m.binary = encodeModule(*module);
    else m.textError = locateIn(src_, module.takeError());
    pos_ = end;
    return true;
  }

  bool parseAction(WastAction& a) {
    if (!expect(TokKind::LParen)) return false;
    if (isKw("invoke")) a.kind = WastAction::Kind::Invoke;
    else if (isKw("get")) a.kind = WastAction::Kind::Get;
    else return fail("expected an action");
    ++pos_;
    a.module = takeId();
    if (!parseString(a.field)) return false;
    while (peek().kind == TokKind::LParen) {
      WastExpected e;
      if (!parseValue(e, /*expectation=*/false)) return false;
      a.args.push_back(e.value);
    }
    return expect(TokKind::RParen);
  }

  bool parseExpected(WastExpected& e) {
    if (isLParenKw("either")) {
      pos_ += 2;
      while (peek().kind == TokKind::LParen) {
        WastExpected alt;
        if (!parseValue(alt, true)) return false;
        e.either.push_back(std::move(alt));
      }
      return expect(TokKind::RParen);
    }
    return parseValue(e, true);
  }

  // A NaN pattern, when allowed and present, for a float lane.
  bool nanPattern(bool expectation, NanPattern& out) {
    if (!expectation) return false;
    if (isKw("nan:canonical")) out = NanPattern::Canonical;
    else if (isKw("nan:arithmetic")) out = NanPattern::Arithmetic;
    else return false;
    ++pos_;
    return true;
  }

  bool number(unsigned bits, bool isFloat, uint64_t& out) {
    const Token& t = peek();
    if (t.kind != TokKind::Reserved && t.kind != TokKind::Keyword) return fail("expected a number");
    std::string_view s = text(t);
    NumStatus st;
    if (isFloat && bits == 32) {
      uint32_t b = 0;
      st = parseF32(s, b);
      out = b;
    } else if (isFloat) {
      st = parseF64(s, out);
    } else {
      st = parseInt(s, bits, out);
    }
    if (st == NumStatus::OutOfRange) return fail("constant out of range");
    if (st != NumStatus::Ok) return fail("malformed number");
    ++pos_;
    return true;
  }

  bool parseValue(WastExpected& e, bool expectation) {
    if (!expect(TokKind::LParen)) return false;
    if (peek().kind != TokKind::Keyword) return fail("expected a constant");
    std::string_view kw = text(peek());
    ++pos_;
    WastValue& v = e.value;
    uint64_t bits = 0;
    if (kw == "i32.const" || kw == "i64.const" || kw == "f32.const" || kw == "f64.const") {
      bool isFloat = kw[0] == 'f';
      unsigned width = kw[1] == '3' ? 32 : 64;
      v.type = kw == "i32.const" ? ValType::I32 : kw == "i64.const" ? ValType::I64
             : kw == "f32.const" ? ValType::F32 : ValType::F64;
      if (!(isFloat && nanPattern(expectation, e.nan[0]))) {
        if (!number(width, isFloat, bits)) return false;
        std::memcpy(v.bits.bytes, &bits, width / 8);
      }
    } else if (kw == "v128.const") {
      v.type = ValType::V128;
      if (peek().kind != TokKind::Keyword) return fail("expected a lane shape");
      std::string_view shape = text(peek());
      unsigned lanes, width;
      bool isFloat = false;
      if (shape == "i8x16") { lanes = 16; width = 8; e.shape = LaneShape::I8x16; }
      else if (shape == "i16x8") { lanes = 8; width = 16; e.shape = LaneShape::I16x8; }
      else if (shape == "i32x4") { lanes = 4; width = 32; e.shape = LaneShape::I32x4; }
      else if (shape == "i64x2") { lanes = 2; width = 64; e.shape = LaneShape::I64x2; }
      else if (shape == "f32x4") { lanes = 4; width = 32; isFloat = true; e.shape = LaneShape::F32x4; }
      else if (shape == "f64x2") { lanes = 2; width = 64; isFloat = true; e.shape = LaneShape::F64x2; }
      else return fail("unknown lane shape");
      ++pos_;
      for (unsigned i = 0; i < lanes; ++i) {
        if (isFloat && nanPattern(expectation, e.nan[i])) continue;
        if (!number(width, isFloat, bits)) return false;
        std::memcpy(v.bits.bytes + i * (width / 8), &bits, width / 8);
      }
      if (!expectation) e.shape = LaneShape::None;
    } else if (kw == "ref.null") {
      if (isKw("func")) v.type = ValType::FuncRef;
      else if (isKw("extern")) v.type = ValType::ExternRef;
      else return fail("expected a heap type");
      ++pos_;
      v.isNull = true;
    } else if (kw == "ref.extern" || kw == "ref.func") {
      v.type = kw == "ref.extern" ? ValType::ExternRef : ValType::FuncRef;
      if (peek().kind == TokKind::Reserved) {
        if (!number(32, false, bits)) return false;
        v.hostRef = static_cast<uint32_t>(bits);
      } else {
        if (!expectation) return fail("expected a reference");
        v.anyNonNull = true;
      }
    } else {
      --pos_;
      return fail("expected a constant");
    }
    return expect(TokKind::RParen);
  }

  std::string_view src_;
  const std::vector<Token>& toks_;
  size_t pos_ = 0;
  size_t lineOffset_ = 0;
  uint32_t line_ = 1;
  std::optional<Error> error_;
};

}  // namespace

Result<WastScript> parseWast(std::string_view source) {
  auto tokens = tokenize(source);
  if (!tokens) return locateIn(source, tokens.takeError());
  ScriptParser parser(source, *tokens);
  auto script = parser.parse();
  if (!script) return locateIn(source, script.takeError());
  return script;
}

}  // namespace orca::text
