// The C API's objects over orca::runtime. Private to c-api/src.
//
// Identity and handles. The standard API hands out owned pointers to objects (wasm_func_t*,
// wasm_ref_t*, ...) that may be copied and deleted independently while naming the same object,
// and host info belongs to the object, not to a pointer. So every runtime object has one
// `Entity` (its identity: host info and finalizer) and the C pointers are small `Handle`s that
// name an entity. Deleting a handle never touches the store, so any thread may do it.
//   * Store objects (functions, globals, tables, memories, instances, foreign objects): the
//     entity is owned by the wasm_store_t and created on first use. A handle of an object an
//     instance defined holds an InstanceRoot of that instance; the store collects instances that
//     nothing holds or reaches (runtime::Store::collect, when a later instance is made or on
//     orca_store_collect) and then erases their objects' entities, running host info finalizers.
//     Objects the host made, and foreign objects, live as long as the store.
//   * Modules and traps live outside stores: their entity is reference-counted by the handles.
// An externref holds an Entity*: whatever reference the host passes, wasm hands the same object
// back (with its host info). A module or trap that becomes an externref is pinned by the store.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "orca/runtime/linker.h"
#include "orca/runtime/runtime.h"
#include "orca.h"

namespace orca::capi {

enum class RefKind : uint8_t { Func, Global, Table, Memory, Instance, Foreign, Module, Trap };

struct Entity {
  explicit Entity(RefKind k, void* obj = nullptr) : kind(k), object(obj) {}
  virtual ~Entity() { runFinalizer(); }
  void setHostInfo(void* info, void (*fin)(void*)) {
    runFinalizer();
    hostInfo = info;
    finalizer = fin;
  }
  void runFinalizer() {
    if (finalizer) {
      auto fin = finalizer;
      finalizer = nullptr;
      fin(hostInfo);
    }
  }
  RefKind kind;
  void* object;  // the runtime object (Func*, Global*, Table*, Memory*, Instance*); null otherwise
  runtime::Instance* instance = nullptr;  // the instance that defined `object` (or is it), if any
  void* hostInfo = nullptr;
  void (*finalizer)(void*) = nullptr;
};

struct ModuleEntity : Entity {
  ModuleEntity() : Entity(RefKind::Module) {}
  std::shared_ptr<const runtime::Module> module;
  wasm_engine_t* engine = nullptr;
};

struct FrameData {
  // The instance's entity, resolved when the trap is made, so that reading a trap's frames
  // never touches the store's tables.
  Entity* instance = nullptr;
  runtime::InstanceRoot root;  // a trap keeps the instances of its frames
  uint32_t funcIndex = 0;
  size_t funcOffset = 0;
  size_t moduleOffset = 0;
  std::string funcName;  // from the module's name section, or empty
};

struct TrapEntity : Entity {
  TrapEntity() : Entity(RefKind::Trap) {}
  std::string message;  // without the terminating NUL
  std::vector<FrameData> frames;
  orca_trap_code_t code = ORCA_TRAP_HOST_ERROR;  // what a host's wasm_trap_new makes
  int exitCode = 0;                               // ORCA_TRAP_EXIT
  wasm_store_t* store = nullptr;  // for the frames' instances; may be null
};

}  // namespace orca::capi

struct wasm_config_t {
  orca::runtime::EngineConfig config;
};

struct wasm_engine_t {
  std::unique_ptr<orca::runtime::Engine> engine;
};

struct wasm_store_t {
  wasm_engine_t* engine = nullptr;
  // Declared first so that it is destroyed last: host info finalizers of entities run first,
  // then the runtime store runs host function finalizers and unmaps memories.
  std::unique_ptr<orca::runtime::Store> store;
  std::unordered_map<const void*, std::unique_ptr<orca::capi::Entity>> entities;  // by runtime object
  std::vector<std::unique_ptr<orca::capi::Entity>> foreigns;
  // Modules and traps that wasm holds as externref, kept alive with the store.
  std::unordered_map<const orca::capi::Entity*, std::shared_ptr<orca::capi::Entity>> pinned;
  ~wasm_store_t() {
    foreigns.clear();
    entities.clear();
    pinned.clear();
    store.reset();
  }
};

