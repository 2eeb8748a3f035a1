/* Orca::Func, Memory, Global, Table and Instance: references to objects that live in a store. */
#include "orca_ext.h"

static void extern_mark(void* ptr) {
  orb_extern* ext = ptr;
  rb_gc_mark_movable(ext->item.store_obj);
}

static void extern_compact(void* ptr) {
  orb_extern* ext = ptr;
  ext->item.store_obj = rb_gc_location(ext->item.store_obj);
}

/* Deleting a reference frees only the handle, also after its store was deleted. */
static void extern_free(void* ptr) {
  orb_extern* ext = ptr;
  if (ext->ref) wasm_ref_delete(ext->ref);
  xfree(ext->kinds);
  orb_item_release(&ext->item);
  xfree(ext);
}

static size_t extern_size(const void* ptr) {
  const orb_extern* ext = ptr;
  return sizeof(orb_extern) + (ext->param_count + ext->result_count) * sizeof(wasm_valkind_t);
}

#define EXTERN_TYPE(name, ruby_name)                                                                      \
  const rb_data_type_t name = {ruby_name,                                                                 \
                               {extern_mark, extern_free, extern_size, extern_compact},                   \
                               NULL,                                                                      \
                               NULL,                                                                      \
                               RUBY_TYPED_FREE_IMMEDIATELY};
EXTERN_TYPE(orb_func_type, "Orca::Func")
EXTERN_TYPE(orb_memory_type, "Orca::Memory")
EXTERN_TYPE(orb_global_type, "Orca::Global")
EXTERN_TYPE(orb_table_type, "Orca::Table")
EXTERN_TYPE(orb_instance_type, "Orca::Instance")

orb_extern* orb_extern_get(VALUE obj, const rb_data_type_t* type) {
  orb_extern* ext = rb_check_typeddata(obj, type);
  orb_item_store(&ext->item);
  if (!ext->ref) rb_raise(orb_eError, "the instance is closed");
  return ext;
}

static void read_func_kinds(orb_extern* ext) {
  wasm_functype_t* type = wasm_func_type(wasm_ref_as_func(ext->ref));
  const wasm_valtype_vec_t* params = wasm_functype_params(type);
  const wasm_valtype_vec_t* results = wasm_functype_results(type);
  ext->param_count = params->size;
  ext->result_count = results->size;
  ext->kinds = ALLOC_N(wasm_valkind_t, params->size + results->size + 1);
  for (size_t i = 0; i < params->size; i++) ext->kinds[i] = wasm_valtype_kind(params->data[i]);
  for (size_t i = 0; i < results->size; i++) ext->kinds[params->size + i] = wasm_valtype_kind(results->data[i]);
  wasm_functype_delete(type);
}

/* Takes the reference. `kind` is a wasm_externkind_t, or -1 for an instance. */
VALUE orb_extern_wrap(VALUE store_obj, wasm_ref_t* ref, wasm_externkind_t kind) {
  const rb_data_type_t* type;
  VALUE klass;
  switch (kind) {
    case WASM_EXTERN_FUNC: type = &orb_func_type; klass = orb_cFunc; break;
    case WASM_EXTERN_GLOBAL: type = &orb_global_type; klass = orb_cGlobal; break;
    case WASM_EXTERN_TABLE: type = &orb_table_type; klass = orb_cTable; break;
    case WASM_EXTERN_MEMORY: type = &orb_memory_type; klass = orb_cMemory; break;
    default: type = &orb_instance_type; klass = orb_cInstance; break;
  }
  orb_extern* ext;
  VALUE obj = TypedData_Make_Struct(klass, orb_extern, type, ext);
  ext->item.store_obj = Qnil;
  ext->ref = ref;
  orb_item_init(&ext->item, store_obj);
  RB_OBJ_WRITTEN(obj, Qundef, store_obj);
  if (kind == WASM_EXTERN_FUNC) read_func_kinds(ext);
  return obj;
}

VALUE orb_wrap_extern(VALUE store_obj, wasm_extern_t* ext) {
  if (!ext) return Qnil;
  return orb_extern_wrap(store_obj, wasm_extern_as_ref(ext), wasm_extern_kind(ext));
}

static VALUE extern_store(VALUE self) {
  return ((orb_extern*)rb_check_typeddata(self, RTYPEDDATA_TYPE(self)))->item.store_obj;
}

/* Lets the store free what this references (Instance#close): the reference goes now, or when
 * the store's running call returns, and every later use raises. */
static VALUE extern_release(VALUE self) {
  orb_extern* ext = rb_check_typeddata(self, RTYPEDDATA_TYPE(self));
  if (ext->ref && ext->item.store) orb_store_release(ext->item.store, ext->ref);
  ext->ref = NULL;
  return Qnil;
}

