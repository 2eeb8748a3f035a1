/* Two threads each run cycles of: a store, an instance, a call through a host function, a
 * division by zero (a trap while the other thread keeps running) and, every SPIN_EVERY-th cycle,
 * an endless loop that a third thread interrupts; then everything is deleted. Every result is
 * checked, and the resident memory may not grow by more than 10% after the warm-up's cycles.
 * Cycles per thread: the second argument (10,000 by default; ctest passes 500 under
 * AddressSanitizer, where the memory check is off: its quarantine keeps freed memory). */
#define _POSIX_C_SOURCE 200809L  /* barriers, clock_gettime, nanosleep under -std=c11 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

enum { N_THREADS = 2, SPIN_EVERY = 50 };

static const char* const WAT =
    "(module"
    "  (import \"env\" \"twice\" (func $twice (param i32) (result i32)))"
    "  (func (export \"run\") (param i32) (result i32) local.get 0 call $twice i32.const 1 i32.add)"
    "  (func (export \"div\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)"
    "  (func (export \"spin\") (loop br 0)))";

static wasm_engine_t* engine;
static wasm_shared_module_t* shared;
static int cycles, warm_up;
static atomic_int failures;
static atomic_long interrupts;
static atomic_bool done;

/* The store whose guest spins, per worker, for the interrupting thread; the lock keeps a store
 * from being deleted while it is interrupted. */
static pthread_mutex_t spinning_lock = PTHREAD_MUTEX_INITIALIZER;
static wasm_store_t* spinning[N_THREADS];

/* All workers stop here after the warm-up; the last one in records the resident memory. */
static pthread_barrier_t warmed_up;
static long resident_after_warm_up;

static long resident_bytes(void) {
  FILE* f = fopen("/proc/self/statm", "r");
  long size = 0, resident = -1;
  if (f) {
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
  }
  return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

static wasm_trap_t* twice(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0] = (wasm_val_t)WASM_I32_VAL(2 * args->data[0].of.i32);
  return NULL;
}

static void fail(int id, int cycle, const char* what) {
  /* Only the first failures are printed: a broken runtime would fail every cycle. */
  if (atomic_fetch_add(&failures, 1) < 5) fprintf(stderr, "thread %d, cycle %d: %s\n", id, cycle, what);
}

static int trap_is(wasm_trap_t* trap, orca_trap_code_t code) {
  int ok = trap != NULL && orca_trap_code(trap) == code;
  if (trap) wasm_trap_delete(trap);
  return ok;
}

static void cycle(int id, int i, wasm_functype_t* twice_type) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_obtain(store, shared);
  wasm_func_t* host = wasm_func_new(store, twice_type, twice);
  wasm_extern_t* externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = module ? wasm_instance_new(store, module, &imports, NULL) : NULL;
  if (!instance) {
    fail(id, i, "no instance");
  } else {
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_val_t arg[] = {WASM_I32_VAL(i)}, out[1];
    wasm_val_vec_t args = WASM_ARRAY_VEC(arg), results = WASM_ARRAY_VEC(out);
    wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results);
    if (trap || out[0].of.i32 != 2 * i + 1) fail(id, i, "run returned a wrong result or trapped");
    if (trap) wasm_trap_delete(trap);

    wasm_val_t div_arg[] = {WASM_I32_VAL(i), WASM_I32_VAL(0)};
    wasm_val_vec_t div_args = WASM_ARRAY_VEC(div_arg);
    if (!trap_is(wasm_func_call(wasm_extern_as_func(exports.data[1]), &div_args, &results),
                 ORCA_TRAP_INTEGER_DIVIDE_BY_ZERO))
      fail(id, i, "div did not trap with integer divide by zero");

    if (i % SPIN_EVERY == 0) {
      pthread_mutex_lock(&spinning_lock);
      spinning[id] = store;
      pthread_mutex_unlock(&spinning_lock);
      wasm_val_vec_t none = WASM_EMPTY_VEC;
      trap = wasm_func_call(wasm_extern_as_func(exports.data[2]), &none, &none);
      pthread_mutex_lock(&spinning_lock);
      spinning[id] = NULL;
      pthread_mutex_unlock(&spinning_lock);
      if (!trap_is(trap, ORCA_TRAP_INTERRUPTED)) fail(id, i, "spin did not trap interrupted");
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
  }
  wasm_func_delete(host);
  if (module) wasm_module_delete(module);
  wasm_store_delete(store);
}

