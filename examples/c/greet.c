/* A complete embedding of Orca through the standard WebAssembly C API (wasm.h): compile a module,
 * give it a host function that reads the module's memory, call its exports, and handle a trap.
 *
 * Build against an installed Orca:
 *   cc -std=c11 greet.c $(pkg-config --cflags --libs orca) -o greet && ./greet
 *
 * The module (greet.wat beside this file), as binary bytes so that the program is self-contained:
 *
 *   (module
 *     (import "env" "print" (func $print (param i32 i32)))
 *     (memory (export "memory") 1)
 *     (data (i32.const 16) "Hello from wasm!")
 *     (func (export "greet") (call $print (i32.const 16) (i32.const 16)))
 *     (func (export "fib") (param $n i32) (result i64) ...)   ; the n-th Fibonacci number
 *     (func (export "fail") (unreachable)))
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <wasm.h>

static const byte_t greet_wasm[] = {
  (byte_t)0x00, (byte_t)0x61, (byte_t)0x73, (byte_t)0x6d, (byte_t)0x01, (byte_t)0x00, (byte_t)0x00, (byte_t)0x00, (byte_t)0x01, (byte_t)0x0e, (byte_t)0x03, (byte_t)0x60,
  (byte_t)0x02, (byte_t)0x7f, (byte_t)0x7f, (byte_t)0x00, (byte_t)0x60, (byte_t)0x00, (byte_t)0x00, (byte_t)0x60, (byte_t)0x01, (byte_t)0x7f, (byte_t)0x01, (byte_t)0x7e,
  (byte_t)0x02, (byte_t)0x0d, (byte_t)0x01, (byte_t)0x03, (byte_t)0x65, (byte_t)0x6e, (byte_t)0x76, (byte_t)0x05, (byte_t)0x70, (byte_t)0x72, (byte_t)0x69, (byte_t)0x6e,
  (byte_t)0x74, (byte_t)0x00, (byte_t)0x00, (byte_t)0x03, (byte_t)0x04, (byte_t)0x03, (byte_t)0x01, (byte_t)0x02, (byte_t)0x01, (byte_t)0x05, (byte_t)0x03, (byte_t)0x01,
  (byte_t)0x00, (byte_t)0x01, (byte_t)0x07, (byte_t)0x1f, (byte_t)0x04, (byte_t)0x06, (byte_t)0x6d, (byte_t)0x65, (byte_t)0x6d, (byte_t)0x6f, (byte_t)0x72, (byte_t)0x79,
  (byte_t)0x02, (byte_t)0x00, (byte_t)0x05, (byte_t)0x67, (byte_t)0x72, (byte_t)0x65, (byte_t)0x65, (byte_t)0x74, (byte_t)0x00, (byte_t)0x01, (byte_t)0x03, (byte_t)0x66,
  (byte_t)0x69, (byte_t)0x62, (byte_t)0x00, (byte_t)0x02, (byte_t)0x04, (byte_t)0x66, (byte_t)0x61, (byte_t)0x69, (byte_t)0x6c, (byte_t)0x00, (byte_t)0x03, (byte_t)0x0a,
  (byte_t)0x36, (byte_t)0x03, (byte_t)0x08, (byte_t)0x00, (byte_t)0x41, (byte_t)0x10, (byte_t)0x41, (byte_t)0x10, (byte_t)0x10, (byte_t)0x00, (byte_t)0x0b, (byte_t)0x27,
  (byte_t)0x01, (byte_t)0x02, (byte_t)0x7e, (byte_t)0x42, (byte_t)0x01, (byte_t)0x21, (byte_t)0x02, (byte_t)0x02, (byte_t)0x40, (byte_t)0x03, (byte_t)0x40, (byte_t)0x20,
  (byte_t)0x00, (byte_t)0x45, (byte_t)0x0d, (byte_t)0x01, (byte_t)0x20, (byte_t)0x01, (byte_t)0x20, (byte_t)0x02, (byte_t)0x22, (byte_t)0x01, (byte_t)0x7c, (byte_t)0x21,
  (byte_t)0x02, (byte_t)0x20, (byte_t)0x00, (byte_t)0x41, (byte_t)0x01, (byte_t)0x6b, (byte_t)0x21, (byte_t)0x00, (byte_t)0x0c, (byte_t)0x00, (byte_t)0x0b, (byte_t)0x0b,
  (byte_t)0x20, (byte_t)0x01, (byte_t)0x0b, (byte_t)0x03, (byte_t)0x00, (byte_t)0x00, (byte_t)0x0b, (byte_t)0x0b, (byte_t)0x16, (byte_t)0x01, (byte_t)0x00, (byte_t)0x41,
  (byte_t)0x10, (byte_t)0x0b, (byte_t)0x10, (byte_t)0x48, (byte_t)0x65, (byte_t)0x6c, (byte_t)0x6c, (byte_t)0x6f, (byte_t)0x20, (byte_t)0x66, (byte_t)0x72, (byte_t)0x6f,
  (byte_t)0x6d, (byte_t)0x20, (byte_t)0x77, (byte_t)0x61, (byte_t)0x73, (byte_t)0x6d, (byte_t)0x21, (byte_t)0x00, (byte_t)0x0f, (byte_t)0x04, (byte_t)0x6e, (byte_t)0x61,
  (byte_t)0x6d, (byte_t)0x65, (byte_t)0x01, (byte_t)0x08, (byte_t)0x01, (byte_t)0x00, (byte_t)0x05, (byte_t)0x70, (byte_t)0x72, (byte_t)0x69, (byte_t)0x6e, (byte_t)0x74
};

/* The host function's environment: the instance's memory, known once it is instantiated. */
struct printer {
  wasm_memory_t* memory;
  char last[64];
};

