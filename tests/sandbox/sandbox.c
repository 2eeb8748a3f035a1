/* The harness of the sandbox boundary test and its main: each case file runs in an engine with
 * guard pages and in an engine with explicit bounds checks, each compiling eagerly and lazily
 * (sandbox.h). */
#define _POSIX_C_SOURCE 200809L
#include "sandbox.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const sb_mode_t* sb_mode;
static int passed, failed;
enum { kFailuresShown = 60 };

void sb_pass(void) { ++passed; }

void sb_fail(const char* file, int line, const char* cond, const char* fmt, ...) {
  if (++failed > kFailuresShown) return;
  fprintf(stderr, "%s:%d: [%s] check failed: %s: ", file, line, sb_mode ? sb_mode->name : "-", cond);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  if (failed == kFailuresShown) fprintf(stderr, "(further failures are counted, not shown)\n");
}

void sb_note(const char* fmt, ...) {
  fprintf(stderr, "[%s] ", sb_mode->name);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

void sb_append(sb_text_t* t, const char* fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->cap - t->size;
    int n = vsnprintf(t->data ? t->data + t->size : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) abort();
    if ((size_t)n < room) {
      t->size += (size_t)n;
      return;
    }
    t->cap = (t->cap + (size_t)n + 1) * 2;
    t->data = realloc(t->data, t->cap);
    if (!t->data) abort();
  }
}

void sb_text_free(sb_text_t* t) {
  free(t->data);
  *t = (sb_text_t){0};
}

static void error_text(orca_error_t* e, char* buf, size_t cap) {
  wasm_message_t m;
  orca_error_message(e, &m);
  snprintf(buf, cap, "%.*s", (int)m.size, m.data);
  wasm_byte_vec_delete(&m);
}

wasm_module_t* sb_compile(const char* wat) {
  wasm_byte_vec_t text, binary;
  wasm_byte_vec_new(&text, strlen(wat), wat);
  orca_error_t* e = orca_wat2wasm(&text, &binary);
  wasm_byte_vec_delete(&text);
  char message[512] = "";
  if (e) {
    error_text(e, message, sizeof message);
    orca_error_delete(e);
    SB_CHECK(false, "wat2wasm: %s", message);
    return NULL;
  }
  wasm_module_t* module = NULL;
  e = orca_module_new(sb_mode->engine, &binary, &module);
  wasm_byte_vec_delete(&binary);
  if (e) {
    error_text(e, message, sizeof message);
    orca_error_delete(e);
  }
  SB_CHECK(module != NULL, "compile: %s", message);
  return module;
}

bool sb_instantiate(wasm_store_t* store, const wasm_module_t* module, wasm_extern_t* const* imports,
                    size_t nimports, sb_instance_t* out) {
  memset(out, 0, sizeof *out);
  if (!module) return false;
  wasm_extern_vec_t import_vec = {nimports, (wasm_extern_t**)imports};
  wasm_trap_t* trap = NULL;
  out->instance = wasm_instance_new(store, module, &import_vec, &trap);
  sb_outcome_t o = {0};
  sb_take_trap(trap, &o);
  SB_CHECK(out->instance != NULL, "instantiate: %s", o.message);
  if (!out->instance) return false;
  wasm_instance_exports(out->instance, &out->exports);
  wasm_module_exports(module, &out->types);
  return true;
}

sb_outcome_t sb_instantiate_outcome(wasm_store_t* store, const wasm_module_t* module, wasm_extern_t* import) {
  wasm_extern_t* externs[] = {import};
  wasm_extern_vec_t imports = {1, externs};
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  sb_outcome_t o = {0};
  sb_take_trap(trap, &o);
  if (instance) {
    snprintf(o.message, sizeof o.message, "instantiated");
    wasm_instance_delete(instance);
  }
  return o;
}

void sb_instance_delete(sb_instance_t* inst) {
  if (!inst->instance) return;
  wasm_extern_vec_delete(&inst->exports);
  wasm_exporttype_vec_delete(&inst->types);
  wasm_instance_delete(inst->instance);
  memset(inst, 0, sizeof *inst);
}

static wasm_extern_t* export_named(const sb_instance_t* inst, const char* name) {
  size_t len = strlen(name);
  for (size_t i = 0; i < inst->types.size && i < inst->exports.size; i++) {
    const wasm_name_t* n = wasm_exporttype_name(inst->types.data[i]);
    if (n->size == len && memcmp(n->data, name, len) == 0) return inst->exports.data[i];
  }
  return NULL;
}

wasm_func_t* sb_func(const sb_instance_t* inst, const char* name) {
  wasm_extern_t* e = export_named(inst, name);
  wasm_func_t* f = e ? wasm_extern_as_func(e) : NULL;
  SB_CHECK(f != NULL, "no exported function %s", name);
  return f;
}

wasm_memory_t* sb_memory(const sb_instance_t* inst, const char* name) {
  wasm_extern_t* e = export_named(inst, name);
  wasm_memory_t* m = e ? wasm_extern_as_memory(e) : NULL;
  SB_CHECK(m != NULL, "no exported memory %s", name);
  return m;
}

sb_outcome_t sb_call(const wasm_func_t* f, const wasm_val_t* args, size_t nargs, size_t nresults) {
  sb_outcome_t o;
  memset(&o, 0, sizeof o);
  if (!f) {
    o.trapped = true;
    snprintf(o.message, sizeof o.message, "(no function)");
    return o;
  }
  wasm_val_vec_t arg_vec = {nargs, (wasm_val_t*)args};
  wasm_val_vec_t result_vec = {nresults, o.results};
  wasm_trap_t* trap = wasm_func_call(f, &arg_vec, &result_vec);
  sb_take_trap(trap, &o);
  return o;
}

