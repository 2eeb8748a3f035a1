/* orca.h's linker: definitions by name (functions, memories, globals, whole instances),
 * instantiation by name with errors that name the import, shadowing, lookups; trap codes and
 * errors that carry the trap of a start function; orca_module_validate. */
#include "check.h"
#include "wasi.h"

/* Checks kind and exact message, then deletes the error. */
static int error_equals(orca_error_t* error, orca_error_kind_t kind, const char* text) {
  if (!error) return 0;
  wasm_message_t message;
  orca_error_message(error, &message);
  int ok = orca_error_kind(error) == kind && strcmp(message.data, text) == 0;
  if (!ok) fprintf(stderr, "error %d: %s (expected %d: %s)\n", orca_error_kind(error), message.data, kind, text);
  wasm_byte_vec_delete(&message);
  orca_error_delete(error);
  return ok;
}

static int add_calls;
static wasm_trap_t* add(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  add_calls += *(int*)env;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
  return NULL;
}

static int finalized;
static void finalize(void* env) { finalized += *(int*)env; }

static const char* importer_wat =
    "(module"
    "  (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))"
    "  (import \"lib\" \"mem\" (memory 1))"
    "  (import \"lib\" \"g\" (global i32))"
    "  (func (export \"run\") (param i32) (result i32)"
    "    (i32.add (call $add (local.get 0) (global.get 0)) (i32.load8_u (i32.const 0))))"
    "  (func (export \"div\") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))";

static const char* lib_wat =
    "(module (memory (export \"mem\") 1) (global (export \"g\") i32 (i32.const 100))"
    "  (data (i32.const 0) \"\\07\"))";

/* host.reenter calls the guest's "quit" export (which exits, or traps) and passes its trap on. */
static wasm_func_t* quit_func;
static wasm_trap_t* reenter(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)env, (void)args, (void)results;
  return wasm_func_call(quit_func, NULL, NULL);
}

/* An exit inside a nested call (guest -> host -> guest -> proc_exit) reaches the outer caller as
 * an exit, with its status, through the host callback that passed the trap on. */
