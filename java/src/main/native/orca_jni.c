/*
 * Loading and errors: JNI_OnLoad caches the classes and method IDs the native code uses (as
 * global references, so that no call looks them up again), and errors and traps become
 * io.orca.OrcaException and its subclasses, built by OrcaException.fromNative in Java.
 */
#include "orca_jni.h"

#include <stdlib.h>
#include <string.h>

OrcaJni orcaJni;

static jclass orca_jni_global_class(JNIEnv* env, const char* name) {
  jclass local = (*env)->FindClass(env, name);
  if (!local) return NULL;
  jclass global = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void* reserved) {
  (void)reserved;
  JNIEnv* env;
  if ((*vm)->GetEnv(vm, (void**)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  orcaJni.vm = vm;
  orcaJni.exceptionClass = orca_jni_global_class(env, "io/orca/OrcaException");
  orcaJni.bridgeClass = orca_jni_global_class(env, "io/orca/HostBridge");
  orcaJni.stringClass = orca_jni_global_class(env, "java/lang/String");
  orcaJni.oomClass = orca_jni_global_class(env, "java/lang/OutOfMemoryError");
  if (!orcaJni.exceptionClass || !orcaJni.bridgeClass || !orcaJni.stringClass || !orcaJni.oomClass) return JNI_ERR;
  orcaJni.fromNative = (*env)->GetStaticMethodID(env, orcaJni.exceptionClass, "fromNative",
                                                 "(ILjava/lang/String;II[J[Ljava/lang/String;J)Lio/orca/OrcaException;");
  orcaJni.bridgeInvoke = (*env)->GetMethodID(env, orcaJni.bridgeClass, "invoke", "(J[J)Ljava/lang/String;");
  orcaJni.bridgePassedTrap = (*env)->GetStaticMethodID(env, orcaJni.bridgeClass, "passedTrap", "()J");
  if (!orcaJni.fromNative || !orcaJni.bridgeInvoke || !orcaJni.bridgePassedTrap) return JNI_ERR;
  return JNI_VERSION_1_8;
}

jbyteArray orca_jni_bytes(JNIEnv* env, const wasm_byte_t* data, size_t size) {
  jbyteArray array = (*env)->NewByteArray(env, (jsize)size);
  if (array && size) (*env)->SetByteArrayRegion(env, array, 0, (jsize)size, (const jbyte*)data);
  return array;
}

/* A Java string from bytes that need not end in NUL. Orca's messages are UTF-8; NewStringUTF
 * wants modified UTF-8, which differs only for NUL and characters outside the BMP, so those
 * bytes are replaced by '?' rather than handed to the VM as invalid input. */
static jstring orca_jni_string(JNIEnv* env, const char* data, size_t size) {
  char* copy = (char*)malloc(size + 1);
  if (!copy) return NULL;
  for (size_t i = 0; i < size; ++i) {
    unsigned char byte = (unsigned char)data[i];
    copy[i] = (byte == 0 || byte >= 0xf0) ? '?' : (char)byte;
  }
  copy[size] = '\0';
  jstring string = (*env)->NewStringUTF(env, copy);
  free(copy);
  return string;
}

/* Throws the exception fromNative makes; `trap` (may be null) gives the code, exit status and
 * frames. Every local reference made here is freed, since a call may throw many times in a loop. */
static void orca_jni_throw(JNIEnv* env, int kind, const char* message, size_t message_size, const wasm_trap_t* trap) {
  int code = -1, status = 0;
  jlongArray numbers = NULL;
  jobjectArray names = NULL;
  if (trap) {
    code = orca_trap_code(trap);
    orca_trap_exit_status(trap, &status);
    wasm_frame_vec_t frames;
    wasm_trap_trace(trap, &frames);
    numbers = (*env)->NewLongArray(env, (jsize)(3 * frames.size));
    names = numbers ? (*env)->NewObjectArray(env, (jsize)frames.size, orcaJni.stringClass, NULL) : NULL;
    for (size_t i = 0; names && i < frames.size; ++i) {
      const wasm_frame_t* frame = frames.data[i];
      jlong triple[3] = {wasm_frame_func_index(frame), (jlong)wasm_frame_module_offset(frame),
                         (jlong)wasm_frame_func_offset(frame)};
      (*env)->SetLongArrayRegion(env, numbers, (jsize)(3 * i), 3, triple);
      wasm_name_t name;
      orca_frame_func_name(frame, &name);
      if (name.size) {
        jstring text = orca_jni_string(env, name.data, name.size);
        if (text) (*env)->SetObjectArrayElement(env, names, (jsize)i, text);
        (*env)->DeleteLocalRef(env, text);
      }
      wasm_byte_vec_delete(&name);
    }
    wasm_frame_vec_delete(&frames);
    if (!names) return; /* OutOfMemoryError is pending */
  }
  jstring text = orca_jni_string(env, message, message_size);
  if (!text) {
    (*env)->ThrowNew(env, orcaJni.oomClass, "no memory for an Orca error message");
    return;
  }
  /* The exception keeps a copy of the trap, so that a host function letting it escape passes the
   * trap itself on (HostBridge.passedTrap). */
  jlong copy = trap ? (jlong)(intptr_t)wasm_trap_copy(trap) : 0;
  jobject exception = (*env)->CallStaticObjectMethod(env, orcaJni.exceptionClass, orcaJni.fromNative, (jint)kind, text,
                                                     (jint)code, (jint)status, numbers, names, copy);
  if (exception && !(*env)->ExceptionCheck(env)) (*env)->Throw(env, (jthrowable)exception);
  (*env)->DeleteLocalRef(env, exception);
  (*env)->DeleteLocalRef(env, text);
  (*env)->DeleteLocalRef(env, numbers);
  (*env)->DeleteLocalRef(env, names);
}

/* The message without its terminating NUL (wasm_message_t counts it). */
static size_t orca_jni_message_size(const wasm_message_t* message) {
  return message->size && message->data[message->size - 1] == '\0' ? message->size - 1 : message->size;
}

void orca_jni_throw_error(JNIEnv* env, orca_error_t* error) {
  wasm_message_t message;
  orca_error_message(error, &message);
  wasm_trap_t* trap = orca_error_trap(error);
  orca_jni_throw(env, orca_error_kind(error), message.data, orca_jni_message_size(&message), trap);
  if (trap) wasm_trap_delete(trap);
  wasm_byte_vec_delete(&message);
  orca_error_delete(error);
}

void orca_jni_throw_trap(JNIEnv* env, wasm_trap_t* trap) {
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  orca_trap_code_t code = orca_trap_code(trap);
  int kind = code == ORCA_TRAP_EXIT             ? ORCA_ERROR_EXIT
             : code == ORCA_TRAP_STACK_EXHAUSTED ? ORCA_ERROR_EXHAUSTION
                                                 : ORCA_ERROR_TRAP;
  orca_jni_throw(env, kind, message.data, orca_jni_message_size(&message), trap);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}
