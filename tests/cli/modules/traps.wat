;; Guests that fail: a trap three frames deep, endless recursion, an endless loop, a division.
;; The calls to $outer and $inner go through the table, so that no frame is inlined away.
(module
  (type $v (func))
  (table funcref (elem $inner $outer))
  (func $inner (unreachable))
  (func $outer (call_indirect (type $v) (i32.const 0)))
  (func (export "crash") (call_indirect (type $v) (i32.const 1)))
  (func $recurse (export "recurse") (call $recurse))
  (func (export "spin") (loop (br 0)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
)
