/* Orca::Module: compiled code that belongs to an engine; every store of that engine may use it. */
#include "orca_ext.h"

typedef struct orb_module {
  wasm_module_t* module;
  orb_engine* engine;
  VALUE engine_obj;
} orb_module;

static void module_mark(void* ptr) {
  rb_gc_mark_movable(((orb_module*)ptr)->engine_obj);
}

static void module_compact(void* ptr) {
  orb_module* module = ptr;
  module->engine_obj = rb_gc_location(module->engine_obj);
}

static void module_free(void* ptr) {
  orb_module* module = ptr;
  if (module->module) wasm_module_delete(module->module);
  if (module->engine) orb_engine_unref(module->engine);
  xfree(module);
}

static size_t module_size(const void* ptr) {
  (void)ptr;
  return sizeof(orb_module);
}

static const rb_data_type_t module_type = {
    "Orca::Module", {module_mark, module_free, module_size, module_compact}, NULL, NULL, RUBY_TYPED_FREE_IMMEDIATELY};

static VALUE module_alloc(VALUE klass) {
  orb_module* module;
  VALUE obj = TypedData_Make_Struct(klass, orb_module, &module_type, module);
  module->engine_obj = Qnil;
  return obj;
}

wasm_module_t* orb_module_get(VALUE obj, orb_engine** engine) {
  orb_module* module = rb_check_typeddata(obj, &module_type);
  if (!module->module) rb_raise(orb_eError, "the module is not initialized");
  if (engine) *engine = module->engine;
  return module->module;
}

struct compile_request {
  wasm_engine_t* engine;
  wasm_byte_vec_t bytes;
  bool deserialize;
  wasm_module_t* module;
  orca_error_t* error;
};

static void* compile_without_gvl(void* arg) {
  struct compile_request* request = arg;
  request->error = request->deserialize ? orca_module_deserialize(request->engine, &request->bytes, &request->module)
                                        : orca_module_new(request->engine, &request->bytes, &request->module);
  return NULL;
}

/* Compiles (or loads an artifact) without the GVL: other threads run meanwhile. A Ruby interrupt
 * cannot stop the compiler; it is raised when the compile is done. */
static VALUE module_setup(VALUE self, VALUE engine_obj, VALUE bytes, VALUE deserialize) {
  orb_module* module = rb_check_typeddata(self, &module_type);
  if (module->module) rb_raise(orb_eError, "the module is initialized already");
  orb_engine* engine = orb_engine_get(engine_obj);
  struct compile_request request = {engine->engine, {0, NULL}, RTEST(deserialize), NULL, NULL};
  orb_byte_vec_from_string(&request.bytes, bytes);
  int state = orb_without_gvl(NULL, compile_without_gvl, &request, NULL);
  wasm_byte_vec_delete(&request.bytes);
  if (state) {
    if (request.module) wasm_module_delete(request.module);
    if (request.error) orca_error_delete(request.error);
    rb_jump_tag(state);
  }
  orb_check_error(request.error);
  module->module = request.module;
  module->engine = engine;
  engine->refs++;
  RB_OBJ_WRITE(self, &module->engine_obj, engine_obj);
  return self;
}

static VALUE module_engine(VALUE self) {
  return ((orb_module*)rb_check_typeddata(self, &module_type))->engine_obj;
}

static VALUE module_serialize(VALUE self) {
  wasm_byte_vec_t artifact;
  wasm_module_serialize(orb_module_get(self, NULL), &artifact);
  VALUE bytes = rb_str_new(artifact.data, (long)artifact.size);
  wasm_byte_vec_delete(&artifact);
  return bytes;
}

static VALUE name_string(const wasm_name_t* name) {
  return rb_utf8_str_new(name->data, (long)name->size);
}

static VALUE module_imports(VALUE self) {
  wasm_importtype_vec_t imports;
  wasm_module_imports(orb_module_get(self, NULL), &imports);
  VALUE import_class = rb_const_get(orb_mOrca, rb_intern("ImportType"));
  VALUE list = rb_ary_new_capa((long)imports.size);
  for (size_t i = 0; i < imports.size; i++) {
    const wasm_importtype_t* import = imports.data[i];
    rb_ary_push(list, rb_funcall(import_class, rb_intern("new"), 3, name_string(wasm_importtype_module(import)),
                                 name_string(wasm_importtype_name(import)),
                                 orb_externtype_to_value(wasm_importtype_type(import))));
  }
  wasm_importtype_vec_delete(&imports);
  return list;
}

static VALUE module_exports(VALUE self) {
  wasm_exporttype_vec_t exports;
  wasm_module_exports(orb_module_get(self, NULL), &exports);
  VALUE export_class = rb_const_get(orb_mOrca, rb_intern("ExportType"));
  VALUE list = rb_ary_new_capa((long)exports.size);
  for (size_t i = 0; i < exports.size; i++) {
    const wasm_exporttype_t* export = exports.data[i];
    rb_ary_push(list, rb_funcall(export_class, rb_intern("new"), 2, name_string(wasm_exporttype_name(export)),
                                 orb_externtype_to_value(wasm_exporttype_type(export))));
  }
  wasm_exporttype_vec_delete(&exports);
  return list;
}

static VALUE module_s_validate(VALUE klass, VALUE engine_obj, VALUE bytes) {
  (void)klass;
  wasm_byte_vec_t binary;
  orb_byte_vec_from_string(&binary, bytes);
  orca_error_t* error = orca_module_validate(orb_engine_get(engine_obj)->engine, &binary);
  wasm_byte_vec_delete(&binary);
  orb_check_error(error);
  return Qtrue;
}

static VALUE s_wat2wasm(VALUE mod, VALUE text) {
  (void)mod;
  wasm_byte_vec_t source, binary;
  orb_byte_vec_from_string(&source, text);
  orca_error_t* error = orca_wat2wasm(&source, &binary);
  wasm_byte_vec_delete(&source);
  orb_check_error(error);
  VALUE bytes = rb_str_new(binary.data, (long)binary.size);
  wasm_byte_vec_delete(&binary);
  return bytes;
}

void orb_init_module(void) {
  orb_cModule = rb_define_class_under(orb_mOrca, "Module", rb_cObject);
  rb_define_alloc_func(orb_cModule, module_alloc);
  rb_define_private_method(orb_cModule, "__setup", module_setup, 3);
  rb_define_method(orb_cModule, "engine", module_engine, 0);
  rb_define_method(orb_cModule, "serialize", module_serialize, 0);
  rb_define_method(orb_cModule, "imports", module_imports, 0);
  rb_define_method(orb_cModule, "exports", module_exports, 0);
  rb_define_singleton_method(orb_cModule, "__validate", module_s_validate, 2);
  rb_define_module_function(orb_mOrca, "wat2wasm", s_wat2wasm, 1);
}
