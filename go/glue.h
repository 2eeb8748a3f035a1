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
/* A foreign object carrying a cgo.Handle, released with the object. */
wasm_foreign_t* orcago_foreign_new(wasm_store_t* store, uintptr_t handle);
/* The handle a foreign object made by orcago_foreign_new carries, or 0. */
uintptr_t orcago_foreign_handle(const wasm_ref_t* ref);

#endif
