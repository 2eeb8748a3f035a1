dnl The Orca extension: SWIG's wrapper (made by generate.sh before phpize) linked with the
dnl self-contained static liborca.a, so the extension needs no liborca.so at run time.
dnl The extension is on by default, so that a bare `./configure` (and `pecl install`) builds it.
PHP_ARG_WITH([orca],
  [for Orca WebAssembly support],
  [AS_HELP_STRING([[--with-orca[=DIR]]],
    [Orca build directory or install prefix: DIR/lib/liborca.a, and the headers in DIR/include
     or (a build directory in the source tree) DIR/../c-api/include. Without DIR, the library
     that `pkg-config orca` names, then /usr/local])],
  [yes])

if test "$PHP_ORCA" != "no"; then
  ORCA_LIB=""
  ORCA_INCLUDE=""
  if test "$PHP_ORCA" != "yes"; then
    dnl A directory the user named is the only place looked at, so a mistake in it is reported
    dnl rather than silently replaced by another installed copy.
    ORCA_DIR=`cd "$PHP_ORCA" 2>/dev/null && pwd`
    AC_MSG_CHECKING([for liborca.a])
    if test -n "$ORCA_DIR" && test -f "$ORCA_DIR/lib/liborca.a"; then
      ORCA_LIB="$ORCA_DIR/lib/liborca.a"
      AC_MSG_RESULT([$ORCA_LIB])
    else
      AC_MSG_ERROR([no lib/liborca.a in $PHP_ORCA: --with-orca=DIR names an Orca install prefix or build directory (ORCA_BUILD_TARGETS=orca_static ci/build.sh makes build/lib/liborca.a)])
    fi
    AC_MSG_CHECKING([for Orca's headers])
    for candidate in "$ORCA_DIR/include" "$ORCA_DIR/../c-api/include"; do
      if test -z "$ORCA_INCLUDE" && test -f "$candidate/wasi.h"; then
        ORCA_INCLUDE="$candidate"
      fi
    done
    if test -z "$ORCA_INCLUDE"; then
      AC_MSG_ERROR([no wasi.h in $PHP_ORCA/include or $PHP_ORCA/../c-api/include])
    fi
    AC_MSG_RESULT([$ORCA_INCLUDE])
  else
    dnl No directory given: an installed Orca, first the one pkg-config knows (its orca.pc
    dnl may be relocated, so the paths are taken from its variables), then /usr/local.
    AC_MSG_CHECKING([for liborca.a through pkg-config orca])
    if test -n "$PKG_CONFIG" && $PKG_CONFIG --exists orca 2>/dev/null; then
      orca_pc_libdir=`$PKG_CONFIG --variable=libdir orca`
      orca_pc_includedir=`$PKG_CONFIG --variable=includedir orca`
      if test -f "$orca_pc_libdir/liborca.a" && test -f "$orca_pc_includedir/wasi.h"; then
        ORCA_LIB=`cd "$orca_pc_libdir" && pwd`/liborca.a
        ORCA_INCLUDE=`cd "$orca_pc_includedir" && pwd`
      fi
    fi
    AC_MSG_RESULT([${ORCA_LIB:-no}])
    if test -z "$ORCA_LIB"; then
      AC_MSG_CHECKING([for liborca.a in /usr/local])
      if test -f /usr/local/lib/liborca.a && test -f /usr/local/include/wasi.h; then
        ORCA_LIB=/usr/local/lib/liborca.a
        ORCA_INCLUDE=/usr/local/include
      fi
      AC_MSG_RESULT([${ORCA_LIB:-no}])
    fi
    if test -z "$ORCA_LIB"; then
      AC_MSG_ERROR([cannot find liborca.a (Orca's static library) and its headers: pass --with-orca=DIR (an Orca install prefix or build directory), or let pkg-config find orca.pc (PKG_CONFIG_PATH=DIR/lib/pkgconfig); with pecl: pecl install -D 'with-orca="DIR"' orca-VERSION.tgz])
    fi
    AC_MSG_CHECKING([for Orca's headers])
    AC_MSG_RESULT([$ORCA_INCLUDE])
  fi
  if test ! -f "$srcdir/orca_wrap.c"; then
    AC_MSG_ERROR([orca_wrap.c is missing: run generate.sh before phpize])
  fi

  dnl The archive by path, not -lorca, so that a liborca.so beside it is never chosen.
  ORCA_SHARED_LIBADD="$ORCA_LIB -lstdc++ -lm -lpthread -ldl"
  dnl A shared extension links with undefined symbols allowed (PHP provides its own at load
  dnl time), so a wrong or foreign archive would only show when PHP loads orca.so. A test
  dnl program that makes an engine finds it here instead.
  AC_MSG_CHECKING([whether $ORCA_LIB provides the wasm.h C API])
  orca_saved_LIBS="$LIBS"
  orca_saved_CPPFLAGS="$CPPFLAGS"
  LIBS="$ORCA_SHARED_LIBADD $LIBS"
  CPPFLAGS="-I$ORCA_INCLUDE $CPPFLAGS"
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <wasm.h>]], [[wasm_engine_delete(wasm_engine_new());]])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_ERROR([$ORCA_LIB does not link into a program calling wasm_engine_new (see config.log): give --with-orca the Orca install prefix or build directory that ci/package.sh or ci/build.sh made for this machine])])
  LIBS="$orca_saved_LIBS"
  CPPFLAGS="$orca_saved_CPPFLAGS"

  PHP_ADD_INCLUDE([$ORCA_INCLUDE])
  PHP_SUBST(ORCA_SHARED_LIBADD)
  PHP_NEW_EXTENSION(orca, orca_wrap.c, $ext_shared)
fi
