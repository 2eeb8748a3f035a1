;; One import and one export of every kind.
(module
  (import "host" "f" (func $f (param i32) (result i32)))
  (import "host" "g" (global $g i32))
  (import "host" "mem" (memory 1 2))
  (import "host" "tab" (table 2 funcref))
  (func (export "call_f") (param i32) (result i32) (call $f (local.get 0)))
  (export "g" (global $g))
  (global (export "own_global") (mut i64) (i64.const 7))
  (export "mem" (memory 0))
  (export "tab" (table 0)))
