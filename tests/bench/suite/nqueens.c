/* Branchy, recursive: counts the N-queens solutions with bit masks; 14 queens have 365,596. */
#include "suite.h"

static long solve(uint32_t all, uint32_t cols, uint32_t left, uint32_t right) {
  if (cols == all) return 1;
  long n = 0;
  uint32_t free_ = all & ~(cols | left | right);
  while (free_) {
    uint32_t bit = free_ & -free_;
    free_ -= bit;
    n += solve(all, cols | bit, (left | bit) << 1, (right | bit) >> 1);
  }
  return n;
}

int main(void) {
  static const long known[] = {1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712, 365596};
  long total = 0;
  for (int n = 1; n <= 14; n++) {
    long s = solve((1u << n) - 1, 0, 0, 0);
    suite_check(s == known[n], "nqueens", "solution count");
    total += s;
  }
  printf("nqueens: 14 queens have %ld solutions (1..14: %ld)\n", known[14], total);
  return 0;
}
