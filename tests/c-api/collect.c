/* Long-lived stores: an instance that nothing keeps is freed with its memories and tables
 * (orca_store_collect, and by itself when instances are made), and one that something still
 * keeps (an export's handle, a table slot or an import of another instance, a host global or
 * table, a linker, a running call) stays usable. A host that instantiates per request in one
 * store keeps a flat resident size. */
#include <pthread.h>
#include <stdint.h>
#include <valgrind/valgrind.h>

#include "check.h"

/* Calls what another instance put in its table slot 0, and reads a memory it imports. */
static const char kUser[] =
    "(module (import \"a\" \"memory\" (memory 1)) (table (export \"table\") 1 funcref)"
    " (func (export \"call0\") (result i32) (call_indirect (result i32) (i32.const 0)))"
    " (func (export \"peek\") (result i32) (i32.load8_u (i32.const 4096))))";

static long resident_kib(void) {
  FILE* f = fopen("/proc/self/statm", "r");
  if (!f) return -1;
  long size = 0, pages = -1;
  if (fscanf(f, "%ld %ld", &size, &pages) != 2) pages = -1;
  fclose(f);
  return pages < 0 ? -1 : pages * 4;
}

static wasm_instance_t* instantiate(wasm_store_t* store, const wasm_module_t* module, wasm_extern_t** imports,
                                    size_t count) {
  wasm_extern_vec_t vec = {count, imports};
  return wasm_instance_new(store, module, &vec, NULL);
}

/* The export `name` of `instance` as a new handle (null when missing). */
static wasm_extern_t* export_named(const wasm_instance_t* instance, const char* name) {
  return orca_instance_export(instance, name);
}

static int32_t call_i32(const wasm_func_t* func, int32_t arg, int has_arg) {
  wasm_val_t args[1] = {WASM_I32_VAL(arg)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = {has_arg ? 1u : 0u, args};
  wasm_val_vec_t resv = WASM_ARRAY_VEC(results);
  wasm_trap_t* trap = wasm_func_call(func, &argv, &resv);
  if (trap) {
    wasm_trap_delete(trap);
    return -1;
  }
  return results[0].of.i32;
}

/* `requests` requests, each an instance used and deleted: the store keeps a handful of instances
 * and the resident size stays within 10% of what it was after the first tenth. */
static void per_request(wasm_engine_t* engine, int requests) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "request");
  REQUIRE_VOID(module);
  long warm = -1, peak = 0;
  size_t most_instances = 0;
  int wrong = 0;
  for (int i = 0; i < requests; ++i) {
    wasm_instance_t* instance = instantiate(store, module, NULL, 0);
    if (!instance) {
      fprintf(stderr, "request %d: instantiation failed\n", i);
      ++wrong;
      break;
    }
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_func_t* run = wasm_extern_as_func(exports.data[4]);
    if (call_i32(run, 7, 1) != 49) ++wrong;
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    size_t count = orca_store_instance_count(store);
    if (count > most_instances) most_instances = count;
    if (i + 1 == requests / 10) warm = resident_kib();
    if (i + 1 > requests / 10) {
      long now = i % 1000 == 0 || i + 1 == requests ? resident_kib() : 0;
      if (now > peak) peak = now;
    }
  }
  CHECK(wrong == 0);
  /* Collected by instantiation alone: twice what the last collection kept, plus 8. */
  CHECK(most_instances <= 9);
  CHECK(warm > 0 && peak > 0);
  /* Valgrind holds freed blocks back (--freelist-vol, 20 MB) and grows its own caches, and
   * AddressSanitizer keeps freed memory in its quarantine (up to 256 MB), so under either the
   * resident size says nothing about Orca's; those runs check leaks and the instance count. */
  if (!RUNNING_ON_VALGRIND && !UNDER_ADDRESS_SANITIZER) {
    CHECK(peak <= warm + warm / 10);
    printf("%d requests: resident %ld KiB after the first tenth, %ld KiB at most after it\n", requests, warm, peak);
  }
  CHECK(orca_store_collect(store) >= 1);
  CHECK(orca_store_instance_count(store) == 0);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

static int finalized;
static void count_finalizer(void* info) { finalized += info == &finalized; }

/* An export's handle keeps its instance, memory included; its deletion frees the instance, whose
 * host info finalizer then runs. */
