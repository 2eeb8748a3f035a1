package orca_test

// The Go runner of the shared conformance suite (tests/conformance, described in its README.md):
// every case runs through the Go API the way the C reference runner runs it through the C API.
// It prints "ok NAME" / "FAIL NAME: reason" per case and "N passed, N failed" at the end.
// ORCA_CONFORMANCE_DIR overrides where the suite is; ORCA_CONFORMANCE_FILTER runs the cases whose
// names contain it.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	orca "github.com/orca-runtime/orca/go"
)

type caseSpec struct {
	Name    string `json:"name"`
	Module  string `json:"module"`
	Wat     string `json:"wat"`
	WasmHex string `json:"wasm_hex"`
	Config  struct {
		ConsumeFuel   bool            `json:"consume_fuel"`
		Interruptible bool            `json:"interruptible"`
		BoundsChecks  bool            `json:"bounds_checks"`
		OptLevel      *int            `json:"opt_level"`
		Features      map[string]bool `json:"features"`
	} `json:"config"`
	ConfigError      *errorSpec       `json:"config_error"`
	Fuel             *uint64          `json:"fuel"`
	Limits           map[string]int64 `json:"limits"`
	Imports          json.RawMessage  `json:"imports"`
	Wasi             *wasiSpec        `json:"wasi"`
	CompileError     *errorSpec       `json:"compile_error"`
	InstantiateError *errorSpec       `json:"instantiate_error"`
	Steps            []step           `json:"steps"`
}

type errorSpec struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Code    string `json:"code"`
}

type wasiSpec struct {
	Args     []string    `json:"args"`
	Env      [][2]string `json:"env"`
	Preopens []struct {
		Host  string `json:"host"`
		Guest string `json:"guest"`
	} `json:"preopens"`
	Stdin *string `json:"stdin"`
}

type importSpec struct {
	Kind    string   `json:"kind"`
	Module  string   `json:"module"`
	Name    string   `json:"name"`
	Params  []string `json:"params"`
	Results []string `json:"results"`
	Do      []action `json:"do"`
	Type    string   `json:"type"`
	Mutable bool     `json:"mutable"`
	Value   string   `json:"value"`
	Min     uint32   `json:"min"`
	Max     *uint32  `json:"max"`
	Elem    string   `json:"elem"`
	Wat     string   `json:"wat"`
	Caller  bool     `json:"caller"`
}

type action struct {
	Op      string   `json:"op"`
	Values  []string `json:"values"`
	Value   string   `json:"value"`
	Message string   `json:"message"`
	Func    string   `json:"func"`
	Memory  string   `json:"memory"`
	Ptr     int      `json:"ptr"`
	Len     int      `json:"len"`
	Hex     string   `json:"hex"`
}

type trapSpec struct {
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Trace    []uint32 `json:"trace"`
	Offsets  []uint   `json:"module_offsets"`
	FromHost bool     `json:"from_host"`
	Panic    bool     `json:"panic"`
}

type step struct {
	Op               string          `json:"op"`
	Func             string          `json:"func"`
	Export           string          `json:"export"`
	Args             []string        `json:"args"`
	Expect           json.RawMessage `json:"expect"`
	Trap             *trapSpec       `json:"trap"`
	Error            *string         `json:"error"`
	Exit             *int            `json:"exit"`
	Raw              bool            `json:"raw"`
	Repeat           int             `json:"repeat"`
	InterruptAfterMs int             `json:"interrupt_after_ms"`
	Offset           uint64          `json:"offset"`
	Hex              *string         `json:"hex"`
	Length           *uint64         `json:"length"`
	OK               *bool           `json:"ok"`
	Pages            uint32          `json:"pages"`
	Bytes            uint64          `json:"bytes"`
	Delta            uint32          `json:"delta"`
	Min              uint32          `json:"min"`
	Max              *uint32         `json:"max"`
	Value            json.RawMessage `json:"value"`
	Init             string          `json:"init"`
	Index            uint32          `json:"index"`
	Type             string          `json:"type"`
	Mutable          bool            `json:"mutable"`
	Elem             string          `json:"elem"`
	Size             uint32          `json:"size"`
	Count            int             `json:"count"`
	Iterations       int             `json:"iterations"`
	Params           []string        `json:"params"`
	Results          []string        `json:"results"`
	Do               []action        `json:"do"`
	Below            float64         `json:"below"`
	Ms               int64           `json:"ms"`
	Kind             string          `json:"kind"`
	Above            float64         `json:"above"`
	Caller           bool            `json:"caller"`
}

func (s step) ok() bool { return s.OK == nil || *s.OK }

// ext is the Go value behind "externref:N".
type ext int64

// hostPanic is what a host function panics with for {"op": "panic"}.
type hostPanic struct{ message string }

