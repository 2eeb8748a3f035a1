package orca_test

import (
	"errors"
	"strings"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

func TestLinkerErrorsAndShadowing(t *testing.T) {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	linker := orca.NewLinker(store)
	module, err := orca.NewModuleFromWat(store.Engine(), `(module (import "env" "f" (func (result i32)))
	  (func (export "g") (result i32) (call 0)))`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = linker.Instantiate(module)
	var e *orca.Error
	if !errors.As(err, &e) || !errors.Is(err, orca.ErrUnlinkable) || !strings.Contains(e.Message, `"env" "f"`) {
		t.Fatalf("missing import: %v", err)
	}
	ty := orca.FuncType{Results: []orca.ValKind{orca.KindI32}}
	one := func([]any) ([]any, error) { return []any{int32(1)}, nil }
	two := func([]any) ([]any, error) { return []any{int32(2)}, nil }
	if err := linker.DefineHostFunc("env", "f", ty, one); err != nil {
		t.Fatal(err)
	}
	if err := linker.DefineHostFunc("env", "f", ty, two); !errors.Is(err, orca.ErrUnlinkable) {
		t.Fatalf("a second definition without shadowing: %v", err)
	}
	if err := linker.AllowShadowing(true); err != nil {
		t.Fatal(err)
	}
	if err := linker.DefineHostFunc("env", "f", ty, two); err != nil {
		t.Fatal(err)
	}
	if f, ok := noErr(linker.Get("env", "f"))(t).(*orca.Func); !ok || noErr(f.Type())(t).String() != "() -> (i32)" {
		t.Fatalf("Get: %v", f)
	}
	if noErr(linker.Get("env", "nothing"))(t) != nil {
		t.Fatal("Get of an undefined name")
	}
	instance, err := linker.Instantiate(module)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := instance.Func("g").Call(); err != nil || r[0].(int32) != 2 {
		t.Fatalf("shadowed definition: %v %v", r, err)
	}
}
