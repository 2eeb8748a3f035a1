package orca_test

import (
	"context"
	"errors"
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
