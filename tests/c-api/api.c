/* Every function group of wasm.h that the scenario tests do not reach: the vector family of each
 * type, copies and the externtype views of every type, the reference operations (copy, same,
 * host info, as_ref and back) of every reference type, the extern views, the short-hands, and
 * null or wrong input, which must give null, false or a trap and never crash. */
#include "check.h"

static int finalizer_calls;
static void count_finalizer(void* info) {
  (void)info;
  ++finalizer_calls;
}

/* new / copy / new_empty / new_uninitialized / delete of a vector of owned objects. */
#define CHECK_OWNED_VEC(name, make)                                                   \
  do {                                                                                \
    wasm_##name##_t* a = (make);                                                      \
    CHECK(a != NULL);                                                                 \
    wasm_##name##_t* b = wasm_##name##_copy(a);                                       \
    CHECK(b != NULL && b != a);                                                       \
    wasm_##name##_t* items[2] = {a, b};                                               \
    wasm_##name##_vec_t v, c, e, u;                                                   \
    wasm_##name##_vec_new(&v, 2, items);                                              \
    CHECK(v.size == 2 && v.data[0] == a && v.data[1] == b);                           \
    wasm_##name##_vec_copy(&c, &v);                                                   \
    CHECK(c.size == 2 && c.data[0] != NULL && c.data[0] != a);                        \
    wasm_##name##_vec_new_empty(&e);                                                  \
    CHECK(e.size == 0 && e.data == NULL);                                             \
    wasm_##name##_vec_new_uninitialized(&u, 3);                                       \
    CHECK(u.size == 3 && u.data != NULL);                                             \
    for (size_t k = 0; k < u.size; ++k) u.data[k] = wasm_##name##_copy(a);            \
    wasm_##name##_vec_delete(&v);                                                     \
    wasm_##name##_vec_delete(&c);                                                     \
    wasm_##name##_vec_delete(&e);                                                     \
    wasm_##name##_vec_delete(&u);                                                     \
  } while (0)

/* The reference operations on `x` (owned, deleted here); `other` is a reference of another
 * kind. */
