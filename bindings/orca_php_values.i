/*
 * PHP values as wasm values and back, for calls, host functions, globals and tables:
 *
 *   i32, i64   int (an i32 takes -2^31 .. 2^32-1; above 2^31-1 it is the unsigned bit pattern)
 *   f32, f64   float (an int is taken too); NaN payloads survive both ways, f32 ones included
 *   v128       a string of 16 bytes, lane 0 first
 *   funcref    Orca\Func or null
 *   externref  any PHP value; null is ref.null (the store keeps the value while it lives)
 *
 * The conversions need the store (for references) and the PHP Store object (to make Orca\Func
 * objects for funcrefs): an orca_php_context_t.
 */

%{
#include "zend_interfaces.h"
#include "zend_enum.h"

/* SWIG names the type mask of phptype="mixed" so; PHP calls it MAY_BE_ANY. */
#ifndef MAY_BE_MIXED
#define MAY_BE_MIXED MAY_BE_ANY
#endif

typedef struct {
  wasm_store_t* store;
  zend_object* store_object; /* Orca\Store; borrowed: it outlives every call and host function */
} orca_php_context_t;

/* ---- floats: f32 <-> PHP's double without losing a NaN's payload ------------------------- */

/* A C cast would quiet a signalling NaN; NaNs are moved bit by bit instead. */
static double orca_f32_to_double(float value) {
  uint32_t bits;
  memcpy(&bits, &value, 4);
  if ((bits & 0x7f800000u) != 0x7f800000u || !(bits & 0x007fffffu)) return (double)value;
  uint64_t wide = ((uint64_t)(bits >> 31) << 63) | (0x7ffull << 52) | ((uint64_t)(bits & 0x007fffffu) << 29);
  double result;
  memcpy(&result, &wide, 8);
  return result;
}

static float orca_double_to_f32(double value) {
  uint64_t bits;
  memcpy(&bits, &value, 8);
  if ((bits & 0x7ff0000000000000ull) != 0x7ff0000000000000ull || !(bits & 0x000fffffffffffffull)) return (float)value;
  uint32_t mantissa = (uint32_t)((bits & 0x000fffffffffffffull) >> 29);
  if (!mantissa) mantissa = 0x400000u; /* a payload only in the low bits: a quiet NaN still */
  uint32_t narrow = ((uint32_t)(bits >> 63) << 31) | 0x7f800000u | mantissa;
  float result;
  memcpy(&result, &narrow, 4);
  return result;
}

/* ---- externrefs: a PHP value inside a foreign object of the store ------------------------ */

static const char orca_php_extern_tag[] = "orca-php externref";
typedef struct {
  const char* tag;
  zval value;
} orca_php_extern_t;

static void orca_php_extern_free(void* data) {
  orca_php_extern_t* item = (orca_php_extern_t*)data;
  zval_ptr_dtor(&item->value);
  free(item);
}

/* ---- funcrefs: Orca\Func objects ---------------------------------------------------------- */

/* A new Orca\Func of the context's store owning `func`; false (an exception pending) on failure. */
static bool orca_php_func_object(const orca_php_context_t* context, wasm_func_t* func, zval* out) {
  static const char* const names[] = {"raw", "store"};
  zval values[2];
  ZVAL_NULL(&values[0]); /* SWIG_SetPointerZval fills an object it finds in place */
  SWIG_SetPointerZval(&values[0], (void*)func, SWIGTYPE_p_wasm_func_t, 1);
  ZVAL_OBJ_COPY(&values[1], context->store_object);
  bool made = orca_php_object("orca\\func", "orca\\extern", out, 2, names, values);
  zval_ptr_dtor(&values[0]);
  zval_ptr_dtor(&values[1]);
  return made;
}

/* The wasm_func_t of an Orca\Func object; null with an exception pending when it is not one or
 * its store is closed. Read from the properties: no PHP code runs (see orca_php_object). */
static const wasm_func_t* orca_php_func_of(zval* object) {
  zend_class_entry* func_class = orca_php_class("orca\\func");
  zend_class_entry* extern_class = orca_php_class("orca\\extern");
  zend_class_entry* store_class = orca_php_class("orca\\store");
  if (!func_class || !extern_class || !store_class || Z_TYPE_P(object) != IS_OBJECT ||
      !instanceof_function(Z_OBJCE_P(object), func_class)) {
    return NULL;
  }
  zval rv;
  zval* store = zend_read_property(extern_class, Z_OBJ_P(object), "store", sizeof("store") - 1, 1, &rv);
  zval* store_raw = Z_TYPE_P(store) == IS_OBJECT
      ? zend_read_property(store_class, Z_OBJ_P(store), "raw", sizeof("raw") - 1, 1, &rv) : NULL;
  if (!store_raw || Z_TYPE_P(store_raw) != IS_OBJECT) {
    zend_throw_exception(orca_ce_exception, "the store is closed", 0);
    return NULL;
  }
  zval* raw = zend_read_property(extern_class, Z_OBJ_P(object), "raw", sizeof("raw") - 1, 1, &rv);
  void* func = NULL;
  if (SWIG_ConvertPtr(raw, &func, SWIGTYPE_p_wasm_func_t, 0) < 0) func = NULL;
  return (const wasm_func_t*)func;
}

static const char* orca_kind_text(wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "an unknown type";
  }
}

