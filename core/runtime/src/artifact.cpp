// Compiled artifacts (Module::serialize / deserialize) and the module cache built on them.
//
// An artifact is native code: loading one is trusting it like a shared library. What this file
// guarantees is that a damaged artifact is refused (a SHA-256 over the whole file, checked before
// anything in it is read), that code from another build, CPU or configuration is refused, and that
// a cache entry is only used for the module it was made from. It cannot tell a deliberately forged
// artifact from a real one; docs/c-api.md and docs/troubleshooting.md say so.
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "internal.h"
#include "orca/decode/decode.h"
#include "orca/runtime/module_cache.h"
#include "sha256.h"

namespace orca::runtime {

// --- The artifact format ---------------------------------------------------------------------
//
// Little-endian: "\0orcamod" (8 bytes), u32 format version, the code generator's fingerprint and
// the code-changing options (a string each, u32 length first), the wasm bytes (u64 length first),
// the CompiledModule (u32 funcCount, u32 typeCount, u32 object count, each object with a u64
// length first), and last the SHA-256 of everything before it. The wasm bytes are kept so that the
// IR (imports, exports, segments) is rebuilt by the decoder rather than trusted from the file.

namespace {

constexpr char kMagic[8] = {'\0', 'o', 'r', 'c', 'a', 'm', 'o', 'd'};
constexpr uint32_t kFormatVersion = 2;

void put(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void putBytes(std::vector<uint8_t>& out, std::span<const uint8_t> b, int lengthBytes) {
  put(out, b.size(), lengthBytes);
  out.insert(out.end(), b.begin(), b.end());
}
std::span<const uint8_t> asBytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

struct Reader {
  std::span<const uint8_t> in;
  size_t pos = 0;
  bool ok = true;
  uint64_t get(int bytes) {
    if (in.size() - pos < static_cast<size_t>(bytes)) return ok = false, 0;
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t(in[pos++]) << (8 * i);
    return v;
  }
  std::span<const uint8_t> getBytes(int lengthBytes) {
    uint64_t n = get(lengthBytes);
    if (!ok || in.size() - pos < n) return ok = false, std::span<const uint8_t>();
    auto s = in.subspan(pos, n);
    pos += n;
    return s;
  }
  std::string getString() {
    auto s = getBytes(4);
    return std::string(s.begin(), s.end());
  }
};

std::string optionsKey(const compile::CompileOptions& o) {
  return "opt=" + std::to_string(o.optLevel) + " checks=" + std::to_string(o.explicitBoundsChecks) +
         " fuel=" + std::to_string(o.fuel) + " interrupt=" + std::to_string(o.interruptible);
}

// An artifact whose integrity was checked, not yet matched against an engine.
struct ParsedArtifact {
  std::string fingerprint;
  std::string options;
  std::span<const uint8_t> wasm;
  compile::CompiledModule compiled;
};

Result<ParsedArtifact> parseArtifact(std::span<const uint8_t> data) {
  if (data.size() < sizeof kMagic || !std::equal(std::begin(kMagic), std::end(kMagic), data.begin()))
    return makeError(ErrorKind::Malformed, "not a serialized Orca module");
  Reader r{data, sizeof kMagic};
  uint32_t version = static_cast<uint32_t>(r.get(4));
  if (!r.ok) return makeError(ErrorKind::Malformed, "serialized module: truncated");
  if (version != kFormatVersion)
    return makeError(ErrorKind::Unsupported, "serialized module: format version " + std::to_string(version) +
                                                 ", this Orca reads version " + std::to_string(kFormatVersion));
  if (data.size() < r.pos + std::tuple_size_v<Sha256>)
    return makeError(ErrorKind::Malformed, "serialized module is damaged: truncated");
  auto body = unseal(data);
  if (!body)
    return makeError(ErrorKind::Malformed,
                     "serialized module is damaged: its SHA-256 does not match its contents (truncated or modified)");
  r.in = *body;
  ParsedArtifact a;
  a.fingerprint = r.getString();
  a.options = r.getString();
  a.wasm = r.getBytes(8);
  a.compiled.funcCount = static_cast<uint32_t>(r.get(4));
  a.compiled.typeCount = static_cast<uint32_t>(r.get(4));
  uint64_t objects = r.get(4);
  for (uint64_t i = 0; r.ok && i < objects; ++i) {
    auto object = r.getBytes(8);
    a.compiled.objects.emplace_back(object.begin(), object.end());
  }
  // Only a writer bug gets here (the digest matched): still refuse rather than guess.
  if (!r.ok || r.pos != body->size()) return makeError(ErrorKind::Malformed, "serialized module: inconsistent layout");
  return a;
}

std::vector<uint8_t> encodeArtifact(const Engine& engine, std::span<const uint8_t> wasm,
                                    const compile::CompiledModule& compiled) {
  std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
  put(out, kFormatVersion, 4);
  putBytes(out, asBytes(compile::codegenFingerprint()), 4);
  putBytes(out, asBytes(optionsKey(engine.config().compile)), 4);
  putBytes(out, wasm, 8);
  put(out, compiled.funcCount, 4);
  put(out, compiled.typeCount, 4);
  put(out, compiled.objects.size(), 4);
  for (const auto& object : compiled.objects) putBytes(out, object, 8);
  appendSeal(out);
  return out;
}

}  // namespace

Result<std::vector<uint8_t>> Module::serialize() const {
  if (bytes_.empty())
    return makeError(ErrorKind::Unsupported, "cannot serialize a module built from IR (no wasm bytes)");
  if (!code_) return makeError(ErrorKind::Unsupported, "cannot serialize a module without compiled code (no JIT)");
  if (compiled_) return encodeArtifact(*engine_, bytes_, *compiled_);
  // Compiled lazily: an artifact holds every function, optimised as an eager compile would.
  auto compiled = compile::compileModule(ir_, engine_->config().compile);
  if (!compiled) return compiled.takeError();
  return encodeArtifact(*engine_, bytes_, *compiled);
}

// Matches an intact artifact against `engine` and loads it. `expectedWasm`, when given, is the
// module the caller asked for (a cache lookup): an artifact of any other module is refused.
Result<std::shared_ptr<const Module>> Module::loadArtifact(Engine& engine, std::span<const uint8_t> data,
                                                           std::optional<std::span<const uint8_t>> expectedWasm) {
  auto artifact = parseArtifact(data);
  if (!artifact) return artifact.takeError();
  if (!engine.compiles()) return makeError(ErrorKind::Unsupported, "cannot deserialize without a JIT");
  std::string fingerprint = compile::codegenFingerprint(), options = optionsKey(engine.config().compile);
  if (artifact->fingerprint != fingerprint)
    return makeError(ErrorKind::Unsupported, "serialized module was compiled by a different Orca build, LLVM or CPU (" +
                                                 artifact->fingerprint + "; this one is " + fingerprint + ")");
  if (artifact->options != options)
    return makeError(ErrorKind::Unsupported, "serialized module was compiled with other options (" + artifact->options +
                                                 "; this engine uses " + options + ")");
  if (expectedWasm && !std::ranges::equal(artifact->wasm, *expectedWasm))
    return makeError(ErrorKind::Malformed, "cache entry holds the code of another module");
  // The fingerprint says that this build compiled these bytes, so their function bodies were
  // decoded and validated then, with all features on or with the compiling engine's switches.
  // Everything but the bodies is decoded and validated again (instantiation relies on it); the
  // bodies only when this engine has a feature switched off, since checkFeatures reads them.
  bool bodiesChecked = engine.config().features == validate::Features{};
  auto decoded = decode::decodeModule(artifact->wasm, bodiesChecked ? decode::Bodies::Skip : decode::Bodies::Decode);
  if (!decoded) return decoded.takeError();
  if (artifact->compiled.funcCount != decoded->functions.size() || artifact->compiled.typeCount != decoded->types.size())
    return makeError(ErrorKind::Malformed, "serialized module: code does not match its module");
  auto module = build(engine, std::move(*decoded), std::vector<uint8_t>(artifact->wasm.begin(), artifact->wasm.end()),
                      std::make_shared<const compile::CompiledModule>(std::move(artifact->compiled)),
                      bodiesChecked ? Validation::DeclarationsOnly : Validation::Full);
  // An artifact's code comes from outside: intact code that does not link or lacks a function was
  // not written by this build's compiler, so the artifact is refused as damaged rather than
  // reported as a failure of this Orca.
  if (!module && module.error().kind == ErrorKind::Internal)
    return makeError(ErrorKind::Malformed, "serialized module: its code does not load (" + module.error().message + ")");
  return module;
}

Result<std::shared_ptr<const Module>> Module::deserialize(Engine& engine, std::span<const uint8_t> data) {
  return loadArtifact(engine, data, std::nullopt);
}

// --- The module cache ------------------------------------------------------------------------
//
// One file per module, <dir>/<SHA-256 hex>.orcamod: the artifact compressed with zstd, sealed
// with a SHA-256 of the compressed bytes (unpackCacheEntry). The name is the SHA-256 of the wasm bytes, the code generator's fingerprint
// and the options, so another build, CPU or configuration looks for another file. A hit must
// still prove itself: the file's SHA-256, zstd's checksum, the artifact's own SHA-256, fingerprint and options, and
// its wasm bytes equal to the module asked for (a file copied over another entry's name is not
// returned). A refused entry is replaced by a fresh compile. Writing, eviction and what is safe
// with several processes at once are module_cache.cpp's.

namespace {

std::string cacheFileName(const Engine& engine, std::span<const uint8_t> bytes) {
  std::string tag = '\n' + compile::codegenFingerprint() + '\n' + optionsKey(engine.config().compile);
  return toHex(sha256({bytes, asBytes(tag)})) + ".orcamod";
}

std::optional<std::vector<uint8_t>> readFile(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return std::nullopt;
  std::vector<uint8_t> data;
  uint8_t chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) data.insert(data.end(), chunk, chunk + n);
  bool failed = std::ferror(file);
  std::fclose(file);
  if (failed) return std::nullopt;
  return data;
}

// A cache file is the zstd frame (with zstd's content checksum) of the artifact followed by the
// SHA-256 of that frame: zstd alone would accept a change to a frame header field that does not
// alter the content, and every changed byte should be a refused entry.
std::optional<std::vector<uint8_t>> unpackCacheEntry(std::span<const uint8_t> file) {
  auto frame = unseal(file);
  if (!frame) return std::nullopt;
  std::span<const uint8_t> packed = *frame;
  unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 34)) return std::nullopt;
  std::vector<uint8_t> data(size);
  size_t got = ZSTD_decompress(data.data(), data.size(), packed.data(), packed.size());
  if (ZSTD_isError(got) || got != size) return std::nullopt;
  return data;
}

