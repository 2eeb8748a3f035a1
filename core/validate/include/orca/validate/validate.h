// Validation of a decoded module (spec: document/core/valid), WebAssembly 2.0.
#pragma once

#include <cstdint>
#include <memory>

#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::validate {

// Checks every rule of module validation. An Error of kind Invalid carries the spec test suite's
// wording first ("type mismatch", "unknown function 3", "constant expression required", ...),
// then the function index and instruction offset where they apply, and `offset` is set to the
// instruction's byte offset. One rule belongs to the binary format rather than to validation:
// memory.init or data.drop in a module without a data count section is reported as Malformed
// ("data count section required"), as the spec tests expect.
Status validateModule(const ir::Module& module);

namespace detail {
struct ModuleContext;
}

// The same checks split for callers that validate function bodies on several threads (the
// compile stage validates and emits per function): construct once, call validateDeclarations()
// once, then validateFunctions() from any number of threads on any ranges. Every rule of
// validateModule() is covered by the two; only which error is reported first may differ for a
// module with several errors. The module must outlive the validator.
class ModuleValidator {
 public:
  explicit ModuleValidator(const ir::Module& module);
  ~ModuleValidator();
  ModuleValidator(const ModuleValidator&) = delete;
  ModuleValidator& operator=(const ModuleValidator&) = delete;

  // Everything but function bodies: types, imports, tables, memories, globals, segments, start,
  // exports.
  Status validateDeclarations();
  // Bodies of the defined functions [first, first + count) (indices into module.functions).
  // Refuses to run before validateDeclarations() succeeded, since index lookups rely on it.
  Status validateFunctions(uint32_t first, uint32_t count) const;

 private:
  const ir::Module& module_;
  std::unique_ptr<detail::ModuleContext> context_;
  bool declarationsValid_ = false;
};

}  // namespace orca::validate
