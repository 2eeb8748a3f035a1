package orca

/*
#include "glue.h"
*/
import "C"

// Extern is what modules import and instances export: *Func, *Memory, *Global or *Table.
type Extern interface {
	externPtr() *C.wasm_extern_t
	owner() *Store
}

// externOf is the C extern behind e; ErrClosed once e's store is closed.
func externOf(e Extern) (*C.wasm_extern_t, error) {
	if e.owner().closed {
		return nil, ErrClosed
	}
	return e.externPtr(), nil
}

// wrapExtern takes an owned extern reference into the store.
func (s *Store) wrapExtern(e *C.wasm_extern_t) Extern {
	if e == nil {
		return nil
	}
	s.own(func() { C.wasm_extern_delete(e) })
	switch C.wasm_extern_kind(e) {
	case C.WASM_EXTERN_FUNC:
		return &Func{store: s, ptr: C.wasm_extern_as_func(e)}
	case C.WASM_EXTERN_MEMORY:
		return &Memory{store: s, ptr: C.wasm_extern_as_memory(e)}
	case C.WASM_EXTERN_GLOBAL:
		return &Global{store: s, ptr: C.wasm_extern_as_global(e)}
	case C.WASM_EXTERN_TABLE:
		return &Table{store: s, ptr: C.wasm_extern_as_table(e)}
	}
	return nil
}