type failure struct{ why string }

func failf(format string, args ...any) { panic(failure{fmt.Sprintf(format, args...)}) }

type runner struct {
	suite    string
	spec     *caseSpec
	engine   *orca.Engine
	store    *orca.Store
	module   *orca.Module
	linker   *orca.Linker
	instance *orca.Instance
	wasi     *orca.WasiEnv
	log      []string
	hostErrs map[string]error
	imports  map[string][]importSpec
}

func kindOf(name string) orca.ValKind {
	switch name {
	case "i32":
		return orca.KindI32
	case "i64":
		return orca.KindI64
	case "f32":
		return orca.KindF32
	case "f64":
		return orca.KindF64
	case "v128":
		return orca.KindV128
	case "funcref":
		return orca.KindFuncref
	case "externref":
		return orca.KindExternref
	}
	failf("unknown type %s", name)
	return 0
}

func kinds(names []string) []orca.ValKind {
	out := make([]orca.ValKind, len(names))
	for i, n := range names {
		out[i] = kindOf(n)
	}
	return out
}

func splitValue(text string) (orca.ValKind, string) {
	k, rest, ok := strings.Cut(text, ":")
	if !ok {
		failf("bad value %s", text)
	}
	return kindOf(k), rest
}

// value converts the suite's notation to a Go value.
func (r *runner) value(text string) any {
	kind, rest := splitValue(text)
	switch kind {
	case orca.KindI32:
		n, err := strconv.ParseInt(rest, 10, 32)
		if err != nil {
			failf("bad i32 %s", rest)
		}
		return int32(n)
	case orca.KindI64:
		n, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			failf("bad i64 %s", rest)
		}
		return n
	case orca.KindF32:
		n, _ := strconv.ParseUint(strings.TrimPrefix(rest, "0x"), 16, 32)
		return math.Float32frombits(uint32(n))
	case orca.KindF64:
		n, _ := strconv.ParseUint(strings.TrimPrefix(rest, "0x"), 16, 64)
		return math.Float64frombits(n)
	case orca.KindV128:
		h := strings.TrimPrefix(rest, "0x")
		h = strings.Repeat("0", 32-len(h)) + h
		var v orca.V128
		for i := 0; i < 16; i++ { // the text is the number, most significant byte first
			b, _ := strconv.ParseUint(h[30-2*i:32-2*i], 16, 8)
			v[i] = byte(b)
		}
		return v
	case orca.KindFuncref:
		if rest == "null" {
			return (*orca.Func)(nil)
		}
		f := r.instance.Func(rest)
		if f == nil {
			failf("no function export %s", rest)
		}
		return f
	default:
		if rest == "null" {
			return nil
		}
		n, _ := strconv.ParseInt(rest, 10, 64)
		return ext(n)
	}
}

func format(kind orca.ValKind, v any) string {
	switch x := v.(type) {
	case int32:
		return "i32:" + strconv.FormatInt(int64(x), 10)
	case int64:
		return "i64:" + strconv.FormatInt(x, 10)
	case float32:
		return fmt.Sprintf("f32:0x%08x", math.Float32bits(x))
	case float64:
		return fmt.Sprintf("f64:0x%016x", math.Float64bits(x))
	case orca.V128:
		s := ""
		for i := 15; i >= 0; i-- {
			s += fmt.Sprintf("%02x", x[i])
		}
		return "v128:0x" + s
	case *orca.Func:
		if x == nil {
			return "funcref:null"
		}
		return "funcref:nonnull"
	case ext:
		return "externref:" + strconv.FormatInt(int64(x), 10)
	case nil:
		return kind.String() + ":null"
	}
	return fmt.Sprintf("%v:%T(%v)", kind, v, v)
}

func (r *runner) check(what, want string, got any) {
	kind, rest := splitValue(want)
	if kind == orca.KindFuncref {
		f, ok := got.(*orca.Func)
		if !ok {
			failf("%s: expected %s, got %T", what, want, got)
		}
		switch rest {
		case "null":
			if f != nil {
				failf("%s: expected null, got a function", what)
			}
		case "nonnull":
			if f == nil {
				failf("%s: expected a function, got null", what)
			}
		default:
			if !f.Same(r.instance.Func(rest)) {
				failf("%s: not the function %s", what, rest)
			}
		}
		return
	}
	if g := format(kind, got); g != format(kind, r.value(want)) {
		failf("%s: expected %s, got %s", what, want, g)
	}
}

// guest is where a host function's read, write and call actions find the guest's exports: the
// case's instance, or the Caller of a typed host function ("caller": true).
type guest interface {
	Memory(name string) *orca.Memory
	Func(name string) *orca.Func
}

