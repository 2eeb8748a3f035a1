#!/usr/bin/env bash
# The orca command's behaviour a user sees: outputs, one-line errors, exit statuses below 128
# (docs/cli.md): 0 success, 1 rejected input, 2 usage, 3 trap, N a WASI guest's exit status.
# Usage: cli_test.sh ORCA_BINARY REPO_ROOT
set -u
orca="$1"
root="$2"
mods="$root/tests/cli/modules"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# `orca run` caches compiled code in the user's cache directory: keep this test's out of $HOME.
export ORCA_CACHE_DIR="$work/cache"
passed=0
failed=0

# expect NAME STATUS COMMAND...: runs COMMAND, checks its exit status; keeps its standard output
# in $stdout, its standard error in $stderr and both in $out.
expect() {
  local name="$1" want="$2"
  shift 2
  "$@" >"$work/stdout" 2>"$work/stderr"
  local got=$?
  stdout="$(cat "$work/stdout")"
  stderr="$(cat "$work/stderr")"
  out="$stdout${stdout:+${stderr:+$'\n'}}$stderr"
  if [ "$got" -eq "$want" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit $got, expected $want; output: $out"
  fi
}

# check NAME CONDITION...: a plain assertion.
check() {
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi
}

# same NAME ACTUAL EXPECTED: the two strings are equal.
same() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $1: got [$2], expected [$3]"
  fi
}

lines() { if [ -z "$1" ]; then echo 0; else wc -l <<<"$1"; fi; }

# --- validate, wat2wasm -------------------------------------------------------------------------

expect "validate a text module" 0 "$orca" validate "$root/examples/fib.wat"
same "validate says valid" "$stdout" "$root/examples/fib.wat: valid"

expect "wat2wasm writes a binary" 0 "$orca" wat2wasm "$root/examples/fib.wat" -o "$work/fib.wasm"
check "binary has the magic header" test "$(head -c 4 "$work/fib.wasm" | od -An -c | tr -d ' ')" = '\0asm'
expect "validate the binary" 0 "$orca" validate "$work/fib.wasm"

cp "$root/examples/fib.wat" "$work/default.wat"
expect "wat2wasm without -o" 0 "$orca" wat2wasm "$work/default.wat"
check "wat2wasm's default output is beside the input" test -s "$work/default.wasm"

# wabt as a second opinion (ci/install-deps.sh installs it; required under CI=true).
if command -v wasm-validate >/dev/null; then
  expect "wabt agrees the binary is valid" 0 wasm-validate "$work/fib.wasm"
elif [ "${CI:-}" = true ]; then
  check "wabt's wasm-validate is installed" false
fi

expect "missing file" 1 "$orca" validate "$work/nope.wasm"
check "missing file error is one line" test "$(lines "$out")" -eq 1
check "missing file error names the file" grep -q "nope.wasm" <<<"$out"

head -c 20 "$work/fib.wasm" >"$work/truncated.wasm"
expect "truncated binary" 1 "$orca" validate "$work/truncated.wasm"
check "truncated binary is malformed" grep -q "malformed" <<<"$out"
check "truncated binary error is one line" test "$(lines "$out")" -eq 1

printf '(module (func (result i32) (f32.const 1)))' >"$work/invalid.wat"
expect "invalid module" 1 "$orca" validate "$work/invalid.wat"
check "invalid module says type mismatch" grep -q "^orca: .*invalid.wat: invalid: type mismatch" <<<"$out"

check "invalid module gives the binary's offset once" test "$(grep -o "offset" <<<"$out" | wc -l)" -eq 1
check "the offset ends the line" grep -q "(function 0, instruction [a-z0-9.]*) (at offset 0x[0-9a-f]*)$" <<<"$out"

printf '(module (func (i32.bogus)))' >"$work/bad.wat"
expect "text error" 1 "$orca" wat2wasm "$work/bad.wat" -o "$work/bad.wasm"
same "text error: FILE:LINE:COLUMN, the line, a caret under the column" "$stderr" \
  "orca: $work/bad.wat:1:16: malformed: unknown operator i32.bogus
(module (func (i32.bogus)))
               ^"

# Issue 10: a WAT error through validate names line and column, shows the line and the caret.
printf '(module\n  (func (result i32)\n    (i32.ad (i32.const 1) (i32.const 2))))\n' >"$work/misspelt.wat"
expect "validate a misspelt text module" 1 "$orca" validate "$work/misspelt.wat"
same "a WAT error through validate" "$stderr" \
  "orca: $work/misspelt.wat:3:6: malformed: unknown operator i32.ad
    (i32.ad (i32.const 1) (i32.const 2))))
     ^"
