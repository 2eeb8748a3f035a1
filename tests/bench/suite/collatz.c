/* 64-bit integer arithmetic and unpredictable branches: the longest Collatz chains starting
 * below 10^6 (837,799, 525 terms) and below 2*10^6 (1,723,519, 557 terms; OEIS A006877). */
#include "suite.h"

static void longest(uint32_t limit, uint32_t *start, uint32_t *terms) {
  *start = 1; *terms = 1;
  for (uint32_t s = 1; s < limit; s++) {
    uint64_t n = s;
    uint32_t t = 1;
    while (n != 1) { n = n & 1 ? 3 * n + 1 : n >> 1; t++; }
    if (t > *terms) { *terms = t; *start = s; }
  }
}

int main(void) {
  uint32_t start, terms;
  longest(1000000, &start, &terms);
  suite_check(start == 837799 && terms == 525, "collatz", "below 10^6");
  longest(2000000, &start, &terms);
  suite_check(start == 1723519 && terms == 557, "collatz", "below 2*10^6");
  printf("collatz: %u has %u terms\n", start, terms);
  return 0;
}
