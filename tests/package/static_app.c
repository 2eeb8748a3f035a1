#include <wasm.h>
#include <orca.h>
#include <stdio.h>
int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t wat, wasm;
  const char* text = "(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))";
  wasm_byte_vec_new(&wat, __builtin_strlen(text), text);
  orca_error_t* err = orca_wat2wasm(&wat, &wasm);
  if (err) return 1;
  wasm_module_t* module = wasm_module_new(store, &wasm);
  if (!module) return 2;
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  wasm_extern_vec_t exports; wasm_instance_exports(instance, &exports);
  wasm_func_t* add = wasm_extern_as_func(exports.data[0]);
  wasm_val_t args[2] = {WASM_I32_VAL(2), WASM_I32_VAL(40)}, results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t a = WASM_ARRAY_VEC(args), r = WASM_ARRAY_VEC(results);
  wasm_trap_t* trap = wasm_func_call(add, &a, &r);
  if (trap) return 3;
  printf("%d\n", results[0].of.i32);
  wasm_extern_vec_delete(&exports); wasm_instance_delete(instance); wasm_module_delete(module);
  wasm_byte_vec_delete(&wat); wasm_byte_vec_delete(&wasm); wasm_store_delete(store); wasm_engine_delete(engine);
  return 0;
}
