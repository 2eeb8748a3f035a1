/* Orca::Linker: definitions by module and name (host functions, WASI, instances), instantiation. */
#include "orca_ext.h"

wasm_module_t* orb_module_get(VALUE obj, orb_engine** engine);

typedef struct orb_linker {
  orb_item item;
  orca_linker_t* linker;
  wasi_env_t* wasi; /* borrowed from the store, after define_wasi */
  bool closed;
} orb_linker;

static void linker_mark(void* ptr) {
  rb_gc_mark_movable(((orb_linker*)ptr)->item.store_obj);
}

static void linker_compact(void* ptr) {
  orb_linker* linker = ptr;
  linker->item.store_obj = rb_gc_location(linker->item.store_obj);
}

/* The C linker names objects of its store but owns none, so it may go after the store. */
static void linker_free(void* ptr) {
  orb_linker* linker = ptr;
  if (linker->linker) orca_linker_delete(linker->linker);
  orb_item_release(&linker->item);
  xfree(linker);
}

static size_t linker_size(const void* ptr) {
  (void)ptr;
  return sizeof(orb_linker);
}

static const rb_data_type_t linker_type = {
    "Orca::Linker", {linker_mark, linker_free, linker_size, linker_compact}, NULL, NULL, RUBY_TYPED_FREE_IMMEDIATELY};

static VALUE linker_alloc(VALUE klass) {
  orb_linker* linker;
  VALUE obj = TypedData_Make_Struct(klass, orb_linker, &linker_type, linker);
  linker->item.store_obj = Qnil;
  return obj;
}

static orb_linker* linker_get(VALUE self) {
  orb_linker* linker = rb_check_typeddata(self, &linker_type);
  if (linker->closed) rb_raise(orb_eError, "the linker is closed");
  if (!linker->linker) rb_raise(orb_eError, "the linker is not initialized");
  orb_item_store(&linker->item);
  return linker;
}

static VALUE linker_initialize(VALUE self, VALUE store_obj) {
  orb_linker* linker = rb_check_typeddata(self, &linker_type);
  if (linker->linker || linker->closed) rb_raise(orb_eError, "the linker is initialized already");
  orb_item_init(&linker->item, store_obj);
  RB_OBJ_WRITTEN(self, Qundef, store_obj);
  linker->linker = orca_linker_new(linker->item.store->store);
  return self;
}

/* Deletes the definitions now, so that the instances whose exports it defines can be freed. */
static VALUE linker_close(VALUE self) {
  orb_linker* linker = rb_check_typeddata(self, &linker_type);
  if (linker->item.store && linker->item.store->active_calls > 0) {
    rb_raise(orb_eError, "a linker cannot be closed while a call into its store runs");
  }
  if (linker->linker) orca_linker_delete(linker->linker);
  linker->linker = NULL;
  linker->wasi = NULL;
  linker->closed = true;
  return Qnil;
}

static VALUE linker_store(VALUE self) {
  return ((orb_linker*)rb_check_typeddata(self, &linker_type))->item.store_obj;
}

static VALUE linker_allow_shadowing(VALUE self, VALUE allow) {
  orca_linker_allow_shadowing(linker_get(self)->linker, RTEST(allow));
  return allow;
}

static const rb_data_type_t* const extern_types[] = {&orb_func_type, &orb_memory_type, &orb_global_type,
                                                      &orb_table_type};

static VALUE linker_define(VALUE self, VALUE module, VALUE name, VALUE item) {
  orb_linker* linker = linker_get(self);
  orb_extern* ext = NULL;
  for (size_t i = 0; i < 4 && !ext; i++) {
    if (rb_typeddata_is_kind_of(item, extern_types[i])) ext = orb_extern_get(item, extern_types[i]);
  }
  if (!ext) rb_raise(rb_eTypeError, "define takes an Orca::Func, Memory, Global or Table, not %+" PRIsVALUE, item);
  if (ext->item.store != linker->item.store) rb_raise(orb_eError, "the object belongs to another store");
  orb_check_error(orca_linker_define(linker->linker, StringValueCStr(module), StringValueCStr(name),
                                     wasm_ref_as_extern(ext->ref)));
  return self;
}

