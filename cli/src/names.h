// Function names from a binary module's "name" custom section, for backtraces. The C API's
// frames carry function indices only, so the command reads the names from the bytes it holds.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace orca::cli {

// Index -> name from the function-names subsection; empty when there is none. Never fails: a
// damaged name section gives the names read before the damage (the module itself was validated
// by the runtime, which ignores name sections it cannot read, as the spec asks).
std::map<uint32_t, std::string> functionNames(std::string_view binary);

}  // namespace orca::cli