/* Throws TypeError "type mismatch: <what> <n> must be <expected>, <given> given". */
static void orca_php_mismatch(const char* what, size_t index, const char* expected, zval* value) {
  zend_type_error("type mismatch: %s %zu must be %s, %s given", what, index + 1, expected, zend_zval_type_name(value));
}

/* ---- PHP value -> reference / raw slot ----------------------------------------------------- */

/* The value inside an Orca\Val (a value with its wasm type) when its type is `kind`; null with a
 * TypeError thrown when it is of another type. Any other object is returned as it is. */
static zval* orca_php_unwrap_val(zval* object, wasm_valkind_t kind, const char* what, size_t index) {
  zend_class_entry* val_class = orca_php_class("orca\\val");
  if (!val_class || !instanceof_function(Z_OBJCE_P(object), val_class)) return object;
  zval rv;
  zval* type = zend_read_property(val_class, Z_OBJ_P(object), "type", sizeof("type") - 1, 1, &rv);
  zend_long type_kind = Z_TYPE_P(type) == IS_OBJECT ? zval_get_long(zend_enum_fetch_case_value(Z_OBJ_P(type))) : -1;
  if (type_kind != kind) {
    zend_type_error("type mismatch: %s %zu must be %s, Orca\\Val of %s given", what, index + 1, orca_kind_text(kind),
                    orca_kind_text((wasm_valkind_t)type_kind));
    return NULL;
  }
  zval* inner = zend_read_property(val_class, Z_OBJ_P(object), "value", sizeof("value") - 1, 1, &rv);
  ZVAL_DEREF(inner);
  return inner;
}

/* `value` as a reference of `kind` (funcref or externref) for the context's store: *ref is null
 * for ref.null, else owned by the caller when *owned. False (an exception pending) when the value
 * cannot be one. */
static bool orca_php_to_ref(zval* value, wasm_valkind_t kind, const orca_php_context_t* context, const char* what,
                            size_t index, wasm_ref_t** ref, bool* owned) {
  ZVAL_DEREF(value);
  *ref = NULL;
  *owned = false;
  if (Z_TYPE_P(value) == IS_NULL) return true;
  if (kind == WASM_FUNCREF) {
    const wasm_func_t* func = orca_php_func_of(value);
    if (!func) {
      if (!EG(exception)) orca_php_mismatch(what, index, "a funcref (Orca\\Func or null)", value);
      return false;
    }
    *ref = (wasm_ref_t*)wasm_func_as_ref_const(func);
    return true;
  }
  /* externref: a foreign object of the store carrying a copy of the PHP value. */
  wasm_foreign_t* foreign = wasm_foreign_new(context->store);
  orca_php_extern_t* item = (orca_php_extern_t*)malloc(sizeof *item);
  item->tag = orca_php_extern_tag;
  ZVAL_COPY(&item->value, value);
  wasm_foreign_set_host_info_with_finalizer(foreign, item, orca_php_extern_free);
  *ref = wasm_foreign_as_ref(foreign);
  *owned = true;
  return true;
}

