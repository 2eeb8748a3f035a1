/*
 * The SWIG interface over Orca's C API (wasm.h, wasi.h, orca.h), written once for every SWIG
 * target. It is the low-level layer: C names, C handles. Each language puts its idiomatic API
 * on top (php/ for PHP, java/ for Java). SWIG's output is a build product, never committed.
 *
 * What it maps, for every target:
 * - Handles are opaque classes whose wrapper deletes them when the target's garbage collector
 *   drops the last reference; functions that take ownership (wasm_engine_new_with_config takes
 *   the config) disown the wrapper, so nothing is deleted twice.
 * - wasm_byte_vec_t is the target's byte string in both directions.
 * - A non-null orca_error_t* result is thrown as the target's exception (orca_throw_error, one
 *   per target below); the C out-parameter becomes the return value.
 * - Calls take and give raw 16-byte slots (orca_val_raw_t) in the order the function's type names.
 *
 * Mapped: engine and its configuration (switches, features, cache, compile strategy, module
 * limits), store (fuel, interruption, deadline, limits, collection), modules from bytes or text (serialize, deserialize, their imports and
 * exports), the linker with WASI (a configuration the linker consumes), exports by name, memory,
 * global and table handles with their types. Values (calls, host functions, globals' and tables'
 * contents) are each target's own code: they convert to the target's values (orca_php.i for PHP,
 * java/src/main/native for Java).
 */
%module orca

%include <stdint.i>

/* wasm.h's small enumerations are bytes. */
typedef uint8_t wasm_externkind_t;
typedef uint8_t wasm_valkind_t;

%{
#include <string.h>
#include "wasi.h"
%}

/* ------------------------------------------------------------------------------------------ */
/* Errors: each target says how an orca_error_t becomes its exception.                         */

#ifdef SWIGPHP
%{
/* Throws `error` as the PHP exception of its kind and deletes it (orca_php.i). */
static void orca_throw_error(orca_error_t* error);
%}

%typemap(out, phptype="void") orca_error_t* {
  if ($1) {
    orca_throw_error($1);
    SWIG_fail;
  }
}

/* Byte strings in: the C API only reads them during the call, so the PHP string is lent. */
%typemap(in, phptype="string") const wasm_byte_vec_t* (wasm_byte_vec_t bytes) {
  convert_to_string(&$input);
  bytes.size = Z_STRLEN($input);
  bytes.data = (wasm_byte_t*)Z_STRVAL($input);
  $1 = &bytes;
}

/* Byte strings out: copied into a PHP string, then released. */
%typemap(in, numinputs=0) wasm_byte_vec_t* OUTPUT (wasm_byte_vec_t bytes) {
  bytes.size = 0;
  bytes.data = NULL;
  $1 = &bytes;
}
%typemap(argout, phptype="string") wasm_byte_vec_t* OUTPUT {
  if (!EG(exception)) RETVAL_STRINGL((const char*)$1->data, $1->size);
  wasm_byte_vec_delete($1);
}

/* Handles returned through an out-parameter become the return value, owned by the wrapper. */
%define ORCA_OWNED_OUT_RESULT(TYPE)
%typemap(argout, phptype="?TYPE") TYPE** OUTPUT {
  if (!EG(exception)) SWIG_SetPointerZval(return_value, (void*)*$1, $*1_descriptor, 1);
}
%enddef

/* A WASI guest's state is borrowed from its store, so its wrapper does not own it. */
%typemap(argout, phptype="?wasi_env_t") wasi_env_t** OUTPUT {
  if (!EG(exception)) SWIG_SetPointerZval(return_value, (void*)*$1, $*1_descriptor, 0);
}

/* Unsigned 64-bit numbers (fuel, nanoseconds) travel as PHP ints, which are signed 64-bit. */
%typemap(in, phptype="int") uint64_t "$1 = (uint64_t)zval_get_long(&$input);";
%typemap(out, phptype="int") uint64_t "RETVAL_LONG((zend_long)$1);";
%typemap(in, numinputs=0) uint64_t* OUTPUT (uint64_t value) "value = 0; $1 = &value;";
%typemap(argout, phptype="int") uint64_t* OUTPUT "if (!EG(exception)) RETVAL_LONG((zend_long)*$1);";
#endif /* SWIGPHP */

