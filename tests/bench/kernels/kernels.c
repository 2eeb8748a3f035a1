// Compute kernels compiled twice from this one source: natively into the benchmark binary and
// to wasm32 (freestanding, no libc) for Orca. Each takes a size and returns a checksum, so the
// two builds can be checked against each other and the work cannot be optimised away.
#include <stdint.h>

#ifdef KERNEL_NATIVE
#define KERNEL(name) native_##name
#else
#define KERNEL(name) __attribute__((export_name(#name))) name
#endif

#define MATRIX 256
static double a[MATRIX * MATRIX], b[MATRIX * MATRIX], c[MATRIX * MATRIX];

// Dense n x n matrix multiply (n <= 256): floating point, cache-friendly loop order.
double KERNEL(matmul)(int n) {
  for (int i = 0; i < n * n; ++i) {
    a[i] = (double)(i % 17) * 0.5;
    b[i] = (double)(i % 13) * 0.25;
    c[i] = 0.0;
  }
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < n; ++k) {
      double aik = a[i * n + k];
      for (int j = 0; j < n; ++j) c[i * n + j] += aik * b[k * n + j];
    }
  double sum = 0.0;
  for (int i = 0; i < n * n; ++i) sum += c[i];
  return sum;
}

#define SIEVE 4000000
static uint8_t composite[SIEVE];

// Primes below n (n <= 4,000,000): byte loads and stores with data-dependent strides.
int32_t KERNEL(sieve)(int32_t n) {
  for (int32_t i = 0; i < n; ++i) composite[i] = 0;
  int32_t count = 0;
  for (int32_t i = 2; i < n; ++i) {
    if (composite[i]) continue;
    ++count;
    for (int64_t j = (int64_t)i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}

static uint32_t crcTable[256];
static uint8_t buffer[1 << 20];

// CRC-32 of n bytes (n <= 1 MiB) of generated data: table lookups, shifts, xors.
uint32_t KERNEL(crc32)(int32_t n) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t r = i;
    for (int k = 0; k < 8; ++k) r = (r >> 1) ^ (0xEDB88320u & (0u - (r & 1u)));
    crcTable[i] = r;
  }
  uint32_t x = 12345;
  for (int32_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    buffer[i] = (uint8_t)(x >> 16);
  }
  uint32_t crc = 0xFFFFFFFFu;
  for (int32_t i = 0; i < n; ++i) crc = crcTable[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

// Naive recursive Fibonacci: call overhead (each call pays the stack check).
static int32_t fibRec(int32_t n) { return n < 2 ? n : fibRec(n - 1) + fibRec(n - 2); }
int32_t KERNEL(fib)(int32_t n) { return fibRec(n); }
