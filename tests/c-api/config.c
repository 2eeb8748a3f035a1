/* orca.h engine configuration and store deadlines: feature switches, limits, the module cache
 * (directory, the user's default directory, size cap, usage and clean), native serialization
 * with reasons, a deadline that interrupts running code, and lazy compilation. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "orca.h"

static int error_is(orca_error_t* error, orca_error_kind_t kind, const char* prefix) {
  if (!error) return 0;
  wasm_message_t message;
  orca_error_message(error, &message);
  int ok = orca_error_kind(error) == kind && strncmp(message.data, prefix, strlen(prefix)) == 0;
  if (!ok) fprintf(stderr, "error %d: %s (expected %d: %s...)\n", orca_error_kind(error), message.data, kind, prefix);
  wasm_byte_vec_delete(&message);
  orca_error_delete(error);
  return ok;
}

static void wat(const char* text, wasm_byte_vec_t* out) {
  wasm_byte_vec_t source;
  wasm_byte_vec_new(&source, strlen(text), text);
  orca_error_t* error = orca_wat2wasm(&source, out);
  CHECK(error == NULL);
  if (error) orca_error_delete(error);
  wasm_byte_vec_delete(&source);
}

/* Files in `dir` whose name ends in `suffix`. */
static int count_files(const char* dir, const char* suffix) {
  DIR* d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  struct dirent* entry;
  while ((entry = readdir(d))) {
    size_t len = strlen(entry->d_name), slen = strlen(suffix);
    if (len > slen && strcmp(entry->d_name + len - slen, suffix) == 0) ++n;
  }
  closedir(d);
  return n;
}

static double seconds_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void features(void) {
  wasm_byte_vec_t simd, plain;
  wat("(module (func (export \"f\") (result i32) (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))", &simd);
  wat("(module (func (export \"f\") (result i32) (i32.const 1)))", &plain);
  wasm_config_t* config = wasm_config_new();
  CHECK(orca_config_feature_set(config, ORCA_FEATURE_SIMD, false) == NULL);
  CHECK(error_is(orca_config_feature_set(config, ORCA_FEATURE_THREADS, true), ORCA_ERROR_UNSUPPORTED,
                 "the threads feature is not implemented"));
  CHECK(orca_config_feature_set(config, ORCA_FEATURE_GC, false) == NULL);
  CHECK(error_is(orca_config_feature_set(config, 200, true), ORCA_ERROR_UNSUPPORTED, "unknown feature"));
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = NULL;
  CHECK(error_is(orca_module_new(engine, &simd, &module), ORCA_ERROR_INVALID, "v128.const requires the simd feature"));
  CHECK(module == NULL);
  /* Validation answers as compiling does. */
  CHECK(!wasm_module_validate(store, &simd));
  CHECK(error_is(orca_module_validate(engine, &simd), ORCA_ERROR_INVALID, "v128.const requires the simd feature"));
  CHECK(wasm_module_validate(store, &plain));
  CHECK(orca_module_new(engine, &plain, &module) == NULL && module != NULL);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* The default engine takes the SIMD module. */
  engine = wasm_engine_new();
  store = wasm_store_new(engine);
  module = NULL;
  CHECK(wasm_module_validate(store, &simd));
  CHECK(orca_module_validate(engine, &simd) == NULL);
  CHECK(orca_module_new(engine, &simd, &module) == NULL && module != NULL);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  wasm_byte_vec_delete(&simd);
  wasm_byte_vec_delete(&plain);
}

