// Function body validation: the operand and control stack algorithm of the spec's appendix
// (document/core/appendix/algorithm.rst), one pass over the flat instruction vector.
#include <algorithm>

#include "context.h"

namespace orca::validate::detail {

using ir::ImmKind;
using ir::Instr;
using ir::Opcode;
using ir::ValType;

namespace {

// Label and result types of single-value block types point here, so a frame never owns memory.
constexpr ValType kSingle[] = {ValType::I32,  ValType::I64,     ValType::F32,      ValType::F64,
                               ValType::V128, ValType::FuncRef, ValType::ExternRef};

const ValType* singleType(uint8_t byte) {
  for (const ValType& t : kSingle) {
    if (st(t) == byte) return &t;
  }
  return nullptr;
}

constexpr uint32_t kExpandedLocalsMax = 1u << 16;

constexpr StackType kI32 = st(ValType::I32);

bool isNumOrVecOrUnknown(StackType t) {
  return t == kUnknown || t == st(ValType::I32) || t == st(ValType::I64) || t == st(ValType::F32) ||
         t == st(ValType::F64) || t == st(ValType::V128);
}

}  // namespace

const char* stackTypeName(StackType t) {
  if (t == kUnknown) return "unknown";
  if (!ir::isValTypeByte(t)) return "<invalid type>";
  return ir::valTypeName(static_cast<ValType>(t));
}

std::string opNameOrCode(ir::Opcode op) {
  if (static_cast<size_t>(op) < ir::kOpcodeCount) return std::string(ir::opName(op));
  return "<opcode #" + std::to_string(static_cast<size_t>(op)) + ">";
}

// ---- errors ----------------------------------------------------------------------------------

bool FunctionValidator::fail(std::string message) {
  if (error_) return false;
  std::optional<size_t> offset;
  message += " (function " + std::to_string(funcIndex_);
  if (current_) {
    message += ", instruction ";
    message += opNameOrCode(current_->op);
    // The offset goes in the error, not the message: whoever prints the error adds it once.
    offset = current_->offset;
  }
  message += ")";
  error_ = makeError(ErrorKind::Invalid, std::move(message), offset);
  return false;
}

// The binary format (not validation) requires the data count section before memory.init and
// data.drop, so the spec tests expect this one as malformed.
bool FunctionValidator::failMalformed(std::string message) {
  fail(std::move(message));
  error_->kind = ErrorKind::Malformed;
  return false;
}

bool FunctionValidator::mismatch(StackType expected, StackType actual, bool actualMissing) {
  std::string message = "type mismatch: expected ";
  message += stackTypeName(expected);
  message += " but got ";
  message += actualMissing ? "nothing" : stackTypeName(actual);
  return fail(std::move(message));
}

// ---- operand and control stacks --------------------------------------------------------------

bool FunctionValidator::popSlow(StackType expect) {
  const Frame& frame = ctrls_.back();
  if (vals_.size() == frame.height) {
    if (frame.unreachable) return true;
    return mismatch(expect, kUnknown, true);
  }
  StackType actual = vals_.back();
  vals_.pop_back();
  if (actual != expect && actual != kUnknown && expect != kUnknown) return mismatch(expect, actual, false);
  return true;
}

bool FunctionValidator::popAny(StackType& out) {
  const Frame& frame = ctrls_.back();
  if (vals_.size() == frame.height) {
    out = kUnknown;
    if (frame.unreachable) return true;
    return fail("type mismatch: expected a value but got nothing");
  }
  out = vals_.back();
  vals_.pop_back();
  return true;
}

bool FunctionValidator::popVals(const ValType* types, uint32_t count) {
  for (uint32_t i = count; i-- > 0;) {
    if (!pop(st(types[i]))) return false;
  }
  return true;
}

void FunctionValidator::pushVals(const ValType* types, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) vals_.push_back(st(types[i]));
}

