/* Floating point: the spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2+i+1),
 * power method; checked against the Benchmarks Game's published values. */
#include <math.h>
#include "suite.h"

static double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void mulAv(int n, const double *v, double *av) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a(i, j) * v[j];
    av[i] = s;
  }
}

static void mulAtv(int n, const double *v, double *atv) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a(j, i) * v[j];
    atv[i] = s;
  }
}

static double norm(int n) {
  double *u = suite_alloc(n * sizeof *u), *v = suite_alloc(n * sizeof *v);
  double *t = suite_alloc(n * sizeof *t);
  for (int i = 0; i < n; i++) u[i] = 1;
  for (int k = 0; k < 10; k++) {
    mulAv(n, u, t); mulAtv(n, t, v);
    mulAv(n, v, t); mulAtv(n, t, u);
  }
  double vbv = 0, vv = 0;
  for (int i = 0; i < n; i++) { vbv += u[i] * v[i]; vv += v[i] * v[i]; }
  free(u); free(v); free(t);
  return sqrt(vbv / vv);
}

int main(void) {
  suite_check(fabs(norm(100) - 1.274219991) < 5e-10, "spectral", "N=100");
  double r = norm(2000);
  suite_check(fabs(r - 1.274224153) < 1e-7, "spectral", "N=2000");
  printf("spectral norm: %.9f\n", r);
  return 0;
}
