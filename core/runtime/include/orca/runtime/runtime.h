// The runtime: engines, compiled modules, stores and what lives in them (instances, functions,
// memories, tables, globals), instantiation per the spec, traps and host calls. This is the
// C++ API that the .wast runner and the C API (wasm.h) are written against. Free of LLVM types.
//
// Ownership, in the spirit of the spec's store (appendix "embedding"):
//   * An Engine is shared by every thread; it owns the JIT and interns function types.
//     It must outlive every Module and Store created from it.
//   * A Module is immutable and shared (std::shared_ptr), usable by many stores and threads.
//   * A Store is used by one thread at a time and owns every Instance, Func, Memory, Table and
//     Global created in it; they are handed out as plain pointers that stay valid until the
//     Store is destroyed, unless the store collects: Store::collect() frees the instances
//     (with the functions, memories, tables and globals they defined) that no InstanceRoot
//     holds and no kept instance or host-made table or global reaches. Host-made objects
//     (createHostFunc, createMemory, ...) live as long as the store.
//
// Values cross the API as abi::RawValue (16 bytes). funcref: the FuncRecord* of the function
// (null = ref.null), convert with Func::fromRef / Func::ref; externref: an opaque host pointer
// (null = ref.null), never dereferenced by the runtime.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orca/compile/abi.h"
#include "orca/compile/compile.h"
#include "orca/ir/error.h"
#include "orca/ir/module.h"
#include "orca/ir/trap.h"
#include "orca/ir/types.h"
#include "orca/validate/features.h"
#include "orca/validate/limits.h"

namespace orca::jit {
class Jit;
class LoadedCode;
}  // namespace orca::jit

