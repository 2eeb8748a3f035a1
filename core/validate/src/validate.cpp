// Module validation (spec: document/core/valid/modules.rst), in the order of the reference
// interpreter: types, imports, tables, memories, globals, element and data segments, function
// bodies, start, exports, and the 2.0 limit of one memory.
#include "orca/validate/validate.h"

#include <string_view>
#include <unordered_set>

#include "context.h"

namespace orca::validate {

using namespace detail;
using ir::ExternKind;
using ir::Opcode;
using ir::ValType;

namespace detail {

namespace {

void declareConstExprRefs(const ir::InstrSeq& expr, std::vector<uint8_t>& refs) {
  for (const ir::Instr& in : expr.code) {
    if (in.op == Opcode::RefFunc && in.a < refs.size()) refs[in.a] = 1;
  }
}

}  // namespace

ModuleContext::ModuleContext(const ir::Module& m)
    : module(m),
      funcCount(m.funcCount()),
      tableCount(m.tableCount()),
      memoryCount(m.memoryCount()),
      globalCount(m.globalCount()),
      declaredRefs(m.funcCount(), 0) {
  // funcidx(module with funcs = [] and start = none): every function index outside the bodies.
  for (const ir::Global& g : m.globals) declareConstExprRefs(g.init, declaredRefs);
  for (const ir::ElemSegment& e : m.elems) {
    for (const ir::InstrSeq& item : e.init) declareConstExprRefs(item, declaredRefs);
    declareConstExprRefs(e.offset, declaredRefs);
  }
  for (const ir::DataSegment& d : m.datas) declareConstExprRefs(d.offset, declaredRefs);
  for (const ir::Export& e : m.exports) {
    if (e.kind == ExternKind::Func && e.index < declaredRefs.size()) declaredRefs[e.index] = 1;
  }
}

std::string ConstExprOwner::describe() const {
  std::string text = kind;
  text += ' ';
  text += std::to_string(index);
  text += part;
  if (item >= 0) text += std::to_string(item);
  return text;
}

Status validateConstExpr(const ModuleContext& ctx, const ir::InstrSeq& expr, ValType expected,
                         const ConstExprOwner& owner) {
  auto error = [&](std::string message, const ir::Instr* at) {
    std::optional<size_t> offset;
    message += " (" + owner.describe();
    if (at) {
      message += ", instruction ";
      message += opNameOrCode(at->op);
      offset = at->offset;
    }
    message += ")";
    return makeError(ErrorKind::Invalid, std::move(message), offset);
  };

  // Constant expressions of 2.0 are a handful of pushes; a small fixed stack is plenty, since
  // anything deeper is a type error anyway.
  StackType stack[4];
  size_t depth = 0;
  size_t overflow = 0;
  const auto& code = expr.code;
  bool ended = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const ir::Instr& in = code[i];
    if (ended) return error("constant expression required: operators after end", &in);
    StackType t = kUnknown;
    switch (in.op) {
      case Opcode::I32Const: t = st(ValType::I32); break;
      case Opcode::I64Const: t = st(ValType::I64); break;
      case Opcode::F32Const: t = st(ValType::F32); break;
      case Opcode::F64Const: t = st(ValType::F64); break;
      case Opcode::V128Const: t = st(ValType::V128); break;
      case Opcode::RefNull:
        if (in.a > 0xFF || !isRefTypeByte(static_cast<uint8_t>(in.a))) {
          return error("malformed reference type", &in);
        }
        t = static_cast<StackType>(in.a);
        break;
      case Opcode::RefFunc:
        if (in.a >= ctx.funcCount) return error("unknown function " + std::to_string(in.a), &in);
        t = st(ValType::FuncRef);
        break;
      case Opcode::GlobalGet: {
        // Only imported globals are in scope for constant expressions in 2.0.
        if (in.a >= ctx.module.importedGlobals()) return error("unknown global " + std::to_string(in.a), &in);
        const ir::GlobalType& g = ctx.module.globalType(ir::GlobalIdx(in.a));
        if (g.mut != ir::Mutability::Const) {
          return error("constant expression required: global " + std::to_string(in.a) + " is mutable", &in);
        }
        t = st(g.type);
        break;
      }
      case Opcode::End:
        ended = true;
        continue;
      default:
        return error("constant expression required", &in);
    }
    if (depth < 4) stack[depth++] = t;
    else ++overflow;
  }
  const ir::Instr* last = code.empty() ? nullptr : &code.back();
  if (!ended) return error("constant expression required: missing end", last);
  if (depth + overflow != 1 || stack[0] != st(expected)) {
    std::string got;
    if (depth + overflow == 0) {
      got = "nothing";
    } else {
      for (size_t i = 0; i < depth; ++i) {
        if (i) got += ' ';
        got += stackTypeName(stack[i]);
      }
      if (overflow) got += " ...";
    }
    return error(std::string("type mismatch: expected ") + stackTypeName(st(expected)) + " but got [" + got + "]",
                 last);
  }
  return {};
}

}  // namespace detail