// host makes a Go host function of the dynamic form ([]any) from the behaviour vocabulary.
func (r *runner) host(name string, results []orca.ValKind, actions []action) orca.HostFunc {
	return func(args []any) ([]any, error) { return r.runHost(name, results, actions, r.instance, args) }
}

// goTypes are the Go types a typed host function of the suite takes and returns.
var goTypes = map[orca.ValKind]reflect.Type{
	orca.KindI32: reflect.TypeOf(int32(0)), orca.KindI64: reflect.TypeOf(int64(0)),
	orca.KindF32: reflect.TypeOf(float32(0)), orca.KindF64: reflect.TypeOf(float64(0)),
	orca.KindV128: reflect.TypeOf(orca.V128{}), orca.KindFuncref: reflect.TypeOf((*orca.Func)(nil)),
	orca.KindExternref: reflect.TypeOf((*any)(nil)).Elem(),
}

// typedHost makes, from the behaviour vocabulary, a Go function of the type's own signature
// for orca.WrapFunc: func(*orca.Caller, params...) (results..., error). Its actions reach the
// guest through the Caller.
func (r *runner) typedHost(name string, ty orca.FuncType, actions []action) any {
	in := []reflect.Type{reflect.TypeOf((*orca.Caller)(nil))}
	for _, k := range ty.Params {
		in = append(in, goTypes[k])
	}
	var out []reflect.Type
	for _, k := range ty.Results {
		out = append(out, goTypes[k])
	}
	errorType := reflect.TypeOf((*error)(nil)).Elem()
	out = append(out, errorType)
	return reflect.MakeFunc(reflect.FuncOf(in, out, false), func(args []reflect.Value) []reflect.Value {
		values := make([]any, len(args)-1)
		for i, a := range args[1:] {
			values[i] = a.Interface()
		}
		results, err := r.runHost(name, ty.Results, actions, args[0].Interface().(*orca.Caller), values)
		outs := make([]reflect.Value, len(out))
		for i, t := range out {
			outs[i] = reflect.New(t).Elem()
			if i < len(results) && results[i] != nil && err == nil {
				outs[i].Set(reflect.ValueOf(results[i]))
			}
		}
		if err != nil {
			outs[len(out)-1].Set(reflect.ValueOf(err))
		}
		return outs
	}).Interface()
}

var errNoCaller = errors.New("host: no calling instance")

// runHost runs a host function's actions over its arguments.
func (r *runner) runHost(name string, results []orca.ValKind, actions []action, g guest, args []any) ([]any, error) {
	var out []any
	for _, a := range actions {
		switch a.Op {
		case "record":
			parts := make([]string, len(args))
			for i, v := range args {
				parts[i] = format(orca.KindExternref, v)
			}
			r.log = append(r.log, name+"("+strings.Join(parts, ", ")+")")
		case "return":
			out = nil
			for _, v := range a.Values {
				out = append(out, r.value(v))
			}
		case "echo":
			out = append([]any(nil), args...)
		case "add":
			var acc any
			switch results[0] {
			case orca.KindI32:
				acc = int32(0)
			case orca.KindI64:
				acc = int64(0)
			case orca.KindF32:
				acc = float32(0)
			default:
				acc = float64(0)
			}
			all := args
			if a.Value != "" {
				all = append([]any{r.value(a.Value)}, args...)
			}
			for _, v := range all {
				switch x := acc.(type) {
				case int32:
					acc = x + v.(int32)
				case int64:
					acc = x + v.(int64)
				case float32:
					acc = x + v.(float32)
				case float64:
					acc = x + v.(float64)
				}
			}
			out = []any{acc}
		case "error":
			return nil, r.hostErr(a.Message)
		case "panic":
			panic(hostPanic{a.Message})
		case "call":
			f := g.Func(a.Func)
			if f == nil {
				return nil, errNoCaller
			}
			res, err := f.Call(args...)
			if err != nil {
				return nil, err
			}
			out = res
		case "read", "write":
			mem := g.Memory(a.Memory)
			if mem == nil {
				return nil, errNoCaller
			}
			ptr := uint64(uint32(args[a.Ptr].(int32)))
			if a.Op == "read" {
				b, err := mem.Read(ptr, uint64(uint32(args[a.Len].(int32))))
				if err != nil {
					return nil, err
				}
				r.log = append(r.log, "read:"+string(b))
			} else if err := mem.Write(ptr, unhex(a.Hex)); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown host action %s", a.Op)
		}
	}
	return out, nil
}

func (r *runner) hostErr(message string) error {
	if e, ok := r.hostErrs[message]; ok {
		return e
	}
	e := errors.New(message)
	r.hostErrs[message] = e
	return e
}

func unhex(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		n, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			failf("bad hex %s", s)
		}
		b[i] = byte(n)
	}
	return b
}

