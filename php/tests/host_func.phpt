--TEST--
A PHP callable defined with Linker::defineFunc is called from wasm with converted values
--EXTENSIONS--
orca
--FILE--
<?php
use Orca\Type;
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$linker = new Orca\Linker($store);
$linker->defineFunc('env', 'add', [Type::I32, Type::I32], [Type::I32], fn(int $a, int $b) => $a + $b);
$linker->defineFunc('env', 'mix', [Type::I64, Type::F32, Type::F64], [Type::F64, Type::I64],
    fn(int $a, float $b, float $c) => [$b + $c, $a - 1]);
$seen = [];
$linker->defineFunc('env', 'log', [Type::I32], [], function (int $x) use (&$seen) { $seen[] = $x; });
$instance = $linker->instantiate(Orca\Module::fromWat($engine, '(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "mix" (func $mix (param i64 f32 f64) (result f64 i64)))
  (import "env" "log" (func $log (param i32)))
  (func (export "run") (param i32) (result i32)
    (call $log (local.get 0))
    (call $add (local.get 0) (i32.const 40)))
  (func (export "mix") (param i64 f32 f64) (result f64 i64)
    (call $mix (local.get 0) (local.get 1) (local.get 2))))'));
var_dump($instance->func('run')(2));
var_dump($instance->func('run')(-5));
var_dump($seen);
var_dump($instance->func('mix')(PHP_INT_MIN + 1, 0.5, 0.25));
?>
--EXPECT--
int(42)
int(35)
array(2) {
  [0]=>
  int(2)
  [1]=>
  int(-5)
}
array(2) {
  [0]=>
  float(0.75)
  [1]=>
  int(-9223372036854775808)
}
