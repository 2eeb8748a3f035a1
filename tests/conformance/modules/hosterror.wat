;; A host function that fails, called through two wasm frames.
(module
  (import "env" "fail" (func $fail (param i32) (result i32)))
  (func $inner (param i32) (result i32) (call $fail (local.get 0)))
  (func (export "outer") (param i32) (result i32) (call $inner (local.get 0)))
  (func (export "ok") (result i32) (i32.const 7)))