static void limits(void) {
  /* Three locals in one function: over a limit of two, at a limit of three. */
  wasm_byte_vec_t binary;
  wat("(module (func (export \"f\") (param i32) (local i32 i64) (local.set 1 (local.get 0))))", &binary);
  wasm_config_t* config = wasm_config_new();
  CHECK(orca_config_limit_get(config, ORCA_LIMIT_LOCALS) == 50000);
  CHECK(orca_config_limit_get(config, ORCA_LIMIT_FUNCTION_BODY_BYTES) == 7654321);
  CHECK(orca_config_limit_get(config, ORCA_LIMIT_MODULE_BYTES) == (uint64_t)1 << 30);
  CHECK(orca_config_limit_get(config, 200) == 0);
  CHECK(error_is(orca_config_limit_set(config, 200, 1), ORCA_ERROR_UNSUPPORTED, "unknown limit 200"));
  CHECK(orca_config_limit_set(config, ORCA_LIMIT_LOCALS, 2) == NULL);
  CHECK(orca_config_limit_get(config, ORCA_LIMIT_LOCALS) == 2);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = NULL;
  const char* refusal = "limit locals exceeded: the local count of function 0 is 3 (the limit is 2)";
  CHECK(error_is(orca_module_new(engine, &binary, &module), ORCA_ERROR_UNSUPPORTED, refusal));
  CHECK(module == NULL);
  CHECK(!wasm_module_validate(store, &binary));
  CHECK(error_is(orca_module_validate(engine, &binary), ORCA_ERROR_UNSUPPORTED, refusal));
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* A module over the size limit is refused before it is decoded. */
  config = wasm_config_new();
  CHECK(orca_config_limit_set(config, ORCA_LIMIT_MODULE_BYTES, binary.size - 1) == NULL);
  engine = wasm_engine_new_with_config(config);
  CHECK(error_is(orca_module_validate(engine, &binary), ORCA_ERROR_UNSUPPORTED, "limit module-bytes exceeded"));
  wasm_engine_delete(engine);

  config = wasm_config_new();
  CHECK(orca_config_limit_set(config, ORCA_LIMIT_LOCALS, 3) == NULL);
  engine = wasm_engine_new_with_config(config);
  CHECK(orca_module_new(engine, &binary, &module) == NULL && module != NULL);
  wasm_module_delete(module);
  wasm_engine_delete(engine);
  wasm_byte_vec_delete(&binary);
}

static void cache(void) {
  char dir[] = "/tmp/orca-cache-test-XXXXXX";
  REQUIRE_VOID(mkdtemp(dir) != NULL);
  char sub[sizeof dir + 16];
  snprintf(sub, sizeof sub, "%s/nested", dir); /* created on first use */
  wasm_byte_vec_t binary;
  wat("(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))", &binary);
  for (int round = 0; round < 3; ++round) {
    wasm_config_t* config = wasm_config_new();
    orca_config_cache_dir_set(config, sub);
    wasm_engine_t* engine = wasm_engine_new_with_config(config);
    wasm_store_t* store = wasm_store_new(engine);
    wasm_module_t* module = wasm_module_new(store, &binary);
    CHECK(module != NULL);
    CHECK(count_files(sub, ".orcamod") == 1);
    wasm_instance_t* instance = module ? wasm_instance_new(store, module, NULL, NULL) : NULL;
    CHECK(instance != NULL);
    if (instance) {
      wasm_extern_t* add = orca_instance_export(instance, "add");
      orca_val_raw_t slots[2] = {{.i32 = 40}, {.i32 = 2}};
      CHECK(orca_func_call_unchecked(wasm_extern_as_func(add), slots, 2) == NULL && slots[0].i32 == 42);
      wasm_extern_delete(add);
      wasm_instance_delete(instance);
    }
    wasm_module_delete(module);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    if (round == 1) {
      /* Damage the entry: the next compile ignores and replaces it. */
      DIR* d = opendir(sub);
      struct dirent* entry;
      while (d && (entry = readdir(d))) {
        if (!strstr(entry->d_name, ".orcamod")) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", sub, entry->d_name);
        FILE* f = fopen(path, "wb");
        if (f) {
          fputs("not a cache entry", f);
          fclose(f);
        }
      }
      if (d) closedir(d);
    }
  }
  /* Another configuration compiles to another entry. */
  wasm_config_t* config = wasm_config_new();
  orca_config_cache_dir_set(config, sub);
  orca_config_opt_level_set(config, 0);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  CHECK(module != NULL);
  CHECK(count_files(sub, ".orcamod") == 2);
  CHECK(count_files(sub, ".tmp") == 0);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  wasm_byte_vec_delete(&binary);
  char command[600];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  CHECK(system(command) == 0);
}

