/* One engine and one compiled module shared by threads; each thread has its own store, obtains
 * the module and runs it several times. */
#include <pthread.h>

#include "check.h"

enum { N_THREADS = 4, N_REPS = 5 };

static wasm_engine_t* engine;
static wasm_shared_module_t* shared;
static int results[N_THREADS];  /* each thread writes its own slot */

static wasm_trap_t* hello_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* out) {
  (void)out;
  int* slot = (int*)env;
  *slot += args->data[0].of.i32;
  return NULL;
}

static void* run(void* arg) {
  int id = (int)(intptr_t)arg;
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_obtain(store, shared);
  if (!module) {
    wasm_store_delete(store);
    results[id] = -1;
    return NULL;
  }
  wasm_functype_t* func_type = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_func_t* func = wasm_func_new_with_env(store, func_type, hello_callback, &results[id], NULL);
  wasm_functype_delete(func_type);
  wasm_val_t val = WASM_I32_VAL(id + 1);
  wasm_globaltype_t* global_type = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_global_t* global = wasm_global_new(store, global_type, &val);
  wasm_globaltype_delete(global_type);

  wasm_extern_t* externs[] = {wasm_func_as_extern(func), wasm_global_as_extern(global)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  for (int rep = 0; rep < N_REPS; ++rep) {
    wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
    if (!instance) continue;
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), NULL, NULL);
    if (trap) wasm_trap_delete(trap);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
  }
  wasm_func_delete(func);
  wasm_global_delete(global);
  wasm_module_delete(module);
  wasm_store_delete(store);
  return NULL;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "threads");
  REQUIRE(module != NULL);
  shared = wasm_module_share(module);
  REQUIRE(shared != NULL);
  wasm_module_delete(module);  /* the shared module keeps it alive */

  pthread_t threads[N_THREADS];
  for (int i = 0; i < N_THREADS; ++i) CHECK(pthread_create(&threads[i], NULL, run, (void*)(intptr_t)i) == 0);
  for (int i = 0; i < N_THREADS; ++i) pthread_join(threads[i], NULL);
  for (int i = 0; i < N_THREADS; ++i) CHECK(results[i] == (i + 1) * N_REPS);

  /* A store of another engine cannot obtain it. */
  wasm_engine_t* other = wasm_engine_new_with_config(wasm_config_new());
  wasm_store_t* other_store = wasm_store_new(other);
  CHECK(wasm_module_obtain(other_store, shared) == NULL);
  wasm_store_delete(other_store);
  wasm_engine_delete(other);

  wasm_shared_module_delete(shared);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