// push_vals(pop_vals(types)) of the spec without moving anything: the values keep their actual
// types, and missing values in unreachable code stay the bottom type.
bool FunctionValidator::checkVals(const ValType* types, uint32_t count) {
  const Frame& frame = ctrls_.back();
  size_t available = vals_.size() - frame.height;
  for (uint32_t k = 0; k < count; ++k) {
    StackType expect = st(types[count - 1 - k]);
    if (k >= available) {
      if (frame.unreachable) return true;
      return mismatch(expect, kUnknown, true);
    }
    StackType actual = vals_[vals_.size() - 1 - k];
    if (actual != expect && actual != kUnknown) return mismatch(expect, actual, false);
  }
  return true;
}

void FunctionValidator::pushCtrl(Opcode op, const ValType* params, uint32_t paramCount,
                                 const ValType* results, uint32_t resultCount) {
  height_ = static_cast<uint32_t>(vals_.size());
  ctrls_.push_back(Frame{op, false, height_, params, paramCount, results, resultCount});
  pushVals(params, paramCount);
}

bool FunctionValidator::popCtrl(Frame& out) {
  const Frame& frame = ctrls_.back();
  if (!popVals(frame.results, frame.resultCount)) return false;
  if (vals_.size() != frame.height) {
    return fail("type mismatch: " + std::to_string(vals_.size() - frame.height) +
                " value(s) left on the stack at the end of the block");
  }
  out = frame;
  ctrls_.pop_back();
  height_ = ctrls_.empty() ? 0 : ctrls_.back().height;
  return true;
}

void FunctionValidator::setUnreachable() {
  Frame& frame = ctrls_.back();
  vals_.truncate(frame.height);
  frame.unreachable = true;
}

bool FunctionValidator::label(uint32_t depth, const Frame*& out) {
  if (depth >= ctrls_.size()) return fail("unknown label " + std::to_string(depth));
  out = &ctrls_[ctrls_.size() - 1 - depth];
  return true;
}

void FunctionValidator::labelTypes(const Frame& frame, const ValType*& types, uint32_t& count) {
  if (frame.op == Opcode::Loop) {
    types = frame.params;
    count = frame.paramCount;
  } else {
    types = frame.results;
    count = frame.resultCount;
  }
}

bool FunctionValidator::blockType(const Instr& instr, const ValType*& params, uint32_t& paramCount,
                                  const ValType*& results, uint32_t& resultCount) {
  params = nullptr;
  paramCount = 0;
  results = nullptr;
  resultCount = 0;
  switch (static_cast<ir::BlockTypeKind>(instr.b)) {
    case ir::BlockTypeKind::Empty:
      return true;
    case ir::BlockTypeKind::Value: {
      const ValType* t = instr.a <= 0xFF ? singleType(static_cast<uint8_t>(instr.a)) : nullptr;
      if (!t) return fail("invalid block type");
      results = t;
      resultCount = 1;
      return true;
    }
    case ir::BlockTypeKind::TypeIndex: {
      if (instr.a >= ctx_.module.types.size()) return fail("unknown type " + std::to_string(instr.a));
      const ir::FuncType& type = ctx_.module.types[instr.a];
      params = type.params.data();
      paramCount = static_cast<uint32_t>(type.params.size());
      results = type.results.data();
      resultCount = static_cast<uint32_t>(type.results.size());
      return true;
    }
  }
  return fail("invalid block type");
}

// ---- locals ----------------------------------------------------------------------------------

bool FunctionValidator::setUpLocals(const ir::Function& function, const ir::FuncType& type) {
  locals_.clear();
  runEnds_.clear();
  runTypes_.clear();
  uint64_t total = type.params.size();
  for (const auto& run : function.localRuns) total += run.first;
  localTotal_ = total;
  for (ValType t : type.params) locals_.push_back(st(t));
  bool expand = total <= kExpandedLocalsMax;
  uint64_t end = type.params.size();
  for (const auto& [count, t] : function.localRuns) {
    if (!isValidValType(st(t))) return fail("invalid local type");
    if (expand) {
      locals_.insert(locals_.end(), count, st(t));
    } else if (count != 0) {
      end += count;
      runEnds_.push_back(end);
      runTypes_.push_back(st(t));
    }
  }
  return true;
}

