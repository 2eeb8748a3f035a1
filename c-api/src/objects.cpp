// Engines, stores, references, traps, modules and the store objects of wasm.h.
#include <cstring>

#include "internal.h"
#include "orca/decode/decode.h"
#include "orca/validate/validate.h"

using namespace orca;
using namespace orca::capi;

// ---------------------------------------------------------------------------------------------
// Entities and handles

namespace orca::capi {

Entity* entityOf(wasm_store_t* store, RefKind kind, void* object) {
  auto& slot = store->entities[object];
  if (!slot) {
    slot = std::make_unique<Entity>(kind, object);
    switch (kind) {
      case RefKind::Func: slot->instance = static_cast<runtime::Func*>(object)->instance(); break;
      case RefKind::Global: slot->instance = static_cast<runtime::Global*>(object)->instance(); break;
      case RefKind::Table: slot->instance = static_cast<runtime::Table*>(object)->instance(); break;
      case RefKind::Memory: slot->instance = static_cast<runtime::Memory*>(object)->instance(); break;
      case RefKind::Instance: slot->instance = static_cast<runtime::Instance*>(object); break;
      default: break;
    }
  }
  return slot.get();
}

static wasm_ref_t* allocHandle(RefKind kind) {
  switch (kind) {
    case RefKind::Func: return new wasm_func_t();
    case RefKind::Global: return new wasm_global_t();
    case RefKind::Table: return new wasm_table_t();
    case RefKind::Memory: return new wasm_memory_t();
    case RefKind::Instance: return new wasm_instance_t();
    case RefKind::Foreign: return new wasm_foreign_t();
    case RefKind::Module: return new wasm_module_t();
    case RefKind::Trap: return new wasm_trap_t();
  }
  return new wasm_ref_t();
}

wasm_ref_t* newHandle(wasm_store_t* store, Entity* entity) {
  wasm_ref_t* h = allocHandle(entity->kind);
  h->kind = entity->kind;
  h->store = store;
  h->entity = entity;
  if (entity->instance) h->root = store->store->root(*entity->instance);
  return h;
}

wasm_ref_t* newHandle(std::shared_ptr<Entity> entity) {
  wasm_ref_t* h = allocHandle(entity->kind);
  h->kind = entity->kind;
  h->entity = entity.get();
  h->keep = std::move(entity);
  return h;
}

wasm_func_t* newFuncHandle(wasm_store_t* store, runtime::Func* f) {
  return static_cast<wasm_func_t*>(newHandle(store, entityOf(store, RefKind::Func, f)));
}

wasm_extern_t* newExternHandle(wasm_store_t* store, const runtime::Extern& e) {
  switch (e.kind()) {
    case ir::ExternKind::Func: return newFuncHandle(store, e.func());
    case ir::ExternKind::Global:
      return static_cast<wasm_extern_t*>(newHandle(store, entityOf(store, RefKind::Global, e.global())));
    case ir::ExternKind::Table:
      return static_cast<wasm_extern_t*>(newHandle(store, entityOf(store, RefKind::Table, e.table())));
    case ir::ExternKind::Memory:
      return static_cast<wasm_extern_t*>(newHandle(store, entityOf(store, RefKind::Memory, e.memory())));
  }
  return nullptr;
}

wasm_trap_t* newTrap(wasm_store_t* store, std::string message, std::vector<FrameData> frames) {
  auto e = std::make_shared<TrapEntity>();
  e->message = std::move(message);
  e->frames = std::move(frames);
  e->store = store;
  return static_cast<wasm_trap_t*>(newHandle(std::move(e)));
}

// A failed call: the store's last trap has the frames when the error is a trap.
wasm_trap_t* trapFromStore(wasm_store_t* store, const Error& error) {
  std::vector<FrameData> frames;
  if (error.kind == ErrorKind::Trap || error.kind == ErrorKind::Exhaustion || error.kind == ErrorKind::Exit) {
    const runtime::Trap& trap = store->store->lastTrap();
    for (const runtime::Frame& f : trap.frames) {
      FrameData d;
      if (f.instance) {
        auto* instance = const_cast<runtime::Instance*>(f.instance);
        d.instance = entityOf(store, RefKind::Instance, instance);
        d.root = store->store->root(*instance);
      }
      d.funcIndex = f.funcIndex;
      d.funcName = f.funcName;
      d.funcOffset = f.funcOffset;
      d.moduleOffset = f.moduleOffset;
      frames.push_back(d);
    }
    if (!trap.message.empty() && error.message.find(trap.message) != std::string::npos) {
      wasm_trap_t* made = newTrap(store, trap.message, std::move(frames));
      auto* entity = static_cast<TrapEntity*>(made->entity);
      entity->code = static_cast<orca_trap_code_t>(trap.code);
      entity->exitCode = trap.exitCode;
      return made;
    }
  }
  return newTrap(store, error.message, std::move(frames));
}

bool refToRaw(wasm_store_t* store, const wasm_ref_t* ref, ir::ValType type, void** out) {
  if (!ref) {
    *out = nullptr;
    return true;
  }
  if (type == ir::ValType::FuncRef) {
    if (ref->kind != RefKind::Func || ref->store != store) return false;
    *out = static_cast<runtime::Func*>(ref->entity->object)->ref();
    return true;
  }
  if (type != ir::ValType::ExternRef) return false;
  if (ref->store && ref->store != store) return false;
  if (ref->keep) store->pinned.emplace(ref->entity, ref->keep);  // a module or trap held by wasm
  *out = ref->entity;
  return true;
}

wasm_ref_t* refFromRaw(wasm_store_t* store, void* raw, ir::ValType type) {
  if (!raw) return nullptr;
  if (type == ir::ValType::FuncRef) {
    runtime::Func* f = runtime::Func::fromRef(raw);
    return f ? newFuncHandle(store, f) : nullptr;
  }
  auto* e = static_cast<Entity*>(raw);
  if (e->kind == RefKind::Module || e->kind == RefKind::Trap) {
    auto it = store->pinned.find(e);
    return it == store->pinned.end() ? nullptr : newHandle(it->second);
  }
  return newHandle(store, e);
}

}  // namespace orca::capi

