package orca_test

import (
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

const benchWat = `(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1))))`

func benchInstance(b *testing.B, raw bool) (*orca.Store, *orca.Instance) {
	store := orca.NewStore(orca.NewEngine())
	b.Cleanup(func() { store.Close() })
	linker := orca.NewLinker(store)
	ty := orca.FuncType{Params: []orca.ValKind{orca.KindI32, orca.KindI32}, Results: []orca.ValKind{orca.KindI32}}
	if raw {
		err := linker.DefineFuncRaw("env", "add", ty, func(args, results []orca.Value) error {
			results[0].SetI32(args[0].I32() + args[1].I32())
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	} else if err := linker.DefineHostFunc("env", "add", ty, func(args []any) ([]any, error) {
		return []any{args[0].(int32) + args[1].(int32)}, nil
	}); err != nil {
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
	_, instance := benchInstance(b, false)
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
	_, instance := benchInstance(b, false)
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
func BenchmarkHostCall(b *testing.B) { benchmarkHostCall(b, false) }

// The same with the host function written as a RawHostFunc: no conversions, no allocation.
func BenchmarkHostCallRaw(b *testing.B) { benchmarkHostCall(b, true) }

func benchmarkHostCall(b *testing.B, rawHost bool) {
	_, instance := benchInstance(b, rawHost)
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
	const loopWat = `(module (func (export "mix") (param $n i32) (result i32) (local $x i32)
	  (local.set $x (i32.const 1))
	  (loop $l
	    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
	    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
	    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
	    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
	  (local.get $x)))`
	for _, interruptible := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "interruptible"}[interruptible]
		b.Run(name, func(b *testing.B) {
			_, instance := instantiate(b, orca.Config{NoInterruption: !interruptible}, loopWat)
			mix := instance.Func("mix")
			slots := make([]orca.RawVal, 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				slots[0].SetI32(1_000_000)
				if err := mix.CallRaw(slots); err != nil || slots[0].I32() == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}
