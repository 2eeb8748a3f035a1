/* Multiple parameters and results, through a host function and back. */
#include "check.h"

static wasm_trap_t* reverse_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  for (size_t i = 0; i < args->size; ++i) wasm_val_copy(&results->data[i], &args->data[args->size - 1 - i]);
  return NULL;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "multi");
  REQUIRE(module != NULL);

  wasm_valtype_t* ps[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_t* rs[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, results_types;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_new(&results_types, 4, rs);
  wasm_functype_t* type = wasm_functype_new(&params, &results_types);
  wasm_func_t* reverse = wasm_func_new(store, type, reverse_callback);
  wasm_functype_delete(type);
  REQUIRE(reverse != NULL);

  wasm_extern_t* externs[] = {wasm_func_as_extern(reverse)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  REQUIRE(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t* g = check_export_func(&exports, 0);
  wasm_func_t* swap = check_export_func(&exports, 1);
  REQUIRE(g && swap);
  CHECK(wasm_func_param_arity(g) == 4 && wasm_func_result_arity(g) == 4);

  /* g swaps the middle two and f reverses all four. */
  wasm_val_t as[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t out[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(g, &args, &results) == NULL);
  CHECK(out[0].kind == WASM_I32 && out[0].of.i32 == 4);
  CHECK(out[1].kind == WASM_I64 && out[1].of.i64 == 2);
  CHECK(out[2].kind == WASM_I64 && out[2].of.i64 == 3);
  CHECK(out[3].kind == WASM_I32 && out[3].of.i32 == 1);

  /* Results in an owned vector made for them. */
  wasm_val_t fs[2] = {WASM_F32_VAL(1.5f), WASM_F64_VAL(-2.25)};
  wasm_val_vec_t fargs = WASM_ARRAY_VEC(fs);
  wasm_val_vec_t owned;
  wasm_val_vec_new_uninitialized(&owned, 2);
  CHECK(wasm_func_call(swap, &fargs, &owned) == NULL);
  CHECK(owned.data[0].kind == WASM_F64 && owned.data[0].of.f64 == -2.25);
  CHECK(owned.data[1].kind == WASM_F32 && owned.data[1].of.f32 == 1.5f);
  wasm_val_vec_t copied;
  wasm_val_vec_copy(&copied, &owned);
  CHECK(copied.size == 2 && copied.data[0].of.f64 == -2.25);
  wasm_val_vec_delete(&copied);
  wasm_val_vec_delete(&owned);

  wasm_extern_vec_delete(&exports);
  wasm_func_delete(reverse);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
