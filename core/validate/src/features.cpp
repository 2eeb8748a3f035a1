#include "orca/validate/features.h"

#include <string>

namespace orca::validate {
namespace {

using ir::Opcode;

Error refuse(std::string what, const char* feature, std::optional<size_t> offset = std::nullopt) {
  return makeError(ErrorKind::Invalid, what + " requires the " + feature + " feature", offset);
}

bool isSatConversion(Opcode op) { return op >= Opcode::I32TruncSatF32S && op <= Opcode::I64TruncSatF64U; }
bool isSignExtension(Opcode op) { return op >= Opcode::I32Extend8S && op <= Opcode::I64Extend32S; }
bool isBulk(Opcode op) {
  return op == Opcode::MemoryInit || op == Opcode::DataDrop || op == Opcode::MemoryCopy || op == Opcode::MemoryFill ||
         op == Opcode::TableInit || op == Opcode::ElemDrop || op == Opcode::TableCopy;
}
bool isReference(Opcode op) {
  return op == Opcode::RefNull || op == Opcode::RefIsNull || op == Opcode::RefFunc || op == Opcode::TableGet ||
         op == Opcode::TableSet || op == Opcode::TableGrow || op == Opcode::TableSize || op == Opcode::TableFill ||
         op == Opcode::SelectT;
}
bool isSimd(Opcode op) { return ir::opInfo(op).prefix == 0xFD; }

// The feature a value type needs, or null.
const char* featureOf(ir::ValType t, const Features& f) {
  if (t == ir::ValType::V128 && !f.simd) return "simd";
  if (t == ir::ValType::ExternRef && !f.referenceTypes) return "reference-types";
  return nullptr;
}

Status checkValTypes(const std::vector<ir::ValType>& types, const std::string& where, const Features& f) {
  for (ir::ValType t : types)
    if (const char* feature = featureOf(t, f)) return refuse(std::string(ir::valTypeName(t)) + " in " + where, feature);
  return {};
}

Status checkCode(const ir::InstrSeq& seq, const ir::Module& m, const Features& f) {
  for (const ir::Instr& in : seq.code) {
    Opcode op = in.op;
    std::string name(ir::opName(op));
    if (!f.saturatingFloatToInt && isSatConversion(op)) return refuse(name, "saturating-float-to-int", in.offset);
    if (!f.signExtension && isSignExtension(op)) return refuse(name, "sign-extension", in.offset);
    if (!f.bulkMemory && isBulk(op)) return refuse(name, "bulk-memory", in.offset);
    if (!f.referenceTypes && isReference(op)) return refuse(name, "reference-types", in.offset);
    if (!f.referenceTypes && op == Opcode::CallIndirect && in.b != 0)
      return refuse("call_indirect on table " + std::to_string(in.b), "reference-types", in.offset);
    if (!f.simd && isSimd(op)) return refuse(name, "simd", in.offset);
    if (!f.multiValue && (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If) &&
        static_cast<ir::BlockTypeKind>(in.b) == ir::BlockTypeKind::TypeIndex) {
      const ir::FuncType& type = m.types[in.a];
      if (!type.params.empty() || type.results.size() > 1)
        return refuse(name + " with parameters or several results", "multi-value", in.offset);
    }
  }
  return {};
}

}  // namespace

Status checkFeatures(const ir::Module& m, const Features& f) {
  if (f == Features{}) return {};
  for (size_t i = 0; i < m.types.size(); ++i) {
    const ir::FuncType& type = m.types[i];
    std::string where = "type " + std::to_string(i);
    ORCA_TRY(checkValTypes(type.params, where, f));
    ORCA_TRY(checkValTypes(type.results, where, f));
    if (!f.multiValue && type.results.size() > 1) return refuse("several results in " + where, "multi-value");
  }
  for (const ir::Import& imp : m.imports) {
    std::string where = "import \"" + imp.module + "\" \"" + imp.name + "\"";
    if (imp.kind == ir::ExternKind::Global) {
      ORCA_TRY(checkValTypes({imp.global.type}, where, f));
      if (!f.mutableGlobals && imp.global.mut == ir::Mutability::Var) return refuse("mutable " + where, "mutable-globals");
    }
    if (imp.kind == ir::ExternKind::Table) ORCA_TRY(checkValTypes({imp.table.elem}, where, f));
  }
  if (!f.referenceTypes && m.tableCount() > 1) return refuse("more than one table", "reference-types");
  for (size_t i = 0; i < m.tables.size(); ++i)
    ORCA_TRY(checkValTypes({m.tables[i].elem}, "table " + std::to_string(i), f));
  for (size_t i = 0; i < m.globals.size(); ++i) {
    ORCA_TRY(checkValTypes({m.globals[i].type.type}, "global " + std::to_string(i), f));
    ORCA_TRY(checkCode(m.globals[i].init, m, f));
  }
  for (const ir::Export& exp : m.exports)
    if (!f.mutableGlobals && exp.kind == ir::ExternKind::Global && m.globalType(ir::GlobalIdx(exp.index)).mut == ir::Mutability::Var)
      return refuse("mutable global export \"" + exp.name + "\"", "mutable-globals");
  for (const ir::Function& fn : m.functions) {
    for (const auto& run : fn.localRuns) ORCA_TRY(checkValTypes({run.second}, "locals", f));
    ORCA_TRY(checkCode(fn.body, m, f));
  }
  for (const ir::ElemSegment& seg : m.elems) {
    if (!f.bulkMemory && seg.mode != ir::SegmentMode::Active) return refuse("a passive element segment", "bulk-memory");
    ORCA_TRY(checkValTypes({seg.type}, "element segment", f));
    // Element expressions other than ref.func (the funcidx form) need reference types.
    for (const ir::InstrSeq& init : seg.init) {
      bool plainFunc = !init.code.empty() && init.code[0].op == Opcode::RefFunc;
      if (!plainFunc) ORCA_TRY(checkCode(init, m, f));
    }
  }
  for (const ir::DataSegment& seg : m.datas)
    if (!f.bulkMemory && seg.mode != ir::SegmentMode::Active) return refuse("a passive data segment", "bulk-memory");
  return {};
}

}  // namespace orca::validate
