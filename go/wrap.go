package orca

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"reflect"
	"runtime"
	"runtime/cgo"
	"unsafe"
	"weak"
)

// WrapFunc makes a host function of the Go function fn, its wasm type read from fn's own:
//
//	orca.WrapFunc(store, func(c *orca.Caller, ptr, n int32) (int32, error) { ... })
//
// The parameters: an optional *Caller first (the calling instance's exports and the call's
// context), then one per wasm parameter. The results: one per wasm result, then an optional
// error. Go types map to wasm types as follows, named types of these kinds included:
//
//	int32, uint32   i32 (a uint32 is the same 32 bits: 0xffffffff is -1 to the guest)
//	int64, uint64   i64 (likewise)
//	float32         f32
//	float64         f64
//	V128            v128
//	*Func           funcref (nil for ref.null)
//	any             externref (nil for ref.null; a Go value the host passed, or a *Foreign)
//
// int and uint have no fixed size and are refused, as are other types, variadic functions and
// an error anywhere but last: WrapFunc returns an error and fn is never called. A non-nil error
// result makes the wasm call trap with the error's message; the caller of Call gets a *Trap
// whose Cause is that error (errors.Is and errors.As find it). A panic in fn traps the same way
// and panics again, with the same value, in the goroutine that made the call. In a closed store
// WrapFunc returns ErrClosed.
func WrapFunc(store *Store, fn any) (*Func, error) {
	sig, err := signatureOf(fn)
	if err != nil {
		return nil, err
	}
	if store.closed {
		return nil, ErrClosed
	}
	ct := sig.ty.c()
	defer C.wasm_functype_delete(ct)
	h := cgo.NewHandle(&typedFunc{store: weak.Make(store), fn: reflect.ValueOf(fn), sig: sig, direct: directCall(fn)})
	ptr := C.orcago_func_new_with_caller(store.ptr, ct, C.uintptr_t(h))
	runtime.KeepAlive(store)
	store.own(func() { C.wasm_func_delete(ptr) })
	t := sig.ty
	return &Func{owned: owned{store: store}, ptr: ptr, ty: &t}, nil
}

type typedFunc struct {
	store  weak.Pointer[Store] // weak, as hostFunc.store
	fn     reflect.Value
	sig    *signature
	direct func(c *Caller, args, results []RawVal) error // without reflection, for common shapes; or nil
}

// signature is what WrapFunc read from a Go function's type.
type signature struct {
	ty        FuncType
	caller    bool           // the first parameter is a *Caller
	params    []reflect.Type // one per wasm parameter
	results   []reflect.Type // one per wasm result
	lastError bool           // the last result is an error
}

var (
	callerType  = reflect.TypeOf((*Caller)(nil))
	errorType   = reflect.TypeOf((*error)(nil)).Elem()
	v128Type    = reflect.TypeOf(V128{})
	funcPtrType = reflect.TypeOf((*Func)(nil))
)

// kindOfType is the wasm type a Go type stands for.
func kindOfType(t reflect.Type) (ValKind, bool) {
	switch {
	case t == v128Type:
		return KindV128, true
	case t == funcPtrType:
		return KindFuncref, true
	case t.Kind() == reflect.Interface && t.NumMethod() == 0:
		return KindExternref, true
	}
	switch t.Kind() {
	case reflect.Int32, reflect.Uint32:
		return KindI32, true
	case reflect.Int64, reflect.Uint64:
		return KindI64, true
	case reflect.Float32:
		return KindF32, true
	case reflect.Float64:
		return KindF64, true
	}
	return 0, false
}

func signatureOf(fn any) (*signature, error) {
	t := reflect.TypeOf(fn)
	if t == nil || t.Kind() != reflect.Func || reflect.ValueOf(fn).IsNil() {
		return nil, fmt.Errorf("orca: WrapFunc needs a non-nil Go function, not %T", fn)
	}
	if t.IsVariadic() {
		return nil, fmt.Errorf("orca: WrapFunc cannot wrap the variadic %v", t)
	}
	sig := &signature{}
	for i := 0; i < t.NumIn(); i++ {
		p := t.In(i)
		if p == callerType {
			if i != 0 {
				return nil, fmt.Errorf("orca: WrapFunc: in %v, *orca.Caller must be the first parameter", t)
			}
			sig.caller = true
			continue
		}
		k, ok := kindOfType(p)
		if !ok {
			return nil, fmt.Errorf("orca: WrapFunc: in %v, parameter %d's type %v is no wasm type", t, i, p)
		}
		sig.params = append(sig.params, p)
		sig.ty.Params = append(sig.ty.Params, k)
	}
	for i := 0; i < t.NumOut(); i++ {
		r := t.Out(i)
		if r == errorType {
			if i != t.NumOut()-1 {
				return nil, fmt.Errorf("orca: WrapFunc: in %v, the error must be the last result", t)
			}
			sig.lastError = true
			continue
		}
		k, ok := kindOfType(r)
		if !ok {
			return nil, fmt.Errorf("orca: WrapFunc: in %v, result %d's type %v is no wasm type", t, i, r)
		}
		sig.results = append(sig.results, r)
		sig.ty.Results = append(sig.ty.Results, k)
	}
	return sig, nil
}

