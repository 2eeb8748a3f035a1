/* Stencil, single precision: Jacobi relaxation of the heat equation on a periodic 2D grid. The
 * five-point average conserves heat (sum within rounding), and a grid symmetric under
 * transposition stays symmetric exactly. */
#include <math.h>
#include "suite.h"

enum { N = 1024, STEPS = 200 };

int main(void) {
  float *u = suite_alloc(N * N * sizeof *u), *v = suite_alloc(N * N * sizeof *v);
  for (int i = 0; i < N; i++)
    for (int j = 0; j <= i; j++) {
      float x = (float)(suite_rand() % 1000) / 10.0f;
      u[i * N + j] = u[j * N + i] = x;
    }
  double before = 0;
  for (int i = 0; i < N * N; i++) before += u[i];
  for (int s = 0; s < STEPS; s++) {
    for (int i = 0; i < N; i++) {
      int up = (i + N - 1) % N, down = (i + 1) % N;
      for (int j = 0; j < N; j++) {
        int left = (j + N - 1) % N, right = (j + 1) % N;
        v[i * N + j] = 0.5f * u[i * N + j] +
                       0.125f * ((u[up * N + j] + u[down * N + j]) + (u[i * N + left] + u[i * N + right]));
      }
    }
    float *t = u; u = v; v = t;
  }
  double after = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      after += u[i * N + j];
      suite_check(u[i * N + j] == u[j * N + i], "stencil", "symmetry lost");
    }
  suite_check(fabs(after - before) < 1e-4 * before, "stencil", "heat not conserved");
  printf("stencil: heat %.1f -> %.1f\n", before, after);
  free(u); free(v);
  return 0;
}
