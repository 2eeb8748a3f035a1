/* Ruby values as wasm values (raw 16-byte slots) and back, and types as Ruby objects. */
#include "orca_ext.h"

static const struct {
  const char* name;
  wasm_valkind_t kind;
} kind_names[] = {
    {"i32", WASM_I32},         {"i64", WASM_I64},         {"f32", WASM_F32},         {"f64", WASM_F64},
    {"v128", WASM_V128},       {"funcref", WASM_FUNCREF}, {"externref", WASM_EXTERNREF},
};

wasm_valkind_t orb_kind_from_symbol(VALUE symbol) {
  if (SYMBOL_P(symbol)) {
    const char* name = rb_id2name(SYM2ID(symbol));
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
      if (strcmp(name, kind_names[i].name) == 0) return kind_names[i].kind;
    }
  }
  rb_raise(rb_eArgError, "unknown value type %+" PRIsVALUE " (use :i32, :i64, :f32, :f64, :v128, :funcref or :externref)",
           symbol);
}

VALUE orb_kind_symbol(wasm_valkind_t kind) {
  for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
    if (kind_names[i].kind == kind) return ID2SYM(rb_intern(kind_names[i].name));
  }
  return Qnil;
}

NORETURN(static void mismatch(VALUE value, wasm_valkind_t kind, size_t position));
static void mismatch(VALUE value, wasm_valkind_t kind, size_t position) {
  rb_raise(rb_eTypeError, "type mismatch: value %zu must be %s, not %+" PRIsVALUE, position + 1,
           rb_id2name(SYM2ID(orb_kind_symbol(kind))), value);
}

/* An Integer as the two's complement bits of a `bits`-wide integer: signed or unsigned range. */
static uint64_t integer_bits(VALUE value, int bits, wasm_valkind_t kind, size_t position) {
  if (!RB_INTEGER_TYPE_P(value)) mismatch(value, kind, position);
  /* A Fixnum (62 bits) is checked without the Bignum arithmetic below, which allocates. */
  if (FIXNUM_P(value)) {
    long small = FIX2LONG(value);
    if (bits == 64 || (small >= INT32_MIN && small <= (long)UINT32_MAX)) return (uint64_t)small;
  }
  VALUE low = bits == 32 ? LL2NUM(INT32_MIN) : rb_int_positive_pow(2, 63);
  VALUE high = bits == 32 ? ULL2NUM(UINT32_MAX) : rb_int_positive_pow(2, 64);
  if (bits == 64) {
    low = rb_funcall(low, rb_intern("-@"), 0);
    high = rb_funcall(high, '-', 1, INT2FIX(1));
  }
  if (RTEST(rb_funcall(value, '<', 1, low)) || RTEST(rb_funcall(value, '>', 1, high))) {
    rb_raise(rb_eRangeError, "value %zu (%+" PRIsVALUE ") does not fit %s", position + 1, value,
             rb_id2name(SYM2ID(orb_kind_symbol(kind))));
  }
  return RTEST(rb_funcall(value, '<', 1, INT2FIX(0))) ? (uint64_t)NUM2LL(value) : NUM2ULL(value);
}

/* The externref slot of a Ruby value: a foreign object of the store whose host info numbers the
 * value in the store's keep array (from 1, so that 0 means "not a Ruby value"). A value passed
 * again gets the same foreign object, so wasm sees one reference per Ruby object. */
static void* foreign_for(orb_store* store, VALUE value) {
  VALUE known = rb_hash_lookup2(store->externref_index, value, Qnil);
  if (!NIL_P(known)) return (void*)(uintptr_t)NUM2ULL(known);
  wasm_foreign_t* foreign = wasm_foreign_new(store->store);
  long slot = orb_store_keep(store, value);
  wasm_foreign_set_host_info(foreign, (void*)(uintptr_t)(slot + 1));
  void* raw = NULL;
  bool converted = orca_ref_to_raw(store->store, wasm_foreign_as_ref(foreign), WASM_EXTERNREF, &raw);
  /* The object lives with the store; the raw slot names it from now on. */
  wasm_foreign_delete(foreign);
  if (!converted) rb_raise(orb_eError, "the value could not be made an externref");
  rb_hash_aset(store->externref_index, value, ULL2NUM((uintptr_t)raw));
  return raw;
}