#ifdef SWIGJAVA
/* The Java target (java/native.sh runs `swig -java -nopgcpp -package io.orca.internal`): the
 * hand-written io.orca layer calls the static methods of orcaJNI with long handles, so the proxy
 * classes stay unused and get no finalize(). Values, calls, host functions and memory views are
 * hand-written JNI (java/src/main/native), which also throws the exceptions (orca_jni.h). */
%{
#include "orca_jni.h"
%}
%typemap(javafinalize) SWIGTYPE ""

/* An error becomes io.orca.OrcaException (or its subclass of that kind). The exception stays
 * pending while the wrapper finishes, so that the typemaps below still release what they hold. */
%typemap(jni) orca_error_t* "jlong"
%typemap(jtype) orca_error_t* "long"
%typemap(jstype) orca_error_t* "long"
%typemap(javaout) orca_error_t* { return $jnicall; }
%typemap(out) orca_error_t* "if ($1) orca_jni_throw_error(jenv, $1);";

/* Byte strings in: byte[], read during the call only. */
%typemap(jni) const wasm_byte_vec_t* "jbyteArray"
%typemap(jtype) const wasm_byte_vec_t* "byte[]"
%typemap(jstype) const wasm_byte_vec_t* "byte[]"
%typemap(javain) const wasm_byte_vec_t* "$javainput"
%typemap(in) const wasm_byte_vec_t* (wasm_byte_vec_t bytes) {
  if (!$input) {
    SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "null byte array");
    return $null;
  }
  bytes.size = (size_t)(*jenv)->GetArrayLength(jenv, $input);
  bytes.data = (wasm_byte_t*)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
  if (!bytes.data) return $null;
  $1 = &bytes;
}
%typemap(freearg) const wasm_byte_vec_t* "(*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte*)$1->data, JNI_ABORT);";

/* Byte strings out: the function returns a byte[] (ORCA_JAVA_BYTES_RESULT names each function,
 * since a typemap cannot change a return type by itself). */
%typemap(in, numinputs=0) wasm_byte_vec_t* OUTPUT (wasm_byte_vec_t bytes) {
  bytes.size = 0;
  bytes.data = NULL;
  $1 = &bytes;
}
%typemap(argout) wasm_byte_vec_t* OUTPUT {
  if (!(*jenv)->ExceptionCheck(jenv)) jresult = orca_jni_bytes(jenv, $1->data, $1->size);
  wasm_byte_vec_delete($1);
}
%define ORCA_JAVA_BYTES_RESULT(RTYPE, FUNC)
%typemap(jni) RTYPE FUNC "jbyteArray"
%typemap(jtype) RTYPE FUNC "byte[]"
%typemap(jstype) RTYPE FUNC "byte[]"
%typemap(javaout) RTYPE FUNC { return $jnicall; }
%enddef
ORCA_JAVA_BYTES_RESULT(orca_error_t*, orca_wat2wasm)
ORCA_JAVA_BYTES_RESULT(void, wasm_module_serialize)
ORCA_JAVA_BYTES_RESULT(void, orca_module_items)
ORCA_JAVA_BYTES_RESULT(void, wasi_env_stdout)
ORCA_JAVA_BYTES_RESULT(void, wasi_env_stderr)
ORCA_JAVA_BYTES_RESULT(void, orca_func_kinds)
ORCA_JAVA_BYTES_RESULT(void, orca_memory_read)

/* Handles returned through an out-parameter: the function (which returns an error) returns the
 * handle as a long that the io.orca object owns; WASI's state (borrowed) travels the same way. */
%define ORCA_OWNED_OUT_RESULT(TYPE)
%typemap(argout) TYPE** OUTPUT "if (!(*jenv)->ExceptionCheck(jenv)) jresult = (jlong)(intptr_t)*$1;";
%enddef
%typemap(argout) wasi_env_t** OUTPUT "if (!(*jenv)->ExceptionCheck(jenv)) jresult = (jlong)(intptr_t)*$1;";

