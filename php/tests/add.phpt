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
} catch (ArgumentCountError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
foreach ([[1, 2.5], [1, 1 << 32], [1, -(1 << 31) - 1]] as $args) {
    try {
        $add(...$args);
    } catch (TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
var_dump($add(0xffffffff, 0), $add(-(1 << 31), 0));
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
ArgumentCountError: type mismatch: the function takes 2 arguments, 1 given
TypeError: type mismatch: argument 2 must be an i32 (int from -2147483648 to 4294967295), float given
TypeError: type mismatch: argument 2 must be an i32 (int from -2147483648 to 4294967295), int given
TypeError: type mismatch: argument 2 must be an i32 (int from -2147483648 to 4294967295), int given
int(-1)
int(-2147483648)
