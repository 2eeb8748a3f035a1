package orca

// Host functions of the most common shapes skip reflection: reflect.Value.Call and boxing each
// argument cost more than the cgo callback itself (BenchmarkHostCallWrapped, docs/benchmarks.md).
// directCall returns, for fn of one of these exact types, a function over the raw slots; nil for
// any other type (named types included), which WrapFunc then calls by reflection. Both give the
// same results: TestWrapFuncDirectShapes compares them.
func directCall(fn any) func(c *Caller, args, results []RawVal) error {
	switch f := fn.(type) {
	case func():
		return func(_ *Caller, _, _ []RawVal) error { f(); return nil }
	case func(int32):
		return func(_ *Caller, a, _ []RawVal) error { f(a[0].I32()); return nil }
	case func(int32) int32:
		return func(_ *Caller, a, r []RawVal) error { r[0].SetI32(f(a[0].I32())); return nil }
	case func(int32, int32):
		return func(_ *Caller, a, _ []RawVal) error { f(a[0].I32(), a[1].I32()); return nil }
	case func(int32, int32) int32:
		return func(_ *Caller, a, r []RawVal) error { r[0].SetI32(f(a[0].I32(), a[1].I32())); return nil }
	case func(int64) int64:
		return func(_ *Caller, a, r []RawVal) error { r[0].SetI64(f(a[0].I64())); return nil }
	case func(int64, int64) int64:
		return func(_ *Caller, a, r []RawVal) error { r[0].SetI64(f(a[0].I64(), a[1].I64())); return nil }
	case func(float64) float64:
		return func(_ *Caller, a, r []RawVal) error { r[0].SetF64(f(a[0].F64())); return nil }
	case func(float64, float64) float64:
		return func(_ *Caller, a, r []RawVal) error { r[0].SetF64(f(a[0].F64(), a[1].F64())); return nil }
	case func(*Caller) error:
		return func(c *Caller, _, _ []RawVal) error { return f(c) }
	case func(*Caller, int32) error:
		return func(c *Caller, a, _ []RawVal) error { return f(c, a[0].I32()) }
	case func(*Caller, int32) (int32, error):
		return func(c *Caller, a, r []RawVal) error {
			x, err := f(c, a[0].I32())
			r[0].SetI32(x)
			return err
		}
	case func(*Caller, int32, int32) error:
		return func(c *Caller, a, _ []RawVal) error { return f(c, a[0].I32(), a[1].I32()) }
	case func(*Caller, int32, int32) (int32, error):
		return func(c *Caller, a, r []RawVal) error {
			x, err := f(c, a[0].I32(), a[1].I32())
			r[0].SetI32(x)
			return err
		}
	}
	return nil
}
