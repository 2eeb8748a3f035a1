// orca.h's linker and the name-based lookups over runtime::Linker.
#include <string>

#include "internal.h"
#include "orca.h"

using namespace orca;
using namespace orca::capi;

namespace {

bool validName(const char* s) { return s != nullptr; }

orca_error_t* nullArgument(const char* function) {
  return newError(ORCA_ERROR_UNSUPPORTED, std::string(function) + ": null argument");
}

}  // namespace

extern "C" orca_linker_t* orca_linker_new(wasm_store_t* store) {
  if (!store) return nullptr;
  return new orca_linker_t{store, runtime::Linker(*store->store)};
}

extern "C" void orca_linker_delete(orca_linker_t* linker) { delete linker; }

extern "C" void orca_linker_allow_shadowing(orca_linker_t* linker, bool allow) {
  if (linker) linker->linker.allowShadowing(allow);
}

extern "C" orca_error_t* orca_linker_define(orca_linker_t* linker, const char* module, const char* name,
                                            const wasm_extern_t* item) {
  if (!linker || !validName(module) || !validName(name) || !item) return nullArgument("orca_linker_define");
  if (item->store != linker->store)
    return newError(ORCA_ERROR_UNLINKABLE, "orca_linker_define: the extern belongs to another store");
  Status status = linker->linker.define(module, name, externOf(item));
  return status ? nullptr : newError(status.takeError());
}

extern "C" orca_error_t* orca_linker_define_func(orca_linker_t* linker, const char* module, const char* name,
                                                 const wasm_functype_t* type, wasm_func_callback_with_env_t callback,
                                                 void* env, void (*finalizer)(void*)) {
  auto refuse = [&](orca_error_t* error) {
    if (finalizer) finalizer(env);  // the environment is ours either way
    return error;
  };
  if (!linker || !validName(module) || !validName(name) || !type || !callback)
    return refuse(nullArgument("orca_linker_define_func"));
  // Refuse before creating anything, so the store does not keep an unused function.
  if (Status definable = linker->linker.checkDefinable(module, name); !definable)
    return refuse(newError(definable.takeError()));
  wasm_func_t* func = wasm_func_new_with_env(linker->store, type, callback, env, finalizer);
  if (!func) return newError(ORCA_ERROR_UNSUPPORTED, "orca_linker_define_func: the function type is not valid");
  Status status = linker->linker.define(module, name, externOf(func));
  wasm_func_delete(func);
  return status ? nullptr : newError(status.takeError());
}

extern "C" orca_error_t* orca_linker_define_instance(orca_linker_t* linker, const char* module,
                                                     const wasm_instance_t* instance) {
  if (!linker || !validName(module) || !instance) return nullArgument("orca_linker_define_instance");
  if (instance->store != linker->store)
    return newError(ORCA_ERROR_UNLINKABLE, "orca_linker_define_instance: the instance belongs to another store");
  Status status = linker->linker.defineInstance(module, *static_cast<runtime::Instance*>(instance->entity->object));
  return status ? nullptr : newError(status.takeError());
}

extern "C" wasm_extern_t* orca_linker_get(const orca_linker_t* linker, const char* module, const char* name) {
  if (!linker || !validName(module) || !validName(name)) return nullptr;
  auto item = linker->linker.get(module, name);
  return item ? newExternHandle(linker->store, *item) : nullptr;
}

extern "C" orca_error_t* orca_linker_instantiate(const orca_linker_t* linker, const wasm_module_t* module,
                                                 wasm_instance_t** out) {
  if (out) *out = nullptr;
  if (!linker || !module || !out) return nullArgument("orca_linker_instantiate");
  const auto* me = static_cast<const ModuleEntity*>(module->entity);
  if (me->engine != linker->store->engine)
    return newError(ORCA_ERROR_UNLINKABLE, "the module was compiled by another engine");
  auto instance = linker->linker.instantiate(me->module);
  if (!instance) {
    Error error = instance.takeError();
    bool trapped = error.kind == ErrorKind::Trap || error.kind == ErrorKind::Exhaustion || error.kind == ErrorKind::Exit;
    wasm_trap_t* trap = trapped ? trapFromStore(linker->store, error) : nullptr;
    return newError(std::move(error), trap);
  }
  *out = static_cast<wasm_instance_t*>(
      newHandle(linker->store, entityOf(linker->store, RefKind::Instance, instance.value())));
  return nullptr;
}

extern "C" wasm_extern_t* orca_instance_export(const wasm_instance_t* instance, const char* name) {
  if (!instance || !name) return nullptr;
  auto item = static_cast<runtime::Instance*>(instance->entity->object)->exportByName(name);
  return item ? newExternHandle(instance->store, *item) : nullptr;
}