namespace {

Error invalid(std::string message) { return makeError(ErrorKind::Invalid, std::move(message)); }

bool isValType(ValType t) { return isValidValType(st(t)); }

// limits ::= {min, max?} within `range`, the reference interpreter's order of checks.
template <typename Describe>
Status checkLimits(const ir::Limits& limits, uint64_t range, const char* rangeMessage, const Describe& what) {
  if (limits.min > range) return invalid(std::string(rangeMessage) + " (" + what() + ")");
  if (limits.max) {
    if (*limits.max > range) return invalid(std::string(rangeMessage) + " (" + what() + ")");
    if (limits.min > *limits.max) {
      return invalid("size minimum must not be greater than maximum (" + what() + ": " + std::to_string(limits.min) +
                     " > " + std::to_string(*limits.max) + ")");
    }
  }
  return {};
}

template <typename Describe>
Status checkTableType(const ir::TableType& t, const Describe& what) {
  ORCA_TRY(checkLimits(t.limits, 0xFFFFFFFFull, "table size must be at most 2^32-1", what));
  if (!isRefTypeByte(st(t.elem))) return invalid("malformed reference type (" + what() + ")");
  return {};
}

template <typename Describe>
Status checkMemoryType(const ir::MemoryType& t, const Describe& what) {
  ORCA_TRY(checkLimits(t.limits, ir::kMaxPages32, "memory size must be at most 65536 pages (4GiB)", what));
  if (t.shared && !t.limits.max) return invalid("shared memory must have maximum (" + what() + ")");
  return {};
}

Status checkFuncType(const ir::FuncType& t, uint32_t index) {
  for (ValType v : t.params) {
    if (!isValType(v)) return invalid("malformed value type (type " + std::to_string(index) + ")");
  }
  for (ValType v : t.results) {
    if (!isValType(v)) return invalid("malformed value type (type " + std::to_string(index) + ")");
  }
  return {};
}

Status validateImports(const ir::Module& m) {
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const ir::Import& imp = m.imports[i];
    auto what = [i] { return "import " + std::to_string(i); };
    switch (imp.kind) {
      case ExternKind::Func:
        if (imp.funcType.value >= m.types.size()) {
          return invalid("unknown type " + std::to_string(imp.funcType.value) + " (" + what() + ")");
        }
        break;
      case ExternKind::Table:
        ORCA_TRY(checkTableType(imp.table, what));
        break;
      case ExternKind::Memory:
        ORCA_TRY(checkMemoryType(imp.memory, what));
        break;
      case ExternKind::Global:
        if (!isValType(imp.global.type)) return invalid("malformed value type (" + what() + ")");
        break;
      default:
        return invalid("malformed import kind (" + what() + ")");
    }
  }
  // The per-kind position lists must agree with `imports`, or every index lookup would be wrong.
  auto consistent = [&](const std::vector<uint32_t>& positions, ExternKind kind) {
    for (uint32_t p : positions) {
      if (p >= m.imports.size() || m.imports[p].kind != kind) return false;
    }
    return true;
  };
  size_t total = m.funcImports.size() + m.tableImports.size() + m.memoryImports.size() + m.globalImports.size();
  if (total != m.imports.size() || !consistent(m.funcImports, ExternKind::Func) ||
      !consistent(m.tableImports, ExternKind::Table) || !consistent(m.memoryImports, ExternKind::Memory) ||
      !consistent(m.globalImports, ExternKind::Global)) {
    return invalid("inconsistent import index spaces");
  }
  return {};
}

Status validateSegments(const ModuleContext& ctx) {
  const ir::Module& m = ctx.module;
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ir::ElemSegment& e = m.elems[i];
    auto what = [i] { return "elem segment " + std::to_string(i); };
    if (!isRefTypeByte(st(e.type))) return invalid("malformed reference type (" + what() + ")");
    if (e.mode == ir::SegmentMode::Active) {
      if (e.table.value >= ctx.tableCount) {
        return invalid("unknown table " + std::to_string(e.table.value) + " (" + what() + ")");
      }
      ValType tableElem = m.tableType(e.table).elem;
      if (tableElem != e.type) {
        return invalid(std::string("type mismatch: ") + what() + " of " + ir::valTypeName(e.type) + " for table of " +
                       ir::valTypeName(tableElem));
      }
      ORCA_TRY(validateConstExpr(ctx, e.offset, ValType::I32, {"elem segment", i, " offset"}));
    }
    for (size_t k = 0; k < e.init.size(); ++k) {
      ORCA_TRY(validateConstExpr(ctx, e.init[k], e.type, {"elem segment", i, " item ", static_cast<int64_t>(k)}));
    }
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const ir::DataSegment& d = m.datas[i];
    auto what = [i] { return "data segment " + std::to_string(i); };
    if (d.mode == ir::SegmentMode::Active) {
      if (d.memory.value >= ctx.memoryCount) {
        return invalid("unknown memory " + std::to_string(d.memory.value) + " (" + what() + ")");
      }
      ORCA_TRY(validateConstExpr(ctx, d.offset, ValType::I32, {"data segment", i, " offset"}));
    } else if (d.mode != ir::SegmentMode::Passive) {
      return invalid("malformed data segment mode (" + what() + ")");
    }
  }
  return {};
}

