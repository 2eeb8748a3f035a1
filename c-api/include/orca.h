/*
 * Orca's extensions to the standard WebAssembly C API (wasm.h): what embedders need and the
 * standard lacks. Names are orca_<noun>_<verb>; `own` has wasm.h's meaning.
 *
 * Contents: errors as objects; traps' codes and exit statuses; engine configuration (optimisation
 * level, bounds checks, fuel, interruption, WebAssembly features, a module cache directory); fuel,
 * interruption, a deadline and limits of a store; the raw call path; compiling with a reason on
 * failure; the name-based linker; wat2wasm; the version. WASI is in wasi.h.
 */
#ifndef ORCA_ORCA_H
#define ORCA_ORCA_H

#include "wasm.h"

/* wasm.h drops `own` after itself in C++; this header needs it again. */
#ifndef own
#define own
#define ORCA_H_UNDEF_OWN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Errors: a kind and a message                                                               */

typedef struct orca_error_t orca_error_t;

/* The spec's kinds of failure, plus I/O, unsupported features, a guest's exit and Orca's own
 * failures. New kinds are added at the end, so the values stay. */
typedef uint8_t orca_error_kind_t;
enum orca_error_kind_enum {
  ORCA_ERROR_MALFORMED,      /* bytes or text that are not a module */
  ORCA_ERROR_INVALID,        /* a module that does not validate */
  ORCA_ERROR_UNLINKABLE,     /* imports that do not resolve or match */
  ORCA_ERROR_UNINSTANTIABLE, /* instantiation failed */
  ORCA_ERROR_TRAP,           /* execution trapped */
  ORCA_ERROR_EXHAUSTION,     /* stack or resources exhausted */
  ORCA_ERROR_IO,             /* a file could not be read or written */
  ORCA_ERROR_UNSUPPORTED,    /* a feature Orca does not implement, or a switch that is off */
  ORCA_ERROR_EXIT,           /* the guest exited (WASI proc_exit); orca_error_exit_status */
  ORCA_ERROR_INTERNAL,       /* Orca failed itself (LLVM could not verify, compile or link the code
                                it generated): a bug to report, never a property of the module */
};

WASM_API_EXTERN void orca_error_delete(own orca_error_t*);
WASM_API_EXTERN orca_error_kind_t orca_error_kind(const orca_error_t*);
/* The message, starting with the spec's wording ("unexpected end", "type mismatch"); NUL-terminated.
 * It never holds the position: orca_error_offset and orca_error_position give that. */
WASM_API_EXTERN void orca_error_message(const orca_error_t*, own wasm_message_t* out);
/* True when the error has a position: a byte offset in the binary, or in the text for orca_wat2wasm. */
WASM_API_EXTERN bool orca_error_offset(const orca_error_t*, size_t* offset);
/* True for an error in the text format (orca_wat2wasm): its 1-based line and column in the text.
 * Columns count characters (UTF-8 code points); a line ends at LF, CR or CR LF. */
WASM_API_EXTERN bool orca_error_position(const orca_error_t*, uint32_t* line, uint32_t* column);
/* True for ORCA_ERROR_EXIT, with the guest's exit status in *status. */
WASM_API_EXTERN bool orca_error_exit_status(const orca_error_t*, int* status);
/* The trap behind an error of kind TRAP, EXHAUSTION or EXIT from a call or an instantiation (its
 * message and frames), or null. */
WASM_API_EXTERN own wasm_trap_t* orca_error_trap(const orca_error_t*);

/* ---------------------------------------------------------------------------------------- */
/* Traps                                                                                      */

