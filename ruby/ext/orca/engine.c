/* Orca::Engine: a configuration and the compiler; shared by threads, outlives its stores. */
#include "orca_ext.h"

void orb_engine_unref(orb_engine* engine) {
  if (--engine->refs > 0) return;
  wasm_engine_delete(engine->engine);
  xfree(engine);
}

static void engine_free(void* ptr) {
  if (ptr) orb_engine_unref(ptr);
}

static size_t engine_size(const void* ptr) {
  (void)ptr;
  return sizeof(orb_engine);
}

const rb_data_type_t orb_engine_type = {
    "Orca::Engine", {NULL, engine_free, engine_size, NULL}, NULL, NULL, RUBY_TYPED_FREE_IMMEDIATELY};

static VALUE engine_alloc(VALUE klass) {
  return TypedData_Wrap_Struct(klass, &orb_engine_type, NULL);
}

orb_engine* orb_engine_get(VALUE obj) {
  orb_engine* engine = rb_check_typeddata(obj, &orb_engine_type);
  if (!engine) rb_raise(orb_eError, "the engine is not initialized");
  return engine;
}

static const struct {
  const char* name;
  orca_feature_t feature;
} feature_names[] = {
    {"mutable_globals", ORCA_FEATURE_MUTABLE_GLOBALS},
    {"saturating_float_to_int", ORCA_FEATURE_SATURATING_FLOAT_TO_INT},
    {"sign_extension", ORCA_FEATURE_SIGN_EXTENSION},
    {"multi_value", ORCA_FEATURE_MULTI_VALUE},
    {"bulk_memory", ORCA_FEATURE_BULK_MEMORY},
    {"reference_types", ORCA_FEATURE_REFERENCE_TYPES},
    {"simd", ORCA_FEATURE_SIMD},
    {"threads", ORCA_FEATURE_THREADS},
    {"memory64", ORCA_FEATURE_MEMORY64},
    {"tail_call", ORCA_FEATURE_TAIL_CALL},
    {"exceptions", ORCA_FEATURE_EXCEPTIONS},
    {"gc", ORCA_FEATURE_GC},
};

struct feature_request {
  wasm_config_t* config;
  orca_error_t* error;
};

static int set_feature(VALUE name, VALUE enable, VALUE arg) {
  struct feature_request* request = (struct feature_request*)arg;
  const char* text = rb_id2name(SYM2ID(rb_to_symbol(name)));
  for (size_t i = 0; i < sizeof feature_names / sizeof feature_names[0]; i++) {
    if (strcmp(text, feature_names[i].name) == 0) {
      request->error = orca_config_feature_set(request->config, feature_names[i].feature, RTEST(enable));
      return request->error ? ST_STOP : ST_CONTINUE;
    }
  }
  request->error = NULL;
  /* The name is checked by Orca::Engine#initialize; reaching this is a bug in it. */
  return ST_STOP;
}

/* The keyword arguments are checked and defaulted by the Ruby layer (lib/orca/engine.rb). */
static VALUE engine_setup(VALUE self, VALUE consume_fuel, VALUE interruptible, VALUE cache, VALUE cache_dir,
                          VALUE opt_level, VALUE bounds_checks, VALUE features) {
  if (DATA_PTR(self)) rb_raise(orb_eError, "the engine is initialized already");
  wasm_config_t* config = wasm_config_new();
  orca_config_consume_fuel_set(config, RTEST(consume_fuel));
  orca_config_interruptible_set(config, RTEST(interruptible));
  orca_config_bounds_checks_set(config, RTEST(bounds_checks));
  orca_config_opt_level_set(config, (uint8_t)NUM2UINT(opt_level));
  if (!NIL_P(cache_dir)) {
    orca_config_cache_dir_set(config, StringValueCStr(cache_dir));
  } else if (RTEST(cache)) {
    orca_config_cache_default(config);
  }
  struct feature_request request = {config, NULL};
  rb_hash_foreach(features, set_feature, (VALUE)&request);
  if (request.error) {
    wasm_config_delete(config);
    orb_raise_error(request.error);
  }
  wasm_engine_t* handle = wasm_engine_new_with_config(config);
  if (!handle) rb_raise(orb_eError, "the engine could not be created");
  orb_engine* engine = ALLOC(orb_engine);
  engine->engine = handle;
  engine->refs = 1;
  engine->interruptible = RTEST(interruptible);
  DATA_PTR(self) = engine;
  return self;
}

static VALUE engine_feature_names(VALUE klass) {
  (void)klass;
  VALUE names = rb_ary_new();
  for (size_t i = 0; i < sizeof feature_names / sizeof feature_names[0]; i++) {
    rb_ary_push(names, ID2SYM(rb_intern(feature_names[i].name)));
  }
  return names;
}

static VALUE engine_interruptible_p(VALUE self) {
  return orb_engine_get(self)->interruptible ? Qtrue : Qfalse;
}

static VALUE engine_cache_stats(VALUE self) {
  uint64_t hits, misses, rejected, write_failures, evicted;
  orca_engine_cache_stats(orb_engine_get(self)->engine, &hits, &misses, &rejected, &write_failures, &evicted);
  VALUE stats = rb_hash_new();
  rb_hash_aset(stats, ID2SYM(rb_intern("hits")), ULL2NUM(hits));
  rb_hash_aset(stats, ID2SYM(rb_intern("misses")), ULL2NUM(misses));
  rb_hash_aset(stats, ID2SYM(rb_intern("rejected")), ULL2NUM(rejected));
  rb_hash_aset(stats, ID2SYM(rb_intern("write_failures")), ULL2NUM(write_failures));
  rb_hash_aset(stats, ID2SYM(rb_intern("evicted")), ULL2NUM(evicted));
  return stats;
}

void orb_init_engine(void) {
  orb_cEngine = rb_define_class_under(orb_mOrca, "Engine", rb_cObject);
  rb_define_alloc_func(orb_cEngine, engine_alloc);
  rb_define_private_method(orb_cEngine, "__setup", engine_setup, 7);
  rb_define_singleton_method(orb_cEngine, "feature_names", engine_feature_names, 0);
  rb_define_method(orb_cEngine, "interruptible?", engine_interruptible_p, 0);
  rb_define_method(orb_cEngine, "cache_stats", engine_cache_stats, 0);
}