namespace orca::runtime {

using abi::RawValue;

class Engine;
class Module;
class Store;
class Instance;
class Func;
class Memory;
class Table;
class Global;

namespace detail {
struct DeadlineSlot;  // deadline.cpp

// The callee context of a host function as wasm code calls it (FuncRecord::vmctx). `vmctx` is
// first, so the VMContext* that orca_rt_host_call receives is this structure. Each instance that
// imports a host function calls it through its own copy, which names the instance as caller.
struct HostCallContext {
  abi::VMContext vmctx{};
  Func* func = nullptr;
  Instance* caller = nullptr;
  abi::FuncRecord record{};  // the import's record in the caller's VMContext::funcs
};
}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Engine

// How linear memories are protected. The choice changes the generated code, so it is per engine.
enum class MemoryMode : uint8_t {
  // 8 GiB + 64 KiB of PROT_NONE address space per 32-bit memory; no bounds checks in code; an
  // access past the end faults in the guard and traps. Exhausts address space at ~16k memories.
  // Engine::create falls back to BoundsChecked when such a reservation fails (RLIMIT_AS).
  Guarded,
  // Code compares every access with the memory size (CompileOptions::explicitBoundsChecks).
  // A memory reserves only its maximum (4 GiB without one) and no guard region.
  BoundsChecked,
};

// When a module's functions are compiled.
enum class CompileStrategy : uint8_t {
  // All of them when the module is compiled, at CompileOptions::optLevel, in parallel.
  Eager,
  // Each on its first call, at compile::Tier::Baseline (fast to compile, slower to run): a module
  // is ready as soon as it is validated and its trampolines are compiled. Serialization and the
  // module cache still use eagerly compiled code: serialize() compiles the whole module then, a
  // cache hit loads the entry, and a miss writes no entry.
  Lazy,
  // As Lazy, and the baseline code counts calls and loop iterations per function: a function
  // whose count reaches EngineConfig::tierUpThreshold is compiled again at CompileOptions::optLevel
  // on a background thread and later calls run that code. A frame already running the baseline
  // code finishes there (no on-stack replacement), so a loop entered once stays baseline.
  Tiered,
};

// Calls plus loop iterations after which a function is tiered up (CompileStrategy::Tiered).
constexpr uint32_t kDefaultTierUpThreshold = 10000;

// Large enough for the compiled code of a few hundred typical modules, small enough to go unnoticed
// in a home directory.
constexpr uint64_t kDefaultCacheMaxBytes = uint64_t(512) << 20;

struct EngineConfig {
  compile::CompileOptions compile;  // compile.explicitBoundsChecks is set from memoryMode
  MemoryMode memoryMode = MemoryMode::Guarded;
  CompileStrategy compileStrategy = CompileStrategy::Eager;
  uint32_t tierUpThreshold = kDefaultTierUpThreshold;  // Tiered only; at least 1
  // With this false modules are decoded and validated, and may be instantiated, but calling one
  // of their functions fails with ErrorKind::Unsupported.
  bool compileCode = true;
  // Proposals a module may use; one switched off makes modules that use it Invalid.
  validate::Features features;
  // What a module may declare (function size, locals, nesting, ...): one over a limit is refused
  // with ErrorKind::Unsupported naming the limit, before anything is compiled (validate/limits.h).
  validate::Limits limits;
  // When set, Module::compile keeps compiled code in this directory (created if missing) and
  // loads it from there next time. Entries are keyed by a hash of the wasm bytes, the code
  // generator's fingerprint (Orca, LLVM, CPU) and the code-changing options; a damaged or stale
  // entry is ignored and replaced, and a cache that cannot be written is skipped (the compile
  // succeeds; CacheStats::writeFailures counts it). cache::defaultDirectory() is the user's.
  std::string cacheDirectory;
  // After each write, the least recently used entries are removed while the directory holds more
  // than this (module_cache.h). UINT64_MAX for no cap.
  uint64_t cacheMaxBytes = kDefaultCacheMaxBytes;
};

class Engine {
 public:
  // Installs the process-wide signal handlers once. The JIT is made when the engine first loads
  // code (jit()), so that a process that only creates engines pays for no LLVM state.
  static Result<std::unique_ptr<Engine>> create(EngineConfig config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineConfig& config() const { return config_; }
  // Whether this engine makes code (config().compileCode).
  bool compiles() const { return config_.compileCode; }
  // The JIT, created on first use; Unsupported when config().compileCode is false.
  Result<jit::Jit*> jit();
  // The JIT if it was created, else null. Signal-safe (a trap handler asks whether a pc is JIT code).
  jit::Jit* jitIfCreated() const { return jitCreated_.load(std::memory_order_acquire); }

  // Process-wide signature ids: equal function types get equal ids in every engine
  // (call_indirect compares them). Thread-safe.
  uint32_t internType(const ir::FuncType& type);
  ir::FuncType typeById(uint32_t id) const;

  // Entry trampoline and host thunk of one signature (for host functions), made once per
  // interned id. Null when the engine does not compile code.
  struct Trampolines {
    void* entry = nullptr;  // void entry(void* code, VMContext*, RawValue*)
    void* thunk = nullptr;  // native signature of the type; calls orca_rt_host_call
  };
  Result<Trampolines> trampolines(uint32_t typeId);
  // Makes the trampolines of every signature in `typeIds` that has none yet, in one module of
  // just those types: one compile (or one cache entry) for a whole set of host functions, such as
  // WASI's. Invalid when the engine's features refuse one of the types.
  Status prepareTrampolines(std::span<const uint32_t> typeIds);

  // What the module cache (EngineConfig::cacheDirectory) did so far: modules loaded from it,
  // compiled because no entry was there, entries refused (damaged, stale, or made from another
  // module) and replaced, entries that could not be written (the directory cannot be created or
  // written), and entries of any process removed by this engine to stay under the cap.
  struct CacheStats {
    uint64_t hits = 0, misses = 0, rejected = 0, writeFailures = 0, evicted = 0;
  };
  // Functions of this engine's modules compiled on their first call (Lazy, Tiered), and tiered up
  // so far (Tiered: optimised code linked and called from then on).
  struct TierStats {
    uint64_t baseline = 0, optimized = 0;
  };
  TierStats tierStats() const;
  CacheStats cacheStats() const {
    return {cacheCounters_.hits.load(), cacheCounters_.misses.load(), cacheCounters_.rejected.load(),
            cacheCounters_.writeFailures.load(), cacheCounters_.evicted.load()};
  }

 private:
  Engine() = default;
  struct CacheCounters {
    std::atomic<uint64_t> hits{0}, misses{0}, rejected{0}, writeFailures{0}, evicted{0};
  } cacheCounters_;
  friend class Module;
  EngineConfig config_;
  std::unique_ptr<jit::Jit> jit_;  // guarded by mutex_ until created; jitCreated_ publishes it
  std::atomic<jit::Jit*> jitCreated_{nullptr};
  mutable std::mutex mutex_;
  std::unordered_map<uint32_t, Trampolines> trampolines_;
  std::vector<std::shared_ptr<const Module>> trampolineModules_;  // the code trampolines_ points into
};

// ---------------------------------------------------------------------------------------------
// Types of imports and exports

// externtype ::= func functype | table tabletype | mem memtype | global globaltype
struct ExternType {
  ir::ExternKind kind = ir::ExternKind::Func;
  // Exactly the member named by `kind` is meaningful.
  ir::FuncType func;
  ir::TableType table;
  ir::MemoryType memory;
  ir::GlobalType global;
};

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

// ---------------------------------------------------------------------------------------------
// Module

class Module {
 public:
  // decode + validate + compile + load. Errors: Malformed, Invalid, Unsupported; Internal when
  // LLVM or the loader fails on code Orca generated (a bug in Orca).
  static Result<std::shared_ptr<const Module>> compile(Engine& engine, std::span<const uint8_t> bytes);
  // From an IR module that has not been validated yet (validates it). Such a module cannot be
  // serialized (no wasm bytes).
  static Result<std::shared_ptr<const Module>> fromIR(Engine& engine, ir::Module module);
  // decode + validate, with the engine's feature switches and limits: exactly what compile()
  // checks before compiling (wasm_module_validate, orca_module_validate).
  static Status validate(const Engine& engine, std::span<const uint8_t> bytes);
  // wasm_module_serialize / deserialize: the wasm bytes plus the native objects (those compile()
  // made: nothing is compiled again), tagged with the code generator's fingerprint and the
  // code-changing options, sealed with a SHA-256 of the whole. An artifact from another build,
  // LLVM, CPU or configuration is rejected (ErrorKind::Unsupported); a damaged one (any byte
  // changed, truncated) is Malformed. An intact artifact is native code that will run: load only
  // artifacts you trust as you would a shared library.
  Result<std::vector<uint8_t>> serialize() const;
  static Result<std::shared_ptr<const Module>> deserialize(Engine& engine, std::span<const uint8_t> data);
  ~Module();

