// The WebAssembly 2.0 binary decoder: one forward pass over the bytes, straight into the module IR.
//
// Error wording follows the spec test suite (and the reference interpreter it was written against)
// so that the spec runner can compare messages by prefix. Where the suite depends on how far a
// decoder reads past a too-small section, we read on as the reference interpreter does; see
// reader.h.
#include "orca/decode/decode.h"

#include <array>
#include <cstdio>
#include <utility>

#include "reader.h"

namespace orca::decode {
namespace {

using detail::EndWording;
using detail::Reader;
using ir::BlockTypeKind;
using ir::ImmKind;
using ir::Instr;
using ir::InstrSeq;
using ir::Opcode;
using ir::ValType;

// The one-byte opcodes, expanded once from the shared opcode table so that the hot loop does one
// array load per instruction instead of a call.
struct SingleByteTable {
  struct Entry {
    Opcode op;
    ImmKind imm;
    bool valid;
  };
  std::array<Entry, 256> entries{};
  SingleByteTable() {
    for (unsigned b = 0; b < 256; ++b) {
      auto op = ir::opcodeFromByte(static_cast<uint8_t>(b));
      if (op) entries[b] = {*op, ir::opInfo(*op).imm, true};
      else entries[b] = {Opcode::Unreachable, ImmKind::None, false};
    }
  }
};
const SingleByteTable& singleByteTable() {
  static const SingleByteTable table;
  return table;
}

// Section ids in the order the binary format requires them (the data count section, id 12, sits
// between the element and code sections).
int sectionRank(uint8_t id) {
  switch (id) {
    case 12: return 10;
    case 10: return 11;
    case 11: return 12;
    default: return id;  // 1..9
  }
}

class ModuleDecoder {
 public:
  ModuleDecoder(std::span<const uint8_t> bytes, Bodies bodies)
      : in_(bytes.data(), bytes.data(), bytes.data() + bytes.size()), ops_(singleByteTable()), bodies_(bodies) {}

  Result<ir::Module> run();

 private:
  // Types.
  ValType valType();
  ValType refType();
  ir::Limits limits();
  ir::TableType tableType();
  ir::MemoryType memoryType();
  ir::GlobalType globalType();

  // Sections.
  void typeSection();
  void importSection();
  void functionSection();
  void tableSection();
  void memorySection();
  void globalSection();
  void exportSection();
  void startSection();
  void elementSection();
  void dataCountSection();
  void codeSection();
  void dataSection();
  void customSection(size_t sectionEnd);

  // Instructions. `inFunction` marks function bodies (they alone need the data count section).
  void expr(InstrSeq& seq, bool inFunction);
  void memArg(Instr& ins);
  void zeroByte();
  void checkSizeMatches(size_t expectedEnd, size_t start);

