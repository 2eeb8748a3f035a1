package orca

/*
#include "glue.h"
*/
import "C"

import (
	"errors"
	"math"
	"runtime"
	"runtime/cgo"
	"unsafe"
	"weak"
)

// Value is one argument or result of a RawHostFunc: the C API's wasm_val_t, read and written in
// place. Numbers only; a host function with reference types uses HostFunc.
type Value struct {
	kind uint8
	_    [7]byte
	bits uint64
}

func init() {
	var v C.wasm_val_t
	if unsafe.Sizeof(v) != unsafe.Sizeof(Value{}) || unsafe.Offsetof(v.of) != unsafe.Offsetof(Value{}.bits) {
		panic("orca: wasm_val_t does not have the layout Value assumes")
	}
}

func (v Value) Kind() ValKind     { return ValKind(v.kind) }
func (v Value) I32() int32        { return int32(uint32(v.bits)) }
func (v Value) I64() int64        { return int64(v.bits) }
func (v Value) F32() float32      { return math.Float32frombits(uint32(v.bits)) }
func (v Value) F64() float64      { return math.Float64frombits(v.bits) }
func (v *Value) SetI32(x int32)   { v.kind, v.bits = uint8(KindI32), uint64(uint32(x)) }
func (v *Value) SetI64(x int64)   { v.kind, v.bits = uint8(KindI64), uint64(x) }
func (v *Value) SetF32(x float32) { v.kind, v.bits = uint8(KindF32), uint64(math.Float32bits(x)) }
func (v *Value) SetF64(x float64) { v.kind, v.bits = uint8(KindF64), math.Float64bits(x) }

// RawHostFunc is a host function without conversions: it reads its arguments and writes its
// results (one slot per result, already sized) in place, and allocates nothing. Errors and
// panics behave as for HostFunc. The slices are valid only during the call.
type RawHostFunc func(args, results []Value) error

func checkRawType(ty FuncType) error {
	for _, k := range append(append([]ValKind(nil), ty.Params...), ty.Results...) {
		if k.isRef() || k == KindV128 {
			return errors.New("orca: a RawHostFunc takes and returns numbers only (use HostFunc)")
		}
	}
	return nil
}

// NewFuncRaw makes a host function of the given number-only type from a RawHostFunc.
func NewFuncRaw(store *Store, ty FuncType, fn RawHostFunc) (*Func, error) {
	if store.closed {
		return nil, ErrClosed
	}
	if err := checkRawType(ty); err != nil {
		return nil, err
	}
	ct := ty.c()
	defer C.wasm_functype_delete(ct)
	h := cgo.NewHandle(&hostFunc{store: weak.Make(store), ty: ty, raw: fn})
	ptr := C.orcago_func_new(store.ptr, ct, C.uintptr_t(h))
	runtime.KeepAlive(store)
	store.own(func() { C.wasm_func_delete(ptr) })
	t := ty
	return &Func{owned: owned{store: store}, ptr: ptr, ty: &t}, nil
}

// DefineFuncRaw defines module.name as a RawHostFunc of a number-only type.
func (l *Linker) DefineFuncRaw(module, name string, ty FuncType, fn RawHostFunc) error {
	if err := l.usable(); err != nil {
		return err
	}
	if err := checkRawType(ty); err != nil {
		return err
	}
	cm, cn, free := cstrings(module, name)
	defer free()
	ct := ty.c()
	defer C.wasm_functype_delete(ct)
	h := cgo.NewHandle(&hostFunc{store: weak.Make(l.store), ty: ty, raw: fn})
	err := takeError(C.orcago_linker_define_func(l.ptr, cm, cn, ct, C.uintptr_t(h)))
	runtime.KeepAlive(l.store)
	return err
}

// callRaw runs a RawHostFunc over the C vectors in place.
func (h *hostFunc) callRaw(args, results *C.wasm_val_vec_t) error {
	var in, out []Value
	if args.size > 0 {
		in = unsafe.Slice((*Value)(unsafe.Pointer(args.data)), int(args.size))
	}
	if results.size > 0 {
		out = unsafe.Slice((*Value)(unsafe.Pointer(results.data)), int(results.size))
		for i, k := range h.ty.Results {
			out[i].kind = uint8(k)
		}
	}
	return h.raw(in, out)
}