typedef uint8_t orca_trap_code_t;
enum orca_trap_code_enum {
  ORCA_TRAP_UNREACHABLE,                 /* "unreachable" */
  ORCA_TRAP_MEMORY_OUT_OF_BOUNDS,        /* "out of bounds memory access" */
  ORCA_TRAP_TABLE_OUT_OF_BOUNDS,         /* "out of bounds table access" */
  ORCA_TRAP_UNDEFINED_ELEMENT,           /* "undefined element" */
  ORCA_TRAP_UNINITIALIZED_ELEMENT,       /* "uninitialized element" */
  ORCA_TRAP_INDIRECT_CALL_TYPE_MISMATCH, /* "indirect call type mismatch" */
  ORCA_TRAP_INTEGER_DIVIDE_BY_ZERO,      /* "integer divide by zero" */
  ORCA_TRAP_INTEGER_OVERFLOW,            /* "integer overflow" */
  ORCA_TRAP_INVALID_CONVERSION,          /* "invalid conversion to integer" */
  ORCA_TRAP_STACK_EXHAUSTED,             /* "call stack exhausted" */
  ORCA_TRAP_OUT_OF_FUEL,                 /* "all fuel consumed" */
  ORCA_TRAP_INTERRUPTED,                 /* "interrupted" (orca_store_interrupt or a deadline) */
  ORCA_TRAP_HOST_ERROR,                  /* a host function failed; the message is the host's */
  ORCA_TRAP_EXIT,                        /* the guest exited: "exit status N" */
};

/* What the trap was; ORCA_TRAP_HOST_ERROR also for traps a host made with wasm_trap_new. */
WASM_API_EXTERN orca_trap_code_t orca_trap_code(const wasm_trap_t*);
/* True when the guest exited (WASI proc_exit), with the status in *status. */
WASM_API_EXTERN bool orca_trap_exit_status(const wasm_trap_t*, int* status);
/* The frame's function name from the module's name section (not NUL-terminated), or empty. */
WASM_API_EXTERN void orca_frame_func_name(const wasm_frame_t*, own wasm_name_t* out);

/* ---------------------------------------------------------------------------------------- */
/* Engine configuration (before wasm_engine_new_with_config)                                  */

/* 0..3; 2 by default. */
WASM_API_EXTERN void orca_config_opt_level_set(wasm_config_t*, uint8_t level);
/* When a module's functions are compiled. ORCA_COMPILE_EAGER (the default): all of them when the
 * module is made, at the optimisation level. ORCA_COMPILE_LAZY: each on its first call, at a
 * tier that compiles fast and runs slower, so a large module is ready almost at once;
 * wasm_module_serialize then compiles the whole module, and a cache miss writes no entry.
 * ORCA_COMPILE_TIERED: as lazy, and a function that gets hot (calls plus loop iterations reach
 * the tier-up threshold) is compiled again at the optimisation level on a background thread;
 * calls made after that run the optimised code (a call already running finishes in the first). */
typedef uint8_t orca_compile_strategy_t;
enum orca_compile_strategy_enum { ORCA_COMPILE_EAGER = 0, ORCA_COMPILE_LAZY = 1, ORCA_COMPILE_TIERED = 2 };
WASM_API_EXTERN void orca_config_compile_strategy_set(wasm_config_t*, orca_compile_strategy_t strategy);
/* ORCA_COMPILE_TIERED: calls plus loop iterations of a function after which it is tiered up;
 * 10000 by default, 0 counts as 1. */
WASM_API_EXTERN void orca_config_tier_up_threshold_set(wasm_config_t*, uint32_t count);
/* Functions compiled on their first call (ORCA_COMPILE_LAZY, ORCA_COMPILE_TIERED) and tiered up
 * (ORCA_COMPILE_TIERED: optimised code in use) by the engine so far. Either pointer may be null. */
WASM_API_EXTERN void orca_engine_tier_stats(const wasm_engine_t*, uint64_t* baseline, uint64_t* optimized);
/* Compare every memory access with the size instead of relying on guard pages. */
WASM_API_EXTERN void orca_config_bounds_checks_set(wasm_config_t*, bool enable);
/* Compile fuel metering: a store then starts with no fuel, and running out traps
 * "all fuel consumed". */