static VALUE extern_released_p(VALUE self) {
  return ((orb_extern*)rb_check_typeddata(self, RTYPEDDATA_TYPE(self)))->ref ? Qfalse : Qtrue;
}

static VALUE extern_type(VALUE self) {
  orb_extern* ext = orb_extern_get(self, RTYPEDDATA_TYPE(self));
  wasm_externtype_t* type = wasm_extern_type(wasm_ref_as_extern(ext->ref));
  VALUE value = orb_externtype_to_value(type);
  wasm_externtype_delete(type);
  return value;
}

/* ---- Memory ---- */

static wasm_memory_t* memory_of(VALUE self) {
  return wasm_ref_as_memory(orb_extern_get(self, &orb_memory_type)->ref);
}

/* Checks that [offset, offset + length) lies in the memory; its size is read just before the use. */
static void check_range(wasm_memory_t* memory, VALUE offset_value, size_t length, size_t* offset) {
  long long signed_offset = NUM2LL(offset_value);
  size_t size = wasm_memory_data_size(memory);
  if (signed_offset < 0 || (unsigned long long)signed_offset > size || length > size - (size_t)signed_offset) {
    rb_raise(orb_eError, "out of bounds memory access: %zu bytes at %lld, memory has %zu", length, signed_offset, size);
  }
  *offset = (size_t)signed_offset;
}

static VALUE memory_read(VALUE self, VALUE offset_value, VALUE length_value) {
  wasm_memory_t* memory = memory_of(self);
  long long length = NUM2LL(length_value);
  if (length < 0) rb_raise(rb_eArgError, "a negative length");
  size_t offset;
  check_range(memory, offset_value, (size_t)length, &offset);
  return rb_str_new(wasm_memory_data(memory) + offset, (long)length);
}

static VALUE memory_write(VALUE self, VALUE offset_value, VALUE bytes) {
  StringValue(bytes);
  wasm_memory_t* memory = memory_of(self);
  size_t offset;
  check_range(memory, offset_value, (size_t)RSTRING_LEN(bytes), &offset);
  memcpy(wasm_memory_data(memory) + offset, RSTRING_PTR(bytes), (size_t)RSTRING_LEN(bytes));
  return LONG2NUM(RSTRING_LEN(bytes));
}

static VALUE memory_size(VALUE self) {
  return UINT2NUM(wasm_memory_size(memory_of(self)));
}

static VALUE memory_data_size(VALUE self) {
  return SIZET2NUM(wasm_memory_data_size(memory_of(self)));
}

static VALUE memory_grow(VALUE self, VALUE delta) {
  wasm_memory_t* memory = memory_of(self);
  wasm_memory_pages_t before = wasm_memory_size(memory);
  if (!wasm_memory_grow(memory, NUM2UINT(delta))) {
    rb_raise(orb_eError, "the memory cannot grow by %u pages (it has %u)", NUM2UINT(delta), before);
  }
  return UINT2NUM(before);
}

static VALUE memory_s_new(VALUE klass, VALUE store_obj, VALUE min, VALUE max) {
  (void)klass;
  wasm_limits_t limits = {NUM2UINT(min), NIL_P(max) ? wasm_limits_max_default : NUM2UINT(max)};
  wasm_memorytype_t* type = wasm_memorytype_new(&limits);
  wasm_memory_t* memory = wasm_memory_new(orb_store_get(store_obj)->store, type);
  wasm_memorytype_delete(type);
  if (!memory) rb_raise(orb_eError, "the memory could not be created (limits %u..%u pages)", limits.min, limits.max);
  return orb_extern_wrap(store_obj, wasm_memory_as_ref(memory), WASM_EXTERN_MEMORY);
}

/* ---- Global ---- */

static VALUE global_get(VALUE self) {
  orb_extern* ext = orb_extern_get(self, &orb_global_type);
  wasm_global_t* global = wasm_ref_as_global(ext->ref);
  wasm_globaltype_t* type = wasm_global_type(global);
  wasm_valkind_t kind = wasm_valtype_kind(wasm_globaltype_content(type));
  wasm_globaltype_delete(type);
  orca_val_raw_t raw;
  orca_global_get_raw(global, &raw);
  return orb_raw_to_value(ext->item.store_obj, &raw, kind);
}

