/* Globals: created by the host and imported, defined by a module and exported, read and written
 * from both sides. */
#include "check.h"

static wasm_global_t* new_global(wasm_store_t* store, wasm_valkind_t kind, wasm_mutability_t mut, wasm_val_t val) {
  wasm_globaltype_t* type = wasm_globaltype_new(wasm_valtype_new(kind), mut);
  wasm_global_t* global = wasm_global_new(store, type, &val);
  wasm_globaltype_delete(type);
  return global;
}

static wasm_val_t call0(wasm_func_t* f) {
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(r);
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  return r[0];
}

static void call1(wasm_func_t* f, wasm_val_t v) {
  wasm_val_t a[1] = {v};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
}

static float get_f32(const wasm_global_t* g) {
  wasm_val_t v;
  wasm_global_get(g, &v);
  CHECK(v.kind == WASM_F32);
  return v.of.f32;
}

static int64_t get_i64(const wasm_global_t* g) {
  wasm_val_t v;
  wasm_global_get(g, &v);
  CHECK(v.kind == WASM_I64);
  return v.of.i64;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "global");
  REQUIRE(module != NULL);

  wasm_val_t f1 = WASM_F32_VAL(1), i2 = WASM_I64_VAL(2), f3 = WASM_F32_VAL(3), i4 = WASM_I64_VAL(4);
  wasm_global_t* const_f32_import = new_global(store, WASM_F32, WASM_CONST, f1);
  wasm_global_t* const_i64_import = new_global(store, WASM_I64, WASM_CONST, i2);
  wasm_global_t* var_f32_import = new_global(store, WASM_F32, WASM_VAR, f3);
  wasm_global_t* var_i64_import = new_global(store, WASM_I64, WASM_VAR, i4);
  REQUIRE(const_f32_import && const_i64_import && var_f32_import && var_i64_import);

  /* A value of another kind than the type's is refused. */
  wasm_globaltype_t* i32_type = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  CHECK(wasm_global_new(store, i32_type, &f1) == NULL);
  wasm_globaltype_delete(i32_type);

  wasm_globaltype_t* type = wasm_global_type(var_f32_import);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(type)) == WASM_F32);
  CHECK(wasm_globaltype_mutability(type) == WASM_VAR);
  wasm_globaltype_delete(type);

  wasm_extern_t* externs[] = {wasm_global_as_extern(const_f32_import), wasm_global_as_extern(const_i64_import),
                              wasm_global_as_extern(var_f32_import), wasm_global_as_extern(var_i64_import)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  REQUIRE(instance != NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  REQUIRE(exports.size == 12);
  wasm_global_t* const_f32_export = wasm_extern_as_global(exports.data[0]);
  wasm_global_t* const_i64_export = wasm_extern_as_global(exports.data[1]);
  wasm_global_t* var_f32_export = wasm_extern_as_global(exports.data[2]);
  wasm_global_t* var_i64_export = wasm_extern_as_global(exports.data[3]);
  REQUIRE(const_f32_export && const_i64_export && var_f32_export && var_i64_export);
  CHECK(wasm_extern_as_func(exports.data[0]) == NULL);
  wasm_func_t* get_const_f32_import = check_export_func(&exports, 4);
  wasm_func_t* get_const_i64_import = check_export_func(&exports, 5);
  wasm_func_t* get_var_f32_import = check_export_func(&exports, 6);
  wasm_func_t* get_var_i64_import = check_export_func(&exports, 7);
  wasm_func_t* get_var_f32_export = check_export_func(&exports, 8);
  wasm_func_t* get_var_i64_export = check_export_func(&exports, 9);
  wasm_func_t* set_var_f32_import = check_export_func(&exports, 10);
  wasm_func_t* set_var_i64_export = check_export_func(&exports, 11);

  /* Initial values, from C and from wasm. */
  CHECK(get_f32(const_f32_import) == 1);
  CHECK(get_i64(const_i64_import) == 2);
  CHECK(get_f32(const_f32_export) == 5);
  CHECK(get_i64(const_i64_export) == 6);
  CHECK(get_f32(var_f32_export) == 7);
  CHECK(get_i64(var_i64_export) == 8);
  CHECK(call0(get_const_f32_import).of.f32 == 1);
  CHECK(call0(get_const_i64_import).of.i64 == 2);
  CHECK(call0(get_var_f32_import).of.f32 == 3);
  CHECK(call0(get_var_i64_import).of.i64 == 4);

  /* Writes from C are seen by wasm. */
  wasm_val_t v21 = WASM_F32_VAL(21), v22 = WASM_I64_VAL(22), v23 = WASM_F32_VAL(23), v24 = WASM_I64_VAL(24);
  wasm_global_set(var_f32_import, &v21);
  wasm_global_set(var_i64_import, &v22);
  wasm_global_set(var_f32_export, &v23);
  wasm_global_set(var_i64_export, &v24);
  CHECK(call0(get_var_f32_import).of.f32 == 21);
  CHECK(call0(get_var_i64_import).of.i64 == 22);
  CHECK(call0(get_var_f32_export).of.f32 == 23);
  CHECK(call0(get_var_i64_export).of.i64 == 24);

  /* Writes from wasm are seen by C. */
  call1(set_var_f32_import, (wasm_val_t)WASM_F32_VAL(31));
  call1(set_var_i64_export, (wasm_val_t)WASM_I64_VAL(32));
  CHECK(get_f32(var_f32_import) == 31);
  CHECK(get_i64(var_i64_export) == 32);

  /* A const global, or a value of the wrong kind, is left alone. */
  wasm_global_set(const_f32_import, &v21);
  CHECK(get_f32(const_f32_import) == 1);
  wasm_global_set(var_i64_import, &v21);
  CHECK(get_i64(var_i64_import) == 22);

  wasm_extern_vec_delete(&exports);
  wasm_global_delete(const_f32_import);
  wasm_global_delete(const_i64_import);
  wasm_global_delete(var_f32_import);
  wasm_global_delete(var_i64_import);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
