/* memory.fill, memory.copy and memory.init at the edges: an operation that fits changes exactly
 * its bytes; one that does not, by a byte or by wrapping past 4 GiB in 32 bits, traps "out of
 * bounds memory access" before writing anything (WebAssembly 2.0 checks the whole range first).
 * And active data segments at the end of a memory when an instance is made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static const char kModule[] =
    "(module (import \"m\" \"mem\" (memory 0))\n"
    "  (func (export \"fill\") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"copy\") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"init\") (param i32 i32 i32) (memory.init $seg (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"drop\") (data.drop $seg))\n"
    "  (data $seg \"0123456789abcdef\"))";
static const char kSegment[] = "0123456789abcdef";
enum { kSegmentSize = 16 };

typedef enum { FILL, COPY, INIT } bulk_op_t;
static const char* const kOpNames[] = {"memory.fill", "memory.copy", "memory.init"};

/* One call: (a, b, c) are (dst, value, n), (dst, src, n) or (dst, segment offset, n), written
 * relative to the memory size S as base + delta so one table serves every size. */
typedef struct {
  bulk_op_t op;
  int a_from_size, b_from_size; /* 1: the argument is S + delta; 0: it is delta */
  int64_t a, b;
  uint32_t n;
} bulk_case_t;

static const bulk_case_t kCases[] = {
    {FILL, 1, 0, -4, 0xAB, 4},                 /* ends at the last byte */
    {FILL, 1, 0, -3, 0xAB, 4},                 /* one byte over */
    {FILL, 1, 0, 0, 0xAB, 0},                  /* empty at the end: allowed */
    {FILL, 1, 0, 1, 0xAB, 0},                  /* empty past the end: traps */
    {FILL, 0, 0, 0xFFFFFFFF, 0xAB, 2},         /* wraps to 1 in 32 bits */
    {FILL, 0, 0, 0, 0xAB, 0xFFFFFFFF},         /* 4 GiB - 1 bytes */
    {FILL, 1, 0, -1, 0xAB, 0xFFFFFFFF},
    {FILL, 0, 0, 0xFFFFFFFF, 0xAB, 0xFFFFFFFF},
    {FILL, 1, 0, -65536, 0xCD, 65536},         /* the whole last page */
    {FILL, 1, 0, -65536, 0xCD, 65537},
    {COPY, 0, 1, 0, -4, 4},                    /* from the last bytes */
    {COPY, 1, 0, -4, 0, 4},                    /* to the last bytes */
    {COPY, 0, 1, 0, -3, 4},                    /* source one byte over */
    {COPY, 1, 0, -3, 0, 4},                    /* destination one byte over */
    {COPY, 1, 1, 0, 0, 0},
    {COPY, 1, 0, 1, 0, 0},
    {COPY, 0, 1, 0, 1, 0},
    {COPY, 0, 0, 0xFFFFFFFF, 0, 2},
    {COPY, 0, 0, 0, 0xFFFFFFFF, 2},
    {COPY, 0, 0, 1, 0, 0xFFFFFFFF},
    {COPY, 1, 1, -9, -10, 9},                  /* overlapping, up by one, ending at the last byte */
    {COPY, 1, 1, -9, -8, 9},                   /* overlapping, source one byte over */
    {COPY, 0, 1, 1, -1, 1},
    {INIT, 1, 0, -16, 0, 16},                  /* the whole segment at the end */
    {INIT, 1, 0, -15, 0, 16},
    {INIT, 0, 0, 0, 1, 16},                    /* past the segment's end */
    {INIT, 1, 0, 0, 16, 0},                    /* empty at both ends: allowed */
    {INIT, 1, 0, 1, 0, 0},
    {INIT, 0, 0, 0, 17, 0},
    {INIT, 0, 0, 0xFFFFFFFF, 0, 2},
    {INIT, 0, 0, 0, 0xFFFFFFFF, 2},
    {INIT, 1, 0, -1, 15, 1},                   /* last byte of each */
};

/* Applies an operation that fits to the host's copy of memory. */
static void apply(const bulk_case_t* c, uint8_t* ref, uint64_t a, uint64_t b) {
  switch (c->op) {
    case FILL: memset(ref + a, (int)(b & 0xFF), c->n); break;
    case COPY: memmove(ref + a, ref + b, c->n); break;
    case INIT: memcpy(ref + a, kSegment + b, c->n); break;
  }
}