  Engine& engine() const { return *engine_; }
  // A module loaded from an artifact or a cache entry has no function bodies here (each
  // Function's body is empty; bodyStart and the rest are set): its code was compiled already.
  const ir::Module& ir() const { return ir_; }
  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;
  ExternType importType(uint32_t importIndex) const;
  bool hasCode() const { return code_ != nullptr; }
  // Name of function `index` from the name section, or empty.
  std::string functionName(uint32_t index) const;

  // Internals used by instances.
  const std::vector<uint32_t>& typeIds() const { return typeIds_; }
  void* functionCode(uint32_t funcIndex) const;  // defined functions; null without code
  void* entryTrampoline(uint32_t typeIndex) const;
  void* hostThunk(uint32_t typeIndex) const;
  // The defined function whose code contains `pc` (~0u when none, or in a trampoline).
  uint32_t functionAt(uintptr_t pc) const;
  const std::shared_ptr<jit::LoadedCode>& loadedCode() const { return code_; }

 private:
  Module() = default;
  // What build() validates. A module from wasm bytes or IR: all of it. One from an intact artifact
  // of this very build: its declarations only, because its function bodies were validated when
  // it was compiled and are not even decoded now (decode::Bodies::Skip).
  enum class Validation : uint8_t { Full, DeclarationsOnly };
  // Validates `module` against the engine, compiles it unless `precompiled` is given, loads it.
  static Result<std::shared_ptr<const Module>> build(Engine& engine, ir::Module module, std::vector<uint8_t> bytes,
                                                     std::shared_ptr<const compile::CompiledModule> precompiled,
                                                     Validation validation = Validation::Full);
  // Validation, features and limits; `byteSize` is the binary's size (0 when made from IR). With
  // DeclarationsOnly the bodies were not decoded, so of the body limits only function-body-bytes
  // applies: an artifact's code is loaded, not compiled, and the body limits bound compiling.
  static Status check(const Engine& engine, const ir::Module& module, uint64_t byteSize,
                      Validation validation = Validation::Full);
  // compile() through EngineConfig::cacheDirectory.
  static Result<std::shared_ptr<const Module>> compileCached(Engine& engine, std::span<const uint8_t> bytes);
  // deserialize(); with `expectedWasm`, refuses an artifact made from any other wasm bytes.
  static Result<std::shared_ptr<const Module>> loadArtifact(Engine& engine, std::span<const uint8_t> data,
                                                            std::optional<std::span<const uint8_t>> expectedWasm);
  Engine* engine_ = nullptr;
  ir::Module ir_;
  std::vector<uint8_t> bytes_;       // the wasm binary, for serialize()
  std::shared_ptr<const compile::CompiledModule> compiled_;  // the objects loaded, for serialize()
  std::vector<uint32_t> typeIds_;    // type index -> interned id
  std::shared_ptr<jit::LoadedCode> code_;
  std::vector<void*> funcCode_;      // indexed by module-wide function index (imports: null)
  std::vector<void*> entries_;       // indexed by type index
  std::vector<void*> thunks_;        // indexed by type index
  std::vector<std::pair<uintptr_t, uint32_t>> codeStarts_;  // sorted; ~0u marks trampolines
  friend class Store;
};

// ---------------------------------------------------------------------------------------------
// Traps

// One frame of a trap's backtrace, innermost first. A function that LLVM inlined into its caller
// is a frame of its own (with the caller's pc).
struct Frame {
  const Instance* instance = nullptr;  // null when not known
  uint32_t funcIndex = ~0u;            // module-wide function index
  std::string funcName;                // from the name section, or empty
  uintptr_t pc = 0;
  // The instruction that trapped (innermost frame) or made the call (outer frames), from the
  // start of the module's bytes and from the start of the function's body (ir::Function's
  // bodyStart, after the size field). The function's start when the code does not say.
  uint32_t moduleOffset = 0;
  uint32_t funcOffset = 0;
};

// What the last failed call of a store trapped with (also in the returned Error's message).
struct Trap {
  TrapCode code = TrapCode::Unreachable;
  std::string message;        // the spec's wording, the host's message for HostError, "exit status N"
  int32_t exitCode = 0;       // TrapCode::Exit: the status the guest exited with
  std::vector<Frame> frames;  // wasm frames, innermost first (may be empty)
};

// ---------------------------------------------------------------------------------------------
// Extern objects

// Context of a host function call.
class Caller {
 public:
  Store& store() const { return *store_; }
  // The instance whose code called the host function, when it was called through that
  // instance's import (directly or through a funcref it made); null for calls from the host.
  // Its exports give the caller's memory (WASI).
  Instance* instance() const { return instance_; }

