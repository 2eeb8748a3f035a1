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

/* Table elements travel as raw slots of the table's element kind (funcref or externref), so that
 * the Java layer converts them as it converts call values (Values). A table always belongs to the
 * store it is called with. */

/* The element at `index` as a raw slot (0 for null; the caller checked the index). */
JNIEXPORT jlong JNICALL Java_io_orca_Native_tableGet(JNIEnv* env, jclass cls, jlong store, jlong table, jint index,
                                                    jbyte kind) {
  (void)env;
  (void)cls;
  wasm_ref_t* ref = wasm_table_get((const wasm_table_t*)(intptr_t)table, (wasm_table_size_t)index);
  if (!ref) return 0;
  void* raw = NULL;
  if (!orca_ref_to_raw((wasm_store_t*)(intptr_t)store, ref, (wasm_valkind_t)(uint8_t)kind, &raw)) raw = NULL;
  wasm_ref_delete(ref);
  return (jlong)(intptr_t)raw;
}

/* The reference behind a raw slot, or null for 0. */
static wasm_ref_t* orca_jni_ref_of_raw(jlong store, jlong raw, jbyte kind) {
  if (!raw) return NULL;
  return orca_ref_from_raw((wasm_store_t*)(intptr_t)store, (void*)(intptr_t)raw, (wasm_valkind_t)(uint8_t)kind);
}

JNIEXPORT jboolean JNICALL Java_io_orca_Native_tableSet(JNIEnv* env, jclass cls, jlong store, jlong table, jint index,
                                                       jbyte kind, jlong raw) {
  (void)env;
  (void)cls;
  wasm_ref_t* ref = orca_jni_ref_of_raw(store, raw, kind);
  bool set = wasm_table_set((wasm_table_t*)(intptr_t)table, (wasm_table_size_t)index, ref);
  if (ref) wasm_ref_delete(ref);
  return set ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_io_orca_Native_tableGrow(JNIEnv* env, jclass cls, jlong store, jlong table, jint delta,
                                                        jbyte kind, jlong raw) {
  (void)env;
  (void)cls;
  wasm_ref_t* ref = orca_jni_ref_of_raw(store, raw, kind);
  bool grown = wasm_table_grow((wasm_table_t*)(intptr_t)table, (wasm_table_size_t)delta, ref);
  if (ref) wasm_ref_delete(ref);
  return grown ? JNI_TRUE : JNI_FALSE;
}

/* A new table of the store with null elements; 0 when the store refuses it (limits). */
JNIEXPORT jlong JNICALL Java_io_orca_Native_tableNew(JNIEnv* env, jclass cls, jlong store, jbyte kind, jint min,
                                                    jlong max) {
  (void)env;
  (void)cls;
  wasm_limits_t limits = {(uint32_t)min, max < 0 ? wasm_limits_max_default : (uint32_t)max};
  wasm_tabletype_t* type = wasm_tabletype_new(wasm_valtype_new((wasm_valkind_t)(uint8_t)kind), &limits);
  wasm_table_t* handle = wasm_table_new((wasm_store_t*)(intptr_t)store, type, NULL);
  wasm_tabletype_delete(type);
  return (jlong)(intptr_t)handle;
}

/* A new global of the store holding the raw slot's value (any kind but v128, which wasm_val_t
 * cannot carry: the Java layer refuses that first); 0 when the store refuses it. */
JNIEXPORT jlong JNICALL Java_io_orca_Native_globalNew(JNIEnv* env, jclass cls, jlong store, jbyte kind,
                                                     jboolean mutable_, jlong raw) {
  (void)env;
  (void)cls;
  wasm_val_t value;
  value.kind = (wasm_valkind_t)(uint8_t)kind;
  value.of.i64 = 0;
  switch (value.kind) {
    case WASM_I32: value.of.i32 = (int32_t)raw; break;
    case WASM_F32: {
      uint32_t bits = (uint32_t)raw;
      memcpy(&value.of.f32, &bits, sizeof bits);
      break;
    }
    case WASM_I64: value.of.i64 = raw; break;
    case WASM_F64: memcpy(&value.of.f64, &raw, sizeof raw); break;
    default: value.of.ref = orca_jni_ref_of_raw(store, raw, kind); break;
  }
  wasm_globaltype_t* type =
      wasm_globaltype_new(wasm_valtype_new(value.kind), mutable_ ? WASM_VAR : WASM_CONST);
  wasm_global_t* handle = wasm_global_new((wasm_store_t*)(intptr_t)store, type, &value);
  wasm_globaltype_delete(type);
  if (wasm_valkind_is_ref(value.kind) && value.of.ref) wasm_ref_delete(value.of.ref);
  return (jlong)(intptr_t)handle;
}

/* A direct ByteBuffer over the memory's bytes as they are now (the base never moves while the
 * store lives; a grow makes a larger view necessary). */
JNIEXPORT jobject JNICALL Java_io_orca_Native_memoryBuffer(JNIEnv* env, jclass cls, jlong memory) {
  (void)cls;
  wasm_memory_t* handle = (wasm_memory_t*)(intptr_t)memory;
  return (*env)->NewDirectByteBuffer(env, wasm_memory_data(handle), (jlong)wasm_memory_data_size(handle));
}
