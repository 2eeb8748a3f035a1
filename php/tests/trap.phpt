--TEST--
A trap becomes Orca\Trap with the trap's code and the spec's message
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$instance = Orca\Instance::new($store, Orca\Module::fromWat($engine, '(module
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "boom") unreachable))'));
foreach ([fn() => $instance->func('div')(1, 0), fn() => $instance->func('boom')()] as $call) {
    try {
        $call();
        echo "no trap\n";
    } catch (Orca\Trap $trap) {
        var_dump($trap instanceof Orca\Exception, $trap->getCode(), $trap->getMessage());
    }
}
var_dump(Orca\Trap::INTEGER_DIVIDE_BY_ZERO, Orca\Trap::UNREACHABLE);
// The instance stays usable after a trap.
var_dump($instance->func('div')(7, 2));
?>
--EXPECT--
bool(true)
int(6)
string(22) "integer divide by zero"
bool(true)
int(0)
string(11) "unreachable"
int(6)
int(0)
int(3)
