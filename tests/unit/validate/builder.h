// A small builder of ir::Module values for validator tests, so they need neither the decoder nor
// the text parser. Instructions are written as calls (`b.i32Const(1)`, `b.op(Opcode::I32Add)`)
// and every instruction gets a distinct fake byte offset, so error offsets can be asserted.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "orca/ir/module.h"
#include "orca/validate/validate.h"

namespace orca::validate::test {

using ir::Opcode;
using ir::ValType;

// Builds one instruction sequence (a function body or a constant expression).
class Code {
 public:
  explicit Code(uint32_t firstOffset = 0x100) : next_(firstOffset) {}

  Code& op(Opcode o) { return add(ir::Instr{.op = o}); }
  Code& i32Const(int32_t v) { return add(ir::Instr{.op = Opcode::I32Const, .c = static_cast<uint32_t>(v)}); }
  Code& i64Const(int64_t v) { return add(ir::Instr{.op = Opcode::I64Const, .c = static_cast<uint64_t>(v)}); }
  Code& f32Const() { return op(Opcode::F32Const); }
  Code& f64Const() { return op(Opcode::F64Const); }
  Code& v128Const() {
    seq_.v128s.push_back({});
    return add(ir::Instr{.op = Opcode::V128Const, .c = seq_.v128s.size() - 1});
  }
  Code& shuffle(std::initializer_list<uint8_t> lanes) {
    ir::V128 mask;
    size_t i = 0;
    for (uint8_t l : lanes) mask.bytes[i++ % 16] = l;
    seq_.v128s.push_back(mask);
    return add(ir::Instr{.op = Opcode::I8x16Shuffle, .c = seq_.v128s.size() - 1});
  }
  // Instructions whose immediate is one index (local, global, func, label, table, elem, data...).
  Code& idx(Opcode o, uint32_t a) { return add(ir::Instr{.op = o, .a = a}); }
  Code& idx2(Opcode o, uint32_t a, uint32_t b) { return add(ir::Instr{.op = o, .a = a, .b = b}); }
  Code& block(Opcode o) { return add(ir::Instr{.op = o, .b = uint32_t(ir::BlockTypeKind::Empty)}); }
  Code& block(Opcode o, ValType t) {
    return add(ir::Instr{.op = o, .a = uint32_t(t), .b = uint32_t(ir::BlockTypeKind::Value)});
  }
  Code& blockIdx(Opcode o, uint32_t typeIdx) {
    return add(ir::Instr{.op = o, .a = typeIdx, .b = uint32_t(ir::BlockTypeKind::TypeIndex)});
  }
  Code& brTable(std::initializer_list<uint32_t> targets, uint32_t fallback) {
    auto first = static_cast<uint32_t>(seq_.brTargets.size());
    for (uint32_t t : targets) seq_.brTargets.push_back(t);
    seq_.brTargets.push_back(fallback);
    return add(ir::Instr{.op = Opcode::BrTable, .a = first, .b = static_cast<uint32_t>(targets.size())});
  }
  Code& mem(Opcode o, uint8_t align, uint32_t memIdx = 0) {
    return add(ir::Instr{.op = o, .align = align, .a = memIdx});
  }
  Code& memLane(Opcode o, uint8_t align, uint8_t lane) {
    return add(ir::Instr{.op = o, .lane = lane, .align = align});
  }
  Code& lane(Opcode o, uint8_t l) { return add(ir::Instr{.op = o, .lane = l}); }
  Code& selectT(std::vector<ValType> types) {
    return add(ir::Instr{.op = Opcode::SelectT, .a = types.empty() ? 0u : uint32_t(types[0]),
                         .b = static_cast<uint32_t>(types.size())});
  }
  Code& refNull(ValType t) { return idx(Opcode::RefNull, uint32_t(t)); }
  Code& end() { return op(Opcode::End); }

  // Offset the next instruction will get.
  uint32_t nextOffset() const { return next_; }

  ir::InstrSeq take() { return std::move(seq_); }
  const ir::InstrSeq& seq() const { return seq_; }