WASM_API_EXTERN void orca_config_consume_fuel_set(wasm_config_t*, bool enable);
/* Compile interruption checks, so that orca_store_interrupt stops running code. */
WASM_API_EXTERN void orca_config_interruptible_set(wasm_config_t*, bool enable);

/* WebAssembly features (proposals). The WebAssembly 2.0 ones are on by default; turning one off
 * makes modules that use it invalid ("... requires the <feature> feature"). Turning on one Orca
 * does not implement fails with ORCA_ERROR_UNSUPPORTED. */
typedef uint8_t orca_feature_t;
enum orca_feature_enum {
  ORCA_FEATURE_MUTABLE_GLOBALS,    /* import/export of mutable globals */
  ORCA_FEATURE_SATURATING_FLOAT_TO_INT,
  ORCA_FEATURE_SIGN_EXTENSION,
  ORCA_FEATURE_MULTI_VALUE,
  ORCA_FEATURE_BULK_MEMORY,
  ORCA_FEATURE_REFERENCE_TYPES,
  ORCA_FEATURE_SIMD,
  ORCA_FEATURE_THREADS,            /* not implemented */
  ORCA_FEATURE_MEMORY64,           /* not implemented */
  ORCA_FEATURE_TAIL_CALL,          /* not implemented */
  ORCA_FEATURE_EXCEPTIONS,         /* not implemented */
  ORCA_FEATURE_GC,                 /* not implemented */
};
WASM_API_EXTERN own orca_error_t* orca_config_feature_set(wasm_config_t*, orca_feature_t feature, bool enable);

/* Engine limits on what a module may declare: they bound what a small crafted module can make the
 * compiler spend ("compile bombs"). A module over a limit is refused by wasm_module_new,
 * wasm_module_validate and wasm_module_deserialize with ORCA_ERROR_UNSUPPORTED "limit <name>
 * exceeded: <what> is <value> (the limit is <limit>)": it is valid WebAssembly that this
 * configuration will not compile. The defaults are the web's limits where it has one, but for
 * types. What the defaults still allow, in time and memory, at each optimisation level, and
 * settings for untrusted modules: docs/security.md, "Denial of service by the compiler". */
typedef uint8_t orca_limit_t;
enum orca_limit_enum {
  ORCA_LIMIT_MODULE_BYTES,          /* module-bytes: the binary's size, 1 GiB */
  ORCA_LIMIT_TYPES,                 /* types: 4,000 */
  ORCA_LIMIT_FUNCTIONS,             /* functions, imported and defined: 1,000,000 */
  ORCA_LIMIT_IMPORTS,               /* imports: 100,000 */
  ORCA_LIMIT_EXPORTS,               /* exports: 100,000 */
  ORCA_LIMIT_GLOBALS,               /* globals, imported and defined: 1,000,000 */
  ORCA_LIMIT_TABLES,                /* tables, imported and defined: 100,000 */
  ORCA_LIMIT_DATA_SEGMENTS,         /* data-segments: 100,000 */
  ORCA_LIMIT_PARAMS,                /* params of one function type: 1,000 */
  ORCA_LIMIT_RESULTS,               /* results of one function type: 1,000 */
  ORCA_LIMIT_FUNCTION_BODY_BYTES,   /* function-body-bytes, local declarations included: 7,654,321 */
  ORCA_LIMIT_LOCALS,                /* locals of one function, parameters included: 50,000 */
  ORCA_LIMIT_NESTING_DEPTH,         /* nesting-depth: blocks, loops and ifs open at once: 10,000 */
  ORCA_LIMIT_BR_TABLE_TARGETS,      /* br-table-targets of one br_table, default included: 65,520 */
};
/* Sets one limit (UINT64_MAX: none); ORCA_ERROR_UNSUPPORTED for an unknown limit. */
WASM_API_EXTERN own orca_error_t* orca_config_limit_set(wasm_config_t*, orca_limit_t limit, uint64_t value);
/* The limit's current value (the default until set); 0 for an unknown limit or a null config. */
WASM_API_EXTERN uint64_t orca_config_limit_get(const wasm_config_t*, orca_limit_t limit);

