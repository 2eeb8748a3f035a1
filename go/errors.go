package orca

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"strings"
)

// ErrorKind is the spec's kind of a failure; each kind is also an error, so that
// errors.Is(err, orca.ErrUnlinkable) tests the kind of any *Error.
type ErrorKind uint8

const (
	ErrMalformed      ErrorKind = C.ORCA_ERROR_MALFORMED      // bytes or text that are not a module
	ErrInvalid        ErrorKind = C.ORCA_ERROR_INVALID        // a module that does not validate
	ErrUnlinkable     ErrorKind = C.ORCA_ERROR_UNLINKABLE     // imports that do not resolve or match
	ErrUninstantiable ErrorKind = C.ORCA_ERROR_UNINSTANTIABLE // instantiation failed
	ErrTrap           ErrorKind = C.ORCA_ERROR_TRAP           // execution trapped
	ErrExhaustion     ErrorKind = C.ORCA_ERROR_EXHAUSTION     // stack or resources exhausted
	ErrIO             ErrorKind = C.ORCA_ERROR_IO             // a file could not be read or written
	ErrUnsupported    ErrorKind = C.ORCA_ERROR_UNSUPPORTED    // a feature or switch that is off
	ErrExit           ErrorKind = C.ORCA_ERROR_EXIT           // the guest exited (WASI proc_exit)
	ErrInternal       ErrorKind = C.ORCA_ERROR_INTERNAL       // Orca failed itself (a bug to report)
)

var errorKindNames = [...]string{"malformed", "invalid", "unlinkable", "uninstantiable", "trap",
	"exhaustion", "io", "unsupported", "exit", "internal"}

func (k ErrorKind) String() string {
	if int(k) < len(errorKindNames) {
		return errorKindNames[k]
	}
	return fmt.Sprintf("kind %d", uint8(k))
}

func (k ErrorKind) Error() string { return "orca: " + k.String() }

// Error is a failure to compile, link or instantiate, or a misuse of the API.
type Error struct {
	Kind    ErrorKind
	Message string // starts with the spec's wording ("unexpected end", "type mismatch")
	// Trap is the trap behind a failed instantiation (a start function that trapped), or nil.
	Trap *Trap
}

func (e *Error) Error() string { return e.Kind.String() + ": " + e.Message }

// Is reports whether target is e's kind.
func (e *Error) Is(target error) bool { k, ok := target.(ErrorKind); return ok && k == e.Kind }

// Unwrap gives the trap behind the error, if any.
func (e *Error) Unwrap() error {
	if e.Trap == nil {
		return nil
	}
	return e.Trap
}

// takeError converts and deletes an orca_error_t (nil for success).
func takeError(e *C.orca_error_t) error {
	if e == nil {
		return nil
	}
	defer C.orca_error_delete(e)
	var m C.wasm_message_t
	C.orca_error_message(e, &m)
	err := &Error{Kind: ErrorKind(C.orca_error_kind(e)), Message: messageString(&m)}
	if t := C.orca_error_trap(e); t != nil {
		err.Trap = takeTrap(t, nil)
	}
	return err
}

// TrapCode is the kind of a trap; each code is also an error, so that
// errors.Is(err, orca.TrapOutOfFuel) tests the code of any *Trap.
type TrapCode uint8

const (
	TrapUnreachable              TrapCode = C.ORCA_TRAP_UNREACHABLE
	TrapMemoryOutOfBounds        TrapCode = C.ORCA_TRAP_MEMORY_OUT_OF_BOUNDS
	TrapTableOutOfBounds         TrapCode = C.ORCA_TRAP_TABLE_OUT_OF_BOUNDS
	TrapUndefinedElement         TrapCode = C.ORCA_TRAP_UNDEFINED_ELEMENT
	TrapUninitializedElement     TrapCode = C.ORCA_TRAP_UNINITIALIZED_ELEMENT
	TrapIndirectCallTypeMismatch TrapCode = C.ORCA_TRAP_INDIRECT_CALL_TYPE_MISMATCH
	TrapIntegerDivideByZero      TrapCode = C.ORCA_TRAP_INTEGER_DIVIDE_BY_ZERO
	TrapIntegerOverflow          TrapCode = C.ORCA_TRAP_INTEGER_OVERFLOW
	TrapInvalidConversion        TrapCode = C.ORCA_TRAP_INVALID_CONVERSION
	TrapStackExhausted           TrapCode = C.ORCA_TRAP_STACK_EXHAUSTED
	TrapOutOfFuel                TrapCode = C.ORCA_TRAP_OUT_OF_FUEL
	TrapInterrupted              TrapCode = C.ORCA_TRAP_INTERRUPTED
	TrapHostError                TrapCode = C.ORCA_TRAP_HOST_ERROR
	TrapExit                     TrapCode = C.ORCA_TRAP_EXIT
)