static void* work(void* arg) {
  int id = (int)(intptr_t)arg;
  wasm_functype_t* twice_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  for (int i = 0; i < warm_up + cycles; ++i) {
    if (i == warm_up && pthread_barrier_wait(&warmed_up) == PTHREAD_BARRIER_SERIAL_THREAD)
      resident_after_warm_up = resident_bytes();
    cycle(id, i, twice_type);
  }
  wasm_functype_delete(twice_type);
  return NULL;
}

/* The third thread: interrupts whichever store spins, every millisecond, until the workers end. */
static void* interrupt_spinning(void* arg) {
  (void)arg;
  const struct timespec millisecond = {0, 1000000};
  while (!atomic_load(&done)) {
    pthread_mutex_lock(&spinning_lock);
    for (int id = 0; id < N_THREADS; ++id) {
      if (!spinning[id]) continue;
      orca_error_t* error = orca_store_interrupt(spinning[id]);
      if (error) {
        orca_error_delete(error);
        atomic_fetch_add(&failures, 1);
      }
      atomic_fetch_add(&interrupts, 1);
    }
    pthread_mutex_unlock(&spinning_lock);
    nanosleep(&millisecond, NULL);
  }
  return NULL;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  cycles = argc > 2 ? atoi(argv[2]) : 10000;
  REQUIRE(cycles > 0);
  warm_up = cycles / 5;
  REQUIRE(resident_bytes() > 0);  /* /proc/self/statm is readable */

  wasm_config_t* config = wasm_config_new();
  orca_config_interruptible_set(config, true);
  engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_compile_wat(store, WAT);
  REQUIRE(module != NULL);
  shared = wasm_module_share(module);
  REQUIRE(shared != NULL);
  wasm_module_delete(module);

  REQUIRE(pthread_barrier_init(&warmed_up, NULL, N_THREADS) == 0);
  pthread_t interrupter, workers[N_THREADS];
  REQUIRE(pthread_create(&interrupter, NULL, interrupt_spinning, NULL) == 0);
  struct timespec started, ended;
  clock_gettime(CLOCK_MONOTONIC, &started);
  for (int i = 0; i < N_THREADS; ++i) CHECK(pthread_create(&workers[i], NULL, work, (void*)(intptr_t)i) == 0);
  for (int i = 0; i < N_THREADS; ++i) pthread_join(workers[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &ended);
  long resident_at_end = resident_bytes();
  atomic_store(&done, true);
  pthread_join(interrupter, NULL);

  long spins = N_THREADS * ((warm_up + cycles + SPIN_EVERY - 1) / SPIN_EVERY);
  printf("stress: %d threads x %d cycles (after %d to warm up) in %.1f s, %ld spins, %ld interrupts; "
         "resident %ld KiB after the warm-up, %ld KiB at the end (%+.1f%%)\n",
         N_THREADS, cycles, warm_up,
         (double)(ended.tv_sec - started.tv_sec) + (ended.tv_nsec - started.tv_nsec) / 1e9, spins,
         atomic_load(&interrupts), resident_after_warm_up >> 10, resident_at_end >> 10,
         100.0 * (double)(resident_at_end - resident_after_warm_up) / (double)resident_after_warm_up);
  CHECK(atomic_load(&failures) == 0);
  CHECK(atomic_load(&interrupts) >= spins);
  if (!UNDER_ADDRESS_SANITIZER) CHECK(resident_at_end <= resident_after_warm_up + resident_after_warm_up / 10);

  pthread_barrier_destroy(&warmed_up);
  wasm_shared_module_delete(shared);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
