// The script format: every command, values and expectations, module forms and text errors.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "orca/text/wast.h"
#include "../testsuite.h"
#include "text_test_util.h"

using namespace orca;
using namespace orca::text;
using namespace orca::text::test;
using Kind = WastCommand::Kind;

namespace {

WastScript parseScriptOk(std::string_view src) {
  auto r = parseWast(src);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().describe()));
  return std::move(r).value();
}

uint32_t u32At(const ir::V128& v, size_t byte) {
  return uint32_t(v.bytes[byte]) | uint32_t(v.bytes[byte + 1]) << 8 | uint32_t(v.bytes[byte + 2]) << 16 |
         uint32_t(v.bytes[byte + 3]) << 24;
}

}  // namespace

TEST_CASE("every command kind") {
  WastScript s = parseScriptOk(R"W(
(module $M (func (export "f") (param i32) (result i32) (local.get 0)))
(module binary "\00asm" "\01\00\00\00")
(module $Q quote "(func" " (nop))")
(register "m" $M)
(invoke $M "f" (i32.const 1))
(get "g")
(assert_return (invoke "f" (i32.const 7)) (i32.const 7))
(assert_trap (invoke "f" (i32.const 0)) "unreachable")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "f") "call stack exhausted")
(assert_malformed (module quote "(func") "unexpected token")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_uninstantiable (module (memory 0) (data (i32.const 1) "a")) "out of bounds memory access")
)W");
  REQUIRE(s.commands.size() == 14);
  const auto& c = s.commands;
  CHECK(c[0].kind == Kind::Module);
  CHECK(c[0].line == 2);
  CHECK(c[0].module.name == std::optional<std::string>("$M"));
  CHECK(c[0].module.form == WastModule::Form::Text);
  CHECK_FALSE(c[0].module.textError.has_value());
  CHECK(c[0].module.binary.size() > 8);
  CHECK(c[1].module.form == WastModule::Form::Binary);
  CHECK(c[1].module.binary == std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0});
  CHECK(c[2].module.form == WastModule::Form::Quote);
  CHECK(c[2].module.quote == "(func (nop))");
  CHECK(c[2].module.binary.empty());
  CHECK(c[3].kind == Kind::Register);
  CHECK(c[3].registerName == "m");
  CHECK(c[3].registerModule == std::optional<std::string>("$M"));
  CHECK(c[4].kind == Kind::Action);
  CHECK(c[4].action.module == std::optional<std::string>("$M"));
  CHECK(c[4].action.args.size() == 1);
  CHECK(c[5].action.kind == WastAction::Kind::Get);
  CHECK(c[6].kind == Kind::AssertReturn);
  CHECK(c[6].expected.size() == 1);
  CHECK(c[6].expected[0].value.bits.bytes[0] == 7);
  CHECK(c[7].kind == Kind::AssertTrap);
  CHECK_FALSE(c[7].trapsOnModule);
  CHECK(c[7].message == "unreachable");
  CHECK(c[8].kind == Kind::AssertTrap);
  CHECK(c[8].trapsOnModule);
  CHECK(c[9].kind == Kind::AssertExhaustion);
  CHECK(c[10].kind == Kind::AssertMalformed);
  CHECK(c[10].module.quote == "(func");
  CHECK(c[11].kind == Kind::AssertInvalid);
  CHECK(c[11].module.binary.size() > 8);  // invalid modules still encode
  CHECK(c[12].kind == Kind::AssertUnlinkable);
  CHECK(c[13].kind == Kind::AssertUninstantiable);
}

TEST_CASE("values and expectations") {
  WastScript s = parseScriptOk(R"W(
(assert_return (invoke "f"
    (i32.const -1) (i64.const 0x100) (f32.const 1.5) (f64.const -0)
    (v128.const i16x8 1 2 3 4 5 6 7 -1) (ref.null func) (ref.null extern) (ref.extern 42))
  (f32.const nan:canonical) (f64.const nan:arithmetic)
  (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0)
  (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255)
  (ref.extern) (ref.func) (ref.extern 3) (ref.null func)
  (either (i32.const 1) (i32.const 2)))
)W");
  REQUIRE(s.commands.size() == 1);
  const WastCommand& c = s.commands[0];
  const auto& args = c.action.args;
  REQUIRE(args.size() == 8);
  CHECK(u32At(args[0].bits, 0) == 0xFFFFFFFFu);
  CHECK(args[1].type == ir::ValType::I64);
  CHECK(args[1].bits.bytes[1] == 1);
  CHECK(u32At(args[2].bits, 0) == 0x3FC00000u);
  CHECK(args[3].bits.bytes[7] == 0x80);
  CHECK(args[4].type == ir::ValType::V128);
  CHECK(args[4].bits.bytes[14] == 0xFF);
  CHECK(args[5].isNull);
  CHECK(args[5].type == ir::ValType::FuncRef);
  CHECK(args[6].type == ir::ValType::ExternRef);
  CHECK(args[7].hostRef == 42);
  CHECK_FALSE(args[7].isNull);

  const auto& e = c.expected;
  REQUIRE(e.size() == 9);
  CHECK(e[0].nan[0] == NanPattern::Canonical);
  CHECK(e[1].value.type == ir::ValType::F64);
  CHECK(e[1].nan[0] == NanPattern::Arithmetic);
  CHECK(e[2].shape == LaneShape::F32x4);
  CHECK(e[2].nan[0] == NanPattern::Canonical);
  CHECK(e[2].nan[1] == NanPattern::None);
  CHECK(u32At(e[2].value.bits, 4) == 0x3F800000u);
  CHECK(e[2].nan[2] == NanPattern::Arithmetic);
  CHECK(u32At(e[2].value.bits, 12) == 0x80000000u);
  CHECK(e[3].shape == LaneShape::I8x16);
  CHECK(e[4].value.anyNonNull);
  CHECK(e[4].value.type == ir::ValType::ExternRef);
  CHECK(e[5].value.anyNonNull);
  CHECK(e[5].value.type == ir::ValType::FuncRef);
  CHECK(e[6].value.hostRef == 3);
  CHECK(e[7].value.isNull);
  REQUIRE(e[8].either.size() == 2);
  CHECK(e[8].either[1].value.bits.bytes[0] == 2);
}

