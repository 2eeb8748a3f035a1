/* C glue of the Go binding: the trampolines cgo cannot express in Go. */
#ifndef ORCA_GO_GLUE_H
#define ORCA_GO_GLUE_H

#include <stdint.h>
#include <stdlib.h>
#include <wasi.h>

/* A host function whose callback is the Go function behind a cgo.Handle. */
wasm_func_t* orcago_func_new(wasm_store_t* store, const wasm_functype_t* type, uintptr_t handle);
orca_error_t* orcago_linker_define_func(orca_linker_t* linker, const char* module, const char* name,
                                        const wasm_functype_t* type, uintptr_t handle);
/* A host function with a caller (orca_func_new_with_caller) whose callback is the Go function
 * behind a cgo.Handle. */
wasm_func_t* orcago_func_new_with_caller(wasm_store_t* store, const wasm_functype_t* type, uintptr_t handle);
/* Tags the C instance with a number (non-zero) that names its Go Instance in its store. */
void orcago_instance_attach(wasm_instance_t* instance, uintptr_t id);
/* The number the calling instance is tagged with; or 0, with *fresh set to a new reference of
 * the calling instance when it has none (null when no instance made the call). */
uintptr_t orcago_caller_instance(const orca_caller_t* caller, wasm_instance_t** fresh);
/* A foreign object carrying a cgo.Handle, released with the object. */
wasm_foreign_t* orcago_foreign_new(wasm_store_t* store, uintptr_t handle);
/* The handle a foreign object made by orcago_foreign_new carries, or the number an instance
 * was tagged with by orcago_instance_attach; or 0. */
uintptr_t orcago_ref_handle(const wasm_ref_t* ref);

#endif
