// Engine (JIT, interned signatures, host trampolines) and Module (decode + validate + compile +
// load).
#include <sys/mman.h>

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>

#include "internal.h"
#include "orca/decode/decode.h"
#include "orca/jit/jit.h"
#include "orca/validate/validate.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace orca::runtime {

namespace {

#ifdef ORCA_HAVE_JIT
std::unordered_map<std::string, void*> runtimeSymbols() {
  return {
      {"orca_rt_trap", reinterpret_cast<void*>(&orca_rt_trap)},
      {"orca_rt_check_failed", reinterpret_cast<void*>(&orca_rt_check_failed)},
      {"orca_rt_memory_grow", reinterpret_cast<void*>(&orca_rt_memory_grow)},
      {"orca_rt_memory_init", reinterpret_cast<void*>(&orca_rt_memory_init)},
      {"orca_rt_data_drop", reinterpret_cast<void*>(&orca_rt_data_drop)},
      {"orca_rt_memory_copy", reinterpret_cast<void*>(&orca_rt_memory_copy)},
      {"orca_rt_memory_fill", reinterpret_cast<void*>(&orca_rt_memory_fill)},
      {"orca_rt_table_grow", reinterpret_cast<void*>(&orca_rt_table_grow)},
      {"orca_rt_table_fill", reinterpret_cast<void*>(&orca_rt_table_fill)},
      {"orca_rt_table_copy", reinterpret_cast<void*>(&orca_rt_table_copy)},
      {"orca_rt_table_init", reinterpret_cast<void*>(&orca_rt_table_init)},
      {"orca_rt_elem_drop", reinterpret_cast<void*>(&orca_rt_elem_drop)},
      {"orca_rt_host_call", reinterpret_cast<void*>(&orca_rt_host_call)},
  };
}

// The address of a symbol the compiler always emits. Loaded code without it means the compiler
// and the loader disagree: a bug in Orca (ErrorKind::Internal), which Module::deserialize reports
// as damage when the code came from an artifact.
Status lookupCode(const jit::LoadedCode& code, const std::string& symbol, void*& address) {
  address = code.lookup(symbol);
  if (!address) return makeError(ErrorKind::Internal, "loaded code lacks " + symbol);
  return {};
}
#endif

}  // namespace

