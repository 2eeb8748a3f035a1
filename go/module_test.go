package orca_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

func TestModuleReflectionAndSerialize(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module, err := orca.NewModuleFromWat(store.Engine(), `(module (import "a" "b" (global i32))
	  (memory (export "m") 1) (func (export "f")))`)
	if err != nil {
		t.Fatal(err)
	}
	exports := noErr(module.Exports())(t)
	if got := fmt.Sprint(noErr(module.Imports())(t), exports); got != "[{a b global}] [{m memory} {f func}]" {
		t.Fatalf("got %s", got)
	}
	again, err := orca.DeserializeModule(store.Engine(), noErr(module.Serialize())(t))
	if err != nil || fmt.Sprint(noErr(again.Exports())(t)) != fmt.Sprint(exports) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := orca.DeserializeModule(store.Engine(), []byte("junk")); err == nil {
		t.Fatal("junk deserialized")
	}
	_, err = orca.NewModuleFromWat(store.Engine(), `(module (func (result i32) (i64.const 0)))`)
	if !errors.Is(err, orca.ErrInvalid) {
		t.Fatalf("invalid module: %v", err)
	}
}

func TestValidateAndCacheDir(t *testing.T) {
	dir := t.TempDir()
	engine, err := orca.NewEngineWithConfig(orca.Config{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	store := orca.NewStore(engine)
	defer store.Close()
	wasm, err := orca.Wat2Wasm(`(module (func (export "f") (result i32) (i32.const 5)))`)
	if err != nil {
		t.Fatal(err)
	}
	if err := orca.ValidateModule(store.Engine(), wasm); err != nil {
		t.Fatal(err)
	}
	if err := orca.ValidateModule(store.Engine(), wasm[:len(wasm)-1]); !errors.Is(err, orca.ErrMalformed) {
		t.Fatalf("truncated: %v", err)
	}
	for i := 0; i < 2; i++ { // the second compile loads from the cache
		module, err := orca.NewModule(store.Engine(), wasm)
		if err != nil {
			t.Fatal(err)
		}
		instance, err := orca.NewLinker(store).Instantiate(module)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := instance.Func("f").Call(); err != nil || r[0].(int32) != 5 {
			t.Fatalf("compile %d: %v %v", i, r, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("the cache directory is empty (%v)", err)
	}
}

// A module is the engine's: compiled once, it is instantiated in several stores of that engine,
// each instance with its own state; a store of another engine refuses it with ErrUnlinkable,
// through the linker and through NewInstance, and never runs it.
func TestModuleBelongsToEngine(t *testing.T) {
	engine := orca.NewEngine()
	defer engine.Close()
	module := noErr(orca.NewModuleFromWat(engine, `(module (global $n (mut i32) (i32.const 0))
	  (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))`))(t)
	defer module.Close()
	if module.Engine() != engine {
		t.Fatal("Module.Engine is not the engine that compiled it")
	}
	for i := 0; i < 3; i++ {
		store := orca.NewStore(engine)
		instance := noErr(orca.NewLinker(store).Instantiate(module))(t)
		for want := int32(1); want <= 2; want++ {
			if r, err := instance.Func("next").Call(); err != nil || r[0].(int32) != want {
				t.Fatalf("store %d: %v %v, expected %d", i, r, err, want)
			}
		}
		store.Close()
	}
	other := orca.NewEngine()
	defer other.Close()
	foreign := orca.NewStore(other)
	defer foreign.Close()
	if _, err := orca.NewLinker(foreign).Instantiate(module); !errors.Is(err, orca.ErrUnlinkable) ||
		!strings.Contains(err.Error(), "another engine") {
		t.Fatalf("linker of another engine's store: %v", err)
	}
	if _, err := orca.NewInstance(foreign, module, nil); !errors.Is(err, orca.ErrUnlinkable) {
		t.Fatalf("NewInstance in another engine's store: %v", err)
	}
}
