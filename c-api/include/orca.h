/*
 * Orca's extensions to the standard WebAssembly C API (wasm.h): what embedders need and the
 * standard lacks. Names are orca_<noun>_<verb>; `own` has wasm.h's meaning.
 *
 * This is the first part of orca.h: errors as objects, compile-time switches of the engine
 * (optimisation level, bounds checks, fuel, interruption), fuel, interruption and limits of a store,
 * the raw call path, compiling with a reason on failure, wat2wasm, and the version. The linker,
 * WASI configuration and the module cache follow.
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

/* The spec's kinds of failure, plus I/O and unsupported features. */
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
};

WASM_API_EXTERN void orca_error_delete(own orca_error_t*);
WASM_API_EXTERN orca_error_kind_t orca_error_kind(const orca_error_t*);
/* The message, starting with the spec's wording ("unexpected end", "type mismatch"); NUL-terminated. */
WASM_API_EXTERN void orca_error_message(const orca_error_t*, own wasm_message_t* out);

/* ---------------------------------------------------------------------------------------- */
/* Engine configuration (before wasm_engine_new_with_config)                                  */

/* 0..3; 2 by default. */
WASM_API_EXTERN void orca_config_opt_level_set(wasm_config_t*, uint8_t level);
/* Compare every memory access with the size instead of relying on guard pages. */
WASM_API_EXTERN void orca_config_bounds_checks_set(wasm_config_t*, bool enable);
/* Compile fuel metering: a store then starts with no fuel, and running out traps
 * "all fuel consumed". */
WASM_API_EXTERN void orca_config_consume_fuel_set(wasm_config_t*, bool enable);
/* Compile interruption checks, so that orca_store_interrupt stops running code. */
WASM_API_EXTERN void orca_config_interruptible_set(wasm_config_t*, bool enable);

/* ---------------------------------------------------------------------------------------- */
/* Stores                                                                                     */

/* Fuel; an error of kind ORCA_ERROR_UNSUPPORTED when the engine does not meter fuel. */
WASM_API_EXTERN own orca_error_t* orca_store_fuel_set(wasm_store_t*, uint64_t fuel);
WASM_API_EXTERN own orca_error_t* orca_store_fuel_get(const wasm_store_t*, uint64_t* fuel);
/* Asks code running in the store to trap "interrupted" at its next check; callable from any
 * thread. The request stays pending until a check consumes it. An error of kind
 * ORCA_ERROR_UNSUPPORTED when the engine compiles no checks. */
WASM_API_EXTERN own orca_error_t* orca_store_interrupt(wasm_store_t*);

/*
 * Limits of what the store may hold; a negative value leaves that limit unchanged. A memory may
 * not grow past `memory_bytes` (rounded down to whole pages; memory.grow returns -1 and
 * wasm_memory_grow false), a table past `table_elements`; creating or instantiating past a
 * count fails (wasm_instance_new reports a trap).
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
 * orca_ref_to_raw made (null for ref.null). */
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

/* ---------------------------------------------------------------------------------------- */
/* Modules and text                                                                           */

/* wasm_module_new that says why it failed (kind MALFORMED, INVALID or UNSUPPORTED). */
WASM_API_EXTERN own orca_error_t* orca_module_new(wasm_store_t*, const wasm_byte_vec_t* binary,
                                                  own wasm_module_t** out);
/* Translates the text format to a binary module. */
WASM_API_EXTERN own orca_error_t* orca_wat2wasm(const wasm_byte_vec_t* text, own wasm_byte_vec_t* out);

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