/* One PHP value as a raw slot of `kind`; false with a TypeError thrown when it cannot be one.
 * `what` names the value in that error: "argument" for a call, "result" for a host function's. */
static bool orca_php_to_raw(zval* value, wasm_valkind_t kind, const orca_php_context_t* context, const char* what,
                            size_t index, orca_val_raw_t* slot) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) == IS_OBJECT && !(value = orca_php_unwrap_val(value, kind, what, index))) return false;
  switch (kind) {
    case WASM_I32:
      if (Z_TYPE_P(value) != IS_LONG || Z_LVAL_P(value) < INT32_MIN || Z_LVAL_P(value) > (zend_long)UINT32_MAX) {
        orca_php_mismatch(what, index, "an i32 (int from -2147483648 to 4294967295)", value);
        return false;
      }
      slot->i32 = (int32_t)(uint32_t)Z_LVAL_P(value);
      return true;
    case WASM_I64:
      if (Z_TYPE_P(value) != IS_LONG) {
        orca_php_mismatch(what, index, "an i64 (int)", value);
        return false;
      }
      slot->i64 = Z_LVAL_P(value);
      return true;
    case WASM_F32:
    case WASM_F64:
      if (Z_TYPE_P(value) != IS_LONG && Z_TYPE_P(value) != IS_DOUBLE) {
        orca_php_mismatch(what, index, kind == WASM_F32 ? "an f32 (float)" : "an f64 (float)", value);
        return false;
      }
      if (kind == WASM_F32) slot->f32 = orca_double_to_f32(zval_get_double(value));
      else slot->f64 = zval_get_double(value);
      return true;
    case WASM_V128:
      if (Z_TYPE_P(value) != IS_STRING || Z_STRLEN_P(value) != 16) {
        orca_php_mismatch(what, index, "a v128 (string of 16 bytes)", value);
        return false;
      }
      memcpy(slot->v128, Z_STRVAL_P(value), 16);
      return true;
    case WASM_FUNCREF:
    case WASM_EXTERNREF: {
      wasm_ref_t* ref;
      bool owned;
      if (!orca_php_to_ref(value, kind, context, what, index, &ref, &owned)) return false;
      bool converted = orca_ref_to_raw(context->store, ref, kind, &slot->ref);
      if (owned) wasm_ref_delete(ref);
      if (!converted) zend_type_error("type mismatch: %s %zu is a function of another store", what, index + 1);
      return converted;
    }
    default:
      zend_throw_exception_ex(orca_ce_exception, ORCA_ERROR_UNSUPPORTED, "%s %zu: values of type %u are not supported",
                              what, index + 1, (unsigned)kind);
      return false;
  }
}

/* ---- reference / raw slot -> PHP value ----------------------------------------------------- */

/* An owned reference (or null) of `kind` as a PHP value; false (an exception pending) when it
 * cannot be one. */
static bool orca_php_from_ref(wasm_ref_t* ref, wasm_valkind_t kind, const orca_php_context_t* context, zval* out) {
  ZVAL_NULL(out);
  if (!ref) return true;
  if (kind == WASM_FUNCREF) return orca_php_func_object(context, wasm_ref_as_func(ref), out);
  const orca_php_extern_t* item = (const orca_php_extern_t*)wasm_ref_get_host_info(ref);
  if (item && item->tag == orca_php_extern_tag) {
    ZVAL_COPY(out, &item->value);
    wasm_ref_delete(ref);
    return true;
  }
  /* Functions travel as externrefs too; anything else was made by another embedder. */
  if (wasm_ref_as_func(ref)) return orca_php_func_object(context, wasm_ref_as_func(ref), out);
  wasm_ref_delete(ref);
  zend_throw_exception(orca_ce_exception, "an externref that PHP did not make cannot be a PHP value", ORCA_ERROR_UNSUPPORTED);
  return false;
}