#define CHECK_REF(name, make, other)                                                   \
  do {                                                                                 \
    wasm_##name##_t* x = (make);                                                       \
    CHECK(x != NULL);                                                                  \
    if (!x) break;                                                                     \
    wasm_##name##_t* y = wasm_##name##_copy(x);                                        \
    CHECK(y != NULL && y != x && wasm_##name##_same(x, y));                            \
    wasm_##name##_set_host_info(x, (void*)11);                                         \
    CHECK(wasm_##name##_get_host_info(y) == (void*)11);                                \
    wasm_##name##_set_host_info_with_finalizer(y, (void*)12, count_finalizer);         \
    CHECK(wasm_##name##_get_host_info(x) == (void*)12);                                \
    wasm_ref_t* r = wasm_##name##_as_ref(x);                                           \
    CHECK(r != NULL && wasm_ref_as_##name(r) == x);                                    \
    CHECK(wasm_ref_get_host_info(r) == (void*)12);                                     \
    const wasm_ref_t* cr = wasm_##name##_as_ref_const(x);                              \
    CHECK(cr == r && wasm_ref_as_##name##_const(cr) == x);                             \
    CHECK(wasm_ref_as_##name(other) == NULL);                                          \
    CHECK(wasm_ref_as_##name##_const(other) == NULL);                                  \
    CHECK(!wasm_ref_same(r, other));                                                   \
    wasm_##name##_delete(y);                                                           \
    wasm_##name##_delete(x);                                                           \
  } while (0)

static wasm_trap_t* nop_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  return NULL;
}

static wasm_trap_t* trap_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, (const char*)env);
  wasm_trap_t* trap = wasm_trap_new(NULL, &message);
  wasm_name_delete(&message);
  return trap;
}

static void types(void) {
  CHECK_OWNED_VEC(valtype, wasm_valtype_new_f32());
  CHECK_OWNED_VEC(functype, wasm_functype_new_3_2(wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                                                  wasm_valtype_new_f32(), wasm_valtype_new_f64(),
                                                  wasm_valtype_new_funcref()));
  CHECK_OWNED_VEC(globaltype, wasm_globaltype_new(wasm_valtype_new_f64(), WASM_VAR));
  wasm_limits_t limits = {1, 2};
  CHECK_OWNED_VEC(tabletype, wasm_tabletype_new(wasm_valtype_new_externref(), &limits));
  CHECK_OWNED_VEC(memorytype, wasm_memorytype_new(&limits));
  CHECK_OWNED_VEC(externtype, wasm_memorytype_as_externtype(wasm_memorytype_new(&limits)));
  wasm_name_t module_name, name;
  wasm_name_new_from_string(&module_name, "env");
  wasm_name_new_from_string(&name, "f");
  CHECK(module_name.size == 3);
  CHECK_OWNED_VEC(importtype, wasm_importtype_new(&module_name, &name,
                                                  wasm_functype_as_externtype(wasm_functype_new_0_0())));
  wasm_name_new_from_string(&name, "g");
  CHECK_OWNED_VEC(exporttype, wasm_exporttype_new(&name, wasm_globaltype_as_externtype(wasm_globaltype_new(
                                                             wasm_valtype_new_i32(), WASM_CONST))));

  /* Copies keep every detail. */
  wasm_functype_t* ft = wasm_functype_new_2_2(wasm_valtype_new_i32(), wasm_valtype_new_f64(), wasm_valtype_new_i64(),
                                              wasm_valtype_new_externref());
  wasm_functype_t* ft2 = wasm_functype_copy(ft);
  CHECK(wasm_functype_params(ft2)->size == 2 && wasm_functype_results(ft2)->size == 2);
  CHECK(wasm_valtype_kind(wasm_functype_params(ft2)->data[1]) == WASM_F64);
  CHECK(wasm_valtype_kind(wasm_functype_results(ft2)->data[1]) == WASM_EXTERNREF);
  CHECK(wasm_valtype_is_num(wasm_functype_params(ft2)->data[0]));
  CHECK(!wasm_valtype_is_num(wasm_functype_results(ft2)->data[1]));
  CHECK(wasm_valkind_is_num(WASM_I64) && !wasm_valkind_is_num(WASM_FUNCREF));
  CHECK(wasm_valkind_is_ref(WASM_FUNCREF) && !wasm_valkind_is_ref(WASM_F32));
  /* The standard's name and wasmtime's name of the host reference kind are one kind. */
  wasm_valtype_t* anyref = wasm_valtype_new_anyref();
  CHECK(wasm_valtype_kind(anyref) == WASM_ANYREF && wasm_valtype_kind(anyref) == WASM_EXTERNREF);
  CHECK(wasm_valtype_is_ref(anyref));
  wasm_valtype_delete(anyref);

  /* The externtype views, mutable and const, and their kind checks. */
  wasm_externtype_t* et = wasm_functype_as_externtype(ft);
  CHECK(wasm_externtype_kind(et) == WASM_EXTERN_FUNC);
  CHECK(wasm_externtype_as_functype(et) == ft);
  CHECK(wasm_externtype_as_globaltype(et) == NULL);
  CHECK(wasm_functype_as_externtype_const(ft) == et);
  wasm_externtype_t* et2 = wasm_externtype_copy(et);
  CHECK(wasm_externtype_kind(et2) == WASM_EXTERN_FUNC && wasm_externtype_as_functype(et2) != ft);
  wasm_externtype_delete(et2);
  wasm_functype_delete(ft2);
  wasm_functype_delete(ft);

  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_CONST);
  wasm_globaltype_t* gt2 = wasm_globaltype_copy(gt);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(gt2)) == WASM_I64 && wasm_globaltype_mutability(gt2) == WASM_CONST);
  CHECK(wasm_externtype_as_globaltype(wasm_globaltype_as_externtype(gt)) == gt);
  CHECK(wasm_externtype_as_globaltype_const(wasm_globaltype_as_externtype_const(gt)) == gt);
  wasm_globaltype_delete(gt2);
  wasm_globaltype_delete(gt);

  wasm_tabletype_t* tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_tabletype_t* tt2 = wasm_tabletype_copy(tt);
  CHECK(wasm_tabletype_limits(tt2)->min == 1 && wasm_tabletype_limits(tt2)->max == 2);
  CHECK(wasm_externtype_as_tabletype(wasm_tabletype_as_externtype(tt)) == tt);
  CHECK(wasm_externtype_as_tabletype_const(wasm_tabletype_as_externtype_const(tt)) == tt);
  CHECK(wasm_externtype_as_memorytype(wasm_tabletype_as_externtype(tt)) == NULL);
  wasm_tabletype_delete(tt2);
  wasm_tabletype_delete(tt);

  wasm_memorytype_t* mt = wasm_memorytype_new(&limits);
  wasm_memorytype_t* mt2 = wasm_memorytype_copy(mt);
  CHECK(wasm_memorytype_limits(mt2)->max == 2);
  CHECK(wasm_externtype_as_memorytype(wasm_memorytype_as_externtype(mt)) == mt);
  CHECK(wasm_externtype_as_memorytype_const(wasm_memorytype_as_externtype_const(mt)) == mt);
  wasm_memorytype_delete(mt2);
  wasm_memorytype_delete(mt);

  /* Import and export types own their names and type. */
  wasm_name_new_from_string(&module_name, "m");
  wasm_name_new_from_string(&name, "n");
  wasm_importtype_t* it = wasm_importtype_new(&module_name, &name, wasm_memorytype_as_externtype(wasm_memorytype_new(&limits)));
  wasm_importtype_t* it2 = wasm_importtype_copy(it);
  CHECK(wasm_importtype_module(it2)->size == 1 && wasm_importtype_module(it2)->data[0] == 'm');
  CHECK(wasm_importtype_name(it2)->data[0] == 'n');
  CHECK(wasm_externtype_kind(wasm_importtype_type(it2)) == WASM_EXTERN_MEMORY);
  wasm_importtype_delete(it2);
  wasm_importtype_delete(it);
  wasm_name_new_from_string(&name, "e");
  wasm_exporttype_t* xt = wasm_exporttype_new(&name, wasm_tabletype_as_externtype(wasm_tabletype_new(wasm_valtype_new_funcref(), &limits)));
  wasm_exporttype_t* xt2 = wasm_exporttype_copy(xt);
  CHECK(wasm_exporttype_name(xt2)->data[0] == 'e');
  CHECK(wasm_externtype_kind(wasm_exporttype_type(xt2)) == WASM_EXTERN_TABLE);
  wasm_exporttype_delete(xt2);
  wasm_exporttype_delete(xt);

  /* Kinds outside the enumeration give no type. */
  CHECK(wasm_valtype_new(77) == NULL);
  wasm_valtype_t* f64 = wasm_valtype_new_f64();
  wasm_valtype_t* f64b = wasm_valtype_copy(f64);
  CHECK(wasm_valtype_kind(f64b) == WASM_F64);
  wasm_valtype_delete(f64b);
  wasm_valtype_delete(f64);
  wasm_functype_t* shorts[] = {wasm_functype_new_1_0(wasm_valtype_new_i32()),
                               wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i32()),
                               wasm_functype_new_3_0(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32()),
                               wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32()),
                               wasm_functype_new_3_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                                                     wasm_valtype_new_i32()),
                               wasm_functype_new_0_2(wasm_valtype_new_i32(), wasm_valtype_new_i32()),
                               wasm_functype_new_1_2(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32())};
  size_t expect_params[] = {1, 2, 3, 2, 3, 0, 1}, expect_results[] = {0, 0, 0, 1, 1, 2, 2};
  wasm_functype_vec_t all;
  wasm_functype_vec_new(&all, 7, shorts);
  for (size_t i = 0; i < all.size; ++i) {
    CHECK(wasm_functype_params(all.data[i])->size == expect_params[i]);
    CHECK(wasm_functype_results(all.data[i])->size == expect_results[i]);
  }
  wasm_functype_vec_delete(&all);
}

