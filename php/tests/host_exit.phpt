--TEST--
exit() inside a host function ends the script: it is not turned into a catchable Orca\Trap
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine(cache: false);
$linker = new Orca\Linker(new Orca\Store($engine));
$linker->defineFunc('env', 'f', [], [], function () {
    echo "host: exiting\n";
    exit(0); // status 0: php/valgrind.sh also runs this test and counts a non-zero status as a failure
});
$instance = $linker->instantiate(Orca\Module::fromWat($engine,
    '(module (import "env" "f" (func $f)) (func (export "run") (call $f)))'));
register_shutdown_function(fn() => print("shutdown runs\n"));
try {
    $instance->func('run')();
} catch (Throwable $t) {
    echo 'caught: ', get_class($t), ': ', $t->getMessage(), "\n";
}
echo "continued\n";
?>
--EXPECT--
host: exiting
shutdown runs
