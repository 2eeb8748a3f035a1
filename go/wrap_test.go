package orca_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

// callerWat imports every host function the tests below define, and exports its memory and a
// function the host calls back.
const callerWat = `(module
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "fill" (func $fill (param i32) (result i32)))
  (import "env" "sum" (func $sum (param i32 i64 f32 f64) (result i64 f64)))
  (import "env" "fail" (func $fail (param i32) (result i32)))
  (import "env" "ctx" (func $ctx (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "hi there")
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "log") (call $log (i32.const 8) (i32.const 8)))
  (func (export "fill") (result i32 i32) (call $fill (i32.const 64)) (i32.load (i32.const 64)))
  (func (export "sum") (result i64 f64) (call $sum (i32.const -1) (i64.const 2) (f32.const 0.5) (f64.const 0.25)))
  (func (export "fail") (param i32) (result i32) (call $fail (local.get 0)))
  (func (export "ctx") (result i32) (call $ctx)))`

type ctxKey struct{}

// typedFixture instantiates callerWat with typed host functions that go through the Caller.
func typedFixture(t *testing.T) (*orca.Store, *orca.Instance, *[]string) {
	t.Helper()
	store := orca.NewStore(orca.NewEngine())
	t.Cleanup(func() { store.Close() })
	var log []string
	linker := orca.NewLinker(store)
	define := func(name string, fn any) {
		t.Helper()
		if err := linker.DefineFunc("env", name, fn); err != nil {
			t.Fatal(err)
		}
	}
	// Reads the guest's string through the caller's memory.
	define("log", func(c *orca.Caller, ptr, n int32) error {
		b, err := c.Memory("memory").Read(uint64(ptr), uint64(n))
		log = append(log, string(b))
		return err
	})
	// Writes into the guest's memory, then calls the guest back through the caller's exports.
	define("fill", func(c *orca.Caller, ptr uint32) (int32, error) {
		if err := c.Memory("memory").Write(uint64(ptr), []byte{7, 0, 0, 0}); err != nil {
			return 0, err
		}
		r, err := c.Func("double").Call(int32(21))
		if err != nil {
			return 0, err
		}
		return r[0].(int32), nil
	})
	// Several results, no Caller, no error; a uint32 parameter sees the bits of -1.
	define("sum", func(a uint32, b int64, x float32, y float64) (int64, float64) {
		return int64(a) + b, float64(x) + y
	})
	define("fail", func(n int32) (int32, error) {
		if n == 1 {
			return 0, errBoom
		}
		if n == 2 {
			panic(hostPanicValue{"typed panic"})
		}
		return n, nil
	})
	define("ctx", func(c *orca.Caller) int32 {
		if v, ok := c.Context().Value(ctxKey{}).(int32); ok {
			return v
		}
		return -1
	})
	module := noErr(orca.NewModuleFromWat(store.Engine(), callerWat))(t)
	return store, noErr(linker.Instantiate(module))(t), &log
}

var errBoom = errors.New("boom")

type hostPanicValue struct{ text string }

func TestWrapFuncCallerMemoryAndCallback(t *testing.T) {
	_, instance, log := typedFixture(t)
	if _, err := instance.Func("log").Call(); err != nil || len(*log) != 1 || (*log)[0] != "hi there" {
		t.Fatalf("log: %v %q", err, *log)
	}
	r, err := instance.Func("fill").Call()
	if err != nil || r[0].(int32) != 42 || r[1].(int32) != 7 {
		t.Fatalf("fill: %v %v, expected [42 7]", r, err)
	}
	r, err = instance.Func("sum").Call()
	if err != nil || r[0].(int64) != 4294967297 || r[1].(float64) != 0.75 {
		t.Fatalf("sum: %v %v", r, err)
	}
}

func TestWrapFuncErrorsAndPanics(t *testing.T) {
	_, instance, _ := typedFixture(t)
	if r, err := instance.Func("fail").Call(int32(5)); err != nil || r[0].(int32) != 5 {
		t.Fatalf("no failure: %v %v", r, err)
	}
	_, err := instance.Func("fail").Call(int32(1))
	var trap *orca.Trap
	if !errors.Is(err, errBoom) || !errors.As(err, &trap) || trap.Code != orca.TrapHostError || trap.Message != "boom" {
		t.Fatalf("error result: %v", err)
	}
	func() {
		defer func() {
			if p, ok := recover().(hostPanicValue); !ok || p.text != "typed panic" {
				t.Fatalf("recovered %v", p)
			}
		}()
		_, _ = instance.Func("fail").Call(int32(2))
		t.Fatal("the panic was not raised again")
	}()
	// The store goes on working after both.
	if r, err := instance.Func("fail").Call(int32(3)); err != nil || r[0].(int32) != 3 {
		t.Fatalf("after: %v %v", r, err)
	}
}