Status validateExports(const ModuleContext& ctx) {
  const ir::Module& m = ctx.module;
  std::unordered_set<std::string_view> names;
  names.reserve(m.exports.size());
  for (const ir::Export& e : m.exports) {
    uint32_t count = 0;
    const char* noun = "";
    switch (e.kind) {
      case ExternKind::Func: count = ctx.funcCount; noun = "function"; break;
      case ExternKind::Table: count = ctx.tableCount; noun = "table"; break;
      case ExternKind::Memory: count = ctx.memoryCount; noun = "memory"; break;
      case ExternKind::Global: count = ctx.globalCount; noun = "global"; break;
      default: return invalid("malformed export kind (export \"" + e.name + "\")");
    }
    if (e.index >= count) {
      return invalid(std::string("unknown ") + noun + " " + std::to_string(e.index) + " (export \"" + e.name + "\")");
    }
    if (!names.insert(e.name).second) return invalid("duplicate export name \"" + e.name + "\"");
  }
  return {};
}

}  // namespace

ModuleValidator::ModuleValidator(const ir::Module& module)
    : module_(module), context_(std::make_unique<ModuleContext>(module)) {}

ModuleValidator::~ModuleValidator() = default;

Status ModuleValidator::validateDeclarations() {
  declarationsValid_ = false;
  const ir::Module& m = module_;
  const ModuleContext& ctx = *context_;
  for (size_t i = 0; i < m.types.size(); ++i) ORCA_TRY(checkFuncType(m.types[i], static_cast<uint32_t>(i)));
  ORCA_TRY(validateImports(m));
  for (size_t i = 0; i < m.functions.size(); ++i) {
    if (m.functions[i].type.value >= m.types.size()) {
      return invalid("unknown type " + std::to_string(m.functions[i].type.value) + " (function " +
                     std::to_string(m.importedFuncs() + i) + ")");
    }
  }
  for (size_t i = 0; i < m.tables.size(); ++i) {
    ORCA_TRY(checkTableType(m.tables[i], [&] { return "table " + std::to_string(m.importedTables() + i); }));
  }
  for (size_t i = 0; i < m.memories.size(); ++i) {
    ORCA_TRY(checkMemoryType(m.memories[i], [&] { return "memory " + std::to_string(m.importedMemories() + i); }));
  }
  for (size_t i = 0; i < m.globals.size(); ++i) {
    const ir::Global& g = m.globals[i];
    uint64_t index = m.importedGlobals() + i;
    if (!isValType(g.type.type)) return invalid("malformed value type (global " + std::to_string(index) + ")");
    ORCA_TRY(validateConstExpr(ctx, g.init, g.type.type, {"global", index}));
  }
  ORCA_TRY(validateSegments(ctx));
  if (m.start) {
    uint32_t f = m.start->value;
    if (f >= ctx.funcCount) return invalid("unknown function " + std::to_string(f) + " (start)");
    const ir::FuncType* type = ctx.funcType(f);
    if (!type || !type->params.empty() || !type->results.empty()) {
      return invalid("start function must have type [] -> [] (function " + std::to_string(f) + ")");
    }
  }
  ORCA_TRY(validateExports(ctx));
  if (ctx.memoryCount > 1) {
    return invalid("multiple memories: " + std::to_string(ctx.memoryCount) + " (2.0 allows one)");
  }
  declarationsValid_ = true;
  return {};
}

Status ModuleValidator::validateFunctions(uint32_t first, uint32_t count) const {
  if (!declarationsValid_) {
    return makeError(ErrorKind::Invalid, "function bodies validated before the module's declarations");
  }
  uint64_t end = uint64_t(first) + count;
  if (end > module_.functions.size()) {
    return makeError(ErrorKind::Invalid, "unknown function " + std::to_string(module_.importedFuncs() + end - 1));
  }
  FunctionValidator bodies(*context_);
  for (uint64_t i = first; i < end; ++i) ORCA_TRY(bodies.validate(static_cast<uint32_t>(i)));
  return {};
}

Status validateModule(const ir::Module& m) {
  ModuleValidator validator(m);
  ORCA_TRY(validator.validateDeclarations());
  return validator.validateFunctions(0, static_cast<uint32_t>(m.functions.size()));
}

}  // namespace orca::validate
