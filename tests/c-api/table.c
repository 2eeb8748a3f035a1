/* Tables: funcref elements set from C and called through call_indirect, bounds, growth, and a
 * table made by the host. */
#include "check.h"

static wasm_trap_t* neg_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static wasm_trap_t* call_indirect(wasm_func_t* f, int32_t arg, int32_t index, int32_t* result) {
  wasm_val_t as[2] = {WASM_I32_VAL(arg), WASM_I32_VAL(index)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  if (!trap) *result = rs[0].of.i32;
  return trap;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "table");
  REQUIRE(module != NULL);
  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  REQUIRE(instance != NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  REQUIRE(exports.size == 4);
  wasm_table_t* table = wasm_extern_as_table(exports.data[0]);
  wasm_func_t* call_indirect_func = check_export_func(&exports, 1);
  wasm_func_t* f = check_export_func(&exports, 2);
  wasm_func_t* g = check_export_func(&exports, 3);
  REQUIRE(table && call_indirect_func && f && g);

  wasm_functype_t* neg_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* h = wasm_func_new(store, neg_type, neg_callback);
  wasm_functype_delete(neg_type);

  /* Initial state. */
  CHECK(wasm_table_size(table) == 2);
  wasm_tabletype_t* type = wasm_table_type(table);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(type)) == WASM_FUNCREF);
  CHECK(wasm_tabletype_limits(type)->min == 2 && wasm_tabletype_limits(type)->max == 10);
  wasm_tabletype_delete(type);
  CHECK(wasm_table_get(table, 0) == NULL);
  wasm_ref_t* elem1 = wasm_table_get(table, 1);
  CHECK(elem1 != NULL && wasm_ref_as_func(elem1) != NULL);
  CHECK(wasm_func_same(wasm_ref_as_func(elem1), f));
  wasm_ref_delete(elem1);
  CHECK(wasm_table_get(table, 2) == NULL);

  int32_t r = 0;
  CHECK(call_indirect(call_indirect_func, 7, 1, &r) == NULL && r == 7);
  CHECK(check_trap_is(call_indirect(call_indirect_func, 7, 0, &r), "uninitialized element"));
  CHECK(check_trap_is(call_indirect(call_indirect_func, 7, 2, &r), "undefined element"));

  /* Mutation from C: a wasm function and a host function. */
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(g)));
  CHECK(wasm_table_set(table, 1, wasm_func_as_ref(h)));
  CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(f)));
  CHECK(call_indirect(call_indirect_func, 7, 0, &r) == NULL && r == 666);
  CHECK(call_indirect(call_indirect_func, 7, 1, &r) == NULL && r == -7);
  CHECK(wasm_table_set(table, 1, NULL));
  CHECK(wasm_table_get(table, 1) == NULL);

  /* A foreign object is no funcref. */
  wasm_foreign_t* foreign = wasm_foreign_new(store);
  CHECK(!wasm_table_set(table, 0, wasm_foreign_as_ref(foreign)));
  wasm_foreign_delete(foreign);

  /* Growth up to the maximum of 10. */
  CHECK(wasm_table_grow(table, 3, NULL));
  CHECK(wasm_table_size(table) == 5);
  CHECK(wasm_table_grow(table, 2, wasm_func_as_ref(f)));
  CHECK(wasm_table_size(table) == 7);
  CHECK(call_indirect(call_indirect_func, 5, 6, &r) == NULL && r == 5);
  CHECK(wasm_table_grow(table, 0, NULL));
  CHECK(!wasm_table_grow(table, 4, NULL));
  CHECK(wasm_table_size(table) == 7);

  /* A table made by the host, filled with a host function. */
  wasm_limits_t limits = {5, 5};
  wasm_tabletype_t* host_type = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t* host_table = wasm_table_new(store, host_type, wasm_func_as_ref(h));
  wasm_tabletype_delete(host_type);
  REQUIRE(host_table != NULL);
  CHECK(wasm_table_size(host_table) == 5);
  wasm_ref_t* e = wasm_table_get(host_table, 4);
  CHECK(e != NULL && wasm_ref_same(e, wasm_func_as_ref(h)));
  wasm_ref_delete(e);
  CHECK(!wasm_table_grow(host_table, 1, NULL));
  /* Tables of a value type do not exist. */
  CHECK(wasm_tabletype_new(wasm_valtype_new_i32(), &limits) == NULL);

  wasm_table_delete(host_table);
  wasm_func_delete(h);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
