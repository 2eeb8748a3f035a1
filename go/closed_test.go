package orca_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"weak"

	orca "github.com/orca-runtime/orca/go"
)

// closedWat exports one object of each kind and calls the host function env.host.
const closedWat = `(module
  (import "env" "host" (func $host))
  (memory (export "mem") 1)
  (global (export "g") (mut i32) (i32.const 1))
  (table (export "tab") 1 funcref)
  (func (export "seven") (result i32) (i32.const 7))
  (func (export "call_host") (call $host)))`

var noParams = orca.FuncType{}

// closedFixture is a store with an instance of closedWat and a Go object of every kind.
type closedFixture struct {
	engine   *orca.Engine
	store    *orca.Store
	module   *orca.Module
	linker   *orca.Linker
	instance *orca.Instance
	fn       *orca.Func
	host     *orca.Func
	mem      *orca.Memory
	global   *orca.Global
	table    *orca.Table
	wasi     *orca.WasiEnv
	// hostBody runs when the guest calls env.host.
	hostBody func() error
}

func newClosedFixture(t *testing.T, cfg orca.Config) *closedFixture {
	t.Helper()
	engine, err := orca.NewEngineWithConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	x := &closedFixture{engine: engine, store: orca.NewStore(engine)}
	t.Cleanup(func() { x.store.Close(); x.module.Close(); engine.Close() })
	x.module = noErr(orca.NewModuleFromWat(x.store.Engine(), closedWat))(t)
	x.linker = orca.NewLinker(x.store)
	err = x.linker.DefineHostFunc("env", "host", noParams, func([]any) ([]any, error) {
		if x.hostBody != nil {
			return nil, x.hostBody()
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	x.wasi = noErr(x.linker.DefineWasi(&orca.WasiConfig{CaptureStdout: true, CaptureStderr: true}))(t)
	x.instance = noErr(x.linker.Instantiate(x.module))(t)
	x.fn = x.instance.Func("seven")
	x.host = orca.NewFunc(x.store, noParams, func([]any) ([]any, error) { return nil, nil })
	x.mem, x.global, x.table = x.instance.Memory("mem"), x.instance.Global("g"), x.instance.Table("tab")
	if x.fn == nil || x.mem == nil || x.global == nil || x.table == nil {
		t.Fatal("an export is missing")
	}
	return x
}

// expectClosed calls each method and checks that it returns ErrClosed.
func expectClosed(t *testing.T, calls map[string]func() error) {
	t.Helper()
	for name, call := range calls {
		if err := call(); !errors.Is(err, orca.ErrClosed) {
			t.Errorf("%s: %v, expected ErrClosed", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// Every method of every object in a closed store returns ErrClosed (and touches no freed memory:
// run with -race, which also checks Go's own memory, and under the signal handler, which turns
// a stray access into a crash).
func TestClosedStoreObjects(t *testing.T) {
	x := newClosedFixture(t, orca.Config{ConsumeFuel: true})
	if err := x.store.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slots := make([]orca.RawVal, 1)
	t.Run("Store", func(t *testing.T) {
		expectClosed(t, map[string]func() error{
			"SetFuel":     func() error { return x.store.SetFuel(1) },
			"Fuel":        func() error { return second(x.store.Fuel()) },
			"Interrupt":   x.store.Interrupt,
			"SetDeadline": func() error { return x.store.SetDeadline(1) },
			"SetLimits":   func() error { return x.store.SetLimits(orca.Limits{}) },
			"NewInstance": func() error { return second(orca.NewInstance(x.store, x.module, nil)) },
			"NewMemory":   func() error { return second(orca.NewMemory(x.store, orca.MemoryType{Min: 1})) },
			"WrapFunc":    func() error { return second(orca.WrapFunc(x.store, func() {})) },
			"NewGlobal": func() error {
				return second(orca.NewGlobal(x.store, orca.GlobalType{Kind: orca.KindI32}, int32(0)))
			},
			"NewTable": func() error {
				return second(orca.NewTable(x.store, orca.TableType{Elem: orca.KindFuncref, Min: 1}, nil))
			},
			"NewFuncRaw": func() error {
				return second(orca.NewFuncRaw(x.store, noParams, func(_, _ []orca.Value) error { return nil }))
			},
			// NewFunc and NewLinker have no error result: they give closed objects.
			"NewFunc": func() error {
				return second(orca.NewFunc(x.store, noParams, func([]any) ([]any, error) { return nil, nil }).Call())
			},
			"NewLinker": func() error { return orca.NewLinker(x.store).AllowShadowing(true) },
		})
		if x.store.Engine() != x.engine {
			t.Error("Engine changed")
		}
	})
	t.Run("Func", func(t *testing.T) {
		for name, f := range map[string]*orca.Func{"exported": x.fn, "host": x.host} {
			expectClosed(t, map[string]func() error{
				name + " Type":        func() error { return second(f.Type()) },
				name + " Call":        func() error { return second(f.Call()) },
				name + " CallRaw":     func() error { return f.CallRaw(slots) },
				name + " CallContext": func() error { return second(f.CallContext(ctx)) },
				name + " CallContext (Background)": func() error {
					return second(f.CallContext(context.Background()))
				},
			})
			if f.Same(f) {
				t.Errorf("%s: Same is true in a closed store", name)
			}
		}
	})
	t.Run("Memory", func(t *testing.T) {
		expectClosed(t, map[string]func() error{
			"Data":     func() error { return second(x.mem.Data()) },
			"Read":     func() error { return second(x.mem.Read(0, 1)) },
			"Write":    func() error { return x.mem.Write(0, []byte{1}) },
			"Size":     func() error { return second(x.mem.Size()) },
			"DataSize": func() error { return second(x.mem.DataSize()) },
			"Grow":     func() error { return x.mem.Grow(1) },
			"Type":     func() error { return second(x.mem.Type()) },
		})
	})
	t.Run("Global", func(t *testing.T) {
		expectClosed(t, map[string]func() error{
			"Type": func() error { return second(x.global.Type()) },
			"Get":  func() error { return second(x.global.Get()) },
			"Set":  func() error { return x.global.Set(int32(2)) },
		})
	})
	t.Run("Table", func(t *testing.T) {
		expectClosed(t, map[string]func() error{
			"Type": func() error { return second(x.table.Type()) },
			"Size": func() error { return second(x.table.Size()) },
			"Get":  func() error { return second(x.table.Get(0)) },
			"Set":  func() error { return x.table.Set(0, nil) },
			"Grow": func() error { return x.table.Grow(1, nil) },
		})
	})
	t.Run("Instance", func(t *testing.T) {
		// The lookups by kind give objects of the closed store, so that a call may follow them.
		expectClosed(t, map[string]func() error{
			"Export": func() error { return second(x.instance.Export("seven")) },
			"Func":   func() error { return second(x.instance.Func("seven").Call()) },
			"Memory": func() error { return second(x.instance.Memory("mem").Size()) },
			"Global": func() error { return second(x.instance.Global("g").Get()) },
			"Table":  func() error { return second(x.instance.Table("tab").Size()) },
		})
	})
	t.Run("Linker", func(t *testing.T) {
		expectLinkerClosed(t, x)
	})
	t.Run("WasiEnv", func(t *testing.T) {
		expectClosed(t, map[string]func() error{
			"Stdout": func() error { return second(x.wasi.Stdout()) },
			"Stderr": func() error { return second(x.wasi.Stderr()) },
		})
	})
	t.Run("RawVal", func(t *testing.T) {
		expectClosed(t, map[string]func() error{
			"Ref":    func() error { return second(slots[0].Ref(x.store, orca.KindExternref)) },
			"SetRef": func() error { return slots[0].SetRef(x.store, orca.KindExternref, 1) },
		})
	})
}

// expectLinkerClosed checks every method of x.linker.
func expectLinkerClosed(t *testing.T, x *closedFixture) {
	t.Helper()
	nop := func([]any) ([]any, error) { return nil, nil }
	expectClosed(t, map[string]func() error{
		"AllowShadowing": func() error { return x.linker.AllowShadowing(true) },
		"Define":         func() error { return x.linker.Define("m", "f", x.fn) },
		"DefineHostFunc": func() error { return x.linker.DefineHostFunc("m", "g", noParams, nop) },
		"DefineFunc":     func() error { return x.linker.DefineFunc("m", "t", func(int32) int32 { return 0 }) },
		"DefineFuncRaw": func() error {
			return x.linker.DefineFuncRaw("m", "h", noParams, func(_, _ []orca.Value) error { return nil })
		},
		"DefineInstance": func() error { return x.linker.DefineInstance("m2", x.instance) },
		"DefineWasi":     func() error { return second(x.linker.DefineWasi(&orca.WasiConfig{})) },
		"Get":            func() error { return second(x.linker.Get("env", "host")) },
		"Instantiate":    func() error { return second(x.linker.Instantiate(x.module)) },
	})
}

// A closed linker refuses every use; its store and what it instantiated stay usable.
func TestClosedLinker(t *testing.T) {
	x := newClosedFixture(t, orca.Config{})
	if err := x.linker.Close(); err != nil {
		t.Fatal(err)
	}
	expectLinkerClosed(t, x)
	if r, err := x.fn.Call(); err != nil || r[0].(int32) != 7 {
		t.Fatalf("the store's function after the linker's Close: %v %v", r, err)
	}
}

// A closed module refuses every use; instances made from it stay usable.
func TestClosedModule(t *testing.T) {
	x := newClosedFixture(t, orca.Config{})
	other := orca.NewStore(x.engine)
	defer other.Close()
	if err := x.module.Close(); err != nil {
		t.Fatal(err)
	}
	expectClosed(t, map[string]func() error{
		"Serialize": func() error { return second(x.module.Serialize()) },
		"Imports":   func() error { return second(x.module.Imports()) },
		"Exports":   func() error { return second(x.module.Exports()) },
		"NewInstance (other st)": func() error {
			return second(orca.NewInstance(other, x.module, []orca.Extern{orca.NewFunc(other, noParams, nil)}))
		},
		"Linker.Instantiate": func() error { return second(x.linker.Instantiate(x.module)) },
		"NewInstance":        func() error { return second(orca.NewInstance(x.store, x.module, []orca.Extern{x.host})) },
	})
	if r, err := x.fn.Call(); err != nil || r[0].(int32) != 7 {
		t.Fatalf("the instance after the module's Close: %v %v", r, err)
	}
}

// Closing the engine first does not pull it from under its stores and modules: they work until
// they are closed. Compiling with a closed engine is ErrClosed, and a store made after the
// engine's Close is closed from the start.
func TestEngineClosedFirst(t *testing.T) {
	engine := orca.NewEngine()
	store := orca.NewStore(engine)
	defer store.Close()
	module, err := orca.NewModuleFromWat(engine, `(module (func (export "f") (result i32) (i32.const 3)))`)
	if err != nil {
		t.Fatal(err)
	}
	defer module.Close()
	if err := engine.Close(); err != nil {
		t.Fatal(err)
	}
	instance := noErr(orca.NewLinker(store).Instantiate(module))(t)
	if r, err := instance.Func("f").Call(); err != nil || r[0].(int32) != 3 {
		t.Fatalf("call after the engine's Close: %v %v", r, err)
	}
	expectClosed(t, map[string]func() error{
		"NewModule":         func() error { return second(orca.NewModule(engine, []byte("\x00asm\x01\x00\x00\x00"))) },
		"NewModuleFromWat":  func() error { return second(orca.NewModuleFromWat(engine, `(module)`)) },
		"DeserializeModule": func() error { return second(orca.DeserializeModule(engine, nil)) },
		"ValidateModule":    func() error { return orca.ValidateModule(engine, nil) },
	})
	late := orca.NewStore(engine)
	if _, err := orca.NewMemory(late, orca.MemoryType{Min: 1}); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("a store of a closed engine: %v", err)
	}
	if err := late.Close(); err != nil {
		t.Fatal(err)
	}
	// The module outlives its store, and still holds the engine.
	store.Close()
	if exports, err := module.Exports(); err != nil || len(exports) != 1 {
		t.Fatalf("the module after its store's Close: %v %v", exports, err)
	}
}

// A host function that closes its own store during a call: from then on every object gives
// ErrClosed, also inside the host function; the call ends with an error matching ErrClosed; the
// C store is freed when the call has returned, not under the running guest.
func TestStoreClosedByHostFunction(t *testing.T) {
	x := newClosedFixture(t, orca.Config{})
	var inside []error
	x.hostBody = func() error {
		if err := x.store.Close(); err != nil {
			return err
		}
		inside = append(inside, second(x.mem.Data()), second(x.global.Get()), second(x.table.Size()),
			second(x.fn.Call()), second(x.instance.Export("mem")), x.linker.AllowShadowing(true))
		return nil
	}
	_, err := x.instance.Func("call_host").Call()
	if !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("the call that closed its store: %v", err)
	}
	for i, e := range inside {
		if !errors.Is(e, orca.ErrClosed) {
			t.Errorf("use %d inside the host function: %v", i, e)
		}
	}
	expectClosed(t, map[string]func() error{
		"Call":   func() error { return second(x.fn.Call()) },
		"Data":   func() error { return second(x.mem.Data()) },
		"Fuel":   func() error { return second(x.store.Fuel()) },
		"Export": func() error { return second(x.instance.Export("g")) },
	})
	if err := x.store.Close(); err != nil {
		t.Fatal(err)
	}
}

// The same several calls deep (Go -> wasm -> Go -> wasm -> Go), and with a panic after the Close:
// the panic comes back to the caller and the store is closed.
func TestStoreClosedByNestedHostFunction(t *testing.T) {
	x := newClosedFixture(t, orca.Config{})
	depth := 0
	x.hostBody = func() error {
		depth++
		if depth == 1 {
			_, err := x.instance.Func("call_host").Call() // enters wasm again
			return err
		}
		x.store.Close()
		panic("after close")
	}
	var err error
	recovered := func() (p any) {
		defer func() { p = recover() }()
		_, err = x.instance.Func("call_host").Call()
		return nil
	}()
	if recovered != "after close" {
		t.Fatalf("the host function's panic: %v (err %v)", recovered, err)
	}
	if _, err := x.fn.Call(); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("a call after: %v", err)
	}
}

// A start function whose host function closes the store, through the linker and NewInstance;
// and a linker closed during its own Instantiate.
func TestClosedDuringInstantiation(t *testing.T) {
	const startWat = `(module (import "env" "host" (func $host)) (start $host))`
	instantiators := map[string]func(*orca.Store, *orca.Linker, *orca.Module, *orca.Func) error{
		"Linker.Instantiate": func(_ *orca.Store, l *orca.Linker, m *orca.Module, _ *orca.Func) error {
			return second(l.Instantiate(m))
		},
		"NewInstance": func(s *orca.Store, _ *orca.Linker, m *orca.Module, host *orca.Func) error {
			return second(orca.NewInstance(s, m, []orca.Extern{host}))
		},
	}
	for name, instantiate := range instantiators {
		store := orca.NewStore(orca.NewEngine())
		module := noErr(orca.NewModuleFromWat(store.Engine(), startWat))(t)
		host := orca.NewFunc(store, noParams, func([]any) ([]any, error) { return nil, store.Close() })
		linker := orca.NewLinker(store)
		if err := linker.Define("env", "host", host); err != nil {
			t.Fatal(err)
		}
		if err := instantiate(store, linker, module, host); !errors.Is(err, orca.ErrClosed) {
			t.Errorf("%s with a start function that closes the store: %v", name, err)
		}
		if _, err := orca.NewMemory(store, orca.MemoryType{Min: 1}); !errors.Is(err, orca.ErrClosed) {
			t.Errorf("%s: the store after: %v", name, err)
		}
		module.Close()
	}

	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module := noErr(orca.NewModuleFromWat(store.Engine(), startWat))(t)
	defer module.Close()
	linker := orca.NewLinker(store)
	if err := linker.DefineHostFunc("env", "host", noParams, func([]any) ([]any, error) { return nil, linker.Close() }); err != nil {
		t.Fatal(err)
	}
	if _, err := linker.Instantiate(module); err != nil {
		t.Fatalf("an instantiation whose start function closes the linker: %v", err)
	}
	if _, err := linker.Get("env", "host"); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("the linker after: %v", err)
	}
}

// Goroutines sharing a module while one closes it: each use either works or gets ErrClosed,
// and the race detector sees no unguarded access.
func TestModuleClosedWhileShared(t *testing.T) {
	engine := orca.NewEngine()
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	module := noErr(orca.NewModuleFromWat(store.Engine(), closedWat))(t)
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := orca.NewStore(engine)
			defer own.Close()
			host := orca.NewFunc(own, noParams, nil)
			for i := 0; i < 50; i++ {
				errs <- second(module.Exports())
				errs <- second(orca.NewInstance(own, module, []orca.Extern{host}))
			}
		}()
	}
	module.Close()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, orca.ErrClosed) {
			t.Fatal(err)
		}
	}
	if _, err := module.Exports(); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

