#!/usr/bin/env bash
# Makes a fresh copy of the extension's sources in DEST, ready for phpize or `pecl package`:
#
#   php/prepare-sources.sh DEST
#
# DEST/php and DEST/bindings receive only the files git tracks, so nothing built in the checkout
# (SWIG output, phpize's files, modules/) can leak into a build or a package; then generate.sh
# makes orca_wrap.c, php_orca.h and orca_prelude.h in DEST/php. DEST must not exist yet.
set -euo pipefail
dest="${1:?usage: php/prepare-sources.sh DEST}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -e "$dest" ]; then
  echo "prepare-sources: $dest exists already; give a new directory" >&2
  exit 2
fi
if ! files="$(git -C "$root" ls-files -- php bindings)" || [ -z "$files" ]; then
  echo "prepare-sources: $root is not a git checkout with php/ tracked; the copy takes tracked files only" >&2
  exit 2
fi
mkdir -p "$dest"
# Working-tree contents of the tracked files, so that uncommitted edits are built as they are.
(cd "$root" && printf '%s\n' "$files" | while IFS= read -r file; do
  [ -e "$file" ] && cp --parents "$file" "$dest/"
done)
"$dest/php/generate.sh"
