/* Dense linear algebra: LU factorisation with partial pivoting of a random diagonally
 * dominated 600x600 system whose solution is known (all ones); the residual must be tiny. */
#include <math.h>
#include "suite.h"

enum { N = 600 };

int main(void) {
  double *a = suite_alloc(N * N * sizeof *a), *lu = suite_alloc(N * N * sizeof *lu);
  double b[N], x[N];
  int piv[N];
  for (int i = 0; i < N; i++) {
    double row = 0;
    for (int j = 0; j < N; j++) {
      a[i * N + j] = (double)(suite_rand() % 2001) / 1000.0 - 1.0;
      row += a[i * N + j];
    }
    a[i * N + i] += N / 4;  /* well conditioned */
    b[i] = row + N / 4;     /* A * ones */
  }
  for (int rep = 0; rep < 8; rep++) {
    for (int i = 0; i < N * N; i++) lu[i] = a[i];
    for (int k = 0; k < N; k++) {
      int p = k;
      for (int i = k + 1; i < N; i++) if (fabs(lu[i * N + k]) > fabs(lu[p * N + k])) p = i;
      piv[k] = p;
      if (p != k)
        for (int j = 0; j < N; j++) { double t = lu[k * N + j]; lu[k * N + j] = lu[p * N + j]; lu[p * N + j] = t; }
      for (int i = k + 1; i < N; i++) {
        double f = lu[i * N + k] /= lu[k * N + k];
        for (int j = k + 1; j < N; j++) lu[i * N + j] -= f * lu[k * N + j];
      }
    }
  }
  for (int i = 0; i < N; i++) x[i] = b[i];
  for (int k = 0; k < N; k++) { double t = x[k]; x[k] = x[piv[k]]; x[piv[k]] = t; }
  for (int i = 0; i < N; i++) for (int j = 0; j < i; j++) x[i] -= lu[i * N + j] * x[j];
  for (int i = N - 1; i >= 0; i--) {
    for (int j = i + 1; j < N; j++) x[i] -= lu[i * N + j] * x[j];
    x[i] /= lu[i * N + i];
  }
  double err = 0;
  for (int i = 0; i < N; i++) err = fmax(err, fabs(x[i] - 1.0));
  suite_check(err < 1e-9, "lu", "solution is not all ones");
  printf("lu %dx%d: max error %.3e\n", N, N, err);
  free(a); free(lu);
  return 0;
}
