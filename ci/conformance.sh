#!/usr/bin/env bash
# Runs the shared conformance suite (tests/conformance) in C and in every binding that exists,
# checks that each ran the same list of cases, and ends with one line per language:
#
#   c: 132 passed, 0 failed
#   go: 132 passed, 0 failed
#   php: 132 passed, 0 failed
#   ruby: 132 passed, 0 failed
#   java: 132 passed, 0 failed
#
# Go's line comes from the package as users get it (ci/go-fresh-module.sh: the module proxy files
# with the static liborca, `go get` into a new module, its test binary runs the suite); it also
# runs go vet and the package's tests under the race detector against the installed liborca
# (build tag orca_dynamic), and the benchmark against wazero once (tests/bench/go). PHP's line
# comes from the extension built from a clean copy against the static liborca (php/build.sh, which
# also runs its .phpt tests), loaded with `php -n -d extension=...`; Ruby's from the gem's extension built against the same
# installed liborca.a (ruby/build.sh); Java's from the jar built against it (its JUnit tests run
# in java/build.sh). Each binding's examples run too, checked against the output they show. Exits
# non-zero on any failure.
#
#   ci/conformance.sh [BUILD_DIR]     # default: $ORCA_BUILD_DIR or build/ (what ci/test.sh made)
#
# It builds what is missing (liborca, the C runner) in BUILD_DIR and installs liborca into
# BUILD_DIR/prefix for pkg-config. Go's caches stay outside the repository (Go's defaults).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-${ORCA_BUILD_DIR:-$root/build}}"
mkdir -p "$build"
build="$(cd "$build" && pwd)"
jobs="${ORCA_JOBS:-$(nproc)}"
logs="$build/conformance"
mkdir -p "$logs"
status=0

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_BUILD_TYPE="${ORCA_BUILD_TYPE:-RelWithDebInfo}" >"$logs/configure.log" 2>&1 || {
    tail -n 20 "$logs/configure.log"; echo "conformance: configure failed"; exit 1; }
fi
if ! cmake --build "$build" -j "$jobs" --target orca_shared orca_static conformance_c >"$logs/build.log" 2>&1; then
  tail -n 40 "$logs/build.log"
  echo "conformance: build failed"
  exit 1
fi
prefix="$build/prefix"
cmake -DCMAKE_INSTALL_PREFIX="$prefix" -P "$build/c-api/cmake_install.cmake" >"$logs/install.log" 2>&1 || {
  cat "$logs/install.log"; echo "conformance: install failed"; exit 1; }

suite="$root/tests/conformance"
# The cases a runner reports: "ok NAME" / "FAIL NAME: why" (names are group/name).
cases_of() { grep -E '^(ok|FAIL) [a-z0-9-]+/' "$1" | sed -E 's/^(ok|FAIL) ([^:]*).*/\2/'; }