static VALUE global_set(VALUE self, VALUE value) {
  orb_extern* ext = orb_extern_get(self, &orb_global_type);
  wasm_global_t* global = wasm_ref_as_global(ext->ref);
  wasm_globaltype_t* type = wasm_global_type(global);
  wasm_valkind_t kind = wasm_valtype_kind(wasm_globaltype_content(type));
  bool mutable = wasm_globaltype_mutability(type) == WASM_VAR;
  wasm_globaltype_delete(type);
  if (!mutable) rb_raise(orb_eError, "the global is immutable");
  orca_val_raw_t raw;
  orb_value_to_raw(ext->item.store, value, kind, &raw, 0);
  if (!orca_global_set_raw(global, &raw)) rb_raise(orb_eError, "the global is immutable");
  return value;
}

static VALUE global_s_new(VALUE klass, VALUE store_obj, VALUE kind_symbol, VALUE mutable, VALUE value) {
  (void)klass;
  orb_store* store = orb_store_get(store_obj);
  wasm_valkind_t kind = orb_kind_from_symbol(kind_symbol);
  if (kind == WASM_V128) rb_raise(orb_eError, "a v128 global cannot be created by the host (wasm_val_t has no v128)");
  orca_val_raw_t raw;
  orb_value_to_raw(store, value, kind, &raw, 0);
  wasm_val_t initial = {.kind = kind};
  switch (kind) {
    case WASM_I32: initial.of.i32 = raw.i32; break;
    case WASM_I64: initial.of.i64 = raw.i64; break;
    case WASM_F32: initial.of.f32 = raw.f32; break;
    case WASM_F64: initial.of.f64 = raw.f64; break;
    default: initial.of.ref = raw.ref ? orca_ref_from_raw(store->store, raw.ref, kind) : NULL; break;
  }
  wasm_globaltype_t* type = wasm_globaltype_new(wasm_valtype_new(kind), RTEST(mutable) ? WASM_VAR : WASM_CONST);
  wasm_global_t* global = wasm_global_new(store->store, type, &initial);
  wasm_globaltype_delete(type);
  bool is_ref = kind == WASM_FUNCREF || kind == WASM_EXTERNREF;
  if (is_ref && initial.of.ref) wasm_ref_delete(initial.of.ref);
  if (!global) rb_raise(orb_eError, "the global could not be created");
  return orb_extern_wrap(store_obj, wasm_global_as_ref(global), WASM_EXTERN_GLOBAL);
}

/* ---- Table ---- */

static wasm_table_t* table_of(VALUE self, orb_extern** ext) {
  *ext = orb_extern_get(self, &orb_table_type);
  return wasm_ref_as_table((*ext)->ref);
}

static wasm_valkind_t table_element_kind(wasm_table_t* table) {
  wasm_tabletype_t* type = wasm_table_type(table);
  wasm_valkind_t kind = wasm_valtype_kind(wasm_tabletype_element(type));
  wasm_tabletype_delete(type);
  return kind;
}

static wasm_ref_t* table_ref_of(orb_extern* ext, wasm_valkind_t kind, VALUE value) {
  orca_val_raw_t raw;
  orb_value_to_raw(ext->item.store, value, kind, &raw, 0);
  return raw.ref ? orca_ref_from_raw(ext->item.store->store, raw.ref, kind) : NULL;
}

static void check_index(wasm_table_t* table, VALUE index_value, wasm_table_size_t* index) {
  long long value = NUM2LL(index_value);
  if (value < 0 || value >= (long long)wasm_table_size(table)) {
    rb_raise(orb_eError, "out of bounds table access: index %lld, table has %u elements", value, wasm_table_size(table));
  }
  *index = (wasm_table_size_t)value;
}

static VALUE table_get(VALUE self, VALUE index_value) {
  orb_extern* ext;
  wasm_table_t* table = table_of(self, &ext);
  wasm_table_size_t index;
  check_index(table, index_value, &index);
  wasm_valkind_t kind = table_element_kind(table);
  wasm_ref_t* ref = wasm_table_get(table, index);
  if (!ref) return Qnil;
  orca_val_raw_t raw = {0};
  bool converted = orca_ref_to_raw(ext->item.store->store, ref, kind, &raw.ref);
  wasm_ref_delete(ref);
  return converted ? orb_raw_to_value(ext->item.store_obj, &raw, kind) : Qnil;
}

static VALUE table_set(VALUE self, VALUE index_value, VALUE value) {
  orb_extern* ext;
  wasm_table_t* table = table_of(self, &ext);
  wasm_table_size_t index;
  check_index(table, index_value, &index);
  wasm_ref_t* ref = table_ref_of(ext, table_element_kind(table), value);
  bool set = wasm_table_set(table, index, ref);
  if (ref) wasm_ref_delete(ref);
  if (!set) rb_raise(orb_eError, "the table element could not be set");
  return value;
}

