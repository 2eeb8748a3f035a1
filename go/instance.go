package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Instance is an instantiated module.
type Instance struct {
	store   *Store
	ptr     *C.wasm_instance_t
	exports map[string]Extern
}

func (s *Store) wrapInstance(ptr *C.wasm_instance_t) *Instance {
	s.own(func() { C.wasm_instance_delete(ptr) })
	return &Instance{store: s, ptr: ptr, exports: map[string]Extern{}}
}

// NewInstance instantiates a module with its imports in order (Linker resolves them by name).
func NewInstance(store *Store, module *Module, imports []Extern) (*Instance, error) {
	// The vector borrows the externs; its array is ours (wasm_instance_new only reads it).
	var v C.wasm_extern_vec_t
	if len(imports) > 0 {
		v.size = C.size_t(len(imports))
		v.data = (**C.wasm_extern_t)(C.malloc(C.size_t(len(imports)) * C.size_t(unsafe.Sizeof(uintptr(0)))))
		defer C.free(unsafe.Pointer(v.data))
		data := unsafe.Slice(v.data, len(imports))
		for i, e := range imports {
			data[i] = e.externPtr()
		}
	}
	var trap *C.wasm_trap_t
	ptr := C.wasm_instance_new(store.ptr, module.ptr, &v, &trap)
	runtime.KeepAlive(store)
	runtime.KeepAlive(module)
	runtime.KeepAlive(imports)
	if ptr == nil {
		if trap != nil {
			return nil, &Error{Kind: ErrTrap, Message: "instantiation trapped", Trap: store.trapError(trap).(*Trap)}
		}
		return nil, &Error{Kind: ErrUnlinkable, Message: "imports do not match the module"}
	}
	return store.wrapInstance(ptr), nil
}

// Export is the export called name, or nil.
func (i *Instance) Export(name string) Extern {
	if e, ok := i.exports[name]; ok {
		return e
	}
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	e := i.store.wrapExtern(C.orca_instance_export(i.ptr, cs))
	runtime.KeepAlive(i.store)
	if e != nil {
		i.exports[name] = e
	}
	return e
}

// Func is the exported function called name, or nil.
func (i *Instance) Func(name string) *Func { f, _ := i.Export(name).(*Func); return f }

// Memory is the exported memory called name, or nil.
func (i *Instance) Memory(name string) *Memory { m, _ := i.Export(name).(*Memory); return m }

// Global is the exported global called name, or nil.
func (i *Instance) Global(name string) *Global { g, _ := i.Export(name).(*Global); return g }

// Table is the exported table called name, or nil.
func (i *Instance) Table(name string) *Table { t, _ := i.Export(name).(*Table); return t }
