/* What wasm_instance_new costs, against the standard wasm.h alone, so that the same source links
 * against liborca.so or another runtime's C API (tests/bench/startup.sh builds it against
 * Wasmtime's too). The module must have no imports (kernels.wasm: a memory, data, exports).
 * Instances are made in batches of 100, each batch in a fresh store (store creation and deletion
 * are outside the timed part); prints the median time per wasm_instance_new over the batches.
 *
 *   instance_bench MODULE.wasm [BATCHES]                                                       */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wasm.h"

enum { kPerBatch = 100 };

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: instance_bench MODULE.wasm [BATCHES]\n");
    return 2;
  }
  int batches = argc > 2 ? atoi(argv[2]) : 50;
  if (batches < 1) batches = 1;
  FILE* file = fopen(argv[1], "rb");
  if (!file) {
    fprintf(stderr, "instance_bench: cannot open %s\n", argv[1]);
    return 1;
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  wasm_byte_vec_t binary;
  wasm_byte_vec_new_uninitialized(&binary, (size_t)size);
  size_t got = fread(binary.data, 1, (size_t)size, file);
  fclose(file);
  if (got != (size_t)size) {
    fprintf(stderr, "instance_bench: cannot read %s\n", argv[1]);
    return 1;
  }

  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) {
    fprintf(stderr, "instance_bench: %s does not compile\n", argv[1]);
    return 1;
  }
  wasm_store_delete(store);

  double* per_instance = malloc(sizeof(double) * (size_t)batches);
  wasm_instance_t* instances[kPerBatch];
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  /* One batch more than measured: the first warms caches and the allocator. */
  for (int b = -1; b < batches; ++b) {
    store = wasm_store_new(engine);
    double start = now_us();
    for (int i = 0; i < kPerBatch; ++i) {
      instances[i] = wasm_instance_new(store, module, &imports, NULL);
      if (!instances[i]) {
        fprintf(stderr, "instance_bench: wasm_instance_new failed\n");
        return 1;
      }
    }
    double elapsed = now_us() - start;
    for (int i = 0; i < kPerBatch; ++i) wasm_instance_delete(instances[i]);
    wasm_store_delete(store);
    if (b >= 0) per_instance[b] = elapsed / kPerBatch;
  }
  qsort(per_instance, (size_t)batches, sizeof(double), by_value);
  printf("wasm_instance_new: %.1f us (median of %d batches of %d; min %.1f, max %.1f)\n",
         per_instance[batches / 2], batches, kPerBatch, per_instance[0], per_instance[batches - 1]);
  free(per_instance);
  wasm_module_delete(module);
  wasm_engine_delete(engine);
  return 0;
}
