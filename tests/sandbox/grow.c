/* memory.grow up to the declared maximum and past it (-1, never a trap), the memory correct
 * after each step and accessed at each new edge, the size re-read after a grow inside one
 * function and in a loop; a fresh instance after growth ("shrinking back") has its own small
 * memory; and a memory grown to the engine's limit of 65536 pages (4 GiB, address space only),
 * accessed at its last byte and refused one byte further. */
#include <stdio.h>
#include <string.h>

#include "sandbox.h"

static const char kModule[] =
    "(module (memory (export \"mem\") 1 4)\n"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
    "  (func (export \"size\") (result i32) (memory.size))\n"
    "  (func (export \"load8\") (param i32) (result i32) (i32.load8_u (local.get 0)))\n"
    "  (func (export \"load64_max\") (param i32) (result i32)\n"
    "    (i64.load offset=0xFFFFFFFF (local.get 0)) (drop) (i32.const 0))\n"
    "  (func (export \"store8\") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))\n"
    /* The bound checked before a grow must not serve after it (bounds-checked mode keeps the
     * size in a register where it can). */
    "  (func (export \"load_grow_load\") (param i32 i32 i32) (result i32)\n"
    "    (i32.add (i32.load8_u (local.get 0))\n"
    "             (i32.add (i32.mul (memory.grow (local.get 1)) (i32.const 0)) (i32.load8_u (local.get 2)))))\n"
    /* Grows one page a time up to the maximum, writing the new last byte each time; returns the
     * number of pages grown. */
    "  (func (export \"grow_loop\") (result i32) (local $n i32)\n"
    "    (block $done (loop $next\n"
    "      (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))\n"
    "      (i32.store8 (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 1)) (i32.const 0x5A))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.const 1)))\n"
    "      (br $next)))\n"
    "    (local.get $n)))";

static const char kFullModule[] =
    "(module (memory (export \"mem\") 0)\n"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
    "  (func (export \"size\") (result i32) (memory.size))\n"
    "  (func (export \"load8\") (param i32) (result i32) (i32.load8_u (local.get 0)))\n"
    "  (func (export \"load8_1\") (param i32) (result i32) (i32.load8_u offset=1 (local.get 0)))\n"
    "  (func (export \"load32_max\") (param i32) (result i32) (i32.load offset=0xFFFFFFFF (local.get 0)))\n"
    "  (func (export \"load64\") (param i32) (result i64) (i64.load (local.get 0)))\n"
    "  (func (export \"load128\") (param i32) (result i64) (i64x2.extract_lane 1 (v128.load (local.get 0))))\n"
    "  (func (export \"store64\") (param i32 i64) (i64.store (local.get 0) (local.get 1)))\n"
    "  (func (export \"fill\") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2))))";

static int32_t call_i32(const sb_instance_t* inst, const char* name, uint32_t a, bool* trapped) {
  sb_outcome_t o = sb_call_i32(sb_func(inst, name), a, 0, 0);
  if (trapped) *trapped = o.trapped;
  return o.trapped ? INT32_MIN : o.results[0].of.i32;
}

static void expect_i32(const sb_instance_t* inst, const char* name, uint32_t arg, int32_t expected) {
  sb_outcome_t o = sb_call_i32(sb_func(inst, name), arg, 0, 0);
  SB_CHECK(!o.trapped && o.results[0].of.i32 == expected, "%s(%u): %s %d, expected %d", name, arg, o.message,
           o.results[0].of.i32, expected);
}

static void expect_oob(const sb_instance_t* inst, const char* name, uint32_t arg) {
  sb_outcome_t o = sb_call_i32(sb_func(inst, name), arg, 0, 0);
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s(%u): %s", name, arg, o.trapped ? o.message : "no trap");
}