static bool orca_php_from_raw(const orca_val_raw_t* slot, wasm_valkind_t kind, const orca_php_context_t* context,
                              zval* out) {
  switch (kind) {
    case WASM_I32: ZVAL_LONG(out, slot->i32); return true;
    case WASM_I64: ZVAL_LONG(out, slot->i64); return true;
    case WASM_F32: ZVAL_DOUBLE(out, orca_f32_to_double(slot->f32)); return true;
    case WASM_F64: ZVAL_DOUBLE(out, slot->f64); return true;
    case WASM_V128: ZVAL_STRINGL(out, (const char*)slot->v128, 16); return true;
    case WASM_FUNCREF:
    case WASM_EXTERNREF:
      return orca_php_from_ref(orca_ref_from_raw(context->store, slot->ref, kind), kind, context, out);
    default: ZVAL_NULL(out); return true;
  }
}

/* The results in `slots` as PHP's return value: null for none, the value for one, a list for
 * several. */
static void orca_php_results(const orca_val_raw_t* slots, const wasm_valkind_t* kinds, size_t count,
                             const orca_php_context_t* context, zval* out) {
  if (count == 1) {
    orca_php_from_raw(&slots[0], kinds[0], context, out);
    return;
  }
  if (count == 0) return;
  array_init_size(out, (uint32_t)count);
  for (size_t i = 0; i < count; ++i) {
    zval item;
    if (!orca_php_from_raw(&slots[i], kinds[i], context, &item)) return;
    add_next_index_zval(out, &item);
  }
}

static bool orca_php_context(zval* store_object, wasm_store_t* store, orca_php_context_t* context) {
  context->store = store;
  context->store_object = Z_TYPE_P(store_object) == IS_OBJECT ? Z_OBJ_P(store_object) : NULL;
  if (!context->store_object) zend_type_error("the store must be an Orca\\Store");
  return context->store_object != NULL;
}

/* ---- calls ---------------------------------------------------------------------------------- */

/* Slots for up to this many values live on the stack; longer signatures allocate. */
#define ORCA_PHP_STACK_SLOTS 8

/* Calls `func` (of `store`, whose PHP object is `store_object`) with the PHP values in `php_args`
 * (a list). `param_kinds` and `result_kinds` are the function's type, one wasm_valkind_t byte per
 * value (orca_func_kinds; Orca\Func keeps them, so that a call copies no type). The result is
 * null for no results, the value for one, a list for several. Traps become Orca\Trap (Orca\Exit
 * for proc_exit); a wrong argument count ArgumentCountError, a wrong value TypeError. */
static void orca_php_func_call(const wasm_func_t* func, wasm_store_t* store, zval* store_object,
                               const wasm_byte_vec_t* param_kinds, const wasm_byte_vec_t* result_kinds,
                               zval* php_args, zval* php_result) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context)) return;
  ZVAL_DEREF(php_args);
  size_t param_count = param_kinds->size, result_count = result_kinds->size;
  uint32_t given = zend_hash_num_elements(Z_ARRVAL_P(php_args));
  if (given != param_count) {
    zend_throw_exception_ex(zend_ce_argument_count_error, 0,
                            "type mismatch: the function takes %zu arguments, %u given", param_count, given);
    return;
  }
  size_t count = param_count > result_count ? param_count : result_count;
  orca_val_raw_t stack_slots[ORCA_PHP_STACK_SLOTS];
  orca_val_raw_t* slots = count <= ORCA_PHP_STACK_SLOTS ? stack_slots : aligned_alloc(16, count * sizeof *slots);
  size_t index = 0;
  zval* value;
  bool converted = true;
  ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(php_args), value) {
    if (!orca_php_to_raw(value, (wasm_valkind_t)param_kinds->data[index], &context, "argument", index, &slots[index])) {
      converted = false;
      break;
    }
    ++index;
  } ZEND_HASH_FOREACH_END();
  if (converted) {
    /* The SIGPROF handler interrupts this store if PHP's time limit passes during the call. */
    wasm_store_t* outer = orca_php_running_store;
    orca_php_running_store = store;
    wasm_trap_t* trap = orca_func_call_unchecked(func, slots, count);
    orca_php_running_store = outer;
    if (orca_php_bailout_pending) {
      if (trap) wasm_trap_delete(trap);
      if (slots != stack_slots) free(slots);
      orca_php_resume_bailout();
    }
    if (trap) {
      orca_throw_trap(trap);
    } else if (result_count) {
      orca_php_results(slots, (const wasm_valkind_t*)result_kinds->data, result_count, &context, php_result);
    }
  }
  if (slots != stack_slots) free(slots);
}

