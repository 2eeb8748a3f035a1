--TEST--
A fatal error inside a host function ends the script as PHP's fatal errors do, after the guest has unwound
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine(cache: false);
$linker = new Orca\Linker(new Orca\Store($engine));
// E_USER_ERROR is fatal: PHP leaves by its bailout (a longjmp), as for the memory or time limit.
// (Not the memory limit itself: php/valgrind.sh runs this with USE_ZEND_ALLOC=0, which has none.)
$linker->defineFunc('env', 'grow', [], [], function () {
    trigger_error('the host gave up', E_USER_ERROR);
});
$instance = $linker->instantiate(Orca\Module::fromWat($engine,
    '(module (import "env" "grow" (func $grow)) (func (export "run") (call $grow))
       (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))'));
// The guest unwound normally, so the store still works afterwards, traps included.
register_shutdown_function(function () use ($instance) {
    echo "shutdown runs: ", $instance->func('div')(84, 2), "\n";
    try {
        $instance->func('div')(1, 0);
    } catch (Orca\Trap $trap) {
        echo "trap: ", $trap->getMessage(), "\n";
    }
});
try {
    $instance->func('run')();
} catch (Throwable $t) {
    echo 'caught: ', get_class($t), "\n";
}
echo "not reached\n";
?>
--EXPECTF--
Fatal error: the host gave up in %s on line %d
shutdown runs: 42
trap: integer divide by zero