TEST_CASE("a text module that fails records its error, the script goes on") {
  WastScript s = parseScriptOk(R"W(
(module (func (call $nowhere)))
(module (func))
(assert_invalid (module (func (br $x))) "unknown label")
)W");
  REQUIRE(s.commands.size() == 3);
  REQUIRE(s.commands[0].module.textError.has_value());
  CHECK(startsWith(s.commands[0].module.textError->message, "unknown function"));
  // The position is in the script, where the module's text is.
  checkPosition(*s.commands[0].module.textError, 2, 21);
  CHECK(s.commands[0].module.binary.empty());
  CHECK_FALSE(s.commands[1].module.textError.has_value());
  CHECK(s.commands[2].module.textError.has_value());
}

TEST_CASE("script syntax errors have their line and column, and the message names the token") {
  auto r = parseWast("(module)\n\n(assert_return (invoke \"f\" (i32.const)))\n");
  REQUIRE_FALSE(r.ok());
  checkPosition(r.error(), 3, 38);
  CHECK(r.error().message == "expected a number (')')");
  CHECK(r.error().describe() == "malformed: expected a number (')') (at line 3, column 38)");
  CHECK_FALSE(parseWast("(bogus)").ok());
  CHECK_FALSE(parseWast("(module").ok());
  CHECK_FALSE(parseWast("(assert_return (invoke \"f\") (i32.const 1)").ok());
  CHECK_FALSE(parseWast("(register)").ok());
  CHECK(parseWast("").ok());
}

TEST_CASE("a script that is bare module fields is one module") {
  WastScript s = parseScriptOk("(func) (memory 0) (func (export \"f\"))");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].kind == Kind::Module);
  CHECK_FALSE(s.commands[0].module.textError.has_value());
}

namespace {

// The wasm-2.0 script directory: $ORCA_TESTSUITE, else ORCA_TESTSUITE_DIR from the build, else
// ../shared/testsuite next to the source tree. Each may name the suite root or wasm-2.0 itself.
std::filesystem::path testsuiteDir() {
  std::vector<std::filesystem::path> roots;
  if (const char* env = std::getenv("ORCA_TESTSUITE"); env && *env) roots.emplace_back(env);
  if (std::string_view macro = ORCA_TESTSUITE_DIR; !macro.empty()) roots.emplace_back(macro);
  // <repo>/tests/unit/text/wast_test.cpp -> <repo>/../shared/testsuite
  roots.push_back(std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path().parent_path() /
                  "shared" / "testsuite");
  std::error_code ec;
  for (const auto& root : roots) {
    if (std::filesystem::is_directory(root / "wasm-2.0", ec)) return root / "wasm-2.0";
    if (root.filename() == "wasm-2.0" && std::filesystem::is_directory(root, ec)) return root;
  }
  return roots.front() / "wasm-2.0";
}

}  // namespace

TEST_CASE("every wasm-2.0 spec script parses and its text modules encode") {
  std::filesystem::path dir = testsuiteDir();
  if (!orca::test::requireTestsuite(dir)) return;
  size_t scripts = 0, modules = 0, quotes = 0, malformedRejected = 0, malformedQuotes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".wast") continue;
    ++scripts;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto script = parseWast(buffer.str());
    INFO("script: " << entry.path().filename().string());
    REQUIRE_MESSAGE(script.ok(), (script.ok() ? std::string() : script.error().describe()));
    for (const WastCommand& c : script->commands) {
      INFO("line " << c.line);
      if (c.module.form == WastModule::Form::Text) {
        CHECK_FALSE(c.module.textError.has_value());
        if (!c.module.textError && (c.kind == Kind::Module || c.kind == Kind::AssertInvalid)) {
          ++modules;
          CHECK(c.module.binary.size() >= 8);
        }
      }
      if (c.module.form == WastModule::Form::Quote) {
        auto parsed = watToWasm(c.module.quote);
        if (c.kind == Kind::AssertMalformed) {
          ++malformedQuotes;
          // Every text-level malformed module is rejected, with the spec's wording first.
          CHECK_FALSE(parsed.ok());
          if (!parsed.ok()) {
            INFO("expected: " << c.message << ", got: " << parsed.error().message);
            CHECK(startsWith(parsed.error().message, c.message));
            ++malformedRejected;
          }
        } else {
          ++quotes;
          CHECK(parsed.ok());
        }
      }
    }
  }
  CHECK(scripts == 148);
  CHECK(modules > 3000);
  CHECK(malformedQuotes > 1000);
  CHECK(malformedRejected == malformedQuotes);
  MESSAGE(scripts << " scripts, " << modules << " text modules, " << malformedQuotes
                  << " malformed quote modules rejected, " << quotes << " other quote modules");
}
