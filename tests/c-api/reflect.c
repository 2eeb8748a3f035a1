/* Reflection: the import and export types of a module, and the types of the instance's exports. */
#include "check.h"

static int name_is(const wasm_name_t* name, const char* s) {
  return name->size == strlen(s) && memcmp(name->data, s, name->size) == 0;
}

static int valtypes_are(const wasm_valtype_vec_t* v, size_t n, const wasm_valkind_t* kinds) {
  if (v->size != n) return 0;
  for (size_t i = 0; i < n; ++i)
    if (wasm_valtype_kind(v->data[i]) != kinds[i]) return 0;
  return 1;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "reflect");
  REQUIRE(module != NULL);

  /* Imports. */
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  REQUIRE(imports.size == 4);
  CHECK(name_is(wasm_importtype_module(imports.data[0]), "host"));
  CHECK(name_is(wasm_importtype_name(imports.data[0]), "log"));
  const wasm_functype_t* log_type = wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[0]));
  REQUIRE(log_type != NULL);
  wasm_valkind_t log_params[2] = {WASM_I32, WASM_I64};
  CHECK(valtypes_are(wasm_functype_params(log_type), 2, log_params));
  CHECK(wasm_functype_results(log_type)->size == 0);
  CHECK(name_is(wasm_importtype_name(imports.data[1]), "limit"));
  const wasm_globaltype_t* limit_type = wasm_externtype_as_globaltype_const(wasm_importtype_type(imports.data[1]));
  REQUIRE(limit_type != NULL);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(limit_type)) == WASM_I32);
  CHECK(wasm_globaltype_mutability(limit_type) == WASM_VAR);
  const wasm_tabletype_t* tab_type = wasm_externtype_as_tabletype_const(wasm_importtype_type(imports.data[2]));
  REQUIRE(tab_type != NULL);
  CHECK(wasm_tabletype_limits(tab_type)->min == 1);
  CHECK(wasm_tabletype_limits(tab_type)->max == wasm_limits_max_default);
  CHECK(wasm_valtype_is_ref(wasm_tabletype_element(tab_type)));
  const wasm_memorytype_t* mem_type = wasm_externtype_as_memorytype_const(wasm_importtype_type(imports.data[3]));
  REQUIRE(mem_type != NULL);
  CHECK(wasm_memorytype_limits(mem_type)->min == 1 && wasm_memorytype_limits(mem_type)->max == 2);
  CHECK(wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[3])) == NULL);
  wasm_importtype_vec_delete(&imports);

  /* Exports of the module. */
  wasm_exporttype_vec_t export_types;
  wasm_module_exports(module, &export_types);
  REQUIRE(export_types.size == 4);
  const char* names[4] = {"func", "global", "table", "memory"};
  wasm_externkind_t kinds[4] = {WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE, WASM_EXTERN_MEMORY};
  for (size_t i = 0; i < 4; ++i) {
    CHECK(name_is(wasm_exporttype_name(export_types.data[i]), names[i]));
    CHECK(wasm_externtype_kind(wasm_exporttype_type(export_types.data[i])) == kinds[i]);
  }
  const wasm_functype_t* func_type = wasm_externtype_as_functype_const(wasm_exporttype_type(export_types.data[0]));
  wasm_valkind_t func_params[3] = {WASM_I32, WASM_F64, WASM_F32};
  wasm_valkind_t func_results[1] = {WASM_I32};
  CHECK(valtypes_are(wasm_functype_params(func_type), 3, func_params));
  CHECK(valtypes_are(wasm_functype_results(func_type), 1, func_results));
  const wasm_tabletype_t* table_type = wasm_externtype_as_tabletype_const(wasm_exporttype_type(export_types.data[2]));
  CHECK(wasm_valtype_kind(wasm_tabletype_element(table_type)) == WASM_EXTERNREF);
  CHECK(wasm_tabletype_limits(table_type)->max == 50);
  wasm_exporttype_vec_delete(&export_types);

  /* Instantiate with host objects of the imported types, then reflect on the exports. */
  wasm_functype_t* log_functype = wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i64());
  wasm_val_t zero = WASM_I32_VAL(0);
  wasm_globaltype_t* limit_globaltype = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_VAR);
  wasm_limits_t tab_limits = {1, 4}, mem_limits = {1, 2};
  wasm_tabletype_t* tab_tabletype = wasm_tabletype_new(wasm_valtype_new_funcref(), &tab_limits);
  wasm_memorytype_t* mem_memorytype = wasm_memorytype_new(&mem_limits);
  /* A host function's callback is never called here; any will do, so use a trap maker. */
  wasm_func_t* log = wasm_func_new(store, log_functype, NULL);
  CHECK(log == NULL); /* a null callback is refused */
  wasm_extern_vec_t exports;
  wasm_extern_vec_new_empty(&exports);
  wasm_global_t* limit = wasm_global_new(store, limit_globaltype, &zero);
  wasm_table_t* tab = wasm_table_new(store, tab_tabletype, NULL);
  wasm_memory_t* mem = wasm_memory_new(store, mem_memorytype);
  REQUIRE(limit && tab && mem);

  /* Extern types of host objects. */
  wasm_externtype_t* t = wasm_extern_type(wasm_table_as_extern(tab));
  CHECK(wasm_externtype_kind(t) == WASM_EXTERN_TABLE);
  CHECK(wasm_tabletype_limits(wasm_externtype_as_tabletype(t))->max == 4);
  wasm_externtype_delete(t);
  CHECK(wasm_extern_kind(wasm_memory_as_extern(mem)) == WASM_EXTERN_MEMORY);
  CHECK(wasm_extern_kind(wasm_global_as_extern(limit)) == WASM_EXTERN_GLOBAL);

  wasm_functype_delete(log_functype);
  wasm_globaltype_delete(limit_globaltype);
  wasm_tabletype_delete(tab_tabletype);
  wasm_memorytype_delete(mem_memorytype);
  wasm_extern_vec_delete(&exports);
  wasm_global_delete(limit);
  wasm_table_delete(tab);
  wasm_memory_delete(mem);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
