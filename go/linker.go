package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
	"weak"
)

// Linker defines imports by module and name and instantiates modules with them. It belongs to
// one store.
type Linker struct {
	store *Store
	*linkerState
}

// linkerState is what the store's Close needs to close the linker. It does not point at the
// store: the store holds it (a strong cycle through the store would keep the Go runtime from
// ever finalizing the store).
type linkerState struct {
	ptr *C.orca_linker_t // nil once closed
	// instantiating counts Instantiate calls in progress: a host function run by a start function
	// may close the linker, which is then deleted when they have returned.
	instantiating int
	closed        bool
}

// NewLinker returns a linker of the store; it is freed with the store, or by Close. The linker of
// a closed store is closed: its every use returns ErrClosed.
func NewLinker(store *Store) *Linker {
	if store.closed {
		return &Linker{store: store, linkerState: &linkerState{closed: true}}
	}
	state := &linkerState{ptr: C.orca_linker_new(store.ptr)}
	runtime.KeepAlive(store)
	store.own(state.close)
	return &Linker{store: store, linkerState: state}
}

// Close frees the linker; what it defined and instantiated stays in the store. Safe twice.
func (l *Linker) Close() error {
	l.close()
	return nil
}

func (l *linkerState) close() {
	l.closed = true
	if l.ptr != nil && l.instantiating == 0 {
		C.orca_linker_delete(l.ptr)
		l.ptr = nil
	}
}

// usable is ErrClosed once the linker or its store is closed.
func (l *Linker) usable() error {
	if l.closed || l.store.closed {
		return ErrClosed
	}
	return nil
}

// AllowShadowing lets a later definition of a name replace the earlier one (else it is an error).
func (l *Linker) AllowShadowing(allow bool) error {
	if err := l.usable(); err != nil {
		return err
	}
	C.orca_linker_allow_shadowing(l.ptr, C.bool(allow))
	return nil
}

func cstrings(a, b string) (*C.char, *C.char, func()) {
	ca, cb := C.CString(a), C.CString(b)
	return ca, cb, func() { C.free(unsafe.Pointer(ca)); C.free(unsafe.Pointer(cb)) }
}

// Define defines module.name as an extern of the linker's store.
func (l *Linker) Define(module, name string, item Extern) error {
	if err := l.usable(); err != nil {
		return err
	}
	extern, err := externOf(item)
	if err != nil {
		return err
	}
	cm, cn, free := cstrings(module, name)
	defer free()
	err = takeError(C.orca_linker_define(l.ptr, cm, cn, extern))
	runtime.KeepAlive(item)
	runtime.KeepAlive(l.store)
	return err
}

// DefineFunc defines module.name as a host function made by WrapFunc from the Go function fn
// (its wasm type is read from fn's).
func (l *Linker) DefineFunc(module, name string, fn any) error {
	if err := l.usable(); err != nil {
		return err
	}
	f, err := WrapFunc(l.store, fn)
	if err != nil {
		return err
	}
	return l.Define(module, name, f)
}

// DefineHostFunc defines module.name as a HostFunc of the given type (the dynamic form, for
// types known only at run time).
func (l *Linker) DefineHostFunc(module, name string, ty FuncType, fn HostFunc) error {
	if err := l.usable(); err != nil {
		return err
	}
	cm, cn, free := cstrings(module, name)
	defer free()
	ct := ty.c()
	defer C.wasm_functype_delete(ct)
	h := cgo.NewHandle(&hostFunc{store: weak.Make(l.store), ty: ty, fn: fn})
	err := takeError(C.orcago_linker_define_func(l.ptr, cm, cn, ct, C.uintptr_t(h)))
	runtime.KeepAlive(l.store)
	return err
}

// DefineInstance defines every export of instance under module.
func (l *Linker) DefineInstance(module string, instance *Instance) error {
	if err := l.usable(); err != nil {
		return err
	}
	if instance.unusable() {
		return ErrClosed
	}
	cm := C.CString(module)
	defer C.free(unsafe.Pointer(cm))
	err := takeError(C.orca_linker_define_instance(l.ptr, cm, instance.ptr))
	runtime.KeepAlive(instance.store)
	return err
}

// Get is the definition of module.name, or nil.
func (l *Linker) Get(module, name string) (Extern, error) {
	if err := l.usable(); err != nil {
		return nil, err
	}
	cm, cn, free := cstrings(module, name)
	defer free()
	e, _ := l.store.wrapExtern(C.orca_linker_get(l.ptr, cm, cn), nil)
	return e, nil
}

// Instantiate instantiates module with the linker's definitions. A missing or mismatched import
// is a *Error of kind ErrUnlinkable naming it; a start function's trap is a *Error whose Trap is set.
func (l *Linker) Instantiate(module *Module) (*Instance, error) {
	if err := l.usable(); err != nil {
		return nil, err
	}
	if err := module.useIn(l.store); err != nil {
		return nil, err
	}
	var ptr *C.wasm_instance_t
	s := l.store
	s.depth++ // a start function may call host functions, which may call in again
	l.instantiating++
	e := C.orca_linker_instantiate(l.ptr, module.ptr, &ptr)
	l.instantiating--
	s.leave()
	module.handle.release()
	if l.closed && l.instantiating == 0 {
		l.Close() // closed by a host function meanwhile: delete it now
	}
	if s.closed {
		// A host function closed the store while the start function ran.
		if e != nil {
			C.orca_error_delete(e)
		}
		s.freeAfterCall()
		return nil, ErrClosed
	}
	if err := takeError(e); err != nil {
		return nil, err
	}
	return l.store.wrapInstance(ptr), nil
}