 private:
  Code& add(ir::Instr in) {
    in.offset = next_;
    next_ += 2;
    seq_.code.push_back(in);
    return *this;
  }
  ir::InstrSeq seq_;
  uint32_t next_;
};

class ModuleBuilder {
 public:
  uint32_t type(std::vector<ValType> params, std::vector<ValType> results) {
    ir::FuncType t{std::move(params), std::move(results)};
    for (size_t i = 0; i < m.types.size(); ++i) {
      if (m.types[i] == t) return static_cast<uint32_t>(i);
    }
    m.types.push_back(std::move(t));
    return static_cast<uint32_t>(m.types.size() - 1);
  }
  // Adds a defined function and returns its function index.
  uint32_t func(std::vector<ValType> params, std::vector<ValType> results, Code body,
                std::vector<std::pair<uint32_t, ValType>> locals = {}) {
    return funcOfType(type(std::move(params), std::move(results)), std::move(body), std::move(locals));
  }
  uint32_t funcOfType(uint32_t typeIdx, Code body, std::vector<std::pair<uint32_t, ValType>> locals = {}) {
    ir::Function f;
    f.type = ir::TypeIdx(typeIdx);
    for (auto& run : locals) f.localCount += run.first;
    f.localRuns = std::move(locals);
    f.body = body.take();
    m.functions.push_back(std::move(f));
    return m.funcCount() - 1;
  }
  uint32_t importFunc(std::vector<ValType> params, std::vector<ValType> results) {
    ir::Import imp;
    imp.module = "m";
    imp.name = "f" + std::to_string(m.imports.size());
    imp.kind = ir::ExternKind::Func;
    imp.funcType = ir::TypeIdx(type(std::move(params), std::move(results)));
    m.addImport(std::move(imp));
    return m.importedFuncs() - 1;
  }
  uint32_t importGlobal(ValType t, ir::Mutability mut) {
    ir::Import imp;
    imp.module = "m";
    imp.name = "g" + std::to_string(m.imports.size());
    imp.kind = ir::ExternKind::Global;
    imp.global = ir::GlobalType{t, mut};
    m.addImport(std::move(imp));
    return m.importedGlobals() - 1;
  }
  uint32_t importMemory(uint64_t min) {
    ir::Import imp;
    imp.module = "m";
    imp.name = "mem" + std::to_string(m.imports.size());
    imp.kind = ir::ExternKind::Memory;
    imp.memory.limits.min = min;
    m.addImport(std::move(imp));
    return m.importedMemories() - 1;
  }
  uint32_t importTable(ValType elem) {
    ir::Import imp;
    imp.module = "m";
    imp.name = "t" + std::to_string(m.imports.size());
    imp.kind = ir::ExternKind::Table;
    imp.table.elem = elem;
    m.addImport(std::move(imp));
    return m.importedTables() - 1;
  }
  uint32_t memory(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
    m.memories.push_back(ir::MemoryType{ir::Limits{min, max}});
    return m.memoryCount() - 1;
  }
  uint32_t table(ValType elem, uint64_t min = 1, std::optional<uint64_t> max = std::nullopt) {
    m.tables.push_back(ir::TableType{ir::Limits{min, max}, elem});
    return m.tableCount() - 1;
  }
  uint32_t global(ValType t, ir::Mutability mut, Code init) {
    m.globals.push_back(ir::Global{ir::GlobalType{t, mut}, init.take()});
    return m.globalCount() - 1;
  }
  void exportFunc(std::string name, uint32_t index) { exportOf(std::move(name), ir::ExternKind::Func, index); }
  void exportOf(std::string name, ir::ExternKind kind, uint32_t index) {
    m.exports.push_back(ir::Export{std::move(name), kind, index});
  }
  // An element segment of `ref.func` items.
  uint32_t elemFuncs(ir::SegmentMode mode, std::vector<uint32_t> funcs, uint32_t table = 0, int32_t offset = 0) {
    ir::ElemSegment e;
    e.type = ValType::FuncRef;
    e.mode = mode;
    e.table = ir::TableIdx(table);
    if (mode == ir::SegmentMode::Active) e.offset = Code().i32Const(offset).end().take();
    for (uint32_t f : funcs) e.init.push_back(Code().idx(Opcode::RefFunc, f).end().take());
    m.elems.push_back(std::move(e));
    return static_cast<uint32_t>(m.elems.size() - 1);
  }
  uint32_t elem(ValType type, ir::SegmentMode mode, std::vector<Code> items, uint32_t table = 0,
                Code offset = Code().i32Const(0).end()) {
    ir::ElemSegment e;
    e.type = type;
    e.mode = mode;
    e.table = ir::TableIdx(table);
    if (mode == ir::SegmentMode::Active) e.offset = offset.take();
    for (Code& c : items) e.init.push_back(c.take());
    m.elems.push_back(std::move(e));
    return static_cast<uint32_t>(m.elems.size() - 1);
  }
  uint32_t data(ir::SegmentMode mode, uint32_t memory = 0, Code offset = Code().i32Const(0).end()) {
    ir::DataSegment d;
    d.mode = mode;
    d.memory = ir::MemIdx(memory);
    if (mode == ir::SegmentMode::Active) d.offset = offset.take();
    d.init = {1, 2, 3};
    m.datas.push_back(std::move(d));
    m.dataCount = static_cast<uint32_t>(m.datas.size());
    return static_cast<uint32_t>(m.datas.size() - 1);
  }

  Status validate() const { return validateModule(m); }

  ir::Module m;
};

// Validates a module with one function of type [params] -> [results] and the given body.
inline Status validateBody(std::vector<ValType> params, std::vector<ValType> results, Code body,
                           std::vector<std::pair<uint32_t, ValType>> locals = {}) {
  ModuleBuilder b;
  b.func(std::move(params), std::move(results), std::move(body), std::move(locals));
  return b.validate();
}

}  // namespace orca::validate::test
