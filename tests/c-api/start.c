/* Start functions: one that runs and calls the host, one that traps during instantiation. */
#include "check.h"

static int started;

static wasm_trap_t* started_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  ++started;
  return NULL;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);

  wasm_module_t* module = check_load(store, "start");
  REQUIRE(module != NULL);
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* started_func = wasm_func_new(store, type, started_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(started_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  REQUIRE(instance != NULL);
  CHECK(trap == NULL);
  CHECK(started == 1);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t flag;
  wasm_global_get(wasm_extern_as_global(exports.data[0]), &flag);
  CHECK(flag.kind == WASM_I32 && flag.of.i32 == 1);
  wasm_extern_vec_delete(&exports);

  /* Missing imports are a link error, reported as a trap. */
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_instance_new(store, module, &none, &trap) == NULL);
  CHECK(trap != NULL);
  if (trap) wasm_trap_delete(trap);
  CHECK(wasm_instance_new(store, module, &none, NULL) == NULL);  /* no trap wanted */

  /* A start function that traps: no instance, and the trap with its origin. */
  wasm_module_t* trapping = check_load(store, "start_trap");
  REQUIRE(trapping != NULL);
  wasm_instance_t* failed = wasm_instance_new(store, trapping, &none, &trap);
  CHECK(failed == NULL);
  REQUIRE(trap != NULL);
  wasm_frame_t* origin = wasm_trap_origin(trap);
  CHECK(origin != NULL);
  if (origin) {
    CHECK(wasm_frame_func_index(origin) == 0);
    wasm_frame_delete(origin);
  }
  CHECK(check_trap_is(trap, "unreachable"));

  wasm_module_delete(trapping);
  wasm_func_delete(started_func);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
