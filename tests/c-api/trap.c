/* Traps: raised by the host with a message, by wasm code (unreachable, division), stack
 * exhaustion, with origin and trace. */
#include "check.h"

static wasm_store_t* the_store;

static wasm_trap_t* fail_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  return check_new_trap(the_store, "callback abort");
}

static wasm_trap_t* call(wasm_func_t* f, size_t nargs, int32_t a, int32_t b) {
  wasm_val_t as[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {nargs, as}, results = WASM_ARRAY_VEC(rs);
  return wasm_func_call(f, &args, &results);
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  the_store = store;
  wasm_module_t* module = check_load(store, "trap");
  REQUIRE(module != NULL);

  wasm_functype_t* fail_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* fail_func = wasm_func_new(store, fail_type, fail_callback);
  wasm_functype_delete(fail_type);
  wasm_instance_t* instance = check_instantiate_with(store, module, fail_func);
  REQUIRE(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  REQUIRE(exports.size == 4);

  /* A host trap comes back with its message; the frame of the wasm caller is in the trace. */
  wasm_trap_t* trap = call(check_export_func(&exports, 0), 0, 0, 0);
  REQUIRE(trap != NULL);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size >= 1);
  if (trace.size >= 1) CHECK(wasm_frame_func_index(trace.data[0]) == 1);
  wasm_frame_vec_delete(&trace);
  CHECK(check_trap_is(trap, "callback abort"));

  /* unreachable: origin is the trapping function, in our instance. */
  trap = call(check_export_func(&exports, 1), 0, 0, 0);
  REQUIRE(trap != NULL);
  wasm_frame_t* origin = wasm_trap_origin(trap);
  CHECK(origin != NULL);
  if (origin) {
    CHECK(wasm_frame_func_index(origin) == 2);
    CHECK(wasm_frame_instance(origin) != NULL && wasm_instance_same(wasm_frame_instance(origin), instance));
    /* The unreachable, after the body's empty locals vector. */
    CHECK(wasm_frame_func_offset(origin) == 1);
    CHECK(wasm_frame_module_offset(origin) > 1);
    wasm_frame_t* copy = wasm_frame_copy(origin);
    CHECK(wasm_frame_func_index(copy) == 2);
    wasm_frame_delete(copy);
    wasm_frame_delete(origin);
  }
  wasm_trap_t* copy = wasm_trap_copy(trap);
  CHECK(wasm_trap_same(copy, trap));
  CHECK(check_trap_is(copy, "unreachable"));
  CHECK(check_trap_is(trap, "unreachable"));

  /* Division by zero inside a callee: the trace has both frames, innermost first. */
  trap = call(check_export_func(&exports, 2), 2, 1, 0);
  REQUIRE(trap != NULL);
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size >= 1);
  if (trace.size >= 1) CHECK(wasm_frame_func_index(trace.data[0]) == 3 || wasm_frame_func_index(trace.data[0]) == 4);
  wasm_frame_vec_delete(&trace);
  CHECK(check_trap_is(trap, "integer divide by zero"));
  wasm_trap_t* ok = call(check_export_func(&exports, 2), 2, 7, 2);
  CHECK(ok == NULL);

  /* Unbounded recursion is a trap, not a crash. */
  trap = call(check_export_func(&exports, 3), 1, 0, 0);
  CHECK(check_trap_is(trap, "call stack exhausted"));

  /* A trap made by the host, without frames. */
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "made here");
  trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  CHECK(wasm_trap_origin(trap) == NULL);
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 0);
  wasm_frame_vec_delete(&trace);
  CHECK(check_trap_is(trap, "made here"));

  wasm_extern_vec_delete(&exports);
  wasm_func_delete(fail_func);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return check_finish();
}
