/* A host that instantiates per request in one long-lived store: N requests, each an instance of
 * tests/c-api/wat/request.wat made, called once (it writes 8 KiB of its memory) and deleted with
 * the handles of its exports. Prints the resident size before and after and the time per
 * request. Uses only wasm.h and orca_wat2wasm, so the same file builds against an older liborca
 * for a before/after figure (docs/benchmarks.md, "Long-lived stores").
 * Usage: store_requests tests/c-api/wat/request.wat N */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "orca.h"

static long resident_kib(void) {
  FILE* f = fopen("/proc/self/statm", "r");
  long size = 0, pages = -1;
  if (!f || fscanf(f, "%ld %ld", &size, &pages) != 2) pages = -1;
  if (f) fclose(f);
  return pages * 4;
}

int main(int argc, char** argv) {
  int requests = argc > 2 ? atoi(argv[2]) : 0;
  if (requests <= 0) {
    fprintf(stderr, "usage: store_requests REQUEST.wat N\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  char text[4096];
  size_t length = fread(text, 1, sizeof text, f);
  fclose(f);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t wat, wasm;
  wasm_byte_vec_new(&wat, length, text);
  orca_error_t* error = orca_wat2wasm(&wat, &wasm);
  wasm_byte_vec_delete(&wat);
  if (error) return 2;
  wasm_module_t* module = wasm_module_new(store, &wasm);
  wasm_byte_vec_delete(&wasm);
  if (!module) return 2;
  long before = resident_kib();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < requests; ++i) {
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_trap_t* trap = NULL;
    wasm_instance_t* instance = wasm_instance_new(store, module, &none, &trap);
    if (!instance) {
      printf("request %d: instantiation failed (resident %ld KiB)\n", i, resident_kib());
      return 1;
    }
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_val_t args[1] = {WASM_I32_VAL(7)}, results[1] = {WASM_INIT_VAL};
    wasm_val_vec_t argv_ = WASM_ARRAY_VEC(args), resv = WASM_ARRAY_VEC(results);
    trap = wasm_func_call(wasm_extern_as_func(exports.data[4]), &argv_, &resv);
    if (trap || results[0].of.i32 != 49) return 1;
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / requests;
  printf("%d requests: resident %ld KiB before, %ld KiB after; %.1f us per request\n", requests, before,
         resident_kib(), us);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