 private:
  Caller(Store& store, Instance* instance) : store_(&store), instance_(instance) {}
  Store* store_;
  Instance* instance_;
  friend struct HostCallAccess;
};

// A host function. Return an Error to trap: its message becomes the trap's message
// (TrapCode::HostError); return makeExitError(status) to end the guest (TrapCode::Exit, and the
// call returns ErrorKind::Exit with Error::exitCode). A C++ exception thrown out of it is caught at the host-call boundary and
// becomes a trap too (never unwinds through wasm frames).
using HostCallback = std::function<Status(Caller& caller, const RawValue* args, RawValue* results)>;

// A host function on the raw path (the C API's host functions): the arguments in, the results out
// of one array of `count` = max(parameters, results) slots. Returns null, or a failure token that
// the function's RawHostFailure turns into the Error it traps with (as a HostCallback's Error;
// called once per token, which it consumes). A call from wasm costs a plain indirect call: no
// std::function, no copy of the arguments, no Status. Exceptions are caught as for HostCallback.
using RawHostCallback = void* (*)(void* env, Caller& caller, RawValue* argsAndResults, size_t count);
using RawHostFailure = Error (*)(void* failure);

// Host data attached to any extern object (wasm.h host_info); the finalizer runs when the store
// is destroyed or the info is replaced.
class HostInfo {
 public:
  void setHostInfo(void* info, void (*finalizer)(void*) = nullptr);
  void* hostInfo() const { return hostInfo_; }