/* The module cache. Off unless turned on here; the orca command and the bindings' default
 * engines turn it on in the user's directory (orca_config_cache_default).
 *
 * Keep compiled code in `directory` (created if missing, private to the user), keyed by a hash
 * of the module's bytes, Orca's version, LLVM's version, the CPU and every switch that changes
 * code: compiling the same module again loads it instead. A damaged or stale entry is ignored and
 * replaced. A directory that cannot be created or written never fails a compile: the entry is
 * not written (orca_engine_cache_stats counts it). Several processes may share one directory.
 * NULL turns the cache off. */
WASM_API_EXTERN void orca_config_cache_dir_set(wasm_config_t*, const char* directory);
/* Turns the cache on in the user's cache directory (orca_cache_default_dir). False, and the
 * cache left as it was, when the environment names none (no HOME). */
WASM_API_EXTERN bool orca_config_cache_default(wasm_config_t*);
/* After writing an entry, the least recently used entries are removed while the directory holds
 * more than `max_bytes` (down to 90% of it); an entry larger than the cap is not written.
 * UINT64_MAX for no cap. */
#define ORCA_CACHE_DEFAULT_MAX_BYTES ((uint64_t)512 << 20)
WASM_API_EXTERN void orca_config_cache_max_bytes_set(wasm_config_t*, uint64_t max_bytes);
/* What the engine's cache did so far; any pointer may be NULL. hits: modules loaded from it;
 * misses: compiled (no usable entry); rejected: entries refused (damaged, stale) and replaced;
 * write_failures: entries that could not be written; evicted: entries removed to stay under
 * the cap. */
WASM_API_EXTERN void orca_engine_cache_stats(const wasm_engine_t*, uint64_t* hits, uint64_t* misses,
                                             uint64_t* rejected, uint64_t* write_failures, uint64_t* evicted);
/* The user's cache directory, without a terminating NUL: $ORCA_CACHE_DIR if set, else
 * $XDG_CACHE_HOME/orca (absolute only), else $HOME/.cache/orca. False when none is known. */
WASM_API_EXTERN bool orca_cache_default_dir(own wasm_byte_vec_t* out);
/* The number and total size of the entries in a cache directory (a missing one is empty). Other
 * files are not counted. ORCA_ERROR_IO when it cannot be read. */
WASM_API_EXTERN own orca_error_t* orca_cache_usage(const char* directory, uint64_t* entries, uint64_t* bytes);
/* Removes every cache entry (and unfinished temporary file) of the directory and nothing else;
 * `removed` (may be NULL) counts the entries. ORCA_ERROR_IO when one cannot be removed. */
WASM_API_EXTERN own orca_error_t* orca_cache_clean(const char* directory, uint64_t* removed);

/* ---------------------------------------------------------------------------------------- */
/* Stores                                                                                     */

/* Fuel; an error of kind ORCA_ERROR_UNSUPPORTED when the engine does not meter fuel. */
WASM_API_EXTERN own orca_error_t* orca_store_fuel_set(wasm_store_t*, uint64_t fuel);
WASM_API_EXTERN own orca_error_t* orca_store_fuel_get(const wasm_store_t*, uint64_t* fuel);
/* Asks code running in the store to trap "interrupted" at its next check; callable from any
 * thread. The request stays pending until a check consumes it. An error of kind
 * ORCA_ERROR_UNSUPPORTED when the engine compiles no checks. */
WASM_API_EXTERN own orca_error_t* orca_store_interrupt(wasm_store_t*);
/* Withdraws a pending request of orca_store_interrupt (or of a deadline that passed) that no
 * running code consumed yet, so that the next call is not interrupted by it. */
WASM_API_EXTERN void orca_store_interrupt_clear(wasm_store_t*);