  Reader in_;
  const SingleByteTable& ops_;
  Bodies bodies_;
  ir::Module module_;
  std::vector<uint32_t> controlStack_;  // indices of open block/loop/if, reused across bodies
  bool usesDataIndex_ = false;          // memory.init or data.drop in some function body
  bool codeCountMismatch_ = false;
  bool sawCodeSection_ = false;
  uint32_t codeCount_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Types

// valtype ::= i32 | i64 | f32 | f64 | v128 | funcref | externref, one byte each. The reference
// interpreter reads the byte as an s7, so a continuation bit makes the encoding too long.
ValType ModuleDecoder::valType() {
  size_t at = in_.offset();
  uint8_t b = in_.u8();
  if (!in_.ok()) return ValType::I32;
  if (ir::isValTypeByte(b)) return static_cast<ValType>(b);
  if (b & 0x80) in_.fail("integer representation too long", at + 1);
  else in_.fail("malformed value type", at);
  return ValType::I32;
}

ValType ModuleDecoder::refType() {
  size_t at = in_.offset();
  uint8_t b = in_.u8();
  if (!in_.ok()) return ValType::FuncRef;
  if (b == 0x70 || b == 0x6F) return static_cast<ValType>(b);
  if (b & 0x80) in_.fail("integer representation too long", at + 1);
  else in_.fail("malformed reference type", at);
  return ValType::FuncRef;
}

// limits ::= 0x00 min:u32 | 0x01 min:u32 max:u32
ir::Limits ModuleDecoder::limits() {
  ir::Limits lim;
  uint32_t flag = in_.u1();
  lim.min = in_.u32();
  if (flag) lim.max = in_.u32();
  return lim;
}

ir::TableType ModuleDecoder::tableType() {
  ir::TableType t;
  t.elem = refType();
  t.limits = limits();
  return t;
}

ir::MemoryType ModuleDecoder::memoryType() {
  ir::MemoryType m;
  m.limits = limits();
  return m;
}

ir::GlobalType ModuleDecoder::globalType() {
  ir::GlobalType g;
  g.type = valType();
  size_t at = in_.offset();
  uint8_t mut = in_.u8();
  if (!in_.ok()) return g;
  if (mut > 1) in_.fail("malformed mutability", at);
  g.mut = static_cast<ir::Mutability>(mut & 1);
  return g;
}

// ---------------------------------------------------------------------------------------------
// Sections

void ModuleDecoder::typeSection() {
  uint32_t count = in_.len32();
  module_.types.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) {
    size_t at = in_.offset();
    uint8_t form = in_.u8();
    if (!in_.ok()) return;
    if (form != 0x60) {
      if (form & 0x80) in_.fail("integer representation too long", at + 1);
      else in_.fail("malformed function type", at);
      return;
    }
    ir::FuncType type;
    uint32_t params = in_.len32();
    type.params.reserve(params);
    for (uint32_t k = 0; k < params && in_.ok(); ++k) type.params.push_back(valType());
    uint32_t results = in_.len32();
    type.results.reserve(results);
    for (uint32_t k = 0; k < results && in_.ok(); ++k) type.results.push_back(valType());
    module_.types.push_back(std::move(type));
  }
}

void ModuleDecoder::importSection() {
  uint32_t count = in_.len32();
  module_.imports.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) {
    ir::Import imp;
    imp.module = in_.name();
    imp.name = in_.name();
    size_t at = in_.offset();
    uint8_t kind = in_.u8();
    if (!in_.ok()) return;
    switch (kind) {
      case 0: imp.funcType = ir::TypeIdx(in_.u32()); break;
      case 1: imp.table = tableType(); break;
      case 2: imp.memory = memoryType(); break;
      case 3: imp.global = globalType(); break;
      default: in_.fail("malformed import kind", at); return;
    }
    imp.kind = static_cast<ir::ExternKind>(kind);
    if (!in_.ok()) return;
    module_.addImport(std::move(imp));
  }
}

void ModuleDecoder::functionSection() {
  uint32_t count = in_.len32();
  module_.functions.resize(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) module_.functions[i].type = ir::TypeIdx(in_.u32());
}

void ModuleDecoder::tableSection() {
  uint32_t count = in_.len32();
  module_.tables.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) module_.tables.push_back(tableType());
}

void ModuleDecoder::memorySection() {
  uint32_t count = in_.len32();
  module_.memories.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) module_.memories.push_back(memoryType());
}

void ModuleDecoder::globalSection() {
  uint32_t count = in_.len32();
  module_.globals.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) {
    ir::Global g;
    g.type = globalType();
    expr(g.init, false);
    module_.globals.push_back(std::move(g));
  }
}

void ModuleDecoder::exportSection() {
  uint32_t count = in_.len32();
  module_.exports.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) {
    ir::Export e;
    e.name = in_.name();
    size_t at = in_.offset();
    uint8_t kind = in_.u8();
    if (!in_.ok()) return;
    if (kind > 3) {
      in_.fail("malformed export kind", at);
      return;
    }
    e.kind = static_cast<ir::ExternKind>(kind);
    e.index = in_.u32();
    module_.exports.push_back(std::move(e));
  }
}

void ModuleDecoder::startSection() { module_.start = ir::FuncIdx(in_.u32()); }