/* Unsigned 64-bit numbers (fuel, nanoseconds, offsets) travel as Java longs. */
%apply int64_t { uint64_t };
%typemap(in, numinputs=0) uint64_t* OUTPUT (uint64_t value) "value = 0; $1 = &value;";
%typemap(argout) uint64_t* OUTPUT "if (!(*jenv)->ExceptionCheck(jenv)) jresult = (jlong)*$1;";
#endif /* SWIGJAVA */

/* ------------------------------------------------------------------------------------------ */
/* Handles: opaque classes the wrapper deletes.                                                */

/* Handles returned through an out-parameter become the return value (ORCA_OWNED_OUT_RESULT, one
 * per target above). */
%define ORCA_OWNED_OUT(TYPE)
%typemap(in, numinputs=0) TYPE** OUTPUT (TYPE* handle) {
  handle = NULL;
  $1 = &handle;
}
ORCA_OWNED_OUT_RESULT(TYPE)
%enddef

%define ORCA_HANDLE(TYPE, DELETE)
%nodefaultctor TYPE;
%nodefaultdtor TYPE;
struct TYPE {};
%extend TYPE {
  ~TYPE() { DELETE($self); }
}
ORCA_OWNED_OUT(TYPE)
%enddef

ORCA_HANDLE(wasm_config_t, wasm_config_delete)
ORCA_HANDLE(wasm_engine_t, wasm_engine_delete)
ORCA_HANDLE(wasm_store_t, wasm_store_delete)
ORCA_HANDLE(wasm_module_t, wasm_module_delete)
ORCA_HANDLE(wasm_instance_t, wasm_instance_delete)
ORCA_HANDLE(wasm_extern_t, wasm_extern_delete)
ORCA_HANDLE(wasm_func_t, wasm_func_delete)
ORCA_HANDLE(wasm_memory_t, wasm_memory_delete)
ORCA_HANDLE(wasm_global_t, wasm_global_delete)
ORCA_HANDLE(wasm_table_t, wasm_table_delete)
ORCA_HANDLE(orca_linker_t, orca_linker_delete)
ORCA_HANDLE(wasi_config_t, wasi_config_delete)
ORCA_HANDLE(wasm_trap_t, wasm_trap_delete)

/* Traps are thrown as the targets' exceptions; an exception keeps its trap, so that a host function
 * can pass a nested call's trap on (the PHP target: orca_php_passed_trap). */
%newobject wasm_trap_copy;
wasm_trap_t* wasm_trap_copy(const wasm_trap_t*);

/* A host function's caller is valid during that call only and belongs to Orca: no destructor. */
%nodefaultctor orca_caller_t;
%nodefaultdtor orca_caller_t;
struct orca_caller_t {};

/* A WASI guest's state is borrowed from its store: no destructor. */
%nodefaultctor wasi_env_t;
%nodefaultdtor wasi_env_t;
struct wasi_env_t {};
%typemap(in, numinputs=0) wasi_env_t** OUTPUT (wasi_env_t* env) "env = NULL; $1 = &env;";


/* ------------------------------------------------------------------------------------------ */
/* Engine and configuration                                                                    */

%newobject wasm_config_new;
wasm_config_t* wasm_config_new(void);
void orca_config_consume_fuel_set(wasm_config_t*, bool enable);
void orca_config_interruptible_set(wasm_config_t*, bool enable);
void orca_config_bounds_checks_set(wasm_config_t*, bool enable);
void orca_config_opt_level_set(wasm_config_t*, uint8_t level);
void orca_config_cache_dir_set(wasm_config_t*, const char* directory);
bool orca_config_cache_default(wasm_config_t*);
void orca_config_cache_max_bytes_set(wasm_config_t*, uint64_t max_bytes);
orca_error_t* orca_config_feature_set(wasm_config_t*, uint8_t feature, bool enable);
void orca_config_compile_strategy_set(wasm_config_t*, uint8_t strategy);
/* Module limits (orca_limit_t); UINT64_MAX, which the targets see as -1, is no limit. */
orca_error_t* orca_config_limit_set(wasm_config_t*, uint8_t limit, uint64_t value);
uint64_t orca_config_limit_get(const wasm_config_t*, uint8_t limit);