# A tab is one column; the caret line keeps it, so the caret lines up in any terminal.
printf '(module\n\t(func\ti32.ad))' >"$work/tabs.wat"
expect "text error after tabs" 1 "$orca" validate "$work/tabs.wat"
same "the caret line keeps the tabs" "$stderr" \
  "$(printf 'orca: %s:2:8: malformed: unknown operator i32.ad\n\t(func\ti32.ad))\n\t     \t^' "$work/tabs.wat")"
# A file that is no text (control characters) gets the position but not the line.
printf '\001\002\003 binary junk' >"$work/junk.wat"
expect "control characters" 1 "$orca" validate "$work/junk.wat"
same "no excerpt of a line that is not text" "$stderr" "orca: $work/junk.wat:1:1: malformed: unexpected character"
# A malformed binary: its offset, once, at the end of the one line.
printf '\000asm\002\000\000\000' >"$work/version.wasm"
expect "validate a malformed binary" 1 "$orca" validate "$work/version.wasm"
same "a malformed binary's error" "$stderr" "orca: $work/version.wasm: malformed: unknown binary version (at offset 0x4)"
expect "wat2wasm of a binary is refused" 1 "$orca" wat2wasm "$work/fib.wasm" -o "$work/again.wasm"

# --- run: WASI ----------------------------------------------------------------------------------

expect "hello world" 0 "$orca" run "$root/examples/wasi/hello.wat"
same "hello world prints" "$stdout" "Hello, world!"
same "hello world is quiet on stderr" "$stderr" ""

"$orca" wat2wasm "$root/examples/wasi/hello.wat" -o "$work/hello.wasm"
( sleep 0.3; "$orca" run "$root/examples/wasi/hello.wat" 2>"$work/pipe.err" ) | true
status=${PIPESTATUS[0]}
check "a closed pipe is the guest's error, not a signal (status $status)" test "$status" -lt 128

expect "hello world from a binary" 0 "$orca" run "$work/hello.wasm"
same "hello world from a binary prints" "$stdout" "Hello, world!"

expect "WASI arguments and environment" 0 "$orca" run --env GREETING=hi --env EMPTY= "$mods/wasi_args.wat" one "two words" --not-an-orca-option
same "argv is the file's name then the arguments, environment after" "$stdout" \
  "$(printf 'wasi_args.wat\none\ntwo words\n--not-an-orca-option\nGREETING=hi\nEMPTY=')"
expect "the host environment is not inherited" 0 env ORCA_SECRET=1 "$orca" run "$mods/wasi_args.wat"
same "only argv is printed" "$stdout" "wasi_args.wat"
expect "-- ends orca's options" 0 "$orca" run -- "$mods/wasi_args.wat" --env
same "after --, --env is the guest's" "$stdout" "$(printf 'wasi_args.wat\n--env')"

printf 'line one\nline two\n' >"$work/input.txt"
expect "standard input is the guest's" 0 "$orca" run "$mods/wasi_stdin.wat" <"$work/input.txt"
same "stdin copied to stdout" "$stdout" "$(printf 'line one\nline two')"

mkdir -p "$work/dir"
printf 'file contents\n' >"$work/dir/data.txt"
expect "--dir HOST::GUEST" 0 "$orca" run --dir "$work/dir::/data" "$mods/wasi_cat.wat"
same "the guest sees its name and reads the file" "$stdout" "$(printf '/data\nfile contents')"
expect "--dir HOST" 0 "$orca" run --dir "$work/dir" "$mods/wasi_cat.wat"
same "GUEST defaults to HOST" "$stdout" "$(printf '%s\nfile contents' "$work/dir")"
expect "no --dir: nothing preopened" 10 "$orca" run "$mods/wasi_cat.wat"
expect "--dir that does not exist" 1 "$orca" run --dir "$work/missing" "$mods/wasi_cat.wat"
check "missing --dir error is one line naming it" test "$(lines "$out")" -eq 1 -a -n "$(grep missing <<<"$out")"

expect "proc_exit from _start is the exit status" 7 "$orca" run "$mods/wasi_exit.wat"
same "an exit prints nothing" "$out" ""
expect "proc_exit 0 is success" 0 "$orca" run --invoke exit "$mods/wasi_exit.wat" 0
expect "proc_exit 125" 125 "$orca" run --invoke exit "$mods/wasi_exit.wat" 125
expect "proc_exit above 125 is 125" 125 "$orca" run --invoke exit "$mods/wasi_exit.wat" 300
check "an exit above 125 says so" grep -q "300.*125" <<<"$stderr"
expect "proc_exit from a start function" 5 "$orca" run "$mods/start_exit.wat"
same "an exit during instantiation prints nothing" "$out" ""

