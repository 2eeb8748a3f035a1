--TEST--
Bytes that are not a module, invalid modules and bad text throw Orca\Exception with the error kind
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine();
$cases = [
    'garbage' => fn() => Orca\Module::fromBinary($engine, "not wasm"),
    'empty' => fn() => Orca\Module::fromBinary($engine, ''),
    'invalid' => fn() => Orca\Module::fromWat($engine, '(module (func (result i32) i64.const 1))'),
    'bad text' => fn() => Orca\Module::fromWat($engine, '(module (func'),
];
foreach ($cases as $name => $make) {
    try {
        $make();
        echo "$name: no error\n";
    } catch (Orca\Exception $e) {
        // Kinds are orca.h's orca_error_kind_enum: 0 malformed, 1 invalid.
        echo "$name: ", get_class($e), ' kind ', $e->getCode(), ' ', $e->getMessage() !== '' ? 'with message' : 'no message', "\n";
    }
}
?>
--EXPECT--
garbage: Orca\Exception kind 0 with message
empty: Orca\Exception kind 0 with message
invalid: Orca\Exception kind 1 with message
bad text: Orca\Exception kind 0 with message
