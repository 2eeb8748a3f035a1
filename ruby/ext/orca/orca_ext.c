/* The extension's entry point: defines Orca's classes over the C API (lib/orca.rb loads it). */
#include "orca_ext.h"

VALUE orb_mOrca, orb_cEngine, orb_cStore, orb_cModule, orb_cInstance, orb_cFunc, orb_cMemory, orb_cGlobal,
    orb_cTable, orb_cLinker, orb_cCaller, orb_cVal;
VALUE orb_eError, orb_eTrap, orb_eLinkError, orb_eExit;

RUBY_FUNC_EXPORTED void Init_orca(void) {
  orb_mOrca = rb_define_module("Orca");
  /* The exception classes come from lib/orca/errors.rb, which is loaded first. */
  orb_init_errors();
  /* So does Orca::Val (lib/orca/types.rb), a value with its wasm type. */
  orb_cVal = rb_const_get(orb_mOrca, rb_intern("Val"));
  orb_init_values();
  orb_init_engine();
  orb_init_store();
  orb_init_module();
  orb_init_func();
  orb_init_externs();
  orb_init_linker();
  rb_define_const(orb_mOrca, "LIBRARY_VERSION", rb_str_freeze(rb_str_new_cstr(orca_version())));
  /* C globals that name Ruby objects must not move when GC compacts. */
  VALUE pinned[] = {orb_mOrca,   orb_cEngine, orb_cStore,  orb_cModule, orb_cInstance, orb_cFunc,
                    orb_cMemory, orb_cGlobal, orb_cTable,  orb_cLinker, orb_cCaller,   orb_eError,
                    orb_eTrap,   orb_eLinkError, orb_eExit, orb_cVal};
  for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++) rb_gc_register_mark_object(pinned[i]);
}
