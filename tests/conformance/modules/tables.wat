;; A funcref table of 2 to 5 elements with one function in slot 0, and an externref table.
(module
  (type $ii (func (param i32) (result i32)))
  (table $t (export "tab") 2 5 funcref)
  (table $e (export "ext") 1 externref)
  (func $inc (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (export "dbl") (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (elem (table $t) (i32.const 0) func $inc)
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
  (func (export "size") (result i32) (table.size $t))
  (func (export "get_ext") (param i32) (result externref) (table.get $e (local.get 0))))
