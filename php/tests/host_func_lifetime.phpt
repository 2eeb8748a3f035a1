--TEST--
The store keeps a host function's callable until it is closed, then releases it; calls after close throw
--EXTENSIONS--
orca
--FILE--
<?php
use Orca\Type;
final class Witness
{
    public function __destruct() { echo "callable released\n"; }
}
$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$linker = new Orca\Linker($store);
$witness = new Witness();
$linker->defineFunc('env', 'seven', [], [Type::I32], function () use ($witness) { return 7; });
// Only the store holds the callable (and through it the witness) from here.
unset($witness);
gc_collect_cycles();
$f = $linker->instantiate(Orca\Module::fromWat($engine, '(module
  (import "env" "seven" (func $seven (result i32)))
  (func (export "f") (result i32) (call $seven)))'))->func('f');
var_dump($f());
echo "closing\n";
$store->close();
foreach ([fn() => $f(), fn() => $linker->defineFunc('env', 'other', [], [], fn() => null)] as $use) {
    try {
        $use();
        echo "no exception\n";
    } catch (Orca\Exception $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
unset($f, $linker, $store, $engine);
echo "done\n";
?>
--EXPECT--
int(7)
closing
callable released
Orca\Exception: the store is closed
Orca\Exception: the store is closed
done
