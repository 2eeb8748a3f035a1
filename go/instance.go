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
	// refs are the C references of the instance and of the exports Go took from it, which
	// Close deletes; number is the one its C instance carries (Store.instances).
	refs   []refID
	number uintptr
	closed bool
}

func (s *Store) wrapInstance(ptr *C.wasm_instance_t) *Instance {
	i := &Instance{store: s, ptr: ptr, exports: map[string]Extern{}}
	i.refs = append(i.refs, s.own(func() { C.wasm_instance_delete(ptr) }))
	// The C instance carries the number of its Go side in the store, so that a Caller finds it
	// (and its export cache) while Go holds it.
	s.lastInstance++
	i.number = s.lastInstance
	s.instances[i.number] = weak.Make(i)
	C.orcago_instance_attach(ptr, C.uintptr_t(i.number))
	return i
}

// Close lets the store free the instance: its exports taken through Go (functions, memories,
// globals, tables, including those a Caller gave out) return ErrClosed from then on, and slices
// from its memories' Data must no longer be used. The store frees the instance with its memories
// and tables at its next collection (see Store.Collect) unless something else still keeps it: an
// instance that imports what it defined, a table or global that holds one of its functions.
// A host that instantiates per request in one long-lived store closes each instance after its
// request; without Close, an instance lives as long as its store. Safe twice.
func (i *Instance) Close() error {
	s := i.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if i.closed || s.closed {
		i.closed = true
		return nil
	}
	i.closed = true
	if s.depth > 0 {
		// A host function closed it: wasm frames, and C calls that use these references, are
		// still running; the outermost call deletes them when it returns (Store.leave).
		s.deferred = append(s.deferred, i.refs...)
	} else {
		s.disown(i.refs)
	}
	i.refs = nil
	delete(s.instances, i.number)
	return nil
}

// unusable is ErrClosed once the instance or its store is closed.
func (i *Instance) unusable() bool { return i.closed || i.store.closed }

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
	store.leave()
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

// Export is the export called name, or nil; ErrClosed once the instance or its store is closed.
func (i *Instance) Export(name string) (Extern, error) {
	if i.unusable() {
		return nil, ErrClosed
	}
	if e, ok := i.exports[name]; ok {
		return e, nil
	}
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	e, ref := i.store.wrapExtern(C.orca_instance_export(i.ptr, cs), i)
	runtime.KeepAlive(i.store)
	if e != nil {
		i.refs = append(i.refs, ref)
		i.exports[name] = e
	}
	return e, nil
}

// exportAs is the export called name if it is a T, else nil. The lookups by kind keep one result,
// so that a call can follow them (instance.Func("add").Call(...)): for a closed instance or store
// they give closed(store), an object of that store whose every use returns ErrClosed.
func exportAs[T Extern](i *Instance, name string, closed func(owned) T) T {
	if i.unusable() {
		return closed(owned{store: i.store, inst: i})
	}
	e, _ := i.Export(name)
	t, _ := e.(T)
	return t
}

// Func is the exported function called name, or nil.
func (i *Instance) Func(name string) *Func {
	return exportAs(i, name, func(o owned) *Func { return &Func{owned: o} })
}

// Memory is the exported memory called name, or nil.
func (i *Instance) Memory(name string) *Memory {
	return exportAs(i, name, func(o owned) *Memory { return &Memory{owned: o} })
}

// Global is the exported global called name, or nil.
func (i *Instance) Global(name string) *Global {
	return exportAs(i, name, func(o owned) *Global { return &Global{owned: o} })
}

// Table is the exported table called name, or nil.
func (i *Instance) Table(name string) *Table {
	return exportAs(i, name, func(o owned) *Table { return &Table{owned: o} })
}
