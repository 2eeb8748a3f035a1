// Engine (JIT, interned signatures, host trampolines) and Module (decode + validate + compile +
// load).
#include <sys/mman.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "internal.h"
#include "orca/decode/decode.h"
#include "orca/jit/jit.h"
#include "orca/validate/validate.h"

namespace orca::runtime {

namespace {

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

// Loads the trampolines of `module` now and its functions as stubs that compile each on its first
// call. The compiler reads the module's IR, which lives as long as the code (the module owns both).
Result<std::shared_ptr<jit::LoadedCode>> loadLazily(jit::Jit& loader, const Module& module) {
  const ir::Module& m = module.ir();
  const compile::CompileOptions& options = module.engine().config().compile;
  auto trampolines = compile::compileTrampolines(m, options);
  if (!trampolines) return trampolines.takeError();
  std::vector<uint32_t> funcs;
  for (uint32_t i = m.importedFuncs(); i < m.funcCount(); ++i) funcs.push_back(i);
  auto compile = [&m, &options](uint32_t funcIndex, compile::Tier tier, const compile::TierCounting* counting) {
    return compile::compileFunction(m, funcIndex, options, tier, counting);
  };
  const EngineConfig& config = module.engine().config();
  uint32_t threshold = config.compileStrategy == CompileStrategy::Tiered ? std::max(1u, config.tierUpThreshold) : 0;
  return loader.loadLazy(std::make_shared<const compile::CompiledModule>(std::move(*trampolines)), funcs, compile,
                         threshold);
}

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
  ensureSignalHandlers();
  return engine;
}

Result<jit::Jit*> Engine::jit() {
  if (jit::Jit* created = jitIfCreated()) return created;
  if (!config_.compileCode) return makeError(ErrorKind::Unsupported, "this engine does not compile code");
  std::lock_guard lock(mutex_);
  if (!jit_) {
    jit::JitOptions options;
    options.compileThreads = config_.compileStrategy != CompileStrategy::Eager;
    auto made = jit::Jit::create(runtimeSymbols(), options, reinterpret_cast<void*>(&orca_rt_lazy_compile_failed));
    if (!made) return made.takeError();
    jit_ = std::move(*made);
    jitCreated_.store(jit_.get(), std::memory_order_release);
  }
  return jit_.get();
}

Engine::~Engine() = default;

Engine::TierStats Engine::tierStats() const {
  jit::Jit* made = jitIfCreated();
  if (!made) return {};
  jit::TierStats stats = made->tierStats();
  return {stats.baseline, stats.optimized};
}

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

namespace {

// A binary module with a type section and nothing else. Its compiled code holds an entry
// trampoline and a host thunk for each type (orca_entry_<t>, orca_thunk_<t>), which is all that
// host functions of those types need; as a module it goes through the module cache.
std::vector<uint8_t> typesOnlyModule(std::span<const ir::FuncType> types) {
  auto leb = [](std::vector<uint8_t>& out, uint64_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      out.push_back(v ? byte | 0x80 : byte);
    } while (v);
  };
  std::vector<uint8_t> section;
  leb(section, types.size());
  for (const ir::FuncType& t : types) {
    section.push_back(0x60);
    for (const auto* list : {&t.params, &t.results}) {
      leb(section, list->size());
      for (ir::ValType v : *list) section.push_back(static_cast<uint8_t>(v));  // ValType is its encoding
    }
  }
  std::vector<uint8_t> wasm = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01};
  leb(wasm, section.size());
  wasm.insert(wasm.end(), section.begin(), section.end());
  return wasm;
}

}  // namespace

Status Engine::prepareTrampolines(std::span<const uint32_t> typeIds) {
  if (!compiles()) return {};
  std::vector<uint32_t> missing;
  {
    std::lock_guard lock(mutex_);
    for (uint32_t id : typeIds)
      if (!trampolines_.contains(id) && std::find(missing.begin(), missing.end(), id) == missing.end())
        missing.push_back(id);
  }
  if (missing.empty()) return {};
  std::vector<ir::FuncType> types;
  for (uint32_t id : missing) types.push_back(typeById(id));
  auto module = Module::compile(*this, typesOnlyModule(types));
  if (!module) return module.takeError();
  std::lock_guard lock(mutex_);
  for (uint32_t t = 0; t < missing.size(); ++t)
    trampolines_.try_emplace(missing[t], Trampolines{(*module)->entryTrampoline(t), (*module)->hostThunk(t)});
  trampolineModules_.push_back(std::move(*module));
  return {};
}

Result<Engine::Trampolines> Engine::trampolines(uint32_t typeId) {
  if (!compiles()) return Trampolines{};
  ORCA_TRY(prepareTrampolines({&typeId, 1}));
  std::lock_guard lock(mutex_);
  return trampolines_.at(typeId);
}