/* f32 values travel as Ruby Floats (doubles). A C cast between float and double quiets a
 * signalling NaN, so NaNs move their sign and payload bit for bit instead: the f32's 23 payload
 * bits are the top of the double's 52, and a round trip gives back the same f32 bits. */
static double f32_to_double(float value) {
  if (value == value) return (double)value;
  uint32_t bits;
  memcpy(&bits, &value, sizeof bits);
  uint64_t wide = ((uint64_t)(bits >> 31) << 63) | (UINT64_C(0x7ff) << 52) | ((uint64_t)(bits & 0x7fffff) << 29);
  double result;
  memcpy(&result, &wide, sizeof result);
  return result;
}

static float double_to_f32(double value) {
  if (value == value) return (float)value;
  uint64_t wide;
  memcpy(&wide, &value, sizeof wide);
  uint32_t payload = (uint32_t)((wide >> 29) & 0x7fffff);
  /* A double NaN whose payload lies only in the low 29 bits stays a NaN: quiet, as a cast makes it. */
  if (payload == 0) payload = 0x400000;
  uint32_t bits = ((uint32_t)(wide >> 63) << 31) | (UINT32_C(0xff) << 23) | payload;
  float result;
  memcpy(&result, &bits, sizeof result);
  return result;
}

/* The value inside an Orca::Val, which must have the wanted type: an Integer alone does not say
 * whether i32 or i64 is meant, a Val does. */
static VALUE typed_value(VALUE val, wasm_valkind_t kind, size_t position) {
  VALUE type = rb_struct_aref(val, INT2FIX(0));
  if (orb_kind_from_symbol(type) != kind) {
    rb_raise(rb_eTypeError, "type mismatch: value %zu must be %s, not %+" PRIsVALUE, position + 1,
             rb_id2name(SYM2ID(orb_kind_symbol(kind))), val);
  }
  return rb_struct_aref(val, INT2FIX(1));
}

void orb_value_to_raw(orb_store* store, VALUE value, wasm_valkind_t kind, orca_val_raw_t* out, size_t position) {
  memset(out, 0, sizeof *out);
  if (RB_TYPE_P(value, T_STRUCT) && rb_obj_is_kind_of(value, orb_cVal)) value = typed_value(value, kind, position);
  switch (kind) {
    case WASM_I32:
      out->i32 = (int32_t)(uint32_t)integer_bits(value, 32, kind, position);
      return;
    case WASM_I64:
      out->i64 = (int64_t)integer_bits(value, 64, kind, position);
      return;
    case WASM_F32:
    case WASM_F64:
      if (!RB_FLOAT_TYPE_P(value) && !RB_INTEGER_TYPE_P(value)) mismatch(value, kind, position);
      if (kind == WASM_F32) {
        out->f32 = double_to_f32(NUM2DBL(value));
      } else {
        out->f64 = NUM2DBL(value);
      }
      return;
    case WASM_V128:
      if (!RB_TYPE_P(value, T_STRING) || RSTRING_LEN(value) != 16) mismatch(value, kind, position);
      memcpy(out->v128, RSTRING_PTR(value), 16);
      return;
    case WASM_FUNCREF: {
      if (NIL_P(value)) return;
      if (!rb_typeddata_is_kind_of(value, &orb_func_type)) mismatch(value, kind, position);
      orb_extern* func = orb_extern_get(value, &orb_func_type);
      if (func->item.store != store) rb_raise(orb_eError, "value %zu is a function of another store", position + 1);
      if (!orca_ref_to_raw(store->store, func->ref, WASM_FUNCREF, &out->ref)) mismatch(value, kind, position);
      return;
    }
    case WASM_EXTERNREF:
      if (!NIL_P(value)) out->ref = foreign_for(store, value);
      return;
    default:
      rb_raise(orb_eError, "unsupported value type %d", kind);
  }
}

static VALUE externref_value(VALUE store_obj, void* raw) {
  orb_store* store = orb_store_get(store_obj);
  wasm_ref_t* ref = orca_ref_from_raw(store->store, raw, WASM_EXTERNREF);
  if (!ref) return Qnil;
  uintptr_t slot = (uintptr_t)wasm_ref_get_host_info(ref);
  wasm_ref_delete(ref);
  if (slot == 0 || (long)slot > RARRAY_LEN(store->keep)) {
    rb_raise(orb_eError, "an externref that Ruby did not make (a host object of another language)");
  }
  return rb_ary_entry(store->keep, (long)slot - 1);
}