/* Compiles `binary` in a fresh engine made from `config`; `counts` gets the engine's cache
 * counters: hits, misses, rejected, write failures, evicted. */
static void compile_in_new_engine(wasm_config_t* config, const wasm_byte_vec_t* binary, uint64_t counts[5]) {
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, binary);
  CHECK(module != NULL);
  wasm_module_delete(module);
  orca_engine_cache_stats(engine, &counts[0], &counts[1], &counts[2], &counts[3], &counts[4]);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
}

static void cache_default_and_cap(void) {
  char dir[] = "/tmp/orca-cache-test-XXXXXX";
  REQUIRE_VOID(mkdtemp(dir) != NULL);
  const char* home = getenv("HOME");
  char* saved_home = home ? strdup(home) : NULL;
  unsetenv("ORCA_CACHE_DIR");
  setenv("XDG_CACHE_HOME", dir, 1);
  char expected[sizeof dir + 8];
  snprintf(expected, sizeof expected, "%s/orca", dir);
  wasm_byte_vec_t name;
  CHECK(orca_cache_default_dir(&name));
  CHECK(name.size == strlen(expected) && memcmp(name.data, expected, name.size) == 0);
  wasm_byte_vec_delete(&name);

  wasm_byte_vec_t first, second;
  wat("(module (func (export \"f\") (result i32) (i32.const 1)))", &first);
  wat("(module (func (export \"f\") (result i32) (i32.const 2)))", &second);
  uint64_t counts[5];
  wasm_config_t* config = wasm_config_new();
  CHECK(orca_config_cache_default(config));
  compile_in_new_engine(config, &first, counts);
  CHECK(counts[0] == 0 && counts[1] == 1);
  /* A second engine compiling the same module loads it. */
  config = wasm_config_new();
  CHECK(orca_config_cache_default(config));
  compile_in_new_engine(config, &first, counts);
  CHECK(counts[0] == 1 && counts[1] == 0 && counts[2] == 0 && counts[3] == 0);
  uint64_t entries = 0, bytes = 0;
  CHECK(orca_cache_usage(expected, &entries, &bytes) == NULL);
  CHECK(entries == 1 && bytes > 0);

  /* A cap that holds one entry and a half: writing the second evicts the first. */
  config = wasm_config_new();
  CHECK(orca_config_cache_default(config));
  orca_config_cache_max_bytes_set(config, bytes + bytes / 2);
  compile_in_new_engine(config, &second, counts);
  CHECK(counts[1] == 1 && counts[4] == 1);
  CHECK(orca_cache_usage(expected, &entries, NULL) == NULL && entries == 1);

  uint64_t removed = 0;
  CHECK(orca_cache_clean(expected, &removed) == NULL && removed == 1);
  CHECK(orca_cache_usage(expected, &entries, &bytes) == NULL && entries == 0 && bytes == 0);
  CHECK(error_is(orca_cache_clean(NULL, NULL), ORCA_ERROR_UNSUPPORTED, "null directory"));

  /* A directory that cannot be made (a file is in the way) costs the cache, not the compile. */
  char file[sizeof dir + 8];
  snprintf(file, sizeof file, "%s/file", dir);
  FILE* f = fopen(file, "w");
  REQUIRE_VOID(f != NULL);
  fclose(f);
  config = wasm_config_new();
  orca_config_cache_dir_set(config, file);
  compile_in_new_engine(config, &first, counts);
  CHECK(counts[1] == 1 && counts[3] == 1);
  CHECK(error_is(orca_cache_usage(file, NULL, NULL), ORCA_ERROR_IO, "cannot read the cache directory"));

  /* Neither HOME nor XDG_CACHE_HOME: no default directory, and engines work without a cache. */
  unsetenv("XDG_CACHE_HOME");
  unsetenv("HOME");
  CHECK(!orca_cache_default_dir(&name));
  CHECK(name.size == 0);
  wasm_byte_vec_delete(&name);
  config = wasm_config_new();
  CHECK(!orca_config_cache_default(config));
  compile_in_new_engine(config, &first, counts);
  CHECK(counts[0] == 0 && counts[1] == 0 && counts[3] == 0);
  if (saved_home) setenv("HOME", saved_home, 1);
  free(saved_home);

  wasm_byte_vec_delete(&first);
  wasm_byte_vec_delete(&second);
  char command[600];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  CHECK(system(command) == 0);
}