# --- run: --invoke ------------------------------------------------------------------------------

expect "invoke fib" 0 "$orca" run --invoke fib "$root/examples/fib.wat" 50
same "fib 50" "$stdout" "12586269025"
expect "invoke i32 arguments, decimal and hex" 0 "$orca" run --invoke add "$mods/values.wat" 0x10 -3
same "16 + -3" "$stdout" "13"
expect "invoke i32 wraps" 0 "$orca" run --invoke add "$mods/values.wat" 0xffffffff 0
same "0xffffffff prints as -1" "$stdout" "-1"
expect "invoke i64" 0 "$orca" run --invoke add64 "$mods/values.wat" 9223372036854775807 1
same "i64 wraps" "$stdout" "-9223372036854775808"
expect "invoke i64 hex" 0 "$orca" run --invoke add64 "$mods/values.wat" 0xffffffffffffffff -0x10
same "i64 all ones minus 16" "$stdout" "-17"
expect "i32 below its range" 2 "$orca" run --invoke add "$mods/values.wat" -2147483649 0
expect "invoke f64 hex float and negative zero" 0 "$orca" run --invoke div64 "$mods/values.wat" 0x1p-1 -1
same "0x1p-1 / -1" "$stdout" "-0.5"
expect "negative zero" 0 "$orca" run --invoke div64 "$mods/values.wat" -0 1
same "-0 keeps its sign" "$stdout" "-0"
expect "a large f64" 0 "$orca" run --invoke div64 "$mods/values.wat" 3e300 1
same "a large f64 prints with an exponent" "$stdout" "3e+300"
expect "an f64 overflow" 0 "$orca" run --invoke div64 "$mods/values.wat" 1e300 1e-10
same "1e310 is inf" "$stdout" "inf"
expect "invoke f32" 0 "$orca" run --invoke div32 "$mods/values.wat" 1 0
same "1/0 is inf" "$stdout" "inf"
expect "invoke f32 nan" 0 "$orca" run --invoke div32 "$mods/values.wat" 0 0
check "0/0 is a nan" grep -qE '^-?nan$' <<<"$stdout"
expect "invoke f64 -inf argument" 0 "$orca" run --invoke div64 "$mods/values.wat" -inf 2
same "-inf/2" "$stdout" "-inf"
expect "invoke f64 round trip" 0 "$orca" run --invoke third "$mods/values.wat"
same "1/3 prints every digit it needs" "$stdout" "0.3333333333333333"
expect "printed f64 reads back the same" 0 "$orca" run --invoke div64 "$mods/values.wat" "$stdout" 1
same "0.3333333333333333 round-trips" "$stdout" "0.3333333333333333"
expect "invoke f32 shortest form" 0 "$orca" run --invoke tenth32 "$mods/values.wat"
same "f32 0.1" "$stdout" "0.1"
expect "invoke nan payload" 0 "$orca" run --invoke nan_payload "$mods/values.wat"
same "a nan with a payload prints it" "$stdout" "nan:0x200001"
expect "nan payload as an argument" 0 "$orca" run --invoke id32 "$mods/values.wat" -nan:0x200001
same "the payload and sign survive" "$stdout" "-nan:0x200001"
expect "invoke several results" 0 "$orca" run --invoke swap "$mods/values.wat" 4 2.5
same "one result per line" "$stdout" "$(printf '2.5\n4')"
expect "invoke v128 result" 0 "$orca" run --invoke splat "$mods/values.wat" 0x01020304
same "v128 as one hex number" "$stdout" "0x01020304010203040102030401020304"
expect "invoke without results" 0 "$orca" run --invoke none "$mods/values.wat"
same "no results, no output" "$out" ""
expect "invoke a module without _start" 0 "$orca" run --invoke f "$mods/no_start.wat"
same "f returns 7" "$stdout" "7"

expect "a reactor is initialised first" 0 "$orca" run --invoke ready "$mods/reactor.wat"
same "_initialize ran" "$stdout" "42"
expect "invoking _initialize itself" 0 "$orca" run --invoke _initialize "$mods/reactor.wat"

