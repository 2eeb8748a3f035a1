// Compiled artifacts and the module cache: integrity, matching, and compiling once.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "helpers.h"
#include "orca/compile/compile.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

constexpr const char* kTimesThree = R"((module (func (export "f") (param i32) (result i32)
  local.get 0 i32.const 3 i32.mul)))";
constexpr const char* kPlusOne = R"((module (func (export "f") (param i32) (result i32)
  local.get 0 i32.const 1 i32.add)))";

std::vector<uint8_t> readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void writeAll(const std::filesystem::path& path, const std::vector<uint8_t>& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

// Changes one byte (XOR with a nonzero value) or truncates: mutation `i` of `data`.
std::vector<uint8_t> mutate(const std::vector<uint8_t>& data, std::mt19937& random, bool truncate) {
  std::vector<uint8_t> out = data;
  if (truncate) {
    out.resize(std::uniform_int_distribution<size_t>(0, data.size() - 1)(random));
  } else {
    size_t at = std::uniform_int_distribution<size_t>(0, data.size() - 1)(random);
    out[at] ^= static_cast<uint8_t>(std::uniform_int_distribution<int>(1, 255)(random));
  }
  return out;
}

std::filesystem::path onlyEntry(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> entries;
  for (const auto& e : std::filesystem::directory_iterator(dir)) entries.push_back(e.path());
  REQUIRE(entries.size() == 1);
  return entries[0];
}

}  // namespace

TEST_CASE("artifact: serialize reuses the compiled code (one compile)") {
  Engine& engine = sharedEngine();
  auto bytes = wasmOf(kTimesThree);
  uint64_t before = compile::modulesCompiled();
  auto module = Module::compile(engine, bytes);
  REQUIRE(module.ok());
  auto artifact = (*module)->serialize();
  REQUIRE(artifact.ok());
  CHECK(compile::modulesCompiled() - before == 1);
  auto back = Module::deserialize(engine, *artifact);
  REQUIRE(back.ok());
  CHECK(compile::modulesCompiled() - before == 1);
  CHECK(callF(engine, *back) == 42);
}

TEST_CASE("artifact: 1,000 single-byte changes and truncations are all refused") {
  Engine& engine = sharedEngine();
  auto module = Module::compile(engine, wasmOf(kTimesThree));
  REQUIRE(module.ok());
  auto artifact = (*module)->serialize();
  REQUIRE(artifact.ok());
  std::mt19937 random(20261207);
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    auto damaged = mutate(*artifact, random, i % 4 == 3);
    auto loaded = Module::deserialize(engine, damaged);
    if (!loaded.ok()) ++refused;
    else FAIL_CHECK("mutation " << i << " loaded");
  }
  CHECK(refused == 1000);
  // The message says what is wrong.
  std::vector<uint8_t> changed = *artifact;
  changed[changed.size() / 2] ^= 0x40;
  auto refusal = Module::deserialize(engine, changed);
  REQUIRE_FALSE(refusal.ok());
  CHECK(refusal.error().kind == ErrorKind::Malformed);
  CHECK(refusal.error().message.find("damaged") != std::string::npos);
}

TEST_CASE("artifact: the fingerprint comes from the build and a foreign one is refused") {
  std::string fingerprint = compile::codegenFingerprint();
  CHECK(fingerprint.find("orca-0.1.0;git-") == 0);
  size_t src = fingerprint.find(";src-");
  REQUIRE(src != std::string::npos);
  CHECK(fingerprint.substr(src + 5, 16).find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(fingerprint.find(";llvm-19") != std::string::npos);

  // An intact artifact (sealed again after the change) from another build: Unsupported.
  Engine& engine = sharedEngine();
  auto module = Module::compile(engine, wasmOf(kTimesThree));
  REQUIRE(module.ok());
  auto artifact = (*module)->serialize();
  REQUIRE(artifact.ok());
  std::vector<uint8_t> other = *artifact;
  auto at = std::search(other.begin(), other.end(), fingerprint.begin(), fingerprint.end());
  REQUIRE(at != other.end());
  *(at + static_cast<long>(src) + 5) ^= 1;  // one hex digit of the source hash, still hex-ish
  resealArtifact(other);
  auto refused = Module::deserialize(engine, other);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::Unsupported);
  CHECK(refused.error().message.find("different Orca build") != std::string::npos);
}

TEST_CASE("cache: a hit loads without compiling") {
  TempDir dir;
  auto engine = cachingEngine(dir.path);
  auto bytes = wasmOf(kTimesThree);
  auto first = Module::compile(*engine, bytes);
  REQUIRE(first.ok());
  uint64_t before = compile::modulesCompiled();
  auto second = Module::compile(*engine, bytes);
  REQUIRE(second.ok());
  CHECK(compile::modulesCompiled() == before);
  CHECK(engine->cacheStats().hits == 1);
  CHECK(engine->cacheStats().misses == 1);
  CHECK(callF(*engine, *second) == 42);
  CHECK(onlyEntry(dir.path).filename().string().size() == 64 + std::string(".orcamod").size());
}

TEST_CASE("cache: an entry copied over another module's name is not returned") {
  TempDir dir;
  auto engine = cachingEngine(dir.path);
  auto timesThree = wasmOf(kTimesThree), plusOne = wasmOf(kPlusOne);
  REQUIRE(Module::compile(*engine, timesThree).ok());
  auto timesThreeEntry = onlyEntry(dir.path);
  auto timesThreeFile = readAll(timesThreeEntry);
  std::filesystem::remove(timesThreeEntry);
  REQUIRE(Module::compile(*engine, plusOne).ok());
  auto plusOneEntry = onlyEntry(dir.path);
  // plusOne's name now holds timesThree's entry.
  writeAll(plusOneEntry, timesThreeFile);
  auto module = Module::compile(*engine, plusOne);
  REQUIRE(module.ok());
  CHECK(callF(*engine, *module) == 15);
  CHECK(engine->cacheStats().rejected == 1);
  CHECK(engine->cacheStats().hits == 0);
  // The refused entry was replaced by the right one.
  auto again = Module::compile(*engine, plusOne);
  REQUIRE(again.ok());
  CHECK(engine->cacheStats().hits == 1);
}

TEST_CASE("cache: 1,000 single-byte changes and truncations of an entry are all refused") {
  TempDir dir;
  auto engine = cachingEngine(dir.path);
  auto bytes = wasmOf(kTimesThree);
  REQUIRE(Module::compile(*engine, bytes).ok());
  auto entry = onlyEntry(dir.path);
  auto pristine = readAll(entry);
  std::mt19937 random(7);
  for (int i = 0; i < 1000; ++i) {
    writeAll(entry, mutate(pristine, random, i % 4 == 3));
    auto module = Module::compile(*engine, bytes);
    REQUIRE(module.ok());
    CHECK(callF(*engine, *module) == 42);
  }
  CHECK(engine->cacheStats().hits == 0);
  CHECK(engine->cacheStats().rejected == 1000);
}

TEST_CASE("validate: obeys the engine's feature switches, as compile does") {
  auto simd = wasmOf(R"((module (func (export "v") (result v128) v128.const i64x2 1 2)))");
  CHECK(Module::validate(sharedEngine(), simd).ok());
  EngineConfig config;
  config.features.simd = false;
  config.compileCode = false;
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  Status status = Module::validate(**engine, simd);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == ErrorKind::Invalid);
  CHECK(Module::compile(**engine, simd).error().message == status.error().message);
}