// ---------------------------------------------------------------------------------------------
// Config, engine, store

extern "C" wasm_config_t* wasm_config_new(void) { return new wasm_config_t(); }
extern "C" void wasm_config_delete(wasm_config_t* c) { delete c; }

extern "C" wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* config) {
  runtime::EngineConfig cfg = config ? config->config : runtime::EngineConfig{};
  delete config;
  auto engine = runtime::Engine::create(cfg);
  if (!engine) return nullptr;
  auto* e = new wasm_engine_t();
  e->engine = std::move(engine.value());
  return e;
}
extern "C" wasm_engine_t* wasm_engine_new(void) { return wasm_engine_new_with_config(nullptr); }
extern "C" void wasm_engine_delete(wasm_engine_t* e) { delete e; }

extern "C" wasm_store_t* wasm_store_new(wasm_engine_t* engine) {
  if (!engine) return nullptr;
  auto* s = new wasm_store_t();
  s->engine = engine;
  s->store = std::make_unique<runtime::Store>(*engine->engine);
  runtime::Store::CollectionHooks hooks;
  // An externref is an Entity* (refToRaw): one naming an instance's object keeps that instance.
  hooks.externRefOwner = [](void* ref) { return static_cast<Entity*>(ref)->instance; };
  hooks.onFree = [s](const void* object) { s->entities.erase(object); };
  s->store->enableCollection(std::move(hooks));
  return s;
}
extern "C" void wasm_store_delete(wasm_store_t* s) { delete s; }

// ---------------------------------------------------------------------------------------------
// The reference operations, shared by every reference type.

#define ORCA_REF_BASE(name)                                                                        \
  extern "C" void wasm_##name##_delete(wasm_##name##_t* r) { delete r; }                           \
  extern "C" wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) {                       \
    if (!r) return nullptr;                                                                        \
    wasm_ref_t* c = r->keep ? newHandle(r->keep) : newHandle(r->store, r->entity);                 \
    return static_cast<wasm_##name##_t*>(c);                                                       \
  }                                                                                                \
  extern "C" bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) {         \
    if (!a || !b) return a == b;                                                                   \
    return a->entity == b->entity;                                                                 \
  }                                                                                                \
  extern "C" void* wasm_##name##_get_host_info(const wasm_##name##_t* r) {                         \
    return r ? r->entity->hostInfo : nullptr;                                                      \
  }                                                                                                \
  extern "C" void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) {                    \
    if (r) r->entity->setHostInfo(info, nullptr);                                                  \
  }                                                                                                \
  extern "C" void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info,       \
                                                             void (*fin)(void*)) {                 \
    if (r) r->entity->setHostInfo(info, fin);                                                      \
  }