expect "too few arguments" 2 "$orca" run --invoke add "$mods/values.wat" 1
check "argument count error is one line" test "$(lines "$out")" -eq 1
check "argument count error says what is expected" grep -q "expected 2 arguments, got 1" <<<"$out"
expect "not a number" 2 "$orca" run --invoke add "$mods/values.wat" 1 x
check "bad argument names its type" grep -q '"x" is not a valid i32' <<<"$out"
expect "i32 out of range" 2 "$orca" run --invoke add "$mods/values.wat" 1 4294967296
expect "no such export" 1 "$orca" run --invoke nope "$mods/values.wat"
check "missing export is named" grep -q '"nope"' <<<"$out"
expect "no _start" 1 "$orca" run "$mods/no_start.wat"
check "no _start error is one line" test "$(lines "$out")" -eq 1

# --- run: failures ------------------------------------------------------------------------------

expect "a trap" 3 "$orca" run --invoke crash "$mods/traps.wat"
check "the trap's message" grep -q "^orca: .*traps.wat: trap: unreachable$" <<<"$stderr"
same "the trap, then one line per wasm frame" "$(lines "$stderr")" 4
# Offsets in traps.wat's binary: the code section starts at 0x50, the bodies of functions 0, 1
# and 2 at 0x54, 0x58 and 0x60; each frame names its instruction (unreachable, call_indirect).
check "frames innermost first, named by the name section, with the trapping instruction" grep -q "^  #0 wasm function 0 inner (module offset 0x55, function offset 0x1)$" <<<"$stderr"
check "the middle frame, at its call" grep -q "^  #1 wasm function 1 outer (module offset 0x5b, function offset 0x3)$" <<<"$stderr"
check "the outermost frame has no name" grep -q "^  #2 wasm function 2 (module offset 0x63, function offset 0x3)$" <<<"$stderr"
same "a trap prints nothing on stdout" "$stdout" ""
expect "division by zero" 3 "$orca" run --invoke div "$mods/traps.wat" 1 0
check "division trap message" grep -q "trap: integer divide by zero" <<<"$stderr"
expect "stack overflow" 3 "$orca" run --invoke recurse "$mods/traps.wat"
check "stack overflow message" grep -q "trap: call stack exhausted" <<<"$stderr"
check "the exhausted frame is at its function's start" grep -q "^  #0 wasm function 3 recurse (module offset 0x68, function offset 0x0)$" <<<"$stderr"
check "the frames below it at their call" grep -q "^  #1 wasm function 3 recurse (module offset 0x69, function offset 0x1)$" <<<"$stderr"
expect "a trapping start function" 3 "$orca" run "$mods/start_trap.wat"
check "start trap message" grep -q "trap: unreachable" <<<"$stderr"
expect "a link error" 1 "$orca" run "$mods/needs_env.wat"
check "link error is one line" test "$(lines "$out")" -eq 1
check "link error names the import" grep -q 'unlinkable: .*env.*log' <<<"$out"
expect "run a missing file" 1 "$orca" run "$work/nope.wasm"
expect "run an invalid module" 1 "$orca" run "$work/invalid.wat"
check "invalid module error is one line" test "$(lines "$out")" -eq 1

expect "out of fuel" 3 "$orca" run --fuel 1000 --invoke spin "$mods/traps.wat"
check "out of fuel message" grep -q "trap: all fuel consumed" <<<"$stderr"
expect "enough fuel" 0 "$orca" run --fuel 100000 --invoke fib "$root/examples/fib.wat" 20
same "fib 20 with fuel" "$stdout" "6765"
expect "timeout" 3 "$orca" run --timeout 200ms --invoke spin "$mods/traps.wat"
check "timeout message" grep -q "trap: interrupted" <<<"$stderr"
check "an interrupted loop's frame names the loop" grep -q "^  #0 wasm function 4 (module offset 0x6e, function offset 0x1)$" <<<"$stderr"
expect "timeout in seconds, not reached" 0 "$orca" run --timeout 1s "$root/examples/wasi/hello.wat"
same "hello under a timeout" "$stdout" "Hello, world!"

