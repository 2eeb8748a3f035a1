#!/usr/bin/env bash
# Checks the two ways users install the gem, each into a fresh GEM_HOME, against the Orca release
# DIST (what ci/package.sh makes). One line per check, and last "ruby-install: N passed, N failed".
#
# (a) the platform gem (ruby/platform-gem.sh): `gem install --local` and a wasm call with a PATH
#     that has ruby and gem but no compiler or make, and an installed orca.so that needs no liborca;
# (b) the source gem (`gem build`): `gem install --local` compiles it against a liborca that
#     pkg-config finds (DIST copied into a temporary prefix, PKG_CONFIG_PATH pointing there), then
#     the same wasm call.
#
#   ruby/install-check.sh DIST
set -uo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIST" >&2
  exit 2
fi
dist="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() { # check NAME COMMAND...: runs the command, its output into $work/NAME.log
  local name="$1"
  shift
  if "$@" >"$work/$name.log" 2>&1; then
    echo "ok $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name:"
    tail -n 20 "$work/$name.log" | sed 's/^/  /'
    failed=$((failed + 1))
  fi
}

# A wasm function through the installed gem only (no -I), with the PATH and GEM_HOME given.
call_42() { # call_42 GEM_HOME PATH
  # shellcheck disable=SC2016
  [ "$(env -u RUBYLIB -u RUBYOPT GEM_HOME="$1" GEM_PATH="$1" PATH="$2" ruby -e '
    require "orca"
    engine = Orca::Engine.new(cache: false)
    mod = Orca::Module.from_wat(engine, %q{(module (func (export "add") (param i32 i32) (result i32)
      local.get 0 local.get 1 i32.add))})
    puts Orca::Instance.new(Orca::Store.new(engine), mod).exports.add.call(40, 2)')" = 42 ]
}

# The installed orca.so (one, under GEM_HOME) depends on system libraries only: every library
# resolves and none is Orca's.
only_system_libraries() { # only_system_libraries GEM_HOME
  local so
  so="$(find "$1" -name orca.so -path '*/lib/orca/*' | head -n 1)"
  [ -n "$so" ] || { echo "no orca.so under $1"; return 1; }
  ldd "$so"
  ! ldd "$so" | grep -E 'not found|orca'
}

# A PATH of symlinks to ruby and gem (and env, which gem's #! line uses) only.
bare="$work/bare-path"
mkdir -p "$bare"
for tool in ruby gem env; do ln -s "$(command -v "$tool")" "$bare/$tool"; done
no_build_tools() {
  local tool
  for tool in cc gcc clang make ld; do
    if PATH="$bare" command -v "$tool"; then echo "$tool is on the bare PATH"; return 1; fi
  done
}

# (a) The platform gem.
platform_home="$work/platform-home"
check platform-gem-build "$here/platform-gem.sh" "$dist" "$work/gems"
platform_gem="$work/gems/orca-0.1.0-x86_64-linux.gem"
check platform-no-compiler no_build_tools
check platform-gem-install env GEM_HOME="$platform_home" GEM_PATH="$platform_home" PATH="$bare" \
  gem install --local --no-document "$platform_gem"
check platform-no-liborca only_system_libraries "$platform_home"
check platform-call-42 call_42 "$platform_home" "$bare"

# (b) The source gem, against a liborca that pkg-config finds.
source_home="$work/source-home"
prefix="$work/prefix"
install_dist() {
  mkdir -p "$prefix/lib" && cp -r "$dist/include" "$prefix/" &&
    cp -r "$dist/lib/liborca.a" "$dist/lib/pkgconfig" "$prefix/lib/" &&
    PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --exists orca
}
build_source_gem() {
  mkdir -p "$work/source" && cp -r "$here/lib" "$here/ext" "$here/sig" "$here/orca.gemspec" "$work/source/" &&
    rm -f "$work/source/lib/orca/orca.so" && (cd "$work/source" && gem build orca.gemspec)
}
check source-prefix install_dist
check source-gem-build build_source_gem
check source-gem-install env GEM_HOME="$source_home" GEM_PATH="$source_home" PKG_CONFIG_PATH="$prefix/lib/pkgconfig" \
  gem install --local --no-document "$work/source/orca-0.1.0.gem"
check source-no-liborca only_system_libraries "$source_home"
check source-call-42 call_42 "$source_home" "$PATH"

echo "ruby-install: $passed passed, $failed failed"
[ "$failed" = 0 ]
