<?php
// What defining the Orca\ classes costs: the extension evaluates php/lib/orca.php (compiled into
// it) at the start of every request. This compiles and runs that same source ROUNDS times in one
// process, each time under a namespace of its own (the classes of one request cannot be declared
// twice), and prints the time and Zend heap one evaluation takes. The end of a request, which
// frees the classes again, is not in this figure; run.sh's php-cgi figure includes it.
// Usage: php -n prelude_bench.php php/lib/orca.php [ROUNDS]  (tests/bench/php/run.sh runs it)
$source = preg_replace('/^<\?php\s*/', '', file_get_contents($argv[1]));
$rounds = (int) ($argv[2] ?? 500);
if (substr_count($source, "\nnamespace Orca;\n") !== 1) {
    fwrite(STDERR, "orca.php no longer has one 'namespace Orca;' line\n");
    exit(1);
}
$heap = memory_get_usage();
$start = hrtime(true);
for ($round = 0; $round < $rounds; ++$round) {
    eval(str_replace("\nnamespace Orca;\n", "\nnamespace OrcaPrelude$round;\n", $source));
}
$seconds = (hrtime(true) - $start) / 1e9;
if (!class_exists('OrcaPrelude' . ($rounds - 1) . '\\Store')) {
    fwrite(STDERR, "the evaluated source declared no Store class\n");
    exit(1);
}
printf("eval of orca.php (%d bytes): %.1f us and %.0f KB of Zend heap each, over %d rounds\n",
    strlen($source), 1e6 * $seconds / $rounds, (memory_get_usage() - $heap) / 1024 / $rounds, $rounds);