/*
 * Frees, with their memories, tables, globals and functions, the store's instances that nothing
 * keeps, and returns how many. An instance is kept while a handle of it or of an object it
 * defined (an export) exists (deleting every handle is the signal: wasm_instance_delete,
 * wasm_extern_vec_delete, ...), while a linker defines one of its exports, while a trap's frame
 * names it, and while a kept instance, or a table or global the host made, reaches it: by
 * importing what it defined, or through a funcref or externref in a table, a global or a passive
 * element segment. wasm_instance_new and orca_linker_instantiate collect by themselves when the
 * store has grown to twice what it kept at the last collection; call this to free at once (at the
 * end of a request). Returns 0 without collecting when called from a host function (wasm frames
 * of the store are running). Objects the host made (wasm_func_new, wasm_memory_new, ...) and
 * foreign objects live as long as the store.
 */
WASM_API_EXTERN size_t orca_store_collect(wasm_store_t*);

/* The instances in the store: live ones, and unreachable ones that no collection freed yet. */
WASM_API_EXTERN size_t orca_store_instance_count(const wasm_store_t*);
/* orca_store_interrupt for a signal handler (an embedder's timer signal, e.g. the one behind PHP's
 * max_execution_time): async-signal-safe, as it allocates nothing and takes no lock; it does
 * nothing when the engine compiles no checks or the store is null. */
WASM_API_EXTERN void orca_store_interrupt_from_signal(wasm_store_t*);
/* Interrupts the store `timeout_ns` nanoseconds from now, as orca_store_interrupt would (the
 * code then traps with ORCA_TRAP_INTERRUPTED); a new deadline replaces the previous one, 0 clears
 * it. A deadline that passes while no code runs leaves the request pending. ORCA_ERROR_UNSUPPORTED
 * when the engine compiles no checks. */
WASM_API_EXTERN own orca_error_t* orca_store_deadline_set(wasm_store_t*, uint64_t timeout_ns);

/*
 * Limits of what the store may hold; a negative value leaves that limit unchanged. A memory may
 * not grow past `memory_bytes` (rounded down to whole pages; memory.grow returns -1 and
 * wasm_memory_grow false), a table past `table_elements`; creating or instantiating past a
 * count fails (wasm_instance_new reports a trap). The counts are of live objects: a store frees
 * unreachable instances (orca_store_collect) before it refuses a new one.
 */
WASM_API_EXTERN void orca_store_limits_set(wasm_store_t*, int64_t memory_bytes, int64_t table_elements,
                                           int64_t instances, int64_t tables, int64_t memories);

/* ---------------------------------------------------------------------------------------- */
/* The raw call path: no allocation, no checks of kinds                                        */

#ifdef __cplusplus
#define ORCA_ALIGN16 alignas(16)
#else
#define ORCA_ALIGN16 _Alignas(16)
#endif

/* One 16-byte slot; the function's types say which member is meant. A reference is the value
 * orca_ref_to_raw made (null for ref.null). A raw reference keeps nothing alive: turn one that a
 * call returned into a reference (orca_ref_from_raw) before the store next instantiates or
 * collects (orca_store_collect), which may free the instance it names. */
typedef union orca_val_raw_t {
  int32_t i32;
  int64_t i64;
  float32_t f32;
  float64_t f64;
  ORCA_ALIGN16 uint8_t v128[16];
  void* ref;
} orca_val_raw_t;

/*
 * Calls `func` with its arguments in `args_and_results`, which receives the results from slot 0.
 * `size` must be at least max(parameters, results), else the call traps without running. Kinds
 * are not checked: the caller knows the function's type. Returns the trap, or null.
 */
WASM_API_EXTERN own wasm_trap_t* orca_func_call_unchecked(const wasm_func_t* func, orca_val_raw_t* args_and_results,
                                                          size_t size);
/* A reference as a raw funcref (a function of `store`) or externref (any reference) slot; false
 * when it cannot be one. */
