--TEST--
Engine limits refuse a module naming the limit, lifting one accepts it; lazy compilation runs and traps
--EXTENSIONS--
orca
--FILE--
<?php
$manyLocals = '(module (func (export "f") (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32) i32.const 3))';
$strict = new Orca\Engine(cache: false, limits: ['locals' => 4]);
var_dump($strict->limits['locals']);
try {
    Orca\Module::fromWat($strict, $manyLocals);
    echo "accepted over the limit\n";
} catch (Orca\Exception $e) {
    echo $e->getKind(), ': ', $e->getMessage(), "\n";
}
$lifted = new Orca\Engine(cache: false, limits: ['locals' => null]);
var_dump($lifted->limits['locals']);
var_dump(Orca\Instance::new(new Orca\Store($lifted), Orca\Module::fromWat($lifted, $manyLocals))->func('f')());
$defaults = new Orca\Engine(cache: false);
var_dump($defaults->limits['locals'], $defaults->limits['module_bytes'], array_keys($defaults->limits) === array_keys(Orca\Engine::LIMITS));
foreach ([['local' => 4], ['locals' => -1], ['locals' => '4']] as $limits) {
    try {
        new Orca\Engine(cache: false, limits: $limits);
        echo "accepted\n";
    } catch (ValueError $e) {
        echo 'ValueError: ', $e->getMessage(), "\n";
    }
}

$lazy = new Orca\Engine(cache: false, compile: 'lazy');
$instance = Orca\Instance::new(new Orca\Store($lazy), Orca\Module::fromWat($lazy, '(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "trap") unreachable))'));
var_dump($instance->func('fib')(20));
try {
    $instance->func('trap')();
    echo "no trap\n";
} catch (Orca\Trap $e) {
    var_dump($e->getCode() === Orca\Trap::UNREACHABLE);
}
try {
    new Orca\Engine(compile: 'jit');
    echo "accepted\n";
} catch (ValueError $e) {
    echo 'ValueError: ', $e->getMessage(), "\n";
}
?>
--EXPECTF--
int(4)
unsupported: limit locals exceeded: %s
NULL
int(3)
int(50000)
int(1073741824)
bool(true)
ValueError: unknown limit "local" (known: module_bytes, types, functions, imports, exports, globals, tables, data_segments, params, results, function_body_bytes, locals, nesting_depth, br_table_targets)
ValueError: the limit "locals" is null (none) or an int from 0
ValueError: the limit "locals" is null (none) or an int from 0
int(6765)
bool(true)
ValueError: the compile strategy is "eager" or "lazy", not "jit"