bool FunctionValidator::localType(uint32_t index, StackType& out) const {
  if (index < locals_.size()) {
    out = locals_[index];
    return true;
  }
  if (index >= localTotal_) return false;
  auto it = std::upper_bound(runEnds_.begin(), runEnds_.end(), static_cast<uint64_t>(index));
  if (it == runEnds_.end()) return false;
  out = runTypes_[static_cast<size_t>(it - runEnds_.begin())];
  return true;
}

// ---- helpers for families ----------------------------------------------------------------------

bool FunctionValidator::applySignatureSlow(const OpTypes& types) {
  for (uint32_t i = types.paramCount; i-- > 0;) {
    if (!pop(types.params[i])) return false;
  }
  if (types.result != kUnknown) push(types.result);
  return true;
}

bool FunctionValidator::checkMemory(uint32_t index) {
  if (index >= ctx_.memoryCount) return fail("unknown memory " + std::to_string(index));
  return true;
}

bool FunctionValidator::checkTable(uint32_t index, StackType& elem) {
  if (index >= ctx_.tableCount) return fail("unknown table " + std::to_string(index));
  elem = st(ctx_.module.tableType(ir::TableIdx(index)).elem);
  return true;
}

// ---- the pass --------------------------------------------------------------------------------

Status FunctionValidator::validate(uint32_t definedIndex) {
  const ir::Module& m = ctx_.module;
  error_.reset();
  current_ = nullptr;
  funcIndex_ = m.importedFuncs() + definedIndex;
  if (definedIndex >= m.functions.size()) {
    fail("unknown function " + std::to_string(funcIndex_));
    return std::move(*error_);
  }
  const ir::Function& function = m.functions[definedIndex];
  function_ = &function;
  if (function.type.value >= m.types.size()) {
    fail("unknown type " + std::to_string(function.type.value));
    return std::move(*error_);
  }
  if (!run(function, m.types[function.type.value])) {
    if (!error_) fail("invalid function");  // every failing path sets error_; stay safe anyway
    return std::move(*error_);
  }
  return {};
}

#define ORCA_V(expr)             \
  do {                           \
    if (!(expr)) return false;   \
  } while (0)

