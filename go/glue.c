#include "glue.h"
#include "_cgo_export.h"

static wasm_trap_t* orcago_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  return orcagoHostCall(*(uintptr_t*)env, (wasm_val_vec_t*)args, results);
}

static void orcago_finalize(void* env) {
  orcagoHandleDelete(*(uintptr_t*)env);
  free(env);
}

static void* orcago_env(uintptr_t handle) {
  uintptr_t* env = malloc(sizeof *env);
  *env = handle;
  return env;
}

wasm_func_t* orcago_func_new(wasm_store_t* store, const wasm_functype_t* type, uintptr_t handle) {
  return wasm_func_new_with_env(store, type, orcago_callback, orcago_env(handle), orcago_finalize);
}

orca_error_t* orcago_linker_define_func(orca_linker_t* linker, const char* module, const char* name,
                                        const wasm_functype_t* type, uintptr_t handle) {
  return orca_linker_define_func(linker, module, name, type, orcago_callback, orcago_env(handle),
                                 orcago_finalize);
}

static wasm_trap_t* orcago_caller_callback(void* env, orca_caller_t* caller, const orca_val_raw_t* args,
                                           orca_val_raw_t* results) {
  return orcagoTypedCall(*(uintptr_t*)env, caller, (orca_val_raw_t*)args, results);
}

wasm_func_t* orcago_func_new_with_caller(wasm_store_t* store, const wasm_functype_t* type, uintptr_t handle) {
  return orca_func_new_with_caller(store, type, orcago_caller_callback, orcago_env(handle), orcago_finalize);
}

/* Foreign objects and instances made here carry this tag first, so that a foreign object made by someone else
 * is never mistaken for one of ours. */
static const char orcago_tag[] = "orca-go externref";
struct orcago_ref { const char* tag; uintptr_t handle; };

static void orcago_finalize_ref(void* p) {
  struct orcago_ref* r = p;
  orcagoHandleDelete(r->handle);
  free(r);
}

wasm_foreign_t* orcago_foreign_new(wasm_store_t* store, uintptr_t handle) {
  wasm_foreign_t* f = wasm_foreign_new(store);
  struct orcago_ref* r = malloc(sizeof *r);
  r->tag = orcago_tag;
  r->handle = handle;
  wasm_foreign_set_host_info_with_finalizer(f, r, orcago_finalize_ref);
  return f;
}

uintptr_t orcago_ref_handle(const wasm_ref_t* ref) {
  struct orcago_ref* r = wasm_ref_get_host_info(ref);
  return r && r->tag == orcago_tag ? r->handle : 0;
}

/* A number, not a cgo.Handle: a handle would keep the Go Instance, and so its Store, reachable
 * from the handle table until the C store is deleted, and a dropped store would never be
 * finalized. */
void orcago_instance_attach(wasm_instance_t* instance, uintptr_t id) {
  struct orcago_ref* r = malloc(sizeof *r);
  r->tag = orcago_tag;
  r->handle = id;
  wasm_instance_set_host_info_with_finalizer(instance, r, free);
}

uintptr_t orcago_caller_instance(const orca_caller_t* caller, wasm_instance_t** fresh) {
  *fresh = orca_caller_instance(caller);
  return *fresh ? orcago_ref_handle(wasm_instance_as_ref_const(*fresh)) : 0;
}
