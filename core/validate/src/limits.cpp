#include "orca/validate/limits.h"

#include <string>

namespace orca::validate {
namespace {

using ir::Opcode;

struct LimitInfo {
  std::string_view name;
  uint64_t Limits::*field;
};

// In the order of enum class Limit.
constexpr LimitInfo kLimits[kLimitCount] = {
    {"module-bytes", &Limits::moduleBytes},
    {"types", &Limits::types},
    {"functions", &Limits::functions},
    {"imports", &Limits::imports},
    {"exports", &Limits::exports},
    {"globals", &Limits::globals},
    {"tables", &Limits::tables},
    {"data-segments", &Limits::dataSegments},
    {"params", &Limits::params},
    {"results", &Limits::results},
    {"function-body-bytes", &Limits::functionBodyBytes},
    {"locals", &Limits::locals},
    {"nesting-depth", &Limits::nestingDepth},
    {"br-table-targets", &Limits::brTableTargets},
};

// Checks one value against one limit; `what` is evaluated only when the limit is exceeded.
template <typename Describe>
Status within(const Limits& limits, Limit limit, uint64_t value, const Describe& what,
              std::optional<size_t> offset = std::nullopt) {
  uint64_t max = limitValue(limits, limit);
  if (value <= max) return {};
  return makeError(ErrorKind::Unsupported,
                   "limit " + std::string(limitName(limit)) + " exceeded: " + what() + " is " + std::to_string(value) +
                       " (the limit is " + std::to_string(max) + ")",
                   offset);
}

// "<what> <preposition> <noun> <index>", made only for an error.
auto naming(const char* what, const char* of, uint64_t index) {
  return [=] { return std::string(what) + " " + of + " " + std::to_string(index); };
}

Status checkTypes(const ir::Module& m, const Limits& limits) {
  for (size_t i = 0; i < m.types.size(); ++i) {
    ORCA_TRY(within(limits, Limit::Params, m.types[i].params.size(), naming("the parameter count", "of type", i)));
    ORCA_TRY(within(limits, Limit::Results, m.types[i].results.size(), naming("the result count", "of type", i)));
  }
  return {};
}

// Nesting and br_table size of one valid body: one pass, no allocation.
Status checkBody(const ir::Function& fn, uint32_t index, const Limits& limits) {
  uint64_t depth = 0;
  for (const ir::Instr& in : fn.body.code) {
    switch (in.op) {
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If:
        ORCA_TRY(within(limits, Limit::NestingDepth, ++depth, naming("the nesting depth", "in function", index),
                        in.offset));
        break;
      case Opcode::End:
        if (depth > 0) --depth;  // the last end closes the body itself
        break;
      case Opcode::BrTable:
        ORCA_TRY(within(limits, Limit::BrTableTargets, uint64_t(in.b) + 1,
                        naming("the br_table size", "in function", index), in.offset));
        break;
      default:
        break;
    }
  }
  return {};
}

Status checkFunctions(const ir::Module& m, const Limits& limits) {
  for (size_t i = 0; i < m.functions.size(); ++i) {
    const ir::Function& fn = m.functions[i];
    uint32_t index = m.importedFuncs() + static_cast<uint32_t>(i);
    ORCA_TRY(within(limits, Limit::FunctionBodyBytes, fn.bodySize, naming("the body size", "of function", index),
                    fn.bodyOffset));
    uint64_t locals = uint64_t(m.types[fn.type.value].params.size()) + fn.localCount;
    ORCA_TRY(within(limits, Limit::Locals, locals, naming("the local count", "of function", index), fn.bodyStart));
    ORCA_TRY(checkBody(fn, index, limits));
  }
  return {};
}

}  // namespace

std::string_view limitName(Limit limit) { return kLimits[unsigned(limit)].name; }

uint64_t& limitValue(Limits& limits, Limit limit) { return limits.*kLimits[unsigned(limit)].field; }

uint64_t limitValue(const Limits& limits, Limit limit) { return limits.*kLimits[unsigned(limit)].field; }

Status checkModuleSize(uint64_t bytes, const Limits& limits) {
  return within(limits, Limit::ModuleBytes, bytes, [] { return std::string("the module size"); });
}

Status checkLimits(const ir::Module& m, const Limits& limits) {
  auto count = [](const char* what) { return [what] { return std::string("the number of ") + what; }; };
  ORCA_TRY(within(limits, Limit::Types, m.types.size(), count("types")));
  ORCA_TRY(within(limits, Limit::Functions, m.funcCount(), count("functions")));
  ORCA_TRY(within(limits, Limit::Imports, m.imports.size(), count("imports")));
  ORCA_TRY(within(limits, Limit::Exports, m.exports.size(), count("exports")));
  ORCA_TRY(within(limits, Limit::Globals, m.globalCount(), count("globals")));
  ORCA_TRY(within(limits, Limit::Tables, m.tableCount(), count("tables")));
  ORCA_TRY(within(limits, Limit::DataSegments, m.datas.size(), count("data segments")));
  ORCA_TRY(checkTypes(m, limits));
  return checkFunctions(m, limits);
}

}  // namespace orca::validate
