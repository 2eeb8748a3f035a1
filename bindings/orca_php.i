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

/* One PHP value as a raw slot of `kind`; false with a TypeError thrown when it cannot be one. */
static bool orca_php_to_raw(zval* value, wasm_valkind_t kind, size_t index, orca_val_raw_t* slot) {
  ZVAL_DEREF(value);
  switch (kind) {
    case WASM_I32:
    case WASM_I64:
      if (Z_TYPE_P(value) != IS_LONG) {
        zend_type_error("argument %zu must be of type int, %s given", index + 1, zend_zval_type_name(value));
        return false;
      }
      if (kind == WASM_I32) slot->i32 = (int32_t)Z_LVAL_P(value);
      else slot->i64 = Z_LVAL_P(value);
      return true;
    case WASM_F32:
    case WASM_F64:
      if (Z_TYPE_P(value) != IS_LONG && Z_TYPE_P(value) != IS_DOUBLE) {
        zend_type_error("argument %zu must be of type float, %s given", index + 1, zend_zval_type_name(value));
        return false;
      }
      if (kind == WASM_F32) slot->f32 = (float)zval_get_double(value);
      else slot->f64 = zval_get_double(value);
      return true;
    default:
      zend_throw_exception_ex(orca_ce_exception, ORCA_ERROR_UNSUPPORTED,
                              "argument %zu: only i32, i64, f32 and f64 values are supported yet", index + 1);
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
    if (!orca_php_to_raw(value, wasm_valtype_kind(params->data[index]), index, &slots[index])) {
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
%}

%typemap(in, phptype="array") zval* php_args "$1 = &$input;";
%typemap(in, numinputs=0) zval* php_result "$1 = return_value;";
%typemap(out, phptype="int|float|array|null") void orca_php_func_call "";
void orca_php_func_call(const wasm_func_t* func, zval* php_args, zval* php_result);

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