// Finalizers and explicit Close never race: goroutines make engines, modules and stores, and
// each round closes a different subset of the three explicitly and drops the rest, so that an
// explicit Close of an engine meets the finalizers of its dropped store or module (all of which
// release the engine), while the collector runs. Under -race a data race fails the test;
// otherwise every explicitly closed object must answer ErrClosed and a later engine must work.
func TestFinalizersNeverRaceExplicitClose(t *testing.T) {
	const workers, rounds = 4, 24
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*rounds)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				engine := orca.NewEngine()
				module, err := orca.NewModuleFromWat(engine, `(module (func (export "f") (result i32) (i32.const 1)))`)
				if err != nil {
					errs <- err
					return
				}
				store := orca.NewStore(engine)
				instance, err := orca.NewLinker(store).Instantiate(module)
				if err != nil {
					errs <- err
					return
				}
				if i&1 != 0 {
					engine.Close() // first, while the others still hold it
				}
				if i&2 != 0 {
					store.Close()
					if _, err := instance.Func("f").Call(); !errors.Is(err, orca.ErrClosed) {
						errs <- fmt.Errorf("a call after its store's Close: %v", err)
					}
				}
				if i&4 != 0 {
					module.Close()
					if _, err := module.Exports(); !errors.Is(err, orca.ErrClosed) {
						errs <- fmt.Errorf("a module after its Close: %v", err)
					}
				}
				runtime.GC() // the previous rounds' dropped objects are finalized meanwhile
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := 0; i < 5; i++ {
		runtime.GC()
	}
	_, instance := instantiate(t, orca.Config{}, `(module (func (export "f") (result i32) (i32.const 2)))`)
	if r, err := instance.Func("f").Call(); err != nil || r[0].(int32) != 2 {
		t.Fatalf("an engine after the others were finalized: %v %v", r, err)
	}
}

