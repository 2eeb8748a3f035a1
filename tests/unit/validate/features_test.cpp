// Feature switches: each proposal of 2.0, switched off, refuses a module that uses it (with the
// feature's name in the message) and leaves a module without it alone.
#include <doctest/doctest.h>

#include <string>

#include "orca/decode/decode.h"
#include "orca/text/wat.h"
#include "orca/validate/features.h"
#include "orca/validate/validate.h"

using namespace orca;
using validate::Features;

namespace {

ir::Module parse(const char* wat) {
  auto bytes = text::watToWasm(wat);
  REQUIRE_MESSAGE(bytes.ok(), (bytes.ok() ? "" : bytes.error().describe()));
  auto module = decode::decodeModule(*bytes);
  REQUIRE(module.ok());
  REQUIRE(validate::validateModule(*module).ok());
  return std::move(*module);
}

struct Case {
  bool Features::*flag;
  const char* feature;
  const char* wat;
};

const Case kCases[] = {
    {&Features::mutableGlobals, "mutable-globals", R"((module (import "m" "g" (global (mut i32)))))"},
    {&Features::mutableGlobals, "mutable-globals", R"((module (global (export "g") (mut i32) (i32.const 0))))"},
    {&Features::saturatingFloatToInt, "saturating-float-to-int",
     R"((module (func (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))))"},
    {&Features::signExtension, "sign-extension", R"((module (func (param i32) (result i32) (i32.extend8_s (local.get 0)))))"},
    {&Features::multiValue, "multi-value", R"((module (func (result i32 i32) (i32.const 1) (i32.const 2))))"},
    {&Features::multiValue, "multi-value",
     R"((module (func (result i32) (i32.const 1) (block (param i32) (result i32)))))"},
    {&Features::bulkMemory, "bulk-memory",
     R"((module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 1)))))"},
    {&Features::bulkMemory, "bulk-memory", R"((module (memory 1) (data "passive")))"},
    {&Features::referenceTypes, "reference-types", R"((module (func (param externref))))"},
    {&Features::referenceTypes, "reference-types", R"((module (table 1 funcref) (func (drop (table.size 0)))))"},
    {&Features::referenceTypes, "reference-types", R"((module (table 1 funcref) (table 1 funcref)))"},
    {&Features::simd, "simd", R"((module (func (param v128))))"},
    {&Features::simd, "simd", R"((module (func (result i32) (i32x4.extract_lane 0 (v128.const i64x2 1 2)))))"},
};

}  // namespace

TEST_CASE("features: each switched-off proposal refuses a module that uses it") {
  for (const Case& c : kCases) {
    CAPTURE(c.wat);
    ir::Module module = parse(c.wat);
    CHECK(validate::checkFeatures(module, Features{}).ok());
    Features off;
    off.*c.flag = false;
    Status status = validate::checkFeatures(module, off);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == ErrorKind::Invalid);
    CHECK(status.error().message.find(std::string("requires the ") + c.feature + " feature") != std::string::npos);
  }
}

TEST_CASE("features: an MVP module passes with every feature off") {
  ir::Module module = parse(R"((module (memory 1) (table 2 funcref) (global i32 (i32.const 1))
    (func $f (param i32) (result i32) (i32.add (local.get 0) (global.get 0)))
    (elem (i32.const 0) $f) (data (i32.const 0) "x")
    (func (export "g") (result i32) (call_indirect (param i32) (result i32) (i32.const 1) (i32.const 0)))))");
  Features none{false, false, false, false, false, false, false};
  Status status = validate::checkFeatures(module, none);
  CHECK_MESSAGE(status.ok(), (status.ok() ? "" : status.error().describe()));
}
