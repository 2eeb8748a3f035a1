/*
 * The Ruby extension's shared declarations: the C structs behind Orca's Ruby objects, their
 * TypedData types, and the helpers the files of the extension share.
 *
 * Lifetimes. GC may free objects that die together in any order, so the C objects that others
 * depend on (an engine for its stores and modules, a store for its functions, memories, ...) are
 * reference counted here: a Ruby object holds one reference to what it needs, and the C object
 * is deleted with its last reference. Each Ruby object also marks the Ruby object it depends on,
 * so that the dependency stays reachable while it is reachable.
 */
#ifndef ORCA_RUBY_EXT_H
#define ORCA_RUBY_EXT_H

#include <ruby.h>
#include <stdbool.h>
#include <wasi.h>

/* An engine, shared by its Ruby object, its stores and its modules. */
typedef struct orb_engine {
  wasm_engine_t* engine;
  long refs;
  bool interruptible;
} orb_engine;

/* A store, shared by its Ruby object and every object living in it. `store` is null once the
 * store is closed. `keep` is a Ruby array of what wasm code may reach through the store (host
 * blocks, externref values), indexed by the numbers the C side holds instead of VALUEs, so that
 * compaction may move them. */
typedef struct orb_store {
  wasm_store_t* store;
  orb_engine* engine;
  VALUE engine_obj;
  VALUE keep;
  VALUE externref_index; /* identity Hash: Ruby object => its wasm_foreign_t's index in keep */
  long refs;
  int active_calls; /* calls into wasm in progress, on any thread */
  /* References released (Instance#close) while a call ran, which C code of the call may still
   * use; deleted when the last call returns (orb_store_release_deferred). */
  wasm_ref_t** deferred;
  size_t deferred_count, deferred_capacity;
} orb_store;

/* What every object living in a store holds. */
typedef struct orb_item {
  orb_store* store;
  VALUE store_obj;
} orb_item;

/* A function, memory, global, table or instance: one C reference of its kind, null once released
 * (Instance#close), after which every use raises Orca::Error. */
typedef struct orb_extern {
  orb_item item;
  wasm_ref_t* ref;
  /* Functions only: the parameter and result kinds, read once. */
  size_t param_count, result_count;
  wasm_valkind_t* kinds; /* params then results */
} orb_extern;

extern VALUE orb_mOrca, orb_cEngine, orb_cStore, orb_cModule, orb_cInstance, orb_cFunc, orb_cMemory,
    orb_cGlobal, orb_cTable, orb_cLinker, orb_cCaller, orb_cVal;
extern VALUE orb_eError, orb_eTrap, orb_eLinkError, orb_eExit;
extern const rb_data_type_t orb_engine_type, orb_store_type, orb_func_type, orb_memory_type, orb_global_type,
    orb_table_type, orb_instance_type;

/* engine.c */
void orb_engine_unref(orb_engine* engine);
orb_engine* orb_engine_get(VALUE obj);
void orb_init_engine(void);

/* store.c */
orb_store* orb_store_get(VALUE obj); /* raises Orca::Error when closed */
void orb_store_unref(orb_store* store);
void orb_item_init(orb_item* item, VALUE store_obj);
void orb_item_release(orb_item* item);
wasm_store_t* orb_item_store(const orb_item* item); /* raises Orca::Error when closed */
long orb_store_keep(orb_store* store, VALUE value);
/* Deletes `ref` now, or when the store's last call returns if a call runs. */
void orb_store_release(orb_store* store, wasm_ref_t* ref);
void orb_store_release_deferred(orb_store* store); /* once no call runs */
void orb_init_store(void);

/* errors.c */
NORETURN(void orb_raise_error(orca_error_t* error)); /* takes the error */
NORETURN(void orb_raise_trap(wasm_trap_t* trap, VALUE cause)); /* takes the trap */
VALUE orb_error_kind_symbol(orca_error_kind_t kind);
void orb_check_error(orca_error_t* error); /* raises and frees a non-null error */
void orb_init_errors(void);

/* values.c: Ruby values to raw slots and back. */
void orb_value_to_raw(orb_store* store, VALUE value, wasm_valkind_t kind, orca_val_raw_t* out, size_t position);
VALUE orb_raw_to_value(VALUE store_obj, const orca_val_raw_t* raw, wasm_valkind_t kind);
wasm_valkind_t orb_kind_from_symbol(VALUE symbol);
VALUE orb_kind_symbol(wasm_valkind_t kind);
VALUE orb_externtype_to_value(const wasm_externtype_t* type);
VALUE orb_wrap_extern(VALUE store_obj, wasm_extern_t* ext); /* takes the extern */
void orb_byte_vec_from_string(wasm_byte_vec_t* out, VALUE string);
void orb_init_values(void);

/* call.c: calls into wasm without the GVL, host functions with it. */
typedef struct orb_call_frame {
  struct orb_call_frame* prev;
  volatile VALUE pending_exception; /* what a host block raised */
  int pending_state;                /* a non-exception jump (throw, Thread#kill) out of a host block */
} orb_call_frame;
/* Runs `fn(data)` without the GVL, interrupting `store` (null: nothing to interrupt) when Ruby
 * asks the thread to stop. Never raises: returns the state of a pending Ruby interrupt (a raise,
 * a kill) for the caller to pass to rb_jump_tag after freeing what it holds, or 0. */
int orb_without_gvl(orb_store* store, void* (*fn)(void*), void* data, orb_call_frame* frame);
/* After a call: takes the trap and error and raises, in this order, a Ruby interrupt (`state`),
 * a jump out of a host block, what a host block raised (as the cause of an Orca::Trap), the
 * trap or the error. Returns when there is nothing to raise. */
void orb_finish_call(orb_call_frame* frame, int state, wasm_trap_t* trap, orca_error_t* error);
wasm_func_t* orb_host_func_new(VALUE store_obj, VALUE params, VALUE results, VALUE block, bool wants_caller);
void orb_init_call(void);

/* externs.c */
orb_extern* orb_extern_get(VALUE obj, const rb_data_type_t* type); /* raises when closed or released */
VALUE orb_extern_wrap(VALUE store_obj, wasm_ref_t* ref, wasm_externkind_t kind);
void orb_init_externs(void);

void orb_init_module(void);
void orb_init_linker(void);
void orb_init_func(void);

#endif