/* ---- host functions -------------------------------------------------------------------------- */

/* A PHP callable as a host function: one reference to the callable, held until the store frees
 * the function (its finalizer); whether it takes an Orca\Caller first; the value kinds of its
 * parameters followed by its results. */
typedef struct {
  zval callable;
  zend_object* store_object; /* borrowed: the store, and so its PHP object, outlives the function */
  bool with_caller;
  size_t param_count;
  size_t result_count;
  wasm_valkind_t kinds[];
} orca_php_host_t;

static void orca_php_host_free(void* env) {
  orca_php_host_t* host = (orca_php_host_t*)env;
  zval_ptr_dtor(&host->callable);
  free(host);
}

/* Turns the pending PHP exception into a trap whose message is the exception's class and message
 * (or, for the Orca\Trap of a nested call, into that call's trap); the exception itself is held
 * (orca_host_exception) for the Orca\Trap the call throws. */
static wasm_trap_t* orca_php_host_trap(wasm_store_t* store) {
  zend_object* exception = EG(exception);
  if (orca_php_exiting()) {
    /* exit() or a fatal error: the guest unwinds, and PHP goes on leaving once the call returns. */
    wasm_message_t text;
    wasm_name_new_from_string_nt(&text, "PHP is exiting");
    wasm_trap_t* trap = wasm_trap_new(store, &text);
    wasm_byte_vec_delete(&text);
    return trap;
  }
  wasm_trap_t* passed = orca_php_passed_trap(exception);
  if (passed) {
    /* A trap of a nested call passes on as it was; its Orca\Trap is the caller's previous exception. */
    GC_ADDREF(exception);
    zend_clear_exception();
    if (orca_host_exception) OBJ_RELEASE(orca_host_exception);
    orca_host_exception = exception;
    return passed;
  }
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
static bool orca_php_host_results(const orca_php_host_t* host, const orca_php_context_t* context, zval* value,
                                  orca_val_raw_t* results) {
  const wasm_valkind_t* kinds = host->kinds + host->param_count;
  if (host->result_count == 1) return orca_php_to_raw(value, kinds[0], context, "result", 0, &results[0]);
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
    if (!orca_php_to_raw(item, kinds[index], context, "result", index, &results[index])) return false;
    ++index;
  } ZEND_HASH_FOREACH_END();
  return true;
}

/* The host function's body: wasm's arguments as PHP values (after an Orca\Caller when it takes
 * one), the callable's return value back as results. Whatever the callable throws (or a result of
 * the wrong type) becomes a trap. The Orca\Caller is closed when the call returns. */