// The Caller's context is CallContext's; Call gives context.Background.
func TestCallerContext(t *testing.T) {
	_, instance, _ := typedFixture(t)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, int32(9)))
	defer cancel()
	if r, err := instance.Func("ctx").CallContext(ctx); err != nil || r[0].(int32) != 9 {
		t.Fatalf("CallContext: %v %v", r, err)
	}
	// A context that cannot end is passed on too.
	if r, err := instance.Func("ctx").CallContext(context.WithValue(context.Background(), ctxKey{}, int32(4))); err != nil || r[0].(int32) != 4 {
		t.Fatalf("CallContext without Done: %v %v", r, err)
	}
	if r, err := instance.Func("ctx").Call(); err != nil || r[0].(int32) != -1 {
		t.Fatalf("Call: %v %v", r, err)
	}
}

// A Caller outlives its call only as a husk; a host function called from Go has a Caller
// without an instance.
func TestCallerOutsideItsCall(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	var kept *orca.Caller
	f := noErr(orca.WrapFunc(store, func(c *orca.Caller) (int32, error) {
		kept = c
		e, err := c.Export("memory")
		if e != nil || err != nil || c.Memory("memory") != nil || c.Store() != store {
			return 0, errors.New("a host call from Go has no calling instance")
		}
		return 1, nil
	}))(t)
	if r, err := f.Call(); err != nil || r[0].(int32) != 1 {
		t.Fatalf("%v %v", r, err)
	}
	if _, err := kept.Export("memory"); err == nil || kept.Memory("memory") != nil {
		t.Fatalf("a Caller after its call: %v", err)
	}
}

// Every shape WrapFunc cannot give a wasm type is an error, never a panic.
func TestWrapFuncRefusesShapes(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	var nilFunc func(int32)
	shapes := map[string]any{
		"not a function":   42,
		"nil":              nil,
		"nil function":     nilFunc,
		"int parameter":    func(int) {},
		"string result":    func() string { return "" },
		"variadic":         func(...int32) {},
		"Caller not first": func(int32, *orca.Caller) {},
		"error not last":   func() (error, int32) { return nil, 0 },
		"struct parameter": func(struct{}) {},
		"non-empty iface":  func(error) {},
	}
	for name, fn := range shapes {
		if _, err := orca.WrapFunc(store, fn); err == nil || !strings.HasPrefix(err.Error(), "orca: WrapFunc") {
			t.Errorf("%s: %v", name, err)
		}
	}
	store.Close()
	if _, err := orca.WrapFunc(store, func() {}); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("closed store: %v", err)
	}
}

// Named types, V128, funcref and externref cross a typed host function as themselves.
func TestWrapFuncTypes(t *testing.T) {
	type fd uint32
	type handle any
	store, instance := instantiate(t, orca.Config{}, `(module (func (export "id") (result i32) (i32.const 5)))`)
	id := instance.Func("id")
	f := noErr(orca.WrapFunc(store, func(x fd, v orca.V128, g *orca.Func, h handle) (fd, orca.V128, *orca.Func, handle) {
		return x + 1, v, g, h
	}))(t)
	ty := noErr(f.Type())(t)
	want := orca.FuncType{Params: []orca.ValKind{orca.KindI32, orca.KindV128, orca.KindFuncref, orca.KindExternref}}
	want.Results = want.Params
	if ty.String() != want.String() {
		t.Fatalf("type %v, expected %v", ty, want)
	}
	v := orca.V128{1, 2, 3}
	r, err := f.Call(uint32(0xffffffff), v, id, "payload")
	if err != nil || r[0].(int32) != 0 || r[1].(orca.V128) != v || !r[2].(*orca.Func).Same(id) || r[3] != "payload" {
		t.Fatalf("%v %v", r, err)
	}
	r, err = f.Call(int32(1), v, nil, nil)
	if err != nil || r[2].(*orca.Func) != nil || r[3] != nil {
		t.Fatalf("nulls: %v %v", r, err)
	}
}

