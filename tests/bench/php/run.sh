#!/usr/bin/env bash
# The PHP extension's benchmarks (docs/benchmarks.md, "PHP"): builds the extension from a clean
# copy of the sources against ORCA_DIR (php/make_extension.sh), then measures
# - call_bench.php: PHP calling wasm, wasm calling a PHP host function, plain PHP calls;
# - what a request pays for the extension: php-cgi -T runs an empty script as REQUESTS requests in
#   one process, with and without the extension (the difference is its per-request start and end,
#   chiefly evaluating the embedded orca.php), and prelude_bench.php times evaluating orca.php alone;
# - what a process pays to load it: hyperfine over php -r '' with and without the extension.
# php runs with -n (no php.ini, so no opcache). Needs php-cgi (Debian's php8.2-cgi) and hyperfine.
# Usage: tests/bench/php/run.sh ORCA_DIR [CALLS]   (ORCA_DIR holds lib/liborca.a)
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 ORCA_DIR [CALLS]" >&2
  exit 2
fi
for tool in php-cgi hyperfine; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install php8.2-cgi hyperfine)" >&2; exit 2; }
done
bench="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$bench/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
extension="$("$root/php/make_extension.sh" "$1" "$work" 2>/dev/null)"
calls="${2:-1000000}"
requests=5000

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
php -n -d extension="$extension" "$bench/call_bench.php" "$calls" 5

echo "== per request (php-cgi -T $requests of an empty script, 3 runs each)"
printf '<?php\n' >"$work/empty.php"
# php-cgi -T prints the time the requests took (not the process start) on standard error.
request_seconds() {
  php-cgi -n -q "$@" -T "$requests" "$work/empty.php" 2>&1 >/dev/null | sed -n 's/^Elapsed time: \([0-9.]*\) sec$/\1/p'
}
# A server runs with opcache; it caches scripts' compiled code, but never code given to eval.
for opcache in off on; do
  flags=()
  [ "$opcache" = on ] && flags=(-d zend_extension=opcache -d opcache.enable=1)
  for run in 1 2 3; do
    without="$(request_seconds "${flags[@]}")"
    with="$(request_seconds "${flags[@]}" -d extension="$extension")"
    awk -v a="$without" -v b="$with" -v n="$requests" -v o="$opcache" 'BEGIN { printf \
      "  opcache %s: without orca %.1f us a request, with %.1f us: the extension %.1f us\n", o, 1e6*a/n, 1e6*b/n, 1e6*(b-a)/n }'
  done
done
php -n "$bench/prelude_bench.php" "$root/php/lib/orca.php" 500

echo "== process start (hyperfine)"
hyperfine -N --warmup 3 --runs 30 --style basic "php -n -r ''" "php -n -d extension=$extension -r ''"