// elem ::= 0:u32 e:expr y*:vec(funcidx)                      active, table 0, funcref
//        | 1:u32 et:elemkind y*:vec(funcidx)                  passive
//        | 2:u32 x:tableidx e:expr et:elemkind y*:vec(funcidx) active
//        | 3:u32 et:elemkind y*:vec(funcidx)                  declarative
//        | 4:u32 e:expr el*:vec(expr)                         active, table 0, funcref
//        | 5:u32 et:reftype el*:vec(expr)                     passive
//        | 6:u32 x:tableidx e:expr et:reftype el*:vec(expr)   active
//        | 7:u32 et:reftype el*:vec(expr)                     declarative
void ModuleDecoder::elementSection() {
  uint32_t count = in_.len32();
  module_.elems.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) {
    ir::ElemSegment seg;
    size_t at = in_.offset();
    uint32_t flags = in_.u32();
    if (!in_.ok()) return;
    if (flags > 7) {
      in_.fail("malformed elements segment kind", at);
      return;
    }
    bool passiveOrDeclarative = flags & 1;
    bool explicitTable = flags & 2;
    bool usesExprs = flags & 4;
    if (passiveOrDeclarative) {
      seg.mode = explicitTable ? ir::SegmentMode::Declarative : ir::SegmentMode::Passive;
    } else {
      seg.mode = ir::SegmentMode::Active;
      if (explicitTable) seg.table = ir::TableIdx(in_.u32());
      expr(seg.offset, false);
    }
    // Forms 0 and 4 imply funcref; the others name the type (an elemkind byte for the index
    // forms, a reftype for the expression forms).
    if (passiveOrDeclarative || explicitTable) {
      if (usesExprs) {
        seg.type = refType();
      } else {
        size_t kindAt = in_.offset();
        uint8_t kind = in_.u8();
        if (in_.ok() && kind != 0x00) in_.fail("malformed element kind", kindAt);
        seg.type = ValType::FuncRef;
      }
    }
    uint32_t n = in_.len32();
    seg.init.resize(n);
    for (uint32_t k = 0; k < n && in_.ok(); ++k) {
      if (usesExprs) {
        expr(seg.init[k], false);
      } else {
        Instr ref;
        ref.op = Opcode::RefFunc;
        ref.offset = static_cast<uint32_t>(in_.offset());
        ref.a = in_.u32();
        Instr end;
        end.op = Opcode::End;
        end.offset = static_cast<uint32_t>(in_.offset());
        seg.init[k].code = {ref, end};
      }
    }
    module_.elems.push_back(std::move(seg));
  }
}

void ModuleDecoder::dataCountSection() { module_.dataCount = in_.u32(); }

void ModuleDecoder::checkSizeMatches(size_t expectedEnd, size_t start) {
  if (in_.ok() && in_.offset() != expectedEnd) in_.fail("section size mismatch", start);
}

void ModuleDecoder::codeSection() {
  uint32_t count = in_.len32();
  if (!in_.ok()) return;
  sawCodeSection_ = true;
  codeCount_ = count;
  // A count that disagrees with the function section is reported after the whole module, as the
  // reference interpreter does; the bodies are still decoded (and checked) into a scratch slot.
  codeCountMismatch_ = count != module_.functions.size();
  ir::Function scratch;
  for (uint32_t i = 0; i < count && in_.ok(); ++i) {
    ir::Function& fn = codeCountMismatch_ ? scratch : module_.functions[i];
    size_t sizeAt = in_.offset();
    uint32_t size = in_.len32();
    if (!in_.ok()) return;
    size_t bodyStart = in_.offset();
    size_t bodyEnd = bodyStart + size;
    fn.bodyOffset = static_cast<uint32_t>(sizeAt);
    fn.bodyStart = static_cast<uint32_t>(bodyStart);
    fn.bodySize = size;
    if (bodies_ == Bodies::Skip) {
      in_.skip(size);  // fails the reader itself when the body runs past the end
      continue;
    }

    uint32_t runs = in_.len32();
    fn.localRuns.clear();
    fn.localRuns.reserve(runs);
    uint64_t total = 0;
    for (uint32_t k = 0; k < runs && in_.ok(); ++k) {
      uint32_t n = in_.u32();
      ValType t = valType();
      total += n;
      fn.localRuns.emplace_back(n, t);
    }
    if (!in_.ok()) return;
    if (total >= (uint64_t(1) << 32)) {
      in_.fail("too many locals", bodyStart);
      return;
    }
    fn.localCount = static_cast<uint32_t>(total);

    fn.body = InstrSeq{};
    // Instructions average about two bytes (2.1 in gofmt); reserving for half the body's bytes
    // avoids nearly all regrowth, and large untouched tails of big reservations cost no pages.
    fn.body.code.reserve(size / 2 + 2);
    expr(fn.body, true);
    checkSizeMatches(bodyEnd, bodyStart);
  }
}