static void values(void) {
  wasm_val_t vals[3] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_F64_VAL(3)};
  wasm_val_vec_t v, e;
  wasm_val_vec_new(&v, 3, vals);
  CHECK(v.size == 3 && v.data[1].of.i64 == 2);
  wasm_val_vec_delete(&v);
  wasm_val_vec_new_empty(&e);
  CHECK(e.size == 0);
  wasm_val_vec_delete(&e);
  wasm_val_t p;
  int local = 0;
  wasm_val_init_ptr(&p, &local);
  CHECK(wasm_val_ptr(&p) == &local);
  wasm_byte_vec_t bytes, copy;
  wasm_byte_vec_new(&bytes, 3, "abc");
  wasm_byte_vec_copy(&copy, &bytes);
  CHECK(copy.size == 3 && memcmp(copy.data, "abc", 3) == 0);
  wasm_byte_vec_delete(&copy);
  wasm_byte_vec_delete(&bytes);
}

int main(int argc, char** argv) {
  check_init(argc, argv);
  types();
  values();

  wasm_config_t* config = wasm_config_new();
  CHECK(config != NULL);
  wasm_config_delete(config);
  wasm_engine_t* engine = wasm_engine_new_with_config(wasm_config_new());
  REQUIRE(engine != NULL);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = check_load(store, "global");
  wasm_module_t* table_module = check_load(store, "table");
  wasm_module_t* memory_module = check_load(store, "memory");
  REQUIRE(module && table_module && memory_module);

  wasm_foreign_t* foreign = wasm_foreign_new(store);
  wasm_ref_t* other = wasm_foreign_as_ref(foreign);
  wasm_functype_t* nop_type = wasm_functype_new_0_0();
  wasm_func_t* nop = wasm_func_new(store, nop_type, nop_callback);
  wasm_functype_delete(nop_type);
  wasm_ref_t* func_ref = wasm_func_as_ref(nop);

  /* Store objects. */
  wasm_instance_t* table_instance = wasm_instance_new(store, table_module, NULL, NULL);
  wasm_instance_t* memory_instance = wasm_instance_new(store, memory_module, NULL, NULL);
  REQUIRE(table_instance && memory_instance);
  wasm_extern_vec_t table_exports, memory_exports;
  wasm_instance_exports(table_instance, &table_exports);
  wasm_instance_exports(memory_instance, &memory_exports);
  wasm_table_t* table = wasm_extern_as_table(table_exports.data[0]);
  wasm_memory_t* memory = wasm_extern_as_memory(memory_exports.data[0]);
  wasm_val_t seven = WASM_I32_VAL(7);
  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_VAR);
  wasm_global_t* global = wasm_global_new(store, gt, &seven);
  wasm_globaltype_delete(gt);
  REQUIRE(table && memory && global);

  CHECK_REF(func, wasm_func_copy(nop), other);
  CHECK_REF(global, wasm_global_copy(global), other);
  CHECK_REF(table, wasm_table_copy(table), other);
  CHECK_REF(memory, wasm_memory_copy(memory), other);
  CHECK_REF(instance, wasm_instance_copy(table_instance), other);
  CHECK_REF(foreign, wasm_foreign_copy(foreign), func_ref);
  CHECK_REF(module, wasm_module_copy(module), other);
  CHECK_REF(extern, wasm_extern_copy(table_exports.data[0]), other);
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "m");
  CHECK_REF(trap, wasm_trap_new(store, &message), other);
  wasm_name_delete(&message);
  CHECK(wasm_foreign_get_host_info(foreign) == (void*)12);
  CHECK(wasm_foreign_same(foreign, foreign));

  /* Plain references. */
  wasm_ref_t* r = wasm_ref_copy(func_ref);
  CHECK(wasm_ref_same(r, func_ref));
  wasm_ref_set_host_info(r, (void*)21);
  CHECK(wasm_func_get_host_info(nop) == (void*)21);
  wasm_ref_set_host_info_with_finalizer(r, (void*)22, count_finalizer);
  CHECK(wasm_extern_same(wasm_ref_as_extern(r), wasm_func_as_extern(nop)));
  CHECK(wasm_ref_as_extern_const(r) == wasm_ref_as_extern(r));
  CHECK(wasm_ref_as_extern(other) == NULL);
  wasm_ref_delete(r);

  /* Extern views, const and not. */
  wasm_extern_t* ex = wasm_global_as_extern(global);
  CHECK(wasm_extern_as_global(ex) == global && wasm_extern_as_global_const(ex) == global);
  CHECK(wasm_global_as_extern_const(global) == ex);
  CHECK(wasm_extern_as_func_const(ex) == NULL && wasm_extern_as_table_const(ex) == NULL &&
        wasm_extern_as_memory_const(ex) == NULL);
  CHECK(wasm_extern_as_func_const(wasm_func_as_extern(nop)) == nop);
  CHECK(wasm_extern_as_table_const(wasm_table_as_extern_const(table)) == table);
  CHECK(wasm_extern_as_memory_const(wasm_memory_as_extern_const(memory)) == memory);
  CHECK(wasm_func_as_extern_const(nop) == wasm_func_as_extern(nop));
  wasm_externtype_t* ext = wasm_extern_type(wasm_func_as_extern(nop));
  CHECK(wasm_externtype_kind(ext) == WASM_EXTERN_FUNC);
  wasm_externtype_delete(ext);
  wasm_functype_t* nop_type2 = wasm_func_type(nop);
  CHECK(wasm_functype_params(nop_type2)->size == 0);
  wasm_functype_delete(nop_type2);

  /* The extern vector family over real externs. */
  wasm_extern_t* exs[2] = {wasm_extern_copy(table_exports.data[0]), wasm_extern_copy(memory_exports.data[0])};
  wasm_extern_vec_t ev, ec, eu;
  wasm_extern_vec_new(&ev, 2, exs);
  wasm_extern_vec_copy(&ec, &ev);
  CHECK(ec.size == 2 && wasm_extern_same(ec.data[0], ev.data[0]) && ec.data[0] != ev.data[0]);
  wasm_extern_vec_new_uninitialized(&eu, 1);
  eu.data[0] = wasm_extern_copy(ex);
  wasm_extern_vec_delete(&ev);
  wasm_extern_vec_delete(&ec);
  wasm_extern_vec_delete(&eu);

  /* Frames from a real trap, and the frame vector family. */
  wasm_func_t* call_indirect = wasm_extern_as_func(table_exports.data[1]);
  wasm_val_t as[2] = {WASM_I32_VAL(1), WASM_I32_VAL(0)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(call_indirect, &args, &results);
  REQUIRE(trap != NULL);
  wasm_frame_vec_t trace, trace_copy, fe, fu;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size >= 1);
  wasm_frame_vec_copy(&trace_copy, &trace);
  CHECK(trace_copy.size == trace.size);
  if (trace.size) CHECK(wasm_frame_func_index(trace_copy.data[0]) == wasm_frame_func_index(trace.data[0]));
  wasm_frame_vec_new_empty(&fe);
  wasm_frame_vec_new_uninitialized(&fu, 1);
  fu.data[0] = wasm_trap_origin(trap);
  wasm_frame_t* frames[1] = {wasm_trap_origin(trap)};
  wasm_frame_vec_t fv;
  wasm_frame_vec_new(&fv, 1, frames);
  CHECK(fv.size == 1 && fv.data[0] != NULL);
  wasm_frame_vec_delete(&fv);
  wasm_frame_vec_delete(&fu);
  wasm_frame_vec_delete(&fe);
  wasm_frame_vec_delete(&trace_copy);
  wasm_frame_vec_delete(&trace);
  CHECK(check_trap_is(trap, "uninitialized element"));

  /* A host trap made without a store still carries its message. */
  wasm_functype_t* trap_type = wasm_functype_new_0_0();
  wasm_func_t* trapper = wasm_func_new_with_env(store, trap_type, trap_callback, (void*)"no store", NULL);
  wasm_functype_delete(trap_type);
  CHECK(check_trap_is(wasm_func_call(trapper, NULL, NULL), "no store"));

  /* v128 signatures reflect as WASM_V128; wasm_val_t cannot carry one, so calls trap. */
  wasm_module_t* v128_module = check_load(store, "v128");
  REQUIRE(v128_module != NULL);
  wasm_instance_t* v128_instance = wasm_instance_new(store, v128_module, NULL, NULL);
  REQUIRE(v128_instance != NULL);
  wasm_extern_vec_t v128_exports;
  wasm_instance_exports(v128_instance, &v128_exports);
  wasm_functype_t* id_type = wasm_func_type(wasm_extern_as_func(v128_exports.data[0]));
  CHECK(wasm_valtype_kind(wasm_functype_params(id_type)->data[0]) == WASM_V128);
  wasm_functype_delete(id_type);
  wasm_val_t v128_arg[1] = {WASM_I64_VAL(0)};
  wasm_val_t v128_res[1] = {WASM_INIT_VAL};
  wasm_val_vec_t v128_args = WASM_ARRAY_VEC(v128_arg), v128_results = WASM_ARRAY_VEC(v128_res);
  CHECK(check_trap_is(wasm_func_call(wasm_extern_as_func(v128_exports.data[0]), &v128_args, &v128_results),
                      "type mismatch: a v128 result cannot be returned through wasm.h"));
  CHECK(check_trap_is(wasm_func_call(wasm_extern_as_func(v128_exports.data[1]), NULL, &v128_results),
                      "type mismatch: a v128 result cannot be returned through wasm.h"));
  wasm_extern_vec_delete(&v128_exports);
  wasm_instance_delete(v128_instance);
  wasm_module_delete(v128_module);

  /* Null and wrong input: null, false, zero or a trap; never a crash. */
  wasm_byte_vec_t garbage;
  wasm_byte_vec_new(&garbage, 4, "junk");
  CHECK(wasm_module_new(store, &garbage) == NULL);
  CHECK(!wasm_module_validate(store, &garbage));
  wasm_byte_vec_delete(&garbage);
  CHECK(wasm_module_new(store, NULL) == NULL);
  CHECK(wasm_module_new(NULL, NULL) == NULL);
  CHECK(wasm_store_new(NULL) == NULL);
  CHECK(wasm_func_new(NULL, NULL, nop_callback) == NULL);
  CHECK(wasm_global_new(store, NULL, NULL) == NULL);
  CHECK(wasm_table_new(store, NULL, NULL) == NULL);
  CHECK(wasm_memory_new(store, NULL) == NULL);
  CHECK(wasm_memory_data(NULL) == NULL && wasm_memory_data_size(NULL) == 0 && wasm_memory_size(NULL) == 0);
  CHECK(!wasm_memory_grow(NULL, 1) && !wasm_table_grow(NULL, 1, NULL) && wasm_table_size(NULL) == 0);
  CHECK(wasm_table_get(NULL, 0) == NULL && !wasm_table_set(NULL, 0, NULL));
  CHECK(wasm_ref_as_func(NULL) == NULL && wasm_extern_as_func(NULL) == NULL);
  CHECK(wasm_module_deserialize(store, NULL) == NULL);
  CHECK(wasm_module_share(NULL) == NULL && wasm_module_obtain(store, NULL) == NULL);
  CHECK(wasm_trap_origin(NULL) == NULL);
  wasm_trap_t* t = NULL;
  CHECK(wasm_instance_new(store, NULL, NULL, &t) == NULL);
  CHECK(check_trap_is(t, "wasm_instance_new: null module"));
  CHECK(check_trap_is(wasm_func_call(NULL, NULL, NULL), "wasm_func_call: null function"));
  /* An import of the wrong type is a link error. */
  wasm_extern_t* wrong[4] = {wasm_func_as_extern(nop), wasm_func_as_extern(nop), wasm_func_as_extern(nop),
                             wasm_func_as_extern(nop)};
  wasm_extern_vec_t wrong_imports = WASM_ARRAY_VEC(wrong);
  CHECK(wasm_instance_new(store, module, &wrong_imports, &t) == NULL);
  CHECK(t != NULL);
  if (t) wasm_trap_delete(t);
  /* A null entry among the imports. */
  wasm_extern_t* nulls[4] = {NULL, NULL, NULL, NULL};
  wasm_extern_vec_t null_imports = WASM_ARRAY_VEC(nulls);
  CHECK(wasm_instance_new(store, module, &null_imports, &t) == NULL);
  CHECK(t != NULL);
  if (t) wasm_trap_delete(t);
  /* A function of another store may not be imported or stored. */
  wasm_store_t* store2 = wasm_store_new(engine);
  wasm_functype_t* t2 = wasm_functype_new_0_0();
  wasm_func_t* foreign_func = wasm_func_new(store2, t2, nop_callback);
  wasm_functype_delete(t2);
  CHECK(!wasm_table_set(table, 0, wasm_func_as_ref(foreign_func)));
  wasm_func_delete(foreign_func);
  wasm_store_delete(store2);

  wasm_func_delete(trapper);
  wasm_extern_vec_delete(&table_exports);
  wasm_extern_vec_delete(&memory_exports);
  wasm_global_delete(global);
  wasm_func_delete(nop);
  wasm_foreign_delete(foreign);
  wasm_instance_delete(table_instance);
  wasm_instance_delete(memory_instance);
  wasm_module_delete(table_module);
  wasm_module_delete(memory_module);
  int before = finalizer_calls;
  /* Ran so far: the trap's (deleted), the table's (replaced through its extern view), the
   * function's (replaced through a plain reference). */
  CHECK(before == 3);
  wasm_module_delete(module);
  CHECK(finalizer_calls == before + 1);  /* the last reference to the module */
  wasm_store_delete(store);
  /* The store's objects: function, global, table, memory, instance, foreign object. */
  CHECK(finalizer_calls == before + 7);
  wasm_engine_delete(engine);
  return check_finish();
}
