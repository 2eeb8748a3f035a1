/* orca.h: errors with kinds, wat2wasm, compiling with a reason, engine switches, fuel and
 * interruption from another thread, the version. */
#define _POSIX_C_SOURCE 200809L  /* nanosleep */
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "check.h"
#include "orca.h"

static int error_is(orca_error_t* error, orca_error_kind_t kind, const char* prefix) {
  if (!error) return 0;
  wasm_message_t message;
  orca_error_message(error, &message);
  int ok = orca_error_kind(error) == kind && message.size > 0 && message.data[message.size - 1] == '\0' &&
           strncmp(message.data, prefix, strlen(prefix)) == 0;
  if (!ok) fprintf(stderr, "error %d: %s (expected %d: %s...)\n", orca_error_kind(error), message.data, kind, prefix);
  wasm_byte_vec_delete(&message);
  orca_error_delete(error);
  return ok;
}

static const char* loop_wat =
    "(module (func (export \"spin\") (loop $l (br $l))) (func (export \"one\") (result i32) (i32.const 1)))";

/* The first export of a fresh instance of `module`, and the instance to delete. */
static wasm_func_t* first_export(wasm_store_t* store, wasm_module_t* module, size_t index, wasm_instance_t** instance,
                                 wasm_extern_vec_t* exports) {
  *instance = wasm_instance_new(store, module, NULL, NULL);
  if (!*instance) return NULL;
  wasm_instance_exports(*instance, exports);
  return wasm_extern_as_func(exports->data[index]);
}

/* The store a SIGALRM handler interrupts, as an embedder's timer signal would. */
static wasm_store_t* alarm_store;
static void interrupt_on_alarm(int sig) {
  (void)sig;
  orca_store_interrupt_from_signal(alarm_store);
}

/* A host function the loop of tick_wat calls: the 100th call raises SIGALRM. The signal comes
 * from inside the loop rather than from a timer because ThreadSanitizer delivers asynchronous
 * signals only when the program next calls into libc, which a pure wasm loop never does. */
static int ticks;
static wasm_trap_t* tick(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  if (++ticks == 100) raise(SIGALRM);
  return NULL;
}
static const char* tick_wat =
    "(module (import \"\" \"tick\" (func $tick)) (func (export \"spin\") (loop $l (call $tick) (br $l))))";

