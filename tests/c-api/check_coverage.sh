#!/usr/bin/env bash
# Lists every function declared in the header (wasi.h includes orca.h, which includes wasm.h) and
# checks that each is
#   - exported by liborca.so (nm -D --defined-only), and
#   - referenced by at least one test program (an undefined symbol of a linked test binary: the
#     capi_* programs, and any further binaries given after the five arguments).
# Static inline helpers of the header are not library symbols; each must appear in a test source.
# Usage: check_coverage.sh HEADER LIBORCA_SO CC TEST_SOURCE_DIR TEST_BINARY_DIR [MORE_TEST_BINARIES...]
set -euo pipefail
header=$1 lib=$2 cc=$3 srcdir=$4 bindir=$5
shift 5
more=("$@")

# Preprocessing expands the declaring macros; each exported declaration carries the visibility
# attribute that WASM_API_EXTERN expands to.
declared=$("$cc" -E -P -x c "$header" | tr '\n' ' ' | sed 's/;/;\n/g' |
  grep 'visibility("default")' | grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' |
  grep -vE '^(__attribute__|visibility)' | sed 's/[[:space:]]*($//' | grep -E '^(wasm|wasi|orca)_' |
  sort -u)
inline=$("$cc" -E -P -x c "$header" | grep -oE 'static inline [^(]*\b(wasm_[A-Za-z0-9_]*)\(' |
  sed -E 's/.*\b(wasm_[A-Za-z0-9_]*)\($/\1/' | grep -v '^wasm_orca_' | sort -u)

exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort -u)
referenced=$(for b in "$bindir"/capi_* "${more[@]}"; do
  if [[ -x $b && $(basename "$b") != capi_wat2wasm ]]; then nm -u "$b" | awk '{print $2}'; fi
done | sed 's/@.*//' | sort -u)

total=0 missing_export=0 missing_use=0
for f in $declared; do
  total=$((total + 1))
  if ! grep -qx "$f" <<<"$exported"; then echo "not exported: $f"; missing_export=$((missing_export + 1)); fi
  if ! grep -qx "$f" <<<"$referenced"; then echo "not exercised by a test: $f"; missing_use=$((missing_use + 1)); fi
done
inline_total=0 inline_missing=0
for f in $inline; do
  inline_total=$((inline_total + 1))
  if ! grep -qw "$f" "$srcdir"/*.c; then echo "inline helper not used by a test: $f"; inline_missing=$((inline_missing + 1)); fi
done
extra=$(comm -13 <(tr ' ' '\n' <<<"$declared" | sort -u) <(grep -v '^$' <<<"$exported") || true)
if [[ -n $extra ]]; then echo "exported but not declared in $(basename "$header"):"; echo "$extra"; fi

echo "$(basename "$header"): $total functions, $((total - missing_export)) exported, $((total - missing_use)) exercised;" \
     "$inline_total inline helpers, $((inline_total - inline_missing)) used"
[[ $missing_export -eq 0 && $missing_use -eq 0 && $inline_missing -eq 0 && -z $extra ]]