static void kept_by_export(wasm_store_t* store, const wasm_module_t* request) {
  wasm_instance_t* instance = instantiate(store, request, NULL, 0);
  REQUIRE_VOID(instance);
  wasm_instance_set_host_info_with_finalizer(instance, &finalized, count_finalizer);
  wasm_extern_t* run = export_named(instance, "run");
  wasm_extern_t* memory = export_named(instance, "memory");
  REQUIRE_VOID(run && memory);
  wasm_instance_delete(instance);
  finalized = 0;
  CHECK(orca_store_collect(store) == 0);
  CHECK(orca_store_instance_count(store) == 1);
  CHECK(call_i32(wasm_extern_as_func(run), 5, 1) == 47);
  CHECK(wasm_memory_data(wasm_extern_as_memory(memory))[4096] == 5);
  wasm_extern_delete(run);
  CHECK(orca_store_collect(store) == 0); /* the memory's handle still keeps it */
  CHECK(wasm_memory_data(wasm_extern_as_memory(memory))[100] == 5);
  CHECK(finalized == 0);
  wasm_extern_delete(memory);
  CHECK(orca_store_collect(store) == 1);
  CHECK(finalized == 1);
  CHECK(orca_store_instance_count(store) == 0);
}

/* A funcref in a table slot of another instance keeps the function's instance; an import of
 * another instance keeps the instance that defined the memory. */
static void kept_by_table_and_import(wasm_store_t* store, const wasm_module_t* request, const wasm_module_t* user) {
  wasm_instance_t* a = instantiate(store, request, NULL, 0);
  REQUIRE_VOID(a);
  wasm_extern_t* a_memory = export_named(a, "memory");
  wasm_extern_t* imports[] = {a_memory};
  wasm_instance_t* b = instantiate(store, user, imports, 1);
  REQUIRE_VOID(b);
  wasm_extern_delete(a_memory);
  wasm_extern_t* answer = export_named(a, "answer");
  wasm_extern_t* table = export_named(b, "table");
  REQUIRE_VOID(answer && table);
  CHECK(wasm_table_set(wasm_extern_as_table(table), 0, wasm_func_as_ref(wasm_extern_as_func(answer))));
  wasm_extern_delete(answer);
  wasm_extern_delete(table);
  wasm_extern_t* run = export_named(a, "run");
  CHECK(call_i32(wasm_extern_as_func(run), 9, 1) == 51);
  wasm_extern_delete(run);
  wasm_instance_delete(a);

  CHECK(orca_store_collect(store) == 0);
  wasm_extern_t* call0 = export_named(b, "call0");
  wasm_extern_t* peek = export_named(b, "peek");
  CHECK(call_i32(wasm_extern_as_func(call0), 0, 0) == 42);
  CHECK(call_i32(wasm_extern_as_func(peek), 0, 0) == 9);

  /* Emptying the slot leaves the import: `a` stays. */
  table = export_named(b, "table");
  CHECK(wasm_table_set(wasm_extern_as_table(table), 0, NULL));
  wasm_extern_delete(table);
  CHECK(orca_store_collect(store) == 0);
  CHECK(call_i32(wasm_extern_as_func(peek), 0, 0) == 9);
  wasm_extern_delete(call0);
  wasm_extern_delete(peek);
  wasm_instance_delete(b);
  CHECK(orca_store_collect(store) == 2);
  CHECK(orca_store_instance_count(store) == 0);
}

/* Host-made globals and tables keep what their references name: a funcref in a global, an
 * instance's memory passed as an externref. */
static void kept_by_host_objects(wasm_store_t* store, const wasm_module_t* request) {
  wasm_instance_t* a = instantiate(store, request, NULL, 0);
  wasm_instance_t* b = instantiate(store, request, NULL, 0);
  REQUIRE_VOID(a && b);
  wasm_extern_t* answer = export_named(a, "answer");
  wasm_extern_t* memory = export_named(b, "memory");
  wasm_val_t init = {.kind = WASM_FUNCREF, .of = {.ref = wasm_func_as_ref(wasm_extern_as_func(answer))}};
  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new(WASM_FUNCREF), WASM_VAR);
  wasm_global_t* global = wasm_global_new(store, gt, &init);
  wasm_globaltype_delete(gt);
  wasm_limits_t limits = {1, 1};
  wasm_tabletype_t* tt = wasm_tabletype_new(wasm_valtype_new(WASM_EXTERNREF), &limits);
  wasm_table_t* table = wasm_table_new(store, tt, wasm_memory_as_ref(wasm_extern_as_memory(memory)));
  wasm_tabletype_delete(tt);
  REQUIRE_VOID(global && table);
  wasm_extern_delete(answer);
  wasm_extern_delete(memory);
  wasm_instance_delete(a);
  wasm_instance_delete(b);
  CHECK(orca_store_collect(store) == 0);

  wasm_val_t value = WASM_INIT_VAL;
  wasm_global_get(global, &value);
  wasm_func_t* func = value.of.ref ? wasm_ref_as_func(value.of.ref) : NULL;
  CHECK(func && call_i32(func, 0, 0) == 42);
  wasm_val_delete(&value);
  wasm_ref_t* ref = wasm_table_get(table, 0);
  wasm_memory_t* mem = ref ? wasm_ref_as_memory(ref) : NULL;
  CHECK(mem && wasm_memory_size(mem) == 1);
  if (ref) wasm_ref_delete(ref);

  wasm_val_t null_ref = {.kind = WASM_FUNCREF, .of = {.ref = NULL}};
  wasm_global_set(global, &null_ref);
  CHECK(orca_store_collect(store) == 1);
  CHECK(wasm_table_set(table, 0, NULL));
  CHECK(orca_store_collect(store) == 1);
  CHECK(orca_store_instance_count(store) == 0);
  wasm_global_delete(global);
  wasm_table_delete(table);
}

