// Validation of a decoded module (spec: document/core/valid), WebAssembly 2.0.
#pragma once

#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::validate {

// Checks every rule of module validation. An Error of kind Invalid carries the spec test suite's
// wording first ("type mismatch", "unknown function 3", "constant expression required", ...),
// then the function index and instruction offset where they apply, and `offset` is set to the
// instruction's byte offset.
Status validateModule(const ir::Module& module);

}  // namespace orca::validate