static void serialization(void) {
  wasm_byte_vec_t binary, artifact;
  wat("(module (func (export \"f\") (result i32) (i32.const 7)))", &binary);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  REQUIRE_VOID(module != NULL);
  wasm_module_serialize(module, &artifact);
  CHECK(artifact.size > binary.size && memcmp(artifact.data, "\0orcamod", 8) == 0);
  wasm_module_t* loaded = NULL;
  CHECK(orca_module_deserialize(engine, &artifact, &loaded) == NULL && loaded != NULL);
  wasm_module_delete(loaded);
  CHECK(error_is(orca_module_deserialize(engine, &binary, &loaded), ORCA_ERROR_MALFORMED, "not a serialized Orca module"));
  CHECK(loaded == NULL);

  /* An engine with other code-changing options refuses the artifact and says why. */
  wasm_config_t* config = wasm_config_new();
  orca_config_consume_fuel_set(config, true);
  wasm_engine_t* fuel_engine = wasm_engine_new_with_config(config);
  wasm_store_t* fuel_store = wasm_store_new(fuel_engine);
  CHECK(error_is(orca_module_deserialize(fuel_engine, &artifact, &loaded), ORCA_ERROR_UNSUPPORTED,
                 "serialized module was compiled with other options"));
  CHECK(wasm_module_deserialize(fuel_store, &artifact) == NULL);
  wasm_store_delete(fuel_store);
  wasm_engine_delete(fuel_engine);

  wasm_module_delete(module);
  wasm_byte_vec_delete(&artifact);
  wasm_byte_vec_delete(&binary);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
}

static void deadline(void) {
  wasm_byte_vec_t binary;
  wat("(module (func (export \"spin\") (loop $l (br $l))))", &binary);
  wasm_engine_t* plain = wasm_engine_new();
  wasm_store_t* plain_store = wasm_store_new(plain);
  CHECK(error_is(orca_store_deadline_set(plain_store, 1000), ORCA_ERROR_UNSUPPORTED, "interruption is not enabled"));
  wasm_store_delete(plain_store);
  wasm_engine_delete(plain);

  wasm_config_t* config = wasm_config_new();
  orca_config_interruptible_set(config, true);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  REQUIRE_VOID(instance != NULL);
  wasm_extern_t* spin = orca_instance_export(instance, "spin");

  CHECK(orca_store_deadline_set(store, 50 * 1000 * 1000) == NULL);
  double start = seconds_now();
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(spin), NULL, NULL);
  double elapsed = seconds_now() - start;
  REQUIRE_VOID(trap != NULL);
  CHECK(orca_trap_code(trap) == ORCA_TRAP_INTERRUPTED);
  CHECK(elapsed >= 0.045); /* not before the deadline */
  wasm_trap_delete(trap);

  /* A replaced deadline is the one that counts; a cleared one never fires. */
  CHECK(orca_store_deadline_set(store, 10 * 1000 * 1000) == NULL);
  CHECK(orca_store_deadline_set(store, 0) == NULL);
  struct timespec nap = {0, 60 * 1000 * 1000};
  nanosleep(&nap, NULL);
  CHECK(orca_store_deadline_set(store, 30 * 1000 * 1000) == NULL);
  start = seconds_now();
  trap = wasm_func_call(wasm_extern_as_func(spin), NULL, NULL);
  elapsed = seconds_now() - start;
  CHECK(trap != NULL && orca_trap_code(trap) == ORCA_TRAP_INTERRUPTED);
  CHECK(elapsed >= 0.025); /* the cleared 10 ms deadline left no pending request */
  if (trap) wasm_trap_delete(trap);

  /* A store deleted with a deadline pending: the timer must not touch it. */
  CHECK(orca_store_deadline_set(store, 20 * 1000 * 1000) == NULL);
  wasm_extern_delete(spin);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  nanosleep(&nap, NULL);
  wasm_engine_delete(engine);
  wasm_byte_vec_delete(&binary);
}

