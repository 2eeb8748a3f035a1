// orca.h's host functions that know their caller: orca_func_new_with_caller and orca_caller_*.
// wasm.h's callbacks get only their arguments, so a host function cannot reach the memory of the
// instance that called it (a string passed as pointer and length) unless the embedder wired that
// instance in by hand after instantiating; the runtime knows the caller, and this passes it on.
#include "internal.h"

using namespace orca;
using namespace orca::capi;

// Lives on the stack of one host call: valid only during that call.
struct orca_caller_t {
  wasm_store_t* store;
  runtime::Caller* caller;
};

extern "C" wasm_func_t* orca_func_new_with_caller(wasm_store_t* store, const wasm_functype_t* type,
                                                  orca_func_callback_with_caller_t callback, void* env,
                                                  void (*finalizer)(void*)) {
  ir::FuncType ft;
  if (!store || !callback || !toFuncType(type, &ft)) {
    if (finalizer) finalizer(env);
    return nullptr;
  }
  std::function<void()> fin;
  if (finalizer) fin = [finalizer, env] { finalizer(env); };
  auto f = store->store->createHostFunc(
      ft,
      [store, callback, env](runtime::Caller& caller, const runtime::RawValue* args, runtime::RawValue* results) {
        static_assert(sizeof(orca_val_raw_t) == sizeof(runtime::RawValue), "raw slots are the runtime's");
        orca_caller_t c{store, &caller};
        wasm_trap_t* trap = callback(env, &c, reinterpret_cast<const orca_val_raw_t*>(args),
                                     reinterpret_cast<orca_val_raw_t*>(results));
        return trap ? hostTrapStatus(trap) : Status{};
      },
      std::move(fin));
  if (!f) return nullptr;  // the runtime ran the finalizer with the std::function
  return newFuncHandle(store, f.value());
}

extern "C" wasm_store_t* orca_caller_store(const orca_caller_t* c) { return c ? c->store : nullptr; }

extern "C" wasm_instance_t* orca_caller_instance(const orca_caller_t* c) {
  if (!c || !c->caller->instance()) return nullptr;
  Entity* e = entityOf(c->store, RefKind::Instance, c->caller->instance());
  return static_cast<wasm_instance_t*>(newHandle(c->store, e));
}

extern "C" wasm_extern_t* orca_caller_export(const orca_caller_t* c, const char* name) {
  if (!c || !name || !c->caller->instance()) return nullptr;
  std::optional<runtime::Extern> e = c->caller->instance()->exportByName(name);
  return e ? newExternHandle(c->store, *e) : nullptr;
}
