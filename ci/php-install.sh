#!/usr/bin/env bash
# Checks that the PHP extension installs the PHP ways, each from a fresh copy of the tracked sources:
#
#   ci/php-install.sh DIST
#
#   (a) source: phpize && ./configure --with-orca=DIST && make && make install, then
#       `php -d extension=orca` calls a wasm function; then the installed orca.so is removed again
#   (b) pecl:   php/pecl-package.sh, `pecl install --offline -D with-orca=DIST` from the .tgz, the same
#       call, then `pecl uninstall orca`
#   (c) prebuilt: DIST/php/orca.so (ci/package.sh makes it with php/prebuilt.sh), ldd shows no liborca, `php -n -d extension=/path/orca.so` calls it
#   (d) pkg-config: a bare ./configure finds DIST's liborca.a through PKG_CONFIG_PATH=DIST/lib/pkgconfig,
#       and without it stops with "cannot find liborca.a"
#
# DIST is what ci/package.sh makes (lib/liborca.a, include/). (a) and (b) write PHP's extension_dir
# (run as root, as CI does) and leave the machine as they found it: no orca.so there afterwards,
# nothing in php.ini. Prints one line per check and "php-install: N passed, N failed"; the exit
# status is 1 when a check failed.
set -uo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIST" >&2
  exit 2
fi
dist="$(cd "$1" 2>/dev/null && pwd || echo "$1")"
root="$(cd "$(dirname "$0")/.." && pwd)"
ext_so="$(php-config --extension-dir)/orca.so"
# The module of the issue's acceptance: 40 + 2 from wasm.
add_42='$e = new Orca\Engine(); $s = new Orca\Store($e);
  $m = Orca\Module::fromWat($e, "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))");
  echo Orca\Instance::new($s, $m)->func("add")(40, 2);'

# Removing an orca.so that was there before would break that machine, so the check refuses to start.
if [ -e "$ext_so" ] || php -m 2>/dev/null | grep -qx orca || pecl list 2>/dev/null | grep -q '^orca '; then
  echo "php-install: an orca extension is installed already ($ext_so, php -m or pecl list); remove it first" >&2
  exit 2
fi
if [ ! -w "$(dirname "$ext_so")" ]; then
  echo "php-install: cannot write $(dirname "$ext_so"), where make install and pecl install put orca.so; run as root" >&2
  exit 2
fi
work="$(mktemp -d)"
made_ext_so=no
pecl_installed=no
cleanup() {
  if [ "$pecl_installed" = yes ]; then pecl -d php_ini= uninstall orca >/dev/null 2>&1; fi
  if [ "$made_ext_so" = yes ]; then rm -f "$ext_so"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# PHP with the given options prints 42 from the wasm function.
calls_wasm() {
  local got
  got="$(php "$@" -r "$add_42" 2>&1)"
  echo "php $* -r ...: $got"
  [ "$got" = 42 ]
}

# After an uninstall: no orca.so in extension_dir and no orca in PHP's default modules.
left_nothing() {
  if [ -e "$ext_so" ]; then echo "$ext_so is still there"; return 1; fi
  if php -m | grep -qx orca; then echo "php -m still lists orca (php.ini?)"; return 1; fi
}

# The ini files PHP reads, with their contents: pecl must not enable the extension in any of them.
ini_state() {
  php --ini | sed -n 's/^[^/]*\(\/.*\.ini\),*$/\1/p' | tr ',' '\n' | sed 's/^ *//' | xargs -r md5sum
}

from_source() {
  "$root/php/prepare-sources.sh" "$work/a" || return 1
  (cd "$work/a/php" && phpize && ./configure --with-orca="$dist" && make -j "$(nproc)") || return 1
  made_ext_so=yes
  (cd "$work/a/php" && make install) || return 1
  calls_wasm -d extension=orca || return 1
  rm -f "$ext_so" && made_ext_so=no
  left_nothing
}

from_pecl() {
  local tgz ini_before
  tgz="$("$root/php/pecl-package.sh" "$work/b" | tail -n 1)" || return 1
  ini_before="$(ini_state)"
  pecl_installed=yes
  # Offline: the tarball is local and its only dependencies are PHP and the PEAR installer. An
  # empty php_ini for this run keeps pecl from enabling the extension in a php.ini it was given.
  pecl -d php_ini= install --offline -D "with-orca=\"$dist\"" "$tgz" </dev/null || return 1
  [ -e "$ext_so" ] || { echo "pecl install left no $ext_so"; return 1; }
  calls_wasm -d extension=orca || return 1
  pecl -d php_ini= uninstall orca || return 1
  pecl_installed=no
  left_nothing || return 1
  [ "$(ini_state)" = "$ini_before" ] || { echo "pecl changed an ini file of PHP"; return 1; }
}

# The one ci/package.sh shipped in DIST/php, else one built here.
prebuilt() {
  local so="$dist/php/orca.so"
  if [ ! -f "$so" ]; then so="$("$root/php/prebuilt.sh" "$dist" "$work/c" | tail -n 1)" || return 1; fi
  ldd "$so" || return 1
  if ldd "$so" | grep -E 'liborca|not found'; then
    echo "$so needs a library at run time that a server may not have (above)"
    return 1
  fi
  calls_wasm -n -d extension="$so"
}

# In a subshell, since it works in the copy's directory.
from_pkg_config() (
  "$root/php/prepare-sources.sh" "$work/d" || return 1
  cd "$work/d/php" && phpize || return 1
  PKG_CONFIG_PATH="$dist/lib/pkgconfig" ./configure >configure.log 2>&1
  grep "^checking for liborca.a through pkg-config orca" configure.log
  grep -qx "checking for liborca.a through pkg-config orca... $dist/lib/liborca.a" configure.log ||
    return 1
  # Where Orca is installed in /usr/local, configure rightly finds it there; the error is not due.
  if [ -e /usr/local/lib/liborca.a ]; then return 0; fi
  if PKG_CONFIG_PATH="" PKG_CONFIG_LIBDIR=/nonexistent ./configure >configure.log 2>&1; then
    echo "configure found a liborca.a without pkg-config or /usr/local"
    return 1
  fi
  grep "error: cannot find liborca.a" configure.log
)

passed=0
failed=0
check() {
  local name="$1" log="$work/check-$((passed + failed)).log"
  shift
  if "$@" >"$log" 2>&1; then
    echo "php-install: ok     $name"
    passed=$((passed + 1))
  else
    echo "php-install: FAILED $name"
    tail -n 15 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

check "(a) phpize, configure, make, make install, php -d extension=orca" from_source
check "(b) pecl package, pecl install orca-VERSION.tgz, php -d extension=orca, pecl uninstall" from_pecl
check "(c) prebuilt orca.so: no liborca in ldd, php -n -d extension=PATH" prebuilt
check "(d) ./configure without --with-orca: pkg-config orca, else cannot find liborca.a" from_pkg_config
echo "php-install: $passed passed, $failed failed"
[ "$failed" = 0 ]