static wasm_trap_t* answer_host(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = 42;
  return NULL;
}

/* An instance that puts an imported host function into another instance's table puts its own
 * copy of the function's record there (it names the instance as caller): the slot keeps that
 * instance too. Under valgrind, a freed record would be an invalid read here. */
static void kept_by_host_import_ref(wasm_store_t* store, const wasm_module_t* user) {
  wasm_module_t* filler = check_compile_wat(
      store, "(module (import \"\" \"h\" (func $h (result i32))) (import \"\" \"t\" (table 1 funcref))"
             " (elem (table 0) (i32.const 0) func $h))");
  REQUIRE_VOID(filler);
  wasm_limits_t limits = {1, 1};
  wasm_memorytype_t* mt = wasm_memorytype_new(&limits);
  wasm_memory_t* memory = wasm_memory_new(store, mt);
  wasm_memorytype_delete(mt);
  wasm_functype_t* type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new(store, type, answer_host);
  wasm_functype_delete(type);
  wasm_extern_t* user_imports[] = {wasm_memory_as_extern(memory)};
  wasm_instance_t* b = instantiate(store, user, user_imports, 1);
  REQUIRE_VOID(b);
  wasm_extern_t* table = export_named(b, "table");
  wasm_extern_t* filler_imports[] = {wasm_func_as_extern(host), table};
  wasm_instance_t* a = instantiate(store, filler, filler_imports, 2);
  CHECK(a != NULL);
  wasm_extern_delete(table);
  wasm_instance_delete(a);
  CHECK(orca_store_collect(store) == 0);
  wasm_extern_t* call0 = export_named(b, "call0");
  CHECK(call_i32(wasm_extern_as_func(call0), 0, 0) == 42);
  wasm_extern_delete(call0);
  wasm_instance_delete(b);
  CHECK(orca_store_collect(store) == 2);
  wasm_func_delete(host);
  wasm_memory_delete(memory);
  wasm_module_delete(filler);
}

/* A linker that defines an instance's exports keeps the instance until it is deleted. */
static void kept_by_linker(wasm_store_t* store, const wasm_module_t* request) {
  wasm_instance_t* a = instantiate(store, request, NULL, 0);
  REQUIRE_VOID(a);
  orca_linker_t* linker = orca_linker_new(store);
  orca_error_t* error = orca_linker_define_instance(linker, "a", a);
  CHECK(error == NULL);
  if (error) orca_error_delete(error);
  wasm_instance_delete(a);
  CHECK(orca_store_collect(store) == 0);
  wasm_extern_t* answer = orca_linker_get(linker, "a", "answer");
  CHECK(answer && call_i32(wasm_extern_as_func(answer), 0, 0) == 42);
  if (answer) wasm_extern_delete(answer);
  orca_linker_delete(linker);
  CHECK(orca_store_collect(store) == 1);
}

/* While the store runs code, nothing is collected: a host function that deletes the last handle
 * of the instance calling it and asks for a collection gets 0, and the call finishes. */
static wasm_instance_t* running;
static size_t collected_inside = 99;
static wasm_store_t* running_store;
static wasm_trap_t* drop_caller(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_instance_delete(running);
  running = NULL;
  collected_inside = orca_store_collect(running_store);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = 7;
  return NULL;
}

