/* Memories: the data pointer, size and growth from C, loads, stores and traps from wasm. */
#include "check.h"

static wasm_trap_t* call(wasm_func_t* f, int nargs, int32_t a, int32_t b, int32_t* result) {
  wasm_val_t as[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {(size_t)nargs, as};
  wasm_val_vec_t results = {result ? 1 : 0, rs};
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  if (!trap && result) *result = rs[0].of.i32;
  return trap;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "memory");
  REQUIRE(module != NULL);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  REQUIRE(instance != NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  REQUIRE(exports.size == 4);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  wasm_func_t* size_func = check_export_func(&exports, 1);
  wasm_func_t* load_func = check_export_func(&exports, 2);
  wasm_func_t* store_func = check_export_func(&exports, 3);
  REQUIRE(memory && size_func && load_func && store_func);

  /* Initial state. */
  CHECK(wasm_memory_size(memory) == 2);
  CHECK(wasm_memory_data_size(memory) == 2 * MEMORY_PAGE_SIZE);
  byte_t* data = wasm_memory_data(memory);
  CHECK(data[0] == 0 && data[0x1000] == 1 && data[0x1003] == 4);
  int32_t r = -1;
  CHECK(call(size_func, 0, 0, 0, &r) == NULL && r == 2);
  CHECK(call(load_func, 1, 0, 0, &r) == NULL && r == 0);
  CHECK(call(load_func, 1, 0x1002, 0, &r) == NULL && r == 3);
  CHECK(call(load_func, 1, 0x1FFFF, 0, &r) == NULL && r == 0);
  CHECK(check_trap_is(call(load_func, 1, 0x20000, 0, &r), "out of bounds memory access"));

  /* Mutation from both sides. */
  data[0x1003] = 5;
  CHECK(call(store_func, 2, 0x1002, 6, NULL) == NULL);
  CHECK(check_trap_is(call(store_func, 2, 0x20000, 0, NULL), "out of bounds memory access"));
  CHECK(data[0x1002] == 6 && data[0x1003] == 5);
  CHECK(call(load_func, 1, 0x1002, 0, &r) == NULL && r == 6);
  CHECK(call(load_func, 1, 0x1003, 0, &r) == NULL && r == 5);

  /* Growth up to the maximum of 3 pages. */
  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 3);
  CHECK(wasm_memory_data_size(memory) == 3 * MEMORY_PAGE_SIZE);
  CHECK(call(load_func, 1, 0x20000, 0, &r) == NULL && r == 0);
  CHECK(call(store_func, 2, 0x20000, 0, NULL) == NULL);
  CHECK(check_trap_is(call(load_func, 1, 0x30000, 0, &r), "out of bounds memory access"));
  CHECK(!wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_grow(memory, 0));
  CHECK(wasm_memory_size(memory) == 3);

  wasm_memorytype_t* type = wasm_memory_type(memory);
  const wasm_limits_t* limits = wasm_memorytype_limits(type);
  CHECK(limits->min == 3 && limits->max == 3);
  wasm_memorytype_delete(type);

  /* A memory made by the host. */
  wasm_limits_t five = {5, 5};
  wasm_memorytype_t* five_type = wasm_memorytype_new(&five);
  wasm_memory_t* host_memory = wasm_memory_new(store, five_type);
  wasm_memorytype_delete(five_type);
  REQUIRE(host_memory != NULL);
  CHECK(wasm_memory_size(host_memory) == 5);
  CHECK(wasm_memory_grow(host_memory, 0));
  CHECK(!wasm_memory_grow(host_memory, 1));
  wasm_limits_t unbounded = {1, wasm_limits_max_default};
  wasm_memorytype_t* unbounded_type = wasm_memorytype_new(&unbounded);
  wasm_memory_t* growing = wasm_memory_new(store, unbounded_type);
  CHECK(growing != NULL && wasm_memory_grow(growing, 2) && wasm_memory_size(growing) == 3);
  wasm_memorytype_delete(unbounded_type);
  /* Limits the spec forbids give no memory. */
  wasm_limits_t bad = {2, 1};
  wasm_memorytype_t* bad_type = wasm_memorytype_new(&bad);
  CHECK(wasm_memory_new(store, bad_type) == NULL);
  wasm_memorytype_delete(bad_type);

  wasm_memory_delete(growing);
  wasm_memory_delete(host_memory);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
