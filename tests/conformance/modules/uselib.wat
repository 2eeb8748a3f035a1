;; Links against lib.wat registered as "lib".
(module
  (import "lib" "twice" (func $twice (param i32) (result i32)))
  (import "lib" "bump" (func $bump (result i32)))
  (import "lib" "mem" (memory 1))
  (import "lib" "counter" (global (mut i32)))
  (func (export "quad") (param i32) (result i32) (call $twice (call $twice (local.get 0))))
  (func (export "bump") (result i32) (call $bump))
  (func (export "counter") (result i32) (global.get 0))
  (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))
