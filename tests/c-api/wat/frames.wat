;; Backtraces with exact offsets (frames.c). Small functions called once, so that LLVM inlines
;; them at O2 and O3: $divide into $middle into "divide", $load into "load", $call_host into
;; "host". Function indices: 0 the import, then 1..7 in order.
(module
  (import "host" "fail" (func $fail))
  (memory 1)
  (func $divide (param i32) (result i32)
    (i32.div_s (i32.const 1) (local.get 0)))
  (func $middle (param i32) (result i32)
    (i32.add (i32.const 2) (call $divide (local.get 0))))
  (func (export "divide") (param i32) (result i32)
    (call $middle (local.get 0)))
  (func $load (param i32) (result i32)
    (i32.load offset=4 (local.get 0)))
  (func (export "load") (param i32) (result i32)
    (i32.add (call $load (local.get 0)) (i32.const 1)))
  (func $call_host
    (nop)
    (call $fail))
  (func (export "host")
    (call $call_host)))
