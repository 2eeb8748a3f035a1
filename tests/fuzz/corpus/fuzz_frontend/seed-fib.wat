;; A small module: exported recursive and iterative Fibonacci, a memory and a global.
(module
  (memory (export "memory") 1)
  (global $calls (export "calls") (mut i64) (i64.const 0))

  (func $fib_recursive (export "fib_recursive") (param $n i32) (result i64)
    (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else
        (i64.add
          (call $fib_recursive (i32.sub (local.get $n) (i32.const 1)))
          (call $fib_recursive (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "fib") (param $n i32) (result i64)
    (local $a i64) (local $b i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))
)
