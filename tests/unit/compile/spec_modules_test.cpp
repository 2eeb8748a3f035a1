// The valid modules of the official 2.0 scripts compile (and its IR verifies) under every
// switch that changes code generation; the first modules of each script also load. Execution
// of the scripts is the spec runner's job (tests/spec); this covers the option combinations it
// does not run.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.h"
#include "orca/text/wast.h"

using namespace orca;

namespace {

std::vector<ir::Module> validModules(const std::filesystem::path& script) {
  std::ifstream in(script);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = text::parseWast(text.str());
  REQUIRE_MESSAGE(parsed.ok(), script.string());
  std::vector<ir::Module> modules;
  for (const auto& cmd : parsed->commands) {
    if (cmd.kind != text::WastCommand::Kind::Module) continue;
    if (cmd.module.form != text::WastModule::Form::Text && cmd.module.form != text::WastModule::Form::Binary) continue;
    if (cmd.module.textError) continue;
    auto decoded = decode::decodeModule(cmd.module.binary);
    if (!decoded.ok() || !validate::validateModule(*decoded).ok()) continue;
    modules.push_back(std::move(decoded.value()));
  }
  return modules;
}

}  // namespace

TEST_CASE("every valid spec module compiles under every code generation switch") {
  std::filesystem::path dir = std::filesystem::path(ORCA_TESTSUITE_DIR) / "wasm-2.0";
  if (!std::filesystem::exists(dir)) return;  // the suite lives beside the repository
  std::vector<compile::CompileOptions> variants(4);
  variants[0].optLevel = 0;
  variants[1].explicitBoundsChecks = true;
  variants[2].fuel = true;
  variants[2].interruptible = true;
  variants[3].optLevel = 1;
  variants[3].explicitBoundsChecks = true;
  variants[3].fuel = true;
  for (auto& v : variants) v.threads = 2;
  size_t compiled = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".wast") continue;
    std::vector<ir::Module> modules = validModules(entry.path());
    // The first few modules of each script: enough to meet every instruction family, cheap
    // enough for the sanitizer build.
    for (size_t i = 0; i < std::min<size_t>(modules.size(), 3); ++i) {
      for (size_t k = 0; k < variants.size(); ++k) {
        // The options cost compile time: spread them over the modules, each module getting at
        // least one variant and the first module of each script all of them.
        if (i > 0 && (i + k) % variants.size() != 0) continue;
        auto result = compile::compileModule(modules[i], variants[k]);
        CAPTURE(entry.path().filename().string());
        CAPTURE(i);
        CAPTURE(k);
        REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().describe()));
        ++compiled;
        if (i == 0) {
          auto loaded = testing::testJit().load(std::make_shared<const compile::CompiledModule>(*result));
          REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().describe()));
        }
      }
    }
  }
  CHECK(compiled > 200);
}
