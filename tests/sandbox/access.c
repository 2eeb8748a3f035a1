/* Every load and store width at effective addresses around each edge of a memory: the last valid
 * byte, one past it, every straddle of the end, page boundaries, 2 GiB, 4 GiB - 1, 4 GiB and
 * index + offset up to 2^33 - 2, each address reached through every static offset that can reach
 * it. An access inside returns the bytes there (a store writes exactly its bytes); one that does
 * not fit traps "out of bounds memory access" and leaves the whole memory unchanged, so a store
 * that wrote its first bytes before faulting, or whose address wrapped at 4 GiB, is caught. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

typedef enum { LOAD, LOAD_DROPPED, STORE } access_kind_t;

/* How a load's value reaches the i64 result, so the host can predict it from the bytes. */
typedef enum {
  SCALAR,    /* `width` bytes, sign- or zero-extended to `bits`, then zero-extended to 64 */
  V_FULL,    /* v128.load */
  V_EXTEND,  /* v128.loadNxM_{s,u}: 8 bytes, lanes of `lane_bytes` widened to twice that */
  V_SPLAT,   /* v128.loadN_splat */
  V_ZERO,    /* v128.loadN_zero */
  V_LANE,    /* v128.loadN_lane into lane `lane` of zeros (a store: storeN_lane from that lane) */
} shape_t;

typedef struct {
  const char* op;
  access_kind_t kind;
  unsigned width; /* bytes accessed */
  shape_t shape;
  bool sign;
  unsigned bits;       /* SCALAR: the wasm result's width */
  unsigned lane_bytes; /* V_EXTEND */
  unsigned lane;       /* V_LANE */
} access_t;

/* v128 results are folded to one i64 in which every byte counts: lo ^ rotl(hi, 1). */
#define FOLD \
  "(i64.xor (i64x2.extract_lane 0 (local.get 2)) (i64.rotl (i64x2.extract_lane 1 (local.get 2)) (i64.const 1)))"

