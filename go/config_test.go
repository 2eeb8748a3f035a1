package orca_test

import (
	"errors"
	"strings"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

// A module over an engine limit is refused with ErrUnsupported naming the limit; the same module
// compiles under the defaults; an unknown limit is refused when the engine is made.
func TestEngineLimits(t *testing.T) {
	const manyLocals = `(module (func (export "f") (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32) i32.const 3))`
	strict := noErr(orca.NewEngineWithConfig(orca.Config{NoCache: true, Limits: map[orca.Limit]uint64{orca.LimitLocals: 4}}))(t)
	defer strict.Close()
	_, err := orca.NewModuleFromWat(strict, manyLocals)
	var e *orca.Error
	if !errors.As(err, &e) || e.Kind != orca.ErrUnsupported || !strings.Contains(e.Message, "locals") {
		t.Fatalf("8 locals under a limit of 4: %v, want ErrUnsupported naming the limit", err)
	}
	lifted := noErr(orca.NewEngineWithConfig(orca.Config{NoCache: true, Limits: map[orca.Limit]uint64{orca.LimitLocals: orca.NoLimitValue}}))(t)
	defer lifted.Close()
	noErr(orca.NewModuleFromWat(lifted, manyLocals))(t).Close()
	if _, err := orca.NewEngineWithConfig(orca.Config{Limits: map[orca.Limit]uint64{orca.Limit(200): 1}}); !errors.Is(err, orca.ErrUnsupported) {
		t.Fatalf("an unknown limit: %v, want ErrUnsupported", err)
	}
}

// Lazily compiled functions give the same results and traps as eagerly compiled ones; an unknown
// strategy is refused.
func TestCompileLazy(t *testing.T) {
	_, instance := instantiate(t, orca.Config{NoCache: true, Compile: orca.CompileLazy}, `(module
	  (func $fib (export "fib") (param i32) (result i32)
	    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
	      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
	                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
	  (func (export "trap") unreachable))`)
	if got := noErr(instance.Func("fib").Call(int32(20)))(t); len(got) != 1 || got[0] != int32(6765) {
		t.Fatalf("fib(20) = %v, want 6765", got)
	}
	if _, err := instance.Func("trap").Call(); !errors.Is(err, orca.TrapUnreachable) {
		t.Fatalf("trap: %v, want TrapUnreachable", err)
	}
	if _, err := orca.NewEngineWithConfig(orca.Config{Compile: orca.CompileStrategy(9)}); !errors.Is(err, orca.ErrUnsupported) {
		t.Fatalf("an unknown compile strategy: %v, want ErrUnsupported", err)
	}
}
