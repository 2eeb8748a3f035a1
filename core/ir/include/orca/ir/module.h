// The module IR: what the decoder produces, the validator checks and the compiler consumes.
// Field names follow the spec's abstract syntax (module ::= {types, funcs, tables, ...}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "orca/ir/instr.h"
#include "orca/ir/types.h"

namespace orca::ir {

// import ::= {module name, name name, desc importdesc}
struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  // Exactly the member named by `kind` is meaningful.
  TypeIdx funcType;
  TableType table;
  MemoryType memory;
  GlobalType global;
};

// export ::= {name name, desc exportdesc}
struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;  // into the index space of `kind` (imports first)
};

// func ::= {type typeidx, locals vec(valtype), body expr}
struct Function {
  TypeIdx type;
  // Locals as the binary declares them: runs of (count, type). Their total fits in u32 (the
  // decoder rejects more); localCount is that total, parameters excluded.
  std::vector<std::pair<uint32_t, ValType>> localRuns;
  uint32_t localCount = 0;
  InstrSeq body;
  uint32_t bodyOffset = 0;  // offset of the body's size field in the binary
  // Offset of the body's first byte (its locals), just after the size field: a backtrace
  // frame's func_offset counts from here, as wasm.h's embedders (wasmtime) count it.
  uint32_t bodyStart = 0;
  uint32_t bodySize = 0;
};

// global ::= {type globaltype, init expr}
struct Global {
  GlobalType type;
  InstrSeq init;
};

// elem ::= {type reftype, init vec(expr), mode elemmode}
enum class SegmentMode : uint8_t { Active, Passive, Declarative };
struct ElemSegment {
  ValType type = ValType::FuncRef;
  std::vector<InstrSeq> init;  // each a constant expression; funcidx forms become ref.func
  SegmentMode mode = SegmentMode::Active;
  TableIdx table;              // Active only
  InstrSeq offset;             // Active only
};

// data ::= {init vec(byte), mode datamode}
struct DataSegment {
  std::vector<uint8_t> init;
  SegmentMode mode = SegmentMode::Active;  // never Declarative
  MemIdx memory;                           // Active only
  InstrSeq offset;                         // Active only
};

struct CustomSection {
  std::string name;
  uint32_t offset = 0;  // of the section contents in the binary
  uint32_t size = 0;
};

// What the name section says (all optional; a malformed name section is ignored as the spec
// allows for custom sections).
struct Names {
  std::optional<std::string> module;
  std::unordered_map<uint32_t, std::string> functions;
};

// module ::= {types, funcs, tables, mems, globals, elems, datas, start, imports, exports}
struct Module {
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;  // defined functions only; see funcTypeIndex()
  std::vector<TableType> tables;    // defined tables only
  std::vector<MemoryType> memories; // defined memories only
  std::vector<Global> globals;      // defined globals only
  std::vector<Export> exports;
  std::optional<FuncIdx> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> dataCount;  // the data count section, when present
  std::vector<CustomSection> customSections;
  Names names;

  // Index spaces: imports of a kind come first, then definitions. For each kind, the positions
  // in `imports` of its imports, in order. Filled by the decoder (or by addImport()).
  std::vector<uint32_t> funcImports, tableImports, memoryImports, globalImports;

  void addImport(Import import);  // appends and records the position

  uint32_t importedFuncs() const { return static_cast<uint32_t>(funcImports.size()); }
  uint32_t importedTables() const { return static_cast<uint32_t>(tableImports.size()); }
  uint32_t importedMemories() const { return static_cast<uint32_t>(memoryImports.size()); }
  uint32_t importedGlobals() const { return static_cast<uint32_t>(globalImports.size()); }

  uint32_t funcCount() const { return importedFuncs() + static_cast<uint32_t>(functions.size()); }
  uint32_t tableCount() const { return importedTables() + static_cast<uint32_t>(tables.size()); }
  uint32_t memoryCount() const { return importedMemories() + static_cast<uint32_t>(memories.size()); }
  uint32_t globalCount() const { return importedGlobals() + static_cast<uint32_t>(globals.size()); }

  // Whole index space lookups (imports included). The index must be in range.
  TypeIdx funcTypeIndex(FuncIdx f) const;
  const TableType& tableType(TableIdx t) const;
  const MemoryType& memoryType(MemIdx m) const;
  const GlobalType& globalType(GlobalIdx g) const;
};

}  // namespace orca::ir
