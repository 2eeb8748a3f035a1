/*
 * Calls between Ruby and wasm. Wasm runs without the GVL, so other Ruby threads run meanwhile,
 * and with an unblock function that interrupts the store, so Thread#kill, Thread#raise and
 * Timeout stop a guest. Host functions are Ruby blocks called with the GVL taken back; what a
 * block raises is caught, carried out through the guest as a trap, and raised again in the
 * caller (as the cause of an Orca::Trap).
 */
#include "orca_ext.h"
#include <ruby/thread.h>

/* Whether this thread runs wasm without the GVL (a host function must take it back), and the
 * innermost call into wasm of this thread (where a host block's exception waits). Ruby threads
 * are native threads, so thread-local storage follows them. */
static __thread bool gvl_released;
static __thread orb_call_frame* current_frame;

struct nogvl_call {
  orb_store* store;
  void* (*fn)(void*);
  void* data;
  volatile bool interrupted; /* the unblock function ran */
};

static void* run_released(void* arg) {
  struct nogvl_call* call = arg;
  bool previous = gvl_released;
  gvl_released = true;
  call->fn(call->data);
  gvl_released = previous;
  return NULL;
}

/* Ruby asks the thread to stop (Thread#kill, Thread#raise, a signal): interrupt the guest. It may
 * run in a signal handler; orca_store_interrupt is an atomic store on an interruptible engine. */
static void unblock(void* arg) {
  struct nogvl_call* call = arg;
  call->interrupted = true;
  orca_store_interrupt(call->store->store);
}

static VALUE run_nogvl(VALUE arg) {
  struct nogvl_call* call = (struct nogvl_call*)arg;
  bool interruptible = call->store && call->store->engine->interruptible;
  /* Without an unblock function a thread cannot be stopped while its guest runs; with one, Ruby
   * checks its interrupts before and after, and raises there (Timeout::Error, a kill). */
  rb_nogvl(run_released, call, interruptible ? unblock : NULL, call, RB_NOGVL_UBF_ASYNC_SAFE);
  return Qnil;
}

int orb_without_gvl(orb_store* store, void* (*fn)(void*), void* data, orb_call_frame* frame) {
  struct nogvl_call call = {store, fn, data, false};
  if (frame) {
    frame->prev = current_frame;
    frame->pending_exception = Qnil;
    frame->pending_state = 0;
    current_frame = frame;
  }
  if (store) store->active_calls++;
  int state = 0;
  rb_protect(run_nogvl, (VALUE)&call, &state);
  if (store) {
    if (--store->active_calls == 0) orb_store_release_deferred(store);
    /* A request the guest did not consume (it returned first) must not stop the next call. */
    if (call.interrupted && store->store) orca_store_interrupt_clear(store->store);
  }
  if (frame) current_frame = frame->prev;
  return state;
}

/* An Orca::Trap or Orca::Exit of a nested call that a host block let through. */
static bool is_nested_trap(VALUE exception) {
  return RTEST(rb_obj_is_kind_of(exception, orb_eTrap)) || RTEST(rb_obj_is_kind_of(exception, orb_eExit));
}

void orb_finish_call(orb_call_frame* frame, int state, wasm_trap_t* trap, orca_error_t* error) {
  if (error && !trap) {
    trap = orca_error_trap(error);
    if (trap) {
      orca_error_delete(error);
      error = NULL;
    }
  }
  /* A Ruby interrupt (Timeout::Error, Thread#kill) or a jump out of a host block (throw, kill)
   * wins over the trap that stopped the guest for it. */
  int jump = state ? state : frame->pending_state;
  if (jump) {
    if (trap) wasm_trap_delete(trap);
    if (error) orca_error_delete(error);
    rb_jump_tag(jump);
  }
  VALUE exception = frame->pending_exception;
  if (trap && !NIL_P(exception)) {
    if (is_nested_trap(exception)) {
      /* It goes on unchanged: its code, message and frames reach the outer caller. */
      wasm_trap_delete(trap);
      rb_exc_raise(exception);
    }
    orb_raise_trap(trap, exception);
  }
  if (trap) orb_raise_trap(trap, Qnil);
  if (error) orb_raise_error(error);
}

/* ---- host functions ---- */

typedef struct host_env {
  orb_store* store;
  long block_slot; /* the block's index in the store's keep array */
  bool wants_caller;
  size_t param_count, result_count;
  wasm_valkind_t kinds[]; /* params then results */
} host_env;

struct host_call {
  host_env* env;
  orca_caller_t* caller;
  const orca_val_raw_t* args;
  orca_val_raw_t* results;
  VALUE caller_obj;
  wasm_trap_t* trap;
};

VALUE orb_caller_new(VALUE store_obj, orca_caller_t* caller);
void orb_caller_invalidate(VALUE caller_obj);

static VALUE store_obj_of(host_env* env) {
  /* The store's Ruby object is the first entry of its keep array (see store.c). */
  return rb_ary_entry(env->store->keep, 0);
}