static void check_bulk(const sb_instance_t* inst, wasm_memory_t* memory, const char* what) {
  uint64_t size = wasm_memory_data_size(memory);
  uint8_t* data = (uint8_t*)wasm_memory_data(memory);
  for (uint64_t i = 0; i < size; i++) data[i] = (uint8_t)(i * 7 + 1);
  uint8_t* ref = malloc(size ? size : 1);
  memcpy(ref, data, size);
  wasm_func_t* funcs[] = {sb_func(inst, "fill"), sb_func(inst, "copy"), sb_func(inst, "init")};
  for (size_t i = 0; i < sizeof kCases / sizeof kCases[0]; i++) {
    const bulk_case_t* c = &kCases[i];
    int64_t a = c->a + (c->a_from_size ? (int64_t)size : 0), b = c->b + (c->b_from_size ? (int64_t)size : 0);
    if (a < 0 || b < 0) continue; /* the case needs a larger memory */
    uint64_t source_size = c->op == COPY ? size : kSegmentSize;
    bool fits = (uint64_t)a + c->n <= size && (c->op == FILL || (uint64_t)b + c->n <= source_size);
    sb_outcome_t o = sb_call_i32(funcs[c->op], (uint32_t)a, (uint32_t)b, c->n);
    if (fits) {
      SB_CHECK(!o.trapped, "%s: %s(%lld, %lld, %u), size %llu: %s", what, kOpNames[c->op], (long long)a,
               (long long)b, c->n, (unsigned long long)size, o.message);
      if (!o.trapped) apply(c, ref, (uint64_t)a, (uint64_t)b);
    } else {
      SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s: %s(%lld, %lld, %u), size %llu: %s", what, kOpNames[c->op],
               (long long)a, (long long)b, c->n, (unsigned long long)size, o.trapped ? o.message : "no trap");
    }
    SB_CHECK(memcmp(data, ref, size) == 0, "%s: %s(%lld, %lld, %u), size %llu: memory not as expected after it", what,
             kOpNames[c->op], (long long)a, (long long)b, c->n, (unsigned long long)size);
    memcpy(data, ref, size);
  }
  /* After data.drop the segment has size 0: only an empty init at its start is allowed. */
  sb_call(sb_func(inst, "drop"), NULL, 0, 0);
  sb_outcome_t o = sb_call_i32(funcs[INIT], 0, 0, 0);
  SB_CHECK(!o.trapped, "%s: empty memory.init of a dropped segment: %s", what, o.message);
  o = sb_call_i32(funcs[INIT], 0, 0, 1);
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s: memory.init of a dropped segment: %s", what,
           o.trapped ? o.message : "no trap");
  SB_CHECK(memcmp(data, ref, size) == 0, "%s: memory changed by a dropped segment", what);
  free(ref);
}

/* Active data segments at instantiation: one that does not fit makes instantiation trap "out of
 * bounds memory access" without writing its own bytes; the segments before it were written
 * (WebAssembly 2.0 applies them in order), which an imported memory shows. */
static void check_active_segments(wasm_store_t* store) {
  wasm_module_t* module = sb_compile(
      "(module (import \"m\" \"mem\" (memory 0))\n"
      "  (data (i32.const 0) \"AB\") (data (i32.const 65534) \"CD\") (data (i32.const 65535) \"EF\"))");
  wasm_memory_t* memory = module ? sb_memory_new(store, 1, 1) : NULL;
  if (!memory) {
    if (module) wasm_module_delete(module);
    return;
  }
  sb_outcome_t o = sb_instantiate_outcome(store, module, wasm_memory_as_extern(memory));
  SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "a data segment over the end: %s", o.message);
  const uint8_t* d = (const uint8_t*)wasm_memory_data(memory);
  SB_CHECK(memcmp(d, "AB", 2) == 0 && memcmp(d + 65534, "CD", 2) == 0,
           "the segments before the one over the end were not written");
  wasm_memory_delete(memory);
  wasm_module_delete(module);
}

void sb_bulk_memory_cases(void) {
  wasm_store_t* store = wasm_store_new(sb_mode->engine);
  wasm_module_t* module = sb_compile(kModule);
  if (module) sb_on_imported_memories(store, module, check_bulk);
  check_active_segments(store);
  if (module) wasm_module_delete(module);
  wasm_store_delete(store);
}
