/* Shared by the guest programs (built with clang --target=wasm32-wasi): checks that count and
 * print each failure to stdout, and a closing line "guest: N passed, N failed". A guest exits
 * with the number of failed checks (capped at 100), so the runner sees failures as a status. */
#ifndef ORCA_WASI_GUEST_H
#define ORCA_WASI_GUEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int g_passed, g_failed;

#define GCHECK(cond)                                                        \
  do {                                                                      \
    if (cond) {                                                             \
      ++g_passed;                                                           \
    } else {                                                                \
      ++g_failed;                                                           \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                \
    }                                                                       \
  } while (0)

/* A raw preview1 call's errno must be exactly `want`. */
#define GERRNO(call, want)                                                                  \
  do {                                                                                      \
    int got_ = (int)(call);                                                                 \
    if (got_ == (int)(want)) {                                                              \
      ++g_passed;                                                                           \
    } else {                                                                                \
      ++g_failed;                                                                           \
      printf("FAIL %s:%d: %s: errno %d, want %d\n", __FILE__, __LINE__, #call, got_, (int)(want)); \
    }                                                                                       \
  } while (0)

/* A libc call returning -1 must set errno to exactly `want`. */
#define GLIBC_ERR(call, want)                                                                  \
  do {                                                                                         \
    errno = 0;                                                                                 \
    long r_ = (long)(call);                                                                    \
    if (r_ == -1 && errno == (want)) {                                                         \
      ++g_passed;                                                                              \
    } else {                                                                                   \
      ++g_failed;                                                                              \
      printf("FAIL %s:%d: %s: returned %ld errno %d (%s), want errno %d (%s)\n", __FILE__, __LINE__, #call, r_, \
             errno, strerror(errno), (int)(want), strerror(want));                             \
    }                                                                                          \
  } while (0)

static inline int guest_finish(void) {
  printf("guest: %d passed, %d failed\n", g_passed, g_failed);
  fflush(stdout);
  return g_failed > 100 ? 100 : g_failed;
}

#endif
