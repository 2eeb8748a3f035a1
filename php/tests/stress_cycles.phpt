--TEST--
10,000 store/linker/instantiate/call/drop cycles with a PHP host function, WASI and traps keep resident memory flat
--EXTENSIONS--
orca
--FILE--
<?php
// Each cycle makes a store, a linker with WASI and a PHP host function, instantiates a module,
// calls into it (wasm calls the host function and WASI's fd_write) and drops everything. Every
// 100th cycle ends in a trap instead: alternately wasm's `unreachable` and an exception thrown
// by the host function, both caught as Orca\Trap. A leak of a store, an instance, a callable, a
// captured output buffer or a held exception shows as growing memory.
//
// php/valgrind.sh runs this same code (the text between FILE and EXPECT) with fewer cycles:
// ORCA_STRESS_CYCLES and ORCA_STRESS_WARMUP set the counts, and ORCA_STRESS_CHECK_RSS=0 turns the
// resident-memory check off there, because under valgrind the process's RSS is valgrind's own.
use Orca\Type;

$cycles = (int) (getenv('ORCA_STRESS_CYCLES') ?: 10000);
$warmup = (int) (getenv('ORCA_STRESS_WARMUP') ?: 500);
$checkRss = getenv('ORCA_STRESS_CHECK_RSS') !== '0';

$engine = new Orca\Engine();
$module = Orca\Module::fromWat($engine, '(module
  (import "env" "triple" (func $triple (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "ok\n")
  (func (export "run") (param i32) (result i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.add (call $triple (local.get 0)) (i32.const 1)))
  (func (export "boom") unreachable))');

/** Resident pages of this process (the second field of /proc/self/statm). */
function residentPages(): int
{
    return (int) explode(' ', file_get_contents('/proc/self/statm'))[1];
}

/** One cycle; returns what went wrong, or null. */
function cycle(Orca\Engine $engine, Orca\Module $module, int $i): ?string
{
    $store = new Orca\Store($engine);
    $linker = new Orca\Linker($store);
    $linker->defineWasi(['stress']);
    $linker->defineFunc('env', 'triple', [Type::I32], [Type::I32], function (int $x) use ($i): int {
        if ($x < 0) {
            throw new RuntimeException("cycle $i: no triple of $x");
        }
        return 3 * $x;
    });
    $instance = $linker->instantiate($module);
    try {
        if ($i % 100 === 0) {
            $instance->func('boom')();
            return 'boom returned';
        }
        if ($i % 100 === 50) {
            $instance->func('run')(-1);
            return 'run(-1) returned';
        }
        $result = $instance->func('run')($i);
        if ($result !== 3 * $i + 1 || $linker->stdout() !== "ok\n") {
            return "run($i) gave " . var_export($result, true) . ' and wrote ' . var_export($linker->stdout(), true);
        }
        return null;
    } catch (Orca\Trap $trap) {
        $expected = $i % 100 === 0 ? Orca\Trap::UNREACHABLE : Orca\Trap::HOST_ERROR;
        $previous = $trap->getPrevious();
        $previousOk = $i % 100 === 0 ? $previous === null
            : $previous instanceof RuntimeException && $previous->getMessage() === "cycle $i: no triple of -1";
        return $trap->getCode() === $expected && $previousOk ? null
            : "cycle $i: unexpected trap {$trap->getCode()} {$trap->getMessage()}";
    }
}

$failures = [];
$afterWarmup = null;
$start = hrtime(true);
for ($i = 1; $i <= $cycles; ++$i) {
    if (($problem = cycle($engine, $module, $i)) !== null) {
        $failures[] = $problem;
    }
    if ($i === $warmup) {
        $afterWarmup = [residentPages(), memory_get_usage()];
    }
}
$end = [residentPages(), memory_get_usage()];
$seconds = (hrtime(true) - $start) / 1e9;

echo "cycles: $cycles, failures: ", count($failures), "\n";
foreach (array_slice($failures, 0, 5) as $problem) {
    echo "  $problem\n";
}
// Resident memory at the end within 10% of its value after the warm-up. The Zend heap (PHP
// values: callables, exceptions, wrappers) must not grow by more than 64 KiB, a few bytes a cycle.
[$rssWarm, $heapWarm] = $afterWarmup;
[$rssEnd, $heapEnd] = $end;
$figures = sprintf('RSS after %d cycles %d pages, at the end %d pages (%+.1f%%); Zend heap %d -> %d bytes; %.1f s',
    $warmup, $rssWarm, $rssEnd, 100 * ($rssEnd - $rssWarm) / $rssWarm, $heapWarm, $heapEnd, $seconds);
$rssFlat = !$checkRss || $rssEnd <= $rssWarm * 1.10;
$heapFlat = $heapEnd - $heapWarm <= 65536;
echo $rssFlat && $heapFlat ? "memory flat\n" : "memory grew: $figures\n";
if (getenv('ORCA_STRESS_VERBOSE')) {
    fwrite(STDERR, "$figures\n");
}
?>
--EXPECT--
cycles: 10000, failures: 0
memory flat
