#!/usr/bin/env bash
# Builds the platform gem orca-VERSION-x86_64-linux.gem into OUT: the compiled extension (orca.so,
# Orca's static library linked in) inside, no extensions to build, so `gem install` needs no
# compiler and no liborca. The extension is built from a clean copy of ruby/ against the Orca
# release DIST (what ci/package.sh makes); it fits the Ruby minor version that built it, which the
# gem requires.
#
#   ruby/platform-gem.sh DIST OUT
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 DIST OUT" >&2
  exit 2
fi
dist="$(cd "$1" && pwd)"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A clean copy: no orca.so or gem left over from a development build.
mkdir -p "$work/gem"
cp -r "$here/lib" "$here/ext" "$here/sig" "$here/orca.gemspec" "$work/gem/"
rm -f "$work/gem/lib/orca/orca.so"
mkdir -p "$work/build"
(cd "$work/build" && ruby "$work/gem/ext/orca/extconf.rb" --with-orca-dir="$dist" >extconf.log &&
  make V=0 -j2 >make.log 2>&1) || { cat "$work/build/"{extconf.log,mkmf.log,make.log} 2>/dev/null; exit 1; }
cp "$work/build/orca.so" "$work/gem/lib/orca/orca.so"
cd "$work/gem"
# The source gem's specification, turned into the platform one.
ruby -rrubygems/package -e '
  spec = Gem::Specification.load("orca.gemspec")
  spec.platform = Gem::Platform.new("x86_64-linux")
  spec.extensions = []
  spec.files = Dir["lib/**/*.rb", "lib/orca/orca.so", "sig/**/*.rbs"]
  minor = RUBY_VERSION[/\A\d+\.\d+/]
  spec.required_ruby_version = "~> #{minor}.0"
  spec.description = "A C extension over Orca'"'"'s C API, compiled for Ruby #{minor} on x86_64 Linux, " \
                     "with Orca'"'"'s static library inside: installing it needs no compiler and no liborca."
  file = Gem::Package.build(spec)
  File.rename(file, File.join(ARGV[0], file))
  puts File.join(ARGV[0], file)
' "$out"