// data ::= 0:u32 e:expr b*:vec(byte)            active, memory 0
//        | 1:u32 b*:vec(byte)                   passive
//        | 2:u32 x:memidx e:expr b*:vec(byte)   active
void ModuleDecoder::dataSection() {
  uint32_t count = in_.len32();
  module_.datas.reserve(count);
  for (uint32_t i = 0; i < count && in_.ok(); ++i) {
    ir::DataSegment seg;
    size_t at = in_.offset();
    uint32_t flags = in_.u32();
    if (!in_.ok()) return;
    switch (flags) {
      case 0:
        expr(seg.offset, false);
        break;
      case 1:
        seg.mode = ir::SegmentMode::Passive;
        break;
      case 2:
        seg.memory = ir::MemIdx(in_.u32());
        expr(seg.offset, false);
        break;
      default:
        in_.fail("malformed data segment kind", at);
        return;
    }
    uint32_t n = in_.len32();
    const uint8_t* bytes = in_.cursor();
    if (!in_.skip(n)) return;
    seg.init.assign(bytes, bytes + n);
    module_.datas.push_back(std::move(seg));
  }
}

// ---------------------------------------------------------------------------------------------
// The name section. It is a custom section, so any flaw in it discards the names and nothing else.

// namesubsection_N(B) ::= N:byte size:u32 B; subsections in increasing id order, each at most once.
bool readNames(const uint8_t* base, const uint8_t* begin, const uint8_t* end, ir::Names& out) {
  Reader r(base, begin, end);
  int lastId = -1;
  while (!r.atEnd() && r.ok()) {
    uint8_t id = r.u8();
    uint32_t size = r.len32();
    if (!r.ok() || size > r.remaining()) return false;
    if (static_cast<int>(id) <= lastId) return false;
    lastId = id;
    const uint8_t* subEnd = r.cursor() + size;
    Reader sub(base, r.cursor(), subEnd);
    if (id == 0) {
      out.module = sub.name();
    } else if (id == 1) {
      uint32_t count = sub.len32();
      int64_t previous = -1;
      for (uint32_t i = 0; i < count && sub.ok(); ++i) {
        uint32_t index = sub.u32();
        std::string name = sub.name();
        if (!sub.ok()) break;
        if (static_cast<int64_t>(index) <= previous) return false;  // namemaps are sorted
        previous = index;
        out.functions.emplace(index, std::move(name));
      }
    } else {
      sub.skip(size);  // local names and anything newer: not needed
    }
    if (!sub.ok() || !sub.atEnd()) return false;
    r.skip(size);
  }
  return r.ok();
}

void ModuleDecoder::customSection(size_t sectionEnd) {
  ir::CustomSection custom;
  custom.name = in_.name();
  if (!in_.ok()) return;
  if (in_.offset() > sectionEnd || sectionEnd > in_.offset() + in_.remaining()) {
    // The name ran past the section's end (the reference interpreter's skip of a negative
    // length reports this as an end of input), or the section runs past the end of input.
    in_.failEnd();
    return;
  }
  custom.offset = static_cast<uint32_t>(in_.offset());
  custom.size = static_cast<uint32_t>(sectionEnd - in_.offset());
  if (custom.name == "name") {
    ir::Names names;
    if (readNames(in_.base(), in_.cursor(), in_.cursor() + custom.size, names))
      module_.names = std::move(names);
    else module_.names = ir::Names{};
  }
  in_.skip(custom.size);
  module_.customSections.push_back(std::move(custom));
}

// ---------------------------------------------------------------------------------------------
// Instructions

void ModuleDecoder::zeroByte() {
  size_t at = in_.offset();
  uint8_t b = in_.u8();
  if (in_.ok() && b != 0) in_.fail("zero byte expected", at);
}

// memarg ::= align:u32 offset:u32. In 2.0 the alignment exponent is below 32; larger flags belong
// to later proposals (bit 6 names a memory index) and are malformed here.
void ModuleDecoder::memArg(Instr& ins) {
  size_t at = in_.offset();
  uint32_t align = in_.u32();
  if (in_.ok() && align >= 32) {
    in_.fail("malformed memop flags", at);
    return;
  }
  ins.align = static_cast<uint8_t>(align);
  ins.c = in_.u32();
}

