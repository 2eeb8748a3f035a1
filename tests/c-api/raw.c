/* orca.h's raw host functions (orca_func_new_raw): values of every type in and out of the one
 * array, the slot count, traps made by the host and passed on from a nested call, the caller's
 * exports, reentrancy (wasm -> host -> wasm -> host ...), an interruption requested from inside
 * one, calls from the host itself, the finalizer's one run when the store goes, and a reference
 * deleted after its store. */
#include "check.h"

static const char* guest_wat =
    "(module"
    "  (import \"host\" \"echo\" (func $echo (param i32 i64 f32 f64 v128 funcref externref)"
    "                                (result externref funcref v128 f64 f32 i64 i32)))"
    "  (import \"host\" \"nest\" (func $nest (param i32) (result i32)))"
    "  (import \"host\" \"fail\" (func $fail (param i32)))"
    "  (import \"host\" \"stop\" (func $stop))"
    "  (memory (export \"memory\") 1)"
    "  (data (i32.const 8) \"raw!\")"
    "  (func (export \"echo\") (param i32 i64 f32 f64 v128 funcref externref)"
    "                        (result externref funcref v128 f64 f32 i64 i32)"
    "    (call $echo (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)"
    "                (local.get 5) (local.get 6)))"
    "  (func (export \"recurse\") (param i32) (result i32)"
    "    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $nest (local.get 0)))))"
    "  (func (export \"boom\") unreachable)"
    "  (func (export \"fail\") (param i32) (call $fail (local.get 0)))"
    "  (func (export \"spin\") (call $stop) (loop $forever (br $forever))))";

/* What the callbacks saw, for the checks. */
static orca_val_raw_t echo_seen[7];
static size_t echo_count, nest_count, stop_count;
static int echo_had_instance, fail_read_memory;

static int had_instance(orca_caller_t* caller) {
  wasm_instance_t* instance = orca_caller_instance(caller);
  if (instance) wasm_instance_delete(instance);
  return instance != NULL;
}

/* Hands its arguments back in reverse order: every result overwrites an argument, so it reads
 * them all first. */
static wasm_trap_t* echo(void* env, orca_caller_t* caller, orca_val_raw_t* slots, size_t count) {
  (void)env;
  echo_count = count;
  echo_had_instance = had_instance(caller);
  memcpy(echo_seen, slots, sizeof echo_seen);
  for (int i = 0; i < 7; ++i) slots[i] = echo_seen[6 - i];
  return NULL;
}

/* nest(n) = recurse(n - 1) + 1, through the calling instance's export. */
static wasm_trap_t* nest(void* env, orca_caller_t* caller, orca_val_raw_t* slots, size_t count) {
  (void)env;
  nest_count = count;
  wasm_extern_t* recurse = orca_caller_export(caller, "recurse");
  if (!recurse) return wasm_trap_new(orca_caller_store(caller), &(wasm_message_t)WASM_EMPTY_VEC);
  orca_val_raw_t slot;
  slot.i32 = slots[0].i32 - 1;
  wasm_trap_t* trap = orca_func_call_unchecked(wasm_extern_as_func(recurse), &slot, 1);
  wasm_extern_delete(recurse);
  if (trap) return trap;
  slots[0].i32 = slot.i32 + 1;
  return NULL;
}

static wasm_trap_t* trap_with(wasm_store_t* store, const char* text) {
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, text);
  wasm_trap_t* trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  return trap;
}

/* fail(0): reads the guest's memory and traps "raw failure"; fail(1): passes on the trap of the
 * guest's "boom" (unreachable); fail(2): succeeds. */