%newobject wasm_engine_new;
%newobject wasm_engine_new_with_config;
%apply SWIGTYPE* DISOWN { wasm_config_t* taken };
wasm_engine_t* wasm_engine_new(void);
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* taken);

/* ------------------------------------------------------------------------------------------ */
/* Store                                                                                       */

%newobject wasm_store_new;
wasm_store_t* wasm_store_new(wasm_engine_t*);
orca_error_t* orca_store_fuel_set(wasm_store_t*, uint64_t fuel);
%apply uint64_t* OUTPUT { uint64_t* fuel_out };
orca_error_t* orca_store_fuel_get(const wasm_store_t*, uint64_t* fuel_out);
orca_error_t* orca_store_interrupt(wasm_store_t*);
void orca_store_interrupt_clear(wasm_store_t*);
orca_error_t* orca_store_deadline_set(wasm_store_t*, uint64_t timeout_ns);
void orca_store_limits_set(wasm_store_t*, int64_t memory_bytes, int64_t table_elements, int64_t instances,
                           int64_t tables, int64_t memories);
size_t orca_store_collect(wasm_store_t*);
size_t orca_store_instance_count(const wasm_store_t*);

/* ------------------------------------------------------------------------------------------ */
/* Modules and text                                                                            */

%apply wasm_module_t** OUTPUT { wasm_module_t** module_out };
orca_error_t* orca_module_new(wasm_engine_t*, const wasm_byte_vec_t* binary, wasm_module_t** module_out);
orca_error_t* orca_module_validate(wasm_engine_t*, const wasm_byte_vec_t* binary);
%apply wasm_byte_vec_t* OUTPUT { wasm_byte_vec_t* binary_out };
orca_error_t* orca_wat2wasm(const wasm_byte_vec_t* text, wasm_byte_vec_t* binary_out);
void wasm_module_serialize(const wasm_module_t*, wasm_byte_vec_t* binary_out);
orca_error_t* orca_module_deserialize(wasm_engine_t*, const wasm_byte_vec_t* binary, wasm_module_t** module_out);

%{
/* Appends a name as a 4-byte little-endian length and its bytes (wasm names may hold any byte). */
static void orca_pack_name(wasm_byte_vec_t* out, size_t* used, const wasm_name_t* name) {
  size_t need = *used + 4 + name->size;
  if (need > out->size) {
    size_t size = out->size ? out->size : 64;
    while (size < need) size *= 2;
    out->data = (wasm_byte_t*)realloc(out->data, size);
    out->size = size;
  }
  for (int i = 0; i < 4; ++i) out->data[*used + i] = (wasm_byte_t)((name->size >> (8 * i)) & 0xff);
  if (name->size) memcpy(out->data + *used + 4, name->data, name->size);
  *used = need;
}

%}
%inline %{
/* The module's exports (`imports` false) or imports as one byte string that the targets unpack,
 * so that no target holds the C API's type vectors: per item, its kind (wasm_externkind_t) packed
 * as a name of one byte, then for an import its module name, then its name (orca_pack_name). */
static void orca_module_items(const wasm_module_t* module, bool imports, wasm_byte_vec_t* binary_out) {
  wasm_byte_vec_t packed = {0, NULL};
  size_t used = 0;
  if (imports) {
    wasm_importtype_vec_t items;
    wasm_module_imports(module, &items);
    for (size_t i = 0; i < items.size; ++i) {
      wasm_byte_t kind = (wasm_byte_t)wasm_externtype_kind(wasm_importtype_type(items.data[i]));
      wasm_name_t kind_name = {1, &kind};
      orca_pack_name(&packed, &used, &kind_name);
      orca_pack_name(&packed, &used, wasm_importtype_module(items.data[i]));
      orca_pack_name(&packed, &used, wasm_importtype_name(items.data[i]));
    }
    wasm_importtype_vec_delete(&items);
  } else {
    wasm_exporttype_vec_t items;
    wasm_module_exports(module, &items);
    for (size_t i = 0; i < items.size; ++i) {
      wasm_byte_t kind = (wasm_byte_t)wasm_externtype_kind(wasm_exporttype_type(items.data[i]));
      wasm_name_t kind_name = {1, &kind};
      orca_pack_name(&packed, &used, &kind_name);
      orca_pack_name(&packed, &used, wasm_exporttype_name(items.data[i]));
    }
    wasm_exporttype_vec_delete(&items);
  }
  wasm_byte_vec_new(binary_out, used, packed.data);
  free(packed.data);
}
%}