# --compile=lazy compiles each function on its first call: the same results, traps and frames.
expect "a trap, compiled lazily" 3 "$orca" run --compile=lazy --invoke crash "$mods/traps.wat"
check "lazily compiled frames, innermost first" grep -q "^  #0 wasm function 0 inner (module offset 0x55, function offset 0x1)$" <<<"$stderr"
check "lazily compiled middle frame" grep -q "^  #1 wasm function 1 outer (module offset 0x5b, function offset 0x3)$" <<<"$stderr"
check "lazily compiled outer frame" grep -q "^  #2 wasm function 2 (module offset 0x63, function offset 0x3)$" <<<"$stderr"
expect "fib, compiled lazily" 0 "$orca" run --compile=lazy --fuel 100000 --invoke fib "$root/examples/fib.wat" 20
same "fib 20, compiled lazily with fuel" "$stdout" "6765"
expect "timeout, compiled lazily" 3 "$orca" run --compile=lazy --timeout 200ms --invoke spin "$mods/traps.wat"
check "timeout message, compiled lazily" grep -q "trap: interrupted" <<<"$stderr"
expect "hello, compiled lazily" 0 "$orca" run --compile=lazy --no-cache "$root/examples/wasi/hello.wat"
same "hello, compiled lazily" "$stdout" "Hello, world!"
# --compile=tiered: fib_recursive(20) makes 21,891 calls, so it tiers up (threshold 10,000) during
# the run and later calls run optimised code, metered the same.
expect "recursive fib, tiered" 0 "$orca" run --compile=tiered --fuel 10000000 --invoke fib_recursive "$root/examples/fib.wat" 20
same "recursive fib 20, tiered with fuel" "$stdout" "6765"
expect "a trap, tiered" 3 "$orca" run --compile=tiered --invoke crash "$mods/traps.wat"
check "tiered frames, innermost first" grep -q "^  #0 wasm function 0 inner (module offset 0x55, function offset 0x1)$" <<<"$stderr"
expect "hello, tiered" 0 "$orca" run --compile=tiered --no-cache "$root/examples/wasi/hello.wat"
same "hello, tiered" "$stdout" "Hello, world!"
expect "bad --compile" 2 "$orca" run --compile=sometimes "$mods/traps.wat"
check "bad --compile names the option" grep -q -- "--compile" <<<"$stderr"

expect "bad --timeout" 2 "$orca" run --timeout soon "$mods/traps.wat"
check "bad --timeout is one line" test "$(lines "$out")" -eq 1
expect "bad --fuel" 2 "$orca" run --fuel lots "$mods/traps.wat"
expect "negative --fuel is a usage error" 2 "$orca" run --fuel -5 --invoke spin "$mods/traps.wat"
check "negative --fuel names the option" grep -q -- "--fuel" <<<"$stderr"
expect "bad --env" 2 "$orca" run --env NOVALUE "$mods/wasi_args.wat"
expect "run without a module" 2 "$orca" run

# --- compile ------------------------------------------------------------------------------------

