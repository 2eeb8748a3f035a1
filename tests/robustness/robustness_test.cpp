// No input crashes the front end. Every module of the spec suite (or, without the suite, of
// examples/) is decoded and validated after truncation at many points and after random byte
// flips; every script is parsed after truncation. Under the ASan/UBSan build this also proves
// the absence of memory errors on those inputs.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "orca/decode/decode.h"
#include "orca/text/wast.h"
#include "orca/text/wat.h"
#include "orca/validate/validate.h"

namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> filesIn(const fs::path& folder, const char* extension) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return files;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().extension() == extension) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

fs::path suiteFolder() {
  const char* env = std::getenv("ORCA_TESTSUITE");
  return fs::path(env && *env ? env : ORCA_TESTSUITE_DIR) / "wasm-2.0";
}

// Valid module binaries to corrupt: every module definition of the suite's scripts, or the
// shipped examples when the suite is absent.
std::vector<std::vector<uint8_t>> corpus() {
  std::vector<std::vector<uint8_t>> modules;
  for (const auto& path : filesIn(suiteFolder(), ".wast")) {
    auto script = orca::text::parseWast(readText(path));
    if (!script) continue;
    for (const auto& command : script->commands)
      if (command.kind == orca::text::WastCommand::Kind::Module && !command.module.textError &&
          command.module.form != orca::text::WastModule::Form::Quote)
        modules.push_back(command.module.binary);
  }
  if (modules.empty()) {
    for (const auto& path : filesIn(ORCA_EXAMPLES_DIR, ".wat")) {
      auto binary = orca::text::watToWasm(readText(path));
      if (binary) modules.push_back(*binary);
    }
  }
  return modules;
}

// Decodes and validates; true when the bytes were accepted.
bool accepts(const std::vector<uint8_t>& bytes) {
  auto module = orca::decode::decodeModule(bytes);
  if (!module) {
    CHECK(module.error().kind == orca::ErrorKind::Malformed);
    CHECK_FALSE(module.error().message.empty());
    return false;
  }
  auto status = orca::validate::validateModule(*module);
  if (!status) {
    CHECK(status.error().kind == orca::ErrorKind::Invalid);
    CHECK_FALSE(status.error().message.empty());
    return false;
  }
  return true;
}

// Offsets where a binary could legitimately end: after its header or after a whole section.
std::vector<size_t> sectionEnds(const std::vector<uint8_t>& bytes) {
  std::vector<size_t> ends{8};
  size_t pos = 8;
  while (pos < bytes.size()) {
    ++pos;  // section id
    uint64_t size = 0;
    for (int shift = 0; pos < bytes.size(); shift += 7) {
      uint8_t b = bytes[pos++];
      size |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    pos += size;
    ends.push_back(pos);
  }
  return ends;
}

}  // namespace

TEST_CASE("truncated modules are rejected, except at a section boundary") {
  auto modules = corpus();
  REQUIRE_FALSE(modules.empty());
  size_t rejected = 0;
  for (const auto& module : modules) {
    auto boundaries = sectionEnds(module);
    // Every prefix of a small module; a spread of 64 prefixes of a larger one.
    size_t step = std::max<size_t>(1, module.size() / 64);
    for (size_t length = 0; length < module.size(); length += step) {
      std::vector<uint8_t> prefix(module.begin(), module.begin() + static_cast<long>(length));
      bool boundary = std::find(boundaries.begin(), boundaries.end(), length) != boundaries.end();
      if (accepts(prefix)) CHECK_MESSAGE(boundary, "a prefix of " << length << " bytes was accepted");
      else ++rejected;
    }
  }
  MESSAGE(modules.size() << " modules, " << rejected << " truncations rejected");
  CHECK(rejected > 0);
}

TEST_CASE("modules with random bytes flipped never crash the decoder or validator") {
  auto modules = corpus();
  REQUIRE_FALSE(modules.empty());
  std::mt19937 random(20261124);
  size_t rejected = 0, tried = 0;
  for (const auto& module : modules) {
    if (module.size() <= 8) continue;
    for (int round = 0; round < 16; ++round) {
      std::vector<uint8_t> mutated = module;
      int flips = 1 + static_cast<int>(random() % 4);
      for (int i = 0; i < flips; ++i) {
        size_t at = 8 + random() % (mutated.size() - 8);
        mutated[at] ^= static_cast<uint8_t>(1 + random() % 255);
      }
      ++tried;
      if (!accepts(mutated)) ++rejected;
    }
  }
  MESSAGE(tried << " mutants, " << rejected << " rejected");
  // Most flips break something; a few land in constants or names and stay valid.
  CHECK(rejected * 2 > tried);
}

TEST_CASE("truncated and corrupted scripts never crash the text parser") {
  auto scripts = filesIn(suiteFolder(), ".wast");
  for (const auto& path : filesIn(ORCA_EXAMPLES_DIR, ".wat")) scripts.push_back(path);
  REQUIRE_FALSE(scripts.empty());
  std::mt19937 random(7);
  size_t rejected = 0;
  for (const auto& path : scripts) {
    std::string source = readText(path);
    for (int round = 0; round < 8; ++round) {
      std::string mutated = source.substr(0, random() % (source.size() + 1));
      if (!mutated.empty() && round % 2) mutated[random() % mutated.size()] = "()\";$\\ "[random() % 7];
      auto script = orca::text::parseWast(mutated);
      auto module = orca::text::parseWat(mutated);
      if (!script) ++rejected;
      if (!module) CHECK(module.error().kind == orca::ErrorKind::Malformed);
    }
  }
  CHECK(rejected > 0);
}
