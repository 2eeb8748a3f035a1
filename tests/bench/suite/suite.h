/* Shared by the suite's kernels: a deterministic generator (the same numbers natively and in
 * wasm32, so both builds do the same work) and the failure path. A kernel prints one line with
 * its result and exits non-zero when that result is wrong. */
#ifndef ORCA_BENCH_SUITE_H
#define ORCA_BENCH_SUITE_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* xorshift64*: fast, and 64-bit arithmetic behaves the same on both targets. */
static uint64_t suite_state = 0x9E3779B97F4A7C15ull;
static inline void suite_seed(uint64_t s) { suite_state = s ? s : 1; }
static inline uint64_t suite_rand(void) {
  suite_state ^= suite_state >> 12;
  suite_state ^= suite_state << 25;
  suite_state ^= suite_state >> 27;
  return suite_state * 0x2545F4914F6CDD1Dull;
}

static inline void suite_check(int ok, const char *kernel, const char *what) {
  if (!ok) {
    fprintf(stderr, "%s: wrong result: %s\n", kernel, what);
    exit(1);
  }
}

static inline void *suite_alloc(size_t bytes) {
  void *p = malloc(bytes);
  suite_check(p != NULL, "alloc", "out of memory");
  return p;
}
#endif