expect "compile" 0 "$orca" compile "$root/examples/fib.wat" -o "$work/fib.cwasm"
check "the artifact is not wasm" test "$(head -c 4 "$work/fib.cwasm" | od -An -c | tr -d ' ')" != '\0asm'
expect "an artifact needs --allow-precompiled" 2 "$orca" run --invoke fib "$work/fib.cwasm" 10
check "the refusal names the flag and the trust it means" grep -q "shared library.*--allow-precompiled" <<<"$stderr"
check "the refusal is one line" test "$(lines "$out")" -eq 1
expect "run the artifact" 0 "$orca" run --allow-precompiled --invoke fib "$work/fib.cwasm" 10
same "fib 10 from the artifact" "$stdout" "55"
expect "compile a WASI program" 0 "$orca" compile "$root/examples/wasi/hello.wat" -o "$work/hello.cwasm"
expect "run the compiled WASI program" 0 "$orca" run --allow-precompiled "$work/hello.cwasm"
same "hello from the artifact" "$stdout" "Hello, world!"
cp "$work/fib.wasm" "$work/default.wasm"
expect "compile without -o" 0 "$orca" compile "$work/default.wasm"
check "compile's default output is beside the input" test -s "$work/default.cwasm"
head -c 40 "$work/fib.cwasm" >"$work/damaged.cwasm"
expect "a damaged artifact" 1 "$orca" run --allow-precompiled --invoke fib "$work/damaged.cwasm" 10
check "damaged artifact error is one line" test "$(lines "$out")" -eq 1
# Eight bytes changed in the middle of the code: refused, never run.
size=$(stat -c %s "$work/fib.cwasm")
cp "$work/fib.cwasm" "$work/tampered.cwasm"
printf 'ABCDEFGH' | dd of="$work/tampered.cwasm" bs=1 seek=$((size / 2)) conv=notrunc status=none
expect "a tampered artifact is refused" 1 "$orca" run --allow-precompiled --invoke fib "$work/tampered.cwasm" 10
check "the tampered artifact is called damaged" grep -q "damaged: its SHA-256 does not match" <<<"$stderr"
same "the tampered artifact printed nothing" "$stdout" ""
expect "an artifact without fuel checks refuses --fuel" 1 "$orca" run --allow-precompiled --fuel 100 --invoke fib "$work/fib.cwasm" 10
check "the refusal says how to compile it" grep -q "compile --consume-fuel" <<<"$out"
expect "compile with fuel and interruption checks" 0 "$orca" compile --consume-fuel --interruptible "$mods/traps.wat" -o "$work/traps.cwasm"
expect "the artifact runs out of fuel" 3 "$orca" run --allow-precompiled --fuel 1000 --timeout 10s --invoke spin "$work/traps.cwasm"
check "artifact out of fuel message" grep -q "trap: all fuel consumed" <<<"$stderr"
check "an artifact's frames carry the index and offset" grep -q "^  #0 wasm function 4 (module offset 0x6e, function offset 0x1)$" <<<"$stderr"
expect "an artifact traps" 3 "$orca" run --allow-precompiled --fuel 100000 --timeout 10s --invoke crash "$work/traps.cwasm"
check "an artifact's frames keep the name section's names" grep -q "^  #1 wasm function 1 outer (module offset 0x5b, function offset 0x3)$" <<<"$stderr"
expect "compile an invalid module" 1 "$orca" compile "$work/invalid.wat" -o "$work/invalid.cwasm"
expect "validate refuses an artifact" 1 "$orca" validate "$work/fib.cwasm"
# proc_exit is an exit, never a trap: no message, no backtrace, whatever the switches and format.
expect "compile a program that exits" 0 "$orca" compile --consume-fuel --interruptible "$mods/wasi_exit.wat" -o "$work/exit.cwasm"
expect "an artifact's proc_exit is its status" 7 "$orca" run --allow-precompiled --fuel 100000 --timeout 10s "$work/exit.cwasm"
same "an artifact's exit prints nothing" "$out" ""
expect "proc_exit under --fuel and --timeout" 9 "$orca" run --fuel 100000 --timeout 10s --invoke exit "$mods/wasi_exit.wat" 9
same "an exit under limits prints nothing" "$out" ""

# --- inspect ------------------------------------------------------------------------------------

expect "inspect" 0 "$orca" inspect "$root/examples/fib.wat"
same "inspect lists exports with types" "$stdout" "$(printf '%s\n' \
  'export memory memory 1..' \
  'export global calls mut i64' \
  'export func fib_recursive (i32) -> (i64)' \
  'export func fib (i32) -> (i64)')"
expect "inspect imports" 0 "$orca" inspect "$mods/needs_env.wat"
same "an import and an export" "$stdout" "$(printf '%s\n' 'import func env.log (i32) -> ()' 'export func _start () -> ()')"
printf '(module (import "a b" "c.d" (table 1 2 funcref)) (import "" "m" (memory 1 2)) (global (export "g") f32 (f32.const 0)))' >"$work/names.wat"
expect "inspect odd names" 0 "$orca" inspect "$work/names.wat"
same "names that need quotes" "$stdout" "$(printf '%s\n' 'import table "a b"."c.d" 1..2 funcref' 'import memory "".m 1..2' 'export global g f32')"
expect "inspect an artifact needs --allow-precompiled" 2 "$orca" inspect "$work/hello.cwasm"
expect "inspect an artifact" 0 "$orca" inspect --allow-precompiled "$work/hello.cwasm"
check "the artifact's import" grep -q '^import func wasi_snapshot_preview1.fd_write (i32 i32 i32 i32) -> (i32)$' <<<"$stdout"
expect "inspect a malformed module" 1 "$orca" inspect "$work/truncated.wasm"

# --- wast ---------------------------------------------------------------------------------------