static const access_t kAccesses[] = {
    {"i32.load", LOAD, 4, SCALAR, false, 32, 0, 0},
    {"i64.load", LOAD, 8, SCALAR, false, 64, 0, 0},
    {"f32.load", LOAD, 4, SCALAR, false, 32, 0, 0},
    {"f64.load", LOAD, 8, SCALAR, false, 64, 0, 0},
    {"i32.load8_s", LOAD, 1, SCALAR, true, 32, 0, 0},
    {"i32.load8_u", LOAD, 1, SCALAR, false, 32, 0, 0},
    {"i32.load16_s", LOAD, 2, SCALAR, true, 32, 0, 0},
    {"i32.load16_u", LOAD, 2, SCALAR, false, 32, 0, 0},
    {"i64.load8_s", LOAD, 1, SCALAR, true, 64, 0, 0},
    {"i64.load8_u", LOAD, 1, SCALAR, false, 64, 0, 0},
    {"i64.load16_s", LOAD, 2, SCALAR, true, 64, 0, 0},
    {"i64.load16_u", LOAD, 2, SCALAR, false, 64, 0, 0},
    {"i64.load32_s", LOAD, 4, SCALAR, true, 64, 0, 0},
    {"i64.load32_u", LOAD, 4, SCALAR, false, 64, 0, 0},
    {"v128.load", LOAD, 16, V_FULL, false, 0, 0, 0},
    {"v128.load8x8_s", LOAD, 8, V_EXTEND, true, 0, 1, 0},
    {"v128.load8x8_u", LOAD, 8, V_EXTEND, false, 0, 1, 0},
    {"v128.load16x4_s", LOAD, 8, V_EXTEND, true, 0, 2, 0},
    {"v128.load16x4_u", LOAD, 8, V_EXTEND, false, 0, 2, 0},
    {"v128.load32x2_s", LOAD, 8, V_EXTEND, true, 0, 4, 0},
    {"v128.load32x2_u", LOAD, 8, V_EXTEND, false, 0, 4, 0},
    {"v128.load8_splat", LOAD, 1, V_SPLAT, false, 0, 0, 0},
    {"v128.load16_splat", LOAD, 2, V_SPLAT, false, 0, 0, 0},
    {"v128.load32_splat", LOAD, 4, V_SPLAT, false, 0, 0, 0},
    {"v128.load64_splat", LOAD, 8, V_SPLAT, false, 0, 0, 0},
    {"v128.load32_zero", LOAD, 4, V_ZERO, false, 0, 0, 0},
    {"v128.load64_zero", LOAD, 8, V_ZERO, false, 0, 0, 0},
    {"v128.load8_lane", LOAD, 1, V_LANE, false, 0, 0, 15},
    {"v128.load16_lane", LOAD, 2, V_LANE, false, 0, 0, 7},
    {"v128.load32_lane", LOAD, 4, V_LANE, false, 0, 0, 3},
    {"v128.load64_lane", LOAD, 8, V_LANE, false, 0, 0, 1},
    /* The same loads with their value unused: LLVM deletes such a load unless it is kept, which
     * would lose the trap in guard-page mode (docs/architecture.md, "Linear memory"). */
    {"i32.load", LOAD_DROPPED, 4, SCALAR, false, 32, 0, 0},
    {"i64.load", LOAD_DROPPED, 8, SCALAR, false, 64, 0, 0},
    {"f32.load", LOAD_DROPPED, 4, SCALAR, false, 32, 0, 0},
    {"f64.load", LOAD_DROPPED, 8, SCALAR, false, 64, 0, 0},
    {"i32.load8_u", LOAD_DROPPED, 1, SCALAR, false, 32, 0, 0},
    {"i32.load16_s", LOAD_DROPPED, 2, SCALAR, true, 32, 0, 0},
    {"i64.load32_u", LOAD_DROPPED, 4, SCALAR, false, 64, 0, 0},
    {"v128.load", LOAD_DROPPED, 16, V_FULL, false, 0, 0, 0},
    {"v128.load16x4_s", LOAD_DROPPED, 8, V_EXTEND, true, 0, 2, 0},
    {"v128.load32_splat", LOAD_DROPPED, 4, V_SPLAT, false, 0, 0, 0},
    {"v128.load64_zero", LOAD_DROPPED, 8, V_ZERO, false, 0, 0, 0},
    {"v128.load8_lane", LOAD_DROPPED, 1, V_LANE, false, 0, 0, 15},
    {"i32.store", STORE, 4, SCALAR, false, 32, 0, 0},
    {"i64.store", STORE, 8, SCALAR, false, 64, 0, 0},
    {"f32.store", STORE, 4, SCALAR, false, 32, 0, 0},
    {"f64.store", STORE, 8, SCALAR, false, 64, 0, 0},
    {"i32.store8", STORE, 1, SCALAR, false, 32, 0, 0},
    {"i32.store16", STORE, 2, SCALAR, false, 32, 0, 0},
    {"i64.store8", STORE, 1, SCALAR, false, 64, 0, 0},
    {"i64.store16", STORE, 2, SCALAR, false, 64, 0, 0},
    {"i64.store32", STORE, 4, SCALAR, false, 64, 0, 0},
    {"v128.store", STORE, 16, V_FULL, false, 0, 0, 0},
    {"v128.store8_lane", STORE, 1, V_LANE, false, 0, 0, 15},
    {"v128.store16_lane", STORE, 2, V_LANE, false, 0, 0, 7},
    {"v128.store32_lane", STORE, 4, V_LANE, false, 0, 0, 3},
    {"v128.store64_lane", STORE, 8, V_LANE, false, 0, 0, 1},
};
enum { kNumAccesses = sizeof kAccesses / sizeof kAccesses[0] };

/* The static offsets compiled into each access: small ones, page edges, 2 GiB and the largest. */
static const uint32_t kOffsets[] = {0, 1, 65535, 65536, 0x80000000u, 0xFFFFFFF0u, 0xFFFFFFFEu, 0xFFFFFFFFu};
enum { kNumOffsets = sizeof kOffsets / sizeof kOffsets[0] };

/* The value a store's i64 argument becomes in wasm (the text's conversion of (local.get 1)). */
static const char* store_operand(const access_t* a) {
  if (a->shape == V_FULL || a->shape == V_LANE) return "(i64x2.splat (local.get 1))";
  if (strncmp(a->op, "f32", 3) == 0) return "(f32.reinterpret_i32 (i32.wrap_i64 (local.get 1)))";
  if (strncmp(a->op, "f64", 3) == 0) return "(f64.reinterpret_i64 (local.get 1))";
  if (strncmp(a->op, "i32", 3) == 0) return "(i32.wrap_i64 (local.get 1))";
  return "(local.get 1)";
}

/* One function per access and offset, all (param i32 index, i64 value) (result i64), exported as
 * "a<access>_<offset>". */
