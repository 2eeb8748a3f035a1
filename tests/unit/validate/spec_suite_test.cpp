// The validator against the official 2.0 test suite, through our own text parser and decoder:
// every module must validate, and every assert_invalid must fail with the expected wording as
// the prefix of its message. Also a few text snippets whose binary encoding matters.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "orca/decode/decode.h"
#include "orca/text/wast.h"
#include "orca/text/wat.h"
#include "orca/validate/validate.h"
#include "../testsuite.h"

using namespace orca;

namespace {

Status validateWat(std::string_view source) {
  auto bytes = text::watToWasm(source);
  REQUIRE_MESSAGE(bytes.ok(), (bytes.ok() ? std::string() : bytes.error().message));
  auto module = decode::decodeModule(*bytes);
  REQUIRE_MESSAGE(module.ok(), (module.ok() ? std::string() : module.error().message));
  return validate::validateModule(*module);
}

void checkInvalidWat(std::string_view source, std::string_view prefix) {
  auto s = validateWat(source);
  REQUIRE_FALSE(s.ok());
  INFO(s.error().message);
  CHECK(s.error().kind == ErrorKind::Invalid);
  CHECK(std::string_view(s.error().message).starts_with(prefix));
}

}  // namespace

TEST_CASE("text to binary to validation") {
  CHECK(validateWat("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))").ok());
  checkInvalidWat("(module (func (result i32) (i32.add (i32.const 1) (f64.const 2))))", "type mismatch");
  // `select (result)` is the typed select with zero types, not the untyped one.
  checkInvalidWat("(module (func (select (result) (nop) (nop) (i32.const 1))))", "invalid result arity");
  // memory.init with no data segments still gets a data count section, so the index is what fails.
  checkInvalidWat("(module (memory 1) (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0))))",
                  "unknown data segment");
  checkInvalidWat("(module (func $f (drop (ref.func $f))))", "undeclared function reference");
  CHECK(validateWat("(module (func $f (drop (ref.func $f))) (elem declare func $f))").ok());
}

TEST_CASE("the 2.0 spec suite: modules validate, assert_invalid fails with the expected wording") {
  std::filesystem::path dir = std::filesystem::path(ORCA_TESTSUITE_DIR) / "wasm-2.0";
  if (!orca::test::requireTestsuite(dir)) return;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".wast") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());

  size_t modules = 0, invalids = 0;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream source;
    source << in.rdbuf();
    auto script = text::parseWast(source.str());
    if (!script) {
      // A script our text parser cannot read yet is the text stage's business, not ours.
      MESSAGE(path.filename().string() << ": " << script.error().message);
      continue;
    }
    for (const auto& cmd : script->commands) {
      bool isModule = cmd.kind == text::WastCommand::Kind::Module;
      bool isInvalid = cmd.kind == text::WastCommand::Kind::AssertInvalid;
      if (!isModule && !isInvalid) continue;
      const auto& wm = cmd.module;
      if (wm.textError) continue;
      std::vector<uint8_t> bytes;
      if (wm.form == text::WastModule::Form::Quote) {
        auto encoded = text::watToWasm(wm.quote);
        if (!encoded) continue;
        bytes = std::move(*encoded);
      } else {
        bytes = wm.binary;
      }
      auto module = decode::decodeModule(bytes);
      if (!module) continue;  // the decoder's tests cover what it rejects
      auto status = validate::validateModule(*module);
      INFO(path.filename().string() << ":" << cmd.line);
      if (isModule) {
        ++modules;
        INFO((status.ok() ? std::string() : status.error().message));
        CHECK(status.ok());
      } else {
        ++invalids;
        INFO("expected: " << cmd.message);
        REQUIRE_FALSE(status.ok());
        INFO("got: " << status.error().message);
        CHECK(std::string_view(status.error().message).starts_with(cmd.message));
      }
    }
  }
  MESSAGE(modules << " modules validated, " << invalids << " assert_invalid checked");
  // The 2.0 suite has about 1600 modules and 2150 assert_invalid: make sure we ran them.
  CHECK(modules > 1500);
  CHECK(invalids > 2000);
}