static wasm_trap_t* orca_php_host_call(void* env, orca_caller_t* caller, const orca_val_raw_t* args,
                                       orca_val_raw_t* results) {
  orca_php_host_t* host = (orca_php_host_t*)env;
  orca_php_context_t context = {orca_caller_store(caller), host->store_object};
  size_t argc = host->param_count + (host->with_caller ? 1 : 0);
  zval stack_params[ORCA_PHP_STACK_SLOTS];
  zval* params = argc <= ORCA_PHP_STACK_SLOTS ? stack_params : safe_emalloc(argc, sizeof(zval), 0);
  size_t made = 0;
  bool ready = true;
  if (host->with_caller) {
    static const char* const names[] = {"raw", "store"};
    zval values[2];
    ZVAL_NULL(&values[0]); /* SWIG_SetPointerZval fills an object it finds in place */
    SWIG_SetPointerZval(&values[0], (void*)caller, SWIGTYPE_p_orca_caller_t, 0);
    ZVAL_OBJ_COPY(&values[1], host->store_object);
    ready = orca_php_object("orca\\caller", NULL, &params[0], 2, names, values);
    zval_ptr_dtor(&values[0]);
    zval_ptr_dtor(&values[1]);
    made = ready ? 1 : 0;
  }
  for (size_t i = 0; ready && i < host->param_count; ++i, ++made) {
    ready = orca_php_from_raw(&args[i], host->kinds[i], &context, &params[made]);
  }
  zval value;
  ZVAL_UNDEF(&value);
  volatile bool bailed = false;
  if (ready) {
    /* A fatal error in the callable must not longjmp over the wasm frames below: caught here,
     * it unwinds the guest as a trap and resumes once wasm has returned (orca_php_timeout.i). */
    zend_try {
      if (call_user_function(NULL, NULL, &host->callable, &value, (uint32_t)argc, params) != SUCCESS) {
        if (!EG(exception)) zend_throw_exception(orca_ce_exception, "the host function could not be called", 0);
      } else if (!EG(exception)) {
        orca_php_host_results(host, &context, &value, results);
      }
    } zend_catch {
      bailed = true;
    } zend_end_try();
  }
  zval_ptr_dtor(&value);
  if (host->with_caller && made) {
    /* The caller is valid during this call only: its object may outlive it, closed. */
    zend_update_property_null(Z_OBJCE(params[0]), Z_OBJ(params[0]), "raw", sizeof("raw") - 1);
  }
  for (size_t i = 0; i < made; ++i) zval_ptr_dtor(&params[i]);
  if (params != stack_params) efree(params);
  if (bailed) {
    orca_php_bailout_pending = true;
    wasm_message_t text;
    wasm_name_new_from_string_nt(&text, "a PHP fatal error in a host function");
    wasm_trap_t* trap = wasm_trap_new(context.store, &text);
    wasm_byte_vec_delete(&text);
    return trap;
  }
  return EG(exception) ? orca_php_host_trap(context.store) : NULL;
}

static wasm_valtype_vec_t orca_php_valtypes(const wasm_byte_vec_t* kinds) {
  wasm_valtype_vec_t types;
  wasm_valtype_vec_new_uninitialized(&types, kinds->size);
  for (size_t i = 0; i < kinds->size; ++i) types.data[i] = wasm_valtype_new((wasm_valkind_t)kinds->data[i]);
  return types;
}

/* `callable` as a function of `store` (whose PHP object is `store_object`) with these parameter
 * and result kinds (one wasm_valkind_t byte each); with `with_caller` it gets an Orca\Caller
 * first. Null when the store refuses it. */
static wasm_func_t* orca_php_func_new(wasm_store_t* store, zval* store_object, const wasm_byte_vec_t* param_kinds,
                                      const wasm_byte_vec_t* result_kinds, zval* callable, bool with_caller) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context)) return NULL;
  size_t count = param_kinds->size + result_kinds->size;
  orca_php_host_t* host = (orca_php_host_t*)malloc(sizeof *host + count * sizeof(wasm_valkind_t));
  ZVAL_COPY(&host->callable, callable);
  host->store_object = context.store_object;
  host->with_caller = with_caller;
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
  if (!func) zend_throw_exception(orca_ce_exception, "the store refused the host function", ORCA_ERROR_UNSUPPORTED);
  return func;
}

/* ---- globals and tables ---------------------------------------------------------------------- */

/* A global of this kind and mutability holding `php_value`; null (an exception pending) when the
 * value does not fit or the store refuses it. */