void sb_take_trap(wasm_trap_t* trap, sb_outcome_t* o) {
  if (!trap) return;
  o->trapped = true;
  wasm_message_t m;
  wasm_trap_message(trap, &m);
  /* The message includes its NUL. */
  snprintf(o->message, sizeof o->message, "%.*s", (int)(m.size ? m.size - 1 : 0), m.data);
  wasm_byte_vec_delete(&m);
  wasm_trap_delete(trap);
}

sb_outcome_t sb_call_i32(const wasm_func_t* f, uint32_t a, uint32_t b, uint32_t c) {
  wasm_val_t args[3] = {WASM_I32_VAL((int32_t)a), WASM_I32_VAL((int32_t)b), WASM_I32_VAL((int32_t)c)};
  return sb_call(f, args, f ? wasm_func_param_arity(f) : 0, f ? wasm_func_result_arity(f) : 0);
}

bool sb_trapped_with(const sb_outcome_t* o, const char* message) {
  return o->trapped && strcmp(o->message, message) == 0;
}

wasm_memory_t* sb_memory_new(wasm_store_t* store, uint32_t min, uint32_t max) {
  wasm_limits_t limits = {min, max};
  wasm_memorytype_t* type = wasm_memorytype_new(&limits);
  wasm_memory_t* memory = wasm_memory_new(store, type);
  wasm_memorytype_delete(type);
  SB_CHECK(memory != NULL, "a memory of %u pages (max %u)", min, max);
  return memory;
}

void sb_on_imported_memories(wasm_store_t* store, const wasm_module_t* module, sb_memory_check_t check) {
  const struct {
    uint32_t min, max, grow;
    const char* what;
  } memories[] = {
      {0, 0, 0, "imported memory of 0 pages (max 0)"},
      {1, 1, 0, "imported memory of 1 page (max 1)"},
      {3, UINT32_MAX, 0, "imported memory of 3 pages (no max)"},
      {1, 4, 1, "imported memory grown from 1 to 2 pages (max 4)"},
  };
  for (size_t m = 0; m < sizeof memories / sizeof memories[0]; m++) {
    wasm_memory_t* memory = sb_memory_new(store, memories[m].min, memories[m].max);
    if (!memory) continue;
    if (memories[m].grow) SB_CHECK(wasm_memory_grow(memory, memories[m].grow), "the host grows a memory");
    wasm_extern_t* imports[] = {wasm_memory_as_extern(memory)};
    sb_instance_t inst;
    if (sb_instantiate(store, module, imports, 1, &inst)) {
      check(&inst, memory, memories[m].what);
      sb_instance_delete(&inst);
    }
    wasm_memory_delete(memory);
  }
}

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
  const char* name;
  void (*run)(void);
} sb_case_t;

static const sb_case_t cases[] = {
    {"memory-access", sb_memory_access_cases}, {"bulk-memory", sb_bulk_memory_cases},
    {"memory-grow", sb_memory_grow_cases},     {"table", sb_table_cases},
    {"isolation", sb_isolation_cases},
};

/* Whether argument `arg` names a case or an option; selects it. */
static bool select_argument(const char* arg, bool* case_selected, bool* eager, bool* lazy) {
  if (strcmp(arg, "--eager") == 0) return *eager = true;
  if (strcmp(arg, "--lazy") == 0) return *lazy = true;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (strcmp(arg, cases[i].name) == 0) return case_selected[i] = true;
  return false;
}

/* sandbox_test [--eager] [--lazy] [case...]: runs the named cases (all by default) in both memory
 * modes, compiling eagerly, lazily or (by default) both ways. ctest runs the two compile
 * strategies as two tests: lazily compiling every function one at a time is the slow half in
 * the sanitizer build. */
int main(int argc, char** argv) {
  enum { kCases = sizeof cases / sizeof cases[0] };
  bool case_selected[kCases] = {false}, eager = false, lazy = false, any_case = false;
  for (int a = 1; a < argc; a++) {
    if (!select_argument(argv[a], case_selected, &eager, &lazy)) {
      fprintf(stderr, "sandbox_test: unknown case or option %s\n", argv[a]);
      return 2;
    }
  }
  for (size_t i = 0; i < kCases; i++) any_case |= case_selected[i];
  if (!eager && !lazy) eager = lazy = true;
  /* Each memory mode with eager compilation (the optimising tier) and with lazy compilation
   * (each function compiled at the baseline tier on its first call, and its code registered
   * with the signal handler then). */
  sb_mode_t modes[] = {
      {NULL, "guard pages", false, false},
      {NULL, "bounds checks", true, false},
      {NULL, "guard pages, lazy", false, true},
      {NULL, "bounds checks, lazy", true, true},
  };
  for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
    if (modes[m].lazy ? !lazy : !eager) continue;
    wasm_config_t* config = wasm_config_new();
    orca_config_bounds_checks_set(config, modes[m].bounds_checks);
    orca_config_compile_strategy_set(config, modes[m].lazy ? ORCA_COMPILE_LAZY : ORCA_COMPILE_EAGER);
    modes[m].engine = wasm_engine_new_with_config(config);
    sb_mode = &modes[m];
    SB_CHECK(sb_mode->engine != NULL, "engine");
    if (!sb_mode->engine) continue;
    for (size_t i = 0; i < kCases; i++) {
      if (any_case && !case_selected[i]) continue;
      int passed_before = passed, failed_before = failed;
      double start = seconds();
      cases[i].run();
      fprintf(stderr, "[%s] %s: %d passed, %d failed, %.2f s\n", sb_mode->name, cases[i].name, passed - passed_before,
              failed - failed_before, seconds() - start);
    }
    wasm_engine_delete(modes[m].engine);
  }
  printf("sandbox: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
