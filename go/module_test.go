package orca_test

import (
	"errors"
	"fmt"
	"os"
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