// expr ::= instr* 0x0B, with block/loop/if ... end nested inside. An `else` that does not close
// the then-arm of an `if`, or anything that leaves a construct unclosed, is malformed.
void ModuleDecoder::expr(InstrSeq& seq, bool inFunction) {
  auto& code = seq.code;
  controlStack_.clear();
  while (in_.ok()) {
    Instr ins;
    size_t at = in_.offset();
    ins.offset = static_cast<uint32_t>(at);
    uint8_t byte = in_.u8();
    if (!in_.ok()) return;
    ImmKind imm;
    if (byte == 0xFC || byte == 0xFD) {
      uint32_t sub = in_.u32();
      if (!in_.ok()) return;
      auto op = ir::opcodeFromPrefixed(byte, sub);
      if (!op) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "illegal opcode %02x %x", byte, sub);
        in_.fail(std::string(buf), at);
        return;
      }
      ins.op = *op;
      imm = ir::opInfo(*op).imm;
    } else {
      const auto& entry = ops_.entries[byte];
      if (!entry.valid) [[unlikely]] {
        char buf[32];
        std::snprintf(buf, sizeof buf, "illegal opcode %02x", byte);
        in_.fail(std::string(buf), at);
        return;
      }
      ins.op = entry.op;
      imm = entry.imm;
    }

    switch (imm) {
      case ImmKind::None:
        if (ins.op == Opcode::End) {
          auto index = static_cast<uint32_t>(code.size());
          if (controlStack_.empty()) {
            code.push_back(ins);
            return;
          }
          Instr& open = code[controlStack_.back()];
          controlStack_.pop_back();
          open.c = (open.c & 0xFFFFFFFF00000000ull) | index;
        } else if (ins.op == Opcode::Else) {
          if (controlStack_.empty() || code[controlStack_.back()].op != Opcode::If ||
              (code[controlStack_.back()].c >> 32) != 0) {
            in_.fail("END opcode expected", at);
            return;
          }
          code[controlStack_.back()].c = uint64_t(code.size()) << 32;
        }
        break;
      case ImmKind::BlockType: {
        // blocktype ::= 0x40 | valtype | typeidx:s33 (non-negative)
        if (in_.atEnd()) {
          in_.failEnd();
          return;
        }
        uint8_t peek = *in_.cursor();
        if (peek == 0x40) {
          in_.u8();
          ins.b = static_cast<uint32_t>(BlockTypeKind::Empty);
        } else if ((peek & 0xC0) == 0x40) {
          ins.a = static_cast<uint32_t>(valType());
          ins.b = static_cast<uint32_t>(BlockTypeKind::Value);
        } else {
          size_t typeAt = in_.offset();
          int64_t index = in_.s33();
          if (in_.ok() && index < 0) in_.fail("malformed block type", typeAt);
          ins.a = static_cast<uint32_t>(index);
          ins.b = static_cast<uint32_t>(BlockTypeKind::TypeIndex);
        }
        controlStack_.push_back(static_cast<uint32_t>(code.size()));
        break;
      }
      case ImmKind::Label:
      case ImmKind::Func:
      case ImmKind::Local:
      case ImmKind::Global:
      case ImmKind::Table:
      case ImmKind::Elem:
        ins.a = in_.u32();
        break;
      case ImmKind::Data:
        ins.a = in_.u32();
        if (inFunction) usesDataIndex_ = true;
        break;
      case ImmKind::BrTable: {
        uint32_t n = in_.len32();
        if (!in_.ok()) return;
        auto first = static_cast<uint32_t>(seq.brTargets.size());
        // No exact reserve here: one per br_table would defeat the vector's geometric growth.
        for (uint32_t k = 0; k <= n && in_.ok(); ++k) seq.brTargets.push_back(in_.u32());
        ins.a = first;
        ins.b = n;
        break;
      }
      case ImmKind::CallIndirect:
        ins.a = in_.u32();
        ins.b = in_.u32();
        break;
      case ImmKind::MemArg:
        memArg(ins);
        break;
      case ImmKind::MemArgLane:
        memArg(ins);
        ins.lane = in_.u8();
        break;
      case ImmKind::Memory:
        zeroByte();
        break;
      case ImmKind::I32:
        ins.c = static_cast<uint32_t>(in_.s32());
        break;
      case ImmKind::I64:
        ins.c = static_cast<uint64_t>(in_.s64());
        break;
      case ImmKind::F32:
        ins.c = in_.fixedU32();
        break;
      case ImmKind::F64:
        ins.c = in_.fixedU64();
        break;
      case ImmKind::V128:
      case ImmKind::Shuffle: {
        ir::V128 v;
        if (!in_.bytes(v.bytes, 16)) return;
        ins.c = seq.v128s.size();
        seq.v128s.push_back(v);
        break;
      }
      case ImmKind::Lane:
        ins.lane = in_.u8();
        break;
      case ImmKind::SelectT: {
        uint32_t n = in_.len32();
        ins.b = n;
        for (uint32_t k = 0; k < n && in_.ok(); ++k) {
          auto t = static_cast<uint32_t>(valType());
          if (k == 0) ins.a = t;
        }
        break;
      }
      case ImmKind::RefType:
        ins.a = static_cast<uint32_t>(refType());
        break;
      case ImmKind::MemoryInit:
        ins.a = in_.u32();
        zeroByte();
        if (inFunction) usesDataIndex_ = true;
        break;
      case ImmKind::MemoryCopy:
        zeroByte();
        zeroByte();
        break;
      case ImmKind::TableInit:
        ins.a = in_.u32();
        ins.b = in_.u32();
        break;
      case ImmKind::TableCopy:
        ins.a = in_.u32();
        ins.b = in_.u32();
        break;
    }
    code.push_back(ins);
  }
}

