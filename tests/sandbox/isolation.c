/* Two instances' memories, in one store and in two: one instance fills its memory with a
 * pattern and the other looks for it by every means it has: its own memory byte by byte (never
 * the pattern), every page just past its end and every 16 MiB up to index + offset = 2^33 - 2 (all
 * traps), and the exact addresses at which, counted from its own base, the other memory lies
 * (computed from both bases; a load there traps, a store traps and changes nothing). In
 * bounds-checked mode a memory with a maximum reserves only that, so two such memories are
 * usually neighbours in the address space and those exact addresses are within reach: the
 * compiled check alone keeps them apart. */
#include <stdio.h>
#include <string.h>

#include "sandbox.h"

static const char kModuleFormat[] =
    "(module (memory (export \"mem\") 1 %s)\n"
    "  (func (export \"load8\") (param i32) (result i32) (i32.load8_u (local.get 0)))\n"
    "  (func (export \"load8_far\") (param i32) (result i32) (i32.load8_u offset=0xFFFFFFFF (local.get 0)))\n"
    "  (func (export \"store8\") (param i32) (i32.store8 (local.get 0) (i32.const 0)))\n"
    "  (func (export \"store8_far\") (param i32) (i32.store8 offset=0xFFFFFFFF (local.get 0) (i32.const 0)))\n"
    /* The first byte offset at which the 8-byte pattern lies in this memory, or -1. */
    "  (func (export \"find\") (param i64) (result i32) (local $i i32)\n"
    "    (block $none (loop $next\n"
    "      (br_if $none (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (i32.shl (memory.size) (i32.const 16))))\n"
    "      (if (i64.eq (i64.load (local.get $i)) (local.get 0)) (then (return (local.get $i))))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "      (br $next)))\n"
    "    (i32.const -1)))";

static const uint64_t kPattern = 0x5A17C0DEF00DFACEull;
static const uint64_t kMaxAddress = 2 * 0xFFFFFFFFull; /* index + offset */

typedef struct {
  sb_instance_t inst;
  wasm_memory_t* memory;
  wasm_func_t *load8, *load8_far, *store8, *store8_far, *find;
} side_t;

static bool side_new(wasm_store_t* store, const wasm_module_t* module, side_t* s) {
  memset(s, 0, sizeof *s);
  if (!sb_instantiate(store, module, NULL, 0, &s->inst)) return false;
  s->memory = sb_memory(&s->inst, "mem");
  s->load8 = sb_func(&s->inst, "load8");
  s->load8_far = sb_func(&s->inst, "load8_far");
  s->store8 = sb_func(&s->inst, "store8");
  s->store8_far = sb_func(&s->inst, "store8_far");
  s->find = sb_func(&s->inst, "find");
  return s->memory != NULL;
}

/* An access at effective address `ea` (up to 2^33 - 2) by offset 0 or offset 2^32 - 1. */
static sb_outcome_t probe(const side_t* s, uint64_t ea, bool store) {
  bool far = ea > 0xFFFFFFFFull;
  uint32_t index = (uint32_t)(far ? ea - 0xFFFFFFFFull : ea);
  wasm_func_t* f = store ? (far ? s->store8_far : s->store8) : (far ? s->load8_far : s->load8);
  return sb_call_i32(f, index, 0, 0);
}

static bool all_pattern(wasm_memory_t* m) {
  const uint8_t* d = (const uint8_t*)wasm_memory_data(m);
  size_t n = wasm_memory_data_size(m);
  for (size_t i = 0; i + 8 <= n; i += 8)
    if (memcmp(d + i, &kPattern, 8) != 0) return false;
  return true;
}