// arg is the Go value of an argument slot, of the parameter's Go type.
func (sig *signature) arg(s *Store, i int, slot RawVal) (reflect.Value, error) {
	t := sig.params[i]
	v := reflect.New(t).Elem()
	switch k := sig.ty.Params[i]; k {
	case KindI32:
		if t.Kind() == reflect.Uint32 {
			v.SetUint(uint64(uint32(slot.I32())))
		} else {
			v.SetInt(int64(slot.I32()))
		}
	case KindI64:
		if t.Kind() == reflect.Uint64 {
			v.SetUint(uint64(slot.I64()))
		} else {
			v.SetInt(slot.I64())
		}
	case KindF32:
		v.SetFloat(float64(slot.F32()))
	case KindF64:
		v.SetFloat(slot.F64())
	case KindV128:
		v.Set(reflect.ValueOf(slot.V128()))
	default:
		ref, err := slot.Ref(s, k)
		if err != nil {
			return v, err
		}
		if ref != nil && !(k == KindFuncref && ref.(*Func) == nil) {
			v.Set(reflect.ValueOf(ref))
		}
	}
	return v, nil
}

// result writes a result of the Go function into its slot.
func (sig *signature) result(s *Store, i int, v reflect.Value, slot *RawVal) error {
	switch k := sig.ty.Results[i]; k {
	case KindI32:
		if v.Kind() == reflect.Uint32 {
			slot.SetI32(int32(uint32(v.Uint())))
		} else {
			slot.SetI32(int32(v.Int()))
		}
	case KindI64:
		if v.Kind() == reflect.Uint64 {
			slot.SetI64(int64(v.Uint()))
		} else {
			slot.SetI64(v.Int())
		}
	case KindF32:
		slot.SetF32(float32(v.Float()))
	case KindF64:
		slot.SetF64(v.Float())
	case KindV128:
		slot.SetV128(v.Interface().(V128))
	default:
		return slot.SetRef(s, k, v.Interface())
	}
	return nil
}

//export orcagoTypedCall
func orcagoTypedCall(handle C.uintptr_t, cc *C.orca_caller_t, args, results *C.orca_val_raw_t) (trap *C.wasm_trap_t) {
	h := cgo.Handle(handle).Value().(*typedFunc)
	s, sig := h.store.Value(), h.sig
	if s == nil {
		return nil // cannot happen: see hostFunc.store
	}
	defer func() {
		if p := recover(); p != nil {
			trap = s.hostPanicked(p)
		}
	}()
	var c *Caller
	if sig.caller {
		c = &Caller{store: s, ptr: cc}
		defer c.end()
	}
	argSlots := unsafe.Slice((*RawVal)(unsafe.Pointer(args)), len(sig.params))
	if h.direct != nil {
		err := h.direct(c, argSlots, unsafe.Slice((*RawVal)(unsafe.Pointer(results)), len(sig.results)))
		return s.hostFailed(err)
	}
	in := make([]reflect.Value, 0, len(sig.params)+1)
	if sig.caller {
		in = append(in, reflect.ValueOf(c))
	}
	for i := range sig.params {
		v, err := sig.arg(s, i, argSlots[i])
		if err != nil {
			return s.hostFailed(err)
		}
		in = append(in, v)
	}
	out := h.fn.Call(in)
	var err error
	if sig.lastError {
		if e := out[len(out)-1]; !e.IsNil() {
			err = e.Interface().(error)
		}
		out = out[:len(out)-1]
	}
	if trap := s.hostFailed(err); trap != nil {
		return trap
	}
	resultSlots := unsafe.Slice((*RawVal)(unsafe.Pointer(results)), len(out))
	for i, v := range out {
		if err := sig.result(s, i, v, &resultSlots[i]); err != nil {
			return newCTrap(s, err.Error())
		}
	}
	return nil
}