VALUE orb_raw_to_value(VALUE store_obj, const orca_val_raw_t* raw, wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I32:
      return INT2NUM(raw->i32);
    case WASM_I64:
      return LL2NUM(raw->i64);
    case WASM_F32:
      return DBL2NUM(f32_to_double(raw->f32));
    case WASM_F64:
      return DBL2NUM(raw->f64);
    case WASM_V128:
      return rb_str_new((const char*)raw->v128, 16);
    case WASM_FUNCREF: {
      if (!raw->ref) return Qnil;
      wasm_ref_t* ref = orca_ref_from_raw(orb_store_get(store_obj)->store, raw->ref, WASM_FUNCREF);
      return ref ? orb_extern_wrap(store_obj, ref, WASM_EXTERN_FUNC) : Qnil;
    }
    case WASM_EXTERNREF:
      return raw->ref ? externref_value(store_obj, raw->ref) : Qnil;
    default:
      rb_raise(orb_eError, "unsupported value type %d", kind);
  }
}

static VALUE limits_max(const wasm_limits_t* limits) {
  return limits->max == wasm_limits_max_default ? Qnil : UINT2NUM(limits->max);
}

static VALUE kinds_list(const wasm_valtype_vec_t* types) {
  VALUE list = rb_ary_new_capa((long)types->size);
  for (size_t i = 0; i < types->size; i++) rb_ary_push(list, orb_kind_symbol(wasm_valtype_kind(types->data[i])));
  return list;
}

/* A type as the Ruby structs of lib/orca/types.rb. */
VALUE orb_externtype_to_value(const wasm_externtype_t* type) {
  switch (wasm_externtype_kind(type)) {
    case WASM_EXTERN_FUNC: {
      const wasm_functype_t* func = wasm_externtype_as_functype_const(type);
      return rb_funcall(rb_const_get(orb_mOrca, rb_intern("FuncType")), rb_intern("new"), 2,
                        kinds_list(wasm_functype_params(func)), kinds_list(wasm_functype_results(func)));
    }
    case WASM_EXTERN_GLOBAL: {
      const wasm_globaltype_t* global = wasm_externtype_as_globaltype_const(type);
      return rb_funcall(rb_const_get(orb_mOrca, rb_intern("GlobalType")), rb_intern("new"), 2,
                        orb_kind_symbol(wasm_valtype_kind(wasm_globaltype_content(global))),
                        wasm_globaltype_mutability(global) == WASM_VAR ? Qtrue : Qfalse);
    }
    case WASM_EXTERN_TABLE: {
      const wasm_tabletype_t* table = wasm_externtype_as_tabletype_const(type);
      const wasm_limits_t* limits = wasm_tabletype_limits(table);
      return rb_funcall(rb_const_get(orb_mOrca, rb_intern("TableType")), rb_intern("new"), 3,
                        orb_kind_symbol(wasm_valtype_kind(wasm_tabletype_element(table))), UINT2NUM(limits->min),
                        limits_max(limits));
    }
    default: {
      const wasm_limits_t* limits = wasm_memorytype_limits(wasm_externtype_as_memorytype_const(type));
      return rb_funcall(rb_const_get(orb_mOrca, rb_intern("MemoryType")), rb_intern("new"), 2, UINT2NUM(limits->min),
                        limits_max(limits));
    }
  }
}

void orb_byte_vec_from_string(wasm_byte_vec_t* out, VALUE string) {
  StringValue(string);
  wasm_byte_vec_new(out, (size_t)RSTRING_LEN(string), RSTRING_PTR(string));
}

/* Orca.f32_bits(float) and Orca.f32_from_bits(integer): an f32 as its IEEE bits and back, NaN
 * payloads kept (Array#pack("e") casts, which quiets a signalling NaN). */
static VALUE s_f32_bits(VALUE mod, VALUE value) {
  (void)mod;
  float f = double_to_f32(NUM2DBL(value));
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return UINT2NUM(bits);
}

static VALUE s_f32_from_bits(VALUE mod, VALUE bits_value) {
  (void)mod;
  uint32_t bits = NUM2UINT(bits_value);
  float f;
  memcpy(&f, &bits, sizeof f);
  return DBL2NUM(f32_to_double(f));
}

void orb_init_values(void) {
  rb_define_module_function(orb_mOrca, "f32_bits", s_f32_bits, 1);
  rb_define_module_function(orb_mOrca, "f32_from_bits", s_f32_from_bits, 1);
}