/* `reader` tries to reach `writer`'s memory, which holds the pattern. */
static void try_to_reach(const side_t* reader, const side_t* writer, const char* what) {
  uint64_t size = wasm_memory_data_size(reader->memory);
  wasm_val_t pattern[1] = {WASM_I64_VAL((int64_t)kPattern)};
  sb_outcome_t o = sb_call(reader->find, pattern, 1, 1);
  SB_CHECK(!o.trapped && o.results[0].of.i32 == -1, "%s: the pattern found in the reader's own memory: %s %d", what,
           o.message, o.results[0].of.i32);
  uint64_t probes = 0;
  /* Every page for 16 pages, then every 16 MiB: the exact addresses below are the ones that
   * matter; these show that no address between them reads anything. */
  for (uint64_t ea = size; ea <= kMaxAddress; ea += ea < size + 16 * SB_PAGE ? SB_PAGE : (16ull << 20), probes++) {
    o = probe(reader, ea, false);
    SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s: load at %llu past a memory of %llu bytes: %s %d", what,
             (unsigned long long)ea, (unsigned long long)size, o.trapped ? o.message : "no trap, read",
             o.results[0].of.i32);
  }
  o = probe(reader, kMaxAddress, false);
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s: load at 2^33 - 2: %s", what, o.trapped ? o.message : "no trap");
  /* Where the writer's bytes are, counted from the reader's base. */
  int64_t delta = (int64_t)((intptr_t)wasm_memory_data(writer->memory) - (intptr_t)wasm_memory_data(reader->memory));
  uint64_t wsize = wasm_memory_data_size(writer->memory);
  /* A guard-page engine that fell back to bounds checks (Engine::create does when it cannot
   * reserve 8 GiB) would run this program's "guard pages" half in the other mode: its memories
   * would lie closer than one reservation apart. */
  uint64_t distance = (uint64_t)(delta < 0 ? -delta : delta);
  if (!sb_mode->bounds_checks)
    SB_CHECK(distance >= 2 * SB_4GIB + SB_PAGE, "%s: memories %llu bytes apart: not 8 GiB reservations", what,
             (unsigned long long)distance);
  int reachable = 0;
  const uint64_t within[] = {0, 1, wsize / 2, wsize - 1};
  for (size_t i = 0; i < sizeof within / sizeof within[0]; i++) {
    int64_t ea = delta + (int64_t)within[i];
    if (ea < 0 || (uint64_t)ea > kMaxAddress) continue;
    ++reachable;
    o = probe(reader, (uint64_t)ea, false);
    SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s: load of the other memory's byte %llu (address %lld): %s %d",
             what, (unsigned long long)within[i], (long long)ea, o.trapped ? o.message : "no trap, read",
             o.results[0].of.i32);
    o = probe(reader, (uint64_t)ea, true);
    SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s: store to the other memory's byte %llu (address %lld): %s",
             what, (unsigned long long)within[i], (long long)ea, o.trapped ? o.message : "no trap");
  }
  SB_CHECK(all_pattern(writer->memory), "%s: the other memory changed", what);
  sb_note("%s: %llu probes past the end; the other memory is %lld bytes from this one's base, %d of 4 of its bytes "
          "within index + offset",
          what, (unsigned long long)probes, (long long)delta, reachable);
}

static void check_pair(wasm_store_t* store_a, wasm_store_t* store_b, const char* max, const char* what) {
  char text[sizeof kModuleFormat + 16];
  snprintf(text, sizeof text, kModuleFormat, max);
  wasm_module_t* module = sb_compile(text);
  if (!module) return;
  side_t a, b;
  if (side_new(store_a, module, &a)) {
    if (side_new(store_b, module, &b)) {
      uint8_t* d = (uint8_t*)wasm_memory_data(a.memory);
      for (size_t i = 0; i + 8 <= wasm_memory_data_size(a.memory); i += 8) memcpy(d + i, &kPattern, 8);
      char label[160];
      snprintf(label, sizeof label, "%s, second reads first", what);
      try_to_reach(&b, &a, label);
      /* And the other way round, with the pattern in the second memory. */
      memset(d, 0, wasm_memory_data_size(a.memory));
      d = (uint8_t*)wasm_memory_data(b.memory);
      for (size_t i = 0; i + 8 <= wasm_memory_data_size(b.memory); i += 8) memcpy(d + i, &kPattern, 8);
      snprintf(label, sizeof label, "%s, first reads second", what);
      try_to_reach(&a, &b, label);
      sb_instance_delete(&b.inst);
    }
    sb_instance_delete(&a.inst);
  }
  wasm_module_delete(module);
}

void sb_isolation_cases(void) {
  const char* maxima[][2] = {{"1", "memories of 1 page, max 1"}, {"", "memories of 1 page, no max"}};
  for (size_t m = 0; m < 2; m++) {
    char what[96];
    wasm_store_t* one = wasm_store_new(sb_mode->engine);
    snprintf(what, sizeof what, "one store, %s", maxima[m][1]);
    check_pair(one, one, maxima[m][0], what);
    wasm_store_t* other = wasm_store_new(sb_mode->engine);
    snprintf(what, sizeof what, "two stores, %s", maxima[m][1]);
    check_pair(one, other, maxima[m][0], what);
    wasm_store_delete(other);
    wasm_store_delete(one);
  }
}
