#!/usr/bin/env bash
# Lists every function declared in the header (wasi.h includes orca.h, which includes wasm.h; with
# --own, only those wasi.h itself declares) and checks that each is
#   - exported by liborca.so (nm -D --defined-only), and
#   - called by at least one test program: an undefined symbol (nm -u) of a linked test binary.
# Static inline helpers of the header are not library symbols; each must be called in a test
# source, read with its comments and string literals removed.
# A name that a test only mentions (in a comment or a string) is never counted: the check first
# runs itself on coverage_fixture.h/.c, where two functions are only mentioned, and fails unless
# it reports exactly those two.
# Usage: check_coverage.sh [--own] HEADER LIBORCA_SO CC TEST_SOURCE_DIR TEST_BINARY...
set -euo pipefail
own=0
if [[ ${1:-} == --own ]]; then own=1; shift; fi
header=$1 lib=$2 cc=$3 srcdir=$4
shift 4
binaries=("$@")
here=$(cd "$(dirname "$0")" && pwd)

# The header's declarations after preprocessing (macros expanded), without line markers; with
# OWN=1 only the lines that come from the header file itself.
preprocessed() {  # preprocessed HEADER OWN
  "$cc" -E -x c "$1" | awk -v want="$(basename "$1")" -v own="$2" '
    /^# [0-9]+ "/ { file = $3; gsub(/"/, "", file); keep = !own || file ~ ("(^|/)" want "$"); next }
    keep'
}

# Exported declarations carry the visibility attribute that WASM_API_EXTERN expands to.
declared_in() {  # declared_in HEADER OWN
  preprocessed "$1" "$2" | tr '\n' ' ' | sed 's/;/;\n/g' |
    grep 'visibility("default")' | grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' |
    grep -vE '^(__attribute__|visibility)' | sed 's/[[:space:]]*($//' | grep -E '^(wasm|wasi|orca)_' |
    sort -u || true
}

inline_in() {  # inline_in HEADER OWN
  preprocessed "$1" "$2" | grep -oE 'static inline [^(]*\b(wasm_[A-Za-z0-9_]*)\(' |
    sed -E 's/.*\b(wasm_[A-Za-z0-9_]*)\($/\1/' | grep -v '^wasm_orca_' | sort -u || true
}

# Symbols the binaries (or objects) leave to a library: the functions they call.
called_in_binaries() {  # called_in_binaries FILE...
  for b in "$@"; do nm -u "$b" | awk '{print $2}'; done | sed 's/@.*//' | sort -u
}

# Names followed by "(" in C sources once comments, string and character literals are gone.
called_in_sources() {  # called_in_sources FILE...
  perl -0777 -pe 's{/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'"'"'(?:\\.|[^'"'"'\\\n])*'"'"'}{ }gs' "$@" |
    grep -oE '\b[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' | sed 's/[[:space:]]*($//' | sort -u
}

# Names of the first list (one a line) missing from the second.
missing_from() { comm -23 <(grep -v '^$' <<<"$1" || true) <(grep -v '^$' <<<"$2" || true); }

self_check() {
  local work status=0
  work=$(mktemp -d)
  "$cc" -c -o "$work/fixture.o" "$here/coverage_fixture.c"
  local declared inline unexercised unused
  declared=$(declared_in "$here/coverage_fixture.h" 1)
  inline=$(inline_in "$here/coverage_fixture.h" 1)
  unexercised=$(missing_from "$declared" "$(called_in_binaries "$work/fixture.o")")
  unused=$(missing_from "$inline" "$(called_in_sources "$here/coverage_fixture.c")")
  rm -rf "$work"
  if [[ $declared != $'orca_fixture_called\norca_fixture_mentioned' || $unexercised != orca_fixture_mentioned ]]; then
    echo "self-check failed: declared [${declared//$'\n'/ }], reported not exercised [${unexercised//$'\n'/ }];" \
         "expected only orca_fixture_mentioned"
    status=1
  fi
  if [[ $inline != $'wasm_fixture_inline_called\nwasm_fixture_inline_mentioned' ||
        $unused != wasm_fixture_inline_mentioned ]]; then
    echo "self-check failed: inline [${inline//$'\n'/ }], reported unused [${unused//$'\n'/ }];" \
         "expected only wasm_fixture_inline_mentioned"
    status=1
  fi
  if [[ $status -eq 0 ]]; then echo "self-check: a function only mentioned in a comment or a string is not exercised"; fi
  return "$status"
}

self_check

declared=$(declared_in "$header" "$own")
inline=$(inline_in "$header" "$own")
exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort -u)
called=$(called_in_binaries "${binaries[@]}")
sources=("$srcdir"/*.c)
called_inline=$(called_in_sources "${sources[@]}")

total=$(grep -c . <<<"$declared" || true)
if [[ $total -eq 0 ]]; then echo "no functions found in $header"; exit 1; fi
not_exported=$(missing_from "$declared" "$exported")
not_called=$(missing_from "$declared" "$called")
inline_total=$(grep -c . <<<"$inline" || true)
inline_unused=$(missing_from "$inline" "$called_inline")
sed 's/^/not exported: /' <<<"$not_exported" | grep -v ': $' || true
sed 's/^/not exercised by a test: /' <<<"$not_called" | grep -v ': $' || true
sed 's/^/inline helper not called by a test: /' <<<"$inline_unused" | grep -v ': $' || true
extra=""
if [[ $own -eq 0 ]]; then
  extra=$(missing_from "$exported" "$declared")
  if [[ -n $extra ]]; then echo "exported but not declared in $(basename "$header"):"; echo "$extra"; fi
fi

count() { grep -c . <<<"$1" || true; }
echo "$(basename "$header")$([[ $own -eq 1 ]] && echo " (own declarations)"): $total functions," \
     "$((total - $(count "$not_exported"))) exported, $((total - $(count "$not_called"))) exercised;" \
     "$inline_total inline helpers, $((inline_total - $(count "$inline_unused"))) called"
[[ -z $not_exported && -z $not_called && -z $inline_unused && -z $extra ]]