 protected:
  HostInfo() = default;
  ~HostInfo();
  HostInfo(const HostInfo&) = delete;
  HostInfo& operator=(const HostInfo&) = delete;

 private:
  void* hostInfo_ = nullptr;
  void (*hostInfoFinalizer_)(void*) = nullptr;
};

// Keeps an instance, and whatever it reaches, from being collected while any copy is held
// (Store::root). Copies may be dropped on any thread, also after the store is gone: the root is
// a reference count that the store only reads when it collects.
using InstanceRoot = std::shared_ptr<const void>;

class Func : public HostInfo {
 public:
  Store& store() const { return *store_; }
  const ir::FuncType& type() const { return *type_; }
  uint32_t typeId() const { return record_.typeId; }
  bool isHost() const { return instance_ == nullptr; }
  Instance* instance() const { return instance_; }  // defining instance; null for host functions
  // What a collection must keep for the funcref `ref` to stay callable: the defining instance,
  // or for an imported host function's record, the importing instance that holds that record.
  static Instance* instanceOfRef(void* ref);
  uint32_t index() const { return record_.funcIndex; }  // in the defining module; ~0u for host

  // Calls the function: args.size() must equal the parameter count and results.size() the result
  // count (else ErrorKind::Invalid "type mismatch"). A trap returns ErrorKind::Trap (or
  // Exhaustion for "call stack exhausted") with the spec message; Store::lastTrap() has details.
  // Reentrant: host functions may call wasm functions, which may call host functions...
  Status call(std::span<const RawValue> args, std::span<RawValue> results);
  // max(parameters, results): the slots callInPlace's array must hold.
  size_t slots() const { return slots_; }
  // The fast path for bindings: arguments in, results out of the same array, which must hold
  // slots() slots. No arity check, no copies.
  Status callInPlace(RawValue* argsAndResults);

  // funcref values.
  void* ref() { return &record_; }
  static Func* fromRef(void* ref);  // null for a null ref
  abi::FuncRecord* record() { return &record_; }
  ~Func();

 private:
  Func() = default;
  // callInPlace of a host function, or of a wasm function without code.
  __attribute__((noinline)) Status callInPlaceOther(RawValue* argsAndResults);
  abi::FuncRecord record_{};
  Store* store_ = nullptr;
  Instance* instance_ = nullptr;
  const ir::FuncType* type_ = nullptr;  // the module's type, or hostType_
  size_t slots_ = 0;
  ir::FuncType hostType_;
  void* entry_ = nullptr;  // entry trampoline for wasm functions
  // Host functions: a HostCallback, or a RawHostCallback.
  HostCallback callback_;
  struct RawHost {
    RawHostCallback callback = nullptr;
    void* env = nullptr;
    RawHostFailure failure = nullptr;
  } raw_;
  std::function<void()> finalizer_;
  detail::HostCallContext hostContext_{};  // record_.vmctx for host functions (no caller)
  friend class Store;
  friend class Instance;
  friend struct HostCallAccess;
};

class Memory : public HostInfo {
 public:
  Store& store() const { return *store_; }
  Instance* instance() const { return instance_; }  // defining instance; null when the host made it
  // The current type: limits.min is the current size in pages.
  ir::MemoryType type() const;
  uint8_t* data() const { return block_.header.base; }
  uint64_t dataSize() const { return block_.header.size; }
  uint64_t pages() const { return block_.header.size / ir::kPageSize; }
  // Returns the previous size in pages, or an error when the maximum, the store limit or the
  // system refuses (memory.grow returns -1 in those cases).
  Result<uint64_t> grow(uint64_t deltaPages);
  abi::MemoryHeader* header() { return &block_.header; }
  static Memory* fromHeader(abi::MemoryHeader* header);
  ~Memory();

