--TEST--
Globals, tables, a host function with Orca\Caller, Orca\Val, reference values, trap frames, serialize, WASI configuration
--EXTENSIONS--
orca
--FILE--
<?php
use Orca\Type;

$engine = new Orca\Engine(cache: false);
$store = new Orca\Store($engine);
$module = Orca\Module::fromWat($engine, '(module
  (import "env" "g" (global $g (mut i64)))
  (import "env" "peek" (func $peek (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\2a")
  (global (export "count") (mut i32) (i32.const 7))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $get_g)
  (func $get_g (export "get_g") (result i64) global.get $g)
  (func (export "peek8") (result i32) (call $peek (i32.const 8)))
  (func (export "id_ext") (param externref) (result externref) local.get 0)
  (func $inner (unreachable))
  (func (export "outer") (call $inner)))');
var_dump(array_map(fn($i) => "$i->module.$i->name:" . $i->kind->value, $module->imports()));

$linker = new Orca\Linker($store);
$g = Orca\Global::new($store, Type::I64, true, 1 << 40);
$linker->define('env', 'g', $g);
$linker->defineFunc('env', 'peek', [Type::I32], [Type::I32],
    function (Orca\Caller $caller, int $ptr) { return ord($caller->memory()->read($ptr, 1)); });
$instance = $linker->instantiate($module);

// Globals: host-made (imported) and exported, typed values, const and type errors.
var_dump($instance->func('get_g')() === 1 << 40);
$g->set(5);
var_dump($instance->func('get_g')(), $g->type()->mutable, $g->type()->content === Type::I64);
$count = $instance->global('count');
$count->set(Orca\Val::i32(9));
var_dump($count->get());
try {
    $count->set(Orca\Val::i64(1));
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
var_dump($count->get());

// The caller's memory, from inside the host function.
var_dump($instance->func('peek8')());

// Tables: funcref elements are Orca\Func; out of bounds is an exception; grow returns the old size.
$table = $instance->table('table');
var_dump($table->size(), $table->get(0)->same($instance->func('get_g')), $table->get(1));
$table->set(1, $instance->func('peek8'));
var_dump($table->get(1)(), $table->grow(3), $table->size());
try {
    $table->get(5);
} catch (Orca\Exception $e) {
    echo $e->getMessage(), "\n";
}

// Externrefs: the very PHP value comes back.
$object = new stdClass();
var_dump($instance->func('id_ext')($object) === $object, $instance->func('id_ext')(null));

// Trap frames, innermost first: function indices count the imported function (peek is 0).
try {
    $instance->func('outer')();
} catch (Orca\Trap $trap) {
    var_dump($trap->getKind(), array_map(fn(Orca\Frame $f) => $f->funcIndex, $trap->getFrames()));
}

// A serialized module loads again and runs.
$again = Orca\Module::deserialize($engine, $module->serialize());
var_dump(count($again->exports()));
try {
    Orca\Module::deserialize($engine, 'not an artifact');
} catch (Orca\Exception $e) {
    var_dump($e->getKind());
}

// WASI: environment, stdin and a preopened directory.
$dir = sys_get_temp_dir() . '/orca-phpt-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/f.txt", 'file');
$wasi = new Orca\Linker($store);
$wasi->defineWasi(['prog', 'a'], ['K' => 'V'], ['/data' => $dir], "in");
$cat = Orca\Module::fromWat($engine, '(module
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "env_count") (result i32) (drop (call $sizes (i32.const 0) (i32.const 4))) (i32.load (i32.const 0)))
  (func (export "stdin") (result i32)
    (i32.store (i32.const 16) (i32.const 64)) (i32.store (i32.const 20) (i32.const 8))
    (drop (call $read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.load (i32.const 24))))');
$guest = $wasi->instantiate($cat);
var_dump($guest->func('env_count')(), $guest->func('stdin')(), $guest->memory()->read(64, 2));
unlink("$dir/f.txt");
rmdir($dir);
?>
--EXPECT--
array(2) {
  [0]=>
  string(12) "env.g:global"
  [1]=>
  string(13) "env.peek:func"
}
bool(true)
int(5)
bool(true)
bool(true)
int(9)
type mismatch: value 1 must be i32, Orca\Val of i64 given
int(9)
int(42)
int(2)
bool(true)
NULL
int(42)
int(2)
int(5)
out of bounds table access: index 5, size 5
bool(true)
NULL
string(4) "trap"
array(2) {
  [0]=>
  int(4)
  [1]=>
  int(5)
}
int(7)
string(9) "malformed"
int(1)
int(2)
string(2) "in"
