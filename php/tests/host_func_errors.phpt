--TEST--
A host function's exception becomes Orca\Trap with it as getPrevious(); a wrong result type is a Trap with a TypeError
--EXTENSIONS--
orca
--FILE--
<?php
use Orca\Type;
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$linker = new Orca\Linker($store);
$linker->defineFunc('env', 'fail', [], [Type::I32], fn() => throw new RuntimeException('no answer'));
$linker->defineFunc('env', 'text', [], [Type::I32], fn() => 'forty-two');
$linker->defineFunc('env', 'pair', [], [Type::I32, Type::I32], fn() => [1]);
$instance = $linker->instantiate(Orca\Module::fromWat($engine, '(module
  (import "env" "fail" (func $fail (result i32)))
  (import "env" "text" (func $text (result i32)))
  (import "env" "pair" (func $pair (result i32 i32)))
  (func (export "fail") (result i32) (call $fail))
  (func (export "text") (result i32) (call $text))
  (func (export "pair") (result i32) (call $pair) (i32.add)))'));
foreach (['fail', 'text', 'pair'] as $name) {
    try {
        $instance->func($name)();
        echo "$name: no trap\n";
    } catch (Orca\Trap $trap) {
        $previous = $trap->getPrevious();
        echo "$name: ", $trap->getMessage(), "\n";
        echo "  code HOST_ERROR: ", var_export($trap->getCode() === Orca\Trap::HOST_ERROR, true), "\n";
        echo "  previous: ", get_class($previous), ': ', $previous->getMessage(), "\n";
    }
}
// A trap from a host function leaves the instance usable, and nothing is left over for the next trap.
try {
    $instance->func('fail')();
} catch (Orca\Trap $trap) {
    var_dump($trap->getPrevious() instanceof RuntimeException, $trap->getPrevious()->getPrevious());
}
// A start function calling a throwing host function makes instantiate throw the same way.
try {
    $linker->instantiate(Orca\Module::fromWat($engine, '(module
      (import "env" "fail" (func $fail (result i32)))
      (func $start (drop (call $fail))) (start $start))'));
    echo "start: no trap\n";
} catch (Orca\Trap $trap) {
    echo "start: ", $trap->getMessage(), ' / ', get_class($trap->getPrevious()), "\n";
}
try {
    $linker->defineFunc('env', 'bad', ['i32'], [], fn() => null);
} catch (TypeError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
?>
--EXPECT--
fail: RuntimeException: no answer
  code HOST_ERROR: true
  previous: RuntimeException: no answer
text: TypeError: type mismatch: result 1 must be an i32 (int from -2147483648 to 4294967295), string given
  code HOST_ERROR: true
  previous: TypeError: type mismatch: result 1 must be an i32 (int from -2147483648 to 4294967295), string given
pair: TypeError: a host function with 2 results must return an array of 2 values, array given
  code HOST_ERROR: true
  previous: TypeError: a host function with 2 results must return an array of 2 values, array given
bool(true)
NULL
start: RuntimeException: no answer / RuntimeException
TypeError: types must be Orca\Type cases