static wasm_trap_t* fail(void* env, orca_caller_t* caller, orca_val_raw_t* slots, size_t count) {
  (void)env;
  (void)count;
  if (slots[0].i32 == 0) {
    wasm_extern_t* memory = orca_caller_export(caller, "memory");
    if (memory) {
      fail_read_memory = memcmp(wasm_memory_data(wasm_extern_as_memory(memory)) + 8, "raw!", 4) == 0;
      wasm_extern_delete(memory);
    }
    return trap_with(orca_caller_store(caller), "raw failure");
  }
  if (slots[0].i32 == 1) {
    wasm_extern_t* boom = orca_caller_export(caller, "boom");
    wasm_trap_t* trap = orca_func_call_unchecked(wasm_extern_as_func(boom), NULL, 0);
    wasm_extern_delete(boom);
    return trap;
  }
  return NULL;
}

/* Interrupts its own store, as another thread would; the guest's next check traps. */
static wasm_trap_t* stop(void* env, orca_caller_t* caller, orca_val_raw_t* slots, size_t count) {
  (void)env;
  (void)slots;
  stop_count = count + 1;  /* count is 0: no parameters, no results */
  orca_error_t* error = orca_store_interrupt(orca_caller_store(caller));
  if (error) orca_error_delete(error);
  return NULL;
}

static int finalized;
static void finalize(void* env) { finalized += *(int*)env; }

static wasm_valtype_vec_t kinds(size_t n, const wasm_valkind_t* k) {
  wasm_valtype_vec_t v;
  wasm_valtype_vec_new_uninitialized(&v, n);
  for (size_t i = 0; i < n; ++i) v.data[i] = wasm_valtype_new(k[i]);
  return v;
}

static wasm_functype_t* functype(size_t np, const wasm_valkind_t* p, size_t nr, const wasm_valkind_t* r) {
  wasm_valtype_vec_t params = kinds(np, p), results = kinds(nr, r);
  return wasm_functype_new(&params, &results);
}

static const wasm_valkind_t echo_params[7] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_V128, WASM_FUNCREF,
                                              WASM_EXTERNREF};
static const wasm_valkind_t echo_results[7] = {WASM_EXTERNREF, WASM_FUNCREF, WASM_V128, WASM_F64, WASM_F32,
                                               WASM_I64, WASM_I32};
static const wasm_valkind_t one_i32[1] = {WASM_I32};

/* Defines the four host functions (each finalizer adds `*weight`) and instantiates the guest. */
static wasm_instance_t* instantiate(wasm_store_t* store, const wasm_module_t* module, int* weight,
                                    wasm_func_t** echo_func) {
  wasm_functype_t* types[4] = {functype(7, echo_params, 7, echo_results), functype(1, one_i32, 1, one_i32),
                               functype(1, one_i32, 0, NULL), functype(0, NULL, 0, NULL)};
  orca_func_callback_raw_t callbacks[4] = {echo, nest, fail, stop};
  const char* names[4] = {"echo", "nest", "fail", "stop"};
  orca_linker_t* linker = orca_linker_new(store);
  for (int i = 0; i < 4; ++i) {
    wasm_func_t* func = orca_func_new_raw(store, types[i], callbacks[i], weight, finalize);
    CHECK(func != NULL);
    CHECK(orca_linker_define(linker, "host", names[i], wasm_func_as_extern(func)) == NULL);
    if (i == 0)
      *echo_func = func;
    else
      wasm_func_delete(func);
    wasm_functype_delete(types[i]);
  }
  wasm_instance_t* instance = NULL;
  orca_error_t* error = orca_linker_instantiate(linker, module, &instance);
  CHECK(error == NULL);
  if (error) orca_error_delete(error);
  orca_linker_delete(linker);
  return instance;
}

static wasm_func_t* export_func(wasm_instance_t* instance, const char* name) {
  return wasm_extern_as_func(orca_instance_export(instance, name));
}