WASM_API_EXTERN bool orca_ref_to_raw(wasm_store_t* store, const wasm_ref_t* ref, wasm_valkind_t kind, void** out);
/* A raw funcref or externref slot as a new reference (null for ref.null). */
WASM_API_EXTERN own wasm_ref_t* orca_ref_from_raw(wasm_store_t* store, void* raw, wasm_valkind_t kind);
/* A global's value as a raw slot, every type (v128 too). */
WASM_API_EXTERN void orca_global_get_raw(const wasm_global_t*, orca_val_raw_t* out);
/* Sets a mutable global from a raw slot of its type; false for a const global. */
WASM_API_EXTERN bool orca_global_set_raw(wasm_global_t*, const orca_val_raw_t* value);

/* ---------------------------------------------------------------------------------------- */
/* Host functions that know their caller                                                      */

/* Who called a host function: the store, and the instance whose code made the call (its exports
 * give the guest's memory, or functions to call back). Valid during that call only. */
typedef struct orca_caller_t orca_caller_t;

/* A host function on the raw path: `args` holds one slot per parameter, `results` one per result
 * (orca_val_raw_t, as orca_func_call_unchecked; references as orca_ref_to_raw makes them). Return
 * null, or a trap to fail (wasm_trap_new; a trap of a nested call passed on keeps its code). */
typedef own wasm_trap_t* (*orca_func_callback_with_caller_t)(void* env, orca_caller_t* caller,
                                                            const orca_val_raw_t* args, orca_val_raw_t* results);

/* wasm_func_new_with_env whose callback also gets its caller. */
WASM_API_EXTERN own wasm_func_t* orca_func_new_with_caller(wasm_store_t*, const wasm_functype_t*,
                                                           orca_func_callback_with_caller_t callback, void* env,
                                                           void (*finalizer)(void*));

/*
 * The fastest host function: nothing lies between wasm and it but the spill of the arguments.
 * `args_and_results` holds one slot per parameter and receives the results from slot 0, as in
 * orca_func_call_unchecked: a result overwrites an argument, so read the arguments first. `count`
 * is max(parameters, results), the slots the array has. Nothing is allocated, converted or
 * copied per call, and the caller lives on the stack of the call (valid during it only). Return
 * null, or a trap to fail (wasm_trap_new; a trap of a nested call passed on keeps its code). The
 * callback may call wasm functions of its store (reentrancy) and may interrupt its store.
 */
typedef own wasm_trap_t* (*orca_func_callback_raw_t)(void* env, orca_caller_t* caller,
                                                     orca_val_raw_t* args_and_results, size_t count);
/* A host function whose callback is orca_func_callback_raw_t; `finalizer(env)` runs when the store
 * is deleted (or at once when the function cannot be made: null store, callback or type). */
WASM_API_EXTERN own wasm_func_t* orca_func_new_raw(wasm_store_t*, const wasm_functype_t*,
                                                   orca_func_callback_raw_t callback, void* env,
                                                   void (*finalizer)(void*));
/* The store the call runs in. */
WASM_API_EXTERN wasm_store_t* orca_caller_store(const orca_caller_t*);
/* The calling instance, or null when the host called the function itself (wasm_func_call,
 * orca_func_call_unchecked) rather than wasm code through an import. */
WASM_API_EXTERN own wasm_instance_t* orca_caller_instance(const orca_caller_t*);
/* The calling instance's export `name` (NUL-terminated), or null: no such export, or no calling
 * instance. */
WASM_API_EXTERN own wasm_extern_t* orca_caller_export(const orca_caller_t*, const char* name);

/* ---------------------------------------------------------------------------------------- */
/* Modules and text                                                                           */

/* A module belongs to the engine that compiled it: every store of that engine may instantiate it,
 * a store of another engine refuses it (ORCA_ERROR_UNLINKABLE). So these take the engine, where
 * wasm.h's wasm_module_new, _deserialize and _validate take a store (and use its engine). */

