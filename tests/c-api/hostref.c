/* Host references: foreign objects passed to wasm as externref through a function, a global and
 * a table come back as the same objects with their host info; funcrefs likewise. */
#include "check.h"

static wasm_trap_t* identity_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_ref_t* call_r_r(wasm_func_t* f, wasm_ref_t* r) {
  wasm_val_t as[1] = {WASM_REF_VAL(r)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  CHECK(rs[0].kind == WASM_EXTERNREF);
  return rs[0].of.ref;
}

static void call_v_r(wasm_func_t* f, wasm_ref_t* r) {
  wasm_val_t as[1] = {WASM_REF_VAL(r)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(f, &args, &results) == NULL);
}

static wasm_ref_t* call_r_v(wasm_func_t* f) {
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return rs[0].of.ref;
}

static void call_v_ir(wasm_func_t* f, int32_t i, wasm_ref_t* r) {
  wasm_val_t as[2] = {WASM_I32_VAL(i), WASM_REF_VAL(r)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(f, &args, &results) == NULL);
}

static wasm_ref_t* call_r_i(wasm_func_t* f, int32_t i, wasm_valkind_t kind) {
  wasm_val_t as[1] = {WASM_I32_VAL(i)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  CHECK(rs[0].kind == kind);
  return rs[0].of.ref;
}

static int32_t call_i_r(wasm_func_t* f, wasm_ref_t* r) {
  wasm_val_t as[1] = {WASM_REF_VAL(r)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return rs[0].of.i32;
}

/* Checks that `r` names `expected` (or both are null) and deletes it. */
static int same_and_delete(wasm_ref_t* r, const wasm_ref_t* expected) {
  int ok = (r == NULL && expected == NULL) ||
           (r != NULL && expected != NULL && wasm_ref_same(r, expected) &&
            wasm_ref_get_host_info(r) == wasm_ref_get_host_info(expected));
  if (r) wasm_ref_delete(r);
  return ok;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "hostref");
  REQUIRE(module != NULL);

  wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  wasm_func_t* identity = wasm_func_new(store, type, identity_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(identity)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  REQUIRE(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  REQUIRE(exports.size == 10);
  wasm_global_t* global = wasm_extern_as_global(exports.data[0]);
  wasm_table_t* table = wasm_extern_as_table(exports.data[1]);
  wasm_table_t* ftable = wasm_extern_as_table(exports.data[2]);
  wasm_func_t* global_set = check_export_func(&exports, 3);
  wasm_func_t* global_get = check_export_func(&exports, 4);
  wasm_func_t* table_set = check_export_func(&exports, 5);
  wasm_func_t* table_get = check_export_func(&exports, 6);
  wasm_func_t* func_call = check_export_func(&exports, 7);
  wasm_func_t* is_null = check_export_func(&exports, 8);
  wasm_func_t* funcref_get = check_export_func(&exports, 9);
  REQUIRE(global && table && ftable && global_set && funcref_get);

  wasm_foreign_t* host1 = wasm_foreign_new(store);
  wasm_foreign_t* host2 = wasm_foreign_new(store);
  wasm_foreign_set_host_info(host1, (void*)1);
  wasm_foreign_set_host_info(host2, (void*)2);
  wasm_ref_t* r1 = wasm_foreign_as_ref(host1);
  wasm_ref_t* r2 = wasm_foreign_as_ref(host2);
  CHECK(wasm_ref_get_host_info(r1) == (void*)1);
  CHECK(!wasm_ref_same(r1, r2));
  CHECK(wasm_ref_as_foreign(r1) == host1);

  /* Through a host function called by wasm. */
  CHECK(same_and_delete(call_r_r(func_call, r1), r1));
  CHECK(same_and_delete(call_r_r(func_call, r2), r2));
  CHECK(same_and_delete(call_r_r(func_call, NULL), NULL));
  CHECK(call_i_r(is_null, NULL) == 1);
  CHECK(call_i_r(is_null, r1) == 0);

  /* Through a global, from wasm and from C. */
  CHECK(same_and_delete(call_r_v(global_get), NULL));
  call_v_r(global_set, r1);
  CHECK(same_and_delete(call_r_v(global_get), r1));
  wasm_val_t v;
  wasm_global_get(global, &v);
  CHECK(v.kind == WASM_EXTERNREF && same_and_delete(v.of.ref, r1));
  wasm_val_t v2 = WASM_REF_VAL(r2);
  wasm_global_set(global, &v2);
  CHECK(same_and_delete(call_r_v(global_get), r2));

  /* Through a table, from wasm and from C. */
  CHECK(same_and_delete(call_r_i(table_get, 0, WASM_EXTERNREF), NULL));
  call_v_ir(table_set, 0, r1);
  call_v_ir(table_set, 1, r2);
  CHECK(same_and_delete(call_r_i(table_get, 0, WASM_EXTERNREF), r1));
  CHECK(same_and_delete(wasm_table_get(table, 1), r2));
  CHECK(wasm_table_set(table, 2, r2));
  CHECK(same_and_delete(call_r_i(table_get, 2, WASM_EXTERNREF), r2));

  /* Any reference may be an externref: a function comes back as that function. */
  wasm_ref_t* fr = wasm_func_as_ref(identity);
  CHECK(same_and_delete(call_r_r(func_call, fr), fr));

  /* A module and a trap too (they live outside the store; the store keeps them while wasm may
   * hold them). */
  wasm_module_t* module_copy = wasm_module_copy(module);
  wasm_module_set_host_info(module_copy, (void*)3);
  call_v_r(global_set, wasm_module_as_ref(module_copy));
  wasm_module_delete(module_copy);
  wasm_ref_t* held = call_r_v(global_get);
  CHECK(held != NULL && wasm_ref_as_module(held) != NULL && wasm_ref_get_host_info(held) == (void*)3);
  CHECK(wasm_module_same(wasm_ref_as_module(held), module));
  if (held) wasm_ref_delete(held);
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "kept");
  wasm_trap_t* kept = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  CHECK(same_and_delete(call_r_r(func_call, wasm_trap_as_ref(kept)), wasm_trap_as_ref(kept)));
  wasm_trap_delete(kept);

  /* funcref: a function stored from C is read back by wasm as the same function. */
  CHECK(wasm_table_set(ftable, 1, wasm_func_as_ref(global_get)));
  wasm_ref_t* got = call_r_i(funcref_get, 1, WASM_FUNCREF);
  CHECK(got != NULL && wasm_func_same(wasm_ref_as_func(got), global_get));
  if (got) wasm_ref_delete(got);
  CHECK(call_r_i(funcref_get, 0, WASM_FUNCREF) == NULL);

  /* Values own their reference; copies are new references to the same object. */
  wasm_val_t owned = WASM_REF_VAL(wasm_ref_copy(r1));
  wasm_val_t copied;
  wasm_val_copy(&copied, &owned);
  CHECK(copied.of.ref != owned.of.ref && wasm_ref_same(copied.of.ref, owned.of.ref));
  wasm_val_delete(&owned);
  wasm_val_delete(&copied);

  wasm_foreign_delete(host1);
  wasm_foreign_delete(host2);
  wasm_extern_vec_delete(&exports);
  wasm_func_delete(identity);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
