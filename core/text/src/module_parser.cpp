// Module fields: types, imports, functions, tables, memories, globals, exports, start, element
// and data segments, with every abbreviation of the text format expanded.
//
// Parsing takes two passes over the fields. Identifiers may be used before their definition
// (`call $later`), and an inline function type that matches no explicit type is appended after
// *all* explicit types, so pass 1 collects explicit types and binds every identifier to its
// index; pass 2 builds the module.
#include "parser.h"

namespace orca::text {

namespace {

// The import an inline `(import "module" "name")` abbreviation stands for; the caller sets its type.
ir::Import inlineImport(std::pair<std::string, std::string>&& names, ir::ExternKind kind) {
  ir::Import imp;
  imp.module = std::move(names.first);
  imp.name = std::move(names.second);
  imp.kind = kind;
  return imp;
}

}  // namespace

using ir::ExternKind;
using ir::Instr;
using ir::InstrSeq;
using ir::Opcode;
using ir::ValType;

namespace {

constexpr const char* kSpaceNames[] = {"type", "func", "table", "memory", "global", "elem", "data"};

Instr i32Const(uint32_t v) {
  Instr i;
  i.op = Opcode::I32Const;
  i.c = v;
  return i;
}

Instr endInstr() {
  Instr i;
  i.op = Opcode::End;
  return i;
}

}  // namespace

Result<ir::Module> Parser::parseModule(std::optional<std::string>* name) {
  bool wrapped = isLParenKw("module");
  if (wrapped) {
    pos_ += 2;
    if (auto id = takeId()) {
      if (name) *name = std::string(*id);
      module_.names.module = std::string(id->substr(1));
    }
  }
  // Every failing parse function records an error; the fallback only guards that invariant.
  auto takeError = [&]() {
    return error_ ? *error_ : makeError(ErrorKind::Malformed, "unexpected token", peek().begin);
  };
  const size_t fieldsStart = pos_;
  if (!scanFields()) return takeError();
  pos_ = fieldsStart;
  while (peek().kind == TokKind::LParen) {
    if (!parseField()) return takeError();
  }
  if (wrapped && !expectRParen()) return takeError();
  if (peek().kind != TokKind::Eof) {
    failUnexpected();
    return takeError();
  }
  if (usesDataCount_) module_.dataCount = static_cast<uint32_t>(module_.datas.size());
  return std::move(module_);
}

bool Parser::bindName(Space space, std::optional<std::string_view> id, uint32_t index) {
  if (!id) return true;
  if (!names_[space].emplace(*id, index).second)
    return fail(std::string("duplicate ") + kSpaceNames[space] + " " + std::string(*id), toks_[pos_ > 0 ? pos_ - 1 : 0]);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Pass 1

bool Parser::scanFields() {
  while (peek().kind == TokKind::LParen) {
    if (!scanField()) return false;
  }
  return true;
}

bool Parser::scanField() {
  const size_t start = pos_;
  // Definitions seen so far, for the rule that imports come first. The reference interpreter
  // names the kind in this priority order.
  static constexpr const char* kAfter[] = {"function", "global", "table", "memory"};
  auto checkImportOrder = [&](const Token& at) {
    for (int k = 0; k < 4; ++k)
      if (seenDefinition_[k]) return fail(std::string("import after ") + kAfter[k], at);
    return true;
  };
  if (peek(1).kind != TokKind::Keyword) {
    ++pos_;
    return failUnexpected();
  }
  std::string_view kw = peekText(1);
  if (kw == "type") return parseTypeField();

  if (kw == "import") {
    const Token& at = peek();
    if (!checkImportOrder(at)) return false;
    pos_ += 2;
    if (peek().kind == TokKind::String && peek(1).kind == TokKind::String && peek(2).kind == TokKind::LParen) {
      pos_ += 3;
      std::string_view k = peekText();
      Space space = k == "func" ? kFunc : k == "table" ? kTable : k == "memory" ? kMemory : k == "global" ? kGlobal : kSpaceCount;
      if (space != kSpaceCount) {
        ++pos_;
        if (!bindName(space, takeId(), counts_[space])) return false;
        ++counts_[space];
      }
    }
    pos_ = start;
    return skipSexpr();
  }

  Space space = kSpaceCount;
  int defKind = -1;
  if (kw == "func") { space = kFunc; defKind = 0; }
  else if (kw == "global") { space = kGlobal; defKind = 1; }
  else if (kw == "table") { space = kTable; defKind = 2; }
  else if (kw == "memory") { space = kMemory; defKind = 3; }
  else if (kw == "elem") space = kElem;
  else if (kw == "data") space = kData;
  if (space == kSpaceCount) return skipSexpr();

  pos_ += 2;
  auto id = takeId();
  if (!bindName(space, id, counts_[space])) return false;
  ++counts_[space];
  if (defKind >= 0) {
    while (isLParenKw("export"))
      if (!skipSexpr()) return false;
    if (isLParenKw("import")) {
      if (!checkImportOrder(peek())) return false;
    } else {
      seenDefinition_[defKind] = true;
      // Inline segments take the next index in their own space.
      if (space == kTable && peek(1).kind == TokKind::LParen && isKw("elem", 2)) ++counts_[kElem];
      if (space == kMemory && isLParenKw("data")) ++counts_[kData];
    }
  }
  pos_ = start;
  return skipSexpr();
}

// ---------------------------------------------------------------------------------------------
// Pass 2

bool Parser::parseField() {
  if (peek(1).kind != TokKind::Keyword) {
    ++pos_;
    return failUnexpected();
  }
  std::string_view kw = peekText(1);
  if (kw == "type") return skipSexpr();  // done in pass 1
  if (kw == "import") return parseImportField();
  if (kw == "func") return parseFuncField();
  if (kw == "table") return parseTableField();
  if (kw == "memory") return parseMemoryField();
  if (kw == "global") return parseGlobalField();
  if (kw == "export") return parseExportField();
  if (kw == "start") return parseStartField();
  if (kw == "elem") return parseElemField();
  if (kw == "data") return parseDataField();
  ++pos_;
  return failUnexpected();
}

// type ::= (type id? (func param* result*))
bool Parser::parseTypeField() {
  pos_ += 2;
  auto id = takeId();
  if (!expectLParen() || !expectKw("func")) return false;
  ir::FuncType type;
  if (!parseFuncType(type, nullptr)) return false;
  if (!expectRParen() || !expectRParen()) return false;
  if (!bindName(kType, id, explicitTypes_)) return false;
  ++explicitTypes_;
  module_.types.push_back(std::move(type));
  return true;
}

// param* result*, where a param is `(param id valtype)` or `(param valtype*)`. `paramIds`
// receives one entry per parameter (empty view when unnamed); when null, ids are not allowed
// (block types) — except in `type` definitions, which accept and ignore them.
bool Parser::parseFuncType(ir::FuncType& out, std::vector<std::string_view>* paramIds) {
  while (isLParenKw("param")) {
    pos_ += 2;
    if (auto id = takeId()) {
      ValType t;
      if (!parseValType(t)) return false;
      out.params.push_back(t);
      if (paramIds) paramIds->push_back(*id);
    } else {
      while (!atRParen()) {
        ValType t;
        if (!parseValType(t)) return false;
        out.params.push_back(t);
        if (paramIds) paramIds->push_back({});
      }
    }
    if (!expectRParen()) return false;
  }
  while (isLParenKw("result")) {
    pos_ += 2;
    while (!atRParen()) {
      ValType t;
      if (!parseValType(t)) return false;
      out.results.push_back(t);
    }
    if (!expectRParen()) return false;
  }
  if (isLParenKw("param")) return failUnexpected();  // parameters come before results
  return true;
}

uint32_t Parser::findOrAddType(const ir::FuncType& type) {
  for (size_t i = 0; i < module_.types.size(); ++i)
    if (module_.types[i] == type) return static_cast<uint32_t>(i);
  module_.types.push_back(type);
  return static_cast<uint32_t>(module_.types.size() - 1);
}

// typeuse ::= (type x) | (type x) param* result* | param* result*
bool Parser::parseTypeUse(uint32_t& typeIdx, std::vector<std::string_view>* paramIds, bool& hadInline) {
  std::optional<uint32_t> explicitIdx;
  const Token& typeTok = peek(2);
  if (isLParenKw("type")) {
    pos_ += 2;
    uint32_t x = 0;
    if (!parseIndex(kType, x) || !expectRParen()) return false;
    explicitIdx = x;
  }
  ir::FuncType inlineType;
  size_t before = pos_;
  if (!parseFuncType(inlineType, paramIds)) return false;
  hadInline = pos_ != before;
  if (explicitIdx) {
    typeIdx = *explicitIdx;
    if (hadInline) {
      if (typeIdx >= module_.types.size()) return fail("unknown type", typeTok);
      if (!(module_.types[typeIdx] == inlineType)) return fail("inline function type", typeTok);
    }
    return true;
  }
  typeIdx = findOrAddType(inlineType);
  return true;
}

bool Parser::parseInlineExports(ExternKind kind, uint32_t index) {
  while (isLParenKw("export")) {
    pos_ += 2;
    ir::Export e;
    if (!parseName(e.name) || !expectRParen()) return false;
    e.kind = kind;
    e.index = index;
    module_.exports.push_back(std::move(e));
  }
  return true;
}

bool Parser::parseInlineImport(std::optional<std::pair<std::string, std::string>>& out) {
  if (!isLParenKw("import")) return true;
  pos_ += 2;
  std::pair<std::string, std::string> names;
  if (!parseName(names.first) || !parseName(names.second) || !expectRParen()) return false;
  out = std::move(names);
  return true;
}

bool Parser::parseGlobalType(ir::GlobalType& out) {
  if (isLParenKw("mut")) {
    pos_ += 2;
    if (!parseValType(out.type) || !expectRParen()) return false;
    out.mut = ir::Mutability::Var;
    return true;
  }
  out.mut = ir::Mutability::Const;
  return parseValType(out.type);
}

// import ::= (import name name importdesc)
bool Parser::parseImportField() {
  pos_ += 2;
  ir::Import imp;
  if (!parseName(imp.module) || !parseName(imp.name) || !expectLParen()) return false;
  std::string_view kw = peek().kind == TokKind::Keyword ? peekText() : std::string_view();
  ++pos_;
  auto id = takeId();  // bound in pass 1
  if (kw == "func") {
    imp.kind = ExternKind::Func;
    if (id) module_.names.functions[next_[kFunc]] = std::string(id->substr(1));
    uint32_t t = 0;
    bool hadInline = false;
    std::vector<std::string_view> ids;
    if (!parseTypeUse(t, &ids, hadInline)) return false;
    imp.funcType = ir::TypeIdx(t);
    ++next_[kFunc];
  } else if (kw == "table") {
    imp.kind = ExternKind::Table;
    if (!parseLimits(imp.table.limits) || !parseRefType(imp.table.elem)) return false;
    ++next_[kTable];
  } else if (kw == "memory") {
    imp.kind = ExternKind::Memory;
    if (!parseLimits(imp.memory.limits)) return false;
    ++next_[kMemory];
  } else if (kw == "global") {
    imp.kind = ExternKind::Global;
    if (!parseGlobalType(imp.global)) return false;
    ++next_[kGlobal];
  } else {
    --pos_;
    return failUnexpected();
  }
  if (!expectRParen() || !expectRParen()) return false;
  module_.addImport(std::move(imp));
  return true;
}

// func ::= (func id? (export name)* (import name name)? typeuse local* instr*)
bool Parser::parseFuncField() {
  pos_ += 2;
  auto id = takeId();
  const uint32_t index = next_[kFunc]++;
  // Function names go to the name section, for backtraces.
  if (id) module_.names.functions[index] = std::string(id->substr(1));
  if (!parseInlineExports(ExternKind::Func, index)) return false;
  std::optional<std::pair<std::string, std::string>> import;
  if (!parseInlineImport(import)) return false;
  uint32_t typeIdx = 0;
  bool hadInline = false;
  std::vector<std::string_view> paramIds;
  if (!parseTypeUse(typeIdx, &paramIds, hadInline)) return false;
  if (import) {
    ir::Import imp = inlineImport(std::move(*import), ExternKind::Func);
    imp.funcType = ir::TypeIdx(typeIdx);
    module_.addImport(std::move(imp));
    return expectRParen();
  }

  locals_.clear();
  labels_.clear();
  openBlocks_.clear();
  localCount_ = 0;
  if (hadInline || typeIdx >= module_.types.size()) {
    for (std::string_view id : paramIds) {
      if (!id.empty() && !locals_.emplace(id, localCount_).second)
        return fail("duplicate local " + std::string(id));
      ++localCount_;
    }
  } else {
    localCount_ = static_cast<uint32_t>(module_.types[typeIdx].params.size());
  }

  ir::Function func;
  func.type = ir::TypeIdx(typeIdx);
  auto addLocal = [&](ValType t) {
    if (!func.localRuns.empty() && func.localRuns.back().second == t) ++func.localRuns.back().first;
    else func.localRuns.emplace_back(1, t);
    ++func.localCount;
    ++localCount_;
  };
  while (isLParenKw("local")) {
    pos_ += 2;
    if (auto id = takeId()) {
      if (!locals_.emplace(*id, localCount_).second) return fail("duplicate local " + std::string(*id));
      ValType t;
      if (!parseValType(t)) return false;
      addLocal(t);
    } else {
      while (!atRParen()) {
        ValType t;
        if (!parseValType(t)) return false;
        addLocal(t);
      }
    }
    if (!expectRParen()) return false;
  }
  if (!parseExpr(func.body) || !expectRParen()) return false;
  module_.functions.push_back(std::move(func));
  return true;
}

// table ::= (table id? (export)* (import)? tabletype) | (table id? (export)* reftype (elem ...))
bool Parser::parseTableField() {
  pos_ += 2;
  takeId();
  const uint32_t index = next_[kTable]++;
  if (!parseInlineExports(ExternKind::Table, index)) return false;
  std::optional<std::pair<std::string, std::string>> import;
  if (!parseInlineImport(import)) return false;
  ir::TableType type;
  if (!import && peek().kind == TokKind::Keyword && isLParenKw("elem", 1)) {
    if (!parseRefType(type.elem)) return false;
    pos_ += 2;
    ir::ElemSegment seg;
    seg.type = type.elem;
    seg.mode = ir::SegmentMode::Active;
    seg.table = ir::TableIdx(index);
    seg.offset.code = {i32Const(0), endInstr()};
    if (peek().kind == TokKind::LParen) {
      // Expressions, of the table's reference type.
      while (!atRParen()) {
        ir::InstrSeq e;
        if (!parseElemExpr(e)) return false;
        seg.init.push_back(std::move(e));
      }
    } else if (!parseElemList(seg, /*allowBareIndices=*/true)) {
      return false;
    }
    if (!expectRParen()) return false;
    type.limits.min = seg.init.size();
    type.limits.max = seg.init.size();
    module_.tables.push_back(type);
    module_.elems.push_back(std::move(seg));
    ++next_[kElem];
    return expectRParen();
  }
  if (!parseLimits(type.limits) || !parseRefType(type.elem)) return false;
  if (import) {
    ir::Import imp = inlineImport(std::move(*import), ExternKind::Table);
    imp.table = type;
    module_.addImport(std::move(imp));
  } else {
    module_.tables.push_back(type);
  }
  return expectRParen();
}

// memory ::= (memory id? (export)* (import)? memtype) | (memory id? (export)* (data string*))
bool Parser::parseMemoryField() {
  pos_ += 2;
  takeId();
  const uint32_t index = next_[kMemory]++;
  if (!parseInlineExports(ExternKind::Memory, index)) return false;
  std::optional<std::pair<std::string, std::string>> import;
  if (!parseInlineImport(import)) return false;
  ir::MemoryType type;
  if (!import && isLParenKw("data")) {
    pos_ += 2;
    ir::DataSegment seg;
    seg.mode = ir::SegmentMode::Active;
    seg.memory = ir::MemIdx(index);
    seg.offset.code = {i32Const(0), endInstr()};
    while (!atRParen()) {
      std::string bytes;
      if (!parseString(bytes)) return false;
      seg.init.insert(seg.init.end(), bytes.begin(), bytes.end());
    }
    if (!expectRParen()) return false;
    uint64_t pages = (seg.init.size() + ir::kPageSize - 1) / ir::kPageSize;
    type.limits.min = pages;
    type.limits.max = pages;
    module_.memories.push_back(type);
    module_.datas.push_back(std::move(seg));
    ++next_[kData];
    return expectRParen();
  }
  if (!parseLimits(type.limits)) return false;
  if (import) {
    ir::Import imp = inlineImport(std::move(*import), ExternKind::Memory);
    imp.memory = type;
    module_.addImport(std::move(imp));
  } else {
    module_.memories.push_back(type);
  }
  return expectRParen();
}

// global ::= (global id? (export)* (import)? globaltype expr?)
bool Parser::parseGlobalField() {
  pos_ += 2;
  takeId();
  const uint32_t index = next_[kGlobal]++;
  if (!parseInlineExports(ExternKind::Global, index)) return false;
  std::optional<std::pair<std::string, std::string>> import;
  if (!parseInlineImport(import)) return false;
  ir::Global global;
  if (!parseGlobalType(global.type)) return false;
  if (import) {
    ir::Import imp = inlineImport(std::move(*import), ExternKind::Global);
    imp.global = global.type;
    module_.addImport(std::move(imp));
    return expectRParen();
  }
  labels_.clear();
  locals_.clear();
  openBlocks_.clear();
  if (!parseExpr(global.init) || !expectRParen()) return false;
  module_.globals.push_back(std::move(global));
  return true;
}

// export ::= (export name (func|table|memory|global x))
bool Parser::parseExportField() {
  pos_ += 2;
  ir::Export e;
  if (!parseName(e.name) || !expectLParen()) return false;
  Space space;
  if (isKw("func")) { e.kind = ExternKind::Func; space = kFunc; }
  else if (isKw("table")) { e.kind = ExternKind::Table; space = kTable; }
  else if (isKw("memory")) { e.kind = ExternKind::Memory; space = kMemory; }
  else if (isKw("global")) { e.kind = ExternKind::Global; space = kGlobal; }
  else return failUnexpected();
  ++pos_;
  if (!parseIndex(space, e.index) || !expectRParen() || !expectRParen()) return false;
  module_.exports.push_back(std::move(e));
  return true;
}

bool Parser::parseStartField() {
  const Token& at = peek();
  pos_ += 2;
  uint32_t f = 0;
  if (!parseIndex(kFunc, f) || !expectRParen()) return false;
  if (module_.start) return fail("multiple start sections", at);
  module_.start = ir::FuncIdx(f);
  return true;
}

// An element expression: (item instr*) or one folded instruction.
bool Parser::parseElemExpr(InstrSeq& out) {
  if (isLParenKw("item")) {
    pos_ += 2;
    return parseExpr(out) && expectRParen();
  }
  if (peek().kind != TokKind::LParen) return failUnexpected();
  if (!parseFoldedInstr(out)) return false;
  out.code.push_back(endInstr());
  return true;
}

// elemlist ::= reftype elemexpr* | func funcidx*   (and, where allowed, bare funcidx*)
bool Parser::parseElemList(ir::ElemSegment& seg, bool allowBareIndices) {
  auto funcIndices = [&]() {
    seg.type = ValType::FuncRef;
    while (!atRParen()) {
      uint32_t f = 0;
      if (!parseIndex(kFunc, f)) return false;
      InstrSeq e;
      Instr r;
      r.op = Opcode::RefFunc;
      r.a = f;
      e.code = {r, endInstr()};
      seg.init.push_back(std::move(e));
    }
    return true;
  };
  if (isKw("func")) {
    ++pos_;
    return funcIndices();
  }
  if (isKw("funcref") || isKw("externref")) {
    if (!parseRefType(seg.type)) return false;
    while (!atRParen()) {
      InstrSeq e;
      labels_.clear();
      locals_.clear();
      openBlocks_.clear();
      if (!parseElemExpr(e)) return false;
      seg.init.push_back(std::move(e));
    }
    return true;
  }
  if (allowBareIndices) return funcIndices();
  return failUnexpected();
}

// offset ::= (offset instr*) | one folded instruction
bool Parser::parseOffset(InstrSeq& out) {
  labels_.clear();
  locals_.clear();
  openBlocks_.clear();
  if (isLParenKw("offset")) {
    pos_ += 2;
    return parseExpr(out) && expectRParen();
  }
  if (peek().kind != TokKind::LParen) return failUnexpected();
  if (!parseFoldedInstr(out)) return false;
  out.code.push_back(endInstr());
  return true;
}

// elem ::= (elem id? elemlist)                              passive
//        | (elem id? declare elemlist)                      declarative
//        | (elem id? (table x)? offset elemlist)            active
//        | (elem id? offset funcidx*)                       active, table 0
bool Parser::parseElemField() {
  pos_ += 2;
  takeId();
  ++next_[kElem];
  ir::ElemSegment seg;
  if (isKw("declare")) {
    ++pos_;
    seg.mode = ir::SegmentMode::Declarative;
    if (!parseElemList(seg, false)) return false;
  } else if (peek().kind == TokKind::LParen || isIndexToken()) {
    seg.mode = ir::SegmentMode::Active;
    uint32_t table = 0;
    if (isLParenKw("table")) {
      pos_ += 2;
      if (!parseIndex(kTable, table) || !expectRParen()) return false;
    } else if (isIndexToken()) {
      // The 1.0 form names the table with a bare index.
      if (!parseIndex(kTable, table)) return false;
    }
    seg.table = ir::TableIdx(table);
    if (!parseOffset(seg.offset)) return false;
    if (!parseElemList(seg, /*allowBareIndices=*/true)) return false;
  } else {
    seg.mode = ir::SegmentMode::Passive;
    if (!parseElemList(seg, false)) return false;
  }
  if (!expectRParen()) return false;
  module_.elems.push_back(std::move(seg));
  return true;
}

// data ::= (data id? string*) | (data id? (memory x)? offset string*)
bool Parser::parseDataField() {
  pos_ += 2;
  takeId();
  ++next_[kData];
  ir::DataSegment seg;
  if (peek().kind == TokKind::LParen || isIndexToken()) {
    seg.mode = ir::SegmentMode::Active;
    uint32_t mem = 0;
    if (isLParenKw("memory")) {
      pos_ += 2;
      if (!parseIndex(kMemory, mem) || !expectRParen()) return false;
    } else if (isIndexToken()) {
      if (!parseIndex(kMemory, mem)) return false;
    }
    seg.memory = ir::MemIdx(mem);
    if (!parseOffset(seg.offset)) return false;
  } else {
    seg.mode = ir::SegmentMode::Passive;
  }
  while (!atRParen()) {
    std::string bytes;
    if (!parseString(bytes)) return false;
    seg.init.insert(seg.init.end(), bytes.begin(), bytes.end());
  }
  if (!expectRParen()) return false;
  module_.datas.push_back(std::move(seg));
  return true;
}

}  // namespace orca::text