static VALUE linker_define_func(VALUE self, VALUE module, VALUE name, VALUE params, VALUE results, VALUE block,
                                VALUE wants_caller) {
  orb_linker* linker = linker_get(self);
  const char* module_name = StringValueCStr(module);
  const char* func_name = StringValueCStr(name);
  wasm_func_t* func = orb_host_func_new(linker->item.store_obj, params, results, block, RTEST(wants_caller));
  orca_error_t* error = orca_linker_define(linker->linker, module_name, func_name, wasm_func_as_extern(func));
  wasm_func_delete(func);
  orb_check_error(error);
  return self;
}

static VALUE linker_define_instance(VALUE self, VALUE module, VALUE instance) {
  orb_linker* linker = linker_get(self);
  orb_extern* ext = orb_extern_get(instance, &orb_instance_type);
  if (ext->item.store != linker->item.store) rb_raise(orb_eError, "the instance belongs to another store");
  orb_check_error(
      orca_linker_define_instance(linker->linker, StringValueCStr(module), wasm_ref_as_instance_const(ext->ref)));
  return self;
}

static VALUE linker_get_definition(VALUE self, VALUE module, VALUE name) {
  orb_linker* linker = linker_get(self);
  return orb_wrap_extern(linker->item.store_obj,
                         orca_linker_get(linker->linker, StringValueCStr(module), StringValueCStr(name)));
}

/* ---- WASI ---- */

struct wasi_request {
  wasi_config_t* config;
  VALUE args, env, preopens, stdin_bytes, capture;
};

static VALUE configure_wasi(VALUE arg) {
  struct wasi_request* request = (struct wasi_request*)arg;
  wasi_config_t* config = request->config;
  long argc = RARRAY_LEN(request->args);
  const char** argv = ALLOCA_N(const char*, argc + 1);
  for (long i = 0; i < argc; i++) argv[i] = StringValueCStr(RARRAY_PTR(request->args)[i]);
  wasi_config_set_argv(config, (size_t)argc, argv);
  VALUE pairs = rb_funcall(request->env, rb_intern("to_a"), 0);
  long count = RARRAY_LEN(pairs);
  const char** names = ALLOCA_N(const char*, count + 1);
  const char** values = ALLOCA_N(const char*, count + 1);
  for (long i = 0; i < count; i++) {
    VALUE pair = rb_ary_entry(pairs, i);
    names[i] = StringValueCStr(RARRAY_PTR(pair)[0]);
    values[i] = StringValueCStr(RARRAY_PTR(pair)[1]);
  }
  wasi_config_set_env(config, (size_t)count, names, values);
  VALUE dirs = rb_funcall(request->preopens, rb_intern("to_a"), 0);
  for (long i = 0; i < RARRAY_LEN(dirs); i++) {
    VALUE pair = rb_ary_entry(dirs, i);
    wasi_config_preopen_dir(config, StringValueCStr(RARRAY_PTR(pair)[1]), StringValueCStr(RARRAY_PTR(pair)[0]));
  }
  if (!NIL_P(request->stdin_bytes)) {
    wasm_byte_vec_t bytes;
    orb_byte_vec_from_string(&bytes, request->stdin_bytes);
    wasi_config_set_stdin_bytes(config, &bytes);
    wasm_byte_vec_delete(&bytes);
  }
  if (RTEST(request->capture)) {
    wasi_config_capture_stdout(config);
    wasi_config_capture_stderr(config);
  } else {
    wasi_config_inherit_stdout(config);
    wasi_config_inherit_stderr(config);
  }
  RB_GC_GUARD(pairs);
  RB_GC_GUARD(dirs);
  return Qnil;
}

