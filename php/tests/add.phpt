--TEST--
A function exported by a module made from text adds two i32 values, called with call() and __invoke
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$module = Orca\Module::fromWat($engine, '(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "pair") (param i64 f64) (result f64 i64) local.get 1 local.get 0))');
$instance = Orca\Instance::new($store, $module);
$add = $instance->func('add');
var_dump($add(2, 40));
var_dump($add->call(-1, 1));
var_dump($add(0x7fffffff, 1));
var_dump($instance->func('pair')(PHP_INT_MAX, 1.5));
var_dump($instance->export('missing'));
try {
    $add(1);
} catch (Orca\Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $add(1, 2.5);
} catch (TypeError $e) {
    echo get_class($e), "\n";
}
?>
--EXPECT--
int(42)
int(0)
int(-2147483648)
array(2) {
  [0]=>
  float(1.5)
  [1]=>
  int(9223372036854775807)
}
NULL
Orca\Exception: expected 2 arguments, got 1
TypeError