// A store that nothing references any more is finalized even with host functions, a linker and
// instances: neither the cgo.Handles that carry host functions to C nor the store's own lists of
// its linkers and instances may keep it reachable (they did, so such a store lived until Close,
// and leaked when a program forgot it: the runtime never finalizes an object in a cycle).
func TestStoreWithHostFunctionsIsCollected(t *testing.T) {
	engine := orca.NewEngine()
	defer engine.Close()
	collectable := func() weak.Pointer[orca.Store] {
		store := orca.NewStore(engine)
		orca.NewFunc(store, orca.FuncType{Results: []orca.ValKind{orca.KindI32}},
			func([]any) ([]any, error) { return []any{int32(1)}, nil })
		noErr(orca.WrapFunc(store, func(x int32) int32 { return x }))(t)
		linker := orca.NewLinker(store)
		if err := linker.DefineFunc("env", "f", func(c *orca.Caller) error {
			_, err := c.Export("g") // the Caller gives the instance a Go side the store knows
			return err
		}); err != nil {
			t.Fatal(err)
		}
		module := noErr(orca.NewModuleFromWat(engine, `(module (import "env" "f" (func))
		  (func (export "g") (call 0)))`))(t)
		instance := noErr(linker.Instantiate(module))(t)
		noErr(instance.Func("g").Call())(t)
		return weak.Make(store)
	}()
	for i := 0; i < 10 && collectable.Value() != nil; i++ {
		runtime.GC()
	}
	if collectable.Value() != nil {
		t.Fatal("a store with host functions stayed reachable after its last use")
	}
}