static void access_module_text(sb_text_t* t, const char* memory) {
  sb_append(t, "(module %s\n", memory);
  for (int i = 0; i < kNumAccesses; i++) {
    const access_t* a = &kAccesses[i];
    for (int k = 0; k < kNumOffsets; k++) {
      char memarg[64], lane[8] = "";
      snprintf(memarg, sizeof memarg, "offset=%u", kOffsets[k]);
      if (a->shape == V_LANE) snprintf(lane, sizeof lane, " %u", a->lane);
      sb_append(t, "(func (export \"a%d_%d\") (param i32 i64) (result i64) (local v128)\n", i, k);
      bool vector = a->shape != SCALAR;
      const char* vector_in = a->shape == V_LANE ? " (v128.const i64x2 0 0)" : "";
      if (a->kind == STORE) {
        sb_append(t, "  (%s %s%s (local.get 0) %s) (i64.const 0))\n", a->op, memarg, lane, store_operand(a));
      } else if (a->kind == LOAD_DROPPED) {
        sb_append(t, "  (drop (%s %s%s (local.get 0)%s)) (i64.const 0))\n", a->op, memarg, lane, vector_in);
      } else if (vector) {
        sb_append(t, "  (local.set 2 (%s %s%s (local.get 0)%s)) " FOLD ")\n", a->op, memarg, lane, vector_in);
      } else {
        const char* to64 = "";
        if (strcmp(a->op, "f32.load") == 0) to64 = "i32.reinterpret_f32 i64.extend_i32_u";
        else if (strcmp(a->op, "f64.load") == 0) to64 = "i64.reinterpret_f64";
        else if (a->bits == 32) to64 = "i64.extend_i32_u";
        sb_append(t, "  (local.get 0) (%s %s) %s)\n", a->op, memarg, to64);
      }
    }
  }
  sb_append(t, ")\n");
}

static uint64_t le_bytes(const uint8_t* p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static uint64_t extend(uint64_t v, unsigned from_bits, bool sign, unsigned to_bits) {
  if (sign && from_bits < 64 && (v >> (from_bits - 1)) & 1) v |= ~0ull << from_bits;
  return to_bits == 64 ? v : v & ((1ull << to_bits) - 1);
}

static uint64_t rotl1(uint64_t v) { return (v << 1) | (v >> 63); }

/* What a load at `p` returns, as the module's i64. */
static uint64_t expected_load(const access_t* a, const uint8_t* p) {
  if (a->kind == LOAD_DROPPED) return 0;
  if (a->shape == SCALAR) return extend(le_bytes(p, a->width), 8 * a->width, a->sign, a->bits);
  uint8_t v[16] = {0};
  switch (a->shape) {
    case V_FULL: memcpy(v, p, 16); break;
    case V_EXTEND: {
      unsigned n = a->lane_bytes, lanes = 8 / n;
      for (unsigned i = 0; i < lanes; i++) {
        uint64_t x = extend(le_bytes(p + i * n, n), 8 * n, a->sign, 16 * n);
        for (unsigned b = 0; b < 2 * n; b++) v[i * 2 * n + b] = (uint8_t)(x >> (8 * b));
      }
      break;
    }
    case V_SPLAT:
      for (unsigned i = 0; i < 16; i += a->width) memcpy(v + i, p, a->width);
      break;
    case V_ZERO: memcpy(v, p, a->width); break;
    case V_LANE: memcpy(v + a->lane * a->width, p, a->width); break;
    case SCALAR: break;
  }
  return le_bytes(v, 8) ^ rotl1(le_bytes(v + 8, 8));
}

/* The bytes a store of `value` writes (a->width of them). */
static void stored_bytes(const access_t* a, uint64_t value, uint8_t* out) {
  uint8_t v[16];
  for (int i = 0; i < 16; i++) v[i] = (uint8_t)(value >> (8 * (i % 8)));
  memcpy(out, a->shape == V_LANE ? v + a->lane * a->width : v, a->width);
}

/* Effective addresses around the edges of a memory of `size` bytes for a `width`-byte access. */
static size_t edge_addresses(uint64_t size, unsigned width, uint64_t* out) {
  size_t n = 0;
  const uint64_t fixed[] = {0, 1, SB_PAGE - width, SB_PAGE - 1, SB_PAGE, 2 * SB_PAGE - 1,
                            size + 1, size + SB_PAGE - 1, size + SB_PAGE, size + 4 * SB_PAGE,
                            1ull << 31, SB_4GIB - width, SB_4GIB - 1, SB_4GIB, SB_4GIB + 1, SB_4GIB + SB_PAGE,
                            (1ull << 33) - 16 - width, (1ull << 33) - 2};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) out[n++] = fixed[i];
  /* The last access that fits, then every start that straddles the end, then the end itself. */
  for (uint64_t ea = size >= width ? size - width : 0; ea <= size; ea++) out[n++] = ea;
  return n;
}

/* Fills memory with bytes that differ from their neighbours and from zero. */
static void fill_pattern(uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; i++) data[i] = (uint8_t)(i * 131 + 7 + (i >> 16)) | 1;
}

