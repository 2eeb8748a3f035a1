;; The start function ends the program with proc_exit(5) while the module is being instantiated.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $start (call $proc_exit (i32.const 5)))
  (start $start)
  (func (export "_start") unreachable)
)
