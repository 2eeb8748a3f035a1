/*
 * Calls and values for io.orca.Native: a call's arguments and results travel as a long[] of two
 * longs per 16-byte slot (orca_val_raw_t: the low 8 bytes, then the high 8 for a v128), which the
 * Java layer packs and unpacks by the function's types. Function references are handles that
 * the Java layer owns, converted to and from raw slots here.
 */
#include <stdlib.h>
#include <string.h>

#include "orca_jni.h"

#define ORCA_JNI_STACK_SLOTS 16

static void orca_jni_slot_from_longs(orca_val_raw_t* slot, const jlong pair[2]) {
  memcpy(slot->v128, pair, 16);
}

static void orca_jni_slot_to_longs(const orca_val_raw_t* slot, jlong pair[2]) {
  memcpy(pair, slot->v128, 16);
}

/* Calls the function with the slots; the results replace them from slot 0. A trap is thrown. */
JNIEXPORT void JNICALL Java_io_orca_Native_call(JNIEnv* env, jclass cls, jlong func, jlongArray slots) {
  (void)cls;
  jsize longs = (*env)->GetArrayLength(env, slots);
  size_t count = (size_t)longs / 2;
  orca_val_raw_t stack[ORCA_JNI_STACK_SLOTS];
  orca_val_raw_t* raw = count <= ORCA_JNI_STACK_SLOTS ? stack : (orca_val_raw_t*)aligned_alloc(16, count * 16);
  if (!raw) {
    (*env)->ThrowNew(env, orcaJni.oomClass, "no memory for the call's arguments");
    return;
  }
  /* Copied, not pinned: the guest may call back into Java, which a critical region forbids. */
  jlong pairs[2 * ORCA_JNI_STACK_SLOTS];
  for (size_t done = 0; done < count; done += ORCA_JNI_STACK_SLOTS) {
    size_t n = count - done < ORCA_JNI_STACK_SLOTS ? count - done : ORCA_JNI_STACK_SLOTS;
    (*env)->GetLongArrayRegion(env, slots, (jsize)(2 * done), (jsize)(2 * n), pairs);
    for (size_t i = 0; i < n; ++i) orca_jni_slot_from_longs(&raw[done + i], &pairs[2 * i]);
  }
  wasm_trap_t* trap = orca_func_call_unchecked((const wasm_func_t*)(intptr_t)func, raw, count);
  if (trap) {
    orca_jni_throw_trap(env, trap);
  } else {
    for (size_t done = 0; done < count; done += ORCA_JNI_STACK_SLOTS) {
      size_t n = count - done < ORCA_JNI_STACK_SLOTS ? count - done : ORCA_JNI_STACK_SLOTS;
      for (size_t i = 0; i < n; ++i) orca_jni_slot_to_longs(&raw[done + i], &pairs[2 * i]);
      (*env)->SetLongArrayRegion(env, slots, (jsize)(2 * done), (jsize)(2 * n), pairs);
    }
  }
  if (raw != stack) free(raw);
}

/* A function handle (0 for null) as a raw funcref slot of the store. */
JNIEXPORT jlong JNICALL Java_io_orca_Native_funcToRaw(JNIEnv* env, jclass cls, jlong store, jlong func) {
  (void)env;
  (void)cls;
  if (!func) return 0;
  void* raw = NULL;
  const wasm_ref_t* ref = wasm_func_as_ref_const((const wasm_func_t*)(intptr_t)func);
  if (!orca_ref_to_raw((wasm_store_t*)(intptr_t)store, ref, WASM_FUNCREF, &raw)) return 0;
  return (jlong)(intptr_t)raw;
}

/* Owns a function reference's function as a new handle; 0 for null or another kind. */
static jlong orca_jni_func_of_ref(wasm_ref_t* ref) {
  if (!ref) return 0;
  const wasm_func_t* func = wasm_ref_as_func_const(ref);
  jlong handle = func ? (jlong)(intptr_t)wasm_func_copy(func) : 0;
  wasm_ref_delete(ref);
  return handle;
}

/* A raw funcref slot as a new function handle, or 0 for ref.null. */
JNIEXPORT jlong JNICALL Java_io_orca_Native_funcFromRaw(JNIEnv* env, jclass cls, jlong store, jlong raw) {
  (void)env;
  (void)cls;
  if (!raw) return 0;
  return orca_jni_func_of_ref(orca_ref_from_raw((wasm_store_t*)(intptr_t)store, (void*)(intptr_t)raw, WASM_FUNCREF));
}

JNIEXPORT void JNICALL Java_io_orca_Native_globalGet(JNIEnv* env, jclass cls, jlong global, jlongArray slot) {
  (void)cls;
  orca_val_raw_t raw;
  jlong pair[2];
  orca_global_get_raw((const wasm_global_t*)(intptr_t)global, &raw);
  orca_jni_slot_to_longs(&raw, pair);
  (*env)->SetLongArrayRegion(env, slot, 0, 2, pair);
}

JNIEXPORT jboolean JNICALL Java_io_orca_Native_globalSet(JNIEnv* env, jclass cls, jlong global, jlong low, jlong high) {
  (void)env;
  (void)cls;
  orca_val_raw_t raw;
  jlong pair[2] = {low, high};
  orca_jni_slot_from_longs(&raw, pair);
  return orca_global_set_raw((wasm_global_t*)(intptr_t)global, &raw) ? JNI_TRUE : JNI_FALSE;
}

/* The function at `index` of a funcref table as a new handle; 0 for null (the caller checked the
 * index against the size). */
JNIEXPORT jlong JNICALL Java_io_orca_Native_tableGet(JNIEnv* env, jclass cls, jlong table, jint index) {
  (void)env;
  (void)cls;
  return orca_jni_func_of_ref(wasm_table_get((const wasm_table_t*)(intptr_t)table, (wasm_table_size_t)index));
}

static wasm_ref_t* orca_jni_ref_of_func(jlong func) {
  return func ? wasm_func_as_ref((wasm_func_t*)(intptr_t)func) : NULL;
}

JNIEXPORT jboolean JNICALL Java_io_orca_Native_tableSet(JNIEnv* env, jclass cls, jlong table, jint index, jlong func) {
  (void)env;
  (void)cls;
  return wasm_table_set((wasm_table_t*)(intptr_t)table, (wasm_table_size_t)index, orca_jni_ref_of_func(func))
             ? JNI_TRUE
             : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_io_orca_Native_tableGrow(JNIEnv* env, jclass cls, jlong table, jint delta, jlong func) {
  (void)env;
  (void)cls;
  return wasm_table_grow((wasm_table_t*)(intptr_t)table, (wasm_table_size_t)delta, orca_jni_ref_of_func(func))
             ? JNI_TRUE
             : JNI_FALSE;
}

/* A direct ByteBuffer over the memory's bytes as they are now (the base never moves while the
 * store lives; a grow makes a larger view necessary). */
JNIEXPORT jobject JNICALL Java_io_orca_Native_memoryBuffer(JNIEnv* env, jclass cls, jlong memory) {
  (void)cls;
  wasm_memory_t* handle = (wasm_memory_t*)(intptr_t)memory;
  return (*env)->NewDirectByteBuffer(env, wasm_memory_data(handle), (jlong)wasm_memory_data_size(handle));
}
