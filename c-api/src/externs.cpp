// Functions, globals, tables, memories, externals and instances of wasm.h.
#include <cstring>

#include "internal.h"
#include "orca/ir/stack_buffer.h"

using namespace orca;
using namespace orca::capi;

// A trap the callback passes on keeps what it was (an exit stays an exit, a nested call's
// "unreachable" stays that code); a trap the host made (wasm_trap_new) is a host error.
Error orca::capi::hostTrapError(void* failure) {
  auto* trap = static_cast<wasm_trap_t*>(failure);
  const auto* entity = static_cast<const TrapEntity*>(trap->entity);
  Error error;
  if (entity->code == ORCA_TRAP_EXIT) {
    error = makeExitError(entity->exitCode);
  } else {
    error = makeError(entity->code == ORCA_TRAP_STACK_EXHAUSTED ? ErrorKind::Exhaustion : ErrorKind::Trap,
                      entity->message);
    if (entity->code != ORCA_TRAP_HOST_ERROR) error.trapCode = entity->code;
  }
  wasm_trap_delete(trap);
  return error;
}

wasm_func_t* orca::capi::newHostFunc(wasm_store_t* store, const ir::FuncType& type, runtime::RawHostCallback call,
                                     std::unique_ptr<HostData> data) {
  data->store = store;
  HostData* host = data.release();
  // The runtime runs the release also when it cannot make the function.
  auto f = store->store->createRawHostFunc(type, call, host, hostTrapError, [host] { delete host; });
  return f ? newFuncHandle(store, f.value()) : nullptr;
}

namespace {

runtime::Func* funcOf(const wasm_func_t* f) { return static_cast<runtime::Func*>(f->entity->object); }
runtime::Global* globalOf(const wasm_global_t* g) { return static_cast<runtime::Global*>(g->entity->object); }
runtime::Table* tableOf(const wasm_table_t* t) { return static_cast<runtime::Table*>(t->entity->object); }
runtime::Memory* memoryOf(const wasm_memory_t* m) { return static_cast<runtime::Memory*>(m->entity->object); }
runtime::Instance* instanceOf(const wasm_instance_t* i) {
  return static_cast<runtime::Instance*>(i->entity->object);
}

std::string kindName(wasm_valkind_t k) {
  ir::ValType t;
  return fromC(k, &t) ? ir::valTypeName(t) : "unknown kind " + std::to_string(unsigned(k));
}

// A host function of wasm.h: its callback takes and gives wasm_val_t vectors, which live on the
// stack of the call for up to kOnStack values each way; only references make handles.
struct HostFunction : HostData {
  static constexpr size_t kOnStack = 8;
  ir::FuncType type;
  wasm_func_callback_t callback = nullptr;
  wasm_func_callback_with_env_t callbackWithEnv = nullptr;
  // Every parameter and result is a number (i32, i64, f32, f64): a value is its kind and 8 bytes.
  bool numbers = false;
  std::vector<wasm_valkind_t> paramKinds, resultKinds;

  void describe() {
    numbers = true;
    for (ir::ValType t : type.params) {
      paramKinds.push_back(toC(t));
      numbers &= !ir::isRefType(t) && t != ir::ValType::V128;
    }
    for (ir::ValType t : type.results) {
      resultKinds.push_back(toC(t));
      numbers &= !ir::isRefType(t) && t != ir::ValType::V128;
    }
  }

  static void* call(void* self, runtime::Caller&, runtime::RawValue* io, size_t) {
    const auto& host = *static_cast<const HostFunction*>(self);
    if (host.paramKinds.size() <= kOnStack && host.resultKinds.size() <= kOnStack) {
      wasm_val_t args[kOnStack], results[kOnStack];
      return host.run(io, args, results);
    }
    std::vector<wasm_val_t> args(host.paramKinds.size()), results(host.resultKinds.size());
    return host.run(io, args.data(), results.data());
  }

