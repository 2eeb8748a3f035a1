package orca

/*
#include "glue.h"
*/
import "C"

import (
	"strings"
	"unsafe"
)

// ValKind is the type of a WebAssembly value.
type ValKind uint8

const (
	KindI32       ValKind = C.WASM_I32
	KindI64       ValKind = C.WASM_I64
	KindF32       ValKind = C.WASM_F32
	KindF64       ValKind = C.WASM_F64
	KindV128      ValKind = C.WASM_V128
	KindExternref ValKind = C.WASM_EXTERNREF
	KindFuncref   ValKind = C.WASM_FUNCREF
)

func (k ValKind) String() string {
	switch k {
	case KindI32:
		return "i32"
	case KindI64:
		return "i64"
	case KindF32:
		return "f32"
	case KindF64:
		return "f64"
	case KindV128:
		return "v128"
	case KindExternref:
		return "externref"
	case KindFuncref:
		return "funcref"
	}
	return "unknown"
}

func (k ValKind) isRef() bool { return k == KindExternref || k == KindFuncref }

// V128 is a 128-bit vector in memory order (lane 0 first).
type V128 [16]byte

// FuncType is a function's signature.
type FuncType struct {
	Params, Results []ValKind
}

func (t FuncType) String() string {
	kinds := func(ks []ValKind) string {
		s := make([]string, len(ks))
		for i, k := range ks {
			s[i] = k.String()
		}
		return "(" + strings.Join(s, ", ") + ")"
	}
	return kinds(t.Params) + " -> " + kinds(t.Results)
}

func valtypeVec(kinds []ValKind) C.wasm_valtype_vec_t {
	var v C.wasm_valtype_vec_t
	C.wasm_valtype_vec_new_uninitialized(&v, C.size_t(len(kinds)))
	if len(kinds) > 0 {
		data := unsafe.Slice(v.data, len(kinds))
		for i, k := range kinds {
			data[i] = C.wasm_valtype_new(C.wasm_valkind_t(k))
		}
	}
	return v
}

// cFuncType makes a wasm_functype_t (to delete with wasm_functype_delete).
func (t FuncType) c() *C.wasm_functype_t {
	p, r := valtypeVec(t.Params), valtypeVec(t.Results)
	return C.wasm_functype_new(&p, &r)
}

func kindsOf(v *C.wasm_valtype_vec_t) []ValKind {
	out := make([]ValKind, int(v.size))
	for i, vt := range unsafeSlice(v.data, v.size) {
		out[i] = ValKind(C.wasm_valtype_kind(vt))
	}
	return out
}

func funcTypeOf(t *C.wasm_functype_t) FuncType {
	return FuncType{Params: kindsOf(C.wasm_functype_params(t)), Results: kindsOf(C.wasm_functype_results(t))}
}

// ExternKind is the kind of an import or export.
type ExternKind uint8

const (
	ExternFunc   ExternKind = C.WASM_EXTERN_FUNC
	ExternGlobal ExternKind = C.WASM_EXTERN_GLOBAL
	ExternTable  ExternKind = C.WASM_EXTERN_TABLE
	ExternMemory ExternKind = C.WASM_EXTERN_MEMORY
)

func (k ExternKind) String() string {
	return [...]string{"func", "global", "table", "memory"}[k]
}

// ImportType is an import of a module.
type ImportType struct {
	Module, Name string
	Kind         ExternKind
}

// ExportType is an export of a module.
type ExportType struct {
	Name string
	Kind ExternKind
}

// MemoryType gives a memory's limits in pages; Max is NoMax when absent.
type MemoryType struct{ Min, Max uint32 }

// TableType gives a table's element type and limits; Max is NoMax when absent.
type TableType struct {
	Elem     ValKind
	Min, Max uint32
}

// GlobalType gives a global's value type and mutability.
type GlobalType struct {
	Kind    ValKind
	Mutable bool
}

// NoMax is the Max of limits without a maximum.
const NoMax = ^uint32(0)

func unsafeSlice[T any](p *T, n C.size_t) []T {
	if n == 0 {
		return nil
	}
	return unsafe.Slice(p, int(n))
}