/* env.print(offset, length): prints bytes of the module's memory. */
static wasm_trap_t* print_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  struct printer* p = env;
  uint32_t offset = (uint32_t)args->data[0].of.i32, length = (uint32_t)args->data[1].of.i32;
  if (!p->memory || length >= sizeof p->last || (size_t)offset + length > wasm_memory_data_size(p->memory)) {
    wasm_message_t message;
    wasm_name_new_from_string_nt(&message, "print: bad string");
    wasm_trap_t* trap = wasm_trap_new(NULL, &message);
    wasm_name_delete(&message);
    return trap; /* the wasm call traps with this message */
  }
  memcpy(p->last, wasm_memory_data(p->memory) + offset, length);
  p->last[length] = '\0';
  printf("%s\n", p->last);
  return NULL;
}

int main(void) {
  int status = 1;
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);

  /* Compile. wasm_module_new returns NULL for bytes that are not a valid module. */
  wasm_byte_vec_t binary;
  wasm_byte_vec_new(&binary, sizeof greet_wasm, greet_wasm);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) {
    fprintf(stderr, "invalid module\n");
    return 1;
  }

  /* The import: a host function with an environment. */
  struct printer printer = {NULL, ""};
  wasm_functype_t* print_type = wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* print = wasm_func_new_with_env(store, print_type, print_callback, &printer, NULL);
  wasm_functype_delete(print_type);

  /* Instantiate; imports come in the module's import order. */
  wasm_extern_t* imports_array[] = {wasm_func_as_extern(print)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_array);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  if (!instance) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    fprintf(stderr, "instantiation failed: %s\n", message.data);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
    return 1;
  }

  /* Exports come in the module's export order: memory, greet, fib, fail. */
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  printer.memory = wasm_extern_as_memory(exports.data[0]);
  wasm_func_t* greet = wasm_extern_as_func(exports.data[1]);
  wasm_func_t* fib = wasm_extern_as_func(exports.data[2]);
  wasm_func_t* fail = wasm_extern_as_func(exports.data[3]);

  /* greet(): no arguments, no results. */
  wasm_val_vec_t no_values = WASM_EMPTY_VEC;
  trap = wasm_func_call(greet, &no_values, &no_values);

  /* fib(50): one i32 in, one i64 out. */
  wasm_val_t fib_args_array[] = {WASM_I32_VAL(50)};
  wasm_val_t fib_results_array[] = {WASM_INIT_VAL};
  wasm_val_vec_t fib_args = WASM_ARRAY_VEC(fib_args_array);
  wasm_val_vec_t fib_results = WASM_ARRAY_VEC(fib_results_array);
  wasm_trap_t* fib_trap = wasm_func_call(fib, &fib_args, &fib_results);
  int64_t fib50 = fib_results_array[0].of.i64;
  if (!fib_trap) printf("fib(50) = %" PRId64 "\n", fib50);

  /* fail(): traps. The trap carries the spec's message and the wasm frames. */
  wasm_trap_t* fail_trap = wasm_func_call(fail, &no_values, &no_values);
  wasm_message_t message = WASM_EMPTY_VEC;
  if (fail_trap) {
    wasm_trap_message(fail_trap, &message);  /* NUL-terminated */
    wasm_frame_t* origin = wasm_trap_origin(fail_trap);
    printf("fail() trapped: %s (in function %u)\n", message.data, origin ? wasm_frame_func_index(origin) : 0u);
    if (origin) wasm_frame_delete(origin);
  }

  if (!trap && !fib_trap && strcmp(printer.last, "Hello from wasm!") == 0 && fib50 == 12586269025 && fail_trap &&
      strcmp(message.data, "unreachable") == 0)
    status = 0;

  /* Everything owned is deleted; the store frees what lives in it. */
  wasm_byte_vec_delete(&message);
  if (fail_trap) wasm_trap_delete(fail_trap);
  if (fib_trap) wasm_trap_delete(fib_trap);
  if (trap) wasm_trap_delete(trap);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(print);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return status;
}
