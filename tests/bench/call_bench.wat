;; The module of the PHP and Ruby call benchmarks (tests/bench/php/call_bench.php,
;; tests/bench/ruby/call_bench.rb): exports called from the host, and loops inside wasm that call
;; the host's env.add and env.nop.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "nop" (func $nop))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "nop"))
  (func (export "add_loop") (param $n i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (call $add (local.get $sum) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum))
  (func (export "nop_loop") (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $nop)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))))
