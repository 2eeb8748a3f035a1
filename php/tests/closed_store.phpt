--TEST--
Every object of a closed store throws Orca\Exception instead of touching freed memory
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$linker = new Orca\Linker($store);
$linker->defineWasi();
$instance = $linker->instantiate(Orca\Module::fromWat($engine,
    '(module (memory (export "memory") 1) (func (export "f") (result i32) i32.const 7))'));
$f = $instance->func('f');
$memory = $instance->memory();
var_dump($f());
$store->close();
var_dump($store->isClosed());
$uses = [
    'call' => fn() => $f(),
    'read' => fn() => $memory->read(0, 4),
    'write' => fn() => $memory->write(0, 'x'),
    'size' => fn() => $memory->size(),
    'grow' => fn() => $memory->grow(1),
    'export' => fn() => $instance->func('f'),
    'stdout' => fn() => $linker->stdout(),
    'fuel' => fn() => $store->getFuel(),
    'new linker' => fn() => new Orca\Linker($store),
];
foreach ($uses as $name => $use) {
    try {
        $use();
        echo "$name: no exception\n";
    } catch (Orca\Exception $e) {
        echo "$name: ", $e->getMessage(), "\n";
    }
}
// Dropping the objects afterwards (and the engine first) frees nothing twice.
unset($engine, $f, $memory, $instance, $linker, $store);
echo "done\n";
?>
--EXPECT--
int(7)
bool(true)
call: the store is closed
read: the store is closed
write: the store is closed
size: the store is closed
grow: the store is closed
export: the store is closed
stdout: the store is closed
fuel: the store is closed
new linker: the store is closed
done