cat >"$work/script.wast" <<'WAST'
(module (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(module $M (func (export "g") (result i32) (i32.const 2)))
(register "m" $M)
(module (import "m" "g" (func $g (result i32))) (func (export "h") (result i32) (call $g)))
(assert_return (invoke "h") (i32.const 2))
(assert_unlinkable (module (import "m" "nope" (func))) "unknown import")
(module (func $r (export "r") (call $r)))
(assert_exhaustion (invoke "r") "call stack exhausted")
WAST
expect "wast script" 0 "$orca" wast "$work/script.wast"
check "wast closing line" grep -qE '^spec: [0-9]+ passed, 0 failed, [0-9]+ skipped$' <<<"$(tail -n 1 <<<"$out")"

cat >"$work/failing.wast" <<'WAST'
(module (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 2))
WAST
expect "a failing wast script" 1 "$orca" wast "$work/failing.wast"
check "the failure is reported" grep -q "failing.wast:2: assert_return: result 0: expected i32:0x2, got i32:0x1" <<<"$out"
check "failing closing line" grep -q "^spec: 1 passed, 1 failed, 0 skipped$" <<<"$out"

# A text module of a script that does not parse: the failure gives its line and column in the
# script, once; a quote module's are counted in its quoted text.
cat >"$work/text_error.wast" <<'WAST'
(module)
(assert_invalid
  (module (func (i32.bogus))) "type mismatch")
(assert_invalid (module quote "(func" " (i32.bogus))") "type mismatch")
WAST
expect "a script's text error" 1 "$orca" wast "$work/text_error.wast"
check "a text module's error is placed in the script" grep -qF \
  'text_error.wast:2: assert_invalid: expected invalid "type mismatch", got malformed: unknown operator i32.bogus (at line 3, column 18)' <<<"$out"
check "a quote module's error is placed in its text" grep -qF \
  'text_error.wast:4: assert_invalid: expected invalid "type mismatch", got malformed: unknown operator i32.bogus (at line 1, column 8)' <<<"$out"

cat >"$work/spin.wast" <<'WAST'
(module (func (export "spin") (loop (br 0))))
(assert_return (invoke "spin"))
WAST
ORCA_SPEC_SCRIPT_TIMEOUT=1 expect "a hanging script is interrupted" 1 "$orca" wast "$work/spin.wast"
check "the hang fails as interrupted" grep -q "interrupted" <<<"$out"

# --- cache --------------------------------------------------------------------------------------
# `run` keeps compiled code in the user's cache directory; --cache-stats says what the cache did
# (on stderr, before the guest runs), which is how these checks know a run did not compile.

hello="$root/examples/wasi/hello.wat"
home="$work/home"
# As a user without ORCA_CACHE_DIR: HOME and XDG_CACHE_HOME decide.
as_user() { env -u ORCA_CACHE_DIR -u XDG_CACHE_HOME HOME="$home" "$@"; }

expect "cache dir is ~/.cache/orca" 0 as_user "$orca" cache dir
same "cache dir under HOME" "$stdout" "$home/.cache/orca"
expect "cache dir under XDG_CACHE_HOME" 0 as_user env XDG_CACHE_HOME="$work/xdg" "$orca" cache dir
same "cache dir is XDG_CACHE_HOME/orca" "$stdout" "$work/xdg/orca"
expect "cache dir from ORCA_CACHE_DIR" 0 "$orca" cache dir
same "ORCA_CACHE_DIR wins" "$stdout" "$work/cache"
expect "cache dir from --cache-dir" 0 "$orca" cache dir --cache-dir "$work/elsewhere"
same "--cache-dir wins" "$stdout" "$work/elsewhere"
expect "no cache directory without a home" 1 env -u ORCA_CACHE_DIR -u XDG_CACHE_HOME -u HOME "$orca" cache dir
check "no cache directory names the variables" grep -q "HOME" <<<"$out"
check "no cache directory is one line" test "$(lines "$out")" -eq 1
expect "run without a home works without a cache" 0 \
  env -u ORCA_CACHE_DIR -u XDG_CACHE_HOME -u HOME "$orca" run --cache-stats "$hello"
same "run without a home prints" "$stdout" "Hello, world!"
same "run without a home used no cache" "$stderr" "orca: cache: 0 hits, 0 misses, 0 rejected, 0 write failures, 0 evicted"

expect "first run compiles" 0 as_user "$orca" run --cache-stats "$hello"
same "first run prints" "$stdout" "Hello, world!"
# Two entries: the module, and the trampolines of WASI's host functions (one module of their types).
same "first run is a miss" "$stderr" "orca: cache: 0 hits, 2 misses, 0 rejected, 0 write failures, 0 evicted"
expect "second run loads" 0 as_user "$orca" run --cache-stats "$hello"
same "second run prints" "$stdout" "Hello, world!"
same "second run does not compile" "$stderr" "orca: cache: 2 hits, 0 misses, 0 rejected, 0 write failures, 0 evicted"
entries="$(ls "$home/.cache/orca"/*.orcamod)"
check "two entries in ~/.cache/orca" test "$(wc -l <<<"$entries")" -eq 2
check "the cache directory is private" test "$(stat -c %a "$home/.cache/orca")" = 700
expect "cache stats" 0 as_user "$orca" cache stats
same "cache stats lists directory, entries, bytes, cap" "$stdout" "directory: $home/.cache/orca
entries: 2
bytes: $(xargs stat -c %s <<<"$entries" | awk '{ s += $1 } END { print s }')
cap: 536870912"

expect "run --no-cache" 0 as_user "$orca" run --no-cache --cache-stats "$hello"
same "--no-cache neither reads nor writes" "$stderr" "orca: cache: 0 hits, 0 misses, 0 rejected, 0 write failures, 0 evicted"
expect "run --cache-dir" 0 as_user "$orca" run --cache-dir "$work/relocated" --cache-stats "$hello"
check "--cache-dir compiles into its directory" grep -q "2 misses" <<<"$stderr"
check "--cache-dir holds the entries" test "$(ls "$work/relocated" | grep -c '\.orcamod$')" -eq 2
touch "$work/in-the-way"
expect "an unusable cache directory does not fail the run" 0 \
  "$orca" run --cache-dir "$work/in-the-way/orca" --cache-stats "$hello"
same "unusable cache: the guest runs" "$stdout" "Hello, world!"
same "unusable cache: the write failure is counted" "$stderr" \
  "orca: cache: 0 hits, 2 misses, 0 rejected, 2 write failures, 0 evicted"

echo "not Orca's" >"$home/.cache/orca/notes.txt"
expect "cache clean" 0 as_user "$orca" cache clean
same "cache clean says what it removed" "$stdout" "removed 2 entries from $home/.cache/orca"
check "cache clean keeps other files" test -f "$home/.cache/orca/notes.txt"
expect "cache stats after clean" 0 as_user "$orca" cache stats
check "no entries after clean" grep -qx "entries: 0" <<<"$stdout"
expect "cache without an action is a usage error" 2 "$orca" cache
expect "cache with an unknown action is a usage error" 2 "$orca" cache frobnicate

# Eight processes at once into one empty directory, two modules: all succeed, no temporary file
# is left, and afterwards every module loads from its entry.
shared="$work/shared-cache"
pids=()
for i in 1 2 3 4 5 6 7 8; do
  if [ $((i % 2)) -eq 0 ]; then
    "$orca" run --cache-dir "$shared" "$hello" >"$work/parallel$i.out" 2>&1 &
  else
    "$orca" run --cache-dir "$shared" --invoke fib "$root/examples/fib.wat" 30 >"$work/parallel$i.out" 2>&1 &
  fi
  pids+=($!)
done
for i in 1 2 3 4 5 6 7 8; do
  wait "${pids[$((i - 1))]}"
  same "parallel run $i succeeds" "$?" 0
  if [ $((i % 2)) -eq 0 ]; then want="Hello, world!"; else want=832040; fi
  same "parallel run $i prints" "$(cat "$work/parallel$i.out")" "$want"
done
# hello, WASI's trampolines and fib (which imports nothing).
check "parallel runs leave three entries" test "$(ls "$shared" | grep -c '\.orcamod$')" -eq 3
check "parallel runs leave no temporary file" test "$(ls "$shared" | grep -vc '\.orcamod$')" -eq 0
expect "after parallel runs, hello loads" 0 "$orca" run --cache-dir "$shared" --cache-stats "$hello"
check "hello's entries are whole" grep -q "2 hits, 0 misses, 0 rejected" <<<"$stderr"
expect "after parallel runs, fib loads" 0 "$orca" run --cache-dir "$shared" --cache-stats --invoke fib "$root/examples/fib.wat" 30
check "fib's entry is whole" grep -q "1 hit, 0 misses, 0 rejected" <<<"$stderr"

# --- usage --------------------------------------------------------------------------------------

expect "no subcommand is a usage error" 2 "$orca"
check "usage error is one line" test "$(lines "$out")" -eq 1
expect "unknown option is a usage error" 2 "$orca" validate --bogus x
expect "unknown subcommand is a usage error" 2 "$orca" frobnicate
same "unknown subcommand names it" "$out" 'orca: unknown subcommand "frobnicate" (run, compile, validate, wat2wasm, inspect, wast, cache; see orca --help)'
expect "help" 0 "$orca" --help
check "help lists the subcommands" grep -q "inspect" <<<"$out"
expect "version" 0 "$orca" --version
check "version names orca" grep -q "^orca [0-9]" <<<"$out"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