static wasm_global_t* orca_php_global_new(wasm_store_t* store, zval* store_object, uint8_t kind, bool mutable_,
                                          zval* php_value) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context)) return NULL;
  orca_val_raw_t slot;
  memset(&slot, 0, sizeof slot);
  if (!orca_php_to_raw(php_value, kind, &context, "value", 0, &slot)) return NULL;
  /* wasm_val_t carries numbers and references; a v128 global cannot be made through it. */
  wasm_val_t zero;
  memset(&zero, 0, sizeof zero);
  zero.kind = kind == WASM_V128 ? WASM_I32 : kind;
  wasm_globaltype_t* type = wasm_globaltype_new(wasm_valtype_new(kind), mutable_ ? WASM_VAR : WASM_CONST);
  wasm_global_t* global = NULL;
  if (kind == WASM_I32 || kind == WASM_I64 || kind == WASM_F32 || kind == WASM_F64) {
    wasm_val_t value = zero;
    if (kind == WASM_I32) value.of.i32 = slot.i32;
    else if (kind == WASM_I64) value.of.i64 = slot.i64;
    else if (kind == WASM_F32) value.of.f32 = slot.f32;
    else value.of.f64 = slot.f64;
    global = wasm_global_new(store, type, &value);
  } else if (kind == WASM_FUNCREF || kind == WASM_EXTERNREF) {
    wasm_val_t value = zero;
    value.of.ref = orca_ref_from_raw(store, slot.ref, kind);
    global = wasm_global_new(store, type, &value);
    if (value.of.ref) wasm_ref_delete(value.of.ref);
  }
  wasm_globaltype_delete(type);
  if (!global) {
    zend_throw_exception_ex(orca_ce_exception, ORCA_ERROR_UNSUPPORTED, "a %s global cannot be made here",
                            orca_kind_text(kind));
  }
  return global;
}

static void orca_php_global_get(const wasm_global_t* global, wasm_store_t* store, zval* store_object, zval* php_result) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context)) return;
  orca_val_raw_t slot;
  orca_global_get_raw(global, &slot);
  orca_php_from_raw(&slot, orca_global_kind(global), &context, php_result);
}

/* Sets the global; Orca\Exception for a const global, TypeError for a value of another type. */
static void orca_php_global_set(wasm_global_t* global, wasm_store_t* store, zval* store_object, zval* php_value) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context)) return;
  if (!orca_global_mutable(global)) {
    zend_throw_exception(orca_ce_exception, "the global is immutable (const)", ORCA_ERROR_UNSUPPORTED);
    return;
  }
  orca_val_raw_t slot;
  memset(&slot, 0, sizeof slot);
  if (orca_php_to_raw(php_value, orca_global_kind(global), &context, "value", 0, &slot)) orca_global_set_raw(global, &slot);
}

/* A table of `min` elements of `kind` (up to `max`, -1 for none) holding `php_init`. */
static wasm_table_t* orca_php_table_new(wasm_store_t* store, zval* store_object, uint8_t kind, uint32_t min,
                                        int64_t max, zval* php_init) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context)) return NULL;
  wasm_ref_t* init;
  bool owned;
  if (kind != WASM_FUNCREF && kind != WASM_EXTERNREF) {
    zend_throw_exception(orca_ce_exception, "a table holds funcref or externref elements", ORCA_ERROR_UNSUPPORTED);
    return NULL;
  }
  if (!orca_php_to_ref(php_init, kind, &context, "value", 0, &init, &owned)) return NULL;
  wasm_limits_t limits = {min, max < 0 ? wasm_limits_max_default : (uint32_t)max};
  wasm_tabletype_t* type = wasm_tabletype_new(wasm_valtype_new(kind), &limits);
  wasm_table_t* table = wasm_table_new(store, type, init);
  wasm_tabletype_delete(type);
  if (owned) wasm_ref_delete(init);
  if (!table) zend_throw_exception(orca_ce_exception, "the store refused the table", ORCA_ERROR_UNSUPPORTED);
  return table;
}

static bool orca_php_table_index(const wasm_table_t* table, int64_t index) {
  if (index >= 0 && index < (int64_t)wasm_table_size(table)) return true;
  zend_throw_exception_ex(orca_ce_exception, 0, "out of bounds table access: index %lld, size %u", (long long)index,
                          wasm_table_size(table));
  return false;
}

static void orca_php_table_get(const wasm_table_t* table, wasm_store_t* store, zval* store_object, int64_t index,
                               zval* php_result) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context) || !orca_php_table_index(table, index)) return;
  orca_php_from_ref(wasm_table_get(table, (wasm_table_size_t)index), orca_table_elem_kind(table), &context, php_result);
}

