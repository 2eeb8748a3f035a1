/* Table bounds: table.get/set/grow/fill/copy/init and call_indirect at the last slot, one past
 * it and at indices that wrap in 32 bits. A trapping table operation changes no slot (checked by
 * reading every slot back through call_indirect); call_indirect past the end is "undefined
 * element", on a null slot "uninitialized element", on a function of another type "indirect call
 * type mismatch". And active element segments at the end of a table when an instance is made.
 * Tables hold no linear memory, but compile the same in both modes; the cases run in both all
 * the same. */
#include <stdio.h>
#include <string.h>

#include "sandbox.h"

static const char kModule[] =
    "(module\n"
    "  (type $v (func (result i32)))\n"
    "  (table $t (export \"t\") 3 5 funcref)\n"
    "  (func $a (type $v) (i32.const 10))\n"
    "  (func $b (type $v) (i32.const 11))\n"
    "  (func $c (param i32))\n"
    "  (elem (table $t) (i32.const 0) func $a $b)\n"
    "  (elem $p func $a $b $c)\n"
    "  (func (export \"get\") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))\n"
    "  (func (export \"set\") (param i32) (table.set $t (local.get 0) (ref.func $b)))\n"
    "  (func (export \"grow\") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))\n"
    "  (func (export \"size\") (result i32) (table.size $t))\n"
    "  (func (export \"fill\") (param i32 i32) (table.fill $t (local.get 0) (ref.func $a) (local.get 1)))\n"
    "  (func (export \"copy\") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"init\") (param i32 i32 i32) (table.init $t $p (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"drop\") (elem.drop $p))\n"
    "  (func (export \"call\") (param i32) (result i32) (call_indirect $t (type $v) (local.get 0))))";

typedef struct {
  const sb_instance_t* inst;
  wasm_func_t *get, *set, *grow, *size, *fill, *copy, *init, *call;
} table_t;

/* Every slot as one letter: 'a' or 'b' (the function called), '.' null, 'c' the function of
 * another type; then '|' and the answer one past the end. */
static void slots(const table_t* t, char* out, size_t cap) {
  sb_outcome_t s = sb_call(t->size, NULL, 0, 1);
  uint32_t n = s.trapped ? 0 : (uint32_t)s.results[0].of.i32;
  size_t w = 0;
  for (uint32_t i = 0; i <= n && w + 2 < cap; i++) {
    sb_outcome_t o = sb_call_i32(t->call, i, 0, 0);
    char ch = '?';
    if (!o.trapped) ch = o.results[0].of.i32 == 10 ? 'a' : o.results[0].of.i32 == 11 ? 'b' : '?';
    else if (strcmp(o.message, "uninitialized element") == 0) ch = '.';
    else if (strcmp(o.message, "indirect call type mismatch") == 0) ch = 'c';
    else if (strcmp(o.message, "undefined element") == 0) ch = 'u';
    if (i == n) out[w++] = '|';
    out[w++] = ch;
  }
  out[w] = 0;
}

static void expect_slots(const table_t* t, const char* expected, const char* after) {
  char got[64];
  slots(t, got, sizeof got);
  SB_CHECK(strcmp(got, expected) == 0, "after %s the table is %s, expected %s", after, got, expected);
}

/* A table operation with up to 3 arguments: it succeeds, or traps with `trap`. */
static void expect_op(wasm_func_t* f, const char* what, uint32_t a, uint32_t b, uint32_t c, const char* trap) {
  sb_outcome_t o = sb_call_i32(f, a, b, c);
  if (trap)
    SB_CHECK(sb_trapped_with(&o, trap), "%s(%u, %u, %u): %s, expected %s", what, a, b, c,
             o.trapped ? o.message : "no trap", trap);
  else
    SB_CHECK(!o.trapped, "%s(%u, %u, %u): %s", what, a, b, c, o.message);
}

static void expect_result(wasm_func_t* f, const char* what, uint32_t arg, int32_t expected) {
  sb_outcome_t o = sb_call_i32(f, arg, 0, 0);
  SB_CHECK(!o.trapped && o.results[0].of.i32 == expected, "%s(%u): %s %d, expected %d", what, arg, o.message,
           o.results[0].of.i32, expected);
}

/* Active element segments at instantiation: one that does not fit makes instantiation trap "out
 * of bounds table access" without writing its own elements; the segments before it were
 * written, which an imported table shows. */
static void check_active_segments(wasm_store_t* store) {
  wasm_module_t* module = sb_compile(
      "(module (import \"m\" \"t\" (table 0 funcref)) (func $f)\n"
      "  (elem (i32.const 0) func $f) (elem (i32.const 1) func $f $f))");
  wasm_limits_t limits = {2, 2};
  wasm_tabletype_t* type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
  wasm_table_t* table = module ? wasm_table_new(store, type, NULL) : NULL;
  wasm_tabletype_delete(type);
  SB_CHECK(!module || table, "a table of 2 elements");
  if (table) {
    sb_outcome_t o = sb_instantiate_outcome(store, module, wasm_table_as_extern(table));
    SB_CHECK(sb_trapped_with(&o, SB_OOB_TABLE), "an element segment over the end: %s", o.message);
    wasm_ref_t* first = wasm_table_get(table, 0);
    wasm_ref_t* second = wasm_table_get(table, 1);
    SB_CHECK(first && !second, "after a segment over the end: slot 0 %s, slot 1 %s", first ? "set" : "null",
             second ? "set" : "null");
    if (first) wasm_ref_delete(first);
    if (second) wasm_ref_delete(second);
    wasm_table_delete(table);
  }
  if (module) wasm_module_delete(module);
}

