--TEST--
Memory reads and writes strings, reports its size and grows; out-of-bounds access throws
--EXTENSIONS--
orca
--FILE--
<?php
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$instance = Orca\Instance::new($store, Orca\Module::fromWat($engine, '(module
  (memory (export "memory") 1 3)
  (data (i32.const 8) "wasm")
  (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u))'));
$memory = $instance->memory('memory');
var_dump($memory->read(8, 4));
$memory->write(100, "PHP\0!");
var_dump($instance->func('load')(102), $memory->read(100, 5) === "PHP\0!");
var_dump($memory->size(), $memory->dataSize(), $memory->grow(1), $memory->size());
foreach ([fn() => $memory->read(2 * 65536 - 2, 3), fn() => $memory->read(-1, 1),
          fn() => $memory->write(2 * 65536, 'x'), fn() => $memory->grow(2)] as $bad) {
    try {
        $bad();
        echo "no exception\n";
    } catch (Orca\Exception $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump(bin2hex($memory->read(2 * 65536 - 2, 2)), $memory->size());
?>
--EXPECT--
string(4) "wasm"
int(80)
bool(true)
int(1)
int(65536)
int(1)
int(2)
out of bounds memory access: 3 bytes at 131070
out of bounds memory access: 1 bytes at -1
out of bounds memory access: 1 bytes at 131072
the memory cannot grow by 2 pages
string(4) "0000"
int(2)