// ---------------------------------------------------------------------------------------------
// The module

Result<ir::Module> ModuleDecoder::run() {
  // magic ::= 0x00 0x61 0x73 0x6D; version ::= 0x01 0x00 0x00 0x00
  in_.setWording(EndWording::Short);
  uint32_t magic = in_.fixedU32();
  if (!in_.ok()) return in_.takeError();
  if (magic != 0x6D736100u) return makeError(ErrorKind::Malformed, "magic header not detected", 0);
  uint32_t version = in_.fixedU32();
  if (!in_.ok()) return in_.takeError();
  if (version != 1) return makeError(ErrorKind::Malformed, "unknown binary version", 4);

  int lastRank = 0;
  while (!in_.atEnd()) {
    in_.setWording(EndWording::Short);
    size_t idAt = in_.offset();
    uint8_t id = in_.u8();
    if (id > 12) return makeError(ErrorKind::Malformed, "malformed section id", idAt);
    if (id != 0) {
      int rank = sectionRank(id);
      if (rank <= lastRank)
        return makeError(ErrorKind::Malformed, "unexpected content after last section", idAt);
      lastRank = rank;
    }
    uint32_t size = in_.len32();
    if (!in_.ok()) return in_.takeError();
    in_.setWording(EndWording::InSection);
    size_t start = in_.offset();
    size_t sectionEnd = start + size;
    switch (id) {
      case 0: customSection(sectionEnd); break;
      case 1: typeSection(); break;
      case 2: importSection(); break;
      case 3: functionSection(); break;
      case 4: tableSection(); break;
      case 5: memorySection(); break;
      case 6: globalSection(); break;
      case 7: exportSection(); break;
      case 8: startSection(); break;
      case 9: elementSection(); break;
      case 10: codeSection(); break;
      case 11: dataSection(); break;
      case 12: dataCountSection(); break;
    }
    checkSizeMatches(sectionEnd, start);
    if (!in_.ok()) return in_.takeError();
  }

  size_t endAt = in_.offset();
  uint32_t bodies = sawCodeSection_ ? codeCount_ : 0;
  if (codeCountMismatch_ || bodies != module_.functions.size())
    return makeError(ErrorKind::Malformed, "function and code section have inconsistent lengths",
                     endAt);
  if (module_.dataCount && *module_.dataCount != module_.datas.size())
    return makeError(ErrorKind::Malformed,
                     "data count and data section have inconsistent lengths", endAt);
  if (!module_.dataCount && usesDataIndex_)
    return makeError(ErrorKind::Malformed, "data count section required", endAt);
  return std::move(module_);
}

}  // namespace

Result<ir::Module> decodeModule(std::span<const uint8_t> bytes) { return decodeModule(bytes, Bodies::Decode); }

Result<ir::Module> decodeModule(std::span<const uint8_t> bytes, Bodies bodies) {
  ModuleDecoder decoder(bytes, bodies);
  return decoder.run();
}

}  // namespace orca::decode
