/*
 * What PHP needs beyond orca.i's shared mapping: the exception classes (registered in C, because
 * `Exit` is a reserved word that PHP source cannot declare as a class name), calls converting
 * PHP ints and floats to raw slots, and the Orca\ classes written in PHP (php/lib/orca.php),
 * compiled into the extension and defined at the start of every request.
 */

%{
#include "orca_prelude.h"

/* Orca\Exit::getStatus(): the guest's exit status, which is also the exception's code. */
ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(orca_arginfo_exit_status, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()
static PHP_METHOD(OrcaExit, getStatus) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval rv;
  zval* code = zend_read_property(zend_ce_exception, Z_OBJ_P(ZEND_THIS), "code", sizeof("code") - 1, 1, &rv);
  RETURN_LONG(zval_get_long(code));
}
static const zend_function_entry orca_exit_methods[] = {
  PHP_ME(OrcaExit, getStatus, orca_arginfo_exit_status, ZEND_ACC_PUBLIC)
  PHP_FE_END
};

static zend_class_entry* orca_register_exception(const char* name, zend_class_entry* parent,
                                                 const zend_function_entry* methods) {
  zend_class_entry ce;
  INIT_CLASS_ENTRY_EX(ce, name, strlen(name), methods);
  return zend_register_internal_class_ex(&ce, parent);
}

/* Slots for up to this many values live on the stack; longer signatures allocate. */
#define ORCA_PHP_STACK_SLOTS 8

/* One PHP value as a raw slot of `kind`; false with a TypeError thrown when it cannot be one.
 * `what` names the value in that error: "argument" for a call, "result" for a host function's. */
static bool orca_php_to_raw(zval* value, wasm_valkind_t kind, const char* what, size_t index, orca_val_raw_t* slot) {
  ZVAL_DEREF(value);
  switch (kind) {
    case WASM_I32:
    case WASM_I64:
      if (Z_TYPE_P(value) != IS_LONG) {
        zend_type_error("%s %zu must be of type int, %s given", what, index + 1, zend_zval_type_name(value));
        return false;
      }
      if (kind == WASM_I32) slot->i32 = (int32_t)Z_LVAL_P(value);
      else slot->i64 = Z_LVAL_P(value);
      return true;
    case WASM_F32:
    case WASM_F64:
      if (Z_TYPE_P(value) != IS_LONG && Z_TYPE_P(value) != IS_DOUBLE) {
        zend_type_error("%s %zu must be of type float, %s given", what, index + 1, zend_zval_type_name(value));
        return false;
      }
      if (kind == WASM_F32) slot->f32 = (float)zval_get_double(value);
      else slot->f64 = zval_get_double(value);
      return true;
    default:
      zend_throw_exception_ex(orca_ce_exception, ORCA_ERROR_UNSUPPORTED,
                              "%s %zu: only i32, i64, f32 and f64 values are supported yet", what, index + 1);
      return false;
  }
}

static void orca_php_from_raw(const orca_val_raw_t* slot, wasm_valkind_t kind, zval* out) {
  switch (kind) {
    case WASM_I32: ZVAL_LONG(out, slot->i32); break;
    case WASM_I64: ZVAL_LONG(out, slot->i64); break;
    case WASM_F32: ZVAL_DOUBLE(out, slot->f32); break;
    case WASM_F64: ZVAL_DOUBLE(out, slot->f64); break;
    default: ZVAL_NULL(out); break;
  }
}

/* Calls `func` with the PHP values in `php_args` (a list). The result is null for no results, the
 * value for one, and a list for several. Traps become Orca\Trap (Orca\Exit for proc_exit). */
static void orca_php_func_call(const wasm_func_t* func, zval* php_args, zval* php_result) {
  ZVAL_DEREF(php_args);
  if (Z_TYPE_P(php_args) != IS_ARRAY) {
    zend_type_error("arguments must be an array");
    return;
  }
  wasm_functype_t* type = wasm_func_type(func);
  const wasm_valtype_vec_t* params = wasm_functype_params(type);
  const wasm_valtype_vec_t* results = wasm_functype_results(type);
  uint32_t given = zend_hash_num_elements(Z_ARRVAL_P(php_args));
  if (given != params->size) {
    zend_throw_exception_ex(orca_ce_exception, 0, "expected %zu arguments, got %u", params->size, given);
    wasm_functype_delete(type);
    return;
  }
  size_t count = params->size > results->size ? params->size : results->size;
  orca_val_raw_t stack_slots[ORCA_PHP_STACK_SLOTS];
  orca_val_raw_t* slots = count <= ORCA_PHP_STACK_SLOTS ? stack_slots : aligned_alloc(16, count * sizeof *slots);
  size_t index = 0;
  zval* value;
  bool converted = true;
  ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(php_args), value) {
    if (!orca_php_to_raw(value, wasm_valtype_kind(params->data[index]), "argument", index, &slots[index])) {
      converted = false;
      break;
    }
    ++index;
  } ZEND_HASH_FOREACH_END();
  if (converted) {
    wasm_trap_t* trap = orca_func_call_unchecked(func, slots, count);
    if (trap) {
      orca_throw_trap(trap);
    } else if (results->size == 1) {
      orca_php_from_raw(&slots[0], wasm_valtype_kind(results->data[0]), php_result);
    } else if (results->size > 1) {
      array_init_size(php_result, (uint32_t)results->size);
      for (size_t i = 0; i < results->size; ++i) {
        zval item;
        orca_php_from_raw(&slots[i], wasm_valtype_kind(results->data[i]), &item);
        add_next_index_zval(php_result, &item);
      }
    }
  }
  if (slots != stack_slots) free(slots);
  wasm_functype_delete(type);
}

