package orca

/*
#include "glue.h"
*/
import "C"

// Extern is what modules import and instances export: *Func, *Memory, *Global or *Table.
type Extern interface {
	externPtr() *C.wasm_extern_t
	owner() *Store
	gone() bool
}

// owned is where an extern belongs: its store, and the instance Go took it from as an export
// (nil for objects the host made and for references read from tables and globals), whose Close
// ends it too.
type owned struct {
	store *Store
	inst  *Instance
}

func (o owned) owner() *Store { return o.store }

// gone reports whether the extern's store, or the instance it came from, is closed.
func (o owned) gone() bool { return o.store.closed || o.inst != nil && o.inst.closed }

// externOf is the C extern behind e; ErrClosed once e's store or instance is closed.
func externOf(e Extern) (*C.wasm_extern_t, error) {
	if e.gone() {
		return nil, ErrClosed
	}
	return e.externPtr(), nil
}

// wrapExtern takes an owned extern reference into the store, as an export of inst when inst is
// not nil; the number is the reference's in the store.
func (s *Store) wrapExtern(e *C.wasm_extern_t, inst *Instance) (Extern, refID) {
	if e == nil {
		return nil, 0
	}
	ref := s.own(func() { C.wasm_extern_delete(e) })
	o := owned{store: s, inst: inst}
	switch C.wasm_extern_kind(e) {
	case C.WASM_EXTERN_FUNC:
		return &Func{owned: o, ptr: C.wasm_extern_as_func(e)}, ref
	case C.WASM_EXTERN_MEMORY:
		return &Memory{owned: o, ptr: C.wasm_extern_as_memory(e)}, ref
	case C.WASM_EXTERN_GLOBAL:
		return &Global{owned: o, ptr: C.wasm_extern_as_global(e)}, ref
	case C.WASM_EXTERN_TABLE:
		return &Table{owned: o, ptr: C.wasm_extern_as_table(e)}, ref
	}
	return nil, ref
}