static VALUE table_size(VALUE self) {
  orb_extern* ext;
  return UINT2NUM(wasm_table_size(table_of(self, &ext)));
}

static VALUE table_grow(VALUE self, VALUE delta, VALUE init) {
  orb_extern* ext;
  wasm_table_t* table = table_of(self, &ext);
  wasm_table_size_t before = wasm_table_size(table);
  wasm_ref_t* ref = table_ref_of(ext, table_element_kind(table), init);
  bool grown = wasm_table_grow(table, NUM2UINT(delta), ref);
  if (ref) wasm_ref_delete(ref);
  if (!grown) rb_raise(orb_eError, "the table cannot grow by %u elements (it has %u)", NUM2UINT(delta), before);
  return UINT2NUM(before);
}

static VALUE table_s_new(VALUE klass, VALUE store_obj, VALUE element, VALUE min, VALUE max, VALUE init) {
  (void)klass;
  orb_store* store = orb_store_get(store_obj);
  wasm_valkind_t kind = orb_kind_from_symbol(element);
  if (kind != WASM_FUNCREF && kind != WASM_EXTERNREF) {
    rb_raise(rb_eArgError, "a table holds :funcref or :externref, not %+" PRIsVALUE, element);
  }
  wasm_limits_t limits = {NUM2UINT(min), NIL_P(max) ? wasm_limits_max_default : NUM2UINT(max)};
  orca_val_raw_t raw;
  orb_value_to_raw(store, init, kind, &raw, 0);
  wasm_ref_t* ref = raw.ref ? orca_ref_from_raw(store->store, raw.ref, kind) : NULL;
  wasm_tabletype_t* type = wasm_tabletype_new(wasm_valtype_new(kind), &limits);
  wasm_table_t* table = wasm_table_new(store->store, type, ref);
  wasm_tabletype_delete(type);
  if (ref) wasm_ref_delete(ref);
  if (!table) rb_raise(orb_eError, "the table could not be created (limits %u..%u elements)", limits.min, limits.max);
  return orb_extern_wrap(store_obj, wasm_table_as_ref(table), WASM_EXTERN_TABLE);
}

/* ---- Instance ---- */

static VALUE instance_export(VALUE self, VALUE name) {
  orb_extern* ext = orb_extern_get(self, &orb_instance_type);
  return orb_wrap_extern(ext->item.store_obj, orca_instance_export(wasm_ref_as_instance(ext->ref), StringValueCStr(name)));
}

void orb_init_externs(void) {
  orb_cMemory = rb_define_class_under(orb_mOrca, "Memory", rb_cObject);
  orb_cGlobal = rb_define_class_under(orb_mOrca, "Global", rb_cObject);
  orb_cTable = rb_define_class_under(orb_mOrca, "Table", rb_cObject);
  orb_cInstance = rb_define_class_under(orb_mOrca, "Instance", rb_cObject);
  /* Orca::Func is defined by func.c, before this. */
  VALUE classes[] = {orb_cMemory, orb_cGlobal, orb_cTable, orb_cInstance, orb_cFunc};
  for (size_t i = 0; i < 5; i++) {
    rb_undef_alloc_func(classes[i]);
    rb_define_method(classes[i], "store", extern_store, 0);
    rb_define_private_method(classes[i], "__release", extern_release, 0);
    rb_define_private_method(classes[i], "__released?", extern_released_p, 0);
  }
  for (size_t i = 0; i < 3; i++) rb_define_method(classes[i], "type", extern_type, 0);

  rb_define_singleton_method(orb_cMemory, "__new", memory_s_new, 3);
  rb_define_method(orb_cMemory, "read", memory_read, 2);
  rb_define_method(orb_cMemory, "write", memory_write, 2);
  rb_define_method(orb_cMemory, "size", memory_size, 0);
  rb_define_method(orb_cMemory, "data_size", memory_data_size, 0);
  rb_define_method(orb_cMemory, "grow", memory_grow, 1);

  rb_define_singleton_method(orb_cGlobal, "__new", global_s_new, 4);
  rb_define_method(orb_cGlobal, "get", global_get, 0);
  rb_define_method(orb_cGlobal, "set", global_set, 1);

  rb_define_singleton_method(orb_cTable, "__new", table_s_new, 5);
  rb_define_method(orb_cTable, "get", table_get, 1);
  rb_define_method(orb_cTable, "set", table_set, 2);
  rb_define_method(orb_cTable, "size", table_size, 0);
  rb_define_private_method(orb_cTable, "__grow", table_grow, 2);

  rb_define_private_method(orb_cInstance, "__export", instance_export, 1);
}

