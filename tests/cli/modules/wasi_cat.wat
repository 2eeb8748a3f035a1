;; Prints the name of its first preopened directory (fd 3), then the file "data.txt" in it.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "data.txt")
  (data (i32.const 120) "\n")

  ;; Writes `len` bytes at `buf` to stdout.
  (func $write (param $buf i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $buf))
    (i32.store (i32.const 4) (local.get $len))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)) (then unreachable)))

  (func (export "_start")
    ;; prestat at 32: tag (u8), then the name's length (u32) at 36
    (if (call $fd_prestat_get (i32.const 3) (i32.const 32)) (then (call $proc_exit (i32.const 10))))
    (if (call $fd_prestat_dir_name (i32.const 3) (i32.const 200) (i32.load (i32.const 36)))
      (then (call $proc_exit (i32.const 11))))
    (call $write (i32.const 200) (i32.load (i32.const 36)))
    (call $write (i32.const 120) (i32.const 1))
    ;; path_open(dirfd 3, lookup flags 0, "data.txt", oflags 0, rights fd_read (2), inheriting 0,
    ;; fdflags 0, opened fd at 40)
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 8) (i32.const 0)
                         (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 40))
      (then (call $proc_exit (i32.const 12))))
    ;; read up to 1024 bytes to 1024
    (i32.store (i32.const 48) (i32.const 1024))
    (i32.store (i32.const 52) (i32.const 1024))
    (if (call $fd_read (i32.load (i32.const 40)) (i32.const 48) (i32.const 1) (i32.const 56))
      (then (call $proc_exit (i32.const 13))))
    (call $write (i32.const 1024) (i32.load (i32.const 56))))
)
