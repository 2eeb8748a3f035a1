/* Orca::Store: where instances and their functions, memories, globals and tables live. */
#include "orca_ext.h"

void orb_store_release(orb_store* store, wasm_ref_t* ref) {
  if (store->active_calls == 0) {
    wasm_ref_delete(ref);
    return;
  }
  if (store->deferred_count == store->deferred_capacity) {
    store->deferred_capacity = store->deferred_capacity ? 2 * store->deferred_capacity : 8;
    REALLOC_N(store->deferred, wasm_ref_t*, store->deferred_capacity);
  }
  store->deferred[store->deferred_count++] = ref;
}

void orb_store_release_deferred(orb_store* store) {
  for (size_t i = 0; i < store->deferred_count; i++) wasm_ref_delete(store->deferred[i]);
  store->deferred_count = 0;
}

static void store_close_now(orb_store* store) {
  if (!store->store) return;
  orb_store_release_deferred(store);
  /* Host function finalizers run here; they free C memory only and never call Ruby. */
  wasm_store_delete(store->store);
  store->store = NULL;
}

void orb_store_unref(orb_store* store) {
  if (--store->refs > 0) return;
  store_close_now(store);
  orb_store_release_deferred(store);
  xfree(store->deferred);
  orb_engine_unref(store->engine);
  xfree(store);
}

static void store_mark(void* ptr) {
  orb_store* store = ptr;
  rb_gc_mark_movable(store->engine_obj);
  rb_gc_mark_movable(store->keep);
  rb_gc_mark_movable(store->externref_index);
}

static void store_compact(void* ptr) {
  orb_store* store = ptr;
  store->engine_obj = rb_gc_location(store->engine_obj);
  store->keep = rb_gc_location(store->keep);
  store->externref_index = rb_gc_location(store->externref_index);
}

/* The Ruby object is gone, so is every object of the store (each marks it): nothing can use the
 * store any more, and it is deleted now rather than with the last C reference. */
static void store_free(void* ptr) {
  orb_store* store = ptr;
  store_close_now(store);
  orb_store_unref(store);
}

static size_t store_size(const void* ptr) {
  (void)ptr;
  return sizeof(orb_store);
}

const rb_data_type_t orb_store_type = {
    "Orca::Store", {store_mark, store_free, store_size, store_compact}, NULL, NULL, RUBY_TYPED_FREE_IMMEDIATELY};

static VALUE store_alloc(VALUE klass) {
  orb_store* store;
  VALUE obj = TypedData_Make_Struct(klass, orb_store, &orb_store_type, store);
  store->engine_obj = Qnil;
  store->keep = Qnil;
  store->externref_index = Qnil;
  return obj;
}

static orb_store* store_struct(VALUE obj) {
  return rb_check_typeddata(obj, &orb_store_type);
}

orb_store* orb_store_get(VALUE obj) {
  orb_store* store = store_struct(obj);
  if (!store->store) rb_raise(orb_eError, "the store is closed");
  return store;
}

static VALUE store_initialize(VALUE self, VALUE engine_obj) {
  orb_store* store = store_struct(self);
  if (store->engine) rb_raise(orb_eError, "the store is initialized already");
  orb_engine* engine = orb_engine_get(engine_obj);
  store->store = wasm_store_new(engine->engine);
  if (!store->store) rb_raise(orb_eError, "the store could not be created");
  store->engine = engine;
  engine->refs++;
  store->refs = 1;
  RB_OBJ_WRITE(self, &store->engine_obj, engine_obj);
  /* Entry 0 is the store itself, for host functions, which know only the C struct. */
  RB_OBJ_WRITE(self, &store->keep, rb_ary_new_from_args(1, self));
  VALUE index = rb_hash_new();
  rb_funcall(index, rb_intern("compare_by_identity"), 0);
  RB_OBJ_WRITE(self, &store->externref_index, index);
  return self;
}

long orb_store_keep(orb_store* store, VALUE value) {
  rb_ary_push(store->keep, value);
  return RARRAY_LEN(store->keep) - 1;
}

void orb_item_init(orb_item* item, VALUE store_obj) {
  orb_store* store = orb_store_get(store_obj);
  item->store = store;
  item->store_obj = store_obj;
  store->refs++;
}