static void nested_exit(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  orca_linker_t* linker = orca_linker_new(store);
  CHECK(orca_linker_define_wasi(linker, wasi_config_new(), NULL) == NULL);
  wasm_functype_t* type = wasm_functype_new_0_0();
  CHECK(orca_linker_define_func(linker, "host", "reenter", type, reenter, NULL, NULL) == NULL);
  wasm_functype_delete(type);
  wasm_module_t* module = check_compile_wat(store,
      "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))"
      "  (import \"host\" \"reenter\" (func $reenter))"
      "  (memory (export \"memory\") 1)"
      "  (func (export \"quit\") (call $exit (i32.const 7)))"
      "  (func (export \"div\") (drop (i32.div_s (i32.const 1) (i32.const 0))))"
      "  (func (export \"outer\") (call $reenter) unreachable))");
  wasm_instance_t* instance = NULL;
  CHECK(module && orca_linker_instantiate(linker, module, &instance) == NULL);
  if (instance) {
    wasm_extern_t* quit = orca_instance_export(instance, "quit");
    wasm_extern_t* outer = orca_instance_export(instance, "outer");
    quit_func = wasm_extern_as_func(quit);
    wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(outer), NULL, NULL);
    int status = -1;
    CHECK(trap && orca_trap_code(trap) == ORCA_TRAP_EXIT && orca_trap_exit_status(trap, &status) && status == 7);
    if (trap) wasm_trap_delete(trap);
    /* Any nested trap keeps its code and message through the callback. */
    wasm_extern_t* div = orca_instance_export(instance, "div");
    quit_func = wasm_extern_as_func(div);
    trap = wasm_func_call(wasm_extern_as_func(outer), NULL, NULL);
    CHECK(trap && orca_trap_code(trap) == ORCA_TRAP_INTEGER_DIVIDE_BY_ZERO);
    if (trap) {
      wasm_message_t message;
      wasm_trap_message(trap, &message);
      CHECK(strcmp(message.data, "integer divide by zero") == 0);
      wasm_byte_vec_delete(&message);
      wasm_trap_delete(trap);
    }
    wasm_extern_delete(div);
    wasm_extern_delete(quit);
    wasm_extern_delete(outer);
    wasm_instance_delete(instance);
  }
  wasm_module_delete(module);
  orca_linker_delete(linker);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  orca_linker_t* linker = orca_linker_new(store);
  REQUIRE(linker != NULL);

  /* A whole instance under one module name. */
  wasm_module_t* lib_module = check_compile_wat(store, lib_wat);
  wasm_instance_t* lib = wasm_instance_new(store, lib_module, NULL, NULL);
  REQUIRE(lib != NULL);
  CHECK(orca_linker_define_instance(linker, "lib", lib) == NULL);
  wasm_extern_t* mem = orca_linker_get(linker, "lib", "mem");
  CHECK(mem && wasm_extern_kind(mem) == WASM_EXTERN_MEMORY);
  CHECK(orca_linker_get(linker, "lib", "nothing") == NULL);

  /* A missing import is named, with its type. */
  wasm_module_t* module = check_compile_wat(store, importer_wat);
  wasm_instance_t* instance = NULL;
  CHECK(error_equals(orca_linker_instantiate(linker, module, &instance), ORCA_ERROR_UNLINKABLE,
                     "unknown import: \"env\" \"add\" (func (i32 i32) -> (i32))"));
  CHECK(instance == NULL);

  /* A host function with an environment and a finalizer. */
  static int weight = 1, fin_weight = 10;
  wasm_functype_t* add_type = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
  CHECK(orca_linker_define_func(linker, "env", "add", add_type, add, &weight, NULL) == NULL);
  /* A second definition is refused and its environment finalized at once. */
  CHECK(error_equals(orca_linker_define_func(linker, "env", "add", add_type, add, &fin_weight, finalize),
                     ORCA_ERROR_UNLINKABLE, "duplicate definition of \"env\" \"add\""));
  CHECK(finalized == 10);
  CHECK(error_equals(orca_linker_define(linker, "lib", "mem", mem), ORCA_ERROR_UNLINKABLE,
                     "duplicate definition of \"lib\" \"mem\""));
  orca_linker_allow_shadowing(linker, true);
  CHECK(orca_linker_define(linker, "lib", "mem", mem) == NULL);
  orca_linker_allow_shadowing(linker, false);

  REQUIRE(orca_linker_instantiate(linker, module, &instance) == NULL);
  REQUIRE(instance != NULL);
  wasm_extern_t* run = orca_instance_export(instance, "run");
  CHECK(orca_instance_export(instance, "absent") == NULL);
  REQUIRE(run != NULL);
  wasm_val_t args_data[1] = {WASM_I32_VAL(5)};
  wasm_val_t results_data[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(args_data), results = WASM_ARRAY_VEC(results_data);
  CHECK(wasm_func_call(wasm_extern_as_func(run), &args, &results) == NULL);
  CHECK(results_data[0].of.i32 == 5 + 100 + 7);
  CHECK(add_calls == 1);

  /* Trap codes. */
  wasm_extern_t* div = orca_instance_export(instance, "div");
  args_data[0].of.i32 = 0;
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(div), &args, &results);
  REQUIRE(trap != NULL);
  CHECK(orca_trap_code(trap) == ORCA_TRAP_INTEGER_DIVIDE_BY_ZERO);
  int status = -1;
  CHECK(!orca_trap_exit_status(trap, &status) && status == -1);
  wasm_trap_delete(trap);
  wasm_message_t text;
  wasm_name_new_from_string_nt(&text, "made by the host");
  trap = wasm_trap_new(store, &text);
  CHECK(orca_trap_code(trap) == ORCA_TRAP_HOST_ERROR);
  wasm_trap_delete(trap);
  wasm_byte_vec_delete(&text);

  /* A failing start function: the error carries the trap. */
  wasm_module_t* starter = check_compile_wat(store, "(module (func $start unreachable) (start $start))");
  wasm_instance_t* none = NULL;
  orca_error_t* error = orca_linker_instantiate(linker, starter, &none);
  REQUIRE(error != NULL);
  CHECK(orca_error_kind(error) == ORCA_ERROR_TRAP && none == NULL);
  CHECK(!orca_error_exit_status(error, &status));
  trap = orca_error_trap(error);
  REQUIRE(trap != NULL);
  CHECK(orca_trap_code(trap) == ORCA_TRAP_UNREACHABLE);
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  CHECK(frames.size == 1);
  if (frames.size == 1) {
    wasm_name_t name;
    orca_frame_func_name(frames.data[0], &name);
    CHECK(name.size == 5 && memcmp(name.data, "start", 5) == 0);
    wasm_byte_vec_delete(&name);
  }
  wasm_frame_vec_delete(&frames);
  wasm_trap_delete(trap);
  orca_error_delete(error);

  /* A link error carries no trap. */
  wasm_module_t* empty = check_compile_wat(store, "(module)");
  error = orca_linker_instantiate(linker, empty, &none);
  CHECK(error == NULL && none != NULL);
  wasm_instance_delete(none);
  wasm_module_delete(empty);

  /* Globals through raw slots: v128 too, and a const global refuses a set. */
  wasm_module_t* globals = check_compile_wat(store,
      "(module (global (export \"v\") (mut v128) (v128.const i32x4 1 2 3 4))"
      "  (global (export \"c\") i64 (i64.const -5)))");
  wasm_instance_t* globals_instance = globals ? wasm_instance_new(store, globals, NULL, NULL) : NULL;
  CHECK(globals_instance != NULL);
  if (globals_instance) {
    wasm_extern_t* v = orca_instance_export(globals_instance, "v");
    wasm_extern_t* c = orca_instance_export(globals_instance, "c");
    orca_val_raw_t raw;
    orca_global_get_raw(wasm_extern_as_global(v), &raw);
    int32_t lanes[4];
    memcpy(lanes, raw.v128, sizeof lanes);
    CHECK(lanes[0] == 1 && lanes[3] == 4);
    lanes[0] = 9;
    memcpy(raw.v128, lanes, sizeof lanes);
    CHECK(orca_global_set_raw(wasm_extern_as_global(v), &raw));
    orca_val_raw_t again;
    orca_global_get_raw(wasm_extern_as_global(v), &again);
    CHECK(memcmp(again.v128, raw.v128, 16) == 0);
    orca_global_get_raw(wasm_extern_as_global(c), &raw);
    CHECK(raw.i64 == -5);
    raw.i64 = 1;
    CHECK(!orca_global_set_raw(wasm_extern_as_global(c), &raw));
    wasm_extern_delete(v);
    wasm_extern_delete(c);
    wasm_instance_delete(globals_instance);
  }
  wasm_module_delete(globals);

  /* Validation with a reason. */
  wasm_byte_vec_t bad;
  wasm_byte_vec_new(&bad, 8, "\0asm\x02\0\0\0");
  error = orca_module_validate(engine, &bad);
  size_t offset = 0;
  CHECK(orca_error_offset(error, &offset) && offset == 4);
  CHECK(error_equals(error, ORCA_ERROR_MALFORMED, "unknown binary version"));
  error = orca_linker_define(linker, "m", "n", NULL);
  CHECK(!orca_error_offset(error, &offset));
  orca_error_delete(error);
  wasm_byte_vec_delete(&bad);

  wasm_extern_delete(div);
  wasm_extern_delete(run);
  wasm_extern_delete(mem);
  wasm_functype_delete(add_type);
  wasm_instance_delete(instance);
  wasm_instance_delete(lib);
  wasm_module_delete(starter);
  wasm_module_delete(module);
  wasm_module_delete(lib_module);
  orca_linker_delete(linker);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  nested_exit();
  return check_finish();
}
