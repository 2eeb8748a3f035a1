/* Strings: Levenshtein distances by dynamic programming (must be symmetric and bounded by the
 * lengths), and Knuth-Morris-Pratt search against a naive search, which must count the same
 * matches, in text over a small alphabet. */
#include <string.h>
#include "suite.h"

static int levenshtein(const char *a, int la, const char *b, int lb, int *row) {
  for (int j = 0; j <= lb; j++) row[j] = j;
  for (int i = 1; i <= la; i++) {
    int diag = row[0];
    row[0] = i;
    for (int j = 1; j <= lb; j++) {
      int up = row[j];
      int best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

static long kmp(const char *t, long n, const char *p, int m, int *fail) {
  fail[0] = 0;
  for (int i = 1, k = 0; i < m; i++) {
    while (k && p[i] != p[k]) k = fail[k - 1];
    if (p[i] == p[k]) k++;
    fail[i] = k;
  }
  long count = 0;
  for (long i = 0, k = 0; i < n; i++) {
    while (k && t[i] != p[k]) k = fail[k - 1];
    if (t[i] == p[k]) k++;
    if (k == m) { count++; k = fail[k - 1]; }
  }
  return count;
}

static long naive(const char *t, long n, const char *p, int m) {
  long count = 0;
  for (long i = 0; i + m <= n; i++) if (memcmp(t + i, p, m) == 0) count++;
  return count;
}

enum { TEXT = 16 << 20, LEN = 2000 };

int main(void) {
  char *t = suite_alloc(TEXT + 1);
  for (long i = 0; i < TEXT; i++) t[i] = "acgt"[suite_rand() % 4];
  t[TEXT] = 0;
  static const char *patterns[] = {"acgtac", "gattaca", "aaaaaaa", "tgca", "cgcgcgcgc"};
  int fail[16];
  long total = 0;
  for (int p = 0; p < 5; p++) {
    int m = (int)strlen(patterns[p]);
    long k = kmp(t, TEXT, patterns[p], m, fail);
    suite_check(k == naive(t, TEXT, patterns[p], m), "strings", "kmp != naive");
    total += k;
  }
  int *row = suite_alloc((LEN + 1) * sizeof *row);
  long dsum = 0;
  for (int r = 0; r < 8; r++) {
    const char *a = t + r * 7919, *b = t + (r + 1) * 104729;
    int ab = levenshtein(a, LEN, b, LEN - r * 100, row);
    int ba = levenshtein(b, LEN - r * 100, a, LEN, row);
    suite_check(ab == ba && ab >= r * 100 && ab <= LEN, "strings", "edit distance");
    suite_check(levenshtein(a, LEN, a, LEN, row) == 0, "strings", "distance to itself");
    dsum += ab;
  }
  printf("strings: %ld matches, distances sum %ld\n", total, dsum);
  free(t); free(row);
  return 0;
}
