--TEST--
Two processes each run store/instantiate/call/trap/drop cycles while deadlines interrupt spinning guests; resident memory stays flat
--EXTENSIONS--
orca
--FILE--
<?php
// PHP has no threads, so the two runners are processes: this script again, started by proc_open
// with the orca.so this process loaded (pcntl_fork would do too, but valgrind's forked children
// trap "call stack exhausted" at once, and php/valgrind.sh runs every test). The third party that
// interrupts is the store's deadline, whose timer is Orca's own thread: every 50th cycle a guest
// loops until a 1 ms deadline stops it with Trap::INTERRUPTED. Each cycle also calls through a
// PHP host function and traps on a division by zero, in one process while the other runs. Each
// child checks every result and prints its report (failures, its resident memory after the
// warm-up and at the end) as JSON; the parent checks the memory (within 10%).
//
// ORCA_STRESS_CYCLES: cycles per process (2,000 by default; CI's stress run sets 10000);
// ORCA_STRESS_WARMUP and ORCA_STRESS_CHECK_RSS=0 as in stress_cycles.phpt (php/valgrind.sh).
use Orca\Type;

$cycles = (int) (getenv('ORCA_STRESS_CYCLES') ?: 2000);
$warmup = (int) (getenv('ORCA_STRESS_WARMUP') ?: 500);
$checkRss = getenv('ORCA_STRESS_CHECK_RSS') !== '0';
const SPIN_EVERY = 50;

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
    $linker->defineFunc('env', 'twice', [Type::I32], [Type::I32], fn(int $x): int => 2 * $x);
    $instance = $linker->instantiate($module);
    $result = $instance->func('run')($i);
    if ($result !== 2 * $i + 1) {
        return "run($i) gave " . var_export($result, true);
    }
    try {
        $instance->func('div')($i, 0);
        return "div($i, 0) returned";
    } catch (Orca\Trap $trap) {
        if ($trap->getCode() !== Orca\Trap::INTEGER_DIVIDE_BY_ZERO) {
            return "div($i, 0): trap {$trap->getCode()} {$trap->getMessage()}";
        }
    }
    if ($i % SPIN_EVERY === 0) {
        $store->setDeadline(0.001);
        try {
            $instance->func('spin')();
            return 'spin returned';
        } catch (Orca\Trap $trap) {
            if ($trap->getCode() !== Orca\Trap::INTERRUPTED) {
                return "spin: trap {$trap->getCode()} {$trap->getMessage()}";
            }
        }
    }
    return null;
}

/** A child's work: the cycles, then its report (failures, interruptions, memory) as JSON. */
function runCycles(int $cycles, int $warmup): array
{
    $engine = new Orca\Engine();
    $module = Orca\Module::fromWat($engine, '(module
      (import "env" "twice" (func $twice (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) local.get 0 call $twice i32.const 1 i32.add)
      (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
      (func (export "spin") (loop br 0)))');
    $failures = [];
    $rssWarm = null;
    $start = hrtime(true);
    for ($i = 1; $i <= $warmup + $cycles; ++$i) {
        if (($problem = cycle($engine, $module, $i)) !== null) {
            $failures[] = $problem;
        }
        if ($i === $warmup) {
            $rssWarm = residentPages();
        }
    }
    return ['failures' => $failures, 'spins' => intdiv($warmup + $cycles, SPIN_EVERY), 'rssWarm' => $rssWarm,
        'rssEnd' => residentPages(), 'seconds' => (hrtime(true) - $start) / 1e9];
}

if (($argv[1] ?? '') === 'child') {
    try {
        echo json_encode(runCycles($cycles, $warmup));
    } catch (Throwable $e) {
        echo json_encode(['failures' => [get_class($e) . ': ' . $e->getMessage()]]);
    }
    exit(0);
}

// The children load the same extension: the orca.so mapped into this process.
preg_match('~ (/\S*/orca\.so)$~m', file_get_contents('/proc/self/maps'), $match);
if (!$match) {
    exit("no orca.so in /proc/self/maps\n");
}
$children = $outputs = [];
for ($p = 0; $p < 2; ++$p) {
    $children[] = proc_open([PHP_BINARY, '-n', '-d', "extension=$match[1]", __FILE__, 'child'],
        [1 => ['pipe', 'w']], $pipes);
    $outputs[] = $pipes[1];
}

echo "processes: 2, cycles: $cycles\n";
foreach ($children as $p => $child) {
    $report = json_decode(stream_get_contents($outputs[$p]), true);
    fclose($outputs[$p]);
    $exit = proc_close($child);
    if (!is_array($report) || !isset($report['rssEnd'])) {
        echo "process $p: exit $exit, no report: ", json_encode($report['failures'] ?? $report), "\n";
        continue;
    }
    ['failures' => $failures, 'spins' => $spins, 'rssWarm' => $rssWarm, 'rssEnd' => $rssEnd] = $report;
    $figures = sprintf('%d spins interrupted; RSS after %d cycles %d pages, at the end %d pages (%+.1f%%); %.1f s',
        $spins, $warmup, $rssWarm, $rssEnd, 100 * ($rssEnd - $rssWarm) / $rssWarm, $report['seconds']);
    $rssFlat = !$checkRss || $rssEnd <= $rssWarm * 1.10;
    echo "process $p: exit $exit, failures: ", count($failures), ', ', $rssFlat ? 'memory flat' : "memory grew: $figures", "\n";
    foreach (array_slice($failures, 0, 5) as $problem) {
        echo "  $problem\n";
    }
    if (getenv('ORCA_STRESS_VERBOSE')) {
        fwrite(STDERR, "process $p: $figures\n");
    }
}
?>
--EXPECTF--
processes: 2, cycles: %d
process 0: exit 0, failures: 0, memory flat
process 1: exit 0, failures: 0, memory flat