 private:
  Memory() = default;
  struct Block {
    abi::MemoryHeader header;  // first: vmctx->memories[i] points here
    Memory* owner;
  } block_{};
  Store* store_ = nullptr;
  Instance* instance_ = nullptr;
  ir::MemoryType type_;
  size_t reserved_ = 0;  // bytes of address space mapped at base
  friend class Store;
};

class Table : public HostInfo {
 public:
  Store& store() const { return *store_; }
  Instance* instance() const { return instance_; }  // defining instance; null when the host made it
  ir::TableType type() const;  // limits.min is the current size
  ir::ValType elemType() const { return type_.elem; }
  uint64_t size() const { return block_.header.size; }
  // Errors are ErrorKind::Trap "out of bounds table access".
  Result<void*> get(uint64_t index) const;
  Status set(uint64_t index, void* ref);
  // Returns the previous size, or an error when the maximum or the store limit refuses.
  Result<uint64_t> grow(uint64_t delta, void* init);
  abi::TableHeader* header() { return &block_.header; }
  static Table* fromHeader(abi::TableHeader* header);
  ~Table();

 private:
  Table() = default;
  struct Block {
    abi::TableHeader header;  // first: vmctx->tables[i] points here
    Table* owner;
  } block_{};
  Store* store_ = nullptr;
  Instance* instance_ = nullptr;
  ir::TableType type_;
  std::vector<void*> elements_;
  friend class Store;
};

class Global : public HostInfo {
 public:
  Store& store() const { return *store_; }
  Instance* instance() const { return instance_; }  // defining instance; null when the host made it
  const ir::GlobalType& type() const { return type_; }
  RawValue get() const { return cell_.value; }
  // ErrorKind::Invalid "immutable global" for a const global.
  Status set(RawValue value);
  abi::GlobalCell* cell() { return &cell_; }

 private:
  Global() = default;
  abi::GlobalCell cell_{};
  Store* store_ = nullptr;
  Instance* instance_ = nullptr;
  ir::GlobalType type_;
  friend class Store;
};

// externval ::= func funcaddr | table tableaddr | mem memaddr | global globaladdr
class Extern {
 public:
  Extern() = default;
  Extern(Func* f) : kind_(ir::ExternKind::Func), ptr_(f) {}
  Extern(Table* t) : kind_(ir::ExternKind::Table), ptr_(t) {}
  Extern(Memory* m) : kind_(ir::ExternKind::Memory), ptr_(m) {}
  Extern(Global* g) : kind_(ir::ExternKind::Global), ptr_(g) {}

  ir::ExternKind kind() const { return kind_; }
  bool isNull() const { return ptr_ == nullptr; }
  Func* func() const { return kind_ == ir::ExternKind::Func ? static_cast<Func*>(ptr_) : nullptr; }
  Table* table() const { return kind_ == ir::ExternKind::Table ? static_cast<Table*>(ptr_) : nullptr; }
  Memory* memory() const { return kind_ == ir::ExternKind::Memory ? static_cast<Memory*>(ptr_) : nullptr; }
  Global* global() const { return kind_ == ir::ExternKind::Global ? static_cast<Global*>(ptr_) : nullptr; }
  ExternType type() const;
  // The instance that defined the object; null when the host made it.
  Instance* instance() const;
  friend bool operator==(const Extern&, const Extern&) = default;

 private:
  ir::ExternKind kind_ = ir::ExternKind::Func;
  void* ptr_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Instance

class Instance {
 public:
  const Module& module() const { return *module_; }
  Store& store() const { return *store_; }
  // Exports in the module's order, and by name.
  const std::vector<std::pair<std::string, Extern>>& exports() const { return exports_; }
  std::optional<Extern> exportByName(std::string_view name) const;
  // Whole index spaces (imports first).
  Func* func(uint32_t index) const { return funcs_[index]; }
  Table* table(uint32_t index) const { return tables_[index]; }
  Memory* memory(uint32_t index) const { return memories_[index]; }
  Global* global(uint32_t index) const { return globals_[index]; }
  abi::VMContext* vmctx() { return &vmctx_; }
  ~Instance();

