(module
  (import "host" "log" (func (param i32 i64)))
  (import "host" "limit" (global (mut i32)))
  (import "host" "tab" (table 1 funcref))
  (import "host" "mem" (memory 1 2))
  (func (export "func") (param i32 f64 f32) (result i32) (unreachable))
  (global (export "global") f64 (f64.const 0))
  (table (export "table") 0 50 externref)
  (export "memory" (memory 0)))
