--TEST--
Fuel stops a guest with Trap::OUT_OF_FUEL, a deadline with Trap::INTERRUPTED (engines are interruptible by default); without the switches both are errors
--EXTENSIONS--
orca
--FILE--
<?php
$loop = '(module (func (export "spin") (loop (br 0))))';
$engine = new Orca\Engine(consumeFuel: true);
$store = new Orca\Store($engine);
$store->setFuel(10000);
var_dump($store->getFuel());
try {
    Orca\Instance::new($store, Orca\Module::fromWat($engine, $loop))->func('spin')();
} catch (Orca\Trap $trap) {
    var_dump($trap->getCode() === Orca\Trap::OUT_OF_FUEL, $store->getFuel());
}

$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$spin = Orca\Instance::new($store, Orca\Module::fromWat($engine, $loop))->func('spin');
$store->setDeadline(0.05);
$start = microtime(true);
try {
    $spin();
} catch (Orca\Trap $trap) {
    var_dump($trap->getCode() === Orca\Trap::INTERRUPTED, microtime(true) - $start < 5);
}

// An engine without the switches says so instead of ignoring the request.
$store = new Orca\Store(new Orca\Engine(interruptible: false));
foreach ([fn() => $store->setFuel(1), fn() => $store->setDeadline(1), fn() => $store->interrupt()] as $request) {
    try {
        $request();
        echo "accepted\n";
    } catch (Orca\Exception $e) {
        var_dump($e->getCode(), $e->getKind()); // ORCA_ERROR_UNSUPPORTED
    }
}
?>
--EXPECT--
int(10000)
bool(true)
int(0)
bool(true)
bool(true)
int(7)
string(11) "unsupported"
int(7)
string(11) "unsupported"
int(7)
string(11) "unsupported"