func (r *runner) moduleBytes(module, wat, wasmHex string) []byte {
	if wasmHex != "" {
		return unhex(wasmHex)
	}
	text := wat
	if text == "" || !strings.Contains(text, "(") {
		name := module
		if name == "" {
			name = wat
		}
		b, err := os.ReadFile(filepath.Join(r.suite, "modules", name))
		if err != nil {
			failf("%v", err)
		}
		text = string(b)
	}
	wasm, err := orca.Wat2Wasm(text)
	if err != nil {
		failf("wat2wasm: %v", err)
	}
	return wasm
}

func must(err error, what string) {
	if err != nil {
		failf("%s: %v", what, err)
	}
}

// mustGet is v, failing the case when err is set.
func mustGet[T any](v T, err error) func(what string) T {
	return func(what string) T { must(err, what); return v }
}

func (r *runner) defineImports(list []importSpec) {
	for _, imp := range list {
		var item orca.Extern
		var err error
		switch imp.Kind {
		case "instance":
			m, err := orca.NewModule(r.store.Engine(), r.moduleBytes("", imp.Wat, ""))
			must(err, "compile "+imp.Module)
			inst, err := r.linker.Instantiate(m)
			must(err, "instantiate "+imp.Module)
			must(r.linker.DefineInstance(imp.Module, inst), "define instance")
			continue
		case "func":
			ty := orca.FuncType{Params: kinds(imp.Params), Results: kinds(imp.Results)}
			if imp.Caller {
				must(r.linker.DefineFunc(imp.Module, imp.Name, r.typedHost(imp.Module+"."+imp.Name, ty, imp.Do)), "define "+imp.Name)
				continue
			}
			must(r.linker.DefineHostFunc(imp.Module, imp.Name, ty, r.host(imp.Module+"."+imp.Name, ty.Results, imp.Do)), "define "+imp.Name)
			continue
		case "global":
			item, err = orca.NewGlobal(r.store, orca.GlobalType{Kind: kindOf(imp.Type), Mutable: imp.Mutable}, r.value(imp.Value))
		case "memory":
			max := orca.NoMax
			if imp.Max != nil {
				max = *imp.Max
			}
			item, err = orca.NewMemory(r.store, orca.MemoryType{Min: imp.Min, Max: max})
		case "table":
			max := orca.NoMax
			if imp.Max != nil {
				max = *imp.Max
			}
			item, err = orca.NewTable(r.store, orca.TableType{Elem: kindOf(imp.Elem), Min: imp.Min, Max: max}, nil)
		default:
			failf("unknown import kind %s", imp.Kind)
		}
		must(err, "make "+imp.Name)
		must(r.linker.Define(imp.Module, imp.Name, item), "define "+imp.Name)
	}
}

func (r *runner) defineWasi(w *wasiSpec) {
	cfg := &orca.WasiConfig{Args: w.Args, CaptureStdout: true, CaptureStderr: true}
	for _, kv := range w.Env {
		cfg.Env = append(cfg.Env, orca.EnvVar{Name: kv[0], Value: kv[1]})
	}
	for _, p := range w.Preopens {
		cfg.Preopens = append(cfg.Preopens, orca.Preopen{HostPath: filepath.Join(r.suite, p.Host), GuestPath: p.Guest})
	}
	if w.Stdin != nil {
		cfg.Stdin = []byte(*w.Stdin)
	}
	env, err := r.linker.DefineWasi(cfg)
	must(err, "define wasi")
	r.wasi = env
}

// checkFailure checks a call's error (or recovered panic) against trap / error / exit.
func (r *runner) checkFailure(s step, err error, panicked any) {
	if s.Trap != nil && s.Trap.Panic {
		p, ok := panicked.(hostPanic)
		if !ok {
			failf("expected the host's panic to be re-raised, got panic %v, error %v", panicked, err)
		}
		if !strings.Contains(p.message, s.Trap.Message) {
			failf("panic value %q", p.message)
		}
		return
	}
	if panicked != nil {
		panic(panicked)
	}
	if err == nil {
		failf("expected a failure, call returned")
	}
	switch {
	case s.Exit != nil:
		var exit *orca.ExitError
		if !errors.As(err, &exit) {
			failf("expected exit, got %v", err)
		}
		if exit.Status != *s.Exit {
			failf("exit status %d", exit.Status)
		}
	case s.Error != nil:
		if !strings.Contains(err.Error(), *s.Error) {
			failf("error message: %v", err)
		}
	default:
		var trap *orca.Trap
		if !errors.As(err, &trap) {
			failf("not a trap: %v", err)
		}
		if !strings.Contains(trap.Message, s.Trap.Message) {
			failf("trap message: %s", trap.Message)
		}
		if s.Trap.Code != "" && trap.Code.String() != s.Trap.Code {
			failf("trap code %s (%s)", trap.Code.String(), trap.Message)
		}
		if s.Trap.Code != "" && !errors.Is(err, trap.Code) {
			failf("errors.Is does not see the trap code")
		}
		if s.Trap.FromHost && !errors.Is(err, r.hostErrs[s.Trap.Message]) {
			failf("errors.Is does not find the host's error in %v", err)
		}
		var trace []uint32
		var offsets []uint
		for _, f := range trap.Frames {
			trace = append(trace, f.FuncIndex)
			offsets = append(offsets, f.ModuleOffset)
		}
		if s.Trap.Trace != nil && fmt.Sprint(trace) != fmt.Sprint(s.Trap.Trace) {
			failf("trace %v, expected %v", trace, s.Trap.Trace)
		}
		if s.Trap.Offsets != nil && fmt.Sprint(offsets) != fmt.Sprint(s.Trap.Offsets) {
			failf("module offsets %v, expected %v", offsets, s.Trap.Offsets)
		}
	}
}