/* ------------------------------------------------------------------------------------------ */
/* Linker and WASI                                                                             */

%newobject orca_linker_new;
orca_linker_t* orca_linker_new(wasm_store_t*);
void orca_linker_allow_shadowing(orca_linker_t*, bool allow);
orca_error_t* orca_linker_define(orca_linker_t*, const char* module, const char* name, const wasm_extern_t* item);
orca_error_t* orca_linker_define_instance(orca_linker_t*, const char* module, const wasm_instance_t* instance);
%apply wasm_instance_t** OUTPUT { wasm_instance_t** instance_out };
orca_error_t* orca_linker_instantiate(const orca_linker_t*, const wasm_module_t* module,
                                      wasm_instance_t** instance_out);

/* A WASI configuration: the linker takes it (the target's wrapper is disowned). Lists come as one
 * byte string of NUL-terminated words, so no target builds C arrays. */
%newobject wasi_config_new;
wasi_config_t* wasi_config_new(void);
%{
/* Splits NUL-terminated words (a last word may lack its NUL) into a new array of pointers into a
 * new copy; free both. */
static const char** orca_split_words(const wasm_byte_vec_t* words, size_t* count, char** copy) {
  *count = 0;
  for (size_t i = 0; i < words->size; ++i) *count += words->data[i] == '\0';
  if (words->size && words->data[words->size - 1] != '\0') ++*count;
  const char** list = (const char**)calloc(*count ? *count : 1, sizeof *list);
  *copy = (char*)malloc(words->size + 1);
  memcpy(*copy, words->data, words->size);
  (*copy)[words->size] = '\0';
  for (size_t word = 0, start = 0; word < *count; ++word) {
    list[word] = *copy + start;
    start += strlen(*copy + start) + 1;
  }
  return list;
}
%}
%inline %{
/* The guest's arguments, program name first. */
static void orca_wasi_config_args(wasi_config_t* config, const wasm_byte_vec_t* words) {
  size_t count;
  char* copy;
  const char** list = orca_split_words(words, &count, &copy);
  wasi_config_set_argv(config, count, list);
  free(list);
  free(copy);
}
/* The guest's environment: words alternate name, value. */
static void orca_wasi_config_env(wasi_config_t* config, const wasm_byte_vec_t* words) {
  size_t count;
  char* copy;
  const char** list = orca_split_words(words, &count, &copy);
  size_t pairs = count / 2;
  const char** names = (const char**)calloc(pairs ? pairs : 1, sizeof *names);
  const char** values = (const char**)calloc(pairs ? pairs : 1, sizeof *values);
  for (size_t i = 0; i < pairs; ++i) {
    names[i] = list[2 * i];
    values[i] = list[2 * i + 1];
  }
  wasi_config_set_env(config, pairs, names, values);
  free(names);
  free(values);
  free(list);
  free(copy);
}
%}
void wasi_config_preopen_dir(wasi_config_t*, const char* host_path, const char* guest_path);
void wasi_config_set_stdin_bytes(wasi_config_t*, const wasm_byte_vec_t* binary);
void wasi_config_inherit_stdin(wasi_config_t*);
void wasi_config_inherit_env(wasi_config_t*);
void wasi_config_inherit_stdout(wasi_config_t*);
void wasi_config_inherit_stderr(wasi_config_t*);
void wasi_config_capture_stdout(wasi_config_t*);
void wasi_config_capture_stderr(wasi_config_t*);
%apply wasi_env_t** OUTPUT { wasi_env_t** env_out };
%apply SWIGTYPE* DISOWN { wasi_config_t* taken };
orca_error_t* orca_linker_define_wasi(orca_linker_t*, wasi_config_t* taken, wasi_env_t** env_out);
void wasi_env_stdout(const wasi_env_t*, wasm_byte_vec_t* binary_out);
void wasi_env_stderr(const wasi_env_t*, wasm_byte_vec_t* binary_out);

