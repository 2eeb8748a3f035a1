--TEST--
One store, 20,000 requests each with its own instance: closed or dropped instances are collected, one kept through an importer stays usable
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine(cache: false);
$store = new Orca\Store($engine);
$request = Orca\Module::fromWat($engine, '(module (memory (export "memory") 1)
  (func (export "handle") (param i32) (result i32)
    (i32.store (i32.const 0) (local.get 0))
    (i32.add (i32.load (i32.const 0)) (i32.const 1))))');

// Half the requests close their instance, half only drop it: both let the store free it.
// (php/valgrind.sh runs fewer through ORCA_STRESS_CYCLES.)
$requests = (int) (getenv('ORCA_STRESS_CYCLES') ?: 20000);
$highest = 0;
$wrong = 0;
for ($i = 0; $i < $requests; ++$i) {
    $instance = Orca\Instance::new($store, $request);
    $wrong += $instance->func('handle')($i) !== $i + 1;
    if ($i % 2 === 0) {
        $instance->close();
    }
    unset($instance);
    $highest = max($highest, $store->instanceCount());
}
$store->collect();
var_dump($wrong, $store->instanceCount(), $highest < 100);

// Exports of a closed instance throw; what a read copied stays.
$instance = Orca\Instance::new($store, $request);
$handle = $instance->func('handle');
$memory = $instance->memory();
$handle(41);
$bytes = $memory->read(0, 4);
$instance->close();
$instance->close();
var_dump($instance->isClosed(), $store->collect());
foreach (['call' => fn() => $handle(1), 'read' => fn() => $memory->read(0, 4), 'export' => fn() => $instance->func('handle')] as $name => $use) {
    try {
        $use();
        echo "$name: no exception\n";
    } catch (Orca\Exception $e) {
        echo "$name: ", $e->getMessage(), "\n";
    }
}
var_dump(unpack('V', $bytes)[1]);

// An instance whose function another imports stays while the importer lives.
$counter = Orca\Instance::new($store, Orca\Module::fromWat($engine, '(module (global $n (mut i32) (i32.const 0))
  (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))'));
$linker = new Orca\Linker($store);
$linker->define('counter', 'next', $counter->func('next'));
$user = $linker->instantiate(Orca\Module::fromWat($engine, '(module (import "counter" "next" (func $next (result i32)))
  (func (export "twice") (result i32) (drop (call $next)) (call $next)))'));
unset($linker);
$counter->close();
var_dump($store->collect(), $store->instanceCount(), $user->func('twice')(), $user->func('twice')());
$user->close();
var_dump($store->collect());

// A host function may close its own instance: the running call keeps what it uses.
$linker = new Orca\Linker($store);
$self = null;
$linker->defineFunc('host', 'done', [], [], function () use (&$self, $store) {
    $self->close();
    echo 'collected during the call: ', $store->collect(), "\n";
});
$self = $linker->instantiate(Orca\Module::fromWat($engine, '(module (import "host" "done" (func $done))
  (func (export "run") (result i32) (call $done) (i32.const 7)))'));
$run = $self->func('run');
var_dump($run());
try {
    $run();
} catch (Orca\Exception $e) {
    echo 'after close: ', $e->getMessage(), "\n";
}
unset($linker, $run);
var_dump($store->collect());
$store->close();
try {
    $store->collect();
} catch (Orca\Exception $e) {
    echo 'closed store: ', $e->getMessage(), "\n";
}
?>
--EXPECT--
int(0)
int(0)
bool(true)
bool(true)
int(1)
call: the instance is closed
read: the instance is closed
export: the instance is closed
int(41)
int(0)
int(2)
int(2)
int(4)
int(2)
collected during the call: 0
int(7)
after close: the instance is closed
int(1)
closed store: the store is closed
