package orca_test

import (
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

func TestTableFuncrefs(t *testing.T) {
	store, instance := instantiate(t, orca.Config{}, `(module
	  (type $t (func (result i32)))
	  (table (export "t") 1 3 funcref)
	  (func (export "seven") (result i32) (i32.const 7))
	  (func (export "call") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))`)
	tab := instance.Table("t")
	if v, err := tab.Get(0); err != nil || v.(*orca.Func) != nil {
		t.Fatalf("element 0: %v %v", v, err)
	}
	if err := tab.Set(0, instance.Func("seven")); err != nil {
		t.Fatal(err)
	}
	if r, err := instance.Func("call").Call(int32(0)); err != nil || r[0].(int32) != 7 {
		t.Fatalf("call_indirect: %v %v", r, err)
	}
	host := orca.NewFunc(store, orca.FuncType{Results: []orca.ValKind{orca.KindI32}},
		func([]any) ([]any, error) { return []any{int32(8)}, nil })
	if err := tab.Grow(2, host); err != nil || noErr(tab.Size())(t) != 3 {
		t.Fatalf("grow: %v", err)
	}
	if r, err := instance.Func("call").Call(int32(2)); err != nil || r[0].(int32) != 8 {
		t.Fatalf("host function through the table: %v %v", r, err)
	}
	got, _ := tab.Get(2)
	if !got.(*orca.Func).Same(host) {
		t.Fatal("the table does not hold the host function")
	}
	if err := tab.Grow(1, nil); err == nil {
		t.Fatal("grew past the maximum")
	}
	if _, err := tab.Get(3); err == nil {
		t.Fatal("get out of bounds accepted")
	}
	if err := tab.Set(0, "not a function"); err == nil {
		t.Fatal("a string was accepted as a funcref")
	}
}
