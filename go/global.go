package orca

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Global is a global variable.
type Global struct {
	owned
	ptr *C.wasm_global_t
}

// ErrImmutable is returned by Global.Set on a const global.
var ErrImmutable = fmt.Errorf("orca: global is immutable")

// NewGlobal makes a global in the store with an initial value.
func NewGlobal(store *Store, ty GlobalType, value any) (*Global, error) {
	if store.closed {
		return nil, ErrClosed
	}
	mut := C.wasm_mutability_t(C.WASM_CONST)
	if ty.Mutable {
		mut = C.WASM_VAR
	}
	ct := C.wasm_globaltype_new(C.wasm_valtype_new(C.wasm_valkind_t(ty.Kind)), mut)
	defer C.wasm_globaltype_delete(ct)
	var v C.wasm_val_t
	if err := store.toVal(ty.Kind, value, &v); err != nil {
		return nil, err
	}
	defer C.wasm_val_delete(&v)
	ptr := C.wasm_global_new(store.ptr, ct, &v)
	runtime.KeepAlive(store)
	if ptr == nil {
		return nil, fmt.Errorf("orca: cannot make a global of %+v", ty)
	}
	store.own(func() { C.wasm_global_delete(ptr) })
	return &Global{owned: owned{store: store}, ptr: ptr}, nil
}

func (g *Global) externPtr() *C.wasm_extern_t { return C.wasm_global_as_extern(g.ptr) }

// Type is the global's type.
func (g *Global) Type() (GlobalType, error) {
	if g.gone() {
		return GlobalType{}, ErrClosed
	}
	ct := C.wasm_global_type(g.ptr)
	defer C.wasm_globaltype_delete(ct)
	runtime.KeepAlive(g.store)
	return GlobalType{Kind: ValKind(C.wasm_valtype_kind(C.wasm_globaltype_content(ct))),
		Mutable: C.wasm_globaltype_mutability(ct) == C.WASM_VAR}, nil
}

// Get is the global's value.
func (g *Global) Get() (any, error) {
	if g.gone() {
		return nil, ErrClosed
	}
	var v C.wasm_val_t
	C.wasm_global_get(g.ptr, &v)
	runtime.KeepAlive(g.store)
	out := g.store.fromVal(&v)
	C.wasm_val_delete(&v)
	return out, nil
}

// Set changes a mutable global; ErrImmutable for a const one, an error for a value of another type.
func (g *Global) Set(value any) error {
	ty, err := g.Type()
	if err != nil {
		return err
	}
	if !ty.Mutable {
		return ErrImmutable
	}
	var v C.wasm_val_t
	if err := g.store.toVal(ty.Kind, value, &v); err != nil {
		return err
	}
	C.wasm_global_set(g.ptr, &v)
	C.wasm_val_delete(&v)
	runtime.KeepAlive(g.store)
	return nil
}
