/* Serialize a module, deserialize it in another store, and run it; damaged artifacts are
 * refused. */
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
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "hello");
  REQUIRE(module != NULL);

  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  CHECK(serialized.size > 0);
  wasm_module_delete(module);

  wasm_store_t* store2 = wasm_store_new(engine);
  wasm_module_t* deserialized = wasm_module_deserialize(store2, &serialized);
  REQUIRE(deserialized != NULL);

  wasm_exporttype_vec_t export_types;
  wasm_module_exports(deserialized, &export_types);
  CHECK(export_types.size == 1);
  wasm_exporttype_vec_delete(&export_types);

  wasm_functype_t* hello_type = wasm_functype_new_0_0();
  wasm_func_t* hello_func = wasm_func_new(store2, hello_type, hello_callback);
  wasm_functype_delete(hello_type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(hello_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store2, deserialized, &imports, NULL);
  REQUIRE(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(wasm_func_call(check_export_func(&exports, 0), NULL, NULL) == NULL);
  CHECK(calls == 1);

  /* Damaged or foreign bytes give no module. */
  wasm_byte_vec_t damaged;
  wasm_byte_vec_copy(&damaged, &serialized);
  damaged.data[0] ^= 0x55;
  CHECK(wasm_module_deserialize(store2, &damaged) == NULL);
  damaged.data[0] ^= 0x55;
  damaged.size -= 1;
  CHECK(wasm_module_deserialize(store2, &damaged) == NULL);
  damaged.size += 1;
  wasm_byte_vec_delete(&damaged);
  wasm_byte_vec_t empty;
  wasm_byte_vec_new_empty(&empty);
  CHECK(wasm_module_deserialize(store2, &empty) == NULL);

  /* wasm_module_validate says the same as wasm_module_new. */
  wasm_byte_vec_t binary;
  check_read_module("hello", &binary);
  CHECK(wasm_module_validate(store, &binary));
  binary.data[0] ^= 0x7f; /* no longer "\0asm" */
  CHECK(!wasm_module_validate(store, &binary));
  CHECK(wasm_module_new(store, &binary) == NULL);
  wasm_byte_vec_delete(&binary);

  wasm_extern_vec_delete(&exports);
  wasm_func_delete(hello_func);
  wasm_instance_delete(instance);
  wasm_module_delete(deserialized);
  wasm_byte_vec_delete(&serialized);
  wasm_store_delete(store2);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
