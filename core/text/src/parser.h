// The WAT parser: token vector in, ir::Module out. Shared by parseWat and parseWast (which hands
// it the token range of each module in a script, so a script is tokenized only once).
//
// Internally, parse functions return bool and record the first error in `error_`; the public
// entry points turn that into a Result, so nothing throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lexer.h"
#include "numbers.h"
#include "orca/ir/module.h"

namespace orca::text {

class Parser {
 public:
  // Tokens [first, last) of `tokens` form the module: `(module $id? field*)` or bare fields.
  Parser(std::string_view source, const std::vector<Token>& tokens, size_t first, size_t last)
      : src_(source), toks_(tokens), pos_(first), first_(first), last_(last) {}

  // Parses the module; `name` receives the module's $id when it has one.
  Result<ir::Module> parseModule(std::optional<std::string>* name = nullptr);

 private:
  // Index spaces that identifiers name.
  enum Space : uint8_t { kType, kFunc, kTable, kMemory, kGlobal, kElem, kData, kSpaceCount };
  using NameMap = std::unordered_map<std::string_view, uint32_t>;

  // --- tokens (parser.cpp) ---
  const Token& peek(size_t k = 0) const;
  std::string_view text(const Token& t) const { return src_.substr(t.begin, t.end - t.begin); }
  std::string_view peekText(size_t k = 0) const { return text(peek(k)); }
  bool isKw(std::string_view kw, size_t k = 0) const;
  bool isLParenKw(std::string_view kw, size_t k = 0) const;  // `(` kw at k
  bool atRParen() const { return peek().kind == TokKind::RParen; }
  bool isNumberLike(const Token& t) const;
  bool isLaneLiteral(const Token& t) const;  // what a v128.const or shuffle lane may be
  bool isIndexToken(size_t k = 0) const;  // an $id or a nat at k
  bool fail(std::string message, const Token& at);
  bool fail(std::string message) { return fail(std::move(message), peek()); }
  bool failUnexpected();
  bool failNumber(const Token& t, NumStatus st, std::string_view rangeMessage = "constant out of range");
  bool expectLParen();
  bool expectRParen();
  bool expectKw(std::string_view kw);
  bool skipSexpr();  // at `(`: skips to after the matching `)`
  std::optional<std::string_view> takeId();
  bool parseString(std::string& out);
  bool parseName(std::string& out);  // a string that must be UTF-8
  bool parseU32(uint32_t& out, std::string_view rangeMessage = "constant out of range");
  bool parseValType(ir::ValType& out);
  bool parseRefType(ir::ValType& out);
  bool parseHeapType(ir::ValType& out);  // func | extern
  bool parseIndex(Space space, uint32_t& out);
  bool parseLimits(ir::Limits& out);

  // --- module fields (module_parser.cpp) ---
  bool scanFields();  // pass 1: explicit types, identifiers, import order
  bool scanField();
  bool bindName(Space space, std::optional<std::string_view> id, uint32_t index);
  bool parseField();
  bool parseTypeField();
  bool parseFuncType(ir::FuncType& out, std::vector<std::string_view>* paramIds);
  bool parseTypeUse(uint32_t& typeIdx, std::vector<std::string_view>* paramIds, bool& hadInline);
  uint32_t findOrAddType(const ir::FuncType& type);
  bool parseInlineExports(ir::ExternKind kind, uint32_t index);
  bool parseInlineImport(std::optional<std::pair<std::string, std::string>>& out);
  bool parseImportField();
  bool parseFuncField();
  bool parseTableField();
  bool parseMemoryField();
  bool parseGlobalField();
  bool parseGlobalType(ir::GlobalType& out);
  bool parseExportField();
  bool parseStartField();
  bool parseElemField();
  bool parseElemList(ir::ElemSegment& seg, bool allowBareIndices);
  bool parseElemExpr(ir::InstrSeq& out);
  bool parseOffset(ir::InstrSeq& out);
  bool parseDataField();

  // --- instructions (instr_parser.cpp) ---
  bool parseExpr(ir::InstrSeq& out);  // instr* then an implicit `end`
  bool parseInstrs(ir::InstrSeq& out);
  bool parseInstr(ir::InstrSeq& out);
  bool parseFoldedInstr(ir::InstrSeq& out);
  bool parseBlockType(ir::Instr& instr);
  bool parseLabelDef(std::string_view& label);
  bool parseEndLabel(std::string_view label);
  bool parseLabel(uint32_t& out);
  bool parseLocalIndex(uint32_t& out);
  bool parseImmediates(ir::Opcode op, ir::InstrSeq& seq, ir::Instr& instr);
  bool parseMemArg(ir::Opcode op, ir::Instr& instr);
  bool parseLaneIndex(uint8_t& out);
  bool parseV128Const(ir::V128& out);
  bool parseShuffle(ir::V128& out);
  bool failUnknownOperator(const Token& t);
  void openBlock(ir::InstrSeq& seq, ir::Instr instr, std::string_view label);
  void emitElse(ir::InstrSeq& seq);
  void closeBlock(ir::InstrSeq& seq);

  std::string_view src_;
  const std::vector<Token>& toks_;
  size_t pos_;
  size_t first_, last_;
  mutable Token eof_;
  std::optional<Error> error_;

  ir::Module module_;
  NameMap names_[kSpaceCount];
  uint32_t counts_[kSpaceCount] = {};
  uint32_t explicitTypes_ = 0;
  bool usesDataCount_ = false;
  bool seenDefinition_[4] = {};  // func, global, table, memory defined (not imported)

  // Pass 2 counters: the next index in each space, as fields are met in order.
  uint32_t next_[kSpaceCount] = {};

  // The function being parsed.
  NameMap locals_;
  uint32_t localCount_ = 0;
  std::vector<std::string_view> labels_;  // innermost last; empty view for an unnamed label
  std::vector<uint32_t> openBlocks_;      // positions of block/loop/if without their end yet
  // Nesting of folded instructions and blocks; bounded so that hostile input cannot overflow
  // the native stack of the recursive descent.
  uint32_t depth_ = 0;
  static constexpr uint32_t kMaxDepth = 2000;
};

}  // namespace orca::text