/* Slots for echo: a value of every type, NaN payloads and all bits of the v128 included. */
static void echo_arguments(orca_val_raw_t* slots, void* funcref, void* externref) {
  memset(slots, 0, 7 * sizeof *slots);
  slots[0].i32 = -7;
  slots[1].i64 = INT64_C(0x123456789abcdef0);
  uint32_t f32_bits = 0x7fa00001u;  /* a signalling NaN: its bits must survive */
  memcpy(&slots[2].f32, &f32_bits, 4);
  uint64_t f64_bits = UINT64_C(0xfff4000000000001);
  memcpy(&slots[3].f64, &f64_bits, 8);
  for (int i = 0; i < 16; ++i) slots[4].v128[i] = (uint8_t)(0xA0 + i);
  slots[5].ref = funcref;
  slots[6].ref = externref;
}

/* Whether `slots` hold echo_arguments' values in reverse order. */
static int echoed(const orca_val_raw_t* slots, void* funcref, void* externref) {
  orca_val_raw_t expected[7];
  echo_arguments(expected, funcref, externref);
  return slots[0].ref == externref && slots[1].ref == funcref &&
         memcmp(slots[2].v128, expected[4].v128, 16) == 0 && memcmp(&slots[3].f64, &expected[3].f64, 8) == 0 &&
         memcmp(&slots[4].f32, &expected[2].f32, 4) == 0 && slots[5].i64 == expected[1].i64 &&
         slots[6].i32 == expected[0].i32;
}

