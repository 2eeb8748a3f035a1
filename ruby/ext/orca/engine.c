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

/* A name of orca.h's enumerations (features, limits; both are uint8_t) as a Ruby symbol. */
typedef struct named {
  const char* name;
  uint8_t value;
} named;

#define COUNT(table) (sizeof table / sizeof table[0])

static const named feature_names[] = {
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

/* The names of orca.h's module limits, as Ruby symbols: ORCA_LIMIT_LOCALS is :locals. */
static const named limit_names[] = {
    {"module_bytes", ORCA_LIMIT_MODULE_BYTES},
    {"types", ORCA_LIMIT_TYPES},
    {"functions", ORCA_LIMIT_FUNCTIONS},
    {"imports", ORCA_LIMIT_IMPORTS},
    {"exports", ORCA_LIMIT_EXPORTS},
    {"globals", ORCA_LIMIT_GLOBALS},
    {"tables", ORCA_LIMIT_TABLES},
    {"data_segments", ORCA_LIMIT_DATA_SEGMENTS},
    {"params", ORCA_LIMIT_PARAMS},
    {"results", ORCA_LIMIT_RESULTS},
    {"function_body_bytes", ORCA_LIMIT_FUNCTION_BODY_BYTES},
    {"locals", ORCA_LIMIT_LOCALS},
    {"nesting_depth", ORCA_LIMIT_NESTING_DEPTH},
    {"br_table_targets", ORCA_LIMIT_BR_TABLE_TARGETS},
};

/* What rb_hash_foreach passes to set_feature and set_limit: the configuration and the first error. */
struct config_request {
  wasm_config_t* config;
  orca_error_t* error;
};

/* The entry of `table` called `name`, or null; names are checked by Orca::Engine#initialize. */
static const named* find_name(const named* table, size_t count, VALUE name) {
  const char* text = rb_id2name(SYM2ID(rb_to_symbol(name)));
  for (size_t i = 0; i < count; i++) {
    if (strcmp(text, table[i].name) == 0) return &table[i];
  }
  return NULL;
}

static VALUE name_symbols(const named* table, size_t count) {
  VALUE names = rb_ary_new();
  for (size_t i = 0; i < count; i++) rb_ary_push(names, ID2SYM(rb_intern(table[i].name)));
  return names;
}

static int set_feature(VALUE name, VALUE enable, VALUE arg) {
  struct config_request* request = (struct config_request*)arg;
  const named* feature = find_name(feature_names, COUNT(feature_names), name);
  request->error = feature ? orca_config_feature_set(request->config, feature->value, RTEST(enable)) : NULL;
  return request->error || !feature ? ST_STOP : ST_CONTINUE;
}

/* A limit's value is nil (no limit) or an Integer >= 0 (checked by the Ruby layer). */
static int set_limit(VALUE name, VALUE value, VALUE arg) {
  struct config_request* request = (struct config_request*)arg;
  const named* limit = find_name(limit_names, COUNT(limit_names), name);
  request->error = limit ? orca_config_limit_set(request->config, limit->value, NIL_P(value) ? UINT64_MAX : NUM2ULL(value))
                         : NULL;
  return request->error || !limit ? ST_STOP : ST_CONTINUE;
}

/* Every limit of the configuration by name, nil for none: what Engine#limits answers. */
static VALUE limits_of(const wasm_config_t* config) {
  VALUE limits = rb_hash_new();
  for (size_t i = 0; i < COUNT(limit_names); i++) {
    uint64_t value = orca_config_limit_get(config, limit_names[i].value);
    rb_hash_aset(limits, ID2SYM(rb_intern(limit_names[i].name)), value == UINT64_MAX ? Qnil : ULL2NUM(value));
  }
  return rb_hash_freeze(limits);
}

/* The keyword arguments are checked and defaulted by the Ruby layer (lib/orca/engine.rb), which
 * keeps the limits this returns. */
static VALUE engine_setup(VALUE self, VALUE consume_fuel, VALUE interruptible, VALUE cache, VALUE cache_dir,
                          VALUE opt_level, VALUE bounds_checks, VALUE features, VALUE lazy, VALUE limits) {
  if (DATA_PTR(self)) rb_raise(orb_eError, "the engine is initialized already");
  wasm_config_t* config = wasm_config_new();
  orca_config_compile_strategy_set(config, RTEST(lazy) ? ORCA_COMPILE_LAZY : ORCA_COMPILE_EAGER);
  orca_config_consume_fuel_set(config, RTEST(consume_fuel));
  orca_config_interruptible_set(config, RTEST(interruptible));
  orca_config_bounds_checks_set(config, RTEST(bounds_checks));
  orca_config_opt_level_set(config, (uint8_t)NUM2UINT(opt_level));
  if (!NIL_P(cache_dir)) {
    orca_config_cache_dir_set(config, StringValueCStr(cache_dir));
  } else if (RTEST(cache)) {
    orca_config_cache_default(config);
  }
  struct config_request request = {config, NULL};
  rb_hash_foreach(features, set_feature, (VALUE)&request);
  if (!request.error) rb_hash_foreach(limits, set_limit, (VALUE)&request);
  if (request.error) {
    wasm_config_delete(config);
    orb_raise_error(request.error);
  }
  VALUE effective_limits = limits_of(config);
  wasm_engine_t* handle = wasm_engine_new_with_config(config);
  if (!handle) rb_raise(orb_eError, "the engine could not be created");
  orb_engine* engine = ALLOC(orb_engine);
  engine->engine = handle;
  engine->refs = 1;
  engine->interruptible = RTEST(interruptible);
  DATA_PTR(self) = engine;
  return effective_limits;
}

static VALUE engine_feature_names(VALUE klass) {
  (void)klass;
  return name_symbols(feature_names, COUNT(feature_names));
}

static VALUE engine_limit_names(VALUE klass) {
  (void)klass;
  return name_symbols(limit_names, COUNT(limit_names));
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
  rb_define_private_method(orb_cEngine, "__setup", engine_setup, 9);
  rb_define_singleton_method(orb_cEngine, "feature_names", engine_feature_names, 0);
  rb_define_singleton_method(orb_cEngine, "limit_names", engine_limit_names, 0);
  rb_define_method(orb_cEngine, "interruptible?", engine_interruptible_p, 0);
  rb_define_method(orb_cEngine, "cache_stats", engine_cache_stats, 0);
}