bool FunctionValidator::run(const ir::Function& function, const ir::FuncType& type) {
  ORCA_V(setUpLocals(function, type));
  vals_.clear();
  ctrls_.clear();
  // The function's own frame: its label is the function's result type.
  pushCtrl(Opcode::Block, nullptr, 0, type.results.data(), static_cast<uint32_t>(type.results.size()));

  const auto& table = opTypesTable();
  const ir::InstrSeq& body = function.body;
  const Instr* code = body.code.data();
  const size_t size = body.code.size();

  for (size_t pc = 0; pc < size; ++pc) {
    const Instr& in = code[pc];
    current_ = &in;
    if (static_cast<size_t>(in.op) >= ir::kOpcodeCount) return fail("illegal opcode");
    const OpTypes& types = table[static_cast<size_t>(in.op)];

    switch (in.op) {
      // -- control --
      case Opcode::Unreachable:
        setUnreachable();
        break;
      case Opcode::Nop:
        break;
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If: {
        const ValType *params, *results;
        uint32_t paramCount, resultCount;
        ORCA_V(blockType(in, params, paramCount, results, resultCount));
        if (in.op == Opcode::If) ORCA_V(pop(kI32));
        ORCA_V(popVals(params, paramCount));
        pushCtrl(in.op, params, paramCount, results, resultCount);
        break;
      }
      case Opcode::Else: {
        if (ctrls_.back().op != Opcode::If) return fail("else without matching if");
        Frame frame;
        ORCA_V(popCtrl(frame));
        pushCtrl(Opcode::Else, frame.params, frame.paramCount, frame.results, frame.resultCount);
        break;
      }
      case Opcode::End: {
        Frame frame;
        ORCA_V(popCtrl(frame));
        if (frame.op == Opcode::If) {
          // An `if` without `else` has an empty else branch, which passes its parameters through.
          bool same = frame.paramCount == frame.resultCount &&
                      std::equal(frame.params, frame.params + frame.paramCount, frame.results);
          if (!same) return fail("type mismatch: if without else must produce its parameters");
        }
        pushVals(frame.results, frame.resultCount);
        if (ctrls_.empty() && pc + 1 != size) {
          current_ = &code[pc + 1];
          return fail("operators remaining after end of function");
        }
        break;
      }
      case Opcode::Br: {
        const Frame* target;
        ORCA_V(label(in.a, target));
        const ValType* labels;
        uint32_t count;
        labelTypes(*target, labels, count);
        ORCA_V(popVals(labels, count));
        setUnreachable();
        break;
      }
      case Opcode::BrIf: {
        ORCA_V(pop(kI32));
        const Frame* target;
        ORCA_V(label(in.a, target));
        const ValType* labels;
        uint32_t count;
        labelTypes(*target, labels, count);
        ORCA_V(popVals(labels, count));
        pushVals(labels, count);
        break;
      }
      case Opcode::BrTable: {
        const auto& targets = body.brTargets;
        uint64_t first = in.a, n = in.b;
        if (first + n >= targets.size()) return fail("invalid br_table target list");
        ORCA_V(pop(kI32));
        const Frame* fallback;
        ORCA_V(label(targets[first + n], fallback));
        const ValType* defaultTypes;
        uint32_t arity;
        labelTypes(*fallback, defaultTypes, arity);
        for (uint64_t k = 0; k < n; ++k) {
          const Frame* target;
          ORCA_V(label(targets[first + k], target));
          const ValType* labels;
          uint32_t count;
          labelTypes(*target, labels, count);
          if (count != arity) {
            return fail("type mismatch: br_table target " + std::to_string(targets[first + k]) + " has " +
                        std::to_string(count) + " value(s) but the default target has " +
                        std::to_string(arity));
          }
          ORCA_V(checkVals(labels, count));
        }
        ORCA_V(popVals(defaultTypes, arity));
        setUnreachable();
        break;
      }
      case Opcode::Return:
        ORCA_V(popVals(type.results.data(), static_cast<uint32_t>(type.results.size())));
        setUnreachable();
        break;
      case Opcode::Call: {
        if (in.a >= ctx_.funcCount) return fail("unknown function " + std::to_string(in.a));
        const ir::FuncType* callee = ctx_.funcType(in.a);
        if (!callee) return fail("unknown type of function " + std::to_string(in.a));
        ORCA_V(popVals(callee->params.data(), static_cast<uint32_t>(callee->params.size())));
        pushVals(callee->results.data(), static_cast<uint32_t>(callee->results.size()));
        break;
      }
      case Opcode::CallIndirect: {
        // The reference interpreter's order: table, type, then the table's element type.
        StackType elem;
        ORCA_V(checkTable(in.b, elem));
        if (in.a >= ctx_.module.types.size()) return fail("unknown type " + std::to_string(in.a));
        if (elem != st(ValType::FuncRef)) {
          return fail(std::string("type mismatch: call_indirect needs a funcref table, table ") +
                      std::to_string(in.b) + " holds " + stackTypeName(elem));
        }
        const ir::FuncType& callee = ctx_.module.types[in.a];
        ORCA_V(pop(kI32));
        ORCA_V(popVals(callee.params.data(), static_cast<uint32_t>(callee.params.size())));
        pushVals(callee.results.data(), static_cast<uint32_t>(callee.results.size()));
        break;
      }

      // -- parametric --
      case Opcode::Drop: {
        StackType ignored;
        ORCA_V(popAny(ignored));
        break;
      }
      case Opcode::Select: {
        ORCA_V(pop(kI32));
        StackType t1, t2;
        ORCA_V(popAny(t1));
        ORCA_V(popAny(t2));
        if (!isNumOrVecOrUnknown(t1) || !isNumOrVecOrUnknown(t2)) {
          return fail(std::string("type mismatch: select without a type needs numeric or vector operands, got ") +
                      stackTypeName(t2) + " and " + stackTypeName(t1));
        }
        if (t1 != t2 && t1 != kUnknown && t2 != kUnknown) {
          return fail(std::string("type mismatch: select operands differ: ") + stackTypeName(t2) + " and " +
                      stackTypeName(t1));
        }
        push(t1 == kUnknown ? t2 : t1);
        break;
      }
      case Opcode::SelectT: {
        if (in.b != 1) return fail("invalid result arity: select takes exactly one type, got " + std::to_string(in.b));
        if (in.a > 0xFF || !isValidValType(static_cast<uint8_t>(in.a))) return fail("invalid value type");
        auto t = static_cast<StackType>(in.a);
        ORCA_V(pop(kI32));
        ORCA_V(pop(t));
        ORCA_V(pop(t));
        push(t);
        break;
      }

      // -- variables --
      case Opcode::LocalGet: {
        StackType t;
        if (!localType(in.a, t)) return fail("unknown local " + std::to_string(in.a));
        push(t);
        break;
      }
      case Opcode::LocalSet: {
        StackType t;
        if (!localType(in.a, t)) return fail("unknown local " + std::to_string(in.a));
        ORCA_V(pop(t));
        break;
      }
      case Opcode::LocalTee: {
        StackType t;
        if (!localType(in.a, t)) return fail("unknown local " + std::to_string(in.a));
        ORCA_V(pop(t));
        push(t);
        break;
      }
      case Opcode::GlobalGet: {
        if (in.a >= ctx_.globalCount) return fail("unknown global " + std::to_string(in.a));
        push(st(ctx_.module.globalType(ir::GlobalIdx(in.a)).type));
        break;
      }
      case Opcode::GlobalSet: {
        if (in.a >= ctx_.globalCount) return fail("unknown global " + std::to_string(in.a));
        const ir::GlobalType& g = ctx_.module.globalType(ir::GlobalIdx(in.a));
        if (g.mut != ir::Mutability::Var) return fail("global is immutable: global " + std::to_string(in.a));
        ORCA_V(pop(st(g.type)));
        break;
      }

      // -- tables --
      case Opcode::TableGet: {
        StackType elem;
        ORCA_V(checkTable(in.a, elem));
        ORCA_V(pop(kI32));
        push(elem);
        break;
      }
      case Opcode::TableSet: {
        StackType elem;
        ORCA_V(checkTable(in.a, elem));
        ORCA_V(pop(elem));
        ORCA_V(pop(kI32));
        break;
      }
      case Opcode::TableSize: {
        StackType elem;
        ORCA_V(checkTable(in.a, elem));
        push(kI32);
        break;
      }
      case Opcode::TableGrow: {
        StackType elem;
        ORCA_V(checkTable(in.a, elem));
        ORCA_V(pop(kI32));
        ORCA_V(pop(elem));
        push(kI32);
        break;
      }
      case Opcode::TableFill: {
        StackType elem;
        ORCA_V(checkTable(in.a, elem));
        ORCA_V(pop(kI32));
        ORCA_V(pop(elem));
        ORCA_V(pop(kI32));
        break;
      }
      case Opcode::TableInit: {
        StackType elem;
        ORCA_V(checkTable(in.b, elem));
        if (in.a >= ctx_.module.elems.size()) return fail("unknown elem segment " + std::to_string(in.a));
        StackType segment = st(ctx_.module.elems[in.a].type);
        if (segment != elem) {
          return fail(std::string("type mismatch: elem segment of ") + stackTypeName(segment) +
                      " into table of " + stackTypeName(elem));
        }
        ORCA_V(applySignature(types));
        break;
      }
      case Opcode::ElemDrop:
        if (in.a >= ctx_.module.elems.size()) return fail("unknown elem segment " + std::to_string(in.a));
        break;
      case Opcode::TableCopy: {
        StackType dst, src;
        ORCA_V(checkTable(in.a, dst));
        ORCA_V(checkTable(in.b, src));
        if (dst != src) {
          return fail(std::string("type mismatch: table.copy from ") + stackTypeName(src) + " table to " +
                      stackTypeName(dst) + " table");
        }
        ORCA_V(applySignature(types));
        break;
      }

      // -- references --
      case Opcode::RefNull:
        if (in.a > 0xFF || !isRefTypeByte(static_cast<uint8_t>(in.a))) return fail("malformed reference type");
        push(static_cast<StackType>(in.a));
        break;
      case Opcode::RefIsNull: {
        StackType t;
        ORCA_V(popAny(t));
        if (t != kUnknown && !isRefTypeByte(t)) {
          return fail(std::string("type mismatch: expected a reference but got ") + stackTypeName(t));
        }
        push(kI32);
        break;
      }
      case Opcode::RefFunc:
        if (in.a >= ctx_.funcCount) return fail("unknown function " + std::to_string(in.a));
        if (!ctx_.declaredRefs[in.a]) return fail("undeclared function reference " + std::to_string(in.a));
        push(st(ValType::FuncRef));
        break;

      // -- memory instructions with indices beyond a memarg --
      case Opcode::MemorySize:
      case Opcode::MemoryGrow:
      case Opcode::MemoryFill:
        ORCA_V(checkMemory(in.a));
        ORCA_V(applySignature(types));
        break;
      case Opcode::MemoryCopy:
        ORCA_V(checkMemory(in.a));
        ORCA_V(checkMemory(in.b));
        ORCA_V(applySignature(types));
        break;
      case Opcode::MemoryInit:
        ORCA_V(checkMemory(in.b));
        if (!ctx_.module.dataCount) return failMalformed("data count section required");
        if (in.a >= *ctx_.module.dataCount || in.a >= ctx_.module.datas.size()) {
          return fail("unknown data segment " + std::to_string(in.a));
        }
        ORCA_V(applySignature(types));
        break;
      case Opcode::DataDrop:
        if (!ctx_.module.dataCount) return failMalformed("data count section required");
        if (in.a >= *ctx_.module.dataCount || in.a >= ctx_.module.datas.size()) {
          return fail("unknown data segment " + std::to_string(in.a));
        }
        break;

      default: {
        // Everything else is typed by the opcode table; memory accesses and lane instructions
        // first check their immediates.
        if (!types.hasSignature) return fail("illegal opcode");
        ImmKind imm = types.imm;
        if (!types.checkImmediate) {
          // Numeric instructions: nothing but the signature.
        } else if (imm == ImmKind::MemArg || imm == ImmKind::MemArgLane) {
          ORCA_V(checkMemory(in.a));
          if (in.align > types.naturalAlign) {
            return fail("alignment must not be larger than natural: 2**" + std::to_string(in.align) + " > 2**" +
                        std::to_string(types.naturalAlign));
          }
          if (imm == ImmKind::MemArgLane && in.lane >= types.laneCount) {
            return fail("invalid lane index " + std::to_string(in.lane));
          }
        } else if (imm == ImmKind::Lane) {
          if (in.lane >= types.laneCount) return fail("invalid lane index " + std::to_string(in.lane));
        } else if (imm == ImmKind::Shuffle) {
          if (in.c >= body.v128s.size()) return fail("invalid shuffle mask reference");
          for (uint8_t lane : body.v128s[in.c].bytes) {
            if (lane >= 32) return fail("invalid lane index " + std::to_string(lane));
          }
        } else if (imm == ImmKind::V128) {
          if (in.c >= body.v128s.size()) return fail("invalid v128 constant reference");
        }
        ORCA_V(applySignature(types));
        break;
      }
    }
  }
  if (!ctrls_.empty()) {
    current_ = size ? &code[size - 1] : nullptr;
    return fail("function body must end with end");
  }
  return true;
}

#undef ORCA_V

}  // namespace orca::validate::detail