  // One call with room for the arguments and results.
  wasm_trap_t* run(runtime::RawValue* io, wasm_val_t* args, wasm_val_t* results) const {
    if (!numbers) return runConverting(io, args, results);
    // Each value is copied at its own width: a load wider than the store that wrote the value
    // (the thunk's 4-byte spill of an i32, the callback's 4-byte result) cannot take it from the
    // store buffer and waits for the store to retire, the most expensive step of the call.
    const size_t np = paramKinds.size(), nr = resultKinds.size();
    for (size_t i = 0; i < np; ++i) {
      args[i].kind = paramKinds[i];
      args[i].of.i64 = 0;
      if (narrow(paramKinds[i]))
        args[i].of.i32 = io[i].i32;
      else
        args[i].of.i64 = io[i].i64;
    }
    for (size_t i = 0; i < nr; ++i) {
      results[i].kind = resultKinds[i];
      results[i].of.i64 = 0;
    }
    wasm_trap_t* trap = invoke(args, results);
    if (trap) return trap;
    size_t i = 0;
    for (; i < nr && results[i].kind == resultKinds[i]; ++i) {
      if (narrow(resultKinds[i]))
        io[i].i32 = results[i].of.i32;
      else
        io[i].i64 = results[i].of.i64;
    }
    return i == nr ? nullptr : takeResults(io, results);  // a result of the wrong kind: say which
  }

  // i32 and f32: 4 bytes.
  static bool narrow(wasm_valkind_t kind) { return kind == WASM_I32 || kind == WASM_F32; }

  wasm_trap_t* invoke(wasm_val_t* args, wasm_val_t* results) const {
    wasm_val_vec_t argVec{paramKinds.size(), args};
    wasm_val_vec_t resultVec{resultKinds.size(), results};
    return callback ? callback(&argVec, &resultVec) : callbackWithEnv(env, &argVec, &resultVec);
  }

  // A call with references or v128 values: conversions that make (and delete) handles.
  __attribute__((noinline)) wasm_trap_t* runConverting(runtime::RawValue* io, wasm_val_t* args,
                                                       wasm_val_t* results) const {
    for (size_t i = 0; i < paramKinds.size(); ++i) fromRaw(store, io[i], type.params[i], &args[i]);
    for (size_t i = 0; i < resultKinds.size(); ++i) {
      results[i].kind = resultKinds[i];
      results[i].of.i64 = 0;
    }
    wasm_trap_t* trap = invoke(args, results);
    for (size_t i = 0; i < paramKinds.size(); ++i) wasm_val_delete(&args[i]);
    if (!trap) return takeResults(io, results);
    for (size_t i = 0; i < resultKinds.size(); ++i) wasm_val_delete(&results[i]);
    return trap;
  }

