--TEST--
PHP's max_execution_time stops a guest that loops: the call is interrupted and PHP reports its time limit
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine(cache: false);
$store = new Orca\Store($engine);
$spin = Orca\Instance::new($store, Orca\Module::fromWat($engine, '(module (func (export "spin") (loop (br 0))))'))
    ->func('spin');
register_shutdown_function(function () {
    echo "shutdown runs\n";
});
// The limit counts CPU time (ITIMER_PROF): a wasm loop spends it as PHP code would. It starts
// after the compile, which under valgrind (php/valgrind.sh) alone takes longer than a second.
set_time_limit(1);
$spin();
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Maximum execution time of 1 second exceeded in %s on line %d
shutdown runs
