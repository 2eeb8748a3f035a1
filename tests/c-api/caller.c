/* orca.h: modules belong to the engine (orca_module_new takes one; every store of the engine
 * instantiates the module, a store of another engine refuses it), and host functions that know
 * their caller (orca_func_new_with_caller, orca_caller_*): reading and writing the calling
 * instance's memory, calling back through its exports, failing with a trap. */
#include "check.h"

static const char* guest_wat =
    "(module"
    "  (import \"env\" \"greet\" (func $greet (param i32 i32) (result i32)))"
    "  (memory (export \"memory\") 1)"
    "  (data (i32.const 16) \"hello\")"
    "  (func (export \"twice\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))"
    "  (func (export \"run\") (result i32) (call $greet (i32.const 16) (i32.const 5)))"
    "  (func (export \"poked\") (result i32) (i32.load (i32.const 0))))";

static wasm_byte_vec_t guest_binary(void) {
  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, strlen(guest_wat), guest_wat);
  orca_error_t* error = orca_wat2wasm(&text, &binary);
  CHECK(error == NULL);
  if (error) orca_error_delete(error);
  wasm_byte_vec_delete(&text);
  return binary;
}

/* What greet saw, for the checks. */
static char seen[16];
static wasm_store_t* seen_store;
static int had_instance, calls;

/* greet(ptr, len): copies the guest's string, writes 42 at address 0, and returns
 * twice(len) computed by the guest; a length of 0 fails with a trap. */
static wasm_trap_t* greet(void* env, orca_caller_t* caller, const orca_val_raw_t* args, orca_val_raw_t* results) {
  (void)env;
  ++calls;
  seen_store = orca_caller_store(caller);
  wasm_instance_t* instance = orca_caller_instance(caller);
  had_instance = instance != NULL;
  if (instance) wasm_instance_delete(instance);
  if (args[1].i32 == 0) {
    wasm_message_t message;
    wasm_name_new_from_string_nt(&message, "empty greeting");
    wasm_trap_t* trap = wasm_trap_new(seen_store, &message);
    wasm_name_delete(&message);
    return trap;
  }
  wasm_extern_t* memory = orca_caller_export(caller, "memory");
  if (!memory) {
    results[0].i32 = -1;  /* called by the host: no guest to read from */
    return NULL;
  }
  uint8_t* data = (uint8_t*)wasm_memory_data(wasm_extern_as_memory(memory));
  memcpy(seen, data + args[0].i32, (size_t)args[1].i32);
  seen[args[1].i32] = 0;
  int32_t answer = 42;
  memcpy(data, &answer, 4);
  wasm_extern_delete(memory);
  CHECK(orca_caller_export(caller, "no such export") == NULL);

  wasm_extern_t* twice = orca_caller_export(caller, "twice");
  orca_val_raw_t slot;
  slot.i32 = args[1].i32;
  wasm_trap_t* trap = orca_func_call_unchecked(wasm_extern_as_func(twice), &slot, 1);
  wasm_extern_delete(twice);
  if (trap) return trap;
  results[0].i32 = slot.i32;
  return NULL;
}

static int finalized;
static void finalize(void* env) { finalized += *(int*)env; }

/* greet's type: (i32 i32) -> (i32). */
static wasm_functype_t* greet_type(void) {
  wasm_valtype_t* ps[2] = {wasm_valtype_new_i32(), wasm_valtype_new_i32()};
  wasm_valtype_t* rs[1] = {wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, 2, ps);
  wasm_valtype_vec_new(&results, 1, rs);
  return wasm_functype_new(&params, &results);
}

/* A store with greet defined and the guest instantiated through the linker. */
static wasm_instance_t* instantiate(wasm_store_t* store, const wasm_module_t* module, orca_error_t** error) {
  wasm_functype_t* type = greet_type();
  static int one = 1;
  wasm_func_t* func = orca_func_new_with_caller(store, type, greet, &one, finalize);
  wasm_functype_delete(type);
  orca_linker_t* linker = orca_linker_new(store);
  CHECK(orca_linker_define(linker, "env", "greet", wasm_func_as_extern(func)) == NULL);
  wasm_func_delete(func);
  wasm_instance_t* instance = NULL;
  *error = orca_linker_instantiate(linker, module, &instance);
  orca_linker_delete(linker);
  return instance;
}