 private:
  Instance() = default;
  std::shared_ptr<const Module> module_;
  Store* store_ = nullptr;
  // What the instance defined, declared after module_ so that they go first (a Func's type and
  // host-info finalizers may read the module).
  std::vector<std::unique_ptr<Func>> ownFuncs_;
  std::vector<std::unique_ptr<Table>> ownTables_;
  std::vector<std::unique_ptr<Memory>> ownMemories_;
  std::vector<std::unique_ptr<Global>> ownGlobals_;
  std::weak_ptr<const void> root_;  // Store::root; expired when no InstanceRoot is held
  bool marked_ = false;             // reached by the collection running now
  abi::VMContext vmctx_{};
  std::vector<Func*> funcs_;
  std::vector<Table*> tables_;
  std::vector<Memory*> memories_;
  std::vector<Global*> globals_;
  std::vector<abi::FuncRecord*> funcRecords_;
  std::vector<abi::TableHeader*> tableHeaders_;
  std::vector<abi::MemoryHeader*> memoryHeaders_;
  std::vector<abi::GlobalCell*> globalCells_;
  // Element segments as evaluated references; a dropped segment is empty.
  std::vector<std::vector<void*>> elems_;
  std::vector<bool> dataDropped_;
  std::vector<std::pair<std::string, Extern>> exports_;
  // Per-import call contexts of imported host functions (stable addresses).
  std::vector<std::unique_ptr<detail::HostCallContext>> hostImports_;
  friend class Store;
  friend struct RuntimeAccess;
};

// ---------------------------------------------------------------------------------------------
// Store

struct StoreLimits {
  uint64_t maxMemoryPages = ir::kMaxPages32;  // per memory
  uint64_t maxTableElements = 10'000'000;     // per table
  uint64_t maxInstances = 10'000;
  uint64_t maxMemories = 10'000;
  uint64_t maxTables = 10'000;
};

class Store {
 public:
  explicit Store(Engine& engine, StoreLimits limits = {});
  ~Store();  // runs host finalizers, unmaps memories
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine() const { return *engine_; }
  StoreLimits& limits() { return limits_; }
  abi::StoreContext* context() { return &context_; }

  // Instantiates `module` with `imports` in the module's import order. Errors:
  //   Unlinkable "unknown import" (too few imports or a null one), "incompatible import type";
  //   Uninstantiable "out of bounds table access" / "out of bounds memory access" (segments),
  //   a trap of the start function (the Error of that trap), Exhaustion for store limits.
  // Effects of segments applied before a failing one remain (WebAssembly 2.0).
  Result<Instance*> instantiate(const std::shared_ptr<const Module>& module, std::span<const Extern> imports);
  Result<Instance*> instantiate(const std::shared_ptr<const Module>& module, std::initializer_list<Extern> imports) {
    return instantiate(module, std::span<const Extern>(imports.begin(), imports.size()));
  }

  Result<Func*> createHostFunc(const ir::FuncType& type, HostCallback callback,
                               std::function<void()> finalizer = {});
  Result<Func*> createRawHostFunc(const ir::FuncType& type, RawHostCallback callback, void* env,
                                  RawHostFailure failure, std::function<void()> finalizer = {});
  Result<Memory*> createMemory(const ir::MemoryType& type);
  Result<Table*> createTable(const ir::TableType& type, void* init = nullptr);
  Result<Global*> createGlobal(const ir::GlobalType& type, RawValue value);

  // Fuel (when the engine compiles metering): remaining units. A store starts with none, so the
  // first basic block traps "all fuel consumed" until fuel is set.
  void setFuel(uint64_t fuel);
  uint64_t fuel() const;
  // Asks running code to trap "interrupted" at its next check (the engine must compile
  // interruption checks). Safe from any thread. The request stays pending until a check consumes
  // it, so a call started after it traps at its first check.
  void interrupt();
  // Withdraws a pending interrupt request (one that no check consumed yet), e.g. when the call it
  // was meant for already returned.
  void clearInterrupt();
  // Calls interrupt() `timeout` from now, from a timer thread (Boost.Asio) shared by every store.
  // A new deadline replaces the previous one; zero clears it. Safe from any thread.
  void setDeadline(std::chrono::nanoseconds timeout);