# runner_result LANG EXIT_STATUS: checks the runner's log ($logs/LANG.txt): its failures, its last
# line (N passed, 0 failed), and that it ran the same cases as C; adds "LANG: <last line>".
runner_result() {
  local lang="$1" exit_status="$2" log="$logs/$1.txt" line
  grep '^FAIL ' "$log"
  line="$(tail -n 1 "$log")"
  if [ "$exit_status" -ne 0 ] || ! [[ "$line" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then
    tail -n 20 "$log"; status=1
  fi
  cases_of "$log" | sort >"$logs/$lang.cases"
  if ! diff -u "$logs/c.cases" "$logs/$lang.cases" >"$logs/$lang.diff"; then
    echo "conformance: $lang ran other cases than c:"; head -n 20 "$logs/$lang.diff"; status=1
  fi
  lines+=("$lang: $line")
}

# check_example LANG FILE COMMENT COMMAND...: runs an example and compares what it prints with
# the lines after "COMMENT Output:" at the end of FILE.
check_example() {
  local lang="$1" example="$2" comment="$3" want got
  shift 3
  want="$(sed -n "/^$comment Output:\$/,\$p" "$example" | tail -n +2 | sed "s|^$comment ||")"
  got="$("$@" 2>&1)"
  if [ -n "$want" ] && [ "$got" = "$want" ]; then echo "$lang example $(basename "$example"): ok"
  else echo "$lang example $(basename "$example"): FAILED"; diff <(echo "$want") <(echo "$got") | head -n 20; status=1; fi
}

"$build/bin/conformance_c" "$suite" >"$logs/c.txt" 2>&1
c_status=$?
grep '^FAIL ' "$logs/c.txt"
c_line="$(tail -n 1 "$logs/c.txt")"
if [ "$c_status" -ne 0 ] || ! [[ "$c_line" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then status=1; fi
cases_of "$logs/c.txt" | sort >"$logs/c.cases"
lines=("c: $c_line")

if [ -f "$root/go/go.mod" ]; then
  if command -v go >/dev/null; then
    # The package as users get it: built from the module proxy files with the static liborca
    # inside; its test binary runs the package's tests and the conformance suite.
    if ! "$root/ci/go-fresh-module.sh" "$build" "$logs"; then echo "go get (fresh module): FAILED"; status=1; fi
    grep '^FAIL [a-z0-9-]*/' "$logs/go.txt"
    go_line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/go.txt" | tail -n 1)"
    [ -n "$go_line" ] || { tail -n 30 "$logs/go.txt"; go_line="did not finish"; }
    if ! [[ "$go_line" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then status=1; fi
    cases_of "$logs/go.txt" | sort >"$logs/go.cases"
    if ! diff -u "$logs/c.cases" "$logs/go.cases" >"$logs/go.diff"; then
      echo "conformance: go ran other cases than c:"; head -n 20 "$logs/go.diff"; status=1
    fi
    # The repository's package against the installed liborca (build tag orca_dynamic, pkg-config):
    # vet, and the tests under the race detector.
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    if (cd "$root/go" && go vet -tags orca_dynamic ./...) >"$logs/go-vet.txt" 2>&1; then echo "go vet: clean"
    else cat "$logs/go-vet.txt"; echo "go vet: FAILED"; status=1; fi
    if (cd "$root/go" && ORCA_CONFORMANCE_DIR="$suite" go test -count=1 -race -tags orca_dynamic .) >"$logs/go-race.txt" 2>&1
    then echo "go test -race: ok"
    else tail -n 40 "$logs/go-race.txt"; echo "go test -race: FAILED"; status=1; fi
    # The wazero comparison (its own module): vetted, its same-results test, each benchmark once.
    if (cd "$root/tests/bench/go" && go vet -tags orca_dynamic ./... &&
        go test -count=1 -tags orca_dynamic -bench . -benchtime 1x .) >"$logs/go-bench.txt" 2>&1
    then echo "go bench vs wazero: ok"
    else tail -n 40 "$logs/go-bench.txt"; echo "go bench vs wazero: FAILED"; status=1; fi
    lines+=("go: $go_line")
  else
    lines+=("go: not run (no go command)")
    status=1
  fi
fi

if [ -f "$root/php/config.m4" ]; then
  # The extension from a clean copy of php/ and bindings/, its .phpt tests, then the suite.
  if bash "$root/php/build.sh" "$build" "$logs/php-ext" >"$logs/phpt.txt" 2>&1; then tail -n 1 "$logs/phpt.txt"
  else tail -n 40 "$logs/phpt.txt"; echo "php extension: FAILED"; status=1; fi
  if [ -f "$logs/php-ext/orca.so" ]; then
    php -n -d extension="$logs/php-ext/orca.so" "$suite/php/runner.php" "$suite" >"$logs/php.txt" 2>&1
    runner_result php $?
    for example in "$root"/examples/php/*.php; do
      check_example php "$example" '\/\/' php -n -d extension="$logs/php-ext/orca.so" "$example"
    done
    # The call benchmark once, briefly, so that it keeps working (its figures: docs/benchmarks.md).
    if php -n -d extension="$logs/php-ext/orca.so" "$root/tests/bench/php/call_bench.php" 1000 1 >"$logs/php-bench.txt" 2>&1
    then echo "php bench (calls): ok"; else tail -n 20 "$logs/php-bench.txt"; echo "php bench (calls): FAILED"; status=1; fi
  else
    lines+=("php: not run (the extension did not build)"); status=1
  fi
fi

if [ -f "$root/ruby/orca.gemspec" ]; then
  # The gem's extension built against the installed liborca.a (BUILD_DIR/prefix), then the suite.
  if bash "$root/ruby/build.sh" "$prefix" --no-test >"$logs/ruby-build.txt" 2>&1; then
    ruby -I "$root/ruby/lib" "$suite/ruby/runner.rb" "$suite" >"$logs/ruby.txt" 2>&1
    runner_result ruby $?
    for example in "$root"/examples/ruby/*.rb; do
      check_example ruby "$example" '#' ruby -I "$root/ruby/lib" "$example"
    done
    # The call benchmark once, briefly, so that it keeps working (its figures: docs/benchmarks.md).
    if ruby -I "$root/ruby/lib" "$root/tests/bench/ruby/call_bench.rb" 1000 1 >"$logs/ruby-bench.txt" 2>&1
    then echo "ruby bench (calls): ok"; else tail -n 20 "$logs/ruby-bench.txt"; echo "ruby bench (calls): FAILED"; status=1; fi
  else
    tail -n 40 "$logs/ruby-build.txt"; lines+=("ruby: not run (the extension did not build)"); status=1
  fi
fi

if [ -f "$root/java/pom.xml" ]; then
  # The jar built against the installed liborca.a (BUILD_DIR/prefix), without its JUnit tests
  # (java/build.sh runs those), then the suite from the test classes in a plain JVM.
  java_dir="$root/java"
  if mvn -B -q -f "$java_dir/pom.xml" -Dorca.dist="$prefix" -DskipTests package \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$logs/java-classpath.txt" \
      >"$logs/java-build.txt" 2>&1; then
    java_cp="$java_dir/target/classes:$java_dir/target/test-classes:$(cat "$logs/java-classpath.txt")"
    java -cp "$java_cp" io.orca.conformance.ConformanceRunner "$suite" >"$logs/java.txt" 2>&1
    runner_result java $?
    # The examples are single source files, run against the jar.
    for example in "$root"/examples/java/*.java; do
      check_example java "$example" '\/\/' \
        java -Dplugin.wat="$root/examples/plugin.wat" -cp "$java_dir/target/orca-0.1.0.jar" "$example"
    done
  else
    tail -n 40 "$logs/java-build.txt"; lines+=("java: not run (the jar did not build)"); status=1
  fi
fi

printf '%s\n' "${lines[@]}"
exit "$status"
