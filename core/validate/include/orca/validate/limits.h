// Engine limits on what a module may declare, so that a small crafted module (a "compile bomb":
// billions of locals, a function of millions of instructions, thousands of nested blocks) cannot
// make the compiler spend unbounded time or memory. The spec leaves such limits to each
// implementation (appendix "Implementation Limitations"); a module over one is valid WebAssembly
// that this engine's configuration refuses, so the check runs after validation and its error is
// ErrorKind::Unsupported, never Invalid: a limit is the embedder's to raise, not a defect of the
// module, and a spec test expecting "invalid" can never pass because of a limit.
#pragma once

#include <cstdint>
#include <string_view>

#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::validate {

// The defaults follow the limits every web browser enforces (the JS API's "implementation-defined
// limits") where it names one, so a module that runs on the web is not refused for its sizes;
// nesting depth and br_table size, which the web leaves open, are bounded far above what real
// programs use (Go's wasip1 output: 549 and 965). Types are the exception: each type is compiled
// to two trampolines in one object, and loading an object of many functions costs memory that
// grows faster than their number (JITLink's dependency sets; 10,000 types: 5 GiB), so the limit
// is 4,000 (1 GiB at worst) where the web allows 1,000,000. What each limit bounds, as
// measured: docs/security.md, "Denial of service by the compiler".
struct Limits {
  uint64_t moduleBytes = uint64_t(1) << 30;  // the whole binary
  uint64_t types = 4'000;
  uint64_t functions = 1'000'000;            // imported and defined
  uint64_t imports = 100'000;
  uint64_t exports = 100'000;
  uint64_t globals = 1'000'000;              // imported and defined
  uint64_t tables = 100'000;                 // imported and defined
  uint64_t dataSegments = 100'000;
  uint64_t params = 1'000;                   // of one function type
  uint64_t results = 1'000;                  // of one function type
  uint64_t functionBodyBytes = 7'654'321;    // one body, its local declarations included
  uint64_t locals = 50'000;                  // of one function, parameters included
  uint64_t nestingDepth = 10'000;            // blocks, loops and ifs open at once in one body
  uint64_t brTableTargets = 65'520;          // labels of one br_table, the default included
  friend bool operator==(const Limits&, const Limits&) = default;
};

// Each limit's stable name, as errors and the C API's documentation spell it.
enum class Limit : uint8_t {
  ModuleBytes,
  Types,
  Functions,
  Imports,
  Exports,
  Globals,
  Tables,
  DataSegments,
  Params,
  Results,
  FunctionBodyBytes,
  Locals,
  NestingDepth,
  BrTableTargets,
};
constexpr unsigned kLimitCount = unsigned(Limit::BrTableTargets) + 1;

std::string_view limitName(Limit limit);  // "function-body-bytes", "locals", ...
uint64_t& limitValue(Limits& limits, Limit limit);
uint64_t limitValue(const Limits& limits, Limit limit);

// ErrorKind::Unsupported "limit <name> exceeded: <what> is <value> (the limit is <limit>)" for
// the first limit the module exceeds, with the offset of the function body or instruction to
// blame when there is one. `module` must be valid. Linear in the module's size.
Status checkLimits(const ir::Module& module, const Limits& limits);
// The moduleBytes limit alone, for callers holding the bytes before decoding them.
Status checkModuleSize(uint64_t bytes, const Limits& limits);

}  // namespace orca::validate
