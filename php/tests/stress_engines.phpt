--TEST--
200 cycles that each make an engine and compile a module, then instantiate, call and drop, keep resident memory flat
--EXTENSIONS--
orca
--FILE--
<?php
// stress_cycles.phpt keeps one engine and module; this makes both anew in every cycle, so what
// an engine and its compiled code hold (the JIT, code and data pages) must go when they are
// dropped. Every 10th cycle the host function throws, caught as Orca\Trap. Compiling takes tens
// of milliseconds, hence 200 cycles. php/valgrind.sh runs it with ORCA_STRESS_CYCLES=10 and
// without the resident-memory check (ORCA_STRESS_CHECK_RSS=0), as for stress_cycles.phpt.
$cycles = (int) (getenv('ORCA_STRESS_CYCLES') ?: 200);
$warmup = (int) (getenv('ORCA_STRESS_WARMUP') ?: 40);
$checkRss = getenv('ORCA_STRESS_CHECK_RSS') !== '0';

function engineCycle(int $i): ?string
{
    $engine = new Orca\Engine();
    $module = Orca\Module::fromWat($engine, '(module
      (import "env" "next" (func $next (param i64) (result i64)))
      (func (export "run") (param i64) (result i64) (call $next (local.get 0))))');
    $linker = new Orca\Linker(new Orca\Store($engine));
    $linker->defineWasi();
    $linker->defineFunc('env', 'next', [Orca\Type::I64], [Orca\Type::I64],
        fn(int $x): int => $x % 10 === 0 ? throw new LengthException("cycle $x") : $x + 1);
    try {
        $result = $linker->instantiate($module)->func('run')($i);
        return $i % 10 !== 0 && $result === $i + 1 ? null : "run($i) gave " . var_export($result, true);
    } catch (Orca\Trap $trap) {
        return $i % 10 === 0 && $trap->getPrevious() instanceof LengthException ? null
            : "cycle $i: unexpected trap {$trap->getMessage()}";
    }
}

$failures = [];
for ($i = 1; $i <= $cycles; ++$i) {
    if (($problem = engineCycle($i)) !== null) {
        $failures[] = $problem;
    }
    if ($i === $warmup) {
        $afterWarmup = [(int) explode(' ', file_get_contents('/proc/self/statm'))[1], memory_get_usage()];
    }
}
$end = [(int) explode(' ', file_get_contents('/proc/self/statm'))[1], memory_get_usage()];
echo "cycles: $cycles, failures: ", count($failures), "\n", implode('', array_map(fn($f) => "  $f\n", array_slice($failures, 0, 5)));
// Resident pages within 10% of their number after the warm-up; the Zend heap within 64 KiB.
$rssFlat = !$checkRss || $end[0] <= $afterWarmup[0] * 1.10;
$heapFlat = $end[1] - $afterWarmup[1] <= 65536;
echo $rssFlat && $heapFlat ? "memory flat\n"
    : "memory grew: resident pages $afterWarmup[0] -> $end[0], Zend heap $afterWarmup[1] -> $end[1] bytes\n";
?>
--EXPECT--
cycles: 200, failures: 0
memory flat