  // Stores the results the callback gave into `io`, or makes the trap of the first that does not
  // fit; deletes the references among them (also of a wrong kind: the callback gave them up).
  __attribute__((noinline)) wasm_trap_t* takeResults(runtime::RawValue* io, wasm_val_t* results) const {
    wasm_trap_t* trap = nullptr;
    for (size_t i = 0; i < resultKinds.size() && !trap; ++i) {
      if (type.results[i] == ir::ValType::V128) {
        trap = newTrap(store, "type mismatch: a wasm.h host function cannot return a v128 (result " +
                                  std::to_string(i) + "); wasm_val_t has no room for one");
      } else if (!toRaw(store, results[i], type.results[i], &io[i])) {
        trap = newTrap(store, "type mismatch: host function result " + std::to_string(i) + " is " +
                                  kindName(results[i].kind) + ", expected " + ir::valTypeName(type.results[i]));
      }
    }
    for (size_t i = 0; i < resultKinds.size(); ++i) wasm_val_delete(&results[i]);
    return trap;
  }
};

wasm_func_t* newWasmHostFunc(wasm_store_t* store, const wasm_functype_t* type, std::unique_ptr<HostFunction> host) {
  if (!store || !toFuncType(type, &host->type)) return nullptr;  // the host's destructor runs the finalizer
  host->describe();
  ir::FuncType ft = host->type;
  return newHostFunc(store, ft, &HostFunction::call, std::move(host));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Functions

extern "C" wasm_func_t* wasm_func_new(wasm_store_t* store, const wasm_functype_t* type, wasm_func_callback_t cb) {
  if (!cb) return nullptr;
  auto host = std::make_unique<HostFunction>();
  host->callback = cb;
  return newWasmHostFunc(store, type, std::move(host));
}

extern "C" wasm_func_t* wasm_func_new_with_env(wasm_store_t* store, const wasm_functype_t* type,
                                               wasm_func_callback_with_env_t cb, void* env, void (*finalizer)(void*)) {
  if (!cb) {
    if (finalizer) finalizer(env);
    return nullptr;
  }
  auto host = std::make_unique<HostFunction>();
  host->callbackWithEnv = cb;
  host->env = env;
  host->finalizer = finalizer;
  return newWasmHostFunc(store, type, std::move(host));
}

extern "C" wasm_functype_t* wasm_func_type(const wasm_func_t* f) {
  return f ? newFuncType(funcOf(f)->type()) : nullptr;
}
extern "C" size_t wasm_func_param_arity(const wasm_func_t* f) { return f ? funcOf(f)->type().params.size() : 0; }
extern "C" size_t wasm_func_result_arity(const wasm_func_t* f) { return f ? funcOf(f)->type().results.size() : 0; }

extern "C" wasm_trap_t* wasm_func_call(const wasm_func_t* f, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  if (!f) return newTrap(nullptr, "wasm_func_call: null function");
  wasm_store_t* store = f->store;
  runtime::Func* func = funcOf(f);
  const ir::FuncType& type = func->type();
  size_t nargs = args ? args->size : 0;
  size_t nresults = results ? results->size : 0;
  if (nargs != type.params.size() || (nargs && !args->data))
    return newTrap(store, "type mismatch: expected " + std::to_string(type.params.size()) + " arguments, got " +
                              std::to_string(nargs));
  if (nresults != type.results.size() || (nresults && !results->data))
    return newTrap(store, "type mismatch: expected room for " + std::to_string(type.results.size()) +
                              " results, got " + std::to_string(nresults));
  for (ir::ValType t : type.results)
    if (t == ir::ValType::V128) return newTrap(store, "type mismatch: a v128 result cannot be returned through wasm.h");
  StackBuffer<runtime::RawValue, 8> raw(std::max(nargs, nresults));
  for (size_t i = 0; i < nargs; ++i) {
    if (!toRaw(store, args->data[i], type.params[i], &raw[i]))
      return newTrap(store, "type mismatch: argument " + std::to_string(i) + " is " + kindName(args->data[i].kind) +
                                ", expected " + ir::valTypeName(type.params[i]));
  }
  StackBuffer<runtime::RawValue, 8> out(nresults);
  Status status = func->call(std::span<const runtime::RawValue>(raw.data(), nargs),
                             std::span<runtime::RawValue>(out.data(), nresults));
  if (!status) return trapFromStore(store, status.error());
  for (size_t i = 0; i < nresults; ++i) fromRaw(store, out[i], type.results[i], &results->data[i]);
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Globals

extern "C" wasm_global_t* wasm_global_new(wasm_store_t* store, const wasm_globaltype_t* type, const wasm_val_t* val) {
  if (!store || !type || !type->content || !val) return nullptr;
  ir::GlobalType gt;
  if (!fromC(type->content->kind, &gt.type) || gt.type == ir::ValType::V128) return nullptr;
  gt.mut = type->mutability == WASM_VAR ? ir::Mutability::Var : ir::Mutability::Const;
  runtime::RawValue raw;
  if (!toRaw(store, *val, gt.type, &raw)) return nullptr;
  auto g = store->store->createGlobal(gt, raw);
  if (!g) return nullptr;
  return static_cast<wasm_global_t*>(newHandle(store, entityOf(store, RefKind::Global, g.value())));
}

extern "C" wasm_globaltype_t* wasm_global_type(const wasm_global_t* g) {
  return g ? newGlobalType(globalOf(g)->type()) : nullptr;
}

extern "C" void wasm_global_get(const wasm_global_t* g, wasm_val_t* out) {
  if (!out) return;
  if (!g) {
    out->kind = WASM_I32;
    out->of.i64 = 0;
    return;
  }
  fromRaw(g->store, globalOf(g)->get(), globalOf(g)->type().type, out);
}

// The raw path for globals (every type, v128 included); references are raw slots as in
// orca_func_call_unchecked.
extern "C" void orca_global_get_raw(const wasm_global_t* g, orca_val_raw_t* out) {
  if (!out) return;
  runtime::RawValue value{};
  if (g) value = globalOf(g)->get();
  std::memcpy(out, &value, sizeof value);
}

extern "C" bool orca_global_set_raw(wasm_global_t* g, const orca_val_raw_t* value) {
  if (!g || !value) return false;
  runtime::RawValue raw;
  std::memcpy(&raw, value, sizeof raw);
  return globalOf(g)->set(raw).ok();
}

extern "C" void wasm_global_set(wasm_global_t* g, const wasm_val_t* val) {
  if (!g || !val) return;
  runtime::RawValue raw;
  if (!toRaw(g->store, *val, globalOf(g)->type().type, &raw)) return;
  (void)globalOf(g)->set(raw);  // a const global refuses; wasm.h has no way to say so
}

// ---------------------------------------------------------------------------------------------
// Tables

extern "C" wasm_table_t* wasm_table_new(wasm_store_t* store, const wasm_tabletype_t* type, wasm_ref_t* init) {
  if (!store || !type || !type->element) return nullptr;
  ir::TableType tt;
  if (!fromC(type->element->kind, &tt.elem) || !ir::isRefType(tt.elem)) return nullptr;
  tt.limits = fromC(type->limits);
  if (tt.limits.max && *tt.limits.max < tt.limits.min) return nullptr;
  void* raw = nullptr;
  if (!refToRaw(store, init, tt.elem, &raw)) return nullptr;
  auto t = store->store->createTable(tt, raw);
  if (!t) return nullptr;
  return static_cast<wasm_table_t*>(newHandle(store, entityOf(store, RefKind::Table, t.value())));
}

extern "C" wasm_tabletype_t* wasm_table_type(const wasm_table_t* t) {
  return t ? newTableType(tableOf(t)->type()) : nullptr;
}

extern "C" wasm_ref_t* wasm_table_get(const wasm_table_t* t, wasm_table_size_t index) {
  if (!t) return nullptr;
  auto r = tableOf(t)->get(index);
  if (!r) return nullptr;
  return refFromRaw(t->store, r.value(), tableOf(t)->elemType());
}

extern "C" bool wasm_table_set(wasm_table_t* t, wasm_table_size_t index, wasm_ref_t* ref) {
  if (!t) return false;
  void* raw = nullptr;
  if (!refToRaw(t->store, ref, tableOf(t)->elemType(), &raw)) return false;
  return tableOf(t)->set(index, raw).ok();
}

extern "C" wasm_table_size_t wasm_table_size(const wasm_table_t* t) {
  return t ? static_cast<wasm_table_size_t>(tableOf(t)->size()) : 0;
}

extern "C" bool wasm_table_grow(wasm_table_t* t, wasm_table_size_t delta, wasm_ref_t* init) {
  if (!t) return false;
  void* raw = nullptr;
  if (!refToRaw(t->store, init, tableOf(t)->elemType(), &raw)) return false;
  return tableOf(t)->grow(delta, raw).ok();
}

// ---------------------------------------------------------------------------------------------
// Memories

extern "C" wasm_memory_t* wasm_memory_new(wasm_store_t* store, const wasm_memorytype_t* type) {
  if (!store || !type) return nullptr;
  ir::MemoryType mt;
  mt.limits = fromC(type->limits);
  if (mt.limits.min > ir::kMaxPages32 || (mt.limits.max && (*mt.limits.max < mt.limits.min || *mt.limits.max > ir::kMaxPages32)))
    return nullptr;
  auto m = store->store->createMemory(mt);
  if (!m) return nullptr;
  return static_cast<wasm_memory_t*>(newHandle(store, entityOf(store, RefKind::Memory, m.value())));
}

extern "C" wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* m) {
  return m ? newMemoryType(memoryOf(m)->type()) : nullptr;
}
extern "C" byte_t* wasm_memory_data(wasm_memory_t* m) {
  return m ? reinterpret_cast<byte_t*>(memoryOf(m)->data()) : nullptr;
}
extern "C" size_t wasm_memory_data_size(const wasm_memory_t* m) { return m ? memoryOf(m)->dataSize() : 0; }
extern "C" wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* m) {
  return m ? static_cast<wasm_memory_pages_t>(memoryOf(m)->pages()) : 0;
}
extern "C" bool wasm_memory_grow(wasm_memory_t* m, wasm_memory_pages_t delta) {
  return m && memoryOf(m)->grow(delta).ok();
}

// ---------------------------------------------------------------------------------------------
// Externals

extern "C" wasm_externkind_t wasm_extern_kind(const wasm_extern_t* e) {
  if (!e) return WASM_EXTERN_FUNC;
  switch (e->kind) {
    case RefKind::Global: return WASM_EXTERN_GLOBAL;
    case RefKind::Table: return WASM_EXTERN_TABLE;
    case RefKind::Memory: return WASM_EXTERN_MEMORY;
    default: return WASM_EXTERN_FUNC;
  }
}

extern "C" wasm_externtype_t* wasm_extern_type(const wasm_extern_t* e) {
  if (!e) return nullptr;
  switch (e->kind) {
    case RefKind::Func: return wasm_func_type(static_cast<const wasm_func_t*>(e));
    case RefKind::Global: return wasm_global_type(static_cast<const wasm_global_t*>(e));
    case RefKind::Table: return wasm_table_type(static_cast<const wasm_table_t*>(e));
    case RefKind::Memory: return wasm_memory_type(static_cast<const wasm_memory_t*>(e));
    default: return nullptr;
  }
}

#define ORCA_EXTERN_CASTS(name, KIND)                                                            \
  extern "C" wasm_extern_t* wasm_##name##_as_extern(wasm_##name##_t* x) { return x; }            \
  extern "C" const wasm_extern_t* wasm_##name##_as_extern_const(const wasm_##name##_t* x) {      \
    return x;                                                                                    \
  }                                                                                              \
  extern "C" wasm_##name##_t* wasm_extern_as_##name(wasm_extern_t* e) {                          \
    return e && e->kind == KIND ? static_cast<wasm_##name##_t*>(e) : nullptr;                    \
  }                                                                                              \
  extern "C" const wasm_##name##_t* wasm_extern_as_##name##_const(const wasm_extern_t* e) {      \
    return e && e->kind == KIND ? static_cast<const wasm_##name##_t*>(e) : nullptr;              \
  }

