/* The fast path of orca.h, both ways: a raw host function (orca_func_new_raw) that wasm calls in a
 * loop, and calls of wasm with orca_func_call_unchecked. Nothing is allocated or converted per
 * call: arguments and results share one array of 16-byte orca_val_raw_t slots.
 *
 * Build against an installed Orca:
 *   cc -std=c11 raw.c $(pkg-config --cflags --libs orca) -o raw && ./raw
 */
#include <stdio.h>
#include <string.h>

#include <orca.h>

static const char* module_wat =
    "(module"
    "  (import \"host\" \"clamp\" (func $clamp (param i32 i32 i32) (result i32)))"
    "  (memory (export \"memory\") 1)"
    "  (func (export \"sum_clamped\") (param $n i32) (result i64)"  /* sum of clamp(i, 10, 20), i < n */
    "    (local $i i32) (local $sum i64)"
    "    (block $done (loop $next"
    "      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))"
    "      (local.set $sum (i64.add (local.get $sum)"
    "        (i64.extend_i32_u (call $clamp (local.get $i) (i32.const 10) (i32.const 20)))))"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))"
    "      (br $next)))"
    "    (local.get $sum)))";

/* clamp(x, low, high). The result goes to slot 0, over x: read every argument first. A low above
 * high is the guest's mistake: the call traps with a message. */
static wasm_trap_t* clamp(void* env, orca_caller_t* caller, orca_val_raw_t* slots, size_t count) {
  (void)env;
  (void)count; /* 3: max(3 parameters, 1 result) */
  int32_t x = slots[0].i32, low = slots[1].i32, high = slots[2].i32;
  if (low > high) {
    wasm_message_t message;
    wasm_name_new_from_string_nt(&message, "clamp: low above high");
    wasm_trap_t* trap = wasm_trap_new(orca_caller_store(caller), &message);
    wasm_name_delete(&message);
    return trap;
  }
  slots[0].i32 = x < low ? low : x > high ? high : x;
  return NULL;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, strlen(module_wat), module_wat);
  orca_error_t* error = orca_wat2wasm(&text, &binary);
  wasm_byte_vec_delete(&text);
  wasm_module_t* module = NULL;
  if (!error) error = orca_module_new(engine, &binary, &module);
  if (!error) wasm_byte_vec_delete(&binary);

  /* (i32, i32, i32) -> i32 */
  wasm_valtype_t* params[3] = {wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32()};
  wasm_valtype_t* results[1] = {wasm_valtype_new_i32()};
  wasm_valtype_vec_t param_vec, result_vec;
  wasm_valtype_vec_new(&param_vec, 3, params);
  wasm_valtype_vec_new(&result_vec, 1, results);
  wasm_functype_t* type = wasm_functype_new(&param_vec, &result_vec);
  wasm_func_t* host = orca_func_new_raw(store, type, clamp, NULL, NULL);
  wasm_functype_delete(type);

  orca_linker_t* linker = orca_linker_new(store);
  if (!error) error = orca_linker_define(linker, "host", "clamp", wasm_func_as_extern(host));
  wasm_instance_t* instance = NULL;
  if (!error) error = orca_linker_instantiate(linker, module, &instance);
  orca_linker_delete(linker);
  if (error) {
    wasm_name_t message;
    orca_error_message(error, &message);
    fprintf(stderr, "raw: %.*s\n", (int)message.size, message.data);
    wasm_byte_vec_delete(&message);
    orca_error_delete(error);
    return 1;
  }

  /* 100 host calls from one wasm call: 10 * 10 (i < 10) + sum(10..19) + 20 * 80 = 1845. */
  wasm_func_t* sum = wasm_extern_as_func(orca_instance_export(instance, "sum_clamped"));
  orca_val_raw_t slot;
  slot.i32 = 100;
  wasm_trap_t* trap = orca_func_call_unchecked(sum, &slot, 1);
  printf("sum_clamped(100) = %lld\n", (long long)slot.i64);
  int ok = trap == NULL && slot.i64 == 1845;

  /* The host function called by the host itself, with a trap. */
  orca_val_raw_t args[3];
  args[0].i32 = 5;
  args[1].i32 = 9;
  args[2].i32 = 1;
  trap = orca_func_call_unchecked(host, args, 3);
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    printf("clamp(5, 9, 1) trapped: %s\n", message.data);
    ok = ok && strcmp(message.data, "clamp: low above high") == 0;
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  } else {
    ok = 0;
  }

  wasm_func_delete(sum);
  wasm_func_delete(host);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return ok ? 0 : 1;
}
