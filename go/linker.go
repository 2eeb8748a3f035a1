package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// Linker defines imports by module and name and instantiates modules with them. It belongs to
// one store.
type Linker struct {
	store *Store
	ptr   *C.orca_linker_t
}

// NewLinker returns a linker of the store; it is freed with the store, or by Close.
func NewLinker(store *Store) *Linker {
	l := &Linker{store: store, ptr: C.orca_linker_new(store.ptr)}
	runtime.KeepAlive(store)
	store.own(func() { l.Close() })
	return l
}

// Close frees the linker; what it defined and instantiated stays in the store. Safe twice.
func (l *Linker) Close() error {
	if l.ptr != nil {
		C.orca_linker_delete(l.ptr)
		l.ptr = nil
	}
	return nil
}

// AllowShadowing lets a later definition of a name replace the earlier one (else it is an error).
func (l *Linker) AllowShadowing(allow bool) {
	C.orca_linker_allow_shadowing(l.ptr, C.bool(allow))
}

func cstrings(a, b string) (*C.char, *C.char, func()) {
	ca, cb := C.CString(a), C.CString(b)
	return ca, cb, func() { C.free(unsafe.Pointer(ca)); C.free(unsafe.Pointer(cb)) }
}

// Define defines module.name as an extern of the linker's store.
func (l *Linker) Define(module, name string, item Extern) error {
	cm, cn, free := cstrings(module, name)
	defer free()
	err := takeError(C.orca_linker_define(l.ptr, cm, cn, item.externPtr()))
	runtime.KeepAlive(item)
	runtime.KeepAlive(l.store)
	return err
}

// DefineFunc defines module.name as a Go host function.
func (l *Linker) DefineFunc(module, name string, ty FuncType, fn HostFunc) error {
	cm, cn, free := cstrings(module, name)
	defer free()
	ct := ty.c()
	defer C.wasm_functype_delete(ct)
	h := cgo.NewHandle(&hostFunc{store: l.store, ty: ty, fn: fn})
	err := takeError(C.orcago_linker_define_func(l.ptr, cm, cn, ct, C.uintptr_t(h)))
	runtime.KeepAlive(l.store)
	return err
}

// DefineInstance defines every export of instance under module.
func (l *Linker) DefineInstance(module string, instance *Instance) error {
	cm := C.CString(module)
	defer C.free(unsafe.Pointer(cm))
	err := takeError(C.orca_linker_define_instance(l.ptr, cm, instance.ptr))
	runtime.KeepAlive(instance.store)
	return err
}

// Get is the definition of module.name, or nil.
func (l *Linker) Get(module, name string) Extern {
	cm, cn, free := cstrings(module, name)
	defer free()
	return l.store.wrapExtern(C.orca_linker_get(l.ptr, cm, cn))
}

// Instantiate instantiates module with the linker's definitions. A missing or mismatched import
// is a *Error of kind ErrUnlinkable naming it; a start function's trap is a *Error whose Trap is set.
func (l *Linker) Instantiate(module *Module) (*Instance, error) {
	var ptr *C.wasm_instance_t
	l.store.depth++
	e := C.orca_linker_instantiate(l.ptr, module.ptr, &ptr)
	l.store.depth--
	runtime.KeepAlive(module)
	runtime.KeepAlive(l.store)
	if err := takeError(e); err != nil {
		return nil, err
	}
	return l.store.wrapInstance(ptr), nil
}