func (r *runner) callOnce(f *orca.Func, s step) {
	ty := mustGet(f.Type())("type")
	var results []any
	var err error
	var panicked any
	func() {
		defer func() { panicked = recover() }()
		if _, isFailure := panicked.(failure); isFailure {
			panic(panicked)
		}
		if s.Raw {
			if len(s.Args) != len(ty.Params) {
				failf("raw call: argument count")
			}
			slots := make([]orca.RawVal, max(len(ty.Params), len(ty.Results), 1))
			for i, a := range s.Args {
				v := r.value(a)
				switch ty.Params[i] {
				case orca.KindI32:
					slots[i].SetI32(v.(int32))
				case orca.KindI64:
					slots[i].SetI64(v.(int64))
				case orca.KindF32:
					slots[i].SetF32(v.(float32))
				case orca.KindF64:
					slots[i].SetF64(v.(float64))
				case orca.KindV128:
					slots[i].SetV128(v.(orca.V128))
				default:
					must(slots[i].SetRef(r.store, ty.Params[i], v), "raw ref")
				}
			}
			if err = f.CallRaw(slots); err == nil {
				for i, k := range ty.Results {
					switch k {
					case orca.KindI32:
						results = append(results, slots[i].I32())
					case orca.KindI64:
						results = append(results, slots[i].I64())
					case orca.KindF32:
						results = append(results, slots[i].F32())
					case orca.KindF64:
						results = append(results, slots[i].F64())
					case orca.KindV128:
						results = append(results, slots[i].V128())
					default:
						results = append(results, mustGet(slots[i].Ref(r.store, k))("reference result"))
					}
				}
			}
			return
		}
		args := make([]any, len(s.Args))
		for i, a := range s.Args {
			args[i] = r.value(a)
		}
		if s.InterruptAfterMs > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(s.InterruptAfterMs)*time.Millisecond)
			defer cancel()
			results, err = f.CallContext(ctx, args...)
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				failf("an interrupted call's error does not match the context's: %v", err)
			}
			return
		}
		results, err = f.Call(args...)
	}()
	if _, isFailure := panicked.(failure); isFailure {
		panic(panicked)
	}
	if s.Expect == nil {
		r.checkFailure(s, err, panicked)
		return
	}
	if panicked != nil {
		panic(panicked)
	}
	if err != nil {
		failf("unexpected failure: %v", err)
	}
	var want []string
	must(json.Unmarshal(s.Expect, &want), "expect")
	if len(want) != len(results) {
		failf("result count %d, expected %d", len(results), len(want))
	}
	for i := range want {
		r.check(fmt.Sprintf("result %d", i), want[i], results[i])
	}
}

func (r *runner) call(s step) {
	f := r.instance.Func(s.Func)
	if f == nil {
		failf("no function export %s", s.Func)
	}
	n := max(s.Repeat, 1)
	for i := 0; i < n; i++ {
		r.callOnce(f, s)
	}
}

func expectJSON(what string, got any, raw json.RawMessage) {
	g, _ := json.Marshal(got)
	var want any
	must(json.Unmarshal(raw, &want), what)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		failf("%s: got %s, expected %s", what, g, w)
	}
}

func expectEq[T comparable](what string, got, want T) {
	if got != want {
		failf("%s: got %v, expected %v", what, got, want)
	}
}

func (r *runner) instantiate() (*orca.Instance, error) { return r.linker.Instantiate(r.module) }

