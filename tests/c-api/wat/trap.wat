(module
  (func $callback (import "" "callback") (result i32))
  (func (export "callback") (result i32) (call $callback))
  (func (export "unreachable") (result i32) (unreachable))
  (func $inner (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "divide") (param i32 i32) (result i32) (call $inner (local.get 0) (local.get 1)))
  (func $deep (export "deep") (param i32) (result i32)
    (i32.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))
