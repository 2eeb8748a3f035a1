/* Orca::Func (calls into wasm) and Orca::Caller (what a host block learns about its caller). */
#include "orca_ext.h"

struct func_call {
  const wasm_func_t* func;
  orca_val_raw_t* slots;
  size_t size;
  wasm_trap_t* trap;
};

static void* call_func(void* arg) {
  struct func_call* call = arg;
  call->trap = orca_func_call_unchecked(call->func, call->slots, call->size);
  return NULL;
}

static VALUE func_call(int argc, VALUE* argv, VALUE self) {
  orb_extern* func = orb_extern_get(self, &orb_func_type);
  orb_store* store = func->item.store;
  if ((size_t)argc != func->param_count) {
    rb_raise(rb_eArgError, "wrong number of arguments (given %d, expected %zu)", argc, func->param_count);
  }
  size_t size = func->param_count > func->result_count ? func->param_count : func->result_count;
  if (size == 0) size = 1;
  VALUE buffer;
  orca_val_raw_t* slots = ALLOCV_N(orca_val_raw_t, buffer, size);
  for (size_t i = 0; i < func->param_count; i++) orb_value_to_raw(store, argv[i], func->kinds[i], &slots[i], i);
  struct func_call call = {wasm_ref_as_func_const(func->ref), slots, size, NULL};
  orb_call_frame frame;
  int state = orb_without_gvl(store, call_func, &call, &frame);
  orb_finish_call(&frame, state, call.trap, NULL);
  VALUE result;
  const wasm_valkind_t* result_kinds = func->kinds + func->param_count;
  if (func->result_count == 0) {
    result = Qnil;
  } else if (func->result_count == 1) {
    result = orb_raw_to_value(func->item.store_obj, &slots[0], result_kinds[0]);
  } else {
    result = rb_ary_new_capa((long)func->result_count);
    for (size_t i = 0; i < func->result_count; i++) {
      rb_ary_push(result, orb_raw_to_value(func->item.store_obj, &slots[i], result_kinds[i]));
    }
  }
  ALLOCV_END(buffer);
  return result;
}

static VALUE func_param_count(VALUE self) {
  return SIZET2NUM(orb_extern_get(self, &orb_func_type)->param_count);
}

static VALUE func_result_count(VALUE self) {
  return SIZET2NUM(orb_extern_get(self, &orb_func_type)->result_count);
}

static VALUE func_type(VALUE self) {
  orb_extern* func = orb_extern_get(self, &orb_func_type);
  VALUE params = rb_ary_new(), results = rb_ary_new();
  for (size_t i = 0; i < func->param_count; i++) rb_ary_push(params, orb_kind_symbol(func->kinds[i]));
  for (size_t i = 0; i < func->result_count; i++) rb_ary_push(results, orb_kind_symbol(func->kinds[func->param_count + i]));
  return rb_funcall(rb_const_get(orb_mOrca, rb_intern("FuncType")), rb_intern("new"), 2, params, results);
}

/* Two Orca::Func objects are == when they are the same wasm function (a table slot and the export
 * it holds, say): each read of a reference makes a new Ruby object. */
static VALUE func_equal(VALUE self, VALUE other) {
  if (!rb_typeddata_is_kind_of(other, &orb_func_type)) return Qfalse;
  orb_extern* func = orb_extern_get(self, &orb_func_type);
  orb_extern* that = orb_extern_get(other, &orb_func_type);
  return wasm_ref_same(func->ref, that->ref) ? Qtrue : Qfalse;
}

static VALUE func_s_new(VALUE klass, VALUE store_obj, VALUE params, VALUE results, VALUE block, VALUE wants_caller) {
  (void)klass;
  wasm_func_t* func = orb_host_func_new(store_obj, params, results, block, RTEST(wants_caller));
  return orb_extern_wrap(store_obj, wasm_func_as_ref(func), WASM_EXTERN_FUNC);
}

/* ---- Caller ---- */

typedef struct orb_caller {
  orb_item item;
  orca_caller_t* caller; /* null once the host call returned */
} orb_caller;

static void caller_mark(void* ptr) {
  rb_gc_mark_movable(((orb_caller*)ptr)->item.store_obj);
}

static void caller_compact(void* ptr) {
  orb_caller* caller = ptr;
  caller->item.store_obj = rb_gc_location(caller->item.store_obj);
}

static void caller_free(void* ptr) {
  orb_caller* caller = ptr;
  orb_item_release(&caller->item);
  xfree(caller);
}

static size_t caller_size(const void* ptr) {
  (void)ptr;
  return sizeof(orb_caller);
}

static const rb_data_type_t caller_type = {
    "Orca::Caller", {caller_mark, caller_free, caller_size, caller_compact}, NULL, NULL, RUBY_TYPED_FREE_IMMEDIATELY};

VALUE orb_caller_new(VALUE store_obj, orca_caller_t* handle) {
  orb_caller* caller;
  VALUE obj = TypedData_Make_Struct(orb_cCaller, orb_caller, &caller_type, caller);
  caller->item.store_obj = Qnil;
  orb_item_init(&caller->item, store_obj);
  RB_OBJ_WRITTEN(obj, Qundef, store_obj);
  caller->caller = handle;
  return obj;
}

void orb_caller_invalidate(VALUE obj) {
  ((orb_caller*)RTYPEDDATA_DATA(obj))->caller = NULL;
}

static orb_caller* caller_get(VALUE self) {
  orb_caller* caller = rb_check_typeddata(self, &caller_type);
  if (!caller->caller) rb_raise(orb_eError, "the caller is used after its host call returned");
  orb_item_store(&caller->item);
  return caller;
}

static VALUE caller_export(VALUE self, VALUE name) {
  orb_caller* caller = caller_get(self);
  return orb_wrap_extern(caller->item.store_obj, orca_caller_export(caller->caller, StringValueCStr(name)));
}

static VALUE caller_store(VALUE self) {
  return caller_get(self)->item.store_obj;
}

void orb_init_func(void) {
  orb_cFunc = rb_define_class_under(orb_mOrca, "Func", rb_cObject);
  rb_undef_alloc_func(orb_cFunc);
  rb_define_singleton_method(orb_cFunc, "__new", func_s_new, 5);
  rb_define_method(orb_cFunc, "call", func_call, -1);
  rb_define_method(orb_cFunc, "param_count", func_param_count, 0);
  rb_define_method(orb_cFunc, "result_count", func_result_count, 0);
  rb_define_method(orb_cFunc, "type", func_type, 0);
  rb_define_method(orb_cFunc, "==", func_equal, 1);

  orb_cCaller = rb_define_class_under(orb_mOrca, "Caller", rb_cObject);
  rb_undef_alloc_func(orb_cCaller);
  rb_define_method(orb_cCaller, "export", caller_export, 1);
  rb_define_method(orb_cCaller, "store", caller_store, 0);
}