func (r *runner) step(s step) {
	switch s.Op {
	case "call":
		r.call(s)
	case "host.call":
		ty := orca.FuncType{Params: kinds(s.Params), Results: kinds(s.Results)}
		if s.Caller {
			r.callOnce(mustGet(orca.WrapFunc(r.store, r.typedHost("host", ty, s.Do)))("wrap"), s)
			break
		}
		r.callOnce(orca.NewFunc(r.store, ty, r.host("host", ty.Results, s.Do)), s)
	case "log":
		var want []string
		must(json.Unmarshal(s.Expect, &want), "expect")
		got := r.log
		r.log = nil
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			failf("log %q, expected %q", got, want)
		}
	case "exports":
		got := [][]string{}
		for _, e := range mustGet(r.module.Exports())("exports") {
			got = append(got, []string{e.Name, e.Kind.String()})
		}
		expectJSON("exports", got, s.Expect)
	case "imports":
		got := [][]string{}
		for _, e := range mustGet(r.module.Imports())("imports") {
			got = append(got, []string{e.Module, e.Name, e.Kind.String()})
		}
		expectJSON("imports", got, s.Expect)
	case "func.type":
		ty := mustGet(r.instance.Func(s.Func).Type())("type")
		names := func(ks []orca.ValKind) []string {
			out := []string{}
			for _, k := range ks {
				out = append(out, k.String())
			}
			return out
		}
		expectEq("params", fmt.Sprint(names(ty.Params)), fmt.Sprint(s.Params))
		expectEq("results", fmt.Sprint(names(ty.Results)), fmt.Sprint(s.Results))
	case "memory.read", "memory.write", "memory.size", "memory.data_size", "memory.grow", "memory.type":
		mem := r.instance.Memory(s.Export)
		if mem == nil {
			failf("no memory export %s", s.Export)
		}
		switch s.Op {
		case "memory.read":
			n := uint64(0)
			if s.Length != nil {
				n = *s.Length
			} else {
				n = uint64(len(*s.Hex) / 2)
			}
			b, err := mem.Read(s.Offset, n)
			expectEq("read allowed", err == nil, s.ok())
			if err == nil {
				expectEq("bytes", fmt.Sprintf("%x", b), *s.Hex)
			}
		case "memory.write":
			expectEq("write allowed", mem.Write(s.Offset, unhex(*s.Hex)) == nil, s.ok())
		case "memory.size":
			expectEq("pages", mustGet(mem.Size())("size"), s.Pages)
		case "memory.data_size":
			expectEq("bytes", mustGet(mem.DataSize())("data size"), s.Bytes)
			expectEq("view length", uint64(len(mustGet(mem.Data())("data"))), s.Bytes)
		case "memory.grow":
			expectEq("grow", mem.Grow(s.Delta) == nil, s.ok())
		case "memory.type":
			want := orca.NoMax
			if s.Max != nil {
				want = *s.Max
			}
			expectEq("type", mustGet(mem.Type())("type"), orca.MemoryType{Min: s.Min, Max: want})
		}
	case "global.get", "global.set", "global.type":
		g := r.instance.Global(s.Export)
		if g == nil {
			failf("no global export %s", s.Export)
		}
		switch s.Op {
		case "global.type":
			expectEq("type", mustGet(g.Type())("type"), orca.GlobalType{Kind: kindOf(s.Type), Mutable: s.Mutable})
		case "global.get":
			var want string
			must(json.Unmarshal(s.Expect, &want), "expect")
			r.check("global", want, mustGet(g.Get())("get"))
		case "global.set":
			var text string
			must(json.Unmarshal(s.Value, &text), "value")
			err := g.Set(r.value(text))
			expectEq("set allowed", err == nil, s.ok())
			if err != nil && !mustGet(g.Type())("type").Mutable && !errors.Is(err, orca.ErrImmutable) {
				failf("setting a const global: %v is not ErrImmutable", err)
			}
		}
	case "table.size", "table.get", "table.set", "table.grow", "table.type":
		t := r.instance.Table(s.Export)
		if t == nil {
			failf("no table export %s", s.Export)
		}
		switch s.Op {
		case "table.type":
			want := orca.NoMax
			if s.Max != nil {
				want = *s.Max
			}
			expectEq("type", mustGet(t.Type())("type"), orca.TableType{Elem: kindOf(s.Elem), Min: s.Min, Max: want})
		case "table.size":
			expectEq("size", mustGet(t.Size())("size"), s.Size)
		case "table.get":
			v, err := t.Get(s.Index)
			expectEq("get allowed", err == nil, s.ok())
			if err == nil {
				var want string
				must(json.Unmarshal(s.Expect, &want), "expect")
				r.check("element", want, v)
			}
		case "table.set":
			var text string
			must(json.Unmarshal(s.Value, &text), "value")
			expectEq("set allowed", t.Set(s.Index, r.value(text)) == nil, s.ok())
		case "table.grow":
			expectEq("grow allowed", t.Grow(s.Delta, r.value(s.Init)) == nil, s.ok())
		}
	case "serialize":
		again, err := orca.DeserializeModule(r.store.Engine(), mustGet(r.module.Serialize())("serialize"))
		must(err, "deserialize")
		inst, err := r.linker.Instantiate(again)
		must(err, "instantiate deserialized")
		r.module, r.instance = again, inst
	case "deserialize":
		var hex string
		if s.Hex != nil {
			hex = *s.Hex
		}
		_, err := orca.DeserializeModule(r.store.Engine(), unhex(hex))
		expectEq("deserialize", err == nil, s.ok())
		if s.Kind != "" {
			var e *orca.Error
			if !errors.As(err, &e) {
				failf("not an *orca.Error: %v", err)
			}
			expectEq("error kind", e.Kind.String(), s.Kind)
		}
	case "deadline":
		expectEq("deadline", r.store.SetDeadline(time.Duration(s.Ms)*time.Millisecond) == nil, s.ok())
	case "instances":
		for i := 0; i < s.Count; i++ {
			inst, err := r.instantiate()
			if !s.ok() {
				if err == nil {
					failf("instantiation past the limit succeeded")
				}
				continue
			}
			must(err, "instance")
			if s.Func != "" {
				saved := r.instance
				r.instance = inst
				func() {
					defer func() { r.instance = saved }()
					r.call(s)
				}()
			}
		}
	case "threads":
		r.threads(s)
	case "fuel.get":
		fuel, err := r.store.Fuel()
		must(err, "fuel")
		if !(float64(fuel) < s.Below && float64(fuel) > s.Above) {
			failf("fuel %d", fuel)
		}
	case "fuel.set":
		var v uint64
		must(json.Unmarshal(s.Value, &v), "value")
		expectEq("fuel.set", r.store.SetFuel(v) == nil, s.ok())
	case "interrupt":
		expectEq("interrupt", r.store.Interrupt() == nil, s.ok())
	case "stdout", "stderr":
		if r.wasi == nil {
			failf("no WASI in this case")
		}
		var want string
		must(json.Unmarshal(s.Expect, &want), "expect")
		got := mustGet(r.wasi.Stdout())("stdout")
		if s.Op == "stderr" {
			got = mustGet(r.wasi.Stderr())("stderr")
		}
		expectEq(s.Op, string(got), want)
	default:
		failf("unknown step %s", s.Op)
	}
}

