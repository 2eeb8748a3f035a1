/* Memory bandwidth: the STREAM copy, scale, add and triad loops over arrays of 4 M doubles.
 * The values stay small integers times powers of two, so every element is exact and checked. */
#include "suite.h"

enum { N = 4 << 20, REPS = 10 };

int main(void) {
  double *a = suite_alloc(N * sizeof *a), *b = suite_alloc(N * sizeof *b), *c = suite_alloc(N * sizeof *c);
  for (long i = 0; i < N; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; }
  double ea = 1.0, eb = 2.0, ec = 0.0;
  for (int r = 0; r < REPS; r++) {
    for (long i = 0; i < N; i++) c[i] = a[i];
    for (long i = 0; i < N; i++) b[i] = 3.0 * c[i];
    for (long i = 0; i < N; i++) c[i] = a[i] + b[i];
    for (long i = 0; i < N; i++) a[i] = b[i] + 3.0 * c[i];
    ec = ea; eb = 3.0 * ec; ec = ea + eb; ea = eb + 3.0 * ec;
    /* Rescale so the values do not grow: exact, a power of two apart. */
    for (long i = 0; i < N; i++) a[i] *= 0.0625;
    ea *= 0.0625;
  }
  for (long i = 0; i < N; i++)
    suite_check(a[i] == ea && b[i] == eb && c[i] == ec, "stream", "element");
  printf("stream: a=%g b=%g c=%g\n", ea, eb, ec);
  free(a); free(b); free(c);
  return 0;
}
