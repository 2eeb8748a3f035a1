/* Backtraces name the instruction of every frame: the trapping one in the innermost frame, the
 * call in the outer ones, with wasm_frame_func_offset counted from the start of the function's
 * body (after its size field) and wasm_frame_module_offset from the start of the module's bytes,
 * at every optimisation level. At O2 and O3 LLVM inlines the small callees of frames.wat into
 * their callers; each still is a frame of its own. Covers explicit traps (division), faults
 * (out-of-bounds load), a trap raised by a host function, and a deserialized module. */
#include "check.h"

static wasm_store_t* the_store;

static wasm_trap_t* fail_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  return check_new_trap(the_store, "host failed");
}

typedef struct {
  uint32_t func_index;
  size_t module_offset;
  size_t func_offset;
  uint8_t opcode; /* the byte at module_offset: the instruction the frame names */
} expected_frame;

/* The offsets in frames.wasm as capi_wat2wasm encodes frames.wat (the code section starts at
 * 0x4b; the body of function 1 at 0x4f, 2 at 0x57, 3 at 0x61, 4 at 0x68, 5 at 0x70, 6 at 0x7a,
 * 7 at 0x80). The opcode check below catches an encoding that moved them. */
static const expected_frame divide_trace[] = {
    {1, 0x54, 0x05, 0x6d}, /* i32.div_s in $divide */
    {2, 0x5c, 0x05, 0x10}, /* call $divide in $middle */
    {3, 0x64, 0x03, 0x10}, /* call $middle in "divide" */
};
static const expected_frame load_trace[] = {
    {4, 0x6b, 0x03, 0x28}, /* i32.load in $load (a fault in the guard region) */
    {5, 0x73, 0x03, 0x10}, /* call $load in "load" */
};
static const expected_frame host_trace[] = {
    {6, 0x7c, 0x02, 0x10}, /* call $fail (the import) in $call_host */
    {7, 0x81, 0x01, 0x10}, /* call $call_host in "host" */
};

static void check_trace(wasm_trap_t* trap, const expected_frame* want, size_t count,
                        const wasm_byte_vec_t* binary, const wasm_instance_t* instance, int level) {
  REQUIRE_VOID(trap != NULL);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == count);
  if (trace.size != count) fprintf(stderr, "O%d: %zu frames, expected %zu\n", level, trace.size, count);
  for (size_t i = 0; i < trace.size && i < count; ++i) {
    const wasm_frame_t* frame = trace.data[i];
    uint32_t index = wasm_frame_func_index(frame);
    size_t module_offset = wasm_frame_module_offset(frame);
    size_t func_offset = wasm_frame_func_offset(frame);
    int ok = index == want[i].func_index && module_offset == want[i].module_offset &&
             func_offset == want[i].func_offset;
    CHECK(ok);
    if (!ok)
      fprintf(stderr, "O%d frame %zu: function %u at 0x%zx (+0x%zx), expected %u at 0x%zx (+0x%zx)\n", level,
              i, index, module_offset, func_offset, want[i].func_index, want[i].module_offset,
              want[i].func_offset);
    CHECK(module_offset < binary->size && (uint8_t)binary->data[module_offset] == want[i].opcode);
    CHECK(wasm_frame_instance(frame) != NULL && wasm_instance_same(wasm_frame_instance(frame), instance));
  }
  wasm_frame_t* origin = wasm_trap_origin(trap);
  CHECK(origin != NULL && wasm_frame_module_offset(origin) == want[0].module_offset);
  if (origin) wasm_frame_delete(origin);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
}

static wasm_trap_t* call_i32(wasm_func_t* f, int32_t arg) {
  wasm_val_t as[1] = {WASM_I32_VAL(arg)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  return wasm_func_call(f, &args, &results);
}

/* Instantiates `module` and checks the three traces. */
static void check_module(wasm_store_t* store, wasm_module_t* module, const wasm_byte_vec_t* binary, int level) {
  wasm_functype_t* fail_type = wasm_functype_new_0_0();
  wasm_func_t* fail = wasm_func_new(store, fail_type, fail_callback);
  wasm_functype_delete(fail_type);
  wasm_instance_t* instance = check_instantiate_with(store, module, fail);
  if (instance) {
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    CHECK(exports.size == 3);
    if (exports.size == 3) {
      check_trace(call_i32(check_export_func(&exports, 0), 0), divide_trace, 3, binary, instance, level);
      check_trace(call_i32(check_export_func(&exports, 1), 65536), load_trace, 2, binary, instance, level);
      wasm_val_vec_t none = WASM_EMPTY_VEC;
      check_trace(wasm_func_call(check_export_func(&exports, 2), &none, &none), host_trace, 2, binary,
                  instance, level);
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
  }
  wasm_func_delete(fail);
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  wasm_byte_vec_t binary;
  check_read_module("frames", &binary);
  REQUIRE(binary.size > 0);
  for (int level = 0; level <= 3; ++level) {
    wasm_config_t* config = wasm_config_new();
    orca_config_opt_level_set(config, (uint8_t)level);
    wasm_engine_t* engine = wasm_engine_new_with_config(config);
    wasm_store_t* store = wasm_store_new(engine);
    the_store = store;
    wasm_module_t* module = wasm_module_new(store, &binary);
    CHECK(module != NULL);
    if (module) {
      check_module(store, module, &binary, level);
      /* A compiled artifact keeps what the backtrace needs (the objects' debug sections). */
      wasm_byte_vec_t artifact;
      wasm_module_serialize(module, &artifact);
      wasm_module_t* loaded = wasm_module_deserialize(store, &artifact);
      CHECK(loaded != NULL);
      if (loaded) check_module(store, loaded, &binary, level);
      wasm_module_delete(loaded);
      wasm_byte_vec_delete(&artifact);
      wasm_module_delete(module);
    }
    wasm_store_delete(store);
    wasm_engine_delete(engine);
  }
  wasm_byte_vec_delete(&binary);
  return check_finish();
}