/* Runs every access at every edge address of `memory` through the instance's functions. */
static void check_accesses(const sb_instance_t* inst, wasm_memory_t* memory, const char* what) {
  uint64_t size = wasm_memory_data_size(memory);
  uint8_t* data = (uint8_t*)wasm_memory_data(memory);
  fill_pattern(data, size);
  uint8_t* ref = malloc(size ? size : 1);
  memcpy(ref, data, size);
  wasm_func_t* funcs[kNumAccesses][kNumOffsets];
  for (int i = 0; i < kNumAccesses; i++)
    for (int k = 0; k < kNumOffsets; k++) {
      char name[32];
      snprintf(name, sizeof name, "a%d_%d", i, k);
      funcs[i][k] = sb_func(inst, name);
    }
  uint64_t calls = 0, traps = 0;
  for (int i = 0; i < kNumAccesses; i++) {
    const access_t* a = &kAccesses[i];
    const char* kind = a->kind == STORE ? "store" : a->kind == LOAD ? "load" : "dropped load";
    uint64_t eas[64];
    size_t neas = edge_addresses(size, a->width, eas);
    for (size_t e = 0; e < neas; e++) {
      uint64_t ea = eas[e];
      bool inside = ea + a->width <= size;
      for (int k = 0; k < kNumOffsets; k++) {
        if (ea < kOffsets[k] || ea - kOffsets[k] > UINT32_MAX) continue;
        uint32_t index = (uint32_t)(ea - kOffsets[k]);
        /* A store's value changes with each call, so a stale or misplaced write shows. */
        uint64_t value = (0x0123456789ABCDEFull + calls * 0x10001ull) & ~((1ull << 62) | (1ull << 30));
        wasm_val_t args[2] = {WASM_I32_VAL((int32_t)index), WASM_I64_VAL((int64_t)value)};
        sb_outcome_t o = sb_call(funcs[i][k], args, 2, 1);
        ++calls;
        traps += o.trapped;
        if (!inside) {
          SB_CHECK(sb_trapped_with(&o, SB_OOB_MEMORY), "%s: %s %s offset=%u index=%u (address %llu, size %llu): %s",
                   what, kind, a->op, kOffsets[k], index, (unsigned long long)ea, (unsigned long long)size,
                   o.trapped ? o.message : "no trap");
        } else if (a->kind == STORE) {
          SB_CHECK(!o.trapped, "%s: %s offset=%u index=%u (size %llu): %s", what, a->op, kOffsets[k], index,
                   (unsigned long long)size, o.message);
          if (!o.trapped) stored_bytes(a, value, ref + ea);
        } else {
          uint64_t expected = expected_load(a, ref + ea);
          SB_CHECK(!o.trapped && (uint64_t)o.results[0].of.i64 == expected,
                   "%s: %s %s offset=%u index=%u (size %llu): got %s%llx, expected %llx", what, kind, a->op,
                   kOffsets[k], index, (unsigned long long)size, o.trapped ? o.message : "",
                   (unsigned long long)o.results[0].of.i64, (unsigned long long)expected);
        }
        if (a->kind == STORE) {
          /* Whole memory: a write that wrapped at 4 GiB would land near 0, not near the edge. */
          SB_CHECK(memcmp(data, ref, size) == 0, "%s: %s offset=%u index=%u (address %llu, size %llu) %s memory",
                   what, a->op, kOffsets[k], index, (unsigned long long)ea, (unsigned long long)size,
                   inside ? "wrote other bytes of" : "trapped but changed");
          memcpy(data, ref, size); /* so one wrong write is reported once */
        }
      }
    }
  }
  sb_note("%s: %llu accesses, %llu trapped", what, (unsigned long long)calls, (unsigned long long)traps);
  free(ref);
}

static wasm_module_t* access_module(const char* memory) {
  sb_text_t text = {0};
  access_module_text(&text, memory);
  wasm_module_t* module = sb_compile(text.data);
  sb_text_free(&text);
  return module;
}

/* The accesses run against each memory of sb_on_imported_memories and one that the module
 * defines itself. */
void sb_memory_access_cases(void) {
  wasm_store_t* store = wasm_store_new(sb_mode->engine);
  wasm_module_t* imported = access_module("(import \"m\" \"mem\" (memory 0))");
  wasm_module_t* defined = access_module("(memory (export \"mem\") 2 2)");
  if (imported) sb_on_imported_memories(store, imported, check_accesses);
  sb_instance_t inst;
  if (defined && sb_instantiate(store, defined, NULL, 0, &inst)) {
    check_accesses(&inst, sb_memory(&inst, "mem"), "defined memory of 2 pages (max 2)");
    sb_instance_delete(&inst);
  }
  if (imported) wasm_module_delete(imported);
  if (defined) wasm_module_delete(defined);
  wasm_store_delete(store);
}