std::vector<uint8_t> packCacheEntry(const std::vector<uint8_t>& artifact) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
  std::vector<uint8_t> packed(ZSTD_compressBound(artifact.size()));
  size_t n = ZSTD_compress2(context, packed.data(), packed.size(), artifact.data(), artifact.size());
  ZSTD_freeCCtx(context);
  if (ZSTD_isError(n)) return {};
  packed.resize(n);
  appendSeal(packed);
  return packed;
}

// Writes the entry for `artifact` and keeps the directory under the engine's cap; returns how many
// entries that evicted, or nothing when the entry could not be written. An entry that alone
// exceeds the cap is not written: it would only evict everything else.
std::optional<uint64_t> storeCacheEntry(const Engine& engine, const std::filesystem::path& path,
                                        const std::vector<uint8_t>& artifact) {
  std::vector<uint8_t> packed = packCacheEntry(artifact);
  uint64_t maxBytes = engine.config().cacheMaxBytes;
  if (packed.empty() || packed.size() > maxBytes) return 0;
  if (!cache::writeAtomically(path, packed)) return std::nullopt;
  return cache::evict(path.parent_path(), maxBytes, path);
}

}  // namespace

Result<std::shared_ptr<const Module>> Module::compileCached(Engine& engine, std::span<const uint8_t> bytes) {
  std::filesystem::path path = std::filesystem::path(engine.config().cacheDirectory) / cacheFileName(engine, bytes);
  if (auto packed = readFile(path)) {
    auto artifact = unpackCacheEntry(*packed);
    auto cached = artifact ? loadArtifact(engine, *artifact, bytes)
                           : Result<std::shared_ptr<const Module>>(makeError(ErrorKind::Malformed, "damaged cache entry"));
    if (cached) {
      ++engine.cacheCounters_.hits;
      cache::touch(path);
      return cached;
    }
    // A module that is refused for what it is (invalid, a feature switched off) is refused the
    // same way when compiled; anything else means a bad entry: compile and replace it.
    if (cached.error().kind == ErrorKind::Invalid) return cached.takeError();
    ++engine.cacheCounters_.rejected;
  }
  ++engine.cacheCounters_.misses;
  auto decoded = decode::decodeModule(bytes);
  if (!decoded) return decoded.takeError();
  auto module = build(engine, std::move(*decoded), std::vector<uint8_t>(bytes.begin(), bytes.end()), nullptr);
  if (!module) return module;
  // Compiled lazily, the module has no whole compiled code to keep: the next run compiles lazily
  // again, as fast as this one.
  if (!(*module)->compiled_) return module;
  // The module compiled either way: a cache that cannot be written only costs the next compile.
  if (auto evicted = storeCacheEntry(engine, path, encodeArtifact(engine, bytes, *(*module)->compiled_)))
    engine.cacheCounters_.evicted += *evicted;
  else
    ++engine.cacheCounters_.writeFailures;
  return module;
}

}  // namespace orca::runtime