/* The arguments are checked and converted by lib/orca/linker.rb: an Array of Strings, two Hashes
 * of Strings, a String or nil. */
static VALUE linker_define_wasi(VALUE self, VALUE args, VALUE env, VALUE preopens, VALUE stdin_bytes, VALUE capture) {
  orb_linker* linker = linker_get(self);
  struct wasi_request request = {wasi_config_new(), args, env, preopens, stdin_bytes, capture};
  int state = 0;
  rb_protect(configure_wasi, (VALUE)&request, &state);
  if (state) {
    wasi_config_delete(request.config);
    rb_jump_tag(state);
  }
  orb_check_error(orca_linker_define_wasi(linker->linker, request.config, &linker->wasi));
  return self;
}

static VALUE wasi_output(VALUE self, void (*read)(const wasi_env_t*, wasm_byte_vec_t*)) {
  orb_linker* linker = linker_get(self);
  if (!linker->wasi) rb_raise(orb_eError, "the linker has no WASI (define_wasi first)");
  wasm_byte_vec_t bytes;
  read(linker->wasi, &bytes);
  VALUE text = rb_str_new(bytes.data, (long)bytes.size);
  wasm_byte_vec_delete(&bytes);
  return text;
}

static VALUE linker_stdout(VALUE self) {
  return wasi_output(self, wasi_env_stdout);
}

static VALUE linker_stderr(VALUE self) {
  return wasi_output(self, wasi_env_stderr);
}

/* ---- instantiation ---- */

struct instantiate_request {
  const orca_linker_t* linker;
  const wasm_module_t* module;
  wasm_instance_t* instance;
  orca_error_t* error;
};

static void* instantiate_without_gvl(void* arg) {
  struct instantiate_request* request = arg;
  request->error = orca_linker_instantiate(request->linker, request->module, &request->instance);
  return NULL;
}

/* Runs the start function, if any, like a call: without the GVL, interruptible. */
static VALUE linker_instantiate(VALUE self, VALUE module_obj) {
  orb_linker* linker = linker_get(self);
  orb_engine* engine;
  wasm_module_t* module = orb_module_get(module_obj, &engine);
  struct instantiate_request request = {linker->linker, module, NULL, NULL};
  orb_call_frame frame;
  int state = orb_without_gvl(linker->item.store, instantiate_without_gvl, &request, &frame);
  if ((state || request.error) && request.instance) {
    wasm_instance_delete(request.instance);
    request.instance = NULL;
  }
  orb_finish_call(&frame, state, NULL, request.error);
  return orb_extern_wrap(linker->item.store_obj, wasm_instance_as_ref(request.instance), (wasm_externkind_t)-1);
}

void orb_init_linker(void) {
  orb_cLinker = rb_define_class_under(orb_mOrca, "Linker", rb_cObject);
  rb_define_alloc_func(orb_cLinker, linker_alloc);
  rb_define_method(orb_cLinker, "initialize", linker_initialize, 1);
  rb_define_method(orb_cLinker, "store", linker_store, 0);
  rb_define_method(orb_cLinker, "close", linker_close, 0);
  rb_define_method(orb_cLinker, "allow_shadowing=", linker_allow_shadowing, 1);
  rb_define_method(orb_cLinker, "define", linker_define, 3);
  rb_define_private_method(orb_cLinker, "__define_func", linker_define_func, 6);
  rb_define_method(orb_cLinker, "define_instance", linker_define_instance, 2);
  rb_define_method(orb_cLinker, "get", linker_get_definition, 2);
  rb_define_private_method(orb_cLinker, "__define_wasi", linker_define_wasi, 5);
  rb_define_method(orb_cLinker, "stdout", linker_stdout, 0);
  rb_define_method(orb_cLinker, "stderr", linker_stderr, 0);
  rb_define_private_method(orb_cLinker, "__instantiate", linker_instantiate, 1);
}