static VALUE host_invoke(VALUE arg) {
  struct host_call* call = (struct host_call*)arg;
  host_env* env = call->env;
  VALUE store_obj = store_obj_of(env);
  VALUE args = rb_ary_new_capa((long)env->param_count + 1);
  if (env->wants_caller) {
    call->caller_obj = orb_caller_new(store_obj, call->caller);
    rb_ary_push(args, call->caller_obj);
  }
  for (size_t i = 0; i < env->param_count; i++) {
    rb_ary_push(args, orb_raw_to_value(store_obj, &call->args[i], env->kinds[i]));
  }
  VALUE block = rb_ary_entry(env->store->keep, env->block_slot);
  VALUE result = rb_funcallv(block, rb_intern("call"), (int)RARRAY_LEN(args), RARRAY_CONST_PTR(args));
  const wasm_valkind_t* result_kinds = env->kinds + env->param_count;
  if (env->result_count == 1) {
    orb_value_to_raw(env->store, result, result_kinds[0], &call->results[0], 0);
  } else if (env->result_count > 1) {
    if (!RB_TYPE_P(result, T_ARRAY) || (size_t)RARRAY_LEN(result) != env->result_count) {
      rb_raise(rb_eTypeError, "a host function with %zu results must return an Array of %zu values, not %+" PRIsVALUE,
               env->result_count, env->result_count, result);
    }
    for (size_t i = 0; i < env->result_count; i++) {
      orb_value_to_raw(env->store, rb_ary_entry(result, (long)i), result_kinds[i], &call->results[i], i);
    }
  }
  RB_GC_GUARD(args);
  return Qnil;
}

static VALUE describe_exception(VALUE exception) {
  return rb_sprintf("%" PRIsVALUE ": %" PRIsVALUE, rb_class_name(rb_obj_class(exception)),
                    rb_funcall(exception, rb_intern("message"), 0));
}

static void* host_call_with_gvl(void* arg) {
  struct host_call* call = arg;
  call->caller_obj = Qnil;
  int state = 0;
  rb_protect(host_invoke, (VALUE)call, &state);
  if (!NIL_P(call->caller_obj)) orb_caller_invalidate(call->caller_obj);
  if (!state) return NULL;
  VALUE error = rb_errinfo();
  const char* fallback = "host function failed";
  VALUE message = Qnil;
  if (RTEST(rb_obj_is_kind_of(error, rb_eException))) {
    rb_set_errinfo(Qnil);
    if (current_frame && NIL_P(current_frame->pending_exception)) current_frame->pending_exception = error;
    int describe_state = 0;
    message = rb_protect(describe_exception, error, &describe_state);
    if (describe_state) {
      rb_set_errinfo(Qnil);
      message = Qnil;
    }
  } else {
    /* throw, Thread#kill: not an exception; the caller jumps on after the guest unwound. */
    if (current_frame && !current_frame->pending_state) current_frame->pending_state = state;
    fallback = "host function interrupted";
  }
  wasm_message_t text;
  const char* chars = NIL_P(message) ? fallback : StringValueCStr(message);
  wasm_name_new_from_string_nt(&text, chars);
  call->trap = wasm_trap_new(call->env->store->store, &text);
  wasm_byte_vec_delete(&text);
  return NULL;
}

static wasm_trap_t* host_trampoline(void* env, orca_caller_t* caller, const orca_val_raw_t* args,
                                    orca_val_raw_t* results) {
  struct host_call call = {env, caller, args, results, Qnil, NULL};
  if (gvl_released) {
    gvl_released = false;
    rb_thread_call_with_gvl(host_call_with_gvl, &call);
    gvl_released = true;
  } else {
    host_call_with_gvl(&call);
  }
  return call.trap;
}

static void host_env_free(void* env) {
  free(env);
}

static wasm_valtype_vec_t valtypes_of(VALUE kinds) {
  wasm_valtype_vec_t types;
  wasm_valtype_vec_new_uninitialized(&types, (size_t)RARRAY_LEN(kinds));
  for (long i = 0; i < RARRAY_LEN(kinds); i++) {
    types.data[i] = wasm_valtype_new(orb_kind_from_symbol(rb_ary_entry(kinds, i)));
  }
  return types;
}

wasm_func_t* orb_host_func_new(VALUE store_obj, VALUE params, VALUE results, VALUE block, bool wants_caller) {
  orb_store* store = orb_store_get(store_obj);
  Check_Type(params, T_ARRAY);
  Check_Type(results, T_ARRAY);
  if (!rb_respond_to(block, rb_intern("call"))) rb_raise(rb_eArgError, "a host function needs a block or a callable");
  size_t param_count = (size_t)RARRAY_LEN(params), result_count = (size_t)RARRAY_LEN(results);
  /* Check every kind before anything is allocated. */
  for (size_t i = 0; i < param_count; i++) orb_kind_from_symbol(rb_ary_entry(params, (long)i));
  for (size_t i = 0; i < result_count; i++) orb_kind_from_symbol(rb_ary_entry(results, (long)i));
  host_env* env = malloc(sizeof(host_env) + (param_count + result_count) * sizeof(wasm_valkind_t));
  if (!env) rb_memerror();
  env->store = store;
  env->block_slot = orb_store_keep(store, block);
  env->wants_caller = wants_caller;
  env->param_count = param_count;
  env->result_count = result_count;
  for (size_t i = 0; i < param_count; i++) env->kinds[i] = orb_kind_from_symbol(rb_ary_entry(params, (long)i));
  for (size_t i = 0; i < result_count; i++) {
    env->kinds[param_count + i] = orb_kind_from_symbol(rb_ary_entry(results, (long)i));
  }
  wasm_valtype_vec_t param_types = valtypes_of(params), result_types = valtypes_of(results);
  wasm_functype_t* type = wasm_functype_new(&param_types, &result_types);
  wasm_func_t* func = orca_func_new_with_caller(store->store, type, host_trampoline, env, host_env_free);
  wasm_functype_delete(type);
  if (!func) {
    free(env);
    rb_raise(orb_eError, "the host function could not be created");
  }
  return func;
}
