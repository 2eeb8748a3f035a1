package orca_test

import (
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

const benchWat = `(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1))))`

// hostForm is how a benchmark writes env.add.
type hostForm int

const (
	hostAny     hostForm = iota // HostFunc: []any in and out
	hostRaw                     // RawHostFunc: slots in place
	hostTyped                   // WrapFunc of func(int32, int32) int32
	hostCaller                  // WrapFunc of func(*Caller, int32, int32) (int32, error)
	hostReflect                 // WrapFunc of func(benchI32, benchI32) benchI32: by reflection
)

// benchI32 is a named type, which WrapFunc converts by reflection.
type benchI32 int32

func benchInstance(b *testing.B, form hostForm) (*orca.Store, *orca.Instance) {
	store := orca.NewStore(orca.NewEngine())
	b.Cleanup(func() { store.Close() })
	linker := orca.NewLinker(store)
	ty := orca.FuncType{Params: []orca.ValKind{orca.KindI32, orca.KindI32}, Results: []orca.ValKind{orca.KindI32}}
	var err error
	switch form {
	case hostAny:
		err = linker.DefineHostFunc("env", "add", ty, func(args []any) ([]any, error) {
			return []any{args[0].(int32) + args[1].(int32)}, nil
		})
	case hostRaw:
		err = linker.DefineFuncRaw("env", "add", ty, func(args, results []orca.Value) error {
			results[0].SetI32(args[0].I32() + args[1].I32())
			return nil
		})
	case hostTyped:
		err = linker.DefineFunc("env", "add", func(x, y int32) int32 { return x + y })
	case hostCaller:
		err = linker.DefineFunc("env", "add", func(_ *orca.Caller, x, y int32) (int32, error) { return x + y, nil })
	case hostReflect:
		err = linker.DefineFunc("env", "add", func(x, y benchI32) benchI32 { return x + y })
	}
	if err != nil {
		b.Fatal(err)
	}
	module, err := orca.NewModuleFromWat(store.Engine(), benchWat)
	if err != nil {
		b.Fatal(err)
	}
	instance, err := linker.Instantiate(module)
	if err != nil {
		b.Fatal(err)
	}
	return store, instance
}

// Calling an exported (i32, i32) -> i32 with Go values (checked, allocates the results).
func BenchmarkCallTyped(b *testing.B) {
	_, instance := benchInstance(b, hostAny)
	add := instance.Func("add")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := add.Call(int32(i), int32(1))
		if err != nil || r[0].(int32) != int32(i)+1 {
			b.Fatal(r, err)
		}
	}
}

// The same call through the raw fast path: no allocation.
func BenchmarkCallRaw(b *testing.B) {
	_, instance := benchInstance(b, hostAny)
	add := instance.Func("add")
	slots := make([]orca.RawVal, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		slots[0].SetI32(int32(i))
		slots[1].SetI32(1)
		if err := add.CallRaw(slots); err != nil || slots[0].I32() != int32(i)+1 {
			b.Fatal(err)
		}
	}
}

// wasm calling a Go host function (i32, i32) -> i32, entered through the raw path; the figure is
// one host call plus one raw call from Go.
func BenchmarkHostCall(b *testing.B) { benchmarkHostCall(b, hostAny) }

// The same with the host function written as a RawHostFunc: no conversions, no allocation.
func BenchmarkHostCallRaw(b *testing.B) { benchmarkHostCall(b, hostRaw) }

// The same host function made by WrapFunc from func(int32, int32) int32, from the form with a
// *Caller and an error result (both called without reflection), and from a shape WrapFunc calls
// by reflection.
func BenchmarkHostCallWrapped(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchmarkHostCall(b, hostTyped) })
	b.Run("caller", func(b *testing.B) { benchmarkHostCall(b, hostCaller) })
	b.Run("reflect", func(b *testing.B) { benchmarkHostCall(b, hostReflect) })
}

func benchmarkHostCall(b *testing.B, form hostForm) {
	_, instance := benchInstance(b, form)
	callHost := instance.Func("call_host")
	slots := make([]orca.RawVal, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		slots[0].SetI32(int32(i))
		slots[1].SetI32(2)
		if err := callHost.CallRaw(slots); err != nil || slots[0].I32() != int32(i)+2 {
			b.Fatal(err)
		}
	}
}

// A guest loop of a million xorshift steps, with and without the interruption checks that
// CallContext needs (on unless Config.NoInterruption): the cost of one check per loop head.
func BenchmarkLoop(b *testing.B) {
	const loopWat = `(module (func (export "run") (param $n i32) (result i32) (local $x i32)
	  (local.set $x (i32.const 1))
	  (loop $l
	    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
	    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
	    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
	    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
	  (local.get $x)))`
	benchmarkInterruptible(b, loopWat, 1_000_000, func(x int32) bool { return x != 0 })
}

// Recursive fib(25) inside wasm, about 240,000 wasm calls per op, with and without interruption
// checks (there is one at every function entry): the call-heavy side of their cost.
func BenchmarkCalls(b *testing.B) {
	const fibWat = `(module (func $fib (export "run") (param $n i32) (result i32)
	  (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
	    (then (local.get $n))
	    (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
	                   (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`
	benchmarkInterruptible(b, fibWat, 25, func(x int32) bool { return x == 75025 })
}

// benchmarkInterruptible runs wat's export "run" (i32) -> i32 on an engine without interruption
// checks and on a default (interruptible) one.
func benchmarkInterruptible(b *testing.B, wat string, arg int32, ok func(int32) bool) {
	for _, interruptible := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "interruptible"}[interruptible]
		b.Run(name, func(b *testing.B) {
			_, instance := instantiate(b, orca.Config{NoInterruption: !interruptible}, wat)
			run := instance.Func("run")
			slots := make([]orca.RawVal, 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				slots[0].SetI32(arg)
				if err := run.CallRaw(slots); err != nil || !ok(slots[0].I32()) {
					b.Fatal(err, slots[0].I32())
				}
			}
		})
	}
}
