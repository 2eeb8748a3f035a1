/* Host info and finalizers: every finalizer runs exactly once, when its object dies (an instance
 * and its objects when the store frees it or with the store, what the host made with its store,
 * modules and traps with their last reference); replacing host info finalizes the old one. */
#include "check.h"

enum { N_INSTANCES = 50 };

static int finalized[N_INSTANCES];
static int module_finalized, trap_finalized, foreign_finalized, replaced;

static void finalize_instance(void* info) { ++finalized[(int)(intptr_t)info]; }
static void finalize_module(void* info) { module_finalized += (int)(intptr_t)info; }
static void finalize_trap(void* info) { trap_finalized += (int)(intptr_t)info; }
static void finalize_foreign(void* info) { foreign_finalized += (int)(intptr_t)info; }
static void finalize_replaced(void* info) { replaced += (int)(intptr_t)info; }

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "finalize");
  REQUIRE(module != NULL);
  wasm_module_set_host_info_with_finalizer(module, (void*)(intptr_t)7, finalize_module);
  CHECK(wasm_module_get_host_info(module) == (void*)(intptr_t)7);

  for (int i = 0; i < N_INSTANCES; ++i) {
    wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
    REQUIRE(instance != NULL);
    wasm_instance_set_host_info_with_finalizer(instance, (void*)(intptr_t)i, finalize_instance);
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    /* Host info belongs to the object: another reference to it sees the same. */
    wasm_func_t* f = wasm_extern_as_func(exports.data[0]);
    wasm_func_set_host_info(f, (void*)(intptr_t)(i + 1000));
    wasm_func_t* f2 = wasm_func_copy(f);
    CHECK(wasm_func_get_host_info(f2) == (void*)(intptr_t)(i + 1000));
    wasm_func_delete(f2);
    wasm_global_t* g = wasm_extern_as_global(exports.data[2]);
    wasm_global_set_host_info_with_finalizer(g, (void*)(intptr_t)1, finalize_replaced);
    wasm_global_set_host_info(g, NULL);  /* replacing finalizes the old info */
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
  }
  CHECK(replaced == N_INSTANCES);

  /* Deleting the module reference while instances live: the module stays until its last user. */
  wasm_module_t* copy = wasm_module_copy(module);
  wasm_module_delete(module);
  CHECK(module_finalized == 0);
  CHECK(wasm_module_get_host_info(copy) == (void*)(intptr_t)7);
  wasm_module_delete(copy);
  CHECK(module_finalized == 7);

  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "finalize me");
  wasm_trap_t* trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  wasm_trap_set_host_info_with_finalizer(trap, (void*)(intptr_t)3, finalize_trap);
  wasm_trap_delete(trap);
  CHECK(trap_finalized == 3);

  wasm_foreign_t* foreign = wasm_foreign_new(store);
  wasm_foreign_set_host_info_with_finalizer(foreign, (void*)(intptr_t)5, finalize_foreign);
  wasm_foreign_delete(foreign);
  CHECK(foreign_finalized == 0);  /* foreign objects die with their store */

  /* The instances' handles are gone: a collection frees those that instantiation did not free
   * already, each finalizer once; deleting the store finalizes none of them again. */
  orca_store_collect(store);
  CHECK(orca_store_instance_count(store) == 0);
  for (int i = 0; i < N_INSTANCES; ++i) CHECK(finalized[i] == 1);
  wasm_store_delete(store);
  for (int i = 0; i < N_INSTANCES; ++i) CHECK(finalized[i] == 1);
  CHECK(foreign_finalized == 5);
  CHECK(replaced == N_INSTANCES);
  wasm_engine_delete(engine);
  return check_finish();
}