var trapCodeNames = [...]string{"unreachable", "memory_out_of_bounds", "table_out_of_bounds",
	"undefined_element", "uninitialized_element", "indirect_call_type_mismatch",
	"integer_divide_by_zero", "integer_overflow", "invalid_conversion", "stack_exhausted",
	"out_of_fuel", "interrupted", "host_error", "exit"}

// String is the code's name as the conformance suite writes it ("out_of_fuel").
func (c TrapCode) String() string {
	if int(c) < len(trapCodeNames) {
		return trapCodeNames[c]
	}
	return fmt.Sprintf("trap %d", uint8(c))
}

func (c TrapCode) Error() string { return "orca: trap " + c.String() }

// Frame is one wasm frame of a trap's backtrace.
type Frame struct {
	FuncIndex    uint32 // the function's index in its module
	FuncName     string // from the module's name section, or empty
	ModuleOffset uint   // the offset in the binary of the instruction that trapped (innermost frame) or made the call
	FuncOffset   uint   // the same instruction's offset from the start of the function's body
}

// Trap is a wasm call that trapped, a host function's failure included.
type Trap struct {
	Code    TrapCode
	Message string  // the spec's message ("integer divide by zero"), or the host's
	Frames  []Frame // wasm frames, innermost first
	// Cause is the error a Go host function returned (Code is then TrapHostError), or the
	// context's error when a context ended the call.
	Cause error
	// ExitStatus is the status a WASI guest exited with (Code TrapExit).
	ExitStatus int
}

func (t *Trap) Error() string {
	var b strings.Builder
	b.WriteString("wasm trap: ")
	b.WriteString(t.Message)
	for _, f := range t.Frames {
		fmt.Fprintf(&b, "\n  at func %d (0x%x)", f.FuncIndex, f.ModuleOffset)
	}
	return b.String()
}

// Is reports whether target is the trap's code.
func (t *Trap) Is(target error) bool { c, ok := target.(TrapCode); return ok && c == t.Code }

// Unwrap gives the host's error or the context's.
func (t *Trap) Unwrap() error { return t.Cause }

// ExitError is a WASI guest's proc_exit; errors.As finds it in the error of a call.
type ExitError struct{ Status int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Status) }

// takeTrap converts and deletes a trap, attaching the failure a Go host function raised.
func takeTrap(t *C.wasm_trap_t, s *Store) *Trap {
	defer C.wasm_trap_delete(t)
	var m C.wasm_message_t
	C.wasm_trap_message(t, &m)
	trap := &Trap{Code: TrapCode(C.orca_trap_code(t)), Message: messageString(&m)}
	var frames C.wasm_frame_vec_t
	C.wasm_trap_trace(t, &frames)
	if frames.size > 0 {
		for _, f := range unsafeSlice(frames.data, frames.size) {
			var name C.wasm_name_t
			C.orca_frame_func_name(f, &name)
			trap.Frames = append(trap.Frames, Frame{FuncIndex: uint32(C.wasm_frame_func_index(f)),
				FuncName: nameString(&name), ModuleOffset: uint(C.wasm_frame_module_offset(f)),
				FuncOffset: uint(C.wasm_frame_func_offset(f))})
			C.wasm_byte_vec_delete(&name)
		}
	}
	C.wasm_frame_vec_delete(&frames)
	var status C.int
	if C.orca_trap_exit_status(t, &status) {
		trap.ExitStatus = int(status)
		trap.Cause = &ExitError{Status: int(status)}
	}
	return trap
}
