/* WASI with an in-memory filesystem: the host puts input.txt into a wasi_memfs_t, grants it to
 * the guest as its root, runs the guest (which writes an upper-case copy to output.txt and to
 * stdout), and reads output.txt back. No host directory is touched. Exits 0 only when the
 * output is what it should be (ctest runs it). */
#include <stdio.h>
#include <string.h>

#include "orca.h"
#include "wasi.h"

/* The guest, in the text format so that the example needs no wasm toolchain. */
static const char* guest_wat =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"path_open\"\n"
    "    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_read\" (func $fd_read (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $proc_exit (param i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (data (i32.const 0) \"input.txt\")\n"
    "  (data (i32.const 16) \"output.txt\")\n"
    "  (func (export \"_start\") (local $in i32) (local $out i32) (local $n i32) (local $i i32) (local $c i32)\n"
    "    ;; open input.txt beneath the preopen (fd 3) with the right fd_read (1<<1)\n"
    "    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 9) (i32.const 0)\n"
    "                         (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 64))\n"
    "      (then (call $proc_exit (i32.const 1))))\n"
    "    (local.set $in (i32.load (i32.const 64)))\n"
    "    (i32.store (i32.const 72) (i32.const 1024))\n"
    "    (i32.store (i32.const 76) (i32.const 4096))\n"
    "    (if (call $fd_read (local.get $in) (i32.const 72) (i32.const 1) (i32.const 80))\n"
    "      (then (call $proc_exit (i32.const 2))))\n"
    "    (local.set $n (i32.load (i32.const 80)))\n"
    "    (block $done (loop $next\n"
    "      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
    "      (local.set $c (i32.load8_u (i32.add (i32.const 1024) (local.get $i))))\n"
    "      (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))\n"
    "        (then (i32.store8 (i32.add (i32.const 1024) (local.get $i)) (i32.sub (local.get $c) (i32.const 32)))))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "      (br $next)))\n"
    "    ;; create output.txt (oflags creat|trunc) with the right fd_write (1<<6)\n"
    "    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 10) (i32.const 9)\n"
    "                         (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 64))\n"
    "      (then (call $proc_exit (i32.const 3))))\n"
    "    (local.set $out (i32.load (i32.const 64)))\n"
    "    (i32.store (i32.const 76) (local.get $n))\n"
    "    (if (call $fd_write (local.get $out) (i32.const 72) (i32.const 1) (i32.const 80))\n"
    "      (then (call $proc_exit (i32.const 4))))\n"
    "    (drop (call $fd_write (i32.const 1) (i32.const 72) (i32.const 1) (i32.const 80)))\n"
    "    (call $proc_exit (i32.const 0))))\n";

static int fail(const char* what, orca_error_t* error) {
  if (error) {
    wasm_message_t m;
    orca_error_message(error, &m);
    fprintf(stderr, "%s: %.*s\n", what, (int)m.size, m.data);
    wasm_byte_vec_delete(&m);
    orca_error_delete(error);
  } else {
    fprintf(stderr, "%s\n", what);
  }
  return 1;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  orca_linker_t* linker = orca_linker_new(store);
  int result = 1;

  /* The filesystem the guest will see as "/". */
  wasi_memfs_t* fs = wasi_memfs_new();
  wasm_byte_vec_t input;
  wasm_byte_vec_new(&input, 24, "hello from the host fs!\n");
  orca_error_t* error = wasi_memfs_write_file(fs, "input.txt", &input);
  wasm_byte_vec_delete(&input);
  if (error) return fail("write input.txt", error);

  wasi_config_t* config = wasi_config_new();
  wasi_config_preopen_memfs(config, fs, "/");
  wasi_config_capture_stdout(config);
  wasi_env_t* env = NULL;
  error = orca_linker_define_wasi(linker, config, &env);
  if (error) return fail("define wasi", error);

  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, strlen(guest_wat), guest_wat);
  error = orca_wat2wasm(&text, &binary);
  wasm_byte_vec_delete(&text);
  if (error) return fail("wat2wasm", error);
  wasm_module_t* module = NULL;
  error = orca_module_new(engine, &binary, &module);
  wasm_byte_vec_delete(&binary);
  if (error) return fail("compile", error);
  wasm_instance_t* instance = NULL;
  error = orca_linker_instantiate(linker, module, &instance);
  wasm_module_delete(module);
  if (error) return fail("instantiate", error);

  /* Run it: proc_exit(0) comes back as an exit, not as a failure. */
  wasm_extern_t* start = orca_instance_export(instance, "_start");
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(start), &none, &none);
  int status = -1;
  bool exited = trap && orca_trap_exit_status(trap, &status);
  if (trap) wasm_trap_delete(trap);
  wasm_extern_delete(start);
  wasm_instance_delete(instance);

  /* Read back what the guest left. */
  wasm_byte_vec_t output, printed;
  error = wasi_memfs_read_file(fs, "output.txt", &output);
  wasi_env_stdout(env, &printed);
  const char* want = "HELLO FROM THE HOST FS!\n";
  if (!exited || status != 0) {
    fprintf(stderr, "the guest did not exit with 0 (status %d)\n", status);
  } else if (error) {
    fail("read output.txt", error);
    error = NULL;
  } else if (output.size != strlen(want) || memcmp(output.data, want, output.size) != 0 ||
             printed.size != output.size || memcmp(printed.data, output.data, output.size) != 0) {
    fprintf(stderr, "unexpected output: %.*s", (int)output.size, output.data);
  } else {
    printf("output.txt: %.*s", (int)output.size, output.data);
    result = 0;
  }
  if (error) orca_error_delete(error);
  wasm_byte_vec_delete(&output);
  wasm_byte_vec_delete(&printed);

  wasi_memfs_delete(fs);
  orca_linker_delete(linker);
  wasm_store_delete(store);  /* the guest's state (env) goes with the store */
  wasm_engine_delete(engine);
  return result;
}
