#!/usr/bin/env bash
# Runs every test suite: installs what is missing, builds (normal and ASan+UBSan), then runs the
# unit tests of each stage, the robustness test, the CLI test and the spec runner in both builds,
# the conformance suite (C, Go, PHP, Ruby, Java; with the Go package's and the PHP extension's own
# tests), the shipped package's checks, the PHP install checks and valgrind run, the Ruby gem's
# tests and install checks, the Java binding's tests, stress test, consumer-project check and
# benchmarks; each fuzz target for a minute; last, the interruption and deadline tests under
# ThreadSanitizer.
# The last line counts the suites: "suites: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# The full run needs every input (the spec suite, wasm-tools, node, wabt, the wasm32 toolchain):
# with CI=true the tests fail when one is missing instead of skipping it.
export CI="${CI:-true}"

"$root/ci/install-deps.sh" || exit 1

passed=0
failed=0
record() {  # record NAME STATUS
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

run_build() {  # run_build LABEL BUILD_DIR [cmake args...]
  local label="$1" dir="$2"
  shift 2
  echo "== $label build ($dir)"
  if ! ORCA_BUILD_DIR="$dir" "$root/ci/build.sh" "$@" >"$dir.log" 2>&1; then
    tail -n 40 "$dir.log"
    record "$label build" 1
    return 1
  fi
  echo "== $label tests"
  (cd "$dir" && ctest --output-on-failure -j "$(nproc)" -E '^spec$')
  record "$label ctest" $?
  "$dir/bin/spec_runner" | grep -v '\.wast: [0-9]* passed, 0 failed' | tail -n 200
  record "$label spec" "${PIPESTATUS[0]}"
}

# ThreadSanitizer over interruption and deadlines (other threads interrupt, clear and set
# deadlines while a store's code runs; stores die while their timers fire): only the targets of
# the tests labelled "interrupt", and only those tests. Any report fails its test (halt_on_error).
# JIT code is not instrumented; the runtime, C API, WASI and test programs are. Cost, from
# nothing and without ccache: 6 min 12 s on the shared 2-core machine (3.5 CPU-minutes), of
# which the tests take 12 s.
run_tsan() {
  local dir="$root/build-tsan"
  echo "== tsan build ($dir)"
  if ! ORCA_BUILD_DIR="$dir" ORCA_BUILD_TARGETS="unit_runtime unit_jit capi_threads capi_config capi_orca capi_stress wasi_runner" \
      "$root/ci/build.sh" -DORCA_SANITIZE=thread >"$dir.log" 2>&1; then
    tail -n 40 "$dir.log"
    record "tsan build" 1
    return 1
  fi
  echo "== tsan tests"
  (cd "$dir" && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    ctest --output-on-failure -j "$(nproc)" -L interrupt)
  record "tsan ctest" $?
}

mkdir -p "$root/build" "$root/build-asan" "$root/build-tsan"
run_build release "$root/build"
# The spec suite again with functions compiled on first call (the lazy baseline tier), tiered
# (baseline, then O2 after 2 calls or loop iterations), and with explicit bounds checks instead
# of guard pages: the code differs in each (release build only).
for mode in --compile=lazy --compile=tiered --bounds-checks; do
  echo "== spec $mode"
  "$root/build/bin/spec_runner" "$mode" | grep -v '\.wast: [0-9]* passed, 0 failed' | tail -n 200
  record "spec $mode" "${PIPESTATUS[0]}"
done
bash "$root/ci/conformance.sh" "$root/build"; record conformance $?
# What a release ships, installed as a user gets it: the same checks as ctest's package_library.
{ "$root/ci/package.sh" "$root/build" "$root/build/dist" &&
  bash "$root/tests/package/check_library.sh" "$root/build/dist/lib" "$root/build/dist/include" \
    "$root/tests/package/static_app.c" clang-19; }
record package $?
# The PHP extension installed the PHP ways (phpize, pecl, the prebuilt orca.so) on fresh copies.
bash "$root/ci/php-install.sh" "$root/build/dist" | tail -n 40; record php-install "${PIPESTATUS[0]}"
# The PHP tests' code under valgrind: no definite leak, no invalid access (about 2 min).
bash "$root/php/valgrind.sh" "$root/build" | tail -n 20; record php-valgrind "${PIPESTATUS[0]}"
# The Ruby gem's C extension built against the packaged liborca.a, and its minitest tests.
bash "$root/ruby/build.sh" "$root/build/dist" | tail -n 20; record ruby "${PIPESTATUS[0]}"
# The gem installed the Ruby ways: the platform gem with no compiler, the source gem via pkg-config.
bash "$root/ruby/install-check.sh" "$root/build/dist" | tail -n 15; record ruby-install "${PIPESTATUS[0]}"
# The Java binding's jar (liborca_jni.so inside, linked with the packaged liborca.a) and its JUnit tests.
bash "$root/java/build.sh" "$root/build/dist" | tail -n 20; record java "${PIPESTATUS[0]}"
# The same JUnit suite under -Xcheck:jni: no JNI misuse reported by the JVM.
bash "$root/java/check-jni.sh" "$root/build/dist" | tail -n 10; record java-check-jni "${PIPESTATUS[0]}"
# The stress tests: 4 threads x 5,000 instantiate/call/trap/close cycles while a thread forces GCs,
# and 2 threads x 10,000 cycles with traps while a third interrupts spinning guests.
mvn -B -q -f "$root/java/pom.xml" -Dorca.dist="$root/build/dist" -Pstress test 2>&1 | tail -n 20
record java-stress "${PIPESTATUS[0]}"
# The artifact as a user's project gets it: mvn install, then a fresh consumer project runs wasm.
bash "$root/java/consumer-check.sh" "$root/build/dist" | tail -n 15; record java-consumer "${PIPESTATUS[0]}"
# The Go and PHP stress tests at their full count (2 x 10,000 cycles with traps and interruptions:
# goroutines with a context cancelled by a third; two PHP processes with store deadlines); their
# default runs in the package tests are shorter.
(cd "$root/go" && PKG_CONFIG_PATH="$root/build/dist/lib/pkgconfig" LD_LIBRARY_PATH="$root/build/dist/lib" \
  ORCA_STRESS_CYCLES=10000 go test -count=1 -tags orca_dynamic -run Stress -v .) 2>&1 | tail -n 4
record go-stress "${PIPESTATUS[0]}"
php_stress="$(mktemp -d)"
sed -n '/^--FILE--$/,/^--EXPECTF\?--$/{//!p}' "$root/php/tests/stress_processes.phpt" >"$php_stress/stress.php"
ORCA_STRESS_CYCLES=10000 ORCA_STRESS_VERBOSE=1 php -n -d extension="$root/build/dist/php/orca.so" \
  "$php_stress/stress.php" >"$php_stress/out" 2>&1
tail -n 4 "$php_stress/out"
[ "$(grep -c 'exit 0, failures: 0, memory flat$' "$php_stress/out")" = 2 ]; record php-stress $?
rm -rf "$php_stress"
# The JMH benchmarks beside Chicory once, briefly, so that they keep working (figures: docs/benchmarks.md).
bash "$root/java/bench/run.sh" "$root/build/dist" -f 1 -wi 0 -i 1 -w 100ms -r 100ms -foe true >"$root/build/java-bench.log" 2>&1
java_bench=$?; tail -n 12 "$root/build/java-bench.log"; record java-bench "$java_bench"
# The benchmark suite's 18 C kernels, each once natively and under Orca (eager, lazy, tiered), Wasmtime
# and Node, every result checked against its own check and native output (about 1.5 minutes).
ORCA_RUN_FLAGS="orca=;orca-lazy=--compile=lazy;orca-tiered=--compile=tiered" bash "$root/ci/bench-suite.sh" --quick "$root/build/bench-suite" \
  >"$root/build/bench-suite.log" 2>&1
bench_suite=$?; tail -n 1 "$root/build/bench-suite.log"; [ "$bench_suite" -eq 0 ] || tail -n 30 "$root/build/bench-suite.log"
record bench-suite "$bench_suite"
run_build asan "$root/build-asan" -DORCA_SANITIZE=ON -DORCA_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
# Each libFuzzer target for a minute from its seed corpus (the long runs: docs/security.md).
for target in fuzz_frontend fuzz_instantiate fuzz_artifact fuzz_wasi; do
  bash "$root/ci/fuzz.sh" "$target" 60 "$root/build-asan" 2>&1 | tail -n 3
  record "fuzz $target" "${PIPESTATUS[0]}"
done
run_tsan

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
