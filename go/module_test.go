package orca_test

import (
	"errors"
	"fmt"
	"testing"

	orca "github.com/orca-runtime/orca-go"
)

func TestModuleReflectionAndSerialize(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module, err := orca.NewModuleFromWat(store, `(module (import "a" "b" (global i32))
	  (memory (export "m") 1) (func (export "f")))`)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(module.Imports(), module.Exports()); got != "[{a b global}] [{m memory} {f func}]" {
		t.Fatalf("got %s", got)
	}
	again, err := orca.DeserializeModule(store, module.Serialize())
	if err != nil || fmt.Sprint(again.Exports()) != fmt.Sprint(module.Exports()) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := orca.DeserializeModule(store, []byte("junk")); err == nil {
		t.Fatal("junk deserialized")
	}
	_, err = orca.NewModuleFromWat(store, `(module (func (result i32) (i64.const 0)))`)
	if !errors.Is(err, orca.ErrInvalid) {
		t.Fatalf("invalid module: %v", err)
	}
}