// --- Module ----------------------------------------------------------------------------------

Result<std::shared_ptr<const Module>> Module::compile(Engine& engine, std::span<const uint8_t> bytes) {
  // A cache hit decodes the bytes inside deserialize(): look before decoding here.
  // Before decoding, so that an oversized binary costs nothing more.
  ORCA_TRY(validate::checkModuleSize(bytes.size(), engine.config().limits));
  if (!engine.config().cacheDirectory.empty() && engine.compiles()) return compileCached(engine, bytes);
  auto decoded = decode::decodeModule(bytes);
  if (!decoded) return decoded.takeError();
  return build(engine, std::move(*decoded), std::vector<uint8_t>(bytes.begin(), bytes.end()), nullptr);
}

Result<std::shared_ptr<const Module>> Module::fromIR(Engine& engine, ir::Module irModule) {
  return build(engine, std::move(irModule), {}, nullptr);
}

Status Module::validate(const Engine& engine, std::span<const uint8_t> bytes) {
  ORCA_TRY(validate::checkModuleSize(bytes.size(), engine.config().limits));
  auto decoded = decode::decodeModule(bytes);
  if (!decoded) return decoded.takeError();
  return check(engine, *decoded, bytes.size());
}

// Limits last: a module that is invalid is reported as invalid whatever its size.
Status Module::check(const Engine& engine, const ir::Module& irModule, uint64_t byteSize, Validation validation) {
  if (validation == Validation::Full) {
    ORCA_TRY(validate::validateModule(irModule));
  } else {
    ORCA_TRY(validate::ModuleValidator(irModule).validateDeclarations());
  }
  ORCA_TRY(validate::checkFeatures(irModule, engine.config().features));
  ORCA_TRY(validate::checkModuleSize(byteSize, engine.config().limits));
  return validate::checkLimits(irModule, engine.config().limits);
}

Result<std::shared_ptr<const Module>> Module::build(Engine& engine, ir::Module irModule, std::vector<uint8_t> bytes,
                                                    std::shared_ptr<const compile::CompiledModule> precompiled,
                                                    Validation validation) {
  ORCA_TRY(check(engine, irModule, bytes.size(), validation));
  std::shared_ptr<Module> module(new Module());
  module->engine_ = &engine;
  module->ir_ = std::move(irModule);
  module->bytes_ = std::move(bytes);
  const ir::Module& m = module->ir_;
  for (const ir::FuncType& t : m.types) module->typeIds_.push_back(engine.internType(t));
  module->funcCode_.assign(m.funcCount(), nullptr);
  module->entries_.assign(m.types.size(), nullptr);
  module->thunks_.assign(m.types.size(), nullptr);
  if (engine.compiles()) {
    auto loader = engine.jit();
    if (!loader) return loader.takeError();
    if (!precompiled && engine.config().compileStrategy != CompileStrategy::Eager) {
      auto loaded = loadLazily(**loader, *module);
      if (!loaded) return loaded.takeError();
      module->code_ = std::move(*loaded);
    } else {
      if (!precompiled) {
        auto compiled = compile::compileModule(m, engine.config().compile);
        if (!compiled) return compiled.takeError();
        precompiled = std::make_shared<const compile::CompiledModule>(std::move(*compiled));
      }
      // Kept for serialize() and the cache, so that neither compiles the module a second time.
      module->compiled_ = precompiled;
      auto loaded = (*loader)->load(precompiled);
      if (!loaded) return loaded.takeError();
      module->code_ = std::move(*loaded);
    }
    for (uint32_t i = m.importedFuncs(); i < m.funcCount(); ++i)
      ORCA_TRY(lookupCode(*module->code_, "orca_func_" + std::to_string(i), module->funcCode_[i]));
    for (uint32_t t = 0; t < m.types.size(); ++t) {
      ORCA_TRY(lookupCode(*module->code_, "orca_entry_" + std::to_string(t), module->entries_[t]));
      ORCA_TRY(lookupCode(*module->code_, "orca_thunk_" + std::to_string(t), module->thunks_[t]));
    }
    // A lazily loaded function's address is its stub's, which says nothing about where its code is.
    if (module->compiled_)
      for (uint32_t i = m.importedFuncs(); i < m.funcCount(); ++i)
        module->codeStarts_.emplace_back(reinterpret_cast<uintptr_t>(module->funcCode_[i]), i);
    for (uint32_t t = 0; t < m.types.size(); ++t)
      for (void* tramp : {module->entries_[t], module->thunks_[t]})
        if (tramp) module->codeStarts_.emplace_back(reinterpret_cast<uintptr_t>(tramp), ~0u);
    std::sort(module->codeStarts_.begin(), module->codeStarts_.end());
  }
  return std::shared_ptr<const Module>(std::move(module));
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
