/* Call-heavy: naive recursive Fibonacci and Ackermann, checked against their known values. */
#include "suite.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int ack(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

int main(void) {
  int f = fib(39);
  suite_check(f == 63245986, "fib", "fib(39) != 63245986");
  int a = ack(2, 2000) + ack(3, 8);  /* 2*2000+3 and 2^(8+3)-3 */
  suite_check(a == 4003 + 2045, "fib", "ackermann");
  printf("fib(39) = %d, ack = %d\n", f, a);
  return 0;
}