Result<std::unique_ptr<Engine>> Engine::create(EngineConfig config) {
  std::unique_ptr<Engine> engine(new Engine());
  // Where address space is limited (RLIMIT_AS, small virtual address spaces) the guard region
  // cannot be reserved: generate explicit bounds checks instead of failing every instantiation.
  if (config.memoryMode == MemoryMode::Guarded) {
    constexpr size_t kProbe = (8ull << 30) + 65536;
    void* probe = mmap(nullptr, kProbe, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (probe == MAP_FAILED)
      config.memoryMode = MemoryMode::BoundsChecked;
    else
      munmap(probe, kProbe);
  }
  config.compile.explicitBoundsChecks = config.memoryMode == MemoryMode::BoundsChecked;
  engine->config_ = config;
#ifdef ORCA_HAVE_JIT
  if (config.compileCode) {
    auto jit = jit::Jit::create(runtimeSymbols());
    if (!jit) return jit.takeError();
    engine->jit_ = std::move(*jit);
  }
#endif
  ensureSignalHandlers();
  return engine;
}

Engine::~Engine() = default;

namespace {

// Signature ids are process-wide (abi.h): one interner for every engine.
struct TypeInterner {
  std::mutex mutex;
  std::vector<ir::FuncType> types;
  std::unordered_map<std::string, uint32_t> ids;  // key: funcTypeToString
};

TypeInterner& interner() {
  static TypeInterner* instance = new TypeInterner();  // never destroyed: ids outlive engines
  return *instance;
}

}  // namespace

uint32_t Engine::internType(const ir::FuncType& type) {
  std::string key = ir::funcTypeToString(type);
  TypeInterner& in = interner();
  std::lock_guard lock(in.mutex);
  auto [it, inserted] = in.ids.try_emplace(std::move(key), static_cast<uint32_t>(in.types.size()));
  if (inserted) in.types.push_back(type);
  return it->second;
}

ir::FuncType Engine::typeById(uint32_t id) const {
  TypeInterner& in = interner();
  std::lock_guard lock(in.mutex);
  return in.types.at(id);
}

Result<Engine::Trampolines> Engine::trampolines(uint32_t typeId) {
  {
    std::lock_guard lock(mutex_);
    auto it = trampolines_.find(typeId);
    if (it != trampolines_.end()) return it->second;
  }
  Trampolines result;
#ifdef ORCA_HAVE_JIT
  if (jit_) {
    auto compiled = compile::compileTrampolines(typeById(typeId), config_.compile);
    if (!compiled) return compiled.takeError();
    auto loaded = jit_->load(*compiled);
    if (!loaded) return loaded.takeError();
    ORCA_TRY(lookupCode(**loaded, "orca_entry_0", result.entry));
    ORCA_TRY(lookupCode(**loaded, "orca_thunk_0", result.thunk));
    std::lock_guard lock(mutex_);
    trampolineCode_.push_back(std::move(*loaded));
    trampolines_[typeId] = result;
  }
#endif
  return result;
}

// --- Module ----------------------------------------------------------------------------------

Result<std::shared_ptr<const Module>> Module::compile(Engine& engine, std::span<const uint8_t> bytes) {
  // A cache hit decodes the bytes inside deserialize(): look before decoding here.
  if (!engine.config().cacheDirectory.empty() && engine.jit()) return compileCached(engine, bytes);
  auto decoded = decode::decodeModule(bytes);
  if (!decoded) return decoded.takeError();
  return build(engine, std::move(*decoded), std::vector<uint8_t>(bytes.begin(), bytes.end()), nullptr);
}

Result<std::shared_ptr<const Module>> Module::fromIR(Engine& engine, ir::Module irModule) {
  return build(engine, std::move(irModule), {}, nullptr);
}

Status Module::validate(std::span<const uint8_t> bytes) {
  auto decoded = decode::decodeModule(bytes);
  if (!decoded) return decoded.takeError();
  return validate::validateModule(*decoded);
}

Result<std::shared_ptr<const Module>> Module::build(Engine& engine, ir::Module irModule, std::vector<uint8_t> bytes,
                                                    const compile::CompiledModule* precompiled,
                                                    compile::CompiledModule* keepCompiled) {
  ORCA_TRY(validate::validateModule(irModule));
  ORCA_TRY(validate::checkFeatures(irModule, engine.config().features));
  std::shared_ptr<Module> module(new Module());
  module->engine_ = &engine;
  module->ir_ = std::move(irModule);
  module->bytes_ = std::move(bytes);
  const ir::Module& m = module->ir_;
  for (const ir::FuncType& t : m.types) module->typeIds_.push_back(engine.internType(t));
  module->funcCode_.assign(m.funcCount(), nullptr);
  module->entries_.assign(m.types.size(), nullptr);
  module->thunks_.assign(m.types.size(), nullptr);
#ifdef ORCA_HAVE_JIT
  if (engine.jit()) {
    Result<compile::CompiledModule> compiled =
        precompiled ? Result<compile::CompiledModule>(*precompiled) : compile::compileModule(m, engine.config().compile);
    if (!compiled) return compiled.takeError();
    if (keepCompiled) *keepCompiled = *compiled;
    auto loaded = engine.jit()->load(*compiled);
    if (!loaded) return loaded.takeError();
    module->code_ = std::move(*loaded);
    for (uint32_t i = m.importedFuncs(); i < m.funcCount(); ++i)
      ORCA_TRY(lookupCode(*module->code_, "orca_func_" + std::to_string(i), module->funcCode_[i]));
    for (uint32_t t = 0; t < m.types.size(); ++t) {
      ORCA_TRY(lookupCode(*module->code_, "orca_entry_" + std::to_string(t), module->entries_[t]));
      ORCA_TRY(lookupCode(*module->code_, "orca_thunk_" + std::to_string(t), module->thunks_[t]));
    }
    for (uint32_t i = m.importedFuncs(); i < m.funcCount(); ++i)
      module->codeStarts_.emplace_back(reinterpret_cast<uintptr_t>(module->funcCode_[i]), i);
    for (uint32_t t = 0; t < m.types.size(); ++t)
      for (void* tramp : {module->entries_[t], module->thunks_[t]})
        if (tramp) module->codeStarts_.emplace_back(reinterpret_cast<uintptr_t>(tramp), ~0u);
    std::sort(module->codeStarts_.begin(), module->codeStarts_.end());
  }
#else
  (void)precompiled;
  (void)keepCompiled;
#endif
  return std::shared_ptr<const Module>(std::move(module));
}

// --- Serialization -------------------------------------------------------------------------------
//
// Layout (little-endian): "\0orcamod" magic (8 bytes), u32 format version, the code generator's
// fingerprint and the code-changing options (a string each, u32 length first), the wasm bytes
// (u64 length first), then the CompiledModule: u32 funcCount, u32 typeCount, u32 object count and
// each object (u64 length first). The wasm bytes are kept so that the IR (imports, exports,
// segments) is rebuilt by the decoder, which also guards against a tampered artifact's IR.

namespace {

constexpr char kMagic[8] = {'\0', 'o', 'r', 'c', 'a', 'm', 'o', 'd'};
constexpr uint32_t kFormatVersion = 1;

[[maybe_unused]] std::string optionsKey(const compile::CompileOptions& o) {
  return "opt=" + std::to_string(o.optLevel) + " checks=" + std::to_string(o.explicitBoundsChecks) +
         " fuel=" + std::to_string(o.fuel) + " interrupt=" + std::to_string(o.interruptible);
}

void put(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
[[maybe_unused]] void putBytes(std::vector<uint8_t>& out, std::span<const uint8_t> b, int lengthBytes) {
  put(out, b.size(), lengthBytes);
  out.insert(out.end(), b.begin(), b.end());
}

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
};

}  // namespace

#ifdef ORCA_HAVE_JIT
std::vector<uint8_t> encodeArtifact(const Engine& engine, std::span<const uint8_t> wasm,
                                    const compile::CompiledModule& compiled) {
  std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
  put(out, kFormatVersion, 4);
  std::string fingerprint = compile::codegenFingerprint(), options = optionsKey(engine.config().compile);
  putBytes(out, {reinterpret_cast<const uint8_t*>(fingerprint.data()), fingerprint.size()}, 4);
  putBytes(out, {reinterpret_cast<const uint8_t*>(options.data()), options.size()}, 4);
  putBytes(out, wasm, 8);
  put(out, compiled.funcCount, 4);
  put(out, compiled.typeCount, 4);
  put(out, compiled.objects.size(), 4);
  for (const auto& object : compiled.objects) putBytes(out, object, 8);
  return out;
}
#endif

Result<std::vector<uint8_t>> Module::serialize() const {
  if (bytes_.empty())
    return makeError(ErrorKind::Unsupported, "cannot serialize a module built from IR (no wasm bytes)");
#ifdef ORCA_HAVE_JIT
  if (!engine_->jit()) return makeError(ErrorKind::Unsupported, "cannot serialize without a JIT");
  // Compiling is deterministic, so the objects are recompiled rather than kept in memory.
  auto compiled = compile::compileModule(ir_, engine_->config().compile);
  if (!compiled) return compiled.takeError();
  return encodeArtifact(*engine_, bytes_, *compiled);
#else
  return makeError(ErrorKind::Unsupported, "cannot serialize without a JIT");
#endif
}

Result<std::shared_ptr<const Module>> Module::deserialize(Engine& engine, std::span<const uint8_t> data) {
  Reader r{data};
  if (data.size() < sizeof kMagic || !std::equal(std::begin(kMagic), std::end(kMagic), data.begin()))
    return makeError(ErrorKind::Malformed, "not a serialized Orca module");
  r.pos = sizeof kMagic;
  if (r.get(4) != kFormatVersion) return makeError(ErrorKind::Unsupported, "serialized module: unknown format version");
  [[maybe_unused]] auto fingerprint = r.getBytes(4);
  [[maybe_unused]] auto options = r.getBytes(4);
  if (!r.ok) return makeError(ErrorKind::Malformed, "serialized module: truncated");
#ifdef ORCA_HAVE_JIT
  if (!engine.jit()) return makeError(ErrorKind::Unsupported, "cannot deserialize without a JIT");
  std::string expectFingerprint = compile::codegenFingerprint(), expectOptions = optionsKey(engine.config().compile);
  if (std::string(fingerprint.begin(), fingerprint.end()) != expectFingerprint)
    return makeError(ErrorKind::Unsupported, "serialized module was compiled by a different Orca, LLVM or CPU (" +
                                                 std::string(fingerprint.begin(), fingerprint.end()) + ")");
  if (std::string(options.begin(), options.end()) != expectOptions)
    return makeError(ErrorKind::Unsupported, "serialized module was compiled with other options (" +
                                                 std::string(options.begin(), options.end()) + ")");
  auto wasm = r.getBytes(8);
  compile::CompiledModule compiled;
  compiled.funcCount = static_cast<uint32_t>(r.get(4));
  compiled.typeCount = static_cast<uint32_t>(r.get(4));
  uint64_t objects = r.get(4);
  for (uint64_t i = 0; r.ok && i < objects; ++i) {
    auto object = r.getBytes(8);
    compiled.objects.emplace_back(object.begin(), object.end());
  }
  if (!r.ok || r.pos != data.size()) return makeError(ErrorKind::Malformed, "serialized module: truncated or trailing bytes");
  auto decoded = decode::decodeModule(wasm);
  if (!decoded) return decoded.takeError();
  if (compiled.funcCount != decoded->functions.size() || compiled.typeCount != decoded->types.size())
    return makeError(ErrorKind::Malformed, "serialized module: code does not match its module");
  auto module = build(engine, std::move(*decoded), std::vector<uint8_t>(wasm.begin(), wasm.end()), &compiled);
  // An artifact's code comes from outside: code that does not link or lacks a function is damage
  // to the artifact (it carries no checksum), not a failure of this Orca.
  if (!module && module.error().kind == ErrorKind::Internal)
    return makeError(ErrorKind::Malformed,
                     "serialized module: its code does not load (" + module.error().message + ")");
  return module;
#else
  return makeError(ErrorKind::Unsupported, "cannot deserialize without a JIT");
#endif
}

// --- The module cache ----------------------------------------------------------------------------
//
// One file per module, <dir>/<32 hex digits>.orcamod: the serialize() artifact compressed with
// zstd. The name hashes (XXH3-128) the wasm bytes, the code generator's fingerprint and the
// options, so a different Orca, LLVM, CPU or configuration looks for another file; the artifact
// repeats fingerprint and options, and deserialize() checks them and rebuilds the IR from the
// bytes, so a damaged or colliding entry is rejected and replaced. Files are written to a
// temporary name and renamed, so concurrent processes never read half an entry.

namespace {

[[maybe_unused]] std::string cacheFileName(const Engine& engine, std::span<const uint8_t> bytes) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  XXH3_128bits_update(state, bytes.data(), bytes.size());
#ifdef ORCA_HAVE_JIT
  std::string tag = compile::codegenFingerprint() + '\n' + optionsKey(engine.config().compile);
  XXH3_128bits_update(state, tag.data(), tag.size());
#endif
  XXH128_hash_t hash = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  char name[64];
  std::snprintf(name, sizeof name, "%016llx%016llx.orcamod", static_cast<unsigned long long>(hash.high64),
                static_cast<unsigned long long>(hash.low64));
  return name;
}

[[maybe_unused]] std::optional<std::vector<uint8_t>> readCacheEntry(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<uint8_t> packed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 34)) return std::nullopt;
  std::vector<uint8_t> data(size);
  size_t got = ZSTD_decompress(data.data(), data.size(), packed.data(), packed.size());
  if (ZSTD_isError(got) || got != size) return std::nullopt;
  return data;
}

