/* The C side of the call benchmarks the bindings compare with (docs/benchmarks.md): an exported
 * (i32, i32) -> i32 called through wasm_func_call and through orca_func_call_unchecked, and wasm
 * calling a C host function of that type. Prints ns per call; exits non-zero if a result is wrong. */
#define _POSIX_C_SOURCE 199309L
#include <orca.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char wat[] =
    "(module (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))"
    " (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))"
    " (func (export \"call_host\") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1))))";

static wasm_trap_t* add(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)env;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 5000000;
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, strlen(wat), wat);
  if (orca_wat2wasm(&text, &binary)) return 1;
  wasm_byte_vec_delete(&text);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  wasm_functype_t* type = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new_with_env(store, type, add, NULL, NULL);
  wasm_functype_delete(type);
  wasm_extern_t* imports_array[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_array);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) return 1;
  wasm_extern_t* add_export = orca_instance_export(instance, "add");
  wasm_extern_t* host_export = orca_instance_export(instance, "call_host");
  const wasm_func_t* f = wasm_extern_as_func(add_export);
  const wasm_func_t* h = wasm_extern_as_func(host_export);
  int bad = 0;

  double t0 = now();
  for (long i = 0; i < n; ++i) {
    wasm_val_t a[2] = {WASM_I32_VAL((int32_t)i), WASM_I32_VAL(1)}, r[1] = {WASM_INIT_VAL};
    wasm_val_vec_t av = WASM_ARRAY_VEC(a), rv = WASM_ARRAY_VEC(r);
    if (wasm_func_call(f, &av, &rv) || r[0].of.i32 != (int32_t)i + 1) bad = 1;
  }
  double typed = (now() - t0) / n;

  orca_val_raw_t slots[2];
  t0 = now();
  for (long i = 0; i < n; ++i) {
    slots[0].i32 = (int32_t)i;
    slots[1].i32 = 1;
    if (orca_func_call_unchecked(f, slots, 2) || slots[0].i32 != (int32_t)i + 1) bad = 1;
  }
  double raw = (now() - t0) / n;

  t0 = now();
  for (long i = 0; i < n; ++i) {
    slots[0].i32 = (int32_t)i;
    slots[1].i32 = 2;
    if (orca_func_call_unchecked(h, slots, 2) || slots[0].i32 != (int32_t)i + 2) bad = 1;
  }
  double hostcall = (now() - t0) / n;

  printf("wasm_func_call (i32,i32)->i32: %.1f ns/call\n", typed);
  printf("orca_func_call_unchecked (i32,i32)->i32: %.1f ns/call\n", raw);
  printf("wasm -> C host function, entered raw: %.1f ns/call\n", hostcall);
  wasm_extern_delete(add_export);
  wasm_extern_delete(host_export);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return bad;
}
