// Instructions: plain and folded forms, block structure with labels, and every immediate kind
// of the opcode table (memargs, lanes, v128 constants, shuffles, reference types, indices).
#include <bit>
#include <cstring>

#include "parser.h"

namespace orca::text {

using ir::ImmKind;
using ir::Instr;
using ir::InstrSeq;
using ir::Opcode;
using ir::ValType;

namespace {

// Keywords of the grammar that are not instructions: meeting one where an instruction goes is
// a syntax error ("unexpected token"), while any other keyword is an "unknown operator".
bool isStructuralKeyword(std::string_view kw) {
  static constexpr std::string_view kWords[] = {
      "module", "type", "func", "param", "result", "local", "import", "export", "table",
      "memory", "global", "elem", "data", "offset", "item", "declare", "start", "mut", "then",
      "else", "end", "funcref", "externref", "i32", "i64", "f32", "f64", "v128", "extern",
      "quote", "binary", "register", "invoke", "get"};
  for (std::string_view w : kWords)
    if (w == kw) return true;
  return false;
}

template <typename T>
void storeLe(ir::V128& v, size_t lane, T value) {
  std::memcpy(v.bytes + lane * sizeof(T), &value, sizeof(T));
}

}  // namespace

bool Parser::failUnknownOperator(const Token& t) {
  if (t.kind == TokKind::Keyword) {
    if (isStructuralKeyword(text(t))) return fail("unexpected token", t);
    return fail("unknown operator " + std::string(text(t)), t);
  }
  if (t.kind == TokKind::Reserved && !isNumberLike(t)) return fail("unknown operator", t);
  return fail("unexpected token", t);
}

bool Parser::parseExpr(InstrSeq& out) {
  if (!parseInstrs(out)) return false;
  Instr end;
  end.op = Opcode::End;
  out.code.push_back(end);
  return true;
}

bool Parser::parseInstrs(InstrSeq& out) {
  while (true) {
    const Token& t = peek();
    if (t.kind == TokKind::LParen) {
      if (!parseFoldedInstr(out)) return false;
    } else if (t.kind == TokKind::Keyword) {
      std::string_view kw = text(t);
      if (kw == "end" || kw == "else") return true;  // the enclosing block takes it
      if (!parseInstr(out)) return false;
    } else if (t.kind == TokKind::RParen || t.kind == TokKind::Eof) {
      return true;
    } else {
      return failUnknownOperator(t);
    }
  }
}

void Parser::openBlock(InstrSeq& seq, Instr instr, std::string_view label) {
  openBlocks_.push_back(static_cast<uint32_t>(seq.code.size()));
  seq.code.push_back(instr);
  labels_.push_back(label);
}

void Parser::emitElse(InstrSeq& seq) {
  uint32_t at = static_cast<uint32_t>(seq.code.size());
  Instr e;
  e.op = Opcode::Else;
  seq.code.push_back(e);
  if (!openBlocks_.empty()) {
    Instr& open = seq.code[openBlocks_.back()];
    open.c = (open.c & 0xFFFFFFFFu) | (uint64_t(at) << 32);
  }
}

void Parser::closeBlock(InstrSeq& seq) {
  uint32_t at = static_cast<uint32_t>(seq.code.size());
  Instr e;
  e.op = Opcode::End;
  seq.code.push_back(e);
  if (!openBlocks_.empty()) {
    Instr& open = seq.code[openBlocks_.back()];
    open.c = (open.c & ~uint64_t(0xFFFFFFFFu)) | at;
    openBlocks_.pop_back();
  }
  if (!labels_.empty()) labels_.pop_back();
}

bool Parser::parseLabelDef(std::string_view& label) {
  auto id = takeId();
  label = id ? *id : std::string_view();
  return true;
}

bool Parser::parseEndLabel(std::string_view label) {
  if (peek().kind != TokKind::Id) return true;
  if (label.empty() || peekText() != label) return fail("mismatching label");
  ++pos_;
  return true;
}

// blocktype ::= (type x)? param* result*, collapsed to [] or one valtype when it can be.
bool Parser::parseBlockType(Instr& instr) {
  std::optional<uint32_t> explicitIdx;
  const Token& typeTok = peek(2);
  if (isLParenKw("type")) {
    pos_ += 2;
    uint32_t x = 0;
    if (!parseIndex(kType, x) || !expectRParen()) return false;
    explicitIdx = x;
  }
  // Block parameters cannot be named.
  for (size_t k = 0; isLParenKw("param", k); ) {
    if (peek(k + 2).kind == TokKind::Id) return fail("unexpected token", peek(k + 2));
    size_t depth = 0;
    do {
      if (peek(k).kind == TokKind::LParen) ++depth;
      else if (peek(k).kind == TokKind::RParen) --depth;
      else if (peek(k).kind == TokKind::Eof) break;
      ++k;
    } while (depth > 0);
  }
  ir::FuncType type;
  size_t before = pos_;
  if (!parseFuncType(type, nullptr)) return false;
  bool hadInline = pos_ != before;
  if (explicitIdx) {
    if (hadInline) {
      if (*explicitIdx >= module_.types.size()) return fail("unknown type", typeTok);
      if (!(module_.types[*explicitIdx] == type)) return fail("inline function type", typeTok);
    }
    instr.a = *explicitIdx;
    instr.b = static_cast<uint32_t>(ir::BlockTypeKind::TypeIndex);
  } else if (type.params.empty() && type.results.empty()) {
    instr.b = static_cast<uint32_t>(ir::BlockTypeKind::Empty);
  } else if (type.params.empty() && type.results.size() == 1) {
    instr.a = static_cast<uint8_t>(type.results[0]);
    instr.b = static_cast<uint32_t>(ir::BlockTypeKind::Value);
  } else {
    instr.a = findOrAddType(type);
    instr.b = static_cast<uint32_t>(ir::BlockTypeKind::TypeIndex);
  }
  return true;
}

// A plain instruction, including the block instructions with their `end`.
namespace {
// Counts one level of nesting for the lifetime of a parse call.
struct DepthGuard {
  uint32_t& depth;
  explicit DepthGuard(uint32_t& d) : depth(d) { ++depth; }
  ~DepthGuard() { --depth; }
};
}  // namespace

bool Parser::parseInstr(InstrSeq& out) {
  DepthGuard guard(depth_);
  if (depth_ > kMaxDepth) return fail("nesting too deep");
  const Token& t = peek();
  std::string_view kw = text(t);
  if (kw == "block" || kw == "loop" || kw == "if") {
    ++pos_;
    Instr instr;
    instr.op = kw == "block" ? Opcode::Block : kw == "loop" ? Opcode::Loop : Opcode::If;
    std::string_view label;
    if (!parseLabelDef(label) || !parseBlockType(instr)) return false;
    openBlock(out, instr, label);
    if (!parseInstrs(out)) return false;
    if (instr.op == Opcode::If && isKw("else")) {
      ++pos_;
      if (!parseEndLabel(label)) return false;
      emitElse(out);
      if (!parseInstrs(out)) return false;
    }
    if (!expectKw("end") || !parseEndLabel(label)) return false;
    closeBlock(out);
    return true;
  }
  auto op = ir::opcodeFromName(kw);
  if (!op) return failUnknownOperator(t);
  ++pos_;
  Instr instr;
  instr.op = *op;
  if (!parseImmediates(*op, out, instr)) return false;
  out.code.push_back(instr);
  return true;
}

bool Parser::parseFoldedInstr(InstrSeq& out) {
  DepthGuard guard(depth_);
  if (depth_ > kMaxDepth) return fail("nesting too deep");
  if (!expectLParen()) return false;
  const Token& t = peek();
  if (t.kind != TokKind::Keyword) return failUnknownOperator(t);
  std::string_view kw = text(t);
  if (kw == "block" || kw == "loop") {
    ++pos_;
    Instr instr;
    instr.op = kw == "block" ? Opcode::Block : Opcode::Loop;
    std::string_view label;
    if (!parseLabelDef(label) || !parseBlockType(instr)) return false;
    openBlock(out, instr, label);
    if (!parseInstrs(out) || !expectRParen()) return false;
    closeBlock(out);
    return true;
  }
  if (kw == "if") {
    ++pos_;
    Instr instr;
    instr.op = Opcode::If;
    std::string_view label;
    if (!parseLabelDef(label) || !parseBlockType(instr)) return false;
    // The condition is folded instructions before (then ...); the label is not in scope there.
    while (peek().kind == TokKind::LParen && !isLParenKw("then")) {
      if (!parseFoldedInstr(out)) return false;
    }
    openBlock(out, instr, label);
    if (!isLParenKw("then")) return failUnexpected();
    pos_ += 2;
    if (!parseInstrs(out) || !expectRParen()) return false;
    if (isLParenKw("else")) {
      pos_ += 2;
      emitElse(out);
      if (!parseInstrs(out) || !expectRParen()) return false;
    }
    if (!expectRParen()) return false;
    closeBlock(out);
    return true;
  }
  auto op = ir::opcodeFromName(kw);
  if (!op) return failUnknownOperator(t);
  ++pos_;
  Instr instr;
  instr.op = *op;
  if (!parseImmediates(*op, out, instr)) return false;
  while (peek().kind == TokKind::LParen) {
    if (!parseFoldedInstr(out)) return false;
  }
  if (!expectRParen()) return false;
  out.code.push_back(instr);
  return true;
}

bool Parser::parseLabel(uint32_t& out) {
  const Token& t = peek();
  if (t.kind == TokKind::Id) {
    std::string_view id = text(t);
    for (size_t i = labels_.size(); i-- > 0;) {
      if (labels_[i] == id) {
        out = static_cast<uint32_t>(labels_.size() - 1 - i);
        ++pos_;
        return true;
      }
    }
    return fail("unknown label " + std::string(id), t);
  }
  return parseU32(out);
}

bool Parser::parseLocalIndex(uint32_t& out) {
  const Token& t = peek();
  if (t.kind == TokKind::Id) {
    auto it = locals_.find(text(t));
    if (it == locals_.end()) return fail("unknown local " + std::string(text(t)), t);
    out = it->second;
    ++pos_;
    return true;
  }
  return parseU32(out);
}

// memarg ::= ('offset=' u32)? ('align=' u32)?
bool Parser::parseMemArg(Opcode op, Instr& instr) {
  instr.align = static_cast<uint8_t>(ir::naturalAlignment(op));
  instr.c = 0;
  if (peek().kind == TokKind::Keyword && peekText().substr(0, 7) == "offset=") {
    const Token& t = peek();
    uint64_t v = 0;
    NumStatus st = parseNat(text(t).substr(7), UINT32_MAX, v);
    if (st == NumStatus::OutOfRange) return fail("i32 constant out of range", t);
    if (st != NumStatus::Ok) return fail("unknown operator", t);
    instr.c = v;
    ++pos_;
  }
  if (peek().kind == TokKind::Keyword && peekText().substr(0, 6) == "align=") {
    const Token& t = peek();
    uint64_t v = 0;
    NumStatus st = parseNat(text(t).substr(6), UINT32_MAX, v);
    if (st == NumStatus::Malformed) return fail("unknown operator", t);
    if (st == NumStatus::OutOfRange || v == 0 || (v & (v - 1)) != 0)
      return fail("alignment must be a power of two", t);
    instr.align = static_cast<uint8_t>(std::countr_zero(v));
    ++pos_;
  }
  return true;
}

bool Parser::parseLaneIndex(uint8_t& out) {
  const Token& t = peek();
  if (t.kind != TokKind::Reserved && t.kind != TokKind::Keyword) return failUnexpected();
  uint64_t v = 0;
  NumStatus st = parseNat(text(t), 255, v);
  if (st == NumStatus::OutOfRange) return fail("malformed lane index", t);
  if (st != NumStatus::Ok) return failNumber(t, st);
  out = static_cast<uint8_t>(v);
  ++pos_;
  return true;
}

bool Parser::parseV128Const(ir::V128& out) {
  const Token& shapeTok = peek();
  if (shapeTok.kind != TokKind::Keyword) return failUnexpected();
  std::string_view shape = text(shapeTok);
  unsigned lanes, bits;
  bool isFloat = false;
  if (shape == "i8x16") { lanes = 16; bits = 8; }
  else if (shape == "i16x8") { lanes = 8; bits = 16; }
  else if (shape == "i32x4") { lanes = 4; bits = 32; }
  else if (shape == "i64x2") { lanes = 2; bits = 64; }
  else if (shape == "f32x4") { lanes = 4; bits = 32; isFloat = true; }
  else if (shape == "f64x2") { lanes = 2; bits = 64; isFloat = true; }
  else return failUnexpected();
  ++pos_;
  unsigned count = 0;
  while (true) {
    const Token& t = peek(count);
    if (isLaneLiteral(t)) ++count;
    else break;
  }
  if (count != lanes) return fail("wrong number of lane literals");
  for (unsigned i = 0; i < lanes; ++i) {
    const Token& t = peek();
    std::string_view s = text(t);
    NumStatus st;
    if (isFloat && bits == 32) {
      uint32_t b = 0;
      st = parseF32(s, b);
      storeLe(out, i, b);
    } else if (isFloat) {
      uint64_t b = 0;
      st = parseF64(s, b);
      storeLe(out, i, b);
    } else {
      uint64_t v = 0;
      st = parseInt(s, bits, v);
      if (bits == 8) storeLe(out, i, static_cast<uint8_t>(v));
      else if (bits == 16) storeLe(out, i, static_cast<uint16_t>(v));
      else if (bits == 32) storeLe(out, i, static_cast<uint32_t>(v));
      else storeLe(out, i, v);
    }
    if (st != NumStatus::Ok) return failNumber(t, st);
    ++pos_;
  }
  return true;
}

bool Parser::parseShuffle(ir::V128& out) {
  unsigned count = 0;
  while (true) {
    const Token& t = peek(count);
    if (isLaneLiteral(t)) ++count;
    else break;
  }
  if (count != 16) return fail("invalid lane length");
  for (unsigned i = 0; i < 16; ++i) {
    uint64_t v = 0;
    if (parseNat(peekText(), 255, v) != NumStatus::Ok) return fail("malformed lane index");
    out.bytes[i] = static_cast<uint8_t>(v);
    ++pos_;
  }
  return true;
}

bool Parser::parseImmediates(Opcode op, InstrSeq& seq, Instr& instr) {
  switch (ir::opInfo(op).imm) {
    case ImmKind::None:
      if (op == Opcode::Select && isLParenKw("result")) {
        // Typed select; the IR keeps the count and the first type.
        instr.op = Opcode::SelectT;
        uint32_t n = 0;
        while (isLParenKw("result")) {
          pos_ += 2;
          while (!atRParen()) {
            ValType t;
            if (!parseValType(t)) return false;
            if (n == 0) instr.a = static_cast<uint8_t>(t);
            ++n;
          }
          if (!expectRParen()) return false;
        }
        instr.b = n;
      }
      return true;
    case ImmKind::BlockType:
      return parseBlockType(instr);
    case ImmKind::Label:
      return parseLabel(instr.a);
    case ImmKind::BrTable: {
      instr.a = static_cast<uint32_t>(seq.brTargets.size());
      uint32_t n = 0;
      while (isIndexToken()) {
        uint32_t l = 0;
        if (!parseLabel(l)) return false;
        seq.brTargets.push_back(l);
        ++n;
      }
      if (n == 0) return failUnexpected();
      instr.b = n - 1;
      return true;
    }
    case ImmKind::Func:
      return parseIndex(kFunc, instr.a);
    case ImmKind::CallIndirect: {
      if (isIndexToken() && !(peek().kind == TokKind::LParen)) {
        if (!parseIndex(kTable, instr.b)) return false;
      }
      bool hadInline = false;
      std::vector<std::string_view> ids;
      if (!parseTypeUse(instr.a, &ids, hadInline)) return false;
      for (std::string_view id : ids)
        if (!id.empty()) return failUnexpected();
      return true;
    }
    case ImmKind::Local:
      return parseLocalIndex(instr.a);
    case ImmKind::Global:
      return parseIndex(kGlobal, instr.a);
    case ImmKind::Table:
      if (isIndexToken()) return parseIndex(kTable, instr.a);
      return true;
    case ImmKind::MemArg:
      return parseMemArg(op, instr);
    case ImmKind::Memory:
      return true;
    case ImmKind::I32:
    case ImmKind::I64: {
      const Token& t = peek();
      if (t.kind != TokKind::Reserved && t.kind != TokKind::Keyword) return failUnexpected();
      uint64_t v = 0;
      NumStatus st = parseInt(text(t), ir::opInfo(op).imm == ImmKind::I32 ? 32 : 64, v);
      if (st != NumStatus::Ok) return failNumber(t, st);
      instr.c = v;
      ++pos_;
      return true;
    }
    case ImmKind::F32:
    case ImmKind::F64: {
      const Token& t = peek();
      if (t.kind != TokKind::Reserved && t.kind != TokKind::Keyword) return failUnexpected();
      NumStatus st;
      if (ir::opInfo(op).imm == ImmKind::F32) {
        uint32_t b = 0;
        st = parseF32(text(t), b);
        instr.c = b;
      } else {
        uint64_t b = 0;
        st = parseF64(text(t), b);
        instr.c = b;
      }
      if (st != NumStatus::Ok) return failNumber(t, st);
      ++pos_;
      return true;
    }
    case ImmKind::V128: {
      ir::V128 v;
      if (!parseV128Const(v)) return false;
      instr.c = seq.v128s.size();
      seq.v128s.push_back(v);
      return true;
    }
    case ImmKind::Shuffle: {
      ir::V128 v;
      if (!parseShuffle(v)) return false;
      instr.c = seq.v128s.size();
      seq.v128s.push_back(v);
      return true;
    }
    case ImmKind::Lane:
      return parseLaneIndex(instr.lane);
    case ImmKind::MemArgLane:
      return parseMemArg(op, instr) && parseLaneIndex(instr.lane);
    case ImmKind::SelectT:
      return true;
    case ImmKind::RefType: {
      ValType t;
      if (!parseHeapType(t)) return false;
      instr.a = static_cast<uint8_t>(t);
      return true;
    }
    case ImmKind::MemoryInit:
      usesDataCount_ = true;
      return parseIndex(kData, instr.a);
    case ImmKind::Data:
      usesDataCount_ = true;
      return parseIndex(kData, instr.a);
    case ImmKind::MemoryCopy:
      return true;
    case ImmKind::TableInit:
      if (isIndexToken() && isIndexToken(1)) {
        if (!parseIndex(kTable, instr.b)) return false;
      }
      return parseIndex(kElem, instr.a);
    case ImmKind::Elem:
      return parseIndex(kElem, instr.a);
    case ImmKind::TableCopy:
      if (isIndexToken()) {
        if (!parseIndex(kTable, instr.a) || !parseIndex(kTable, instr.b)) return false;
      }
      return true;
  }
  return failUnexpected();
}

}  // namespace orca::text