// One handle type for every reference; the C types below derive from it without adding members,
// so the as_ref / as_extern views are the same pointer.
struct wasm_ref_t {
  orca::capi::RefKind kind;
  wasm_store_t* store = nullptr;      // null for modules and traps
  orca::capi::Entity* entity = nullptr;
  std::shared_ptr<orca::capi::Entity> keep;  // modules and traps
  orca::runtime::InstanceRoot root;          // objects an instance defined: keeps the instance
};
struct wasm_extern_t : wasm_ref_t {};
struct wasm_func_t : wasm_extern_t {};
struct wasm_global_t : wasm_extern_t {};
struct wasm_table_t : wasm_extern_t {};
struct wasm_memory_t : wasm_extern_t {};
struct wasm_instance_t : wasm_ref_t {};
struct wasm_foreign_t : wasm_ref_t {};
struct wasm_module_t : wasm_ref_t {};
struct wasm_trap_t : wasm_ref_t {};

struct orca_error_t {
  orca::Error error;
  // The trap of a failed call or start function (kinds TRAP, EXHAUSTION, EXIT), for orca_error_trap.
  std::shared_ptr<orca::capi::Entity> trap;
};

// A linker names objects of one store; it keeps no other state, so deleting it is harmless.
struct orca_linker_t {
  wasm_store_t* store = nullptr;
  orca::runtime::Linker linker;
};

struct wasm_shared_module_t {
  std::shared_ptr<orca::capi::Entity> module;
};

struct wasm_frame_t {
  orca::capi::FrameData data;
  wasm_instance_t* instance = nullptr;  // owned by the frame
  ~wasm_frame_t() { delete instance; }
};

// Types. Every type object that can be an externtype derives from it.
struct wasm_valtype_t {
  wasm_valkind_t kind;
};

struct wasm_externtype_t {
  explicit wasm_externtype_t(wasm_externkind_t k) : kind(k) {}
  virtual ~wasm_externtype_t() = default;
  wasm_externkind_t kind;
};

struct wasm_functype_t : wasm_externtype_t {
  wasm_functype_t() : wasm_externtype_t(WASM_EXTERN_FUNC) { params = {0, nullptr}; results = {0, nullptr}; }
  ~wasm_functype_t() override;
  wasm_valtype_vec_t params, results;
};

struct wasm_globaltype_t : wasm_externtype_t {
  wasm_globaltype_t() : wasm_externtype_t(WASM_EXTERN_GLOBAL) {}
  ~wasm_globaltype_t() override { delete content; }
  wasm_valtype_t* content = nullptr;
  wasm_mutability_t mutability = WASM_CONST;
};

struct wasm_tabletype_t : wasm_externtype_t {
  wasm_tabletype_t() : wasm_externtype_t(WASM_EXTERN_TABLE) {}
  ~wasm_tabletype_t() override { delete element; }
  wasm_valtype_t* element = nullptr;
  wasm_limits_t limits{0, wasm_limits_max_default};
};

struct wasm_memorytype_t : wasm_externtype_t {
  wasm_memorytype_t() : wasm_externtype_t(WASM_EXTERN_MEMORY) {}
  wasm_limits_t limits{0, wasm_limits_max_default};
};

struct wasm_importtype_t {
  wasm_name_t module{0, nullptr}, name{0, nullptr};
  wasm_externtype_t* type = nullptr;
  ~wasm_importtype_t();
};

struct wasm_exporttype_t {
  wasm_name_t name{0, nullptr};
  wasm_externtype_t* type = nullptr;
  ~wasm_exporttype_t();
};

