// The .wast script format of the official test suite (spec interpreter/README.md, "Scripts").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orca/ir/error.h"
#include "orca/ir/types.h"

namespace orca::text {

// A concrete value: an argument of an invoke, or an exact expected result.
struct WastValue {
  ir::ValType type = ir::ValType::I32;
  // Numbers and vectors as little-endian bytes (an i32 uses bytes 0..3, v128 all 16).
  ir::V128 bits;
  // References: null, or a host reference `ref.extern N` (hostRef = N), or any non-null
  // reference when an expectation says only `(ref.extern)` / `(ref.func)`.
  bool isNull = false;
  uint32_t hostRef = 0;
  bool anyNonNull = false;
};

enum class NanPattern : uint8_t { None, Canonical, Arithmetic };

// v128 expectations are written per lane shape; the shape tells how to compare.
enum class LaneShape : uint8_t { None, I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };

// An expected result: a value, possibly with NaN patterns (`nan:canonical`, `nan:arithmetic`)
// for a scalar float (lane 0) or for each float lane of a v128.
struct WastExpected {
  WastValue value;
  LaneShape shape = LaneShape::None;
  NanPattern nan[4] = {};
  std::vector<WastExpected> either;  // (either ...) alternatives (3.0 scripts); empty otherwise
};

struct WastModule {
  enum class Form : uint8_t { Text, Binary, Quote };
  Form form = Form::Text;
  std::optional<std::string> name;  // $id, when given
  // Text and Binary: the module's binary encoding (a Text module is encoded while parsing the
  // script). Quote: empty; `quote` holds the concatenated source to be parsed with parseWat.
  std::vector<uint8_t> binary;
  std::string quote;
  // A Text module that failed to parse or encode carries its error here, so one bad module
  // fails one command rather than the whole script.
  std::optional<Error> textError;
};

struct WastAction {
  enum class Kind : uint8_t { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::optional<std::string> module;  // $id, or the most recent module when absent
  std::string field;
  std::vector<WastValue> args;
};

struct WastCommand {
  enum class Kind : uint8_t {
    Module,               // module
    Register,             // registerName, registerModule
    Action,               // action
    AssertReturn,         // action, expected
    AssertTrap,           // action (or module when trapsOnModule), message
    AssertExhaustion,     // action, message
    AssertMalformed,      // module, message
    AssertInvalid,        // module, message
    AssertUnlinkable,     // module, message
    AssertUninstantiable, // module, message (the 2.0 scripts write it as assert_trap on a module)
  };
  Kind kind = Kind::Module;
  uint32_t line = 0;  // 1-based line of the command in the script
  WastModule module;
  WastAction action;
  bool trapsOnModule = false;
  std::vector<WastExpected> expected;
  std::string message;
  std::string registerName;
  std::optional<std::string> registerModule;
};

struct WastScript {
  std::vector<WastCommand> commands;
};

// Parses a whole script. A syntax error in the script itself (not inside a module) is an Error
// with the line in its message.
Result<WastScript> parseWast(std::string_view source);

}  // namespace orca::text
