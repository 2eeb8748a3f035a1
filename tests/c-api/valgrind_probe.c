/* Deliberate faults for valgrind_suppressions_test.sh, which checks that tests/c-api/valgrind.supp
 * hides only the guard-page faults of wasm code. One mode per run:
 *   guard          an out-of-bounds wasm load (a fault in the guard region, then a trap): must pass
 *   host-overflow  a host function called from wasm reads one byte past a heap block: reported
 *   leak           the guard-page trap, then a heap block that nothing points to: reported
 * Exits 0 when the wasm part behaved (the trap came back), 2 for a usage error or setup failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orca.h"

static const char kModule[] =
    "(module (import \"host\" \"overflow\" (func $overflow)) (memory 1)"
    " (func (export \"call_host\") call $overflow)"
    " (func (export \"out_of_bounds\") (result i32) i32.const 65536 i32.load8_u))";

static volatile size_t past_end = 16;

static wasm_trap_t* overflow(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  char* block = malloc(16);
  memset(block, 1, 16);
  volatile char byte = block[past_end]; /* inside malloc's rounding natively; invalid for memcheck */
  (void)byte;
  free(block);
  return NULL;
}

static char* volatile leaked;

/* Calls the export `name`; returns whether it trapped. */
static int traps(const wasm_extern_vec_t* exports, size_t index) {
  wasm_func_t* func = wasm_extern_as_func(exports->data[index]);
  wasm_val_t result_slot[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC;
  wasm_val_vec_t results = WASM_ARRAY_VEC(result_slot);
  if (wasm_func_result_arity(func) == 0) results.size = 0;
  wasm_trap_t* trap = wasm_func_call(func, &args, &results);
  if (!trap) return 0;
  wasm_trap_delete(trap);
  return 1;
}

int main(int argc, char** argv) {
  const char* mode = argc == 2 ? argv[1] : "";
  if (strcmp(mode, "guard") != 0 && strcmp(mode, "host-overflow") != 0 && strcmp(mode, "leak") != 0) {
    fprintf(stderr, "usage: valgrind_probe guard|host-overflow|leak\n");
    return 2;
  }
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, sizeof kModule - 1, kModule);
  orca_error_t* error = orca_wat2wasm(&text, &binary);
  wasm_byte_vec_delete(&text);
  if (error) {
    orca_error_delete(error);
    return 2;
  }
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* host = wasm_func_new(store, type, overflow);
  wasm_functype_delete(type);
  wasm_extern_t* imported[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imported);
  wasm_instance_t* instance = module ? wasm_instance_new(store, module, &imports, NULL) : NULL;
  if (!instance) return 2;
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  int ok = 1;
  if (strcmp(mode, "host-overflow") == 0) {
    ok = !traps(&exports, 0);
  } else {
    ok = traps(&exports, 1);
  }
  if (strcmp(mode, "leak") == 0) {
    leaked = malloc(64);
    leaked[0] = 1;
    leaked = NULL; /* the only pointer is gone: definitely lost */
  }

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("%s: %s\n", mode, ok ? "done" : "the wasm call did not behave");
  return ok ? 0 : 2;
}
