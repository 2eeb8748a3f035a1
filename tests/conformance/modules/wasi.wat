;; A WASI preview1 guest written by hand; each export is one scenario.
;; Memory: 0 counts, 16 iovec, 24 count written/read, 32 opened fd, 64 path, 1024 pointers,
;; 4096 string buffer, 32768 file buffer.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello.txt")
  (data (i32.const 128) "to stderr\n")

  ;; Writes len bytes at ptr to fd; returns the errno.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)))

  ;; Writes each of `count` NUL-terminated strings whose pointers start at 1024 as a line.
  (func $lines (param $count i32) (result i32) (local $i i32) (local $p i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $p (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $n (i32.const 0))
        (block $end
          (loop $scan
            (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $scan)))
        (i32.store8 (i32.add (local.get $p) (local.get $n)) (i32.const 10))
        (drop (call $write (i32.const 1) (local.get $p) (i32.add (local.get $n) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; Prints argv, one per line; returns the errno of args_get.
  (func (export "print_args") (result i32) (local $e i32)
    (local.set $e (call $args_sizes (i32.const 0) (i32.const 4)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $args_get (i32.const 1024) (i32.const 4096)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $lines (i32.load (i32.const 0))))

  ;; Returns argc.
  (func (export "argc") (result i32)
    (drop (call $args_sizes (i32.const 0) (i32.const 4)))
    (i32.load (i32.const 0)))

  ;; Prints the environment, NAME=VALUE per line.
  (func (export "print_env") (result i32) (local $e i32)
    (local.set $e (call $env_sizes (i32.const 0) (i32.const 4)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $env_get (i32.const 1024) (i32.const 4096)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $lines (i32.load (i32.const 0))))

  ;; Opens hello.txt in the first preopen (fd 3) and copies it to stdout; returns the errno.
  (func (export "cat_file") (result i32) (local $e i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 9)
                    (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 32)))
    (if (local.get $e) (then (return (local.get $e))))
    (i32.store (i32.const 16) (i32.const 32768))
    (i32.store (i32.const 20) (i32.const 16384))
    (local.set $e (call $fd_read (i32.load (i32.const 32)) (i32.const 16) (i32.const 1) (i32.const 24)))
    (if (local.get $e) (then (return (local.get $e))))
    (drop (call $fd_close (i32.load (i32.const 32))))
    (call $write (i32.const 1) (i32.const 32768) (i32.load (i32.const 24))))

  ;; Tries to open a path outside the preopen; returns the errno (76 notcapable, or 2 badf...).
  (func (export "escape") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 256) (i32.const 12)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 32)))
  (data (i32.const 256) "../etc/hosts")

  ;; Copies stdin to stdout (one read).
  (func (export "cat_stdin") (result i32) (local $e i32)
    (i32.store (i32.const 16) (i32.const 32768))
    (i32.store (i32.const 20) (i32.const 16384))
    (local.set $e (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $write (i32.const 1) (i32.const 32768) (i32.load (i32.const 24))))

  (func (export "to_stderr") (result i32) (call $write (i32.const 2) (i32.const 128) (i32.const 10)))

  (func (export "exit") (param i32) (call $proc_exit (local.get 0)))

  ;; Writes to stdout, then exits with status 0.
  (func (export "_start")
    (i32.store (i32.const 4096) (i32.const 0x0a6b6f))  ;; "ok\n"
    (drop (call $write (i32.const 1) (i32.const 4096) (i32.const 3)))
    (call $proc_exit (i32.const 0))))