// threads runs goroutines that share the engine and the module, each with its own store.
func (r *runner) threads(s step) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	for t := 0; t < s.Count; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := &runner{suite: r.suite, spec: r.spec, engine: r.engine, hostErrs: map[string]error{}}
			local.store = orca.NewStore(r.engine)
			defer local.store.Close()
			why := capture(func() {
				// The module is the engine's: every goroutine's store instantiates the same one.
				local.module = r.module
				local.linker = orca.NewLinker(local.store)
				var err error
				local.instance, err = local.instantiate()
				must(err, "instantiate")
				call := s
				call.Op = "call"
				for i := 0; i < s.Iterations; i++ {
					local.call(call)
				}
			})
			if why != "" {
				mu.Lock()
				problems = append(problems, why)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(problems) > 0 {
		failf("%d goroutines failed: %s", len(problems), problems[0])
	}
}

// capture runs f and returns the failure it raised, or "".
func capture(f func()) (why string) {
	defer func() {
		if p := recover(); p != nil {
			if fl, ok := p.(failure); ok {
				why = fl.why
				return
			}
			why = fmt.Sprint("panic: ", p)
		}
	}()
	f()
	return ""
}

func (r *runner) run() {
	spec := r.spec
	cfg := orca.Config{ConsumeFuel: spec.Config.ConsumeFuel, NoInterruption: !spec.Config.Interruptible,
		BoundsChecks: spec.Config.BoundsChecks, OptLevel: spec.Config.OptLevel}
	features := map[string]orca.Feature{"mutable_globals": orca.FeatureMutableGlobals,
		"saturating_float_to_int": orca.FeatureSaturatingFloatToInt, "sign_extension": orca.FeatureSignExtension,
		"multi_value": orca.FeatureMultiValue, "bulk_memory": orca.FeatureBulkMemory,
		"reference_types": orca.FeatureReferenceTypes, "simd": orca.FeatureSIMD, "threads": orca.FeatureThreads,
		"memory64": orca.FeatureMemory64, "tail_call": orca.FeatureTailCall, "exceptions": orca.FeatureExceptions,
		"gc": orca.FeatureGC}
	for name, on := range spec.Config.Features {
		f, ok := features[name]
		if !ok {
			failf("unknown feature %s", name)
		}
		if cfg.Features == nil {
			cfg.Features = map[orca.Feature]bool{}
		}
		cfg.Features[f] = on
	}
	engine, err := orca.NewEngineWithConfig(cfg)
	if want := spec.ConfigError; want != nil {
		var e *orca.Error
		if !errors.As(err, &e) {
			failf("expected a configuration error, got %v", err)
		}
		expectEq("error kind", e.Kind.String(), want.Kind)
		if !strings.Contains(e.Message, want.Message) {
			failf("error message: %s", e.Message)
		}
		return
	}
	must(err, "configuration")
	r.engine = engine
	r.store = orca.NewStore(r.engine)
	if spec.Fuel != nil {
		must(r.store.SetFuel(*spec.Fuel), "fuel")
	}
	if spec.Limits != nil {
		get := func(k string) int64 {
			if v, ok := spec.Limits[k]; ok {
				return v
			}
			return orca.NoLimit
		}
		must(r.store.SetLimits(orca.Limits{MemoryBytes: get("memory_bytes"), TableElements: get("table_elements"),
			Instances: get("instances"), Tables: get("tables"), Memories: get("memories")}), "limits")
	}
	module, err := orca.NewModule(r.store.Engine(), r.moduleBytes(spec.Module, spec.Wat, spec.WasmHex))
	if spec.CompileError != nil {
		var e *orca.Error
		if !errors.As(err, &e) {
			failf("expected a compile error, got %v", err)
		}
		expectEq("error kind", e.Kind.String(), spec.CompileError.Kind)
		if !errors.Is(err, e.Kind) || !strings.Contains(e.Message, spec.CompileError.Message) {
			failf("error: %v", err)
		}
		return
	}
	must(err, "compile")
	r.module = module
	r.linker = orca.NewLinker(r.store)
	if len(spec.Imports) > 0 {
		var list []importSpec
		var name string
		if json.Unmarshal(spec.Imports, &name) == nil {
			list = r.imports[name]
		} else {
			must(json.Unmarshal(spec.Imports, &list), "imports")
		}
		r.defineImports(list)
	}
	if spec.Wasi != nil {
		r.defineWasi(spec.Wasi)
	}
	r.instance, err = r.instantiate()
	if want := spec.InstantiateError; want != nil {
		var e *orca.Error
		if !errors.As(err, &e) {
			failf("expected an instantiation error, got %v", err)
		}
		expectEq("error kind", e.Kind.String(), want.Kind)
		if !strings.Contains(e.Message, want.Message) {
			failf("error message: %s", e.Message)
		}
		if want.Code != "" {
			var trap *orca.Trap
			if !errors.As(err, &trap) {
				failf("no trap behind %v", err)
			}
			expectEq("trap code", trap.Code.String(), want.Code)
		}
		return
	}
	must(err, "instantiate")
	for _, s := range spec.Steps {
		func() {
			defer func() {
				if p := recover(); p != nil {
					if f, ok := p.(failure); ok {
						target := s.Func
						if target == "" {
							target = s.Export
						}
						panic(failure{s.Op + " " + target + ": " + f.why})
					}
					panic(p)
				}
			}()
			r.step(s)
		}()
	}
}

