;; A guest whose host functions take a caller ("caller": true in imports.json's "caller" set):
;; they reach this instance's memory and exports through it. "lib" is a second instance that
;; calls env.print too, with its own memory, so a case can tell whose memory the host read.
(module
  (import "env" "print" (func $print (param i32 i32)))
  (import "env" "poke" (func $poke (param i32)))
  (import "env" "fail" (func $fail (param i32) (result i32)))
  (import "env" "boom" (func $boom (param i32) (result i32)))
  (import "env" "several" (func $several (param i32) (result i32 i64 f32 f64)))
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (import "env" "echo_ext" (func $echo_ext (param externref) (result externref)))
  (import "lib" "run" (func $lib_run))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, caller")
  (data (i32.const 64) "from main")
  (func (export "print") (call $print (i32.const 16) (i32.const 13)))
  (func (export "poke_and_load") (param i32) (result i32) (call $poke (local.get 0)) (i32.load (local.get 0)))
  (func (export "fail") (param i32) (result i32) (call $fail (local.get 0)))
  (func (export "boom") (param i32) (result i32) (call $boom (local.get 0)))
  (func (export "several") (param i32) (result i32 i64 f32 f64) (call $several (local.get 0)))
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "twice") (param i32) (result i32) (call $twice (local.get 0)))
  (func (export "echo_ext") (param externref) (result externref) (call $echo_ext (local.get 0)))
  (func (export "run_lib") (call $lib_run)))