/* wasm_module_new that says why it failed (kind MALFORMED, INVALID or UNSUPPORTED). */
WASM_API_EXTERN own orca_error_t* orca_module_new(wasm_engine_t*, const wasm_byte_vec_t* binary,
                                                  own wasm_module_t** out);
/* wasm_module_deserialize that says why it failed: ORCA_ERROR_MALFORMED for data that is not an
 * artifact or is damaged, ORCA_ERROR_UNSUPPORTED for one made by another Orca, LLVM, CPU or engine
 * configuration (compile the wasm again). Artifacts start with the 8 bytes "\0orcamod". */
WASM_API_EXTERN own orca_error_t* orca_module_deserialize(wasm_engine_t*, const wasm_byte_vec_t* artifact,
                                                          own wasm_module_t** out);
/* wasm_module_validate that says why a module is not valid (kind MALFORMED or INVALID). */
WASM_API_EXTERN own orca_error_t* orca_module_validate(wasm_engine_t*, const wasm_byte_vec_t* binary);
/* Translates the text format to a binary module. */
WASM_API_EXTERN own orca_error_t* orca_wat2wasm(const wasm_byte_vec_t* text, own wasm_byte_vec_t* out);

/* ---------------------------------------------------------------------------------------- */
/* The linker: definitions by module and name, instantiation by name                          */

/* Names are NUL-terminated UTF-8. A linker belongs to one store: it defines that store's objects
 * and instantiates into it. Deleting the linker leaves what it created in the store. A definition
 * of an object an instance defined keeps that instance (orca_store_collect) while the linker lives. */
typedef struct orca_linker_t orca_linker_t;

WASM_API_EXTERN own orca_linker_t* orca_linker_new(wasm_store_t*);
WASM_API_EXTERN void orca_linker_delete(own orca_linker_t*);
/* Whether a second definition of a name replaces the first (else it is ORCA_ERROR_UNLINKABLE). */
WASM_API_EXTERN void orca_linker_allow_shadowing(orca_linker_t*, bool allow);
/* Defines an extern of the linker's store. */
WASM_API_EXTERN own orca_error_t* orca_linker_define(orca_linker_t*, const char* module, const char* name,
                                                     const wasm_extern_t* item);
/* Creates a host function (as wasm_func_new_with_env) and defines it. */
WASM_API_EXTERN own orca_error_t* orca_linker_define_func(orca_linker_t*, const char* module, const char* name,
                                                          const wasm_functype_t* type,
                                                          wasm_func_callback_with_env_t callback, void* env,
                                                          void (*finalizer)(void*));
/* Defines every export of `instance` under `module`. */
WASM_API_EXTERN own orca_error_t* orca_linker_define_instance(orca_linker_t*, const char* module,
                                                              const wasm_instance_t* instance);
/* The definition of module/name, or null. */
WASM_API_EXTERN own wasm_extern_t* orca_linker_get(const orca_linker_t*, const char* module, const char* name);
/* Instantiates `module`, resolving its imports by name. Errors: ORCA_ERROR_UNLINKABLE naming the
 * import ("unknown import: \"env\" \"log\" (func (i32) -> ())"); ORCA_ERROR_UNINSTANTIABLE; a trap
 * of the start function (ORCA_ERROR_TRAP, EXHAUSTION or EXIT; orca_error_trap gives it). */
WASM_API_EXTERN own orca_error_t* orca_linker_instantiate(const orca_linker_t*, const wasm_module_t* module,
                                                          own wasm_instance_t** out);

/* ---------------------------------------------------------------------------------------- */
/* Instances and calls with errors                                                            */

/* An export of `instance` by name, or null. */
WASM_API_EXTERN own wasm_extern_t* orca_instance_export(const wasm_instance_t*, const char* name);

/* "0.1.0" */
WASM_API_EXTERN const char* orca_version(void);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#ifdef ORCA_H_UNDEF_OWN
#undef own
#undef ORCA_H_UNDEF_OWN
#endif

#endif /* ORCA_ORCA_H */
