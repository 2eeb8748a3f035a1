;; "Hello, world!" as a WASI command: `orca run examples/wasi/hello.wat`.
;; _start writes the string to standard output (fd 1) with fd_write and returns, which ends the
;; program with status 0.
(module
  ;; fd_write(fd, iovs, iovs_len, nwritten) -> errno
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  ;; The text at offset 16; the one iovec (base, length) at offset 0; nwritten at offset 8.
  (data (i32.const 16) "Hello, world!\n")

  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))  ;; iov.base
    (i32.store (i32.const 4) (i32.const 14))  ;; iov.len
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable)))                      ;; a non-zero errno: stop with a trap
)