void sb_table_cases(void) {
  wasm_store_t* store = wasm_store_new(sb_mode->engine);
  wasm_module_t* module = sb_compile(kModule);
  sb_instance_t inst;
  if (!module || !sb_instantiate(store, module, NULL, 0, &inst)) {
    if (module) wasm_module_delete(module);
    wasm_store_delete(store);
    return;
  }
  table_t t = {&inst,          sb_func(&inst, "get"),  sb_func(&inst, "set"),  sb_func(&inst, "grow"),
               sb_func(&inst, "size"), sb_func(&inst, "fill"), sb_func(&inst, "copy"), sb_func(&inst, "init"),
               sb_func(&inst, "call")};
  const char* oob = SB_OOB_TABLE;
  expect_slots(&t, "ab.|u", "instantiation");
  /* call_indirect at and past the end, and at indices that wrap. */
  const uint32_t past[] = {3, 4, 5, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
  for (size_t i = 0; i < sizeof past / sizeof past[0]; i++) {
    expect_op(t.call, "call_indirect", past[i], 0, 0, "undefined element");
    expect_op(t.get, "table.get", past[i], 0, 0, oob);
    expect_op(t.set, "table.set", past[i], 0, 0, oob);
  }
  expect_result(t.get, "table.get", 2, 1);
  expect_op(t.set, "table.set", 2, 0, 0, NULL);
  expect_slots(&t, "abb|u", "table.set of the last slot");
  /* table.fill: (start, n) */
  const uint32_t fills[][2] = {{4, 0}, {3, 1}, {1, 3}, {0xFFFFFFFF, 2}, {0, 0xFFFFFFFF}};
  for (size_t i = 0; i < sizeof fills / sizeof fills[0]; i++)
    expect_op(t.fill, "table.fill", fills[i][0], fills[i][1], 0, oob);
  expect_op(t.fill, "table.fill", 3, 0, 0, NULL);
  expect_slots(&t, "abb|u", "table.fill out of bounds");
  expect_op(t.fill, "table.fill", 2, 1, 0, NULL);
  expect_slots(&t, "aba|u", "table.fill of the last slot");
  /* table.copy and table.init (from the passive segment $a $b $c): (dst, src, n), both sources
   * of 3 elements. */
  const uint32_t ranges[][3] = {{4, 0, 0}, {0, 4, 0}, {1, 0, 3}, {0, 1, 3}, {0xFFFFFFFF, 0, 2}, {0, 0xFFFFFFFF, 2}};
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
    expect_op(t.copy, "table.copy", ranges[i][0], ranges[i][1], ranges[i][2], oob);
    expect_op(t.init, "table.init", ranges[i][0], ranges[i][1], ranges[i][2], oob);
  }
  expect_op(t.copy, "table.copy", 3, 3, 0, NULL);
  expect_op(t.init, "table.init", 3, 3, 0, NULL);
  expect_slots(&t, "aba|u", "table.copy and table.init out of bounds");
  expect_op(t.copy, "table.copy", 1, 0, 2, NULL);
  expect_slots(&t, "aab|u", "table.copy to the end");
  expect_op(t.init, "table.init", 0, 0, 3, NULL);
  expect_slots(&t, "abc|u", "table.init of the whole table");
  /* table.grow to the maximum of 5 and past it: -1, nothing changed. */
  expect_result(t.grow, "table.grow", 1, 3);
  expect_result(t.grow, "table.grow", 1, 4);
  const uint32_t too_much[] = {1, 2, 0x7FFFFFFF, 0xFFFFFFFF};
  for (size_t i = 0; i < sizeof too_much / sizeof too_much[0]; i++)
    expect_result(t.grow, "table.grow", too_much[i], -1);
  expect_result(t.grow, "table.grow", 0, 5);
  expect_slots(&t, "abc..|u", "table.grow to the maximum");
  expect_result(t.get, "table.get", 4, 1);
  expect_op(t.get, "table.get", 5, 0, 0, oob);
  expect_op(t.set, "table.set", 4, 0, 0, NULL);
  expect_op(t.set, "table.set", 5, 0, 0, oob);
  expect_op(t.fill, "table.fill", 3, 2, 0, NULL);
  expect_op(t.fill, "table.fill", 3, 3, 0, oob);
  expect_slots(&t, "abcaa|u", "table.fill of the grown slots");
  /* After elem.drop the segment is empty: only an empty init at its start is allowed. */
  sb_call(sb_func(&inst, "drop"), NULL, 0, 0);
  expect_op(t.init, "table.init", 0, 0, 0, NULL);
  expect_op(t.init, "table.init", 0, 0, 1, oob);
  expect_slots(&t, "abcaa|u", "table.init of a dropped segment");
  sb_instance_delete(&inst);
  wasm_module_delete(module);
  check_active_segments(store);
  wasm_store_delete(store);
}
