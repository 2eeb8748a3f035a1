/* Sorting: 2,000,000 integers by an introsort-style quicksort, a bottom-up merge sort and libc's
 * qsort (an indirect call per comparison). All three must agree, be ordered and keep the
 * multiset (sum and xor). */
#include <string.h>
#include "suite.h"

enum { N = 2000000 };

static void insertion(uint32_t *a, long n) {
  for (long i = 1; i < n; i++) {
    uint32_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

static void quick(uint32_t *a, long n) {
  while (n > 16) {
    uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    long i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      uint32_t t = a[i]; a[i] = a[j]; a[j] = t;
      i++; j--;
    }
    /* Recurse into the smaller side, loop on the larger: bounded stack depth. */
    if (j + 1 < n - j - 1) { quick(a, j + 1); a += j + 1; n -= j + 1; }
    else { quick(a + j + 1, n - j - 1); n = j + 1; }
  }
  insertion(a, n);
}

static void merge_sort(uint32_t *a, uint32_t *tmp, long n) {
  for (long width = 1; width < n; width *= 2) {
    for (long lo = 0; lo < n; lo += 2 * width) {
      long mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      long i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    uint32_t *t = a; a = tmp; tmp = t;
    memcpy(tmp, a, n * sizeof *a);  /* keep the result in both buffers */
  }
}

static int cmp(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return (a > b) - (a < b);
}

int main(void) {
  uint32_t *orig = suite_alloc(N * 4), *q = suite_alloc(N * 4), *m = suite_alloc(N * 4);
  uint32_t *tmp = suite_alloc(N * 4), *l = suite_alloc(N * 4);
  uint64_t sum = 0; uint32_t xr = 0;
  for (long i = 0; i < N; i++) {
    orig[i] = (uint32_t)(suite_rand() >> 40) % (N * 4);
    sum += orig[i]; xr ^= orig[i];
  }
  memcpy(q, orig, N * 4); memcpy(m, orig, N * 4); memcpy(l, orig, N * 4);
  quick(q, N);
  merge_sort(m, tmp, N);
  qsort(l, N, 4, cmp);
  uint64_t sum2 = 0; uint32_t xr2 = 0;
  for (long i = 0; i < N; i++) {
    suite_check(i == 0 || q[i - 1] <= q[i], "sort", "quicksort out of order");
    suite_check(q[i] == m[i] && q[i] == l[i], "sort", "sorts disagree");
    sum2 += q[i]; xr2 ^= q[i];
  }
  suite_check(sum == sum2 && xr == xr2, "sort", "elements lost");
  printf("sort: %d keys, median %u\n", N, q[N / 2]);
  free(orig); free(q); free(m); free(tmp); free(l);
  return 0;
}
