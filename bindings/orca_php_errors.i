/*
 * Orca's errors and traps as PHP exceptions: Orca\Trap (code: the trap's kind; frames), Orca\Exit
 * (status), Orca\LinkError, and Orca\Exception (code: the error's kind) for everything else; each
 * with getKind(). The exception a PHP host function threw travels through the guest as a trap and
 * comes back as the previous exception of the Orca\Trap its caller gets.
 */

%{
/* The exception a PHP host function threw, held from the moment it became a trap until the call
 * that ran it throws Orca\Trap: that Orca\Trap takes it as its previous exception. */
static zend_object* orca_host_exception;

/* Hands the held host exception, if any, to the exception just thrown as its previous one. */
static void orca_attach_host_exception(void) {
  if (!orca_host_exception) return;
  if (EG(exception)) {
    zend_exception_set_previous(EG(exception), orca_host_exception);
  } else {
    OBJ_RELEASE(orca_host_exception);
  }
  orca_host_exception = NULL;
}

/* Whether PHP is leaving the script (exit(), or a fatal error such as the memory limit, inside a
 * host function): that internal exception must stay pending and nothing may be thrown over it. */
static bool orca_php_exiting(void) {
  return EG(exception) && (zend_is_unwind_exit(EG(exception)) || zend_is_graceful_exit(EG(exception)));
}

/* orca.h's error kinds by name, in the order of orca_error_kind_enum. */
static const char* const orca_kind_names[] = {"malformed", "invalid", "unlinkable", "uninstantiable", "trap",
                                              "exhaustion", "io", "unsupported", "exit", "internal"};

static const char* orca_kind_name(orca_error_kind_t kind) {
  return kind < sizeof orca_kind_names / sizeof orca_kind_names[0] ? orca_kind_names[kind] : "internal";
}

/* Throws an exception of class `ce` with this message, code and kind name. */
static zend_object* orca_throw(zend_class_entry* ce, const char* message, zend_long code, const char* kind) {
  zend_object* exception = zend_throw_exception(ce, message, code);
  zend_update_property_string(orca_ce_exception, exception, "kind", sizeof("kind") - 1, kind);
  return exception;
}

/* The trap's wasm frames, innermost first, as a list of Orca\Frame. */
static void orca_trap_frames(const wasm_trap_t* trap, zval* out) {
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  array_init_size(out, (uint32_t)frames.size);
  static const char* const names[] = {"funcIndex", "funcName", "moduleOffset", "funcOffset"};
  for (size_t i = 0; i < frames.size; ++i) {
    const wasm_frame_t* frame = frames.data[i];
    wasm_name_t name;
    orca_frame_func_name(frame, &name);
    zval values[4], item;
    ZVAL_LONG(&values[0], wasm_frame_func_index(frame));
    if (name.size) ZVAL_STRINGL(&values[1], name.data, name.size);
    else ZVAL_NULL(&values[1]);
    ZVAL_LONG(&values[2], (zend_long)wasm_frame_module_offset(frame));
    ZVAL_LONG(&values[3], (zend_long)wasm_frame_func_offset(frame));
    wasm_byte_vec_delete(&name);
    bool made = orca_php_object("orca\\frame", NULL, &item, 4, names, values);
    zval_ptr_dtor(&values[1]);
    if (!made) break;
    add_next_index_zval(out, &item);
  }
  wasm_frame_vec_delete(&frames);
}

/* Keeps a copy of the trap in the exception: a PHP host function that lets the exception of a
 * nested call escape passes that very trap on (orca_php_passed_trap), code and message intact. */
static void orca_keep_trap(zend_object* exception, const wasm_trap_t* trap) {
  zval handle;
  ZVAL_NULL(&handle); /* SWIG_SetPointerZval fills an object it finds in place */
  SWIG_SetPointerZval(&handle, (void*)wasm_trap_copy(trap), SWIGTYPE_p_wasm_trap_t, 1);
  zend_update_property(orca_ce_exception, exception, "trap", sizeof("trap") - 1, &handle);
  zval_ptr_dtor(&handle);
}

/* The trap an Orca\Trap or Orca\Exit thrown by this extension came from, as a new copy; null for
 * any other exception. */
static wasm_trap_t* orca_php_passed_trap(zend_object* exception) {
  if (!instanceof_function(exception->ce, orca_ce_exception)) return NULL;
  zval rv;
  zval* handle = zend_read_property(orca_ce_exception, exception, "trap", sizeof("trap") - 1, 1, &rv);
  void* trap = NULL;
  if (Z_TYPE_P(handle) != IS_OBJECT || SWIG_ConvertPtr(handle, &trap, SWIGTYPE_p_wasm_trap_t, 0) < 0) return NULL;
  return wasm_trap_copy((const wasm_trap_t*)trap);
}

/* Throws Orca\Trap for `trap` (Orca\Exit for a guest's proc_exit) with `kind`; the trap is only
 * read. */
static void orca_throw_trap_as(const wasm_trap_t* trap, const char* message, const char* kind) {
  int status = 0;
  if (orca_trap_exit_status(trap, &status)) {
    orca_keep_trap(orca_throw(orca_ce_exit, message, status, "exit"), trap);
    return;
  }
  /* The frames are made before the exception is thrown. */
  zval frames;
  orca_trap_frames(trap, &frames);
  zend_object* exception = orca_throw(orca_ce_trap, message, orca_trap_code(trap), kind);
  zend_update_property(orca_ce_trap, exception, "frames", sizeof("frames") - 1, &frames);
  zval_ptr_dtor(&frames);
  orca_keep_trap(exception, trap);
}

/* Throws `error` (and deletes it): Orca\Trap with the trap's code for traps and exhaustion,
 * Orca\Exit with the guest's status, Orca\LinkError for imports that do not resolve, and
 * Orca\Exception with the error's kind as its code for everything else. */
static void orca_throw_error(orca_error_t* error) {
  if (orca_php_exiting()) {
    orca_error_delete(error);
    return;
  }
  if (orca_php_bailout_pending) {
    /* A host function's fatal error (a start function's, during instantiation) goes on to PHP. */
    orca_error_delete(error);
    orca_php_resume_bailout();
  }
  wasm_message_t message;
  orca_error_message(error, &message);
  const char* text = message.size ? message.data : "";
  orca_error_kind_t kind = orca_error_kind(error);
  int status = 0;
  wasm_trap_t* trap = NULL;
  if (orca_error_exit_status(error, &status)) {
    orca_throw(orca_ce_exit, text, status, "exit");
  } else if ((kind == ORCA_ERROR_TRAP || kind == ORCA_ERROR_EXHAUSTION) && (trap = orca_error_trap(error))) {
    orca_throw_trap_as(trap, text, orca_kind_name(kind));
    wasm_trap_delete(trap);
  } else if (kind == ORCA_ERROR_TRAP || kind == ORCA_ERROR_EXHAUSTION) {
    orca_throw(orca_ce_trap, text, ORCA_TRAP_HOST_ERROR, orca_kind_name(kind));
  } else if (kind == ORCA_ERROR_UNLINKABLE) {
    orca_throw(orca_ce_link_error, text, kind, orca_kind_name(kind));
  } else {
    orca_throw(orca_ce_exception, text, kind, orca_kind_name(kind));
  }
  wasm_byte_vec_delete(&message);
  orca_error_delete(error);
  orca_attach_host_exception();
}

/* A trap returned by a call, thrown as Orca\Trap (or Orca\Exit for a guest's proc_exit), and
 * deleted. */
static void orca_throw_trap(wasm_trap_t* trap) {
  if (orca_php_exiting()) {
    wasm_trap_delete(trap);
    return;
  }
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  orca_throw_trap_as(trap, message.size ? message.data : "", "trap");
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
  orca_attach_host_exception();
}
%}
