/* Running an untrusted plugin with orca.h and wasi.h: host functions and WASI defined by name in
 * a linker, the guest's output captured, fuel and a deadline as limits, and an exit status told
 * apart from a trap. Built and run by ctest (example_c_plugin); exits 0 only when every step
 * behaved as expected. */
#include <stdio.h>
#include <string.h>
#include <wasi.h>

/* The plugin: prints through WASI, reports a number to the host, can spin forever or exit. */
static const char* plugin_wat =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))\n"
    "  (import \"host\" \"report\" (func $report (param i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (data (i32.const 16) \"plugin says hi\\n\")\n"
    "  (func (export \"greet\")\n"
    "    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 15))\n"
    "    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))\n"
    "    (call $report (i32.const 42)))\n"
    "  (func (export \"spin\") (loop $l (br $l)))\n"
    "  (func (export \"quit\") (call $exit (i32.const 3))))\n";

static int reported = -1;

static wasm_trap_t* report(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)env, (void)results;
  reported = args->data[0].of.i32;
  return NULL;
}

static int failures;
#define EXPECT(cond) ((cond) ? (void)0 : (void)(++failures, fprintf(stderr, "unexpected: %s\n", #cond)))

/* Calls an export with no parameters or results; returns the trap (or NULL). */
static wasm_trap_t* call(wasm_instance_t* instance, const char* name) {
  wasm_extern_t* export = orca_instance_export(instance, name);
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(export), NULL, NULL);
  wasm_extern_delete(export);
  return trap;
}

int main(void) {
  /* Fuel and interruption change the generated code, so they are engine switches. */
  wasm_config_t* config = wasm_config_new();
  orca_config_consume_fuel_set(config, true);
  orca_config_interruptible_set(config, true);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);

  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, strlen(plugin_wat), plugin_wat);
  orca_error_t* error = orca_wat2wasm(&text, &binary);
  wasm_byte_vec_delete(&text);
  wasm_module_t* module = NULL;
  if (!error) error = orca_module_new(engine, &binary, &module);
  wasm_byte_vec_delete(&binary);
  if (error) {
    wasm_message_t message;
    orca_error_message(error, &message);
    fprintf(stderr, "cannot load the plugin: %s\n", message.data);
    return 1;
  }

  /* Imports by name: WASI with stdout captured, and one host function. */
  orca_linker_t* linker = orca_linker_new(store);
  wasi_config_t* wasi = wasi_config_new();
  const char* argv[] = {"plugin"};
  wasi_config_set_argv(wasi, 1, argv);
  wasi_config_capture_stdout(wasi);
  wasi_env_t* guest = NULL;
  EXPECT(orca_linker_define_wasi(linker, wasi, &guest) == NULL); /* takes the config */
  wasm_functype_t* report_type = wasm_functype_new_1_0(wasm_valtype_new_i32());
  EXPECT(orca_linker_define_func(linker, "host", "report", report_type, report, NULL, NULL) == NULL);
  wasm_functype_delete(report_type);
  wasm_instance_t* instance = NULL;
  EXPECT(orca_linker_instantiate(linker, module, &instance) == NULL);
  if (!instance) return 1;

  /* A budget of fuel for the call. */
  EXPECT(orca_store_fuel_set(store, 10000) == NULL);
  EXPECT(call(instance, "greet") == NULL);
  wasm_byte_vec_t out;
  wasi_env_stdout(guest, &out);
  printf("guest wrote: %.*s", (int)out.size, out.data);
  EXPECT(out.size == 15 && memcmp(out.data, "plugin says hi\n", 15) == 0);
  EXPECT(reported == 42);
  wasm_byte_vec_delete(&out);

  /* A runaway loop: fuel runs out... */
  wasm_trap_t* trap = call(instance, "spin");
  EXPECT(trap && orca_trap_code(trap) == ORCA_TRAP_OUT_OF_FUEL);
  if (trap) wasm_trap_delete(trap);
  /* ...or, with plenty of fuel, the deadline stops it. */
  EXPECT(orca_store_fuel_set(store, UINT64_MAX / 2) == NULL);
  EXPECT(orca_store_deadline_set(store, 100 * 1000 * 1000) == NULL); /* 100 ms */
  trap = call(instance, "spin");
  EXPECT(trap && orca_trap_code(trap) == ORCA_TRAP_INTERRUPTED);
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    printf("spin stopped: %s\n", message.data);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  }

  /* proc_exit is an exit status, not a failure. */
  trap = call(instance, "quit");
  int status = -1;
  EXPECT(trap && orca_trap_exit_status(trap, &status) && status == 3);
  printf("plugin exited with status %d\n", status);
  if (trap) wasm_trap_delete(trap);

  wasm_instance_delete(instance);
  orca_linker_delete(linker);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return failures ? 1 : 0;
}