#define ORCA_REF(name, KIND)                                                                       \
  ORCA_REF_BASE(name)                                                                              \
  extern "C" wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) { return r; }                    \
  extern "C" const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) { return r; }  \
  extern "C" wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                                  \
    return r && (KIND) ? static_cast<wasm_##name##_t*>(r) : nullptr;                               \
  }                                                                                                \
  extern "C" const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) {              \
    return r && (KIND) ? static_cast<const wasm_##name##_t*>(r) : nullptr;                         \
  }

ORCA_REF_BASE(ref)
ORCA_REF(module, r->kind == RefKind::Module)
ORCA_REF(trap, r->kind == RefKind::Trap)
ORCA_REF(foreign, r->kind == RefKind::Foreign)
ORCA_REF(func, r->kind == RefKind::Func)
ORCA_REF(global, r->kind == RefKind::Global)
ORCA_REF(table, r->kind == RefKind::Table)
ORCA_REF(memory, r->kind == RefKind::Memory)
ORCA_REF(instance, r->kind == RefKind::Instance)
ORCA_REF(extern, r->kind == RefKind::Func || r->kind == RefKind::Global || r->kind == RefKind::Table ||
                     r->kind == RefKind::Memory)

// ---------------------------------------------------------------------------------------------
// Frames and traps

namespace {

wasm_frame_t* newFrame(wasm_store_t* store, const FrameData& d) {
  auto* f = new wasm_frame_t();
  f->data = d;
  if (store && d.instance) f->instance = static_cast<wasm_instance_t*>(newHandle(store, d.instance));
  return f;
}

const TrapEntity* trapOf(const wasm_trap_t* t) { return static_cast<const TrapEntity*>(t->entity); }

}  // namespace

extern "C" void wasm_frame_delete(wasm_frame_t* f) { delete f; }
extern "C" wasm_frame_t* wasm_frame_copy(const wasm_frame_t* f) {
  if (!f) return nullptr;
  auto* c = new wasm_frame_t();
  c->data = f->data;
  if (f->instance) c->instance = static_cast<wasm_instance_t*>(wasm_instance_copy(f->instance));
  return c;
}
extern "C" wasm_instance_t* wasm_frame_instance(const wasm_frame_t* f) { return f ? f->instance : nullptr; }
extern "C" uint32_t wasm_frame_func_index(const wasm_frame_t* f) { return f ? f->data.funcIndex : 0; }
extern "C" size_t wasm_frame_func_offset(const wasm_frame_t* f) { return f ? f->data.funcOffset : 0; }
extern "C" size_t wasm_frame_module_offset(const wasm_frame_t* f) { return f ? f->data.moduleOffset : 0; }
extern "C" void orca_frame_func_name(const wasm_frame_t* f, wasm_name_t* out) {
  if (!out) return;
  if (!f || f->data.funcName.empty()) return wasm_byte_vec_new_empty(out);
  nameFrom(out, f->data.funcName);
}

extern "C" wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t* message) {
  std::string text;
  if (message && message->data) {
    text.assign(message->data, message->size);
    if (!text.empty() && text.back() == '\0') text.pop_back();  // messages carry their NUL
  }
  return newTrap(store, std::move(text));
}

extern "C" void wasm_trap_message(const wasm_trap_t* t, wasm_message_t* out) {
  if (!out) return;
  if (!t) return wasm_byte_vec_new_empty(out);
  const std::string& m = trapOf(t)->message;
  wasm_byte_vec_new(out, m.size() + 1, m.c_str());  // with the terminating NUL
}

extern "C" wasm_frame_t* wasm_trap_origin(const wasm_trap_t* t) {
  if (!t || trapOf(t)->frames.empty()) return nullptr;
  return newFrame(trapOf(t)->store, trapOf(t)->frames.front());
}

extern "C" void wasm_trap_trace(const wasm_trap_t* t, wasm_frame_vec_t* out) {
  if (!out) return;
  if (!t) return wasm_frame_vec_new_empty(out);
  const auto& frames = trapOf(t)->frames;
  wasm_frame_vec_new_uninitialized(out, frames.size());
  for (size_t i = 0; i < out->size; ++i) out->data[i] = newFrame(trapOf(t)->store, frames[i]);
}

// ---------------------------------------------------------------------------------------------
// Foreign objects

extern "C" wasm_foreign_t* wasm_foreign_new(wasm_store_t* store) {
  if (!store) return nullptr;
  store->foreigns.push_back(std::make_unique<Entity>(RefKind::Foreign));
  return static_cast<wasm_foreign_t*>(newHandle(store, store->foreigns.back().get()));
}