/* Grows step by step to the maximum of 4 pages; failures return -1 and change nothing. */
static void grow_to_maximum(wasm_store_t* store, wasm_module_t* module) {
  sb_instance_t inst;
  if (!sb_instantiate(store, module, NULL, 0, &inst)) return;
  wasm_memory_t* memory = sb_memory(&inst, "mem");
  expect_i32(&inst, "size", 0, 1);
  expect_i32(&inst, "load8", 65535, 0);
  expect_oob(&inst, "load8", 65536);
  sb_call_i32(sb_func(&inst, "store8"), 65535, 0x11, 0);
  expect_i32(&inst, "grow", 1, 1);
  expect_i32(&inst, "size", 0, 2);
  expect_i32(&inst, "load8", 65535, 0x11);   /* old contents kept */
  expect_i32(&inst, "load8", 65536, 0);      /* new page zeroed */
  expect_i32(&inst, "load8", 131071, 0);
  expect_oob(&inst, "load8", 131072);
  expect_oob(&inst, "load64_max", 0);
  expect_oob(&inst, "load64_max", 0xFFFFFFFF);
  expect_i32(&inst, "grow", 2, 2);
  expect_i32(&inst, "size", 0, 4);
  uint32_t last = 4 * 65536 - 1;
  sb_call_i32(sb_func(&inst, "store8"), last, 0x22, 0);
  /* Past the maximum: -1 and nothing else, however large the request. */
  const uint32_t too_much[] = {1, 2, 65536, 65537, 0x7FFFFFFF, 0xFFFFFFFF};
  for (size_t i = 0; i < sizeof too_much / sizeof too_much[0]; i++) expect_i32(&inst, "grow", too_much[i], -1);
  SB_CHECK(!wasm_memory_grow(memory, 1), "the host grew a memory past its maximum");
  expect_i32(&inst, "grow", 0, 4);
  expect_i32(&inst, "size", 0, 4);
  SB_CHECK(wasm_memory_data_size(memory) == 4 * SB_PAGE, "size %zu after failed grows", wasm_memory_data_size(memory));
  expect_i32(&inst, "load8", 65535, 0x11);
  expect_i32(&inst, "load8", last, 0x22);
  expect_oob(&inst, "load8", last + 1);
  expect_oob(&inst, "load8", 0xFFFFFFFF);
  sb_instance_delete(&inst);

  /* A fresh instance is the only way back to a smaller memory: it has its own, of 1 page,
   * zeroed, and the old memory's pages are out of its bounds. */
  if (!sb_instantiate(store, module, NULL, 0, &inst)) return;
  expect_i32(&inst, "size", 0, 1);
  expect_i32(&inst, "load8", 65535, 0);
  expect_oob(&inst, "load8", 65536);
  expect_oob(&inst, "load8", last);
  /* The size is re-read after a grow within one function. */
  expect_oob(&inst, "load8", 70000);
  sb_outcome_t o = sb_call_i32(sb_func(&inst, "load_grow_load"), 65535, 1, 70000);
  SB_CHECK(!o.trapped && o.results[0].of.i32 == 0, "load, grow, load at the new page: %s", o.message);
  o = sb_call_i32(sb_func(&inst, "load_grow_load"), 65535, 0, 2 * 65536);
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "load, grow by 0, load past the end: %s",
           o.trapped ? o.message : "no trap");
  o = sb_call_i32(sb_func(&inst, "load_grow_load"), 65535, 5, 2 * 65536); /* the grow fails */
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "load, failed grow, load past the end: %s",
           o.trapped ? o.message : "no trap");
  /* A loop that grows and writes each new last byte, then every one of them read back. */
  expect_i32(&inst, "grow_loop", 0, 2);
  expect_i32(&inst, "size", 0, 4);
  for (uint32_t p = 3; p <= 4; p++) expect_i32(&inst, "load8", p * 65536 - 1, 0x5A);
  expect_oob(&inst, "load8", 4 * 65536);
  sb_instance_delete(&inst);
}

/* 65536 pages (mapped, not touched): the whole 32-bit space is memory, so only the access width
 * and the static offset can leave it. In bounds-checked mode a memory without a maximum reserves
 * exactly 4 GiB, so nothing but the compiled check is past its end. */
