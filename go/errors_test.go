package orca

import "testing"

// Every kind orca.h defines has its name; ErrInternal, the last, is Orca's own failure.
func TestErrorKindNames(t *testing.T) {
	want := map[ErrorKind]string{ErrMalformed: "malformed", ErrUnsupported: "unsupported", ErrExit: "exit",
		ErrInternal: "internal"}
	for kind, name := range want {
		if got := kind.String(); got != name {
			t.Errorf("ErrorKind(%d).String() = %q, want %q", uint8(kind), got, name)
		}
	}
	if got := (ErrInternal + 1).String(); got != "kind 10" {
		t.Errorf("the kind after ErrInternal is %q, want none (\"kind 10\")", got)
	}
	err := &Error{Kind: ErrInternal, Message: "jit: Symbols not found"}
	if err.Error() != "internal: jit: Symbols not found" {
		t.Errorf("Error() = %q", err.Error())
	}
}
