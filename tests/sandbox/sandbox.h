/* The sandbox boundary test (docs/security.md, "Memory isolation"): one program over the public
 * C API that runs every case in an engine with guard pages and in one with explicit bounds
 * checks, each compiling eagerly and lazily, and ends with "sandbox: N passed, N failed". This
 * header is the harness the case files share: counted checks, WAT compilation, instances with
 * exports by name, calls. */
#ifndef ORCA_SANDBOX_H
#define ORCA_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orca.h"

#define SB_PAGE 65536ull
#define SB_4GIB (1ull << 32)
#define SB_OOB_MEMORY "out of bounds memory access"
#define SB_OOB_TABLE "out of bounds table access"

/* The engine of the mode being run and its name for failure messages. */
typedef struct {
  wasm_engine_t* engine;
  const char* name;
  bool bounds_checks;
  bool lazy; /* ORCA_COMPILE_LAZY: functions compiled at the baseline tier on first call */
} sb_mode_t;
extern const sb_mode_t* sb_mode;

/* Counts a check; a failure prints where, the mode and the printf-style detail (the first 60
 * failures only: a broken bound fails thousands of calls alike). */
#define SB_CHECK(cond, ...)                                        \
  do {                                                             \
    if (cond) sb_pass();                                           \
    else sb_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);          \
  } while (0)
void sb_pass(void);
void sb_fail(const char* file, int line, const char* cond, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A note on stderr beside the counts (what a case reached, e.g. how far apart two memories lie). */
void sb_note(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing string for generated WAT text. */
typedef struct {
  char* data;
  size_t size, cap;
} sb_text_t;
void sb_append(sb_text_t* t, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_text_free(sb_text_t* t);

/* Compiles WAT text in the mode's engine; null, with a failed check naming the error, on failure. */
wasm_module_t* sb_compile(const char* wat);

/* An instance with its exports looked up by name. */
typedef struct {
  wasm_instance_t* instance;
  wasm_extern_vec_t exports;
  wasm_exporttype_vec_t types;
} sb_instance_t;
/* Instantiates `module` with `imports` (may be null); false, with a failed check, on failure. */
bool sb_instantiate(wasm_store_t* store, const wasm_module_t* module, wasm_extern_t* const* imports,
                    size_t nimports, sb_instance_t* out);
void sb_instance_delete(sb_instance_t* inst);
/* Borrowed from the instance; null, with a failed check, when there is no such export. */
wasm_func_t* sb_func(const sb_instance_t* inst, const char* name);
wasm_memory_t* sb_memory(const sb_instance_t* inst, const char* name);

/* What a call did: its results, or the trap's message. */
typedef struct {
  bool trapped;
  char message[128];
  wasm_val_t results[2];
} sb_outcome_t;
sb_outcome_t sb_call(const wasm_func_t* f, const wasm_val_t* args, size_t nargs, size_t nresults);
/* Calls a function of up to 3 i32 parameters (the first of a, b, c) and up to 2 results. */
sb_outcome_t sb_call_i32(const wasm_func_t* f, uint32_t a, uint32_t b, uint32_t c);
/* Records the trap (if any) in `o` and deletes it. */
void sb_take_trap(wasm_trap_t* trap, sb_outcome_t* o);
/* Instantiates `module` with its one import and deletes the instance: what happened, as a call's
 * outcome (a failure to instantiate is a trap; success leaves the message "instantiated"). */
sb_outcome_t sb_instantiate_outcome(wasm_store_t* store, const wasm_module_t* module, wasm_extern_t* import);
/* Whether the call trapped with exactly `message`. */
bool sb_trapped_with(const sb_outcome_t* o, const char* message);

/* A memory of the mode's store with these limits (max UINT32_MAX: none). */
wasm_memory_t* sb_memory_new(wasm_store_t* store, uint32_t min, uint32_t max);

/* Runs `check` on an instance of `module` (whose one import is a memory) with each of these
 * memories: 0 pages (max 0), 1 page (max 1), 3 pages (no max), and 2 pages grown by the host from
 * 1 (max 4). In bounds-checked mode a memory reserves only its maximum, so the first two have no
 * inaccessible pages after them: the compiled check is all that stands between them and the
 * next mapping. */
typedef void (*sb_memory_check_t)(const sb_instance_t* inst, wasm_memory_t* memory, const char* what);
void sb_on_imported_memories(wasm_store_t* store, const wasm_module_t* module, sb_memory_check_t check);

/* The cases, each run once per mode. */
void sb_memory_access_cases(void);
void sb_bulk_memory_cases(void);
void sb_memory_grow_cases(void);
void sb_table_cases(void);
void sb_isolation_cases(void);

#endif
