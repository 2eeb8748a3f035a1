/* Host functions with and without an environment, a finalizer, and a callback that returns a
 * value of the wrong kind. */
#include "check.h"

static int printed = -1;
static int finalized;

static wasm_trap_t* print_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  printed = args->data[0].of.i32;
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_trap_t* closure_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  int i = *(int*)env;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = (int32_t)i;
  return NULL;
}

static wasm_trap_t* wrong_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  results->data[0].kind = WASM_F64;  /* the type says i32 */
  results->data[0].of.f64 = 1.5;
  return NULL;
}

/* Re-entry: a host function called by wasm calls wasm again, and passes a nested trap on. */
struct reenter {
  wasm_func_t* twice;
  wasm_func_t* boom;
};

static wasm_trap_t* reenter_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  struct reenter* r = env;
  if (args->data[0].of.i32 < 0) return wasm_func_call(r->boom, NULL, NULL);
  wasm_val_t in[1] = {WASM_I32_VAL(args->data[0].of.i32)};
  wasm_val_vec_t in_vec = WASM_ARRAY_VEC(in);
  wasm_trap_t* trap = wasm_func_call(r->twice, &in_vec, results);
  if (!trap) results->data[0].of.i32 += 1;
  return trap;
}

static void closure_finalizer(void* env) {
  ++finalized;
  CHECK(*(int*)env == 42);
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "callback");
  REQUIRE(module != NULL);

  wasm_functype_t* print_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* print_func = wasm_func_new(store, print_type, print_callback);
  wasm_functype_delete(print_type);

  static int i = 42;
  wasm_functype_t* closure_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* closure_func = wasm_func_new_with_env(store, closure_type, closure_callback, &i, closure_finalizer);
  wasm_func_t* wrong_func = wasm_func_new(store, closure_type, wrong_callback);
  wasm_functype_delete(closure_type);
  REQUIRE(print_func && closure_func && wrong_func);

  wasm_extern_t* externs[] = {wasm_func_as_extern(print_func), wasm_func_as_extern(closure_func),
                              wasm_func_as_extern(wrong_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  REQUIRE(instance != NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t* run = check_export_func(&exports, 0);
  wasm_func_t* wrong = check_export_func(&exports, 1);
  REQUIRE(run && wrong);

  wasm_val_t as[2] = {WASM_I32_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(printed == 7);
  CHECK(rs[0].kind == WASM_I32 && rs[0].of.i32 == 49);

  /* Calling the host function directly from C goes through the same path. */
  wasm_val_t one[1] = {WASM_I32_VAL(11)};
  wasm_val_vec_t one_vec = WASM_ARRAY_VEC(one);
  CHECK(wasm_func_call(print_func, &one_vec, &results) == NULL);
  CHECK(rs[0].of.i32 == 11 && printed == 11);

  /* A result of the wrong kind is a trap, not garbage. */
  wasm_val_vec_t no_args = WASM_EMPTY_VEC;
  CHECK(check_trap_is(wasm_func_call(wrong, &no_args, &results),
                      "type mismatch: host function result 0 is f64, expected i32"));

  /* Wrong argument count or kinds from C are traps too. */
  CHECK(check_trap_is(wasm_func_call(run, &one_vec, &results), "type mismatch: expected 2 arguments, got 1"));
  wasm_val_t bad[2] = {WASM_I32_VAL(1), WASM_F32_VAL(2.0f)};
  wasm_val_vec_t bad_vec = WASM_ARRAY_VEC(bad);
  CHECK(check_trap_is(wasm_func_call(run, &bad_vec, &results),
                      "type mismatch: argument 1 is f32, expected i32"));
  CHECK(check_trap_is(wasm_func_call(run, &args, NULL), "type mismatch: expected room for 1 results, got 0"));

  /* wasm -> host -> wasm, and a trap raised two levels down. */
  wasm_module_t* reenter_module = check_load(store, "reenter");
  REQUIRE(reenter_module != NULL);
  struct reenter reenter = {NULL, NULL};
  wasm_functype_t* host_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new_with_env(store, host_type, reenter_callback, &reenter, NULL);
  wasm_functype_delete(host_type);
  wasm_extern_t* reenter_externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t reenter_imports = WASM_ARRAY_VEC(reenter_externs);
  wasm_instance_t* reenter_instance = wasm_instance_new(store, reenter_module, &reenter_imports, NULL);
  REQUIRE(reenter_instance != NULL);
  wasm_extern_vec_t reenter_exports;
  wasm_instance_exports(reenter_instance, &reenter_exports);
  reenter.twice = check_export_func(&reenter_exports, 0);
  reenter.boom = check_export_func(&reenter_exports, 2);
  wasm_func_t* reenter_run = check_export_func(&reenter_exports, 1);
  wasm_val_t five[1] = {WASM_I32_VAL(5)};
  wasm_val_vec_t five_vec = WASM_ARRAY_VEC(five);
  CHECK(wasm_func_call(reenter_run, &five_vec, &results) == NULL);
  CHECK(rs[0].of.i32 == 11);
  five[0].of.i32 = -1;
  CHECK(check_trap_is(wasm_func_call(reenter_run, &five_vec, &results), "unreachable"));
  five[0].of.i32 = 20;  /* the store is still usable after a nested trap */
  CHECK(wasm_func_call(reenter_run, &five_vec, &results) == NULL && rs[0].of.i32 == 41);
  wasm_extern_vec_delete(&reenter_exports);
  wasm_instance_delete(reenter_instance);
  wasm_func_delete(host);
  wasm_module_delete(reenter_module);

  wasm_extern_vec_delete(&exports);
  wasm_func_delete(print_func);
  wasm_func_delete(closure_func);
  wasm_func_delete(wrong_func);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  CHECK(finalized == 0);
  wasm_store_delete(store);
  CHECK(finalized == 1);
  wasm_engine_delete(engine);
  return check_finish();
}
