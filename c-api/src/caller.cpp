// orca.h's host functions that know their caller: orca_func_new_with_caller and orca_caller_*.
// wasm.h's callbacks get only their arguments, so a host function cannot reach the memory of the
// instance that called it (a string passed as pointer and length) unless the embedder wired that
// instance in by hand after instantiating; the runtime knows the caller, and this passes it on.
#include <algorithm>

#include "internal.h"
#include "orca/ir/stack_buffer.h"

using namespace orca;
using namespace orca::capi;

// Lives on the stack of one host call: valid only during that call.
struct orca_caller_t {
  wasm_store_t* store;
  runtime::Caller* caller;
};

namespace {

// orca_func_new_raw: the callback works on the runtime's own array.
struct RawFunction : HostData {
  orca_func_callback_raw_t callback = nullptr;

  static void* call(void* self, runtime::Caller& caller, runtime::RawValue* io, size_t count) {
    const auto& host = *static_cast<const RawFunction*>(self);
    orca_caller_t c{host.store, &caller};
    return host.callback(host.env, &c, reinterpret_cast<orca_val_raw_t*>(io), count);
  }
};

// orca_func_new_with_caller: arguments and results apart, so the arguments are a copy.
struct CallerFunction : HostData {
  orca_func_callback_with_caller_t callback = nullptr;
  size_t params = 0;

  static void* call(void* self, runtime::Caller& caller, runtime::RawValue* io, size_t) {
    const auto& host = *static_cast<const CallerFunction*>(self);
    StackBuffer<runtime::RawValue, 8> args(host.params);
    std::copy_n(io, host.params, args.begin());
    orca_caller_t c{host.store, &caller};
    return host.callback(host.env, &c, reinterpret_cast<const orca_val_raw_t*>(args.data()),
                         reinterpret_cast<orca_val_raw_t*>(io));
  }
};

// Takes the embedder's env (its finalizer runs if the function cannot be made) and makes the function.
template <typename Host, typename Callback>
wasm_func_t* newCallerHostFunc(wasm_store_t* store, const wasm_functype_t* type, Callback callback, void* env,
                               void (*finalizer)(void*)) {
  auto host = std::make_unique<Host>();
  host->env = env;
  host->finalizer = finalizer;
  host->callback = callback;
  ir::FuncType ft;
  if (!store || !callback || !toFuncType(type, &ft)) return nullptr;
  if constexpr (requires { host->params; }) host->params = ft.params.size();
  return newHostFunc(store, ft, &Host::call, std::move(host));
}

}  // namespace

extern "C" wasm_func_t* orca_func_new_raw(wasm_store_t* store, const wasm_functype_t* type,
                                          orca_func_callback_raw_t callback, void* env, void (*finalizer)(void*)) {
  return newCallerHostFunc<RawFunction>(store, type, callback, env, finalizer);
}

extern "C" wasm_func_t* orca_func_new_with_caller(wasm_store_t* store, const wasm_functype_t* type,
                                                  orca_func_callback_with_caller_t callback, void* env,
                                                  void (*finalizer)(void*)) {
  return newCallerHostFunc<CallerFunction>(store, type, callback, env, finalizer);
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
