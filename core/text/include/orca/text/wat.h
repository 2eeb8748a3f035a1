// The WebAssembly text format (WAT): parse a module and encode it to the binary format.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::text {

// Parses one module in the text format: either `(module ...)` or, as the spec's abbreviation
// allows, its fields at top level. Errors are ErrorKind::Malformed with the byte offset in the
// source and the reference interpreter's wording where one exists ("unknown operator",
// "unexpected token", "constant out of range", "unknown label", ...).
// The result is not validated: an ill-typed module parses, so that assert_invalid can run.
Result<ir::Module> parseWat(std::string_view source);

// Encodes a module in the binary format (always succeeds for a module parseWat produced).
std::vector<uint8_t> encodeModule(const ir::Module& module);

// parseWat then encodeModule.
Result<std::vector<uint8_t>> watToWasm(std::string_view source);

}  // namespace orca::text