// ---------------------------------------------------------------------------------------------
// Modules

namespace {

Result<wasm_module_t*> moduleHandle(wasm_engine_t* engine, Result<std::shared_ptr<const runtime::Module>> module) {
  if (!module) return module.takeError();
  auto e = std::make_shared<ModuleEntity>();
  e->module = std::move(module.value());
  e->engine = engine;
  return static_cast<wasm_module_t*>(newHandle(std::move(e)));
}

}  // namespace

Result<wasm_module_t*> orca::capi::compileModule(wasm_engine_t* engine, const uint8_t* data, size_t size) {
  return moduleHandle(engine, runtime::Module::compile(*engine->engine, {data, size}));
}

Result<wasm_module_t*> orca::capi::deserializeModule(wasm_engine_t* engine, const uint8_t* data, size_t size) {
  return moduleHandle(engine, runtime::Module::deserialize(*engine->engine, {data, size}));
}

namespace {

const ModuleEntity* moduleOf(const wasm_module_t* m) { return static_cast<const ModuleEntity*>(m->entity); }

wasm_module_t* compileOrNull(wasm_engine_t* engine, const uint8_t* data, size_t size) {
  auto module = orca::capi::compileModule(engine, data, size);
  return module ? module.value() : nullptr;
}

}  // namespace

extern "C" wasm_module_t* wasm_module_new(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  if (!store || !binary || (!binary->data && binary->size)) return nullptr;
  return compileOrNull(store->engine, reinterpret_cast<const uint8_t*>(binary->data), binary->size);
}

// The engine's feature switches apply, as in wasm_module_new: the same runtime path decides.
extern "C" bool wasm_module_validate(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  if (!store || !binary || (!binary->data && binary->size)) return false;
  return runtime::Module::validate(*store->engine->engine,
                                   {reinterpret_cast<const uint8_t*>(binary->data), binary->size})
      .ok();
}

extern "C" void wasm_module_imports(const wasm_module_t* m, wasm_importtype_vec_t* out) {
  if (!out) return;
  if (!m) return wasm_importtype_vec_new_empty(out);
  auto imports = moduleOf(m)->module->imports();
  wasm_importtype_vec_new_uninitialized(out, imports.size());
  for (size_t i = 0; i < out->size; ++i) {
    wasm_name_t module, name;
    nameFrom(&module, imports[i].module);
    nameFrom(&name, imports[i].name);
    out->data[i] = wasm_importtype_new(&module, &name, newExternType(imports[i].type));
  }
}

extern "C" void wasm_module_exports(const wasm_module_t* m, wasm_exporttype_vec_t* out) {
  if (!out) return;
  if (!m) return wasm_exporttype_vec_new_empty(out);
  auto exports = moduleOf(m)->module->exports();
  wasm_exporttype_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < out->size; ++i) {
    wasm_name_t name;
    nameFrom(&name, exports[i].name);
    out->data[i] = wasm_exporttype_new(&name, newExternType(exports[i].type));
  }
}

// The runtime's artifact: the wasm bytes and the native code, tagged with the code generator and
// the options, so that deserializing loads the code instead of compiling it.
extern "C" void wasm_module_serialize(const wasm_module_t* m, wasm_byte_vec_t* out) {
  if (!out) return;
  if (!m) return wasm_byte_vec_new_empty(out);
  auto artifact = moduleOf(m)->module->serialize();
  if (!artifact) return wasm_byte_vec_new_empty(out);
  wasm_byte_vec_new(out, artifact->size(), reinterpret_cast<const wasm_byte_t*>(artifact->data()));
}

extern "C" wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* data) {
  if (!store || !data || !data->data) return nullptr;
  auto module = deserializeModule(store->engine, reinterpret_cast<const uint8_t*>(data->data), data->size);
  return module ? module.value() : nullptr;
}

extern "C" void wasm_shared_module_delete(wasm_shared_module_t* s) { delete s; }

extern "C" wasm_shared_module_t* wasm_module_share(const wasm_module_t* m) {
  if (!m) return nullptr;
  return new wasm_shared_module_t{m->keep};
}

extern "C" wasm_module_t* wasm_module_obtain(wasm_store_t* store, const wasm_shared_module_t* s) {
  if (!store || !s || !s->module) return nullptr;
  // A module is compiled for one engine; a store of another engine cannot run it.
  if (static_cast<ModuleEntity*>(s->module.get())->engine != store->engine) return nullptr;
  return static_cast<wasm_module_t*>(newHandle(s->module));
}