[[maybe_unused]] void writeCacheEntry(const std::filesystem::path& path, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> packed(ZSTD_compressBound(data.size()));
  size_t n = ZSTD_compress(packed.data(), packed.size(), data.data(), data.size(), 3);
  if (ZSTD_isError(n)) return;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(getpid()) + "." + std::to_string(std::random_device{}());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out.write(reinterpret_cast<const char*>(packed.data()), static_cast<std::streamsize>(n));
    if (!out) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace

Result<std::shared_ptr<const Module>> Module::compileCached(Engine& engine, std::span<const uint8_t> bytes) {
#ifdef ORCA_HAVE_JIT
  std::filesystem::path path = std::filesystem::path(engine.config().cacheDirectory) / cacheFileName(engine, bytes);
  if (auto data = readCacheEntry(path)) {
    auto cached = deserialize(engine, *data);
    if (cached) return cached;
    // A module that is refused for what it is (invalid, a feature switched off) is refused the
    // same way when compiled; anything else means a bad entry: compile and replace it.
    if (cached.error().kind == ErrorKind::Invalid) return cached.takeError();
  }
  auto decoded = decode::decodeModule(bytes);
  if (!decoded) return decoded.takeError();
  compile::CompiledModule compiled;
  auto module = build(engine, std::move(*decoded), std::vector<uint8_t>(bytes.begin(), bytes.end()), nullptr, &compiled);
  if (module) writeCacheEntry(path, encodeArtifact(engine, bytes, compiled));
  return module;
#else
  return makeError(ErrorKind::Unsupported, "the module cache holds compiled code: none without a JIT");
#endif
}

Module::~Module() = default;

void* Module::functionCode(uint32_t funcIndex) const {
  return funcIndex < funcCode_.size() ? funcCode_[funcIndex] : nullptr;
}

void* Module::entryTrampoline(uint32_t typeIndex) const {
  return typeIndex < entries_.size() ? entries_[typeIndex] : nullptr;
}

void* Module::hostThunk(uint32_t typeIndex) const {
  return typeIndex < thunks_.size() ? thunks_[typeIndex] : nullptr;
}

uint32_t Module::functionAt(uintptr_t pc) const {
  auto it = std::upper_bound(codeStarts_.begin(), codeStarts_.end(), std::make_pair(pc, ~0u));
  if (it == codeStarts_.begin()) return ~0u;
  return std::prev(it)->second;
}

std::string Module::functionName(uint32_t index) const {
  auto it = ir_.names.functions.find(index);
  return it == ir_.names.functions.end() ? std::string() : it->second;
}

ExternType Module::importType(uint32_t importIndex) const {
  const ir::Import& imp = ir_.imports.at(importIndex);
  ExternType t;
  t.kind = imp.kind;
  switch (imp.kind) {
    case ir::ExternKind::Func: t.func = ir_.types.at(imp.funcType.value); break;
    case ir::ExternKind::Table: t.table = imp.table; break;
    case ir::ExternKind::Memory: t.memory = imp.memory; break;
    case ir::ExternKind::Global: t.global = imp.global; break;
  }
  return t;
}

std::vector<ImportType> Module::imports() const {
  std::vector<ImportType> out;
  for (uint32_t i = 0; i < ir_.imports.size(); ++i)
    out.push_back({ir_.imports[i].module, ir_.imports[i].name, importType(i)});
  return out;
}

std::vector<ExportType> Module::exports() const {
  std::vector<ExportType> out;
  for (const ir::Export& e : ir_.exports) {
    ExternType t;
    t.kind = e.kind;
    switch (e.kind) {
      case ir::ExternKind::Func: t.func = ir_.types.at(ir_.funcTypeIndex(ir::FuncIdx(e.index)).value); break;
      case ir::ExternKind::Table: t.table = ir_.tableType(ir::TableIdx(e.index)); break;
      case ir::ExternKind::Memory: t.memory = ir_.memoryType(ir::MemIdx(e.index)); break;
      case ir::ExternKind::Global: t.global = ir_.globalType(ir::GlobalIdx(e.index)); break;
    }
    out.push_back({e.name, std::move(t)});
  }
  return out;
}

}  // namespace orca::runtime
