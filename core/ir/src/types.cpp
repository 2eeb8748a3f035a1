#include "orca/ir/module.h"
#include "orca/ir/types.h"

namespace orca::ir {

bool isValTypeByte(uint8_t byte) {
  switch (byte) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F: return true;
    default: return false;
  }
}

bool isRefType(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }

bool isNumType(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}

const char* valTypeName(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "?";
}

std::string funcTypeToString(const FuncType& type) {
  auto list = [](const std::vector<ValType>& types) {
    std::string s = "[";
    for (size_t i = 0; i < types.size(); ++i) {
      if (i) s += ' ';
      s += valTypeName(types[i]);
    }
    return s + "]";
  };
  return list(type.params) + " -> " + list(type.results);
}

const char* externKindName(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "?";
}

void Module::addImport(Import import) {
  auto position = static_cast<uint32_t>(imports.size());
  switch (import.kind) {
    case ExternKind::Func: funcImports.push_back(position); break;
    case ExternKind::Table: tableImports.push_back(position); break;
    case ExternKind::Memory: memoryImports.push_back(position); break;
    case ExternKind::Global: globalImports.push_back(position); break;
  }
  imports.push_back(std::move(import));
}

TypeIdx Module::funcTypeIndex(FuncIdx f) const {
  if (f.value < importedFuncs()) return imports[funcImports[f.value]].funcType;
  return functions[f.value - importedFuncs()].type;
}

const TableType& Module::tableType(TableIdx t) const {
  if (t.value < importedTables()) return imports[tableImports[t.value]].table;
  return tables[t.value - importedTables()];
}

const MemoryType& Module::memoryType(MemIdx m) const {
  if (m.value < importedMemories()) return imports[memoryImports[m.value]].memory;
  return memories[m.value - importedMemories()];
}

const GlobalType& Module::globalType(GlobalIdx g) const {
  if (g.value < importedGlobals()) return imports[globalImports[g.value]].global;
  return globals[g.value - importedGlobals()].type;
}

}  // namespace orca::ir
