// Script values against runtime values: arguments to raw slots, results against expectations
// (exact bits, NaN patterns per lane, references).
#pragma once

#include <string>

#include "orca/compile/abi.h"
#include "orca/text/wast.h"

namespace orca::cli {

// The host pointer that stands for `ref.extern N` in scripts: never null, distinct per N.
void* hostRefPointer(uint32_t n);

abi::RawValue toRawValue(const text::WastValue& value);

// Whether a result of type `type` satisfies the expectation (including `either` alternatives).
bool resultMatches(const abi::RawValue& actual, ir::ValType type, const text::WastExpected& expected);

// "i32:0x0000002a", "f32:nan:0x7fc00000", "v128:i32x4 0x1 0x2 0x3 0x4", "ref.null", "ref.extern 3"
std::string describeValue(const abi::RawValue& value, ir::ValType type);
std::string describeExpected(const text::WastExpected& expected);

}  // namespace orca::cli
