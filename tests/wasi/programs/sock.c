/* Sockets on loopback: fd 3 is a listening TCP socket the host preopened; the host connects,
 * sends "ping", expects "pong", then closes. Covers sock_accept, sock_recv (with peek),
 * sock_send, sock_shutdown, and poll_oneoff on socket readiness with and without a timeout. */
#include "guest.h"

#define LISTENER 3
#define MS 1000000ull

static __wasi_timestamp_t mono(void) {
  __wasi_timestamp_t t = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
  return t;
}

static __wasi_errno_t wait_read(__wasi_fd_t fd, __wasi_timestamp_t timeout, __wasi_event_t ev[2], __wasi_size_t* nev) {
  __wasi_subscription_t subs[2];
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 1;
  subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  subs[0].u.u.fd_read.file_descriptor = fd;
  subs[1].userdata = 2;
  subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[1].u.u.clock.timeout = timeout;
  return __wasi_poll_oneoff(subs, ev, 2, nev);
}

int main(void) {
  __wasi_fdstat_t st;
  GERRNO(__wasi_fd_fdstat_get(LISTENER, &st), 0);
  GCHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
  GCHECK(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT);
  __wasi_prestat_t pre;
  GERRNO(__wasi_fd_prestat_get(LISTENER, &pre), __WASI_ERRNO_BADF);  /* a socket is no preopened dir */

  /* The listener becomes readable when the host connects. */
  __wasi_event_t ev[2];
  __wasi_size_t nev = 0;
  GERRNO(wait_read(LISTENER, 5000 * MS, ev, &nev), 0);
  GCHECK(nev >= 1 && ev[0].userdata == 1 && ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[0].error == 0);

  __wasi_fd_t conn = (__wasi_fd_t)-1;
  GERRNO(__wasi_sock_accept(LISTENER, 0, &conn), 0);
  GERRNO(__wasi_fd_fdstat_get(conn, &st), 0);
  GCHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
  GCHECK(!(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
  /* Nobody else is connecting: a non-blocking accept says so. */
  __wasi_fd_t none;
  GERRNO(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_NONBLOCK, &none), __WASI_ERRNO_AGAIN);
  GERRNO(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_APPEND, &none), __WASI_ERRNO_INVAL);
  GERRNO(__wasi_sock_accept(1, 0, &none), __WASI_ERRNO_NOTSOCK);  /* stdout is no socket */
  GERRNO(__wasi_sock_accept(conn, 0, &none), __WASI_ERRNO_NOTCAPABLE);  /* a socket without the right */
  GERRNO(__wasi_sock_accept(99, 0, &none), __WASI_ERRNO_BADF);

  /* The host sends "ping" after a pause: poll waits for it. */
  __wasi_timestamp_t before = mono();
  GERRNO(wait_read(conn, 5000 * MS, ev, &nev), 0);
  GCHECK(nev == 1 && ev[0].userdata == 1 && ev[0].fd_readwrite.nbytes == 4);
  GCHECK(mono() - before < 4000 * MS);

  char buf[16] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
  __wasi_size_t n = 0;
  __wasi_roflags_t ro = 7;
  GERRNO(__wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_PEEK, &n, &ro), 0);
  GCHECK(n == 4 && memcmp(buf, "ping", 4) == 0 && ro == 0);
  memset(buf, 0, sizeof buf);
  GERRNO(__wasi_sock_recv(conn, &iov, 1, 0, &n, &ro), 0);
  GCHECK(n == 4 && memcmp(buf, "ping", 4) == 0);
  GERRNO(__wasi_sock_recv(conn, &iov, 1, 0x100, &n, &ro), __WASI_ERRNO_INVAL);

  __wasi_ciovec_t out = {(const uint8_t*)"pong", 4};
  GERRNO(__wasi_sock_send(conn, &out, 1, 0, &n), 0);
  GCHECK(n == 4);

  /* Nothing more arrives for a while: the clock fires, not the socket. */
  before = mono();
  GERRNO(wait_read(conn, 50 * MS, ev, &nev), 0);
  GCHECK(nev == 1 && ev[0].userdata == 2 && ev[0].type == __WASI_EVENTTYPE_CLOCK);
  GCHECK(mono() - before >= 50 * MS);

  /* The host closes: readable, and recv returns 0 bytes. */
  GERRNO(wait_read(conn, 5000 * MS, ev, &nev), 0);
  GCHECK(nev >= 1 && ev[0].userdata == 1);
  GERRNO(__wasi_sock_recv(conn, &iov, 1, 0, &n, &ro), 0);
  GCHECK(n == 0);

  GERRNO(__wasi_sock_shutdown(conn, 7), __WASI_ERRNO_INVAL);
  GERRNO(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR), 0);
  /* Sending after shutting down the write side is EPIPE, and raises no SIGPIPE in the host. */
  GERRNO(__wasi_sock_send(conn, &out, 1, 0, &n), __WASI_ERRNO_PIPE);
  GERRNO(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  /* On a socket the right is still needed. */
  GERRNO(__wasi_fd_fdstat_get(conn, &st), 0);
  GERRNO(__wasi_fd_fdstat_set_rights(conn, st.fs_rights_base & ~__WASI_RIGHTS_SOCK_SHUTDOWN, 0), 0);
  GERRNO(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_sock_send(1, &out, 1, 0, &n), __WASI_ERRNO_NOTSOCK);  /* stdout may write, is no socket */
  GERRNO(__wasi_fd_close(conn), 0);
  GERRNO(__wasi_sock_recv(conn, &iov, 1, 0, &n, &ro), __WASI_ERRNO_BADF);
  return guest_finish();
}
