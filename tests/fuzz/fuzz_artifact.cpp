// libFuzzer target for the artifact loader (Module::deserialize). An artifact is sealed with a
// SHA-256 and tagged with the code generator's fingerprint, so a mutated file is almost always a
// clean rejection at the seal and the fuzzer would learn nothing behind it. This target therefore
// fuzzes what lies behind both checks: the input is an artifact's contents after its fingerprint
// and options (wasm bytes with a u64 length, function and type counts, the objects with their
// lengths), and the target puts this build's header in front and *reseals* the result with the
// runtime's own sha256 (appendSeal). deserialize then reads the layout, decodes the embedded
// module (bodies skipped), validates its declarations, matches the counts and loads the objects.
// Any failure must be a clean error (Malformed, Invalid or Unsupported). A loaded module is
// instantiated with stub imports unless it has a start function; no code of it is ever run: an
// intact artifact's code is trusted like a shared library (docs/security.md), so running a
// mutated one would test nothing but that trust.
//
// Seeds: ORCA_FUZZ_ARTIFACT_SEEDS=DIR fuzz_artifact M.wasm... writes one seed per module to DIR
// (make-corpus.sh does this) and exits instead of fuzzing.
// Run: ci/fuzz.sh fuzz_artifact SECONDS
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "orca/text/wat.h"
#include "sha256.h"  // core/runtime/src: the seal the loader checks

namespace {

using orca::ErrorKind;
using namespace orca::runtime;

// This build's artifact header: magic, format version, fingerprint and options (each a u32
// length and the text), i.e. everything before the wasm bytes' length. Taken from a real
// artifact so that the target follows the format rather than restating it.
std::vector<uint8_t> header;

size_t headerLength(const std::vector<uint8_t>& artifact) {
  size_t pos = 8 + 4;  // magic, version
  for (int field = 0; field < 2; ++field) {  // fingerprint, options
    if (artifact.size() < pos + 4) return 0;
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length |= uint32_t(artifact[pos + i]) << (8 * i);
    pos += 4 + length;
  }
  return pos <= artifact.size() ? pos : 0;
}

std::vector<uint8_t> serialize(Engine& engine, const std::vector<uint8_t>& wasm) {
  auto module = Module::compile(engine, wasm);
  if (!module) orca::fuzz::fail("seed module", module.error());
  auto artifact = (*module)->serialize();
  if (!artifact) orca::fuzz::fail("serialize", artifact.error());
  return std::move(*artifact);
}

void writeSeeds(Engine& engine, const char* dir, int argc, char** argv) {
  int written = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::vector<uint8_t> wasm{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) orca::fuzz::fail(argv[i], orca::makeError(ErrorKind::Io, "cannot read"));
    std::vector<uint8_t> artifact = serialize(engine, wasm);
    std::filesystem::path out = std::filesystem::path(dir) / std::filesystem::path(argv[i]).stem();
    std::ofstream(out.string() + ".bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(artifact.data() + header.size()),
               std::streamsize(artifact.size() - header.size() - sizeof(Sha256)));
    ++written;
  }
  std::printf("fuzz_artifact: wrote %d seeds to %s\n", written, dir);
  std::exit(written == argc - 1 ? 0 : 1);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  Engine& engine = orca::fuzz::fuzzEngine();
  auto wasm = orca::text::watToWasm(R"((module (func (export "f") (result i32) i32.const 1)))");
  if (!wasm) orca::fuzz::fail("header module", wasm.error());
  std::vector<uint8_t> artifact = serialize(engine, *wasm);
  size_t length = headerLength(artifact);
  if (length == 0) orca::fuzz::fail("header", orca::makeError(ErrorKind::Malformed, "artifact layout not understood"));
  header.assign(artifact.begin(), artifact.begin() + std::ptrdiff_t(length));
  if (const char* dir = std::getenv("ORCA_FUZZ_ARTIFACT_SEEDS")) writeSeeds(engine, dir, *argc, *argv);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> artifact = header;
  artifact.insert(artifact.end(), data, data + size);
  appendSeal(artifact);
  Engine& engine = orca::fuzz::fuzzEngine();
  auto module = Module::deserialize(engine, artifact);
  if (!module) {
    orca::fuzz::expectKind("deserialize", module.error(), {ErrorKind::Malformed, ErrorKind::Invalid, ErrorKind::Unsupported});
    return 0;
  }
  if ((*module)->ir().start) return 0;
  Store store(engine, orca::fuzz::fuzzStoreLimits());
  auto imports = orca::fuzz::stubImports(store, **module);
  if (!imports) {
    orca::fuzz::expectKind("imports", imports.error(), {ErrorKind::Exhaustion});
    return 0;
  }
  auto instance = store.instantiate(*module, *imports);
  if (!instance) orca::fuzz::expectKind("instantiate", instance.error(), {ErrorKind::Uninstantiable, ErrorKind::Exhaustion});
  return 0;
}
