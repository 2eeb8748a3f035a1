// The binary encoder: ir::Module to the WebAssembly 2.0 binary format (sections in the order the
// spec requires, LEB128 integers of minimal width, a data count section when the code needs
// one). It encodes what it is given: indices are not checked, so an invalid module still becomes
// bytes that the validator can reject, as assert_invalid requires.
#include <algorithm>
#include <cstring>

#include "orca/text/wat.h"

namespace orca::text {

using ir::ImmKind;
using ir::Instr;
using ir::InstrSeq;
using ir::Opcode;

namespace {

class Writer {
 public:
  std::vector<uint8_t> bytes;

  void byte(uint8_t b) { bytes.push_back(b); }
  void u32(uint64_t v) {
    do {
      uint8_t b = v & 0x7F;
      v >>= 7;
      if (v != 0) b |= 0x80;
      bytes.push_back(b);
    } while (v != 0);
  }
  void s64(int64_t v) {
    while (true) {
      uint8_t b = v & 0x7F;
      v >>= 7;  // arithmetic shift: sign bits come in
      bool done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
      if (!done) b |= 0x80;
      bytes.push_back(b);
      if (done) return;
    }
  }
  void raw(const void* p, size_t n) {
    auto* b = static_cast<const uint8_t*>(p);
    bytes.insert(bytes.end(), b, b + n);
  }
  void name(const std::string& s) {
    u32(s.size());
    raw(s.data(), s.size());
  }
  void valType(ir::ValType t) { byte(static_cast<uint8_t>(t)); }
  void limits(const ir::Limits& l) {
    byte(l.max ? 0x01 : 0x00);
    u32(l.min);
    if (l.max) u32(*l.max);
  }
  void section(uint8_t id, const Writer& contents) {
    byte(id);
    u32(contents.bytes.size());
    raw(contents.bytes.data(), contents.bytes.size());
  }
};

void encodeInstr(Writer& w, const InstrSeq& seq, const Instr& in) {
  const ir::OpInfo& info = ir::opInfo(in.op);
  if (info.prefix == 0) {
    w.byte(static_cast<uint8_t>(info.code));
  } else {
    w.byte(info.prefix);
    w.u32(info.code);
  }
  switch (info.imm) {
    case ImmKind::None:
      break;
    case ImmKind::BlockType:
      switch (static_cast<ir::BlockTypeKind>(in.b)) {
        case ir::BlockTypeKind::Empty: w.byte(0x40); break;
        case ir::BlockTypeKind::Value: w.byte(static_cast<uint8_t>(in.a)); break;
        case ir::BlockTypeKind::TypeIndex: w.s64(static_cast<int64_t>(in.a)); break;
      }
      break;
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Memory:
    case ImmKind::Data:
    case ImmKind::Elem:
      w.u32(in.a);
      break;
    case ImmKind::BrTable: {
      w.u32(in.b);
      for (uint32_t i = 0; i <= in.b; ++i) {
        size_t k = size_t(in.a) + i;
        w.u32(k < seq.brTargets.size() ? seq.brTargets[k] : 0);
      }
      break;
    }
    case ImmKind::CallIndirect:
    case ImmKind::MemoryInit:
    case ImmKind::MemoryCopy:
    case ImmKind::TableInit:
    case ImmKind::TableCopy:
      w.u32(in.a);
      w.u32(in.b);
      break;
    case ImmKind::MemArg:
    case ImmKind::MemArgLane:
      w.u32(in.align);
      w.u32(in.c);
      if (info.imm == ImmKind::MemArgLane) w.byte(in.lane);
      break;
    case ImmKind::I32:
      w.s64(static_cast<int32_t>(static_cast<uint32_t>(in.c)));
      break;
    case ImmKind::I64:
      w.s64(static_cast<int64_t>(in.c));
      break;
    case ImmKind::F32: {
      uint32_t b = static_cast<uint32_t>(in.c);
      uint8_t le[4] = {uint8_t(b), uint8_t(b >> 8), uint8_t(b >> 16), uint8_t(b >> 24)};
      w.raw(le, 4);
      break;
    }
    case ImmKind::F64: {
      uint8_t le[8];
      for (int i = 0; i < 8; ++i) le[i] = static_cast<uint8_t>(in.c >> (8 * i));
      w.raw(le, 8);
      break;
    }
    case ImmKind::V128:
    case ImmKind::Shuffle: {
      ir::V128 v;
      if (in.c < seq.v128s.size()) v = seq.v128s[in.c];
      w.raw(v.bytes, 16);
      break;
    }
    case ImmKind::Lane:
      w.byte(in.lane);
      break;
    case ImmKind::SelectT:
      // The IR keeps the count and the first type; more than one type is invalid anyway.
      w.u32(in.b);
      for (uint32_t i = 0; i < in.b; ++i) w.byte(static_cast<uint8_t>(in.a));
      break;
    case ImmKind::RefType:
      w.byte(static_cast<uint8_t>(in.a));
      break;
  }
}

void encodeExpr(Writer& w, const InstrSeq& seq) {
  for (const Instr& in : seq.code) encodeInstr(w, seq, in);
}

// An element expression that is exactly `ref.func x end` can use the compact funcidx forms.
bool isRefFuncExpr(const InstrSeq& e) {
  return e.code.size() == 2 && e.code[0].op == Opcode::RefFunc && e.code[1].op == Opcode::End;
}

void encodeElem(Writer& w, const ir::ElemSegment& seg) {
  bool indices = seg.type == ir::ValType::FuncRef;
  for (const InstrSeq& e : seg.init) indices = indices && isRefFuncExpr(e);
  uint32_t flags = indices ? 0 : 4;
  switch (seg.mode) {
    case ir::SegmentMode::Active:
      if (seg.table.value != 0 || seg.type != ir::ValType::FuncRef) flags |= 2;
      break;
    case ir::SegmentMode::Passive: flags |= 1; break;
    case ir::SegmentMode::Declarative: flags |= 3; break;
  }
  w.u32(flags);
  if (seg.mode == ir::SegmentMode::Active) {
    if (flags & 2) w.u32(seg.table.value);
    encodeExpr(w, seg.offset);
  }
  if (flags & 3) {
    // elemkind (0x00 = funcref) for index vectors, a reftype for expression vectors.
    if (indices) w.byte(0x00);
    else w.valType(seg.type);
  }
  w.u32(seg.init.size());
  for (const InstrSeq& e : seg.init) {
    if (indices) w.u32(e.code[0].a);
    else encodeExpr(w, e);
  }
}

}  // namespace

std::vector<uint8_t> encodeModule(const ir::Module& m) {
  Writer out;
  const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  out.raw(header, 8);

  if (!m.types.empty()) {
    Writer s;
    s.u32(m.types.size());
    for (const ir::FuncType& t : m.types) {
      s.byte(0x60);
      s.u32(t.params.size());
      for (auto v : t.params) s.valType(v);
      s.u32(t.results.size());
      for (auto v : t.results) s.valType(v);
    }
    out.section(1, s);
  }
  if (!m.imports.empty()) {
    Writer s;
    s.u32(m.imports.size());
    for (const ir::Import& i : m.imports) {
      s.name(i.module);
      s.name(i.name);
      s.byte(static_cast<uint8_t>(i.kind));
      switch (i.kind) {
        case ir::ExternKind::Func: s.u32(i.funcType.value); break;
        case ir::ExternKind::Table: s.valType(i.table.elem); s.limits(i.table.limits); break;
        case ir::ExternKind::Memory: s.limits(i.memory.limits); break;
        case ir::ExternKind::Global:
          s.valType(i.global.type);
          s.byte(static_cast<uint8_t>(i.global.mut));
          break;
      }
    }
    out.section(2, s);
  }
  if (!m.functions.empty()) {
    Writer s;
    s.u32(m.functions.size());
    for (const ir::Function& f : m.functions) s.u32(f.type.value);
    out.section(3, s);
  }
  if (!m.tables.empty()) {
    Writer s;
    s.u32(m.tables.size());
    for (const ir::TableType& t : m.tables) {
      s.valType(t.elem);
      s.limits(t.limits);
    }
    out.section(4, s);
  }
  if (!m.memories.empty()) {
    Writer s;
    s.u32(m.memories.size());
    for (const ir::MemoryType& t : m.memories) s.limits(t.limits);
    out.section(5, s);
  }
  if (!m.globals.empty()) {
    Writer s;
    s.u32(m.globals.size());
    for (const ir::Global& g : m.globals) {
      s.valType(g.type.type);
      s.byte(static_cast<uint8_t>(g.type.mut));
      encodeExpr(s, g.init);
    }
    out.section(6, s);
  }
  if (!m.exports.empty()) {
    Writer s;
    s.u32(m.exports.size());
    for (const ir::Export& e : m.exports) {
      s.name(e.name);
      s.byte(static_cast<uint8_t>(e.kind));
      s.u32(e.index);
    }
    out.section(7, s);
  }
  if (m.start) {
    Writer s;
    s.u32(m.start->value);
    out.section(8, s);
  }
  if (!m.elems.empty()) {
    Writer s;
    s.u32(m.elems.size());
    for (const ir::ElemSegment& e : m.elems) encodeElem(s, e);
    out.section(9, s);
  }
  if (m.dataCount) {
    Writer s;
    s.u32(*m.dataCount);
    out.section(12, s);
  }
  if (!m.functions.empty()) {
    Writer s;
    s.u32(m.functions.size());
    Writer body;
    for (const ir::Function& f : m.functions) {
      body.bytes.clear();
      body.u32(f.localRuns.size());
      for (const auto& [count, type] : f.localRuns) {
        body.u32(count);
        body.valType(type);
      }
      encodeExpr(body, f.body);
      s.u32(body.bytes.size());
      s.raw(body.bytes.data(), body.bytes.size());
    }
    out.section(10, s);
  }
  if (!m.datas.empty()) {
    Writer s;
    s.u32(m.datas.size());
    for (const ir::DataSegment& d : m.datas) {
      if (d.mode == ir::SegmentMode::Passive) {
        s.u32(1);
      } else if (d.memory.value == 0) {
        s.u32(0);
        encodeExpr(s, d.offset);
      } else {
        s.u32(2);
        s.u32(d.memory.value);
        encodeExpr(s, d.offset);
      }
      s.u32(d.init.size());
      s.raw(d.init.data(), d.init.size());
    }
    out.section(11, s);
  }
  if (m.names.module || !m.names.functions.empty()) {
    // The name section (a custom section): module name, then function names by index.
    Writer s;
    s.name("name");
    if (m.names.module) {
      Writer sub;
      sub.name(*m.names.module);
      s.byte(0);
      s.u32(sub.bytes.size());
      s.raw(sub.bytes.data(), sub.bytes.size());
    }
    if (!m.names.functions.empty()) {
      std::vector<std::pair<uint32_t, const std::string*>> sorted;
      sorted.reserve(m.names.functions.size());
      for (const auto& [index, name] : m.names.functions) sorted.emplace_back(index, &name);
      std::sort(sorted.begin(), sorted.end());
      Writer sub;
      sub.u32(sorted.size());
      for (const auto& [index, name] : sorted) {
        sub.u32(index);
        sub.name(*name);
      }
      s.byte(1);
      s.u32(sub.bytes.size());
      s.raw(sub.bytes.data(), sub.bytes.size());
    }
    out.section(0, s);
  }
  return std::move(out.bytes);
}

Result<std::vector<uint8_t>> watToWasm(std::string_view source) {
  auto module = parseWat(source);
  if (!module) return module.takeError();
  return encodeModule(*module);
}

}  // namespace orca::text