namespace orca::capi {

// Conversions between C types and runtime types (types.cpp; values inline, below).
inline wasm_valkind_t toC(ir::ValType t) {
  switch (t) {
    case ir::ValType::I32: return WASM_I32;
    case ir::ValType::I64: return WASM_I64;
    case ir::ValType::F32: return WASM_F32;
    case ir::ValType::F64: return WASM_F64;
    case ir::ValType::V128: return WASM_V128;
    case ir::ValType::FuncRef: return WASM_FUNCREF;
    case ir::ValType::ExternRef: return WASM_EXTERNREF;
  }
  return WASM_I32;
}
bool fromC(wasm_valkind_t k, ir::ValType* out);
wasm_externtype_t* newExternType(const runtime::ExternType& type);
wasm_functype_t* newFuncType(const ir::FuncType& type);
wasm_globaltype_t* newGlobalType(const ir::GlobalType& type);
wasm_tabletype_t* newTableType(const ir::TableType& type);
wasm_memorytype_t* newMemoryType(const ir::MemoryType& type);
bool toFuncType(const wasm_functype_t* t, ir::FuncType* out);
wasm_limits_t toC(const ir::Limits& limits);
ir::Limits fromC(const wasm_limits_t& limits);
void nameFrom(wasm_name_t* out, const std::string& s);

// Entities and handles (objects.cpp).
Entity* entityOf(wasm_store_t* store, RefKind kind, void* object);
wasm_ref_t* newHandle(wasm_store_t* store, Entity* entity);  // of the entity's kind
wasm_ref_t* newHandle(std::shared_ptr<Entity> entity);       // modules and traps
wasm_func_t* newFuncHandle(wasm_store_t* store, runtime::Func* f);
wasm_extern_t* newExternHandle(wasm_store_t* store, const runtime::Extern& e);
// The runtime object a C extern names; a null Extern when it is none (externs.cpp).
runtime::Extern externOf(const wasm_extern_t* e);
wasm_trap_t* newTrap(wasm_store_t* store, std::string message, std::vector<FrameData> frames = {});
wasm_trap_t* trapFromStore(wasm_store_t* store, const Error& error);
// Decode, validate, compile; the module's handle or why not.
Result<wasm_module_t*> compileModule(wasm_engine_t* engine, const uint8_t* data, size_t size);
// A wasm_module_serialize artifact loaded without compiling.
Result<wasm_module_t*> deserializeModule(wasm_engine_t* engine, const uint8_t* data, size_t size);
bool refToRaw(wasm_store_t* store, const wasm_ref_t* ref, ir::ValType type, void** out);
// What a host function's trap (a wasm_trap_t*) makes its call fail with; deletes the trap
// (externs.cpp). The runtime's RawHostFailure of every host function of the C API.
Error hostTrapError(void* trap);
// What each host function of the C API keeps: its store, and the embedder's env, whose finalizer
// runs when the store lets the function go.
struct HostData {
  HostData() = default;
  HostData(const HostData&) = delete;
  HostData& operator=(const HostData&) = delete;
  virtual ~HostData() {
    if (finalizer) finalizer(env);
  }
  wasm_store_t* store = nullptr;
  void* env = nullptr;
  void (*finalizer)(void*) = nullptr;
};
// A host function of `store` whose calls run `call(data, ...)` on the raw path (externs.cpp).
// The function owns `data`; when it cannot be made, `data` is deleted at once.
wasm_func_t* newHostFunc(wasm_store_t* store, const ir::FuncType& type, runtime::RawHostCallback call,
                         std::unique_ptr<HostData> data);
// Errors as C objects (orca.cpp); `trap` is attached for errors of failed calls.
orca_error_t* newError(Error error, wasm_trap_t* trap = nullptr);
orca_error_t* newError(orca_error_kind_t kind, std::string message);
wasm_ref_t* refFromRaw(wasm_store_t* store, void* raw, ir::ValType type);

// Values, inline because every call through wasm.h converts each argument and result.
// C to raw for a slot of type `type`; false when the kind does not fit.
inline bool toRaw(wasm_store_t* store, const wasm_val_t& v, ir::ValType type, runtime::RawValue* out) {
  *out = runtime::RawValue{};
  if (v.kind != toC(type)) return false;
  switch (type) {
    case ir::ValType::I32: out->i32 = v.of.i32; return true;
    case ir::ValType::I64: out->i64 = v.of.i64; return true;
    case ir::ValType::F32: out->f32 = v.of.f32; return true;
    case ir::ValType::F64: out->f64 = v.of.f64; return true;
    case ir::ValType::FuncRef:
    case ir::ValType::ExternRef: return refToRaw(store, v.of.ref, type, &out->ref);
    case ir::ValType::V128: return false;
  }
  return false;
}
// Raw to C; refs become new handles owned by `out`.
inline void fromRaw(wasm_store_t* store, const runtime::RawValue& raw, ir::ValType type, wasm_val_t* out) {
  out->kind = toC(type);
  out->of.i64 = 0;
  switch (type) {
    case ir::ValType::I32: out->of.i32 = raw.i32; break;
    case ir::ValType::I64: out->of.i64 = raw.i64; break;
    case ir::ValType::F32: out->of.f32 = raw.f32; break;
    case ir::ValType::F64: out->of.f64 = raw.f64; break;
    case ir::ValType::FuncRef:
    case ir::ValType::ExternRef: out->of.ref = refFromRaw(store, raw.ref, type); break;
    case ir::ValType::V128: break;  // not representable in wasm_val_t
  }
}

}  // namespace orca::capi
