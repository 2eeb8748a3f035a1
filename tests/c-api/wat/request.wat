;; A request's module (tests/c-api/collect.c, tests/bench/store_requests.c): a memory it writes,
;; a table holding its own functions (a cycle through the instance), a global it counts in.
;; Exports in order: memory, table, calls, answer, run.
(module
  (memory (export "memory") 1)
  (table (export "table") 2 funcref)
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (elem (i32.const 0) $answer $run)
  (func $answer (export "answer") (result i32) i32.const 42)
  ;; Fills 8 KiB of memory with the byte `fill`; returns 42 (through the table) plus that byte.
  (func $run (export "run") (param $fill i32) (result i32)
    (memory.fill (i32.const 0) (local.get $fill) (i32.const 8192))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (call_indirect (result i32) (i32.const 0)) (i32.load8_u (i32.const 4096)))))