func suiteDir(t testing.TB) string {
	if d := os.Getenv("ORCA_CONFORMANCE_DIR"); d != "" {
		return d
	}
	d, _ := filepath.Abs(filepath.Join("..", "tests", "conformance"))
	if _, err := os.Stat(filepath.Join(d, "cases")); err != nil {
		t.Skip("the conformance suite is not here (set ORCA_CONFORMANCE_DIR)")
	}
	return d
}

func TestConformance(t *testing.T) {
	suite := suiteDir(t)
	files, err := filepath.Glob(filepath.Join(suite, "cases", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s", suite)
	}
	sort.Strings(files)
	var imports map[string][]importSpec
	b, err := os.ReadFile(filepath.Join(suite, "imports.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &imports); err != nil {
		t.Fatal(err)
	}
	filter := os.Getenv("ORCA_CONFORMANCE_FILTER")
	passed, failed := 0, 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Cases []caseSpec }
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i := range doc.Cases {
			spec := &doc.Cases[i]
			if filter != "" && !strings.Contains(spec.Name, filter) {
				continue
			}
			r := &runner{suite: suite, spec: spec, hostErrs: map[string]error{}, imports: imports}
			why := capture(r.run)
			if r.store != nil {
				r.store.Close()
			}
			if r.engine != nil {
				r.engine.Close()
			}
			if why == "" {
				passed++
				fmt.Printf("ok %s\n", spec.Name)
			} else {
				failed++
				fmt.Printf("FAIL %s: %s\n", spec.Name, why)
				t.Errorf("%s: %s", spec.Name, why)
			}
		}
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
}