static void not_during_calls(wasm_store_t* store) {
  wasm_module_t* module = check_compile_wat(
      store,
      "(module (import \"\" \"drop\" (func $drop (result i32))) (memory 1)"
      " (func (export \"go\") (result i32) (i32.store (i32.const 8) (call $drop)) (i32.load (i32.const 8))))");
  REQUIRE_VOID(module);
  wasm_functype_t* type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* drop = wasm_func_new(store, type, drop_caller);
  wasm_functype_delete(type);
  wasm_extern_t* imports[] = {wasm_func_as_extern(drop)};
  running = instantiate(store, module, imports, 1);
  REQUIRE_VOID(running);
  running_store = store;
  wasm_extern_t* go = export_named(running, "go");
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, resv = WASM_ARRAY_VEC(results);
  /* The export's handle keeps the instance during the call; drop it first through a copy. */
  wasm_func_t* copy = wasm_func_copy(wasm_extern_as_func(go));
  wasm_extern_delete(go);
  wasm_trap_t* trap = wasm_func_call(copy, &none, &resv);
  CHECK(trap == NULL);
  if (trap) wasm_trap_delete(trap);
  CHECK(results[0].of.i32 == 7);
  CHECK(collected_inside == 0);
  CHECK(orca_store_collect(store) == 0); /* `copy` still keeps it */
  wasm_func_delete(copy);
  CHECK(orca_store_collect(store) == 1);
  wasm_func_delete(drop);
  wasm_module_delete(module);
}

/* Deleting a handle touches no store: another thread (a binding's finalizer thread) may delete
 * handles while the store runs code; the store frees the instance once they are all gone. */
enum { N_COPIES = 2000 };
static wasm_func_t* copies[N_COPIES];
static void* delete_copies(void* unused) {
  for (int i = 0; i < N_COPIES - 1; ++i) wasm_func_delete(copies[i]);
  return NULL;
}

static void handles_deleted_elsewhere(wasm_store_t* store, const wasm_module_t* request) {
  wasm_instance_t* instance = instantiate(store, request, NULL, 0);
  REQUIRE_VOID(instance);
  wasm_extern_t* run = export_named(instance, "run");
  REQUIRE_VOID(run);
  for (int i = 0; i < N_COPIES; ++i) copies[i] = wasm_func_copy(wasm_extern_as_func(run));
  wasm_extern_delete(run);
  wasm_instance_delete(instance);
  pthread_t thread;
  REQUIRE_VOID(pthread_create(&thread, NULL, delete_copies, NULL) == 0);
  /* The last copy is deleted only after the thread is done with the others. */
  int wrong = 0;
  for (int i = 0; i < 200; ++i) wrong += call_i32(copies[N_COPIES - 1], 3, 1) != 45;
  pthread_join(thread, NULL);
  CHECK(wrong == 0);
  CHECK(orca_store_collect(store) == 0);
  wasm_func_delete(copies[N_COPIES - 1]);
  CHECK(orca_store_collect(store) == 1);
}

/* The instance limit counts live instances: with room for 3, a store makes 50 one after the
 * other, and refuses a fourth while three are kept. */
static void limit_counts_live(wasm_engine_t* engine) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_compile_wat(store, "(module (memory 1))");
  REQUIRE_VOID(module);
  orca_store_limits_set(store, -1, -1, 3, -1, -1);
  int made = 0;
  for (int i = 0; i < 50; ++i) {
    wasm_instance_t* instance = instantiate(store, module, NULL, 0);
    if (instance) ++made;
    wasm_instance_delete(instance);
  }
  CHECK(made == 50);
  wasm_instance_t* kept[3];
  for (int i = 0; i < 3; ++i) kept[i] = instantiate(store, module, NULL, 0);
  CHECK(kept[0] && kept[1] && kept[2]);
  wasm_trap_t* trap = NULL;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* fourth = wasm_instance_new(store, module, &none, &trap);
  CHECK(fourth == NULL);
  CHECK(trap != NULL);
  if (trap) wasm_trap_delete(trap);
  for (int i = 0; i < 3; ++i) wasm_instance_delete(kept[i]);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  /* 100,000 requests by default (a second argument sets another number); under valgrind, which
   * runs them about 50 times slower, 4,000. */
  int requests = argc > 2 ? atoi(argv[2]) : RUNNING_ON_VALGRIND ? 4000 : 100000;
  REQUIRE(requests >= 10);
  wasm_engine_t* engine = wasm_engine_new();
  if (!engine) return check_finish();
  per_request(engine, requests);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* request = check_load(store, "request");
  wasm_module_t* user = check_compile_wat(store, kUser);
  if (request && user) {
    kept_by_export(store, request);
    kept_by_table_and_import(store, request, user);
    kept_by_host_objects(store, request);
    kept_by_host_import_ref(store, user);
    kept_by_linker(store, request);
    not_during_calls(store);
    handles_deleted_elsewhere(store, request);
  }
  if (request) wasm_module_delete(request);
  if (user) wasm_module_delete(user);
  wasm_store_delete(store);
  limit_counts_live(engine);
  wasm_engine_delete(engine);
  return check_finish();
}