static void grow_to_engine_limit(wasm_store_t* store) {
  wasm_module_t* module = sb_compile(kFullModule);
  sb_instance_t inst;
  if (!module || !sb_instantiate(store, module, NULL, 0, &inst)) {
    if (module) wasm_module_delete(module);
    return;
  }
  wasm_module_delete(module);
  bool trapped;
  int32_t old = call_i32(&inst, "grow", 65536, &trapped);
  SB_CHECK(!trapped && old == 0, "memory.grow to 65536 pages returned %d (it needs 4 GiB of address space)", old);
  if (old != 0) {
    sb_instance_delete(&inst);
    return;
  }
  expect_i32(&inst, "size", 0, 65536);
  expect_i32(&inst, "grow", 1, -1);
  expect_i32(&inst, "grow", 0, 65536);
  wasm_val_t args[2] = {WASM_I32_VAL((int32_t)0xFFFFFFF8u), WASM_I64_VAL(0x0102030405060708)};
  sb_outcome_t o = sb_call(sb_func(&inst, "store64"), args, 2, 0);
  SB_CHECK(!o.trapped, "i64.store at 4 GiB - 8: %s", o.message);
  expect_i32(&inst, "load8", 0xFFFFFFFF, 0x01);
  expect_i32(&inst, "load8_1", 0xFFFFFFFE, 0x01);
  expect_oob(&inst, "load8_1", 0xFFFFFFFF);     /* address 4 GiB */
  expect_oob(&inst, "load32_max", 0);           /* bytes 4 GiB - 1 .. 4 GiB + 2 */
  expect_oob(&inst, "load32_max", 0xFFFFFFFF);  /* 2^33 - 2 */
  wasm_val_t at[1] = {WASM_I32_VAL((int32_t)0xFFFFFFF8u)};
  o = sb_call(sb_func(&inst, "load64"), at, 1, 1);
  SB_CHECK(!o.trapped && o.results[0].of.i64 == 0x0102030405060708, "i64.load at 4 GiB - 8: %s", o.message);
  at[0].of.i32 = (int32_t)0xFFFFFFF9u;
  o = sb_call(sb_func(&inst, "load64"), at, 1, 1);
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "i64.load at 4 GiB - 7: %s", o.trapped ? o.message : "no trap");
  at[0].of.i32 = (int32_t)0xFFFFFFF0u;
  o = sb_call(sb_func(&inst, "load128"), at, 1, 1);
  SB_CHECK(!o.trapped && o.results[0].of.i64 == 0x0102030405060708, "v128.load at 4 GiB - 16: %s", o.message);
  at[0].of.i32 = (int32_t)0xFFFFFFF1u;
  o = sb_call(sb_func(&inst, "load128"), at, 1, 1);
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "v128.load at 4 GiB - 15: %s", o.trapped ? o.message : "no trap");
  o = sb_call_i32(sb_func(&inst, "fill"), 0xFFFFFFFF, 0x77, 1);
  SB_CHECK(!o.trapped, "memory.fill of the last byte: %s", o.message);
  expect_i32(&inst, "load8", 0xFFFFFFFF, 0x77);
  o = sb_call_i32(sb_func(&inst, "fill"), 0xFFFFFFFF, 0x66, 2);
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "memory.fill over 4 GiB: %s", o.trapped ? o.message : "no trap");
  expect_i32(&inst, "load8", 0xFFFFFFFF, 0x77);
  expect_i32(&inst, "load8", 0, 0);
  sb_instance_delete(&inst);
}

void sb_memory_grow_cases(void) {
  wasm_store_t* store = wasm_store_new(sb_mode->engine);
  wasm_module_t* module = sb_compile(kModule);
  if (module) {
    grow_to_maximum(store, module);
    wasm_module_delete(module);
  }
  grow_to_engine_limit(store);
  wasm_store_delete(store);
}