// The shapes WrapFunc calls without reflection give what the same functions give through
// reflection (a named parameter or function type takes that path): results, errors and the Caller.
func TestWrapFuncDirectShapes(t *testing.T) {
	type i32 int32
	type callerOnly func(*orca.Caller) error
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	var seen []string
	note := func(s string) { seen = append(seen, s) }
	cases := []struct {
		direct, reflected any
		args              []any
		want              []any
	}{
		{func() { note("()") }, func() { note("()") }, nil, []any{}},
		{func(x int32) { note(fmt.Sprint(x)) }, func(x i32) { note(fmt.Sprint(x)) }, []any{int32(-4)}, []any{}},
		{func(x int32) int32 { return -x }, func(x i32) int32 { return int32(-x) }, []any{int32(5)}, []any{int32(-5)}},
		{func(x, y int32) { note(fmt.Sprint(x, y)) }, func(x, y i32) { note(fmt.Sprint(x, y)) }, []any{int32(1), int32(2)}, []any{}},
		{func(x, y int32) int32 { return x - y }, func(x, y i32) int32 { return int32(x - y) }, []any{int32(1), int32(3)}, []any{int32(-2)}},
		{func(x int64) int64 { return x << 40 }, func(x int64) (int64, error) { return x << 40, nil }, []any{int64(3)}, []any{int64(3 << 40)}},
		{func(x, y int64) int64 { return x * y }, func(x, y int64) (int64, error) { return x * y, nil }, []any{int64(-3), int64(1 << 40)}, []any{int64(-3 << 40)}},
		{func(x float64) float64 { return x / 2 }, func(x float64) (float64, error) { return x / 2, nil }, []any{3.0}, []any{1.5}},
		{func(x, y float64) float64 { return x - y }, func(x, y float64) (float64, error) { return x - y, nil }, []any{1.0, 0.25}, []any{0.75}},
		{func(c *orca.Caller) error { return callerErr(c, 0) }, callerOnly(func(c *orca.Caller) error { return callerErr(c, 0) }), nil, []any{}},
		{func(c *orca.Caller, x int32) error { return callerErr(c, x) }, func(c *orca.Caller, x i32) error { return callerErr(c, int32(x)) }, []any{int32(7)}, nil},
		{func(c *orca.Caller, x int32) (int32, error) { return x + 1, callerErr(c, 0) }, func(c *orca.Caller, x i32) (int32, error) { return int32(x) + 1, callerErr(c, 0) }, []any{int32(7)}, []any{int32(8)}},
		{func(c *orca.Caller, x, y int32) error { return callerErr(c, x+y) }, func(c *orca.Caller, x, y i32) error { return callerErr(c, int32(x+y)) }, []any{int32(3), int32(4)}, nil},
		{func(c *orca.Caller, x, y int32) (int32, error) { return x * y, callerErr(c, 0) }, func(c *orca.Caller, x, y i32) (int32, error) { return int32(x * y), callerErr(c, 0) }, []any{int32(3), int32(4)}, []any{int32(12)}},
	}
	for i, c := range cases {
		var outcomes [2]string
		for j, fn := range []any{c.direct, c.reflected} {
			seen = nil
			f, err := orca.WrapFunc(store, fn)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			r, err := f.Call(c.args...)
			outcomes[j] = fmt.Sprint(r, err, seen)
		}
		if outcomes[0] != outcomes[1] {
			t.Errorf("case %d: direct %s, by reflection %s", i, outcomes[0], outcomes[1])
		}
		if c.want != nil && !strings.HasPrefix(outcomes[0], fmt.Sprint(c.want)) {
			t.Errorf("case %d: %s, expected %v", i, outcomes[0], c.want)
		}
	}
}

// callerErr fails when the Caller is not one of a call from Go (no instance), or when x is 7.
func callerErr(c *orca.Caller, x int32) error {
	if e, err := c.Export("memory"); e != nil || err != nil || c.Context() == nil {
		return errors.New("unexpected Caller")
	}
	if x == 7 {
		return errBoom
	}
	return nil
}

// A typed host function that closes its own store: its Caller answers ErrClosed from then on,
// and the call ends with an error matching ErrClosed.
func TestCallerAfterStoreClose(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	var exportErr error
	var mem *orca.Memory
	linker := orca.NewLinker(store)
	err := linker.DefineFunc("env", "close", func(c *orca.Caller) {
		store.Close()
		_, exportErr = c.Export("memory")
		mem = c.Memory("memory")
	})
	if err != nil {
		t.Fatal(err)
	}
	module := noErr(orca.NewModuleFromWat(store.Engine(), `(module (import "env" "close" (func $close))
	  (memory (export "memory") 1) (func (export "run") (call $close)))`))(t)
	instance := noErr(linker.Instantiate(module))(t)
	if _, err := instance.Func("run").Call(); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("the call: %v", err)
	}
	if !errors.Is(exportErr, orca.ErrClosed) || mem != nil {
		t.Fatalf("the Caller after Close: %v %v", exportErr, mem)
	}
}