void orb_item_release(orb_item* item) {
  if (item->store) orb_store_unref(item->store);
  item->store = NULL;
}

wasm_store_t* orb_item_store(const orb_item* item) {
  if (!item->store) rb_raise(orb_eError, "the object is not initialized");
  if (!item->store->store) rb_raise(orb_eError, "the store is closed");
  return item->store->store;
}

static VALUE store_close(VALUE self) {
  orb_store* store = store_struct(self);
  if (store->active_calls > 0) {
    rb_raise(orb_eError, "the store cannot be closed while a call into it runs");
  }
  store_close_now(store);
  if (!NIL_P(store->keep)) rb_ary_clear(store->keep);
  if (!NIL_P(store->externref_index)) rb_hash_clear(store->externref_index);
  return Qnil;
}

static VALUE store_closed_p(VALUE self) {
  return store_struct(self)->store ? Qfalse : Qtrue;
}

static VALUE store_engine(VALUE self) {
  return store_struct(self)->engine_obj;
}

static VALUE store_set_fuel(VALUE self, VALUE fuel) {
  orb_check_error(orca_store_fuel_set(orb_store_get(self)->store, NUM2ULL(fuel)));
  return fuel;
}

static VALUE store_fuel(VALUE self) {
  uint64_t fuel = 0;
  orb_check_error(orca_store_fuel_get(orb_store_get(self)->store, &fuel));
  return ULL2NUM(fuel);
}

static VALUE store_set_deadline(VALUE self, VALUE seconds) {
  double value = NUM2DBL(seconds);
  if (!(value >= 0) || value > 1e9) rb_raise(rb_eArgError, "a deadline is 0 (none) or a number of seconds");
  uint64_t ns = (uint64_t)(value * 1e9);
  if (value > 0 && ns == 0) ns = 1;
  orb_check_error(orca_store_deadline_set(orb_store_get(self)->store, ns));
  return seconds;
}

static VALUE store_interrupt(VALUE self) {
  orb_check_error(orca_store_interrupt(orb_store_get(self)->store));
  return Qnil;
}

static VALUE store_clear_interrupt(VALUE self) {
  orca_store_interrupt_clear(orb_store_get(self)->store);
  return Qnil;
}

static VALUE store_collect(VALUE self) {
  return SIZET2NUM(orca_store_collect(orb_store_get(self)->store));
}

static VALUE store_instance_count(VALUE self) {
  return SIZET2NUM(orca_store_instance_count(orb_store_get(self)->store));
}

static int64_t limit_value(VALUE value) {
  if (NIL_P(value)) return -1;
  long long limit = NUM2LL(value);
  if (limit < 0) rb_raise(rb_eArgError, "a limit is nil (unchanged) or at least 0");
  return limit;
}

static VALUE store_set_limits(VALUE self, VALUE memory_bytes, VALUE table_elements, VALUE instances, VALUE tables,
                              VALUE memories) {
  orca_store_limits_set(orb_store_get(self)->store, limit_value(memory_bytes), limit_value(table_elements),
                        limit_value(instances), limit_value(tables), limit_value(memories));
  return Qnil;
}

void orb_init_store(void) {
  orb_cStore = rb_define_class_under(orb_mOrca, "Store", rb_cObject);
  rb_define_alloc_func(orb_cStore, store_alloc);
  rb_define_method(orb_cStore, "initialize", store_initialize, 1);
  rb_define_method(orb_cStore, "close", store_close, 0);
  rb_define_method(orb_cStore, "closed?", store_closed_p, 0);
  rb_define_method(orb_cStore, "engine", store_engine, 0);
  rb_define_method(orb_cStore, "fuel=", store_set_fuel, 1);
  rb_define_method(orb_cStore, "fuel", store_fuel, 0);
  rb_define_method(orb_cStore, "deadline=", store_set_deadline, 1);
  rb_define_method(orb_cStore, "interrupt", store_interrupt, 0);
  rb_define_method(orb_cStore, "clear_interrupt", store_clear_interrupt, 0);
  rb_define_private_method(orb_cStore, "__set_limits", store_set_limits, 5);
  rb_define_method(orb_cStore, "collect", store_collect, 0);
  rb_define_method(orb_cStore, "instance_count", store_instance_count, 0);
}