static void* interrupt_later(void* arg) {
  struct timespec delay = {0, 50 * 1000 * 1000};
  nanosleep(&delay, NULL);
  orca_error_t* error = orca_store_interrupt((wasm_store_t*)arg);
  if (error) orca_error_delete(error);
  return NULL;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  CHECK(strcmp(orca_version(), "0.1.0") == 0);

  /* wat2wasm: good text gives "\0asm", bad text a malformed error with the spec's words. */
  wasm_byte_vec_t wat, wasm;
  wasm_byte_vec_new(&wat, 8, "(module)");
  CHECK(orca_wat2wasm(&wat, &wasm) == NULL);
  CHECK(wasm.size == 8 && memcmp(wasm.data, "\0asm", 4) == 0);
  wasm_byte_vec_delete(&wasm);
  wasm_byte_vec_delete(&wat);
  wasm_byte_vec_new(&wat, 9, "(module (");
  CHECK(error_is(orca_wat2wasm(&wat, &wasm), ORCA_ERROR_MALFORMED, ""));
  CHECK(wasm.size == 0);
  wasm_byte_vec_delete(&wat);
  CHECK(error_is(orca_wat2wasm(NULL, &wasm), ORCA_ERROR_UNSUPPORTED, "null"));

  /* A text error has its line and column (characters, so the "é" of the comment is one), and
   * the message holds neither them nor the offset. */
  const char* misspelt = "(module\n\n  (; \xc3\xa9 ;) (func i32.ad))";
  wasm_byte_vec_new(&wat, strlen(misspelt), misspelt);
  orca_error_t* text_error = orca_wat2wasm(&wat, &wasm);
  uint32_t line = 0, column = 0;
  size_t text_offset = 0;
  CHECK(orca_error_position(text_error, &line, &column) && line == 3 && column == 17);
  CHECK(orca_error_offset(text_error, &text_offset) && text_offset == 26);
  CHECK(error_is(text_error, ORCA_ERROR_MALFORMED, "unknown operator i32.ad"));
  wasm_byte_vec_delete(&wat);
  /* Errors about a binary have an offset but no line. */
  wasm_byte_vec_t bad_version;
  wasm_byte_vec_new(&bad_version, 8, "\0asm\x02\0\0\0");
  wasm_engine_t* checker = wasm_engine_new();
  wasm_store_t* checker_store = wasm_store_new(checker);
  orca_error_t* binary_error = orca_module_validate(checker, &bad_version);
  CHECK(!orca_error_position(binary_error, &line, &column));
  CHECK(!orca_error_position(NULL, &line, &column));
  orca_error_delete(binary_error);
  wasm_byte_vec_delete(&bad_version);
  wasm_store_delete(checker_store);
  wasm_engine_delete(checker);

  /* A default engine: no fuel, no interruption. */
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  uint64_t fuel = 0;
  CHECK(error_is(orca_store_fuel_set(store, 10), ORCA_ERROR_UNSUPPORTED, "fuel is not enabled"));
  CHECK(error_is(orca_store_fuel_get(store, &fuel), ORCA_ERROR_UNSUPPORTED, "fuel is not enabled"));
  CHECK(error_is(orca_store_interrupt(store), ORCA_ERROR_UNSUPPORTED, "interruption is not enabled"));
  /* orca_module_new says why. */
  wasm_module_t* module = NULL;
  wasm_byte_vec_t junk;
  wasm_byte_vec_new(&junk, 4, "junk");
  CHECK(error_is(orca_module_new(engine, &junk, &module), ORCA_ERROR_MALFORMED, "magic header not detected"));
  CHECK(module == NULL);
  wasm_byte_vec_delete(&junk);
  const char* ill_typed = "(module (func (result i32) (i64.const 0)))";
  wasm_byte_vec_new(&wat, strlen(ill_typed), ill_typed);
  CHECK(orca_wat2wasm(&wat, &wasm) == NULL);
  CHECK(error_is(orca_module_new(engine, &wasm, &module), ORCA_ERROR_INVALID, "type mismatch"));
  wasm_byte_vec_delete(&wasm);
  wasm_byte_vec_delete(&wat);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* Fuel: a loop runs out; a short function costs some. */
  wasm_config_t* config = wasm_config_new();
  orca_config_consume_fuel_set(config, true);
  orca_config_opt_level_set(config, 1);
  engine = wasm_engine_new_with_config(config);
  REQUIRE(engine != NULL);
  store = wasm_store_new(engine);
  module = check_compile_wat(store, loop_wat);
  REQUIRE(module != NULL);
  wasm_instance_t* instance;
  wasm_extern_vec_t exports;
  wasm_func_t* spin = first_export(store, module, 0, &instance, &exports);
  REQUIRE(spin != NULL);
  CHECK(orca_store_fuel_set(store, 1000) == NULL);
  CHECK(check_trap_is(wasm_func_call(spin, NULL, NULL), "all fuel consumed"));
  CHECK(orca_store_fuel_get(store, &fuel) == NULL && fuel == 0);
  CHECK(orca_store_fuel_set(store, 1000) == NULL);
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t results = WASM_ARRAY_VEC(r);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[1]), NULL, &results) == NULL && r[0].of.i32 == 1);
  CHECK(orca_store_fuel_get(store, &fuel) == NULL && fuel < 1000 && fuel > 0);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* Interruption from another thread stops an endless loop. */
  config = wasm_config_new();
  orca_config_interruptible_set(config, true);
  engine = wasm_engine_new_with_config(config);
  store = wasm_store_new(engine);
  module = check_compile_wat(store, loop_wat);
  REQUIRE(module != NULL);
  spin = first_export(store, module, 0, &instance, &exports);
  REQUIRE(spin != NULL);
  pthread_t thread;
  CHECK(pthread_create(&thread, NULL, interrupt_later, store) == 0);
  CHECK(check_trap_is(wasm_func_call(spin, NULL, NULL), "interrupted"));
  pthread_join(thread, NULL);
  /* A request that no call consumed can be withdrawn: the next call runs. */
  CHECK(orca_store_interrupt(store) == NULL);
  orca_store_interrupt_clear(store);
  wasm_func_t* one = wasm_extern_as_func(exports.data[1]);
  CHECK(wasm_func_call(one, NULL, &results) == NULL && r[0].of.i32 == 1);
  CHECK(orca_store_interrupt(store) == NULL);
  CHECK(check_trap_is(wasm_func_call(one, NULL, &results), "interrupted"));
  /* From a signal handler: a signal during the loop stops it at its next check. */
  alarm_store = store;
  struct sigaction on_alarm = {0}, previous_alarm;
  on_alarm.sa_handler = interrupt_on_alarm;
  CHECK(sigaction(SIGALRM, &on_alarm, &previous_alarm) == 0);
  wasm_module_t* ticking = check_compile_wat(store, tick_wat);
  REQUIRE(ticking != NULL);
  wasm_functype_t* tick_type = wasm_functype_new_0_0();
  wasm_func_t* tick_func = wasm_func_new(store, tick_type, tick);
  wasm_extern_t* tick_imports[] = {wasm_func_as_extern(tick_func)};
  wasm_extern_vec_t tick_import_vec = WASM_ARRAY_VEC(tick_imports);
  wasm_instance_t* ticker = wasm_instance_new(store, ticking, &tick_import_vec, NULL);
  REQUIRE(ticker != NULL);
  wasm_extern_vec_t ticker_exports;
  wasm_instance_exports(ticker, &ticker_exports);
  CHECK(check_trap_is(wasm_func_call(wasm_extern_as_func(ticker_exports.data[0]), NULL, NULL), "interrupted"));
  CHECK(ticks == 100);
  sigaction(SIGALRM, &previous_alarm, NULL);
  wasm_extern_vec_delete(&ticker_exports);
  wasm_instance_delete(ticker);
  wasm_func_delete(tick_func);
  wasm_functype_delete(tick_type);
  wasm_module_delete(ticking);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* Without interruption checks the signal-safe request does nothing (and fails nothing). */
  engine = wasm_engine_new();
  store = wasm_store_new(engine);
  orca_store_interrupt_from_signal(store);
  orca_store_interrupt_from_signal(NULL);
  module = check_compile_wat(store, loop_wat);
  REQUIRE(module != NULL);
  spin = first_export(store, module, 0, &instance, &exports);
  REQUIRE(spin != NULL);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[1]), NULL, &results) == NULL && r[0].of.i32 == 1);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* Store limits: memory bytes, table elements, instances, tables, memories. */
  engine = wasm_engine_new();
  store = wasm_store_new(engine);
  orca_store_limits_set(store, 3 * 65536 + 100, 10, 1, 2, 2);
  module = check_compile_wat(store, "(module (memory (export \"m\") 1) (table (export \"t\") 1 funcref)"
                               " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))");
  REQUIRE(module != NULL);
  wasm_func_t* grow = first_export(store, module, 2, &instance, &exports);
  REQUIRE(grow != NULL);
  wasm_val_t g[1] = {WASM_I32_VAL(2)};
  wasm_val_vec_t grow_args = WASM_ARRAY_VEC(g);
  CHECK(wasm_func_call(grow, &grow_args, &results) == NULL && r[0].of.i32 == 1);   /* 1 -> 3 pages */
  g[0].of.i32 = 1;
  CHECK(wasm_func_call(grow, &grow_args, &results) == NULL && r[0].of.i32 == -1);  /* 4 > 3 */
  CHECK(!wasm_memory_grow(wasm_extern_as_memory(exports.data[0]), 1));
  wasm_table_t* limited_table = wasm_extern_as_table(exports.data[1]);
  CHECK(wasm_table_grow(limited_table, 9, NULL) && !wasm_table_grow(limited_table, 1, NULL));
  wasm_trap_t* limit_trap = NULL;
  CHECK(wasm_instance_new(store, module, NULL, &limit_trap) == NULL);  /* a second instance */
  CHECK(limit_trap != NULL);
  if (limit_trap) wasm_trap_delete(limit_trap);
  wasm_limits_t four = {4, 4};
  wasm_memorytype_t* four_type = wasm_memorytype_new(&four);
  CHECK(wasm_memory_new(store, four_type) == NULL);  /* 4 pages > 3 */
  wasm_memorytype_delete(four_type);
  orca_store_limits_set(store, -1, -1, 2, -1, -1);  /* only the instance count changes */
  wasm_instance_t* second = wasm_instance_new(store, module, NULL, NULL);
  CHECK(second != NULL);
  if (second) wasm_instance_delete(second);
  orca_store_limits_set(NULL, 0, 0, 0, 0, 0);  /* ignored */
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* The raw call path. */
  engine = wasm_engine_new();
  store = wasm_store_new(engine);
  module = check_compile_wat(store, "(module"
      " (func (export \"add\") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))"
      " (func (export \"id\") (param externref) (result externref) (local.get 0))"
      " (func (export \"three\") (param i32) (result i32 i64 f64) (local.get 0) (i64.const 7) (f64.const 2.5))"
      " (func (export \"trap\") (unreachable)))");
  REQUIRE(module != NULL);
  wasm_func_t* add = first_export(store, module, 0, &instance, &exports);
  REQUIRE(add != NULL);
  orca_val_raw_t slots[3];
  CHECK(sizeof slots[0] == 16);
  slots[0].i64 = 40;
  slots[1].i64 = 2;
  CHECK(orca_func_call_unchecked(add, slots, 2) == NULL && slots[0].i64 == 42);
  CHECK(check_trap_is(orca_func_call_unchecked(add, slots, 1), "type mismatch: 2 slots needed, got 1"));
  slots[0].i32 = 9;
  CHECK(orca_func_call_unchecked(wasm_extern_as_func(exports.data[2]), slots, 3) == NULL);
  CHECK(slots[0].i32 == 9 && slots[1].i64 == 7 && slots[2].f64 == 2.5);
  CHECK(check_trap_is(orca_func_call_unchecked(wasm_extern_as_func(exports.data[3]), NULL, 0), "unreachable"));
  wasm_foreign_t* foreign = wasm_foreign_new(store);
  wasm_foreign_set_host_info(foreign, (void*)9);
  CHECK(orca_ref_to_raw(store, wasm_foreign_as_ref(foreign), WASM_EXTERNREF, &slots[0].ref));
  CHECK(orca_func_call_unchecked(wasm_extern_as_func(exports.data[1]), slots, 1) == NULL);
  wasm_ref_t* back = orca_ref_from_raw(store, slots[0].ref, WASM_EXTERNREF);
  CHECK(back != NULL && wasm_ref_same(back, wasm_foreign_as_ref(foreign)) && wasm_ref_get_host_info(back) == (void*)9);
  if (back) wasm_ref_delete(back);
  CHECK(!orca_ref_to_raw(store, wasm_foreign_as_ref(foreign), WASM_FUNCREF, &slots[0].ref));  /* no function */
  CHECK(!orca_ref_to_raw(store, NULL, WASM_I32, &slots[0].ref));
  CHECK(orca_ref_to_raw(store, wasm_func_as_ref(add), WASM_FUNCREF, &slots[0].ref) && slots[0].ref != NULL);
  back = orca_ref_from_raw(store, slots[0].ref, WASM_FUNCREF);
  CHECK(back != NULL && wasm_func_same(wasm_ref_as_func(back), add));
  if (back) wasm_ref_delete(back);
  CHECK(orca_ref_from_raw(store, NULL, WASM_FUNCREF) == NULL);
  wasm_foreign_delete(foreign);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* Explicit bounds checks trap with the same message as guard pages. */
  config = wasm_config_new();
  orca_config_bounds_checks_set(config, true);
  engine = wasm_engine_new_with_config(config);
  store = wasm_store_new(engine);
  module = check_compile_wat(store, "(module (memory 1) (func (export \"load\") (param i32) (result i32) "
                               "(i32.load (local.get 0))))");
  REQUIRE(module != NULL);
  wasm_func_t* load = first_export(store, module, 0, &instance, &exports);
  REQUIRE(load != NULL);
  wasm_val_t a[1] = {WASM_I32_VAL(65536)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a);
  CHECK(check_trap_is(wasm_func_call(load, &args, &results), "out of bounds memory access"));
  a[0].of.i32 = 65532;
  CHECK(wasm_func_call(load, &args, &results) == NULL && r[0].of.i32 == 0);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