/* A lazily compiling engine runs code (a function that traps included) and serializes the whole
 * module, which an eager engine loads. A tiered one (tier-up threshold 1) also runs the optimised
 * code once the engine counts it as tiered up. */
static void lazy(orca_compile_strategy_t strategy) {
  wasm_byte_vec_t binary, artifact;
  wat("(module (func $seven (result i32) (i32.const 7))"
      " (func (export \"f\") (result i32) (i32.add (call $seven) (call $seven)))"
      " (func (export \"trap\") unreachable))",
      &binary);
  wasm_config_t* config = wasm_config_new();
  orca_config_compile_strategy_set(config, strategy);
  orca_config_tier_up_threshold_set(config, 1);  /* no effect unless tiered */
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  REQUIRE_VOID(module != NULL);
  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  REQUIRE_VOID(instance != NULL);
  wasm_extern_t* f = orca_instance_export(instance, "f");
  wasm_extern_t* trap_export = orca_instance_export(instance, "trap");
  wasm_val_t result[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(result);
  for (int round = 0; round < 2; ++round) { /* compiled on the first call, reused on the second */
    result[0].of.i32 = 0;
    CHECK(wasm_func_call(wasm_extern_as_func(f), &args, &results) == NULL);
    CHECK(result[0].kind == WASM_I32 && result[0].of.i32 == 14);
  }
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(trap_export), &args, &none);
  CHECK(trap != NULL && orca_trap_code(trap) == ORCA_TRAP_UNREACHABLE);
  if (trap) wasm_trap_delete(trap);
  uint64_t baseline = 0, optimized = 0;
  orca_engine_tier_stats(engine, &baseline, &optimized);
  CHECK(baseline == 3);
  if (strategy == ORCA_COMPILE_TIERED) {
    /* $seven and "f" asked on their first call; the compiles run in the background. */
    struct timespec nap = {0, 1000000};
    for (int waited = 0; optimized < 2 && waited < 60000; ++waited) {
      nanosleep(&nap, NULL);
      orca_engine_tier_stats(engine, NULL, &optimized);
    }
    CHECK(optimized >= 2);
    result[0].of.i32 = 0;
    CHECK(wasm_func_call(wasm_extern_as_func(f), &args, &results) == NULL);
    CHECK(result[0].kind == WASM_I32 && result[0].of.i32 == 14);
  } else {
    CHECK(optimized == 0);
  }

  wasm_module_serialize(module, &artifact);
  wasm_engine_t* eager = wasm_engine_new();
  wasm_module_t* loaded = NULL;
  CHECK(orca_module_deserialize(eager, &artifact, &loaded) == NULL && loaded != NULL);
  if (loaded) wasm_module_delete(loaded);
  wasm_engine_delete(eager);

  wasm_extern_delete(trap_export);
  wasm_extern_delete(f);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  wasm_byte_vec_delete(&artifact);
  wasm_byte_vec_delete(&binary);
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  lazy(ORCA_COMPILE_LAZY);
  lazy(ORCA_COMPILE_TIERED);
  features();
  limits();
  cache();
  cache_default_and_cap();
  serialization();
  deadline();
  return check_finish();
}