/* A PHP callable as a host function: one reference to the callable, held until the store frees
 * the function (its finalizer), and the value kinds of its parameters followed by its results. */
typedef struct {
  zval callable;
  size_t param_count;
  size_t result_count;
  wasm_valkind_t kinds[];
} orca_php_host_t;

static void orca_php_host_free(void* env) {
  orca_php_host_t* host = (orca_php_host_t*)env;
  zval_ptr_dtor(&host->callable);
  free(host);
}

/* Turns the pending PHP exception into a trap whose message is the exception's class and message;
 * the exception itself is held (orca_host_exception) for the Orca\Trap the call throws. */
static wasm_trap_t* orca_php_host_trap(wasm_store_t* store) {
  zend_object* exception = EG(exception);
  zval rv;
  zval* message = zend_read_property(zend_get_exception_base(exception), exception, "message",
                                     sizeof("message") - 1, 1, &rv);
  zend_string* text = zend_strpprintf(0, "%s: %s", ZSTR_VAL(exception->ce->name),
                                      Z_TYPE_P(message) == IS_STRING ? Z_STRVAL_P(message) : "");
  GC_ADDREF(exception);
  zend_clear_exception();
  if (orca_host_exception) OBJ_RELEASE(orca_host_exception);
  orca_host_exception = exception;
  wasm_message_t trap_message;
  trap_message.size = ZSTR_LEN(text);
  trap_message.data = ZSTR_VAL(text);
  wasm_trap_t* trap = wasm_trap_new(store, &trap_message);
  zend_string_release(text);
  return trap;
}

/* Stores the callable's return value in the result slots: nothing for no results, the value for
 * one, a list of exactly that many for several. False with a TypeError thrown otherwise. */
static bool orca_php_host_results(const orca_php_host_t* host, zval* value, orca_val_raw_t* results) {
  const wasm_valkind_t* kinds = host->kinds + host->param_count;
  if (host->result_count == 1) return orca_php_to_raw(value, kinds[0], "result", 0, &results[0]);
  if (host->result_count == 0) return true;
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(value)) != host->result_count) {
    zend_type_error("a host function with %zu results must return an array of %zu values, %s given",
                    host->result_count, host->result_count, zend_zval_type_name(value));
    return false;
  }
  size_t index = 0;
  zval* item;
  ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(value), item) {
    if (!orca_php_to_raw(item, kinds[index], "result", index, &results[index])) return false;
    ++index;
  } ZEND_HASH_FOREACH_END();
  return true;
}

/* The host function's body: wasm's arguments as PHP values, the callable's return value back as
 * results. Whatever the callable throws (or a result of the wrong type) becomes a trap. */
static wasm_trap_t* orca_php_host_call(void* env, orca_caller_t* caller, const orca_val_raw_t* args,
                                       orca_val_raw_t* results) {
  orca_php_host_t* host = (orca_php_host_t*)env;
  zval stack_params[ORCA_PHP_STACK_SLOTS];
  zval* params = host->param_count <= ORCA_PHP_STACK_SLOTS ? stack_params : safe_emalloc(host->param_count, sizeof(zval), 0);
  for (size_t i = 0; i < host->param_count; ++i) orca_php_from_raw(&args[i], host->kinds[i], &params[i]);
  zval value;
  ZVAL_UNDEF(&value);
  bool called = call_user_function(NULL, NULL, &host->callable, &value, (uint32_t)host->param_count, params) == SUCCESS;
  if (params != stack_params) efree(params);
  if (!EG(exception)) {
    if (!called) zend_throw_exception(orca_ce_exception, "the host function could not be called", 0);
    else orca_php_host_results(host, &value, results);
  }
  zval_ptr_dtor(&value);
  return EG(exception) ? orca_php_host_trap(orca_caller_store(caller)) : NULL;
}

static wasm_valtype_vec_t orca_php_valtypes(const wasm_byte_vec_t* kinds) {
  wasm_valtype_vec_t types;
  wasm_valtype_vec_new_uninitialized(&types, kinds->size);
  for (size_t i = 0; i < kinds->size; ++i) types.data[i] = wasm_valtype_new((wasm_valkind_t)kinds->data[i]);
  return types;
}

