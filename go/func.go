package orca

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync/atomic"
	"unsafe"
	"weak"
)

// Func is a WebAssembly function: exported by an instance, or a Go host function.
type Func struct {
	owned
	ptr *C.wasm_func_t
	ty  *FuncType
}

// HostFunc is the Go side of a host function: it receives the arguments as Go values (see the
// package documentation) and returns the results. A returned error, or a panic, makes the wasm
// call trap; the caller of Call then gets a *Trap whose Cause is the error, or panics again with
// the same value.
type HostFunc func(args []any) ([]any, error)

type hostFunc struct {
	// store is weak: the handle that holds this struct lives until the store closes, and a strong
	// pointer would keep an unreachable store from being finalized. A call in progress keeps its
	// store reachable, so the pointer is never nil while the function runs.
	store weak.Pointer[Store]
	ty    FuncType
	fn    HostFunc
	raw   RawHostFunc // instead of fn
}

// NewFunc makes a host function of the given type in the store. In a closed store it is a
// function whose every use returns ErrClosed.
func NewFunc(store *Store, ty FuncType, fn HostFunc) *Func {
	if store.closed {
		return &Func{owned: owned{store: store}}
	}
	ct := ty.c()
	defer C.wasm_functype_delete(ct)
	h := cgo.NewHandle(&hostFunc{store: weak.Make(store), ty: ty, fn: fn})
	ptr := C.orcago_func_new(store.ptr, ct, C.uintptr_t(h))
	runtime.KeepAlive(store)
	store.own(func() { C.wasm_func_delete(ptr) })
	t := ty
	return &Func{owned: owned{store: store}, ptr: ptr, ty: &t}
}

//export orcagoHandleDelete
func orcagoHandleDelete(h C.uintptr_t) { cgo.Handle(h).Delete() }

//export orcagoHostCall
func orcagoHostCall(handle C.uintptr_t, args *C.wasm_val_vec_t, results *C.wasm_val_vec_t) (trap *C.wasm_trap_t) {
	h := cgo.Handle(handle).Value().(*hostFunc)
	s := h.store.Value()
	if s == nil {
		return nil // cannot happen: see hostFunc.store
	}
	defer func() {
		if p := recover(); p != nil {
			trap = s.hostPanicked(p)
		}
	}()
	var out []any
	var err error
	if h.raw != nil {
		err = h.callRaw(args, results)
	} else {
		in := make([]any, int(args.size))
		for i, v := range unsafeSlice(args.data, args.size) {
			in[i] = s.fromVal(&v)
		}
		out, err = h.fn(in)
	}
	if trap := s.hostFailed(err); trap != nil {
		return trap
	}
	if h.raw != nil {
		return nil
	}
	if len(out) != len(h.ty.Results) {
		return newCTrap(s, fmt.Sprintf("type mismatch: host function returned %d results, its type has %d",
			len(out), len(h.ty.Results)))
	}
	dst := unsafeSlice(results.data, results.size)
	for i, k := range h.ty.Results {
		if err := s.toVal(k, out[i], &dst[i]); err != nil {
			return newCTrap(s, err.Error())
		}
	}
	return nil
}

// hostPanicked is the trap of a host function that panicked with p; the call's caller panics
// again with p (trapError).
func (s *Store) hostPanicked(p any) *C.wasm_trap_t {
	msg := fmt.Sprint("panic: ", p)
	s.pending = append(s.pending, hostFailure{message: msg, panic: p, panics: true})
	return newCTrap(s, msg)
}

// hostFailed is the trap of a host function that returned err, or nil when it succeeded. A host
// function that closed the store fails too: the guest must not go on running in it.
func (s *Store) hostFailed(err error) *C.wasm_trap_t {
	if s.closed {
		err = errors.Join(err, ErrClosed)
	}
	if err == nil {
		return nil
	}
	msg := err.Error()
	var t *Trap
	if errors.As(err, &t) && t == err {
		msg = t.Message // a trap passed on keeps its own message
	}
	s.pending = append(s.pending, hostFailure{message: msg, err: err})
	return newCTrap(s, msg)
}

func newCTrap(s *Store, msg string) *C.wasm_trap_t {
	cs := C.CString(msg)
	defer C.free(unsafe.Pointer(cs))
	var m C.wasm_message_t
	C.wasm_name_new_from_string_nt(&m, cs)
	defer C.wasm_byte_vec_delete(&m)
	return C.wasm_trap_new(s.ptr, &m)
}

// Type is the function's signature.
func (f *Func) Type() (FuncType, error) {
	if f.gone() {
		return FuncType{}, ErrClosed
	}
	if f.ty == nil {
		ct := C.wasm_func_type(f.ptr)
		t := funcTypeOf(ct)
		C.wasm_functype_delete(ct)
		runtime.KeepAlive(f.store)
		f.ty = &t
	}
	return *f.ty, nil
}

// Same reports whether f and g are the same function; false when the store of either is closed.
func (f *Func) Same(g *Func) bool {
	if f == nil || g == nil {
		return f == g
	}
	if f.gone() || g.gone() {
		return false
	}
	same := C.wasm_func_same(f.ptr, g.ptr)
	runtime.KeepAlive(f.store)
	return bool(same)
}

