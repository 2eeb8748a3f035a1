/* Floating point, cache-bound: a blocked double matrix product. The entries are small integers,
 * so every product is exact and Freivalds' check (A(Bx) == (AB)x for a random x) must hold
 * exactly. */
#include "suite.h"

enum { N = 384, BS = 32 };

int main(void) {
  double *a = suite_alloc(N * N * sizeof *a), *b = suite_alloc(N * N * sizeof *b);
  double *c = suite_alloc(N * N * sizeof *c);
  for (int i = 0; i < N * N; i++) {
    a[i] = (double)(suite_rand() % 17) - 8;
    b[i] = (double)(suite_rand() % 17) - 8;
  }
  for (int rep = 0; rep < 15; rep++) {
    for (int i = 0; i < N * N; i++) c[i] = 0;
    for (int ii = 0; ii < N; ii += BS)
      for (int kk = 0; kk < N; kk += BS)
        for (int jj = 0; jj < N; jj += BS)
          for (int i = ii; i < ii + BS; i++)
            for (int k = kk; k < kk + BS; k++) {
              double aik = a[i * N + k];
              for (int j = jj; j < jj + BS; j++) c[i * N + j] += aik * b[k * N + j];
            }
  }
  double x[N], bx[N], abx[N], cx[N];
  for (int i = 0; i < N; i++) x[i] = (double)(suite_rand() % 5);
  for (int i = 0; i < N; i++) {
    double s = 0;
    for (int j = 0; j < N; j++) s += b[i * N + j] * x[j];
    bx[i] = s;
  }
  double trace = 0;
  for (int i = 0; i < N; i++) {
    double s = 0, t = 0;
    for (int j = 0; j < N; j++) { s += a[i * N + j] * bx[j]; t += c[i * N + j] * x[j]; }
    abx[i] = s; cx[i] = t;
    suite_check(abx[i] == cx[i], "matmul", "A(Bx) != (AB)x");
    trace += c[i * N + i];
  }
  printf("matmul %dx%d: trace %.0f\n", N, N, trace);
  free(a); free(b); free(c);
  return 0;
}
