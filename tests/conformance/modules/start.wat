;; A start function that traps: instantiation fails with the trap.
(module
  (func $start (unreachable))
  (start $start)
  (func (export "f") (result i32) (i32.const 1)))
