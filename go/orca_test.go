package orca_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

func TestCloseTwice(t *testing.T) {
	engine := orca.NewEngine()
	store := orca.NewStore(engine)
	module, err := orca.NewModuleFromWat(store.Engine(), `(module (func (export "f")))`)
	if err != nil {
		t.Fatal(err)
	}
	linker := orca.NewLinker(store)
	if _, err := linker.Instantiate(module); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := linker.Close(); err != nil {
			t.Fatal(err)
		}
		if err := module.Close(); err != nil {
			t.Fatal(err)
		}
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
		if err := engine.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// Objects left to the garbage collector are freed by their finalizers, host functions included.
func TestFinalizers(t *testing.T) {
	for i := 0; i < 50; i++ {
		store := orca.NewStore(orca.NewEngine())
		f := orca.NewFunc(store, orca.FuncType{Results: []orca.ValKind{orca.KindI32}},
			func([]any) ([]any, error) { return []any{int32(i)}, nil })
		res, err := f.Call()
		if err != nil || res[0].(int32) != int32(i) {
			t.Fatalf("call %d: %v %v", i, res, err)
		}
	}
	runtime.GC()
	runtime.GC()
}

func TestVersion(t *testing.T) {
	if v := orca.Version(); !strings.HasPrefix(v, "0.") {
		t.Fatalf("version %q", v)
	}
}

func TestMalformedIsAnError(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	_, err := orca.NewModule(store.Engine(), []byte("\x00asm\x02\x00\x00\x00"))
	var e *orca.Error
	if !errors.As(err, &e) || !errors.Is(err, orca.ErrMalformed) || e.Kind != orca.ErrMalformed {
		t.Fatalf("got %v", err)
	}
}

func TestPanicInHostIsReraised(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	linker := orca.NewLinker(store)
	_ = linker.DefineHostFunc("env", "boom", orca.FuncType{}, func([]any) ([]any, error) { panic("kaboom") })
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module (import "env" "boom" (func $b)) (func (export "f") (call $b)) (func (export "ok") (result i32) (i32.const 1)))`)
	instance, err := linker.Instantiate(module)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if p := recover(); p != "kaboom" {
			t.Fatalf("recovered %v", p)
		}
		// The store stays usable after the panic.
		if r, err := instance.Func("ok").Call(); err != nil || r[0].(int32) != 1 {
			t.Fatalf("after the panic: %v %v", r, err)
		}
	}()
	_, _ = instance.Func("f").Call()
	t.Fatal("the panic was not re-raised")
}

func TestCallChecksArguments(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module (func (export "f") (param i64)))`)
	instance, _ := orca.NewLinker(store).Instantiate(module)
	if _, err := instance.Func("f").Call(float32(1)); err == nil || !strings.Contains(err.Error(), "type mismatch") {
		t.Fatalf("got %v", err)
	}
	if _, err := instance.Func("f").Call(); err == nil {
		t.Fatal("too few arguments accepted")
	}
}

func TestNewInstanceWithImportsInOrder(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module, err := orca.NewModuleFromWat(store.Engine(), `(module
	  (import "a" "f" (func $f (result i32)))
	  (import "a" "m" (memory 1))
	  (func (export "g") (result i32) (i32.add (call $f) (i32.load8_u (i32.const 3)))))`)
	if err != nil {
		t.Fatal(err)
	}
	f := orca.NewFunc(store, orca.FuncType{Results: []orca.ValKind{orca.KindI32}},
		func([]any) ([]any, error) { return []any{int32(40)}, nil })
	mem, err := orca.NewMemory(store, orca.MemoryType{Min: 1, Max: orca.NoMax})
	if err != nil {
		t.Fatal(err)
	}
	noErr(mem.Data())(t)[3] = 2
	instance, err := orca.NewInstance(store, module, []orca.Extern{f, mem})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := instance.Func("g").Call(); err != nil || r[0].(int32) != 42 {
		t.Fatalf("got %v %v", r, err)
	}
	if _, err := orca.NewInstance(store, module, []orca.Extern{mem, f}); err == nil {
		t.Fatal("imports in the wrong order were accepted")
	}
}

func TestRawHostFunc(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	linker := orca.NewLinker(store)
	ty := orca.FuncType{Params: []orca.ValKind{orca.KindI64, orca.KindF32}, Results: []orca.ValKind{orca.KindF64, orca.KindI32}}
	errOdd := errors.New("odd")
	err := linker.DefineFuncRaw("env", "f", ty, func(args, results []orca.Value) error {
		if args[0].Kind() != orca.KindI64 || args[1].Kind() != orca.KindF32 {
			t.Errorf("argument kinds %v %v", args[0].Kind(), args[1].Kind())
		}
		if args[0].I64()%2 == 1 {
			return errOdd
		}
		results[0].SetF64(float64(args[0].I64()) + float64(args[1].F32()))
		results[1].SetI32(int32(len(args)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	refs := orca.FuncType{Params: []orca.ValKind{orca.KindExternref}}
	if err := linker.DefineFuncRaw("env", "g", refs, func(args, results []orca.Value) error { return nil }); err == nil {
		t.Fatal("a RawHostFunc with an externref was accepted")
	}
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module (import "env" "f" (func (param i64 f32) (result f64 i32)))
	  (export "f" (func 0)))`)
	instance, err := linker.Instantiate(module)
	if err != nil {
		t.Fatal(err)
	}
	r, err := instance.Func("f").Call(int64(4), float32(0.5))
	if err != nil || r[0].(float64) != 4.5 || r[1].(int32) != 2 {
		t.Fatalf("got %v %v", r, err)
	}
	if _, err := instance.Func("f").Call(int64(3), float32(0)); !errors.Is(err, errOdd) {
		t.Fatalf("error: %v", err)
	}
}
