--TEST--
A WASI command's standard output is captured by the linker; a missing import is an Orca\LinkError
--EXTENSIONS--
orca
--FILE--
<?php
$wat = '(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello, world!\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 14))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "quit") (call $proc_exit (i32.const 3))))';
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$module = Orca\Module::fromWat($engine, $wat);
$linker = new Orca\Linker($store);
$linker->defineWasi(['hello']);
$instance = $linker->instantiate($module);
$instance->func('_start')();
var_dump($linker->stdout(), $linker->stderr());
try {
    $instance->func('quit')();
} catch (Orca\Exit $exit) {
    var_dump($exit instanceof Orca\Exception, $exit->getStatus());
}
try {
    (new Orca\Linker($store))->instantiate($module);
} catch (Orca\LinkError $e) {
    var_dump(str_contains($e->getMessage(), 'fd_write'));
}
?>
--EXPECT--
string(14) "Hello, world!
"
string(0) ""
bool(true)
int(3)
bool(true)