/* Whether echo saw echo_arguments' values. */
static int saw_arguments(void* funcref, void* externref) {
  orca_val_raw_t expected[7];
  echo_arguments(expected, funcref, externref);
  return echo_seen[0].i32 == -7 && echo_seen[1].i64 == expected[1].i64 &&
         memcmp(&echo_seen[2].f32, &expected[2].f32, 4) == 0 && memcmp(&echo_seen[3].f64, &expected[3].f64, 8) == 0 &&
         memcmp(echo_seen[4].v128, expected[4].v128, 16) == 0 && echo_seen[5].ref == funcref &&
         echo_seen[6].ref == externref;
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_config_t* config = wasm_config_new();
  orca_config_interruptible_set(config, true);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, strlen(guest_wat), guest_wat);
  REQUIRE(orca_wat2wasm(&text, &binary) == NULL);
  wasm_byte_vec_delete(&text);
  wasm_module_t* module = NULL;
  REQUIRE(orca_module_new(engine, &binary, &module) == NULL);
  wasm_byte_vec_delete(&binary);
  static int one = 1;
  wasm_func_t* echo_func = NULL;
  wasm_instance_t* instance = instantiate(store, module, &one, &echo_func);
  REQUIRE(instance != NULL && echo_func != NULL);

  /* Every value type, in and out through wasm: a funcref of the store and an externref. */
  wasm_func_t* recurse = export_func(instance, "recurse");
  wasm_foreign_t* foreign = wasm_foreign_new(store);
  void *funcref = NULL, *externref = NULL;
  CHECK(orca_ref_to_raw(store, wasm_func_as_ref(recurse), WASM_FUNCREF, &funcref) && funcref != NULL);
  CHECK(orca_ref_to_raw(store, wasm_foreign_as_ref(foreign), WASM_EXTERNREF, &externref) && externref != NULL);
  wasm_func_t* guest_echo = export_func(instance, "echo");
  orca_val_raw_t slots[7];
  echo_arguments(slots, funcref, externref);
  CHECK(orca_func_call_unchecked(guest_echo, slots, 7) == NULL);
  CHECK(echo_count == 7 && echo_had_instance);
  CHECK(saw_arguments(funcref, externref));
  CHECK(echoed(slots, funcref, externref));
  /* Null references both ways. */
  echo_arguments(slots, NULL, NULL);
  CHECK(orca_func_call_unchecked(guest_echo, slots, 7) == NULL && echoed(slots, NULL, NULL));

  /* Called by the host itself: no calling instance, the same values. */
  echo_arguments(slots, funcref, externref);
  CHECK(orca_func_call_unchecked(echo_func, slots, 7) == NULL);
  CHECK(echo_count == 7 && !echo_had_instance && echoed(slots, funcref, externref));
  /* Through wasm.h: wasm_val_t cannot carry the v128 parameter, so the call is refused. */
  wasm_val_vec_t no_args = WASM_EMPTY_VEC, no_results = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(echo_func, &no_args, &no_results);
  CHECK(trap != NULL);
  if (trap) wasm_trap_delete(trap);

  /* Reentrancy: recurse(40) goes wasm -> host -> wasm ... 40 times deep and back. */
  orca_val_raw_t slot;
  slot.i32 = 40;
  CHECK(orca_func_call_unchecked(recurse, &slot, 1) == NULL && slot.i32 == 40 && nest_count == 1);

  /* A trap the host function makes: its message and code, with the guest's memory read first. */
  wasm_func_t* guest_fail = export_func(instance, "fail");
  slot.i32 = 0;
  trap = orca_func_call_unchecked(guest_fail, &slot, 1);
  CHECK(trap && orca_trap_code(trap) == ORCA_TRAP_HOST_ERROR);
  if (trap) {
    wasm_frame_t* origin = wasm_trap_origin(trap);  /* the guest's call of the import */
    CHECK(origin != NULL);
    if (origin) wasm_frame_delete(origin);
  }
  CHECK(check_trap_is(trap, "raw failure"));
  CHECK(fail_read_memory);
  /* A trap of a nested call passed on keeps its code. */
  slot.i32 = 1;
  trap = orca_func_call_unchecked(guest_fail, &slot, 1);
  CHECK(trap && orca_trap_code(trap) == ORCA_TRAP_UNREACHABLE);
  CHECK(check_trap_is(trap, "unreachable"));
  /* And after both, a call that succeeds. */
  slot.i32 = 2;
  CHECK(orca_func_call_unchecked(guest_fail, &slot, 1) == NULL);

  /* An interruption requested inside a host function stops the guest at its next check, and is
   * consumed by it: the next call runs. */
  wasm_func_t* spin = export_func(instance, "spin");
  trap = orca_func_call_unchecked(spin, NULL, 0);
  CHECK(trap && orca_trap_code(trap) == ORCA_TRAP_INTERRUPTED && stop_count == 1);
  if (trap) wasm_trap_delete(trap);
  slot.i32 = 3;
  CHECK(orca_func_call_unchecked(recurse, &slot, 1) == NULL && slot.i32 == 3);

  /* Refused input: the environment is finalized at once. */
  static int two = 2;
  finalized = 0;
  wasm_functype_t* nothing = functype(0, NULL, 0, NULL);
  CHECK(orca_func_new_raw(store, nothing, NULL, &two, finalize) == NULL && finalized == 2);
  CHECK(orca_func_new_raw(NULL, nothing, stop, &two, finalize) == NULL && finalized == 4);
  CHECK(orca_func_new_raw(store, NULL, stop, &two, finalize) == NULL && finalized == 6);
  wasm_functype_delete(nothing);

  /* The instance goes, the host functions stay with the store: still callable, not finalized. */
  wasm_func_delete(recurse);
  wasm_func_delete(guest_echo);
  wasm_func_delete(guest_fail);
  wasm_func_delete(spin);
  wasm_instance_delete(instance);
  finalized = 0;
  CHECK(orca_store_collect(store) == 1);  /* the instance, which nothing keeps */
  echo_arguments(slots, NULL, externref);
  CHECK(orca_func_call_unchecked(echo_func, slots, 7) == NULL && echoed(slots, NULL, externref));
  CHECK(finalized == 0);
  /* Each of the four finalizers runs once, when the store is deleted. A reference may outlive
   * its store: deleting it afterwards is all it is good for (valgrind and ASan check that it
   * touches nothing of the store). */
  wasm_foreign_delete(foreign);
  wasm_store_delete(store);
  CHECK(finalized == 4);
  wasm_func_delete(echo_func);
  CHECK(finalized == 4);
  wasm_module_delete(module);
  wasm_engine_delete(engine);
  return check_finish();
}
