/*
 * The hand-written JNI half of the Java binding, shared by SWIG's orca_wrap.c (generated from
 * bindings/orca.i) and the files beside this one: the exceptions, byte arrays, and the JavaVM
 * cached when the library loads.
 */
#ifndef ORCA_JNI_H
#define ORCA_JNI_H

#include <jni.h>
#include <stddef.h>

#include "orca.h"
#include "wasi.h"

/* Visible inside liborca_jni.so only; the version script exports Java_* and JNI_OnLoad. */
#define ORCA_JNI_INTERNAL __attribute__((visibility("hidden")))

/* What JNI_OnLoad looked up once (global references and IDs stay valid for the VM's life). */
typedef struct OrcaJni {
  JavaVM* vm;
  jclass exceptionClass;    /* io.orca.OrcaException */
  jmethodID fromNative;     /* static OrcaException fromNative(int, String, int, int, long[], String[]) */
  jclass bridgeClass;       /* io.orca.HostBridge */
  jmethodID bridgeInvoke;   /* String invoke(long caller, long[] slots) */
  jmethodID bridgePassedTrap; /* static long passedTrap() */
  jclass stringClass;       /* java.lang.String */
  jclass oomClass;          /* java.lang.OutOfMemoryError */
} OrcaJni;

ORCA_JNI_INTERNAL extern OrcaJni orcaJni;

/* Throws `error` as io.orca.OrcaException of its kind and deletes it. */
ORCA_JNI_INTERNAL void orca_jni_throw_error(JNIEnv* env, orca_error_t* error);
/* Throws a trap of a call as io.orca.TrapException (ExitException for an exit) and deletes it. */
ORCA_JNI_INTERNAL void orca_jni_throw_trap(JNIEnv* env, wasm_trap_t* trap);
/* A new byte[] holding a copy of the bytes; null with OutOfMemoryError pending when it fails. */
ORCA_JNI_INTERNAL jbyteArray orca_jni_bytes(JNIEnv* env, const wasm_byte_t* data, size_t size);

#endif /* ORCA_JNI_H */
