<?php
// Calls across the PHP/wasm boundary, in ns per call: PHP calling an exported function (through
// Orca\Func's __invoke and call(), and through the SWIG function under them), wasm calling a PHP
// host function from a loop inside wasm, and plain PHP calls for comparison. Each figure is
// measured ROUNDS times over CALLS calls; the script prints the median and the fastest round.
// The loop itself is included in every figure; the "empty loop" row says what it costs.
// Usage: php -d extension=orca.so call_bench.php [CALLS] [ROUNDS]  (tests/bench/php/run.sh runs it)
use Orca\Type;

$calls = (int) ($argv[1] ?? 1000000);
$rounds = (int) ($argv[2] ?? 5);

$engine = new Orca\Engine();
$store = new Orca\Store($engine);
$linker = new Orca\Linker($store);
$linker->defineFunc('env', 'add', [Type::I32, Type::I32], [Type::I32], fn(int $a, int $b): int => $a + $b);
$linker->defineFunc('env', 'nop', [], [], function (): void {
});
$instance = $linker->instantiate(Orca\Module::fromWat($engine, file_get_contents(__DIR__ . '/../call_bench.wat')));
$add = $instance->func('add');
$nop = $instance->func('nop');
$addLoop = $instance->func('add_loop');
$nopLoop = $instance->func('nop_loop');

/** Median and fastest of $rounds runs of $body($calls), in ns per call. */
function measure(string $name, int $calls, int $rounds, callable $body): void
{
    $perCall = [];
    for ($round = 0; $round < $rounds; ++$round) {
        $start = hrtime(true);
        $body($calls);
        $perCall[] = (hrtime(true) - $start) / $calls;
    }
    sort($perCall);
    printf("%-58s %8.1f ns median %8.1f ns fastest\n", $name, $perCall[intdiv($rounds, 2)], $perCall[0]);
}

function phpAdd(int $a, int $b): int
{
    return $a + $b;
}

// Each body checks one result, so a broken call cannot pass for a fast one.
$check = function (mixed $got, mixed $want, string $what): void {
    if ($got !== $want) {
        throw new RuntimeException("$what gave " . var_export($got, true) . ', not ' . var_export($want, true));
    }
};

echo "PHP ", PHP_VERSION, ", $calls calls a round, $rounds rounds\n";
echo "PHP -> wasm\n";
measure('  $add(2, 40)  (Func::__invoke, i32 add)', $calls, $rounds, function (int $n) use ($add, $check) {
    for ($i = 0; $i < $n; ++$i) {
        $r = $add(2, 40);
    }
    $check($r, 42, '$add(2, 40)');
});
measure('  $add->call(2, 40)', $calls, $rounds, function (int $n) use ($add, $check) {
    for ($i = 0; $i < $n; ++$i) {
        $r = $add->call(2, 40);
    }
    $check($r, 42, '$add->call(2, 40)');
});
measure('  $nop()  (no arguments, no results)', $calls, $rounds, function (int $n) use ($nop, $check) {
    for ($i = 0; $i < $n; ++$i) {
        $r = $nop();
    }
    $check($r, null, '$nop()');
});
// The SWIG layer under Func::call: what the Orca\ classes add is the difference.
$rawAdd = $add->raw();
$store = $add->store;
$rawStore = $store->raw();
[$params, $results] = [\orca_func_kinds($rawAdd, false), \orca_func_kinds($rawAdd, true)];
measure('  \\orca_php_func_call($raw, ..., [2, 40])  (SWIG layer)', $calls, $rounds,
    function (int $n) use ($rawAdd, $rawStore, $store, $params, $results, $check) {
    for ($i = 0; $i < $n; ++$i) {
        $r = \orca_php_func_call($rawAdd, $rawStore, $store, $params, $results, [2, 40]);
    }
    $check($r, 42, 'orca_php_func_call');
});

echo "wasm -> PHP (a loop in wasm calling a host function defined with defineFunc)\n";
measure('  env.add(i32, i32) -> i32, a closure fn($a, $b) => $a + $b', $calls, $rounds, function (int $n) use ($addLoop, $check) {
    // add_loop sums $n + ... + 1 in i32 arithmetic, which wraps.
    $sum = intdiv($n * ($n + 1), 2) & 0xFFFFFFFF;
    $check($addLoop($n), $sum >= 2 ** 31 ? $sum - 2 ** 32 : $sum, 'add_loop');
});
measure('  env.nop(), no arguments, no results', $calls, $rounds, function (int $n) use ($nopLoop, $check) {
    $check($nopLoop($n), null, 'nop_loop');
});

echo "PHP -> PHP, for comparison\n";
measure('  phpAdd(2, 40)  (a plain function)', $calls, $rounds, function (int $n) use ($check) {
    for ($i = 0; $i < $n; ++$i) {
        $r = phpAdd(2, 40);
    }
    $check($r, 42, 'phpAdd');
});
$closure = fn(int $a, int $b): int => $a + $b;
measure('  $closure(2, 40)', $calls, $rounds, function (int $n) use ($closure, $check) {
    for ($i = 0; $i < $n; ++$i) {
        $r = $closure(2, 40);
    }
    $check($r, 42, '$closure');
});
measure('  empty loop', $calls, $rounds, function (int $n) {
    for ($i = 0; $i < $n; ++$i) {
    }
});