/* ------------------------------------------------------------------------------------------ */
/* Exports, functions, memories, globals, tables                                               */

%newobject orca_instance_export;
wasm_extern_t* orca_instance_export(const wasm_instance_t*, const char* name);
%newobject orca_caller_export;
wasm_extern_t* orca_caller_export(const orca_caller_t*, const char* name);
wasm_externkind_t wasm_extern_kind(const wasm_extern_t*);

%newobject orca_extern_func;
%newobject orca_extern_memory;
%newobject orca_extern_global;
%newobject orca_extern_table;
%{
/* Limits as numbers: the maximum is -1 when there is none. */
static int64_t orca_limits_max(const wasm_limits_t* limits) {
  return limits->max == wasm_limits_max_default ? -1 : (int64_t)limits->max;
}
%}
%inline %{
/* An extern as a handle of its kind of its own (a new reference), or null when it is of another
 * kind; the languages own every handle separately, so a cast gives a copy. */
static wasm_func_t* orca_extern_func(const wasm_extern_t* item) {
  const wasm_func_t* func = wasm_extern_as_func_const(item);
  return func ? wasm_func_copy(func) : NULL;
}
static wasm_memory_t* orca_extern_memory(const wasm_extern_t* item) {
  const wasm_memory_t* memory = wasm_extern_as_memory_const(item);
  return memory ? wasm_memory_copy(memory) : NULL;
}
static wasm_global_t* orca_extern_global(const wasm_extern_t* item) {
  const wasm_global_t* global = wasm_extern_as_global_const(item);
  return global ? wasm_global_copy(global) : NULL;
}
static wasm_table_t* orca_extern_table(const wasm_extern_t* item) {
  const wasm_table_t* table = wasm_extern_as_table_const(item);
  return table ? wasm_table_copy(table) : NULL;
}

/* Defining a function, memory, global or table in a linker, without handing out their externs
 * (a borrowed pointer no target could own). */
static orca_error_t* orca_linker_define_func_item(orca_linker_t* linker, const char* module, const char* name,
                                                  const wasm_func_t* func) {
  return orca_linker_define(linker, module, name, wasm_func_as_extern_const(func));
}
static orca_error_t* orca_linker_define_memory(orca_linker_t* linker, const char* module, const char* name,
                                               const wasm_memory_t* memory) {
  return orca_linker_define(linker, module, name, wasm_memory_as_extern_const(memory));
}
static orca_error_t* orca_linker_define_global(orca_linker_t* linker, const char* module, const char* name,
                                               const wasm_global_t* global) {
  return orca_linker_define(linker, module, name, wasm_global_as_extern_const(global));
}
static orca_error_t* orca_linker_define_table(orca_linker_t* linker, const char* module, const char* name,
                                              const wasm_table_t* table) {
  return orca_linker_define(linker, module, name, wasm_table_as_extern_const(table));
}

/* A function's parameter (`results` false) or result kinds, one byte (wasm_valkind_t) each. */
static void orca_func_kinds(const wasm_func_t* func, bool results, wasm_byte_vec_t* binary_out) {
  wasm_functype_t* type = wasm_func_type(func);
  const wasm_valtype_vec_t* types = results ? wasm_functype_results(type) : wasm_functype_params(type);
  wasm_byte_vec_new_uninitialized(binary_out, types->size);
  for (size_t i = 0; i < types->size; ++i) binary_out->data[i] = (wasm_byte_t)wasm_valtype_kind(types->data[i]);
  wasm_functype_delete(type);
}

static uint8_t orca_global_kind(const wasm_global_t* global) {
  wasm_globaltype_t* type = wasm_global_type(global);
  uint8_t kind = wasm_valtype_kind(wasm_globaltype_content(type));
  wasm_globaltype_delete(type);
  return kind;
}
static bool orca_global_mutable(const wasm_global_t* global) {
  wasm_globaltype_t* type = wasm_global_type(global);
  bool mutable_ = wasm_globaltype_mutability(type) == WASM_VAR;
  wasm_globaltype_delete(type);
  return mutable_;
}
static uint8_t orca_table_elem_kind(const wasm_table_t* table) {
  wasm_tabletype_t* type = wasm_table_type(table);
  uint8_t kind = wasm_valtype_kind(wasm_tabletype_element(type));
  wasm_tabletype_delete(type);
  return kind;
}
static int64_t orca_table_limit(const wasm_table_t* table, bool max) {
  wasm_tabletype_t* type = wasm_table_type(table);
  const wasm_limits_t* limits = wasm_tabletype_limits(type);
  int64_t value = max ? orca_limits_max(limits) : (int64_t)limits->min;
  wasm_tabletype_delete(type);
  return value;
}
static int64_t orca_memory_limit(const wasm_memory_t* memory, bool max) {
  wasm_memorytype_t* type = wasm_memory_type(memory);
  const wasm_limits_t* limits = wasm_memorytype_limits(type);
  int64_t value = max ? orca_limits_max(limits) : (int64_t)limits->min;
  wasm_memorytype_delete(type);
  return value;
}
/* A memory of `min` pages that may grow to `max` (-1: no maximum); null when the store refuses it. */
static wasm_memory_t* orca_memory_new(wasm_store_t* store, uint32_t min, int64_t max) {
  wasm_limits_t limits = {min, max < 0 ? wasm_limits_max_default : (uint32_t)max};
  wasm_memorytype_t* type = wasm_memorytype_new(&limits);
  wasm_memory_t* memory = wasm_memory_new(store, type);
  wasm_memorytype_delete(type);
  return memory;
}

/* Whether [offset, offset+length) lies inside the memory; the languages check it before reading
 * or writing, so that a bad range is their exception and never a read outside. */
static bool orca_memory_in_bounds(const wasm_memory_t* memory, uint64_t offset, uint64_t length) {
  size_t size = wasm_memory_data_size(memory);
  return offset <= size && length <= size - offset;
}
/* A copy of `length` bytes at `offset`; empty when the range is not inside the memory. */
static void orca_memory_read(wasm_memory_t* memory, uint64_t offset, uint64_t length, wasm_byte_vec_t* binary_out) {
  if (!orca_memory_in_bounds(memory, offset, length)) {
    wasm_byte_vec_new_empty(binary_out);
    return;
  }
  wasm_byte_vec_new(binary_out, length, wasm_memory_data(memory) + offset);
}
/* Copies `bytes` to `offset`; false, and nothing written, when they do not fit inside. */
static bool orca_memory_write(wasm_memory_t* memory, uint64_t offset, const wasm_byte_vec_t* bytes) {
  if (!orca_memory_in_bounds(memory, offset, bytes->size)) return false;
  if (bytes->size) memcpy(wasm_memory_data(memory) + offset, bytes->data, bytes->size);
  return true;
}
%}
%newobject orca_memory_new;
size_t wasm_func_param_arity(const wasm_func_t*);
size_t wasm_func_result_arity(const wasm_func_t*);
size_t wasm_memory_data_size(const wasm_memory_t*);
uint32_t wasm_memory_size(const wasm_memory_t*);
bool wasm_memory_grow(wasm_memory_t*, uint32_t delta);
uint32_t wasm_table_size(const wasm_table_t*);
bool wasm_func_same(const wasm_func_t*, const wasm_func_t*);

#ifdef SWIGPHP
%include "orca_php.i"
#endif

const char* orca_version(void);
