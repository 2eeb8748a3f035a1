;; A library instance that other modules link against by name.
(module
  (memory (export "mem") 1)
  (global (export "counter") (mut i32) (i32.const 0))
  (func (export "bump") (result i32)
    (global.set 0 (i32.add (global.get 0) (i32.const 1))) (global.get 0))
  (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
