package orca_test

import (
	"errors"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

const perRequestWat = `(module
  (memory (export "mem") 1)
  (global (export "g") (mut i32) (i32.const 7))
  (table (export "t") 2 funcref)
  (func (export "run") (result i32)
    (i32.store (i32.const 64) (i32.const 42))
    (i32.load (i32.const 64))))`

// A store that instantiates per request and closes each instance stays at a bounded number of
// instances; instances left open stay.
func TestInstanceCloseLetsTheStoreFreeIt(t *testing.T) {
	engine := noErr(orca.NewEngineWithConfig(orca.Config{}))(t)
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	module := noErr(orca.NewModuleFromWat(engine, perRequestWat))(t)
	defer module.Close()
	const requests = 20000
	for i := range requests {
		instance := noErr(orca.NewInstance(store, module, nil))(t)
		if got := noErr(instance.Func("run").Call())(t); len(got) != 1 || got[0] != int32(42) {
			t.Fatalf("request %d: run = %v", i, got)
		}
		// Exports taken through Go are released by Close too.
		if data := noErr(instance.Memory("mem").Data())(t); data[64] != 42 {
			t.Fatalf("request %d: memory byte %d", i, data[64])
		}
		if err := instance.Close(); err != nil {
			t.Fatal(err)
		}
	}
	freed := noErr(store.Collect())(t)
	if left := noErr(store.InstanceCount())(t); left != 0 {
		t.Fatalf("%d instances left after %d closed requests (the last collection freed %d)", left, requests, freed)
	}
	open := make([]*orca.Instance, 10)
	for i := range open {
		open[i] = noErr(orca.NewInstance(store, module, nil))(t)
	}
	noErr(store.Collect())(t)
	if kept := noErr(store.InstanceCount())(t); kept != len(open) {
		t.Fatalf("open instances: %d kept, want %d", kept, len(open))
	}
	for _, instance := range open {
		if got := noErr(instance.Func("run").Call())(t); len(got) != 1 || got[0] != int32(42) {
			t.Fatalf("open instance after a collection: run = %v", got)
		}
	}
}

// After Close, the instance and every export Go took from it return ErrClosed; the store and
// other instances go on.
func TestClosedInstanceObjects(t *testing.T) {
	store, instance := instantiate(t, orca.Config{}, perRequestWat)
	run, mem, g, tab := instance.Func("run"), instance.Memory("mem"), instance.Global("g"), instance.Table("t")
	other := noErr(orca.NewLinker(store).Instantiate(noErr(orca.NewModuleFromWat(store.Engine(), perRequestWat))(t)))(t)
	if err := instance.Close(); err != nil {
		t.Fatal(err)
	}
	if err := instance.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	slots := make([]orca.RawVal, 1)
	expectClosed(t, map[string]func() error{
		"Export":             func() error { return second(instance.Export("run")) },
		"Func after Close":   func() error { return second(instance.Func("run").Call()) },
		"Memory after Close": func() error { return second(instance.Memory("mem").Data()) },
		"Call":               func() error { return second(run.Call()) },
		"CallRaw":            func() error { return run.CallRaw(slots) },
		"Type":               func() error { return second(run.Type()) },
		"Data":               func() error { return second(mem.Data()) },
		"Grow":               func() error { return mem.Grow(1) },
		"Size":               func() error { return second(mem.Size()) },
		"Global.Get":         func() error { return second(g.Get()) },
		"Global.Set":         func() error { return g.Set(int32(1)) },
		"Table.Size":         func() error { return second(tab.Size()) },
		"DefineInstance":     func() error { return orca.NewLinker(store).DefineInstance("x", instance) },
		"Define":             func() error { return orca.NewLinker(store).Define("x", "run", run) },
		"import": func() error {
			importer := noErr(orca.NewModuleFromWat(store.Engine(), `(module (import "x" "run" (func (result i32))))`))(t)
			return second(orca.NewInstance(store, importer, []orca.Extern{run}))
		},
	})
	if got := noErr(other.Func("run").Call())(t); len(got) != 1 || got[0] != int32(42) {
		t.Fatalf("another instance after Close: run = %v", got)
	}
	noErr(store.Collect())(t)
	if n := noErr(store.InstanceCount())(t); n != 1 {
		t.Fatalf("instances after Close and Collect: %d, want 1", n)
	}
}

// A closed instance that another one imports keeps running; its host functions still find its
// exports through the Caller, and it is freed once the importer is closed too.
func TestClosedInstanceKeptByAnImporter(t *testing.T) {
	engine := noErr(orca.NewEngineWithConfig(orca.Config{}))(t)
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	linker := orca.NewLinker(store)
	err := linker.DefineFunc("host", "peek", func(c *orca.Caller) int32 {
		m := c.Memory("mem")
		if m == nil {
			return -1
		}
		data, err := m.Data()
		if err != nil {
			return -2
		}
		return int32(data[0])
	})
	if err != nil {
		t.Fatal(err)
	}
	a := noErr(linker.Instantiate(noErr(orca.NewModuleFromWat(engine, `(module
	  (import "host" "peek" (func $peek (result i32)))
	  (memory (export "mem") 1)
	  (data (i32.const 0) "\2a")
	  (func (export "f") (result i32) call $peek))`))(t)))(t)
	b := noErr(orca.NewInstance(store, noErr(orca.NewModuleFromWat(engine, `(module
	  (import "a" "f" (func $f (result i32)))
	  (func (export "g") (result i32) call $f))`))(t), []orca.Extern{a.Func("f")}))(t)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	noErr(store.Collect())(t)
	for range 3 {
		if got := noErr(b.Func("g").Call())(t); len(got) != 1 || got[0] != int32(42) {
			t.Fatalf("through the importer after the exporter's Close: %v, want 42", got)
		}
	}
	noErr(store.Collect())(t)
	if n := noErr(store.InstanceCount())(t); n != 2 {
		t.Fatalf("instances while the importer lives: %d, want 2", n)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	noErr(store.Collect())(t)
	if n := noErr(store.InstanceCount())(t); n != 0 {
		t.Fatalf("instances after both closed: %d, want 0", n)
	}
}

// A host function may close the instance that called it: the call finishes, then the instance
// is closed and can be freed.
func TestInstanceClosedByHostFunction(t *testing.T) {
	engine := noErr(orca.NewEngineWithConfig(orca.Config{}))(t)
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	linker := orca.NewLinker(store)
	var instance *orca.Instance
	var inside error
	if err := linker.DefineFunc("host", "done", func() int32 {
		if err := instance.Close(); err != nil {
			return -1
		}
		_, inside = instance.Export("run")
		return 5
	}); err != nil {
		t.Fatal(err)
	}
	instance = noErr(linker.Instantiate(noErr(orca.NewModuleFromWat(engine, `(module
	  (import "host" "done" (func $done (result i32)))
	  (memory 1)
	  (func (export "run") (result i32)
	    (i32.store (i32.const 8) (call $done))
	    (i32.load (i32.const 8))))`))(t)))(t)
	if got := noErr(instance.Func("run").Call())(t); len(got) != 1 || got[0] != int32(5) {
		t.Fatalf("the call that closed its instance: %v, want 5", got)
	}
	if !errors.Is(inside, orca.ErrClosed) {
		t.Fatalf("Export inside the host function after Close: %v", inside)
	}
	if _, err := instance.Func("run").Call(); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("call after the host function closed it: %v", err)
	}
	if err := linker.Close(); err != nil {
		t.Fatal(err)
	}
	noErr(store.Collect())(t)
	if n := noErr(store.InstanceCount())(t); n != 0 {
		t.Fatalf("instances after Close and Collect: %d, want 0", n)
	}
}