static int32_t call_i32(wasm_instance_t* instance, const char* name, wasm_trap_t** trap) {
  wasm_extern_t* e = orca_instance_export(instance, name);
  orca_val_raw_t slot;
  slot.i32 = 0;
  *trap = orca_func_call_unchecked(wasm_extern_as_func(e), &slot, 1);
  wasm_extern_delete(e);
  return slot.i32;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_byte_vec_t binary = guest_binary();
  wasm_module_t* module = NULL;
  REQUIRE(orca_module_new(engine, &binary, &module) == NULL && module != NULL);
  CHECK(orca_module_validate(engine, &binary) == NULL);

  /* One module, two stores of its engine. */
  wasm_store_t* stores[2] = {wasm_store_new(engine), wasm_store_new(engine)};
  for (int i = 0; i < 2; ++i) {
    orca_error_t* error = NULL;
    wasm_instance_t* instance = instantiate(stores[i], module, &error);
    CHECK(error == NULL && instance != NULL);
    if (!instance) continue;
    wasm_trap_t* trap = NULL;
    seen[0] = 0;
    CHECK(call_i32(instance, "run", &trap) == 10 && trap == NULL);
    CHECK(strcmp(seen, "hello") == 0);
    CHECK(seen_store == stores[i] && had_instance);
    CHECK(call_i32(instance, "poked", &trap) == 42 && trap == NULL);
    wasm_instance_delete(instance);
  }

  /* The host calling greet itself: a caller without an instance, hence without exports. */
  orca_error_t* error = NULL;
  wasm_instance_t* instance = instantiate(stores[0], module, &error);
  REQUIRE(instance != NULL);
  {
    wasm_functype_t* type = greet_type();
    wasm_func_t* direct = orca_func_new_with_caller(stores[0], type, greet, NULL, NULL);
    wasm_functype_delete(type);
    orca_val_raw_t slots[2];
    slots[0].i32 = 16;
    slots[1].i32 = 5;
    CHECK(orca_func_call_unchecked(direct, slots, 2) == NULL);
    CHECK(slots[0].i32 == -1 && !had_instance);
    /* A trap made by the host function is the call's, with its message. */
    slots[0].i32 = 16;
    slots[1].i32 = 0;
    wasm_trap_t* trap = orca_func_call_unchecked(direct, slots, 2);
    CHECK(trap && orca_trap_code(trap) == ORCA_TRAP_HOST_ERROR);
    CHECK(check_trap_is(trap, "empty greeting"));
    wasm_func_delete(direct);
  }
  wasm_instance_delete(instance);

  /* A store of another engine refuses the module, with a reason, and never runs it. */
  wasm_engine_t* other_engine = wasm_engine_new();
  wasm_store_t* other = wasm_store_new(other_engine);
  calls = 0;
  instance = instantiate(other, module, &error);
  CHECK(instance == NULL && error != NULL && orca_error_kind(error) == ORCA_ERROR_UNLINKABLE);
  if (error) orca_error_delete(error);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  CHECK(wasm_instance_new(other, module, &imports, NULL) == NULL);
  CHECK(calls == 0);
  wasm_store_delete(other);
  wasm_engine_delete(other_engine);

  /* A null callback is refused, and its environment finalized at once. */
  finalized = 0;
  static int two = 2;
  wasm_valtype_vec_t empty_params = WASM_EMPTY_VEC, empty_results = WASM_EMPTY_VEC;
  wasm_functype_t* nothing = wasm_functype_new(&empty_params, &empty_results);
  CHECK(orca_func_new_with_caller(stores[0], nothing, NULL, &two, finalize) == NULL && finalized == 2);
  wasm_functype_delete(nothing);

  /* The finalizers of the three greet functions run with their stores. */
  finalized = 0;
  wasm_store_delete(stores[0]);
  wasm_store_delete(stores[1]);
  CHECK(finalized == 3);
  wasm_module_delete(module);
  wasm_byte_vec_delete(&binary);
  wasm_engine_delete(engine);
  return check_finish();
}
