/*
 * What PHP needs beyond orca.i's shared mapping: the exception classes (registered in C, because
 * `Exit` is a reserved word that PHP source cannot declare as a class name) and the conversion of
 * errors to them (orca_php_errors.i), PHP's time limit and fatal errors around wasm calls
 * (orca_php_timeout.i), PHP values to and from wasm values for calls, host
 * functions, globals and tables (orca_php_values.i), and the Orca\ classes written in PHP
 * (php/lib/orca.php), compiled into the extension and defined at the start of every request.
 */

%{
#include "zend_exceptions.h"
#include "orca_prelude.h"

/* The exception classes, registered when the module starts. */
static zend_class_entry* orca_ce_exception;
static zend_class_entry* orca_ce_trap;
static zend_class_entry* orca_ce_link_error;
static zend_class_entry* orca_ce_exit;

/* A class of the Orca\ layer written in PHP (defined per request, so looked up each time), by its
 * lower-case name. */
static zend_class_entry* orca_php_class(const char* lower_name) {
  zend_string* name = zend_string_init(lower_name, strlen(lower_name), 0);
  zend_class_entry* ce = zend_lookup_class_ex(name, name, ZEND_FETCH_CLASS_NO_AUTOLOAD);
  zend_string_release(name);
  return ce;
}

/* A new object of the PHP-written class `lower_name` whose properties `names` (declared by the
 * class `scope`, its own or a parent) take `values`. No PHP code runs, not even the constructor:
 * PHP code may be stopped by a fatal error (the time limit), whose longjmp would skip the C code
 * around it and what it holds. False, with an exception pending, when the class is missing. */
static bool orca_php_object(const char* lower_name, const char* lower_scope, zval* out, size_t count,
                            const char* const* names, zval* values) {
  zend_class_entry* ce = orca_php_class(lower_name);
  zend_class_entry* scope = lower_scope ? orca_php_class(lower_scope) : ce;
  if (!ce || !scope) {
    zend_throw_exception_ex(orca_ce_exception, 0, "the class %s is not defined", lower_name);
    return false;
  }
  if (object_init_ex(out, ce) != SUCCESS) return false;
  for (size_t i = 0; i < count; ++i) zend_update_property(scope, Z_OBJ_P(out), names[i], strlen(names[i]), &values[i]);
  return true;
}
%}

%include "orca_php_timeout.i"
%include "orca_php_errors.i"
%include "orca_php_values.i"

%{
/* Orca\Exit::getStatus(): the guest's exit status, which is also the exception's code. */
ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(orca_arginfo_long, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()
static PHP_METHOD(OrcaExit, getStatus) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval rv;
  zval* code = zend_read_property(zend_ce_exception, Z_OBJ_P(ZEND_THIS), "code", sizeof("code") - 1, 1, &rv);
  RETURN_LONG(zval_get_long(code));
}
static const zend_function_entry orca_exit_methods[] = {
  PHP_ME(OrcaExit, getStatus, orca_arginfo_long, ZEND_ACC_PUBLIC)
  PHP_FE_END
};

/* Orca\Exception::getKind(): what failed, as orca.h's error kinds name it ("malformed", "invalid",
 * "unlinkable", "trap", "exit", ...); empty for errors of the PHP layer itself. */
ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(orca_arginfo_string, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()
static PHP_METHOD(OrcaException, getKind) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval rv;
  zval* kind = zend_read_property(orca_ce_exception, Z_OBJ_P(ZEND_THIS), "kind", sizeof("kind") - 1, 1, &rv);
  RETURN_STR(zval_get_string(kind));
}
static const zend_function_entry orca_exception_methods[] = {
  PHP_ME(OrcaException, getKind, orca_arginfo_string, ZEND_ACC_PUBLIC)
  PHP_FE_END
};

/* Orca\Trap::getFrames(): the wasm frames of the trap, innermost first, as Orca\Frame objects. */
ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(orca_arginfo_array, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()
static PHP_METHOD(OrcaTrap, getFrames) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval rv;
  zval* frames = zend_read_property(orca_ce_trap, Z_OBJ_P(ZEND_THIS), "frames", sizeof("frames") - 1, 1, &rv);
  if (Z_TYPE_P(frames) != IS_ARRAY) RETURN_EMPTY_ARRAY();
  RETURN_COPY(frames);
}
static const zend_function_entry orca_trap_methods[] = {
  PHP_ME(OrcaTrap, getFrames, orca_arginfo_array, ZEND_ACC_PUBLIC)
  PHP_FE_END
};

static zend_class_entry* orca_register_exception(const char* name, zend_class_entry* parent,
                                                 const zend_function_entry* methods) {
  zend_class_entry ce;
  INIT_CLASS_ENTRY_EX(ce, name, strlen(name), methods);
  return zend_register_internal_class_ex(&ce, parent);
}
%}

%minit %{
  orca_ce_exception = orca_register_exception("Orca\\Exception", zend_ce_exception, orca_exception_methods);
  zend_declare_property_string(orca_ce_exception, "kind", sizeof("kind") - 1, "", ZEND_ACC_PROTECTED);
  zend_declare_property_null(orca_ce_exception, "trap", sizeof("trap") - 1, ZEND_ACC_PRIVATE);
  orca_ce_trap = orca_register_exception("Orca\\Trap", orca_ce_exception, orca_trap_methods);
  zend_declare_property_null(orca_ce_trap, "frames", sizeof("frames") - 1, ZEND_ACC_PRIVATE);
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

%{
/* Whether this request defined the Orca\ classes written in PHP (php/lib/orca.php) yet. */
static bool orca_prelude_defined;

/* The autoloader of the Orca\ classes written in PHP: user classes live for one request, and
 * defining them costs about 0.2 ms, so a request defines them when it first names one, and a
 * request that never uses Orca pays only for registering this function. */
static void orca_php_autoload(const char* class_name) {
  if (orca_prelude_defined || strncasecmp(class_name, "Orca\\", 5) != 0) return;
  orca_prelude_defined = true;
  zend_eval_stringl((char*)orca_prelude, sizeof orca_prelude - 1, NULL, "orca.php");
}
%}
void orca_php_autoload(const char* class_name);

/* Each request registers the autoloader first in SPL's queue (SPL, built into PHP, starts its
 * request before a shared extension does). */
%rinit %{
  orca_prelude_defined = false;
  {
    zval function, result, args[3];
    ZVAL_STRING(&function, "spl_autoload_register");
    ZVAL_STRING(&args[0], "orca_php_autoload");
    ZVAL_TRUE(&args[1]);
    ZVAL_TRUE(&args[2]);
    bool registered = call_user_function(NULL, NULL, &function, &result, 3, args) == SUCCESS &&
                      Z_TYPE(result) == IS_TRUE;
    zval_ptr_dtor(&function);
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&result);
    if (!registered) return FAILURE;
  }
%}
