;; host -> wasm -> host -> wasm -> host: "run" calls env.callback, which calls back into "inner",
;; which calls env.add; "deep" does the same but traps in the innermost wasm.
(module
  (import "env" "callback" (func $callback (param i32) (result i32)))
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "callback_trap" (func $callback_trap (param i32) (result i32)))
  (func (export "run") (param i32) (result i32) (i32.mul (call $callback (local.get 0)) (i32.const 10)))
  (func (export "inner") (param i32) (result i32) (call $add (local.get 0) (i32.const 100)))
  (func (export "deep") (param i32) (result i32) (call $callback_trap (local.get 0)))
  (func (export "inner_trap") (param i32) (result i32) (unreachable)))
