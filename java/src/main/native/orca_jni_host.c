/*
 * Host functions: a wasm import that runs Java code. Each function holds a global reference to
 * its io.orca.HostBridge, which unpacks the slots, runs the user's lambda and returns null, or the
 * message of what it threw (the Java layer keeps the Throwable for the trap's cause). The thread
 * may be one the JVM does not know (a guest may run anywhere a host calls it from), so the JNIEnv
 * comes from the VM and the thread is attached for the call when it is not.
 */
#include <stdlib.h>
#include <string.h>

#include "orca_jni.h"

typedef struct OrcaHostFunc {
  jobject bridge; /* global reference */
  size_t slots;   /* max(parameters, results) */
  size_t params;
  size_t results;
} OrcaHostFunc;

/* The JNIEnv of this thread, attaching it as a daemon when the VM does not know it yet. */
static JNIEnv* orca_jni_env(bool* attached) {
  JNIEnv* env = NULL;
  *attached = false;
  jint status = (*orcaJni.vm)->GetEnv(orcaJni.vm, (void**)&env, JNI_VERSION_1_8);
  if (status == JNI_EDETACHED) {
    if ((*orcaJni.vm)->AttachCurrentThreadAsDaemon(orcaJni.vm, (void**)&env, NULL) != JNI_OK) return NULL;
    *attached = true;
  } else if (status != JNI_OK) {
    return NULL;
  }
  return env;
}

static wasm_trap_t* orca_jni_host_trap(orca_caller_t* caller, const char* text) {
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, text);
  wasm_trap_t* trap = wasm_trap_new(orca_caller_store(caller), &message);
  wasm_byte_vec_delete(&message);
  return trap;
}

static wasm_trap_t* orca_jni_host_call(void* data, orca_caller_t* caller, const orca_val_raw_t* args,
                                       orca_val_raw_t* results) {
  OrcaHostFunc* func = (OrcaHostFunc*)data;
  bool attached;
  JNIEnv* env = orca_jni_env(&attached);
  if (!env) return orca_jni_host_trap(caller, "the Java VM could not attach this thread for a host function");
  wasm_trap_t* trap = NULL;
  jlongArray slots = (*env)->NewLongArray(env, (jsize)(2 * func->slots));
  if (!slots) {
    (*env)->ExceptionClear(env);
    trap = orca_jni_host_trap(caller, "no Java memory for a host function's arguments");
  } else {
    if (func->params) (*env)->SetLongArrayRegion(env, slots, 0, (jsize)(2 * func->params), (const jlong*)args);
    jstring failure = (jstring)(*env)->CallObjectMethod(env, func->bridge, orcaJni.bridgeInvoke,
                                                        (jlong)(intptr_t)caller, slots);
    if ((*env)->ExceptionCheck(env)) {
      /* HostBridge catches every Throwable; one escaping it means the VM itself failed. */
      (*env)->ExceptionClear(env);
      trap = orca_jni_host_trap(caller, "a Java host function failed inside Orca's bridge");
    } else if (failure) {
      /* A nested call's trap that the function let escape goes on as it is; anything else thrown
       * becomes a host error with the exception's message. */
      trap = (wasm_trap_t*)(intptr_t)(*env)->CallStaticLongMethod(env, orcaJni.bridgeClass, orcaJni.bridgePassedTrap);
      if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        trap = NULL;
      }
      if (!trap) {
        const char* text = (*env)->GetStringUTFChars(env, failure, NULL);
        trap = orca_jni_host_trap(caller, text ? text : "a Java host function threw");
        if (text) (*env)->ReleaseStringUTFChars(env, failure, text);
      }
    } else if (func->results) {
      (*env)->GetLongArrayRegion(env, slots, 0, (jsize)(2 * func->results), (jlong*)results);
    }
    (*env)->DeleteLocalRef(env, failure);
    (*env)->DeleteLocalRef(env, slots);
  }
  if (attached) (*orcaJni.vm)->DetachCurrentThread(orcaJni.vm);
  return trap;
}

/* Runs when Orca drops the function (its store is deleted): releases the bridge. */
static void orca_jni_host_finalize(void* data) {
  OrcaHostFunc* func = (OrcaHostFunc*)data;
  bool attached;
  JNIEnv* env = orca_jni_env(&attached);
  if (env) {
    (*env)->DeleteGlobalRef(env, func->bridge);
    if (attached) (*orcaJni.vm)->DetachCurrentThread(orcaJni.vm);
  }
  free(func);
}

static bool orca_jni_valtypes(JNIEnv* env, jbyteArray kinds, wasm_valtype_vec_t* out) {
  jsize count = (*env)->GetArrayLength(env, kinds);
  jbyte buffer[256];
  if (count > (jsize)sizeof buffer) return false;
  (*env)->GetByteArrayRegion(env, kinds, 0, count, buffer);
  wasm_valtype_vec_new_uninitialized(out, (size_t)count);
  for (jsize i = 0; i < count; ++i) out->data[i] = wasm_valtype_new((wasm_valkind_t)buffer[i]);
  return true;
}

/* A host function of the store with these parameter and result kinds (wasm_valkind_t bytes) that
 * runs `bridge`; 0 (with an exception pending) when it cannot be made. */
JNIEXPORT jlong JNICALL Java_io_orca_Native_newHostFunc(JNIEnv* env, jclass cls, jlong store, jbyteArray params,
                                                       jbyteArray results, jobject bridge) {
  (void)cls;
  wasm_valtype_vec_t param_types, result_types;
  if (!orca_jni_valtypes(env, params, &param_types)) {
    (*env)->ThrowNew(env, orcaJni.exceptionClass, "a host function may have at most 256 parameters");
    return 0;
  }
  if (!orca_jni_valtypes(env, results, &result_types)) {
    wasm_valtype_vec_delete(&param_types);
    (*env)->ThrowNew(env, orcaJni.exceptionClass, "a host function may have at most 256 results");
    return 0;
  }
  OrcaHostFunc* func = (OrcaHostFunc*)calloc(1, sizeof *func);
  func->params = param_types.size;
  func->results = result_types.size;
  func->slots = func->params > func->results ? func->params : func->results;
  func->bridge = (*env)->NewGlobalRef(env, bridge);
  wasm_functype_t* type = wasm_functype_new(&param_types, &result_types);
  wasm_func_t* handle = orca_func_new_with_caller((wasm_store_t*)(intptr_t)store, type, orca_jni_host_call, func,
                                                 orca_jni_host_finalize);
  wasm_functype_delete(type);
  if (!handle) {
    (*env)->DeleteGlobalRef(env, func->bridge);
    free(func);
    (*env)->ThrowNew(env, orcaJni.exceptionClass, "the store refused the host function");
    return 0;
  }
  return (jlong)(intptr_t)handle;
}
