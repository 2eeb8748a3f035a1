#!/usr/bin/env bash
# The orca command's behaviour a user sees: outputs, one-line errors, exit statuses below 128.
# Usage: cli_test.sh ORCA_BINARY REPO_ROOT
set -u
orca="$1"
root="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# expect NAME STATUS COMMAND...: runs COMMAND, checks its exit status, keeps its output in $out.
expect() {
  local name="$1" want="$2"
  shift 2
  out="$("$@" 2>&1)"
  local got=$?
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

expect "validate a text module" 0 "$orca" validate "$root/examples/fib.wat"
check "validate says valid" grep -q "valid" <<<"$out"

expect "wat2wasm writes a binary" 0 "$orca" wat2wasm "$root/examples/fib.wat" -o "$work/fib.wasm"
check "binary has the magic header" test "$(head -c 4 "$work/fib.wasm" | od -An -c | tr -d ' ')" = '\0asm'
expect "validate the binary" 0 "$orca" validate "$work/fib.wasm"

if command -v wasm-validate >/dev/null; then
  expect "wabt agrees the binary is valid" 0 wasm-validate "$work/fib.wasm"
fi

expect "missing file" 1 "$orca" validate "$work/nope.wasm"
check "missing file error is one line" test "$(wc -l <<<"$out")" -eq 1
check "missing file error names the file" grep -q "nope.wasm" <<<"$out"

head -c 20 "$work/fib.wasm" >"$work/truncated.wasm"
expect "truncated binary" 1 "$orca" validate "$work/truncated.wasm"
check "truncated binary is malformed" grep -q "malformed" <<<"$out"

printf '(module (func (result i32) (f32.const 1)))' >"$work/invalid.wat"
expect "invalid module" 1 "$orca" validate "$work/invalid.wat"
check "invalid module says type mismatch" grep -q "type mismatch" <<<"$out"

printf '(module (func (i32.bogus)))' >"$work/bad.wat"
expect "text error" 1 "$orca" wat2wasm "$work/bad.wat" -o "$work/bad.wasm"
check "text error is one line" test "$(wc -l <<<"$out")" -eq 1

cat >"$work/script.wast" <<'WAST'
(module (func (export "f") (result i32) (i32.const 1)))
(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
WAST
expect "wast script" 0 "$orca" wast "$work/script.wast"
check "wast closing line" grep -qE '^spec: [0-9]+ passed, 0 failed, [0-9]+ skipped$' <<<"$(tail -n 1 <<<"$out")"

cat >"$work/spin.wast" <<'WAST'
(module (func (export "spin") (loop (br 0))))
(assert_return (invoke "spin"))
WAST
ORCA_SPEC_SCRIPT_TIMEOUT=1 expect "a hanging script is interrupted" 1 "$orca" wast "$work/spin.wast"
check "the hang fails as interrupted" grep -q "interrupted" <<<"$out"

expect "no subcommand is a usage error" 2 "$orca"
expect "unknown option is a usage error" 2 "$orca" validate --bogus x

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
