/* A WASI command of about 200 KB for the `orca run` start-up figures of tests/bench/cache_start.sh
 * (compile on the first run, cache hit on the second). Its size comes from what real programs
 * link from libc (formatted I/O with floats, sorting, strings, math, time) and from 500
 * generated functions that a table keeps alive, the way a program's own code would be. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Function n mixes its input with constants and shifts that depend on n, so that no two
 * functions fold into one. */
#define MIX(n)                                                          \
  static uint32_t mix##n(uint32_t x) {                                  \
    for (uint32_t i = 0; i < (n) % 5 + 2; ++i) {                        \
      x ^= x << ((n) % 13 + 1);                                         \
      x *= 0x9e3779b1u + (n) * 2u;                                      \
      x ^= x >> ((n) % 7 + 3);                                          \
      x += (x % ((n) % 11 + 3)) * (n);                                  \
      if (x & (1u << ((n) % 31))) x = ~x + (n);                         \
      else x = (x >> 3) | (x << 29);                                    \
    }                                                                   \
    return x;                                                           \
  }
#define MIX10(n) MIX(n##0) MIX(n##1) MIX(n##2) MIX(n##3) MIX(n##4) MIX(n##5) MIX(n##6) MIX(n##7) MIX(n##8) MIX(n##9)
#define MIX100(n) MIX10(n##0) MIX10(n##1) MIX10(n##2) MIX10(n##3) MIX10(n##4) MIX10(n##5) MIX10(n##6) MIX10(n##7) MIX10(n##8) MIX10(n##9)
MIX100(1) MIX100(2) MIX100(3) MIX100(4) MIX100(5)

#define REF(n) mix##n,
#define REF10(n) REF(n##0) REF(n##1) REF(n##2) REF(n##3) REF(n##4) REF(n##5) REF(n##6) REF(n##7) REF(n##8) REF(n##9)
#define REF100(n) REF10(n##0) REF10(n##1) REF10(n##2) REF10(n##3) REF10(n##4) REF10(n##5) REF10(n##6) REF10(n##7) REF10(n##8) REF10(n##9)
static uint32_t (*const kMixers[])(uint32_t) = {REF100(1) REF100(2) REF100(3) REF100(4) REF100(5)};

static int compareDoubles(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  uint32_t seed = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1;
  size_t count = sizeof kMixers / sizeof kMixers[0];
  double values[64];
  for (size_t i = 0; i < count; ++i) seed = kMixers[i](seed);
  for (size_t i = 0; i < 64; ++i) {
    seed = kMixers[seed % count](seed + (uint32_t)i);
    values[i] = sin((double)seed) * exp((double)(seed % 7)) + sqrt((double)(seed % 1000));
  }
  qsort(values, 64, sizeof values[0], compareDoubles);
  char text[256];
  snprintf(text, sizeof text, "%u %.6g %.3e %s", (unsigned)seed, values[0], values[63], argc > 2 ? argv[2] : "none");
  for (char* p = text; *p; ++p) *p = (char)toupper((unsigned char)*p);
  struct tm when = {.tm_year = 126, .tm_mon = 11, .tm_mday = 7};
  char date[32];
  strftime(date, sizeof date, "%Y-%m-%d", &when);
  double parsed = strtod("2.5e3", NULL);
  printf("%s %s %.1f %zu\n", text, date, parsed, strlen(text));
  return 0;
}
