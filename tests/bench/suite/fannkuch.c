/* Integer, permutations: fannkuch-redux (the Benchmarks Game's); n = 10 gives checksum 73196
 * and at most 38 flips. */
#include "suite.h"

enum { N = 10 };

int main(void) {
  int perm[N], perm1[N], count[N];
  int max_flips = 0, checksum = 0, r = N, sign = 1;
  for (int i = 0; i < N; i++) perm1[i] = i;
  for (;;) {
    while (r != 1) { count[r - 1] = r; r--; }
    for (int i = 0; i < N; i++) perm[i] = perm1[i];
    int flips = 0, k;
    while ((k = perm[0]) != 0) {
      for (int i = 0, j = k; i < j; i++, j--) { int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
      flips++;
    }
    if (flips > max_flips) max_flips = flips;
    checksum += sign * flips;
    sign = -sign;
    for (;;) {
      if (r == N) {
        suite_check(checksum == 73196 && max_flips == 38, "fannkuch", "checksum or flips");
        printf("fannkuch(%d): checksum %d, max flips %d\n", N, checksum, max_flips);
        return 0;
      }
      int p0 = perm1[0];
      for (int i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = p0;
      if (--count[r] > 0) break;
      r++;
    }
  }
}
