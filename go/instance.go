package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
	"weak"
)

// Instance is an instantiated module.
type Instance struct {
	store   *Store
	ptr     *C.wasm_instance_t
	exports map[string]Extern
}

func (s *Store) wrapInstance(ptr *C.wasm_instance_t) *Instance {
	s.own(func() { C.wasm_instance_delete(ptr) })
	i := &Instance{store: s, ptr: ptr, exports: map[string]Extern{}}
	// The C instance carries the number of its Go side in the store, so that a Caller finds it
	// (and its export cache) while Go holds it.
	s.instances = append(s.instances, weak.Make(i))
	C.orcago_instance_attach(ptr, C.uintptr_t(len(s.instances)))
	return i
}

// NewInstance instantiates a module with its imports in order (Linker resolves them by name).
func NewInstance(store *Store, module *Module, imports []Extern) (*Instance, error) {
	if store.closed {
		return nil, ErrClosed
	}
	// The vector borrows the externs; its array is ours (wasm_instance_new only reads it).
	var v C.wasm_extern_vec_t
	if len(imports) > 0 {
		v.size = C.size_t(len(imports))
		v.data = (**C.wasm_extern_t)(C.malloc(C.size_t(len(imports)) * C.size_t(unsafe.Sizeof(uintptr(0)))))
		defer C.free(unsafe.Pointer(v.data))
		data := unsafe.Slice(v.data, len(imports))
		for i, e := range imports {
			var err error
			if data[i], err = externOf(e); err != nil {
				return nil, err
			}
		}
	}
	if err := module.useIn(store); err != nil {
		return nil, err
	}
	var trap *C.wasm_trap_t
	store.depth++ // a start function may call host functions, which may call in again
	ptr := C.wasm_instance_new(store.ptr, module.ptr, &v, &trap)
	store.depth--
	module.handle.release()
	runtime.KeepAlive(imports)
	if store.closed {
		// A host function closed the store while the start function ran.
		if trap != nil {
			C.wasm_trap_delete(trap)
		}
		store.freeAfterCall()
		return nil, ErrClosed
	}
	if ptr == nil {
		if trap != nil {
			return nil, &Error{Kind: ErrTrap, Message: "instantiation trapped", Trap: store.trapError(trap).(*Trap)}
		}
		return nil, &Error{Kind: ErrUnlinkable, Message: "imports do not match the module"}
	}
	return store.wrapInstance(ptr), nil
}

// Export is the export called name, or nil; ErrClosed once the store is closed.
func (i *Instance) Export(name string) (Extern, error) {
	if i.store.closed {
		return nil, ErrClosed
	}
	if e, ok := i.exports[name]; ok {
		return e, nil
	}
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	e := i.store.wrapExtern(C.orca_instance_export(i.ptr, cs))
	runtime.KeepAlive(i.store)
	if e != nil {
		i.exports[name] = e
	}
	return e, nil
}

// exportAs is the export called name if it is a T, else nil. The lookups by kind keep one result,
// so that a call can follow them (instance.Func("add").Call(...)): in a closed store they give
// closed(store), an object of that store whose every use returns ErrClosed.
func exportAs[T Extern](i *Instance, name string, closed func(*Store) T) T {
	if i.store.closed {
		return closed(i.store)
	}
	e, _ := i.Export(name)
	t, _ := e.(T)
	return t
}

// Func is the exported function called name, or nil.
func (i *Instance) Func(name string) *Func {
	return exportAs(i, name, func(s *Store) *Func { return &Func{store: s} })
}

// Memory is the exported memory called name, or nil.
func (i *Instance) Memory(name string) *Memory {
	return exportAs(i, name, func(s *Store) *Memory { return &Memory{store: s} })
}

// Global is the exported global called name, or nil.
func (i *Instance) Global(name string) *Global {
	return exportAs(i, name, func(s *Store) *Global { return &Global{store: s} })
}

// Table is the exported table called name, or nil.
func (i *Instance) Table(name string) *Table {
	return exportAs(i, name, func(s *Store) *Table { return &Table{store: s} })
}
