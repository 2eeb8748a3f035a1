<?php
// A plugin in wasm calls back into PHP (a host function that reads the plugin's memory through
// its Orca\Caller), runs under a deadline, and its trap comes back as Orca\Trap.
//
//   php -d extension=orca examples/php/plugin.php        # prints three lines, see the end
use Orca\Type;

$engine = new Orca\Engine();
$module = Orca\Module::fromWat($engine, file_get_contents(__DIR__ . '/../plugin.wat'));

$store = new Orca\Store($engine);
$linker = new Orca\Linker($store);
$linker->defineFunc('host', 'log', [Type::I32, Type::I32], [],
    function (Orca\Caller $caller, int $ptr, int $len): void {
        echo 'plugin says: ', $caller->memory()->read($ptr, $len), "\n";
    });
$plugin = $linker->instantiate($module);
$plugin->func('run')();

// A guest that never returns is stopped by the store's deadline.
$store->setDeadline(0.1);
try {
    $plugin->func('spin')();
} catch (Orca\Trap $trap) {
    echo 'stopped: ', $trap->getMessage(), ' (', $trap->getCode() === Orca\Trap::INTERRUPTED ? 'INTERRUPTED' : 'other', ")\n";
}
$store->setDeadline(0);
$store->close();
echo "done\n";
// Output:
// plugin says: hello from the plugin
// stopped: interrupted (INTERRUPTED)
// done
