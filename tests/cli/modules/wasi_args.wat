;; Prints its arguments, then its environment, one per line (args_get / environ_get write
;; NUL-terminated strings one after another; the NULs become newlines).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  ;; Writes `len` bytes at `buf` to stdout after turning every NUL into a newline.
  (func $print_strings (param $buf i32) (param $len i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $buf) (local.get $i))))
          (then (i32.store8 (i32.add (local.get $buf) (local.get $i)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 0) (local.get $buf))
    (i32.store (i32.const 4) (local.get $len))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)) (then unreachable)))

  (func (export "_start")
    ;; counts at 16 and 20; pointers from 1024; strings from 8192
    (if (call $args_sizes_get (i32.const 16) (i32.const 20)) (then unreachable))
    (if (call $args_get (i32.const 1024) (i32.const 8192)) (then unreachable))
    (call $print_strings (i32.const 8192) (i32.load (i32.const 20)))
    (if (call $environ_sizes_get (i32.const 16) (i32.const 20)) (then unreachable))
    (if (call $environ_get (i32.const 1024) (i32.const 8192)) (then unreachable))
    (call $print_strings (i32.const 8192) (i32.load (i32.const 20))))
)