  // Details of the last trap of a call made through this store (valid until the next call).
  const Trap& lastTrap() const { return lastTrap_; }

  // Collection of instances (docs/architecture.md, "Long-lived stores"). An instance is kept
  // while an InstanceRoot of it is held, and while a kept instance, or a table or global the host
  // made, reaches it: through imports (a function, table, memory or global it defined), a funcref
  // in a table, global or passive element segment, or an externref that the store's
  // externRefOwner names it for.
  InstanceRoot root(Instance& instance);
  struct CollectionHooks {
    // The instance an externref value keeps, or null (the C API's externrefs are its entities).
    std::function<Instance*(void* externref)> externRefOwner;
    // Called for the instance and each object it defined, just before they are freed.
    std::function<void(const void* object)> onFree;
  };
  // From now on instantiate() collects first when the store has grown to twice the instances it
  // kept at the last collection (plus 8), or has reached StoreLimits::maxInstances; plain
  // pointers to unrooted instances and their objects become invalid at each instantiate().
  void enableCollection(CollectionHooks hooks);
  // Frees every unreachable instance now; returns how many. Does nothing (0) while a call into
  // this store is running on this thread (a frame of any instance may be on the stack).
  size_t collect();
  // Instances in the store, collectable ones included until a collection frees them.
  size_t instanceCount() const { return instances_.size(); }

 private:
  Engine* engine_;
  StoreLimits limits_;
  abi::StoreContext context_{};
  std::vector<std::unique_ptr<Instance>> instances_;
  // Objects the host made (host functions, memories, tables, globals): kept with the store.
  std::vector<std::unique_ptr<Func>> funcs_;
  std::vector<std::unique_ptr<Memory>> memories_;
  std::vector<std::unique_ptr<Table>> tables_;
  std::vector<std::unique_ptr<Global>> globals_;
  // Live memories and tables, the host's and instances' (StoreLimits::maxMemories, maxTables).
  uint64_t memoryCount_ = 0, tableCount_ = 0;
  bool collecting_ = false;
  bool sweeping_ = false;  // collect() is freeing
  size_t keptAtLastCollection_ = 0;
  CollectionHooks hooks_;
  Trap lastTrap_;
  // Made with the store and never replaced, so that threads setting deadlines share it safely.
  const std::shared_ptr<detail::DeadlineSlot> deadline_;
  // New objects, owned by the caller (the store's vectors for the host's, the instance's own).
  Result<std::unique_ptr<Memory>> newMemory(const ir::MemoryType& type);
  Result<std::unique_ptr<Table>> newTable(const ir::TableType& type, void* init);
  std::unique_ptr<Global> newGlobal(const ir::GlobalType& type, RawValue value);
  std::unique_ptr<Func> newWasmFunc(Instance& instance, uint32_t index);
  // A host function without its callback, kept by the store.
  Result<Func*> newHostFunc(const ir::FuncType& type, std::function<void()> finalizer);
  bool inCall();  // a call into this store is running on this thread
  friend class Memory;
  friend class Table;
  friend class Func;
  friend struct RuntimeAccess;
};

// Orca's SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers are installed by the first Engine::create; they
// claim only faults whose PC is in JIT code while a wasm call is active on the thread and chain
// every other fault to the handler that was installed before them. A host that installs its own
// handler later without chaining (some language runtimes do) calls this to put Orca's back in
// front: the handler found now becomes the one Orca chains to.
void reinstallSignalHandlers();

// Whether `actual` may be supplied for an import of type `expected` (the spec's import matching:
// equal function types, limits subtyping for tables and memories, equal global types).
bool externTypeMatches(const ExternType& actual, const ExternType& expected);

}  // namespace orca::runtime
