/*
 * externref values for io.orca.Native: a Java object passed to wasm becomes a foreign object of
 * the store whose host info is a global reference to it, released when the store is deleted (as
 * every foreign object lives as long as its store). Coming back, the same foreign object gives the
 * same Java object, so identity survives a round trip through the guest.
 */
#include "orca_jni.h"

static void orca_jni_release_global(void* data) {
  JavaVM* vm = orcaJni.vm;
  JNIEnv* env = NULL;
  if ((*vm)->GetEnv(vm, (void**)&env, JNI_VERSION_1_8) == JNI_OK) {
    (*env)->DeleteGlobalRef(env, (jobject)data);
  } else if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void**)&env, NULL) == JNI_OK) {
    (*env)->DeleteGlobalRef(env, (jobject)data);
    (*vm)->DetachCurrentThread(vm);
  }
}

/* A Java object (or null) as a raw externref slot of the store; 0 with OutOfMemoryError pending
 * when the store cannot hold another foreign object. */
JNIEXPORT jlong JNICALL Java_io_orca_Native_externToRaw(JNIEnv* env, jclass cls, jlong store, jobject value) {
  (void)cls;
  if (!value) return 0;
  wasm_store_t* handle = (wasm_store_t*)(intptr_t)store;
  wasm_foreign_t* foreign = wasm_foreign_new(handle);
  void* raw = NULL;
  if (foreign) {
    wasm_foreign_set_host_info_with_finalizer(foreign, (*env)->NewGlobalRef(env, value), orca_jni_release_global);
    if (!orca_ref_to_raw(handle, wasm_foreign_as_ref_const(foreign), WASM_EXTERNREF, &raw)) raw = NULL;
    wasm_foreign_delete(foreign); /* the object stays in the store; this was one reference to it */
  }
  if (!raw) (*env)->ThrowNew(env, orcaJni.oomClass, "the store could not hold an externref");
  return (jlong)(intptr_t)raw;
}

/* A raw externref slot as the Java object it carries; null for ref.null. A reference that carries
 * no Java object (one made outside Java) is thrown as OrcaException. */
JNIEXPORT jobject JNICALL Java_io_orca_Native_externFromRaw(JNIEnv* env, jclass cls, jlong store, jlong raw) {
  (void)cls;
  if (!raw) return NULL;
  wasm_ref_t* ref = orca_ref_from_raw((wasm_store_t*)(intptr_t)store, (void*)(intptr_t)raw, WASM_EXTERNREF);
  const wasm_foreign_t* foreign = ref ? wasm_ref_as_foreign_const(ref) : NULL;
  jobject global = foreign ? (jobject)wasm_foreign_get_host_info(foreign) : NULL;
  jobject value = global ? (*env)->NewLocalRef(env, global) : NULL;
  if (ref) wasm_ref_delete(ref);
  if (!value) (*env)->ThrowNew(env, orcaJni.exceptionClass, "an externref that holds no Java object");
  return value;
}