/* Defines `callable` as the function module.name of `linker` (whose store is `store`). The
 * parameter and result kinds come as one byte each (wasm_valkind_t: only i32, i64, f32, f64). */
static orca_error_t* orca_php_linker_define_func(orca_linker_t* linker, wasm_store_t* store, const char* module,
                                                 const char* name, const wasm_byte_vec_t* param_kinds,
                                                 const wasm_byte_vec_t* result_kinds, zval* callable) {
  size_t count = param_kinds->size + result_kinds->size;
  orca_php_host_t* host = (orca_php_host_t*)malloc(sizeof *host + count * sizeof(wasm_valkind_t));
  ZVAL_COPY(&host->callable, callable);
  host->param_count = param_kinds->size;
  host->result_count = result_kinds->size;
  memcpy(host->kinds, param_kinds->data, param_kinds->size);
  memcpy(host->kinds + param_kinds->size, result_kinds->data, result_kinds->size);
  wasm_valtype_vec_t params = orca_php_valtypes(param_kinds);
  wasm_valtype_vec_t results = orca_php_valtypes(result_kinds);
  wasm_functype_t* type = wasm_functype_new(&params, &results);
  /* The function owns `host` from here: its finalizer releases the callable when the store frees it. */
  wasm_func_t* func = orca_func_new_with_caller(store, type, orca_php_host_call, host, orca_php_host_free);
  wasm_functype_delete(type);
  /* A null function (the store refused it) is the linker's null-argument error. */
  orca_error_t* error = orca_linker_define(linker, module, name, func ? wasm_func_as_extern_const(func) : NULL);
  if (func) wasm_func_delete(func);
  return error;
}
%}

%typemap(in, phptype="array") zval* php_args "$1 = &$input;";
%typemap(in, numinputs=0) zval* php_result "$1 = return_value;";
%typemap(out, phptype="int|float|array|null") void orca_php_func_call "";
void orca_php_func_call(const wasm_func_t* func, zval* php_args, zval* php_result);

%typemap(in, phptype="callable") zval* callable "$1 = &$input;";
orca_error_t* orca_php_linker_define_func(orca_linker_t* linker, wasm_store_t* store, const char* module,
                                          const char* name, const wasm_byte_vec_t* param_kinds,
                                          const wasm_byte_vec_t* result_kinds, zval* callable);

%minit %{
  orca_ce_exception = orca_register_exception("Orca\\Exception", zend_ce_exception, NULL);
  orca_ce_trap = orca_register_exception("Orca\\Trap", orca_ce_exception, NULL);
  /* A trap's code (getCode()) names what happened; the values are orca.h's orca_trap_code_enum. */
  static const struct { const char* name; zend_long code; } orca_trap_codes[] = {
    {"UNREACHABLE", ORCA_TRAP_UNREACHABLE},
    {"MEMORY_OUT_OF_BOUNDS", ORCA_TRAP_MEMORY_OUT_OF_BOUNDS},
    {"TABLE_OUT_OF_BOUNDS", ORCA_TRAP_TABLE_OUT_OF_BOUNDS},
    {"UNDEFINED_ELEMENT", ORCA_TRAP_UNDEFINED_ELEMENT},
    {"UNINITIALIZED_ELEMENT", ORCA_TRAP_UNINITIALIZED_ELEMENT},
    {"INDIRECT_CALL_TYPE_MISMATCH", ORCA_TRAP_INDIRECT_CALL_TYPE_MISMATCH},
    {"INTEGER_DIVIDE_BY_ZERO", ORCA_TRAP_INTEGER_DIVIDE_BY_ZERO},
    {"INTEGER_OVERFLOW", ORCA_TRAP_INTEGER_OVERFLOW},
    {"INVALID_CONVERSION", ORCA_TRAP_INVALID_CONVERSION},
    {"STACK_EXHAUSTED", ORCA_TRAP_STACK_EXHAUSTED},
    {"OUT_OF_FUEL", ORCA_TRAP_OUT_OF_FUEL},
    {"INTERRUPTED", ORCA_TRAP_INTERRUPTED},
    {"HOST_ERROR", ORCA_TRAP_HOST_ERROR},
    {"EXIT", ORCA_TRAP_EXIT},
  };
  for (size_t i = 0; i < sizeof orca_trap_codes / sizeof orca_trap_codes[0]; ++i) {
    zend_declare_class_constant_long(orca_ce_trap, orca_trap_codes[i].name, strlen(orca_trap_codes[i].name),
                                     orca_trap_codes[i].code);
  }
  orca_ce_link_error = orca_register_exception("Orca\\LinkError", orca_ce_exception, NULL);
  orca_ce_exit = orca_register_exception("Orca\\Exit", orca_ce_exception, orca_exit_methods);
%}

/* User classes live for one request, so the PHP layer is defined again at each request's start. */
%rinit %{
  if (zend_eval_stringl((char*)orca_prelude, sizeof orca_prelude - 1, NULL, "orca.php") == FAILURE) {
    return FAILURE;
  }
%}