func (f *Func) externPtr() *C.wasm_extern_t { return C.wasm_func_as_extern(f.ptr) }

// Call calls the function with Go values (see the package documentation) and returns its
// results. Failures are a *Trap (errors.Is(err, orca.TrapOutOfFuel), errors.As for the
// details), or an error for arguments that do not match the type.
func (f *Func) Call(args ...any) ([]any, error) {
	ty, err := f.Type()
	if err != nil {
		return nil, err
	}
	if len(args) != len(ty.Params) {
		return nil, fmt.Errorf("orca: type mismatch: %v called with %d arguments", ty, len(args))
	}
	slots := make([]RawVal, max(len(ty.Params), len(ty.Results), 1))
	for i, k := range ty.Params {
		if err := f.store.toRaw(k, args[i], &slots[i]); err != nil {
			return nil, fmt.Errorf("%w (argument %d of %v)", err, i, ty)
		}
	}
	if err := f.CallRaw(slots); err != nil {
		return nil, err
	}
	out := make([]any, len(ty.Results))
	for i, k := range ty.Results {
		if out[i], err = f.store.fromRaw(k, slots[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CallRaw is the fast path: the arguments in slots, which receive the results from slot 0; len(slots)
// must be at least the number of parameters and of results. Nothing is allocated and kinds are
// not checked: the caller knows the function's type.
func (f *Func) CallRaw(slots []RawVal) error {
	if len(slots) == 0 {
		return errors.New("orca: CallRaw needs at least one slot")
	}
	s := f.store
	if f.gone() {
		return ErrClosed
	}
	// The slots go to C through a buffer in C memory: cgo's pointer check of a Go slice costs
	// more than copying a few slots. One buffer per call depth, since host functions may call in.
	buf := s.scratch(len(slots))
	copy(buf, slots)
	s.depth++
	t := C.orca_func_call_unchecked(f.ptr, (*C.orca_val_raw_t)(unsafe.Pointer(&buf[0])), C.size_t(len(slots)))
	s.leave()
	copy(slots, buf)
	runtime.KeepAlive(f)
	if s.closed {
		defer s.freeAfterCall()
	}
	if t == nil {
		if s.depth == 0 {
			s.pending = s.pending[:0]
		}
		return nil
	}
	return s.trapError(t)
}

// trapError converts the trap a call returned; a host function's failure comes back as its cause,
// and a host function's panic panics again here.
func (s *Store) trapError(t *C.wasm_trap_t) error {
	trap := takeTrap(t, s)
	var failure *hostFailure
	if trap.Code == TrapHostError && len(s.pending) > 0 {
		p := s.pending[len(s.pending)-1]
		s.pending = s.pending[:len(s.pending)-1]
		if p.message == trap.Message {
			failure = &p
		}
	}
	if s.depth == 0 {
		s.pending = s.pending[:0]
	}
	if failure != nil {
		if failure.panics {
			panic(failure.panic)
		}
		trap.Cause = failure.err
		// A trap the host function passed on keeps its code, as in the C API.
		var passed *Trap
		if errors.As(failure.err, &passed) && error(passed) == failure.err {
			trap.Code = passed.Code
		}
	}
	return trap
}

// CallContext is Call that ends when ctx does: the store is interrupted, the call traps with
// TrapInterrupted, and the error also matches ctx.Err() (errors.Is(err, context.Canceled) or
// context.DeadlineExceeded). Host functions that take a *Caller see ctx as Caller.Context. On an
// engine made with Config{NoInterruption: true}, a context that can end is refused before the
// call runs (an *Error of kind ErrUnsupported), since the call could not be stopped; a context
// that never ends (context.Background()) is a plain Call there.
func (f *Func) CallContext(ctx context.Context, args ...any) ([]any, error) {
	if f.gone() {
		return nil, ErrClosed
	}
	outer := f.store.ctx
	f.store.ctx = ctx
	defer func() { f.store.ctx = outer }()
	if ctx.Done() == nil {
		return f.Call(args...)
	}
	if !f.store.engine.interruptible {
		return nil, &Error{Kind: ErrUnsupported,
			Message: "CallContext cannot stop a call on an engine made with Config{NoInterruption: true}"}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var finished, interrupted atomic.Bool
	done := make(chan struct{})
	watcher := make(chan struct{})
	go func() {
		defer close(watcher)
		select {
		case <-ctx.Done():
			if !finished.Load() {
				interrupted.Store(f.store.Interrupt() == nil)
			}
		case <-done:
		}
	}()
	results, err := f.Call(args...)
	finished.Store(true)
	close(done)
	<-watcher
	var trap *Trap
	trappedByUs := errors.As(err, &trap) && trap.Code == TrapInterrupted
	if interrupted.Load() && !trappedByUs {
		// The context ended as the call returned: withdraw the request, or it would stop the
		// store's next call.
		f.store.clearInterrupt()
	}
	if trappedByUs && ctx.Err() != nil && trap.Cause == nil {
		trap.Cause = ctx.Err()
	}
	return results, err
}
