/* Memory-bound integer: a bit-packed sieve of Eratosthenes; pi(10^8) = 5,761,455. */
#include <string.h>
#include "suite.h"

enum { LIMIT = 100000000 };

int main(void) {
  /* One bit per odd number. */
  uint32_t words = (LIMIT / 2 + 31) / 32;
  uint32_t *composite = suite_alloc(words * sizeof *composite);
  memset(composite, 0, words * sizeof *composite);
  for (uint32_t i = 3; (uint64_t)i * i < LIMIT; i += 2) {
    uint32_t bit = i / 2;
    if (composite[bit / 32] >> (bit % 32) & 1) continue;
    for (uint32_t j = i * i / 2; j < LIMIT / 2; j += i) composite[j / 32] |= 1u << (j % 32);
  }
  uint32_t count = 1;  /* 2 */
  for (uint32_t bit = 1; bit < LIMIT / 2; bit++) count += !(composite[bit / 32] >> (bit % 32) & 1);
  suite_check(count == 5761455, "sieve", "pi(10^8) != 5761455");
  printf("sieve: pi(%d) = %u\n", LIMIT, count);
  free(composite);
  return 0;
}
