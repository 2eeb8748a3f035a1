# Sourced by the java/*.sh scripts that take one argument, DIST (an Orca release, what
# ci/package.sh makes): checks the usage and sets `dist` (absolute) and `here` (this directory).
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 DIST" >&2
  exit 2
fi
dist="$(cd "$1" && pwd)" || exit 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
