/* The smallest embedding: a module imports one host function and calls it. */
#include "check.h"

static int calls;

static wasm_trap_t* hello_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  ++calls;
  return NULL;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  REQUIRE(engine != NULL);
  wasm_store_t* store = wasm_store_new(engine);
  REQUIRE(store != NULL);
  wasm_module_t* module = check_load(store, "hello");
  REQUIRE(module != NULL);

  wasm_functype_t* hello_type = wasm_functype_new_0_0();
  wasm_func_t* hello_func = wasm_func_new(store, hello_type, hello_callback);
  wasm_functype_delete(hello_type);
  CHECK(hello_func != NULL);

  wasm_extern_t* externs[] = {wasm_func_as_extern(hello_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  REQUIRE(instance != NULL);
  CHECK(trap == NULL);
  wasm_func_delete(hello_func);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 1);
  wasm_func_t* run = check_export_func(&exports, 0);
  REQUIRE(run != NULL);
  CHECK(wasm_func_param_arity(run) == 0 && wasm_func_result_arity(run) == 0);

  wasm_val_vec_t args = WASM_EMPTY_VEC;
  wasm_val_vec_t results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(calls == 1);
  CHECK(wasm_func_call(run, NULL, NULL) == NULL);  /* no vectors for a nullary function */
  CHECK(calls == 2);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
