/*
 * The SWIG interface over Orca's C API (wasm.h, wasi.h, orca.h), written once for every SWIG
 * target. It is the low-level layer: C names, C handles. Each language puts its idiomatic API
 * on top (php/ for PHP). SWIG's output is a build product, never committed.
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
 * Only what the languages' first layer needs is mapped yet: engine and its configuration, store
 * (fuel, interruption, deadline, limits), modules from bytes or text, the linker with WASI and
 * captured output, exports by name, calls, memory.
 */
%module orca

%include <stdint.i>

%{
#include <string.h>
#include "wasi.h"
%}

/* ------------------------------------------------------------------------------------------ */
/* Errors: each target says how an orca_error_t becomes its exception.                         */

#ifdef SWIGPHP
%{
#include "zend_exceptions.h"

/* The exception classes, registered when the module starts (orca_php.i). */
static zend_class_entry* orca_ce_exception;
static zend_class_entry* orca_ce_trap;
static zend_class_entry* orca_ce_link_error;
static zend_class_entry* orca_ce_exit;

/* The exception a PHP host function threw, held from the moment it became a trap until the call
 * that ran it throws Orca\Trap: that Orca\Trap takes it as its previous exception. */
static zend_object* orca_host_exception;

/* Hands the held host exception, if any, to the exception just thrown as its previous one. */
static void orca_attach_host_exception(void) {
  if (!orca_host_exception) return;
  if (EG(exception)) {
    zend_exception_set_previous(EG(exception), orca_host_exception);
  } else {
    OBJ_RELEASE(orca_host_exception);
  }
  orca_host_exception = NULL;
}

/* Throws `error` (and deletes it): Orca\Trap with the trap's code for traps and exhaustion,
 * Orca\Exit with the guest's status, Orca\LinkError for imports that do not resolve, and
 * Orca\Exception with the error's kind as its code for everything else. */
static void orca_throw_error(orca_error_t* error) {
  wasm_message_t message;
  orca_error_message(error, &message);
  const char* text = message.size ? message.data : "";
  orca_error_kind_t kind = orca_error_kind(error);
  int status = 0;
  if (orca_error_exit_status(error, &status)) {
    zend_throw_exception(orca_ce_exit, text, status);
  } else if (kind == ORCA_ERROR_TRAP || kind == ORCA_ERROR_EXHAUSTION) {
    wasm_trap_t* trap = orca_error_trap(error);
    long code = trap ? orca_trap_code(trap) : ORCA_TRAP_HOST_ERROR;
    if (trap) wasm_trap_delete(trap);
    zend_throw_exception(orca_ce_trap, text, code);
  } else if (kind == ORCA_ERROR_UNLINKABLE) {
    zend_throw_exception(orca_ce_link_error, text, kind);
  } else {
    zend_throw_exception(orca_ce_exception, text, kind);
  }
  wasm_byte_vec_delete(&message);
  orca_error_delete(error);
  orca_attach_host_exception();
}

/* A trap returned by a call, thrown as Orca\Trap (or Orca\Exit for a guest's proc_exit). */
static void orca_throw_trap(wasm_trap_t* trap) {
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  const char* text = message.size ? message.data : "";
  int status = 0;
  if (orca_trap_exit_status(trap, &status)) {
    zend_throw_exception(orca_ce_exit, text, status);
  } else {
    zend_throw_exception(orca_ce_trap, text, orca_trap_code(trap));
  }
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
  orca_attach_host_exception();
}
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
%define ORCA_OWNED_OUT(TYPE)
%typemap(in, numinputs=0) TYPE** OUTPUT (TYPE* handle) {
  handle = NULL;
  $1 = &handle;
}
%typemap(argout, phptype="?TYPE") TYPE** OUTPUT {
  if (!EG(exception)) SWIG_SetPointerZval(return_value, (void*)*$1, $*1_descriptor, 1);
}
%enddef

/* Unsigned 64-bit numbers (fuel, nanoseconds) travel as PHP ints, which are signed 64-bit. */
%typemap(in, phptype="int") uint64_t "$1 = (uint64_t)zval_get_long(&$input);";
%typemap(out, phptype="int") uint64_t "RETVAL_LONG((zend_long)$1);";
%typemap(in, numinputs=0) uint64_t* OUTPUT (uint64_t value) "value = 0; $1 = &value;";
%typemap(argout, phptype="int") uint64_t* OUTPUT "if (!EG(exception)) RETVAL_LONG((zend_long)*$1);";
#endif /* SWIGPHP */

/* ------------------------------------------------------------------------------------------ */
/* Handles: opaque classes the wrapper deletes.                                                */

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
ORCA_HANDLE(orca_linker_t, orca_linker_delete)

/* A WASI guest's state is borrowed from its store: no destructor. */
%nodefaultctor wasi_env_t;
%nodefaultdtor wasi_env_t;
struct wasi_env_t {};
%typemap(in, numinputs=0) wasi_env_t** OUTPUT (wasi_env_t* env) "env = NULL; $1 = &env;";
%typemap(argout, phptype="?wasi_env_t") wasi_env_t** OUTPUT {
  if (!EG(exception)) SWIG_SetPointerZval(return_value, (void*)*$1, $*1_descriptor, 0);
}

/* A WASI configuration is consumed by orca_linker_define_wasi; it is built and used in one helper
 * below, so no target ever holds one. */

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

/* ------------------------------------------------------------------------------------------ */
/* Modules and text                                                                            */

%apply wasm_module_t** OUTPUT { wasm_module_t** module_out };
orca_error_t* orca_module_new(wasm_engine_t*, const wasm_byte_vec_t* binary, wasm_module_t** module_out);
orca_error_t* orca_module_validate(wasm_engine_t*, const wasm_byte_vec_t* binary);
%apply wasm_byte_vec_t* OUTPUT { wasm_byte_vec_t* binary_out };
orca_error_t* orca_wat2wasm(const wasm_byte_vec_t* text, wasm_byte_vec_t* binary_out);
void wasm_module_serialize(const wasm_module_t*, wasm_byte_vec_t* binary_out);

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

%apply wasi_env_t** OUTPUT { wasi_env_t** env_out };
%inline %{
/* Defines WASI in `linker` for a guest with these arguments (a string of NUL-separated words,
 * program name first) whose stdout and stderr are captured (`capture`) or discarded. One call
 * instead of a configuration object, so that no target holds a config the linker may consume. */
static orca_error_t* orca_linker_define_wasi_captured(orca_linker_t* linker, const wasm_byte_vec_t* args,
                                                      bool capture, wasi_env_t** env_out) {
  wasi_config_t* config = wasi_config_new();
  size_t count = 0;
  for (size_t i = 0; i < args->size; ++i) count += args->data[i] == '\0';
  if (args->size && args->data[args->size - 1] != '\0') ++count;
  const char** argv = (const char**)calloc(count ? count : 1, sizeof *argv);
  /* The words are copied to make each one NUL-terminated, whatever the caller gave. */
  char* words = (char*)malloc(args->size + 1);
  memcpy(words, args->data, args->size);
  words[args->size] = '\0';
  size_t word = 0;
  for (size_t start = 0; word < count; ++word) {
    argv[word] = words + start;
    start += strlen(words + start) + 1;
  }
  wasi_config_set_argv(config, count, argv);
  free(argv);
  free(words);
  if (capture) {
    wasi_config_capture_stdout(config);
    wasi_config_capture_stderr(config);
  }
  return orca_linker_define_wasi(linker, config, env_out);
}
%}
void wasi_env_stdout(const wasi_env_t*, wasm_byte_vec_t* binary_out);
void wasi_env_stderr(const wasi_env_t*, wasm_byte_vec_t* binary_out);

/* ------------------------------------------------------------------------------------------ */
/* Exports, functions, memory                                                                  */

%newobject orca_instance_export;
wasm_extern_t* orca_instance_export(const wasm_instance_t*, const char* name);

%newobject orca_extern_func;
%newobject orca_extern_memory;
%inline %{
/* An extern as a function or memory handle of its own (a new reference), or null when it is of
 * another kind; the languages own every handle separately, so a cast gives a copy. */
static wasm_func_t* orca_extern_func(const wasm_extern_t* item) {
  const wasm_func_t* func = wasm_extern_as_func_const(item);
  return func ? wasm_func_copy(func) : NULL;
}
static wasm_memory_t* orca_extern_memory(const wasm_extern_t* item) {
  const wasm_memory_t* memory = wasm_extern_as_memory_const(item);
  return memory ? wasm_memory_copy(memory) : NULL;
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
size_t wasm_func_param_arity(const wasm_func_t*);
size_t wasm_func_result_arity(const wasm_func_t*);
size_t wasm_memory_data_size(const wasm_memory_t*);
uint32_t wasm_memory_size(const wasm_memory_t*);
bool wasm_memory_grow(wasm_memory_t*, uint32_t delta);

#ifdef SWIGPHP
%include "orca_php.i"
#endif

const char* orca_version(void);