ORCA_EXTERN_CASTS(func, RefKind::Func)
ORCA_EXTERN_CASTS(global, RefKind::Global)
ORCA_EXTERN_CASTS(table, RefKind::Table)
ORCA_EXTERN_CASTS(memory, RefKind::Memory)

// ---------------------------------------------------------------------------------------------
// Instances

namespace orca::capi {

runtime::Extern externOf(const wasm_extern_t* e) {
  if (!e) return {};
  switch (e->kind) {
    case RefKind::Func: return static_cast<runtime::Func*>(e->entity->object);
    case RefKind::Global: return static_cast<runtime::Global*>(e->entity->object);
    case RefKind::Table: return static_cast<runtime::Table*>(e->entity->object);
    case RefKind::Memory: return static_cast<runtime::Memory*>(e->entity->object);
    default: return {};
  }
}

}  // namespace orca::capi

extern "C" wasm_instance_t* wasm_instance_new(wasm_store_t* store, const wasm_module_t* module,
                                              const wasm_extern_vec_t* imports, wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  auto fail = [&](std::string message) -> wasm_instance_t* {
    if (trap) *trap = newTrap(store, std::move(message));
    return nullptr;
  };
  if (!store) return fail("wasm_instance_new: null store");
  if (!module) return fail("wasm_instance_new: null module");
  const auto* me = static_cast<const ModuleEntity*>(module->entity);
  if (me->engine != store->engine) return fail("unlinkable: the module was compiled by another engine");
  std::vector<runtime::Extern> externs;
  size_t n = imports ? imports->size : 0;
  for (size_t i = 0; i < n; ++i) {
    const wasm_extern_t* e = imports->data ? imports->data[i] : nullptr;
    if (!e) {
      externs.emplace_back();  // the runtime reports "unknown import"
      continue;
    }
    if (e->store != store) return fail("unlinkable: import " + std::to_string(i) + " belongs to another store");
    runtime::Extern item = externOf(e);
    if (item.isNull()) return fail("unlinkable: import " + std::to_string(i) + " is not an extern");
    externs.push_back(item);
  }
  auto inst = store->store->instantiate(me->module, externs);
  if (!inst) {
    if (trap) *trap = trapFromStore(store, inst.error());
    return nullptr;
  }
  return static_cast<wasm_instance_t*>(newHandle(store, entityOf(store, RefKind::Instance, inst.value())));
}

extern "C" void wasm_instance_exports(const wasm_instance_t* i, wasm_extern_vec_t* out) {
  if (!out) return;
  if (!i) return wasm_extern_vec_new_empty(out);
  const auto& exports = instanceOf(i)->exports();
  wasm_extern_vec_new_uninitialized(out, exports.size());
  for (size_t k = 0; k < out->size; ++k) out->data[k] = newExternHandle(i->store, exports[k].second);
}
