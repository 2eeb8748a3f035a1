(module
  (import "" "host" (func $host (param i32) (result i32)))
  (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "run") (param i32) (result i32) (call $host (local.get 0)))
  (func (export "boom") (unreachable)))