static void orca_php_table_set(wasm_table_t* table, wasm_store_t* store, zval* store_object, int64_t index,
                               zval* php_value) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context) || !orca_php_table_index(table, index)) return;
  wasm_ref_t* ref;
  bool owned;
  if (!orca_php_to_ref(php_value, orca_table_elem_kind(table), &context, "value", 0, &ref, &owned)) return;
  if (!wasm_table_set(table, (wasm_table_size_t)index, ref)) {
    zend_throw_exception(orca_ce_exception, "the table refused the element", 0);
  }
  if (owned) wasm_ref_delete(ref);
}

/* Grows the table by `delta` elements holding `php_init`; Orca\Exception when it cannot. */
static void orca_php_table_grow(wasm_table_t* table, wasm_store_t* store, zval* store_object, int64_t delta,
                                zval* php_init) {
  orca_php_context_t context;
  if (!orca_php_context(store_object, store, &context)) return;
  wasm_ref_t* init;
  bool owned;
  if (delta < 0 || delta > UINT32_MAX) {
    zend_throw_exception_ex(orca_ce_exception, 0, "the table cannot grow by %lld elements", (long long)delta);
    return;
  }
  if (!orca_php_to_ref(php_init, orca_table_elem_kind(table), &context, "value", 0, &init, &owned)) return;
  if (!wasm_table_grow(table, (wasm_table_size_t)delta, init)) {
    zend_throw_exception_ex(orca_ce_exception, 0, "the table cannot grow by %lld elements", (long long)delta);
  }
  if (owned) wasm_ref_delete(init);
}

/* Exact f32 bits of PHP floats: a NaN's payload survives (orca_f32_to_double). */
static int64_t orca_php_f32_bits(double value) {
  float narrow = orca_double_to_f32(value);
  uint32_t bits;
  memcpy(&bits, &narrow, 4);
  return bits;
}
static double orca_php_f32_from_bits(int64_t bits) {
  uint32_t narrow = (uint32_t)bits;
  float value;
  memcpy(&value, &narrow, 4);
  return orca_f32_to_double(value);
}
%}

/* PHP values in, and results through PHP's return value. */
%typemap(in, phptype="mixed") zval* php_value "$1 = &$input;";
%typemap(in, phptype="mixed") zval* php_init "$1 = &$input;";
%typemap(in, phptype="array") zval* php_args "$1 = &$input;";
%typemap(in, phptype="object") zval* store_object "$1 = &$input;";
%typemap(in, phptype="callable") zval* callable "$1 = &$input;";
%typemap(in, numinputs=0) zval* php_result "$1 = return_value;";
%typemap(out, phptype="mixed") void orca_php_func_call "";
%typemap(out, phptype="mixed") void orca_php_global_get "";
%typemap(out, phptype="mixed") void orca_php_table_get "";

void orca_php_func_call(const wasm_func_t* func, wasm_store_t* store, zval* store_object,
                        const wasm_byte_vec_t* param_kinds, const wasm_byte_vec_t* result_kinds, zval* php_args,
                        zval* php_result);
%newobject orca_php_func_new;
wasm_func_t* orca_php_func_new(wasm_store_t* store, zval* store_object, const wasm_byte_vec_t* param_kinds,
                               const wasm_byte_vec_t* result_kinds, zval* callable, bool with_caller);
%newobject orca_php_global_new;
wasm_global_t* orca_php_global_new(wasm_store_t* store, zval* store_object, uint8_t kind, bool mutable_, zval* php_value);
void orca_php_global_get(const wasm_global_t* global, wasm_store_t* store, zval* store_object, zval* php_result);
void orca_php_global_set(wasm_global_t* global, wasm_store_t* store, zval* store_object, zval* php_value);
%newobject orca_php_table_new;
wasm_table_t* orca_php_table_new(wasm_store_t* store, zval* store_object, uint8_t kind, uint32_t min, int64_t max,
                                 zval* php_init);
void orca_php_table_get(const wasm_table_t* table, wasm_store_t* store, zval* store_object, int64_t index,
                        zval* php_result);
void orca_php_table_set(wasm_table_t* table, wasm_store_t* store, zval* store_object, int64_t index, zval* php_value);
void orca_php_table_grow(wasm_table_t* table, wasm_store_t* store, zval* store_object, int64_t delta, zval* php_init);
int64_t orca_php_f32_bits(double value);
double orca_php_f32_from_bits(int64_t bits);
