dnl The Orca extension: SWIG's wrapper (made by generate.sh before phpize) linked with the
dnl self-contained static liborca.a, so the extension needs no liborca.so at run time.
PHP_ARG_WITH([orca],
  [for Orca WebAssembly support],
  [AS_HELP_STRING([--with-orca=DIR],
    [Orca build directory or install prefix: DIR/lib/liborca.a, and the headers in DIR/include
     or (a build directory in the source tree) DIR/../c-api/include])])

if test "$PHP_ORCA" != "no"; then
  if test "$PHP_ORCA" = "yes"; then
    PHP_ORCA=/usr/local
  fi
  ORCA_DIR=`cd "$PHP_ORCA" 2>/dev/null && pwd`
  AC_MSG_CHECKING([for liborca.a])
  if test -f "$ORCA_DIR/lib/liborca.a"; then
    AC_MSG_RESULT([$ORCA_DIR/lib/liborca.a])
  else
    AC_MSG_ERROR([no lib/liborca.a in $PHP_ORCA (build it with ORCA_BUILD_TARGETS=orca_static ci/build.sh)])
  fi
  AC_MSG_CHECKING([for Orca's headers])
  ORCA_INCLUDE=""
  for candidate in "$ORCA_DIR/include" "$ORCA_DIR/../c-api/include"; do
    if test -z "$ORCA_INCLUDE" && test -f "$candidate/wasi.h"; then
      ORCA_INCLUDE="$candidate"
    fi
  done
  if test -z "$ORCA_INCLUDE"; then
    AC_MSG_ERROR([no wasi.h in $PHP_ORCA/include or $PHP_ORCA/../c-api/include])
  fi
  AC_MSG_RESULT([$ORCA_INCLUDE])
  if test ! -f "$srcdir/orca_wrap.c"; then
    AC_MSG_ERROR([orca_wrap.c is missing: run generate.sh before phpize])
  fi

  PHP_ADD_INCLUDE([$ORCA_INCLUDE])
  dnl The archive by path, not -lorca, so that a liborca.so beside it is never chosen.
  ORCA_SHARED_LIBADD="$ORCA_DIR/lib/liborca.a -lstdc++ -lm -lpthread -ldl"
  PHP_SUBST(ORCA_SHARED_LIBADD)
  PHP_NEW_EXTENSION(orca, orca_wrap.c, $ext_shared)
fi
