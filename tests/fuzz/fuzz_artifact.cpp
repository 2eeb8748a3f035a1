// libFuzzer target for the artifact loader (Module::deserialize). An artifact is sealed with a
// SHA-256 and tagged with the code generator's fingerprint, so a mutated file is almost always a
// clean rejection at the seal and the fuzzer would learn nothing behind it. This target therefore
// builds artifacts that pass both checks and fuzzes what the loader reads behind them: it puts
// this build's header (magic, version, fingerprint, options) in front and *reseals* the result
// with the runtime's own appendSeal.
//
// What is behind the seal is the wasm bytes, from which the loader rebuilds the module (bodies
// skipped, declarations validated), the function and type counts, and the native objects. The
// objects are code: an intact artifact is trusted like a shared library (docs/security.md), and
// LLVM's JITLink does not defend itself against forged relocations (this target's first run
// crashed in x86_64::applyFixup on a flipped byte). So the objects always come from this build's
// compiler, and everything else comes from the input:
//   u8 flags, u16 amount, u32 n, n bytes "code module", the rest "declared module".
// The code module is compiled (and must compile, else the input is skipped); the artifact holds
// the declared module's bytes with the code module's counts and objects. The flags then damage
// the layout: bit 0 cuts `amount` bytes off the end of the contents, bit 1 appends `amount` zero
// bytes, bit 2 adds the low byte of `amount` to the function count, bit 3 to the type count.
// Seeds (make-corpus.sh) declare the module they compiled, unchanged; the fuzzer then alters
// either side, so the loader meets declarations that disagree with the code it is given.
// Every failure must be a clean error (Malformed, Invalid, Unsupported). A loaded module is
// instantiated with stub imports unless it has a start function; no code of it is ever run.
// Run: ci/fuzz.sh fuzz_artifact SECONDS
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "fuzz_support.h"
#include "orca/text/wat.h"
#include "sha256.h"  // core/runtime/src: the seal the loader checks

namespace {

using orca::ErrorKind;
using namespace orca::runtime;

// This build's artifact header: magic, format version, fingerprint and options (each a u32
// length and the text), i.e. everything before the wasm bytes' u64 length. Taken from a real
// artifact, so that the target follows the format rather than restating it.
std::vector<uint8_t> header;

uint64_t readLe(std::span<const uint8_t> bytes, size_t at, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v |= uint64_t(bytes[at + i]) << (8 * i);
  return v;
}

size_t headerLength(std::span<const uint8_t> artifact) {
  size_t pos = 8 + 4;  // magic, version
  for (int field = 0; field < 2; ++field) {  // fingerprint, options
    if (artifact.size() < pos + 4) return 0;
    pos += 4 + readLe(artifact, pos, 4);
  }
  return pos <= artifact.size() ? pos : 0;
}

// What follows the wasm bytes in the artifact of `wasm` (counts and objects, before the seal),
// or nothing when the module does not compile. Compiles are remembered: most mutations change
// the declared module only.
std::optional<std::vector<uint8_t>> compiledTail(std::span<const uint8_t> wasm) {
  static std::map<std::vector<uint8_t>, std::optional<std::vector<uint8_t>>> made;
  std::vector<uint8_t> key(wasm.begin(), wasm.end());
  if (auto found = made.find(key); found != made.end()) return found->second;
  if (made.size() >= 256) made.clear();
  std::optional<std::vector<uint8_t>> tail;
  if (auto module = Module::compile(orca::fuzz::fuzzEngine(), wasm)) {
    auto artifact = (*module)->serialize();
    if (!artifact) orca::fuzz::fail("serialize", artifact.error());
    size_t start = header.size() + 8 + wasm.size();
    tail.emplace(artifact->begin() + std::ptrdiff_t(start), artifact->end() - std::ptrdiff_t(sizeof(Sha256)));
  }
  return made[std::move(key)] = std::move(tail);
}

void put(std::vector<uint8_t>& out, uint64_t v, int width) {
  for (int i = 0; i < width; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto wasm = orca::text::watToWasm(R"((module (func (export "f") (result i32) i32.const 1)))");
  if (!wasm) orca::fuzz::fail("header module", wasm.error());
  auto module = Module::compile(orca::fuzz::fuzzEngine(), *wasm);
  if (!module) orca::fuzz::fail("header module", module.error());
  auto artifact = (*module)->serialize();
  if (!artifact) orca::fuzz::fail("serialize", artifact.error());
  size_t length = headerLength(*artifact);
  if (length == 0 || readLe(*artifact, length, 8) != wasm->size())
    orca::fuzz::fail("header", orca::makeError(ErrorKind::Malformed, "artifact layout not understood"));
  header.assign(artifact->begin(), artifact->begin() + std::ptrdiff_t(length));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  if (size < 7) return 0;
  uint8_t flags = input[0];
  uint16_t amount = uint16_t(readLe(input, 1, 2));
  uint64_t codeSize = readLe(input, 3, 4);
  if (codeSize > size - 7) return 0;
  auto tail = compiledTail(input.subspan(7, codeSize));
  if (!tail) return 0;
  orca::fuzz::count("code compiled");
  std::span<const uint8_t> declared = input.subspan(7 + codeSize);

  std::vector<uint8_t> artifact = header;
  put(artifact, declared.size(), 8);
  artifact.insert(artifact.end(), declared.begin(), declared.end());
  size_t counts = artifact.size();
  artifact.insert(artifact.end(), tail->begin(), tail->end());
  if (flags & 4) artifact[counts] += uint8_t(amount);      // funcCount's low byte
  if (flags & 8) artifact[counts + 4] += uint8_t(amount);  // typeCount's low byte
  if (flags & 1) artifact.resize(artifact.size() - std::min<size_t>(amount, artifact.size() - header.size()));
  if (flags & 2) artifact.resize(artifact.size() + amount);
  appendSeal(artifact);

  Engine& engine = orca::fuzz::fuzzEngine();
  auto module = Module::deserialize(engine, artifact);
  if (!module) {
    orca::fuzz::expectKind("deserialize", module.error(), {ErrorKind::Malformed, ErrorKind::Invalid, ErrorKind::Unsupported});
    return 0;
  }
  orca::fuzz::count("loaded");
  if ((*module)->ir().start) return 0;
  Store store(engine, orca::fuzz::fuzzStoreLimits());
  auto imports = orca::fuzz::stubImports(store, **module);
  if (!imports) {
    orca::fuzz::expectKind("imports", imports.error(), {ErrorKind::Exhaustion});
    return 0;
  }
  auto instance = store.instantiate(*module, *imports);
  if (instance) orca::fuzz::count("instantiated");
  if (!instance) orca::fuzz::expectKind("instantiate", instance.error(), {ErrorKind::Uninstantiable, ErrorKind::Exhaustion});
  return 0;
}
