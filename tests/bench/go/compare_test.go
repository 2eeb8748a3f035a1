// Package compare measures Orca's Go binding against wazero (compiler mode) on the same wasm in
// the same run: calling an export with Go values and on each one's fast path, and a guest calling
// a typed Go host function, once and in a loop. It is a module of its own so that the orca
// module never depends on wazero. Figures and the command: docs/benchmarks.md.
package compare

import (
	"context"
	"testing"

	orca "github.com/orca-runtime/orca/go"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

const wat = `(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "host_loop") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (call $add (local.get $acc) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))`

// loopCalls is how many host calls one host_loop op makes.
const loopCalls = 1000

func wasm(tb testing.TB) []byte {
	b, err := orca.Wat2Wasm(wat)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// orcaInstance instantiates the module with env.add made by WrapFunc.
func orcaInstance(tb testing.TB) *orca.Instance {
	engine := orca.NewEngine()
	module, err := orca.NewModule(engine, wasm(tb))
	if err != nil {
		tb.Fatal(err)
	}
	store := orca.NewStore(engine)
	tb.Cleanup(func() { store.Close(); module.Close(); engine.Close() })
	linker := orca.NewLinker(store)
	if err := linker.DefineFunc("env", "add", func(x, y int32) int32 { return x + y }); err != nil {
		tb.Fatal(err)
	}
	instance, err := linker.Instantiate(module)
	if err != nil {
		tb.Fatal(err)
	}
	return instance
}

// wazeroHost is how env.add is written for wazero.
type wazeroHost int

const (
	wazeroTyped wazeroHost = iota // WithFunc of a typed Go function (reflection), as WrapFunc
	wazeroStack                   // WithGoFunction over the uint64 stack: wazero's fastest form
)

// wazeroModule instantiates the same bytes in wazero's compiler.
func wazeroModule(tb testing.TB, host wazeroHost) api.Module {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	tb.Cleanup(func() { r.Close(ctx) })
	fb := r.NewHostModuleBuilder("env").NewFunctionBuilder()
	if host == wazeroTyped {
		fb = fb.WithFunc(func(_ context.Context, x, y int32) int32 { return x + y })
	} else {
		i32 := api.ValueTypeI32
		fb = fb.WithGoFunction(api.GoFunc(func(_ context.Context, stack []uint64) {
			stack[0] = api.EncodeI32(api.DecodeI32(stack[0]) + api.DecodeI32(stack[1]))
		}), []api.ValueType{i32, i32}, []api.ValueType{i32})
	}
	_, err := fb.Export("add").Instantiate(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := r.Instantiate(ctx, wasm(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// Both runtimes compute the same results: the benchmarks compare like with like.
func TestSameResults(t *testing.T) {
	o, w, ws := orcaInstance(t), wazeroModule(t, wazeroTyped), wazeroModule(t, wazeroStack)
	ctx := context.Background()
	for _, c := range []struct {
		fn   string
		args []int32
		want int32
	}{{"add", []int32{-3, 10}, 7}, {"call_host", []int32{40, 2}, 42}, {"host_loop", []int32{loopCalls}, loopCalls}} {
		var oargs []any
		var wargs []uint64
		for _, a := range c.args {
			oargs = append(oargs, a)
			wargs = append(wargs, api.EncodeI32(a))
		}
		or, err := o.Func(c.fn).Call(oargs...)
		if err != nil || or[0].(int32) != c.want {
			t.Errorf("orca %s: %v %v", c.fn, or, err)
		}
		for _, m := range []api.Module{w, ws} {
			wr, err := m.ExportedFunction(c.fn).Call(ctx, wargs...)
			if err != nil || api.DecodeI32(wr[0]) != c.want {
				t.Errorf("wazero %s: %v %v", c.fn, wr, err)
			}
		}
	}
}

// An export (i32, i32) -> i32 called with Go values: orca Func.Call, wazero Function.Call.
func BenchmarkCall(b *testing.B) {
	b.Run("orca", func(b *testing.B) {
		add := orcaInstance(b).Func("add")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if r, err := add.Call(int32(i), int32(1)); err != nil || r[0].(int32) != int32(i)+1 {
				b.Fatal(r, err)
			}
		}
	})
	b.Run("wazero", func(b *testing.B) {
		add, ctx := wazeroModule(b, wazeroTyped).ExportedFunction("add"), context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if r, err := add.Call(ctx, api.EncodeI32(int32(i)), 1); err != nil || api.DecodeI32(r[0]) != int32(i)+1 {
				b.Fatal(r, err)
			}
		}
	})
}

// The same call on each one's fast path: orca Func.CallRaw, wazero Function.CallWithStack.
func BenchmarkCallRaw(b *testing.B) {
	benchmarkGuest(b, "add", 1, func(i, r int32) bool { return r == i+1 }, wazeroTyped)
}

// A guest export that calls the typed Go host function once, entered on the fast path.
func BenchmarkHostCall(b *testing.B) {
	benchmarkGuest(b, "call_host", 2, func(i, r int32) bool { return r == i+2 }, wazeroTyped, wazeroStack)
}

// A guest loop making loopCalls host calls per op: the crossing from wasm to Go alone.
func BenchmarkHostLoop(b *testing.B) {
	benchmarkGuest(b, "host_loop", loopCalls, func(_, r int32) bool { return r == loopCalls }, wazeroTyped, wazeroStack)
}

// benchmarkGuest calls export fn(i, arg) (or fn(arg) for a one-parameter export) on the fast
// path in Orca and in wazero, with each of the given forms of wazero's host function.
func benchmarkGuest(b *testing.B, fn string, arg int32, ok func(i, r int32) bool, hosts ...wazeroHost) {
	b.Run("orca", func(b *testing.B) {
		f := orcaInstance(b).Func(fn)
		ty, err := f.Type()
		if err != nil {
			b.Fatal(err)
		}
		params := len(ty.Params)
		slots := make([]orca.RawVal, 2)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			slots[0].SetI32(int32(i))
			slots[params-1].SetI32(arg)
			if err := f.CallRaw(slots); err != nil || !ok(int32(i), slots[0].I32()) {
				b.Fatal(err, slots[0].I32())
			}
		}
	})
	for _, host := range hosts {
		b.Run(map[wazeroHost]string{wazeroTyped: "wazero", wazeroStack: "wazero-stack"}[host], func(b *testing.B) {
			f, ctx := wazeroModule(b, host).ExportedFunction(fn), context.Background()
			params := len(f.Definition().ParamTypes())
			stack := make([]uint64, 2)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				stack[0] = api.EncodeI32(int32(i))
				stack[params-1] = api.EncodeI32(arg)
				if err := f.CallWithStack(ctx, stack); err != nil || !ok(int32(i), api.DecodeI32(stack[0])) {
					b.Fatal(err, api.DecodeI32(stack[0]))
				}
			}
		})
	}
}
