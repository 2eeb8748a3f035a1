/* Shared by the C API tests: assertions that count, and loading the test modules.
 * Every test takes the folder of the compiled test modules as its first argument, prints one
 * line per failed check and a closing "N passed, N failed" line, and exits non-zero on any
 * failure. */
#ifndef ORCA_TEST_CHECK_H
#define ORCA_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orca.h"

/* Whether this test runs under AddressSanitizer, whose quarantine keeps freed memory (up to
 * 256 MB): a resident-memory check says nothing about Orca's there. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef UNDER_ADDRESS_SANITIZER
#define UNDER_ADDRESS_SANITIZER 0
#endif

static int check_passed, check_failed;
static const char* check_module_dir = ".";

#define CHECK(cond)                                                                \
  do {                                                                             \
    if (cond) {                                                                    \
      ++check_passed;                                                              \
    } else {                                                                       \
      ++check_failed;                                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
    }                                                                              \
  } while (0)

/* Fatal: later checks cannot run without it. Evaluates `cond` once (it may create objects). */
#define REQUIRE(cond)                                                              \
  do {                                                                             \
    int require_ok_ = (cond) ? 1 : 0;                                              \
    CHECK(require_ok_ && #cond);                                                   \
    if (!require_ok_) return check_finish();                                       \
  } while (0)

/* REQUIRE for helper functions that return nothing. */
#define REQUIRE_VOID(cond)                                                         \
  do {                                                                             \
    int require_ok_ = (cond) ? 1 : 0;                                              \
    CHECK(require_ok_ && #cond);                                                   \
    if (!require_ok_) return;                                                      \
  } while (0)

static inline int check_finish(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

static inline void check_init(int argc, char** argv) {
  if (argc > 1) check_module_dir = argv[1];
}

/* Reads <dir>/<name>.wasm into `out` (empty when unreadable). */
static inline void check_read_module(const char* name, wasm_byte_vec_t* out) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.wasm", check_module_dir, name);
  wasm_byte_vec_new_empty(out);
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  if (fread(out->data, 1, (size_t)size, f) != (size_t)size) {
    wasm_byte_vec_delete(out);
    wasm_byte_vec_new_empty(out);
  }
  fclose(f);
}

static inline wasm_module_t* check_load(wasm_store_t* store, const char* name) {
  wasm_byte_vec_t binary;
  check_read_module(name, &binary);
  wasm_module_t* module = binary.size ? wasm_module_new(store, &binary) : NULL;
  wasm_byte_vec_delete(&binary);
  return module;
}

/* Whether the trap's message (which includes its NUL) is `expected`; deletes the trap. */
static inline int check_trap_is(wasm_trap_t* trap, const char* expected) {
  if (!trap) return 0;
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  int ok = message.size == strlen(expected) + 1 && memcmp(message.data, expected, message.size) == 0;
  if (!ok) fprintf(stderr, "trap message: %.*s (expected %s)\n", (int)message.size, message.data, expected);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
  return ok;
}

/* The export at `index` as a function (borrowed from `exports`). */
static inline wasm_func_t* check_export_func(const wasm_extern_vec_t* exports, size_t index) {
  return index < exports->size ? wasm_extern_as_func(exports->data[index]) : NULL;
}

/* A trap with message `text`, as a failing host callback returns it. */
static inline wasm_trap_t* check_new_trap(wasm_store_t* store, const char* text) {
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, text);
  wasm_trap_t* trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  return trap;
}

/* An instance of `module`, whose one import is `import`; null, with a failed check, when
 * instantiation fails. */
static inline wasm_instance_t* check_instantiate_with(wasm_store_t* store, const wasm_module_t* module,
                                                      wasm_func_t* import) {
  wasm_extern_t* externs[] = {wasm_func_as_extern(import)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  return instance;
}

/* Translates `text` (orca.h) and compiles it in the store's engine; null, with failed checks, when either fails. */
static inline wasm_module_t* check_compile_wat(wasm_store_t* store, const char* text) {
  wasm_byte_vec_t wat, wasm;
  wasm_byte_vec_new(&wat, strlen(text), text);
  orca_error_t* error = orca_wat2wasm(&wat, &wasm);
  wasm_byte_vec_delete(&wat);
  CHECK(error == NULL);
  if (error) orca_error_delete(error);
  wasm_module_t* module = wasm_module_new(store, &wasm);
  CHECK(module != NULL);
  wasm_byte_vec_delete(&wasm);
  return module;
}

#endif
