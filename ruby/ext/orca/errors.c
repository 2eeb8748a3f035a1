/* Orca's errors and traps as Ruby exceptions (the classes are defined in lib/orca/errors.rb). */
#include "orca_ext.h"

static const char* const error_kinds[] = {
    "malformed", "invalid", "unlinkable", "uninstantiable", "trap", "exhaustion", "io", "unsupported", "exit", "internal",
};

static const char* const trap_codes[] = {
    "unreachable",          "memory_out_of_bounds",     "table_out_of_bounds", "undefined_element",
    "uninitialized_element", "indirect_call_type_mismatch", "integer_divide_by_zero", "integer_overflow",
    "invalid_conversion",   "stack_exhausted",          "out_of_fuel",         "interrupted",
    "host_error",           "exit",
};

VALUE orb_error_kind_symbol(orca_error_kind_t kind) {
  if (kind >= sizeof error_kinds / sizeof error_kinds[0]) return ID2SYM(rb_intern("internal"));
  return ID2SYM(rb_intern(error_kinds[kind]));
}

static VALUE trap_code_symbol(orca_trap_code_t code) {
  if (code >= sizeof trap_codes / sizeof trap_codes[0]) return ID2SYM(rb_intern("host_error"));
  return ID2SYM(rb_intern(trap_codes[code]));
}

/* A wasm_name_t or wasm_message_t as a Ruby string, without a terminating NUL. */
static VALUE name_to_string(const wasm_name_t* name) {
  size_t size = name->size;
  if (size > 0 && name->data[size - 1] == '\0') size--;
  return rb_utf8_str_new(name->data, (long)size);
}

static VALUE frames_of(const wasm_trap_t* trap) {
  VALUE frame_class = rb_const_get(orb_mOrca, rb_intern("Frame"));
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  VALUE list = rb_ary_new_capa((long)frames.size);
  for (size_t i = 0; i < frames.size; i++) {
    const wasm_frame_t* frame = frames.data[i];
    wasm_name_t name;
    orca_frame_func_name(frame, &name);
    VALUE func_name = name.size > 0 ? rb_utf8_str_new(name.data, (long)name.size) : Qnil;
    wasm_byte_vec_delete(&name);
    rb_ary_push(list, rb_funcall(frame_class, rb_intern("new"), 4, UINT2NUM(wasm_frame_func_index(frame)), func_name,
                                 SIZET2NUM(wasm_frame_module_offset(frame)), SIZET2NUM(wasm_frame_func_offset(frame))));
  }
  wasm_frame_vec_delete(&frames);
  return list;
}

/* Kernel#raise with a cause, which the C API has no argument for. */
NORETURN(static void raise_with_cause(VALUE exception, VALUE cause));
static void raise_with_cause(VALUE exception, VALUE cause) {
  if (NIL_P(cause)) rb_exc_raise(exception);
  VALUE options = rb_hash_new();
  rb_hash_aset(options, ID2SYM(rb_intern("cause")), cause);
  VALUE args[2] = {exception, options};
  rb_funcallv_kw(rb_mKernel, rb_intern("raise"), 2, args, RB_PASS_KEYWORDS);
  UNREACHABLE;
}

/* The exception for a trap: Orca::Exit for a guest's exit, else Orca::Trap. */
static VALUE trap_exception(const wasm_trap_t* trap, VALUE kind) {
  int status = 0;
  if (orca_trap_exit_status(trap, &status)) {
    return rb_funcall(orb_eExit, rb_intern("new"), 1, INT2NUM(status));
  }
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  VALUE text = name_to_string(&message);
  wasm_byte_vec_delete(&message);
  VALUE options = rb_hash_new();
  rb_hash_aset(options, ID2SYM(rb_intern("code")), trap_code_symbol(orca_trap_code(trap)));
  rb_hash_aset(options, ID2SYM(rb_intern("frames")), frames_of(trap));
  rb_hash_aset(options, ID2SYM(rb_intern("kind")), kind);
  VALUE args[2] = {text, options};
  return rb_funcallv_kw(orb_eTrap, rb_intern("new"), 2, args, RB_PASS_KEYWORDS);
}

struct trap_request {
  const wasm_trap_t* trap;
  VALUE kind;
};

static VALUE build_trap_exception(VALUE arg) {
  const struct trap_request* request = (const struct trap_request*)arg;
  return trap_exception(request->trap, request->kind);
}

static VALUE delete_trap(VALUE arg) {
  wasm_trap_delete((wasm_trap_t*)arg);
  return Qnil;
}

/* Builds the exception, deleting the trap whatever happens. */
static VALUE take_trap(wasm_trap_t* trap, VALUE kind) {
  struct trap_request request = {trap, kind};
  return rb_ensure(build_trap_exception, (VALUE)&request, delete_trap, (VALUE)trap);
}

void orb_raise_trap(wasm_trap_t* trap, VALUE cause) {
  raise_with_cause(take_trap(trap, ID2SYM(rb_intern("trap"))), cause);
}

void orb_raise_error(orca_error_t* error) {
  orca_error_kind_t kind = orca_error_kind(error);
  wasm_trap_t* trap = orca_error_trap(error);
  if (trap) {
    orca_error_delete(error);
    rb_exc_raise(take_trap(trap, orb_error_kind_symbol(kind)));
  }
  wasm_message_t message;
  orca_error_message(error, &message);
  VALUE text = name_to_string(&message);
  wasm_byte_vec_delete(&message);
  size_t offset = 0;
  VALUE offset_value = orca_error_offset(error, &offset) ? SIZET2NUM(offset) : Qnil;
  orca_error_delete(error);
  VALUE klass = kind == ORCA_ERROR_UNLINKABLE ? orb_eLinkError : orb_eError;
  VALUE options = rb_hash_new();
  rb_hash_aset(options, ID2SYM(rb_intern("kind")), orb_error_kind_symbol(kind));
  rb_hash_aset(options, ID2SYM(rb_intern("offset")), offset_value);
  VALUE args[2] = {text, options};
  rb_exc_raise(rb_funcallv_kw(klass, rb_intern("new"), 2, args, RB_PASS_KEYWORDS));
}

void orb_check_error(orca_error_t* error) {
  if (error) orb_raise_error(error);
}

void orb_init_errors(void) {
  orb_eError = rb_const_get(orb_mOrca, rb_intern("Error"));
  orb_eTrap = rb_const_get(orb_mOrca, rb_intern("Trap"));
  orb_eLinkError = rb_const_get(orb_mOrca, rb_intern("LinkError"));
  orb_eExit = rb_const_get(orb_mOrca, rb_intern("Exit"));
}
