#!/usr/bin/env bash
# Makes the Java binding's native half, run by Maven in generate-sources (pom.xml):
# SWIG's io.orca.internal classes (TARGET/generated-sources/swig) and orca_wrap.c from
# ../bindings/orca.i, then liborca_jni.so from orca_wrap.c, the hand-written JNI C in
# src/main/native and DIST/lib/liborca.a, into TARGET/classes/native/linux-x86_64 where the jar
# takes it from. The library exports only Java_* and JNI_OnLoad (orca_jni.map).
#
#   java/native.sh DIST TARGET
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 DIST TARGET" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
dist="$1"
target="$2"
if [ ! -f "$dist/lib/liborca.a" ] || [ ! -f "$dist/include/orca.h" ]; then
  echo "native.sh: no Orca release in $dist (need lib/liborca.a and include/orca.h); pass -Dorca.dist=DIR" >&2
  exit 1
fi
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
swig_out="$target/generated-sources/swig/io/orca/internal"
build="$target/native"
lib_dir="$target/classes/native/linux-x86_64"
rm -rf "$swig_out" "$build"
mkdir -p "$swig_out" "$build" "$lib_dir"

# Warning 453: orca.i's DISOWN applies to proxy classes, which the Java layer does not use.
swig -java -nopgcpp -w453 -package io.orca.internal -I"$dist/include" -outdir "$swig_out" -o "$build/orca_wrap.c" \
  "$here/../bindings/orca.i"

# SWIG casts jlong handles through pointers, which its manual says needs -fno-strict-aliasing.
cflags=(-O2 -g -fPIC -fno-strict-aliasing -fvisibility=hidden -Wall -Wno-unused-function -I"$dist/include" -I"$java_home/include"
        -I"$java_home/include/linux" -I"$here/src/main/native")
objects=()
for source in "$build/orca_wrap.c" "$here"/src/main/native/*.c; do
  object="$build/$(basename "${source%.c}").o"
  cc "${cflags[@]}" -c "$source" -o "$object"
  objects+=("$object")
done
# libstdc++ goes in statically, so the library needs only libc, libm and libgcc_s from the system;
# debug sections are left out of the jar (symbols stay, for backtraces).
c++ -shared -o "$lib_dir/liborca_jni.so" "${objects[@]}" "$dist/lib/liborca.a" \
  -static-libstdc++ -lm -lpthread -ldl -Wl,--version-script="$here/src/main/native/orca_jni.map" \
  -Wl,--no-undefined -Wl,-z,noexecstack -Wl,--strip-debug
