/* Clocks, random, sched_yield, args/environ sizes, proc_raise and poll_oneoff with clock and fd
 * subscriptions (stdin holds 11 bytes, stdout is captured). With the argument "raise" it raises
 * SIGTERM instead, which ends it with a trap. */
#include <time.h>
#include <unistd.h>

#include "guest.h"

int32_t raw_clock_time_get(int32_t id, int64_t precision, int32_t out)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("clock_time_get")));
int32_t raw_random_get(int32_t buf, int32_t len)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("random_get")));
int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t nevents)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("poll_oneoff")));
/* wasi-libc no longer declares proc_raise (deprecated in preview1), so it is imported here. */
int32_t raw_proc_raise(int32_t sig)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")));
#define SIG_NONE 0
#define SIG_TERM 15
#define SIG_CHLD 16
int32_t raw_args_get(int32_t argv, int32_t buf)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("args_get")));

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(id, 1, &t) != 0) return 0;
  return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_clockid_t id, __wasi_timestamp_t timeout,
                                       __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.precision = 1000;
  s.u.u.clock.flags = flags;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

#define MS 1000000ull

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "raise") == 0) {
    printf("raising\n");
    fflush(stdout);
    (void)raw_proc_raise(SIG_TERM);
    printf("FAIL still running after SIGTERM\n");
    return 1;
  }

  /* clocks */
  __wasi_timestamp_t res = 0;
  for (__wasi_clockid_t id = 0; id < 4; id++) {
    GERRNO(__wasi_clock_res_get(id, &res), 0);
    GCHECK(res > 0 && res <= 1000000000ull);
  }
  GERRNO(__wasi_clock_res_get(9, &res), __WASI_ERRNO_INVAL);
  __wasi_timestamp_t t = 0;
  GERRNO(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t), 0);
  GCHECK(t > 1600000000ull * 1000000000ull);  /* after 2020 */
  GERRNO(__wasi_clock_time_get(4, 1, &t), __WASI_ERRNO_INVAL);
  GERRNO(raw_clock_time_get(1, 1, (int32_t)0xfffffffcu), __WASI_ERRNO_FAULT);
  __wasi_timestamp_t m1 = now(__WASI_CLOCKID_MONOTONIC), m2 = now(__WASI_CLOCKID_MONOTONIC);
  GCHECK(m1 > 0 && m2 >= m1);
  GCHECK(now(__WASI_CLOCKID_PROCESS_CPUTIME_ID) > 0);
  GCHECK(now(__WASI_CLOCKID_THREAD_CPUTIME_ID) > 0);
  struct timespec ts;
  GCHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1600000000);
  GCHECK(time(NULL) > 1600000000);

  /* random */
  uint8_t r1[64] = {0}, r2[64] = {0}, zero[64] = {0};
  GERRNO(__wasi_random_get(r1, sizeof r1), 0);
  GERRNO(__wasi_random_get(r2, sizeof r2), 0);
  GCHECK(memcmp(r1, r2, sizeof r1) != 0 && memcmp(r1, zero, sizeof r1) != 0);
  GERRNO(__wasi_random_get(r1, 0), 0);
  GERRNO(raw_random_get((int32_t)0xffffff00u, 0x1000), __WASI_ERRNO_FAULT);
  GCHECK(arc4random() != arc4random() || arc4random() != arc4random());

  /* sched_yield */
  GERRNO(__wasi_sched_yield(), 0);

  /* args and environ sizes match what args_get writes */
  __wasi_size_t argc2 = 0, argsize = 0, envc = 0, envsize = 0;
  GERRNO(__wasi_args_sizes_get(&argc2, &argsize), 0);
  GCHECK((int)argc2 == argc && argsize == strlen(argv[0]) + 1);
  GERRNO(__wasi_environ_sizes_get(&envc, &envsize), 0);
  GCHECK(envc == 1 && envsize == strlen("A=1") + 1);
  GERRNO(raw_args_get((int32_t)0xfffffffcu, 0), __WASI_ERRNO_FAULT);

  /* proc_raise: no signal and ignored-by-default signals return; bad numbers are EINVAL */
  GERRNO(raw_proc_raise(SIG_NONE), 0);
  GERRNO(raw_proc_raise(SIG_CHLD), 0);
  GERRNO(raw_proc_raise(99), __WASI_ERRNO_INVAL);

  /* poll_oneoff: a relative clock waits its time */
  __wasi_subscription_t subs[4];
  __wasi_event_t ev[4];
  __wasi_size_t nev = 0;
  subs[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 50 * MS, 0);
  __wasi_timestamp_t before = now(__WASI_CLOCKID_MONOTONIC);
  GERRNO(__wasi_poll_oneoff(subs, ev, 1, &nev), 0);
  __wasi_timestamp_t waited = now(__WASI_CLOCKID_MONOTONIC) - before;
  GCHECK(nev == 1 && ev[0].userdata == 42 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0);
  GCHECK(waited >= 50 * MS && waited < 2000 * MS);

  /* an absolute deadline on the monotonic and the realtime clock */
  before = now(__WASI_CLOCKID_MONOTONIC);
  subs[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, before + 30 * MS, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  GERRNO(__wasi_poll_oneoff(subs, ev, 1, &nev), 0);
  waited = now(__WASI_CLOCKID_MONOTONIC) - before;
  GCHECK(nev == 1 && ev[0].userdata == 7 && waited >= 30 * MS && waited < 2000 * MS);
  before = now(__WASI_CLOCKID_MONOTONIC);
  subs[0] = clock_sub(8, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 30 * MS,
                      __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  GERRNO(__wasi_poll_oneoff(subs, ev, 1, &nev), 0);
  waited = now(__WASI_CLOCKID_MONOTONIC) - before;
  GCHECK(nev == 1 && ev[0].userdata == 8 && waited >= 25 * MS && waited < 2000 * MS);
  /* a deadline in the past fires at once */
  subs[0] = clock_sub(9, __WASI_CLOCKID_MONOTONIC, 1, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  GERRNO(__wasi_poll_oneoff(subs, ev, 1, &nev), 0);
  GCHECK(nev == 1 && ev[0].userdata == 9);

  /* the earlier of two clocks, alone */
  subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 500 * MS, 0);
  subs[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 20 * MS, 0);
  before = now(__WASI_CLOCKID_MONOTONIC);
  GERRNO(__wasi_poll_oneoff(subs, ev, 2, &nev), 0);
  waited = now(__WASI_CLOCKID_MONOTONIC) - before;
  GCHECK(nev == 1 && ev[0].userdata == 2 && waited < 400 * MS);

  /* ready descriptors win over a clock, without waiting: stdin holds bytes, stdout takes them */
  subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
  subs[1] = fd_sub(10, __WASI_EVENTTYPE_FD_READ, 0);
  subs[2] = fd_sub(11, __WASI_EVENTTYPE_FD_WRITE, 1);
  before = now(__WASI_CLOCKID_MONOTONIC);
  GERRNO(__wasi_poll_oneoff(subs, ev, 3, &nev), 0);
  waited = now(__WASI_CLOCKID_MONOTONIC) - before;
  GCHECK(nev == 2 && waited < 1000 * MS);
  int seen = 0;
  for (__wasi_size_t i = 0; i < nev; i++) {
    if (ev[i].userdata == 10 && ev[i].type == __WASI_EVENTTYPE_FD_READ && ev[i].error == 0 &&
        ev[i].fd_readwrite.nbytes == 11)
      seen |= 1;
    if (ev[i].userdata == 11 && ev[i].type == __WASI_EVENTTYPE_FD_WRITE && ev[i].error == 0) seen |= 2;
  }
  GCHECK(seen == 3);

  /* a bad descriptor and a bad clock are events with an error */
  subs[0] = fd_sub(20, __WASI_EVENTTYPE_FD_READ, 1234);
  subs[1] = clock_sub(21, 77, 1, 0);
  GERRNO(__wasi_poll_oneoff(subs, ev, 2, &nev), 0);
  GCHECK(nev == 2);
  seen = 0;
  for (__wasi_size_t i = 0; i < nev; i++) {
    if (ev[i].userdata == 20 && ev[i].error == __WASI_ERRNO_BADF) seen |= 1;
    if (ev[i].userdata == 21 && ev[i].error == __WASI_ERRNO_INVAL) seen |= 2;
  }
  GCHECK(seen == 3);
  /* no subscriptions, bad pointers, an unknown event type */
  GERRNO(__wasi_poll_oneoff(subs, ev, 0, &nev), __WASI_ERRNO_INVAL);
  GERRNO(raw_poll_oneoff((int32_t)0xffffff00u, (int32_t)(uintptr_t)ev, 1, (int32_t)(uintptr_t)&nev), __WASI_ERRNO_FAULT);
  GERRNO(raw_poll_oneoff((int32_t)(uintptr_t)subs, (int32_t)0xffffff00u, 1, (int32_t)(uintptr_t)&nev), __WASI_ERRNO_FAULT);
  subs[0].u.tag = 9;
  GERRNO(__wasi_poll_oneoff(subs, ev, 1, &nev), __WASI_ERRNO_INVAL);

  /* an fd subscription needs poll_fd_readwrite: dropped from stdout, the event is ENOTCAPABLE */
  __wasi_fdstat_t st;
  GERRNO(__wasi_fd_fdstat_get(1, &st), 0);
  GCHECK(st.fs_rights_base & __WASI_RIGHTS_POLL_FD_READWRITE);
  GERRNO(__wasi_fd_fdstat_set_rights(1, st.fs_rights_base & ~__WASI_RIGHTS_POLL_FD_READWRITE, 0), 0);
  subs[0] = fd_sub(30, __WASI_EVENTTYPE_FD_WRITE, 1);
  GERRNO(__wasi_poll_oneoff(subs, ev, 1, &nev), 0);
  GCHECK(nev == 1 && ev[0].userdata == 30 && ev[0].error == __WASI_ERRNO_NOTCAPABLE);

    /* libc's sleeping goes through poll_oneoff */
  before = now(__WASI_CLOCKID_MONOTONIC);
  usleep(20000);
  waited = now(__WASI_CLOCKID_MONOTONIC) - before;
  GCHECK(waited >= 20 * MS && waited < 2000 * MS);
  struct timespec req = {0, 15 * 1000000};
  before = now(__WASI_CLOCKID_MONOTONIC);
  GCHECK(nanosleep(&req, NULL) == 0);
  GCHECK(now(__WASI_CLOCKID_MONOTONIC) - before >= 15 * MS);

  return guest_finish();
}
