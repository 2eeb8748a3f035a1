/* Blocks in a host call until the store is interrupted: "sleep" sleeps 30 s in poll_oneoff,
 * "read" reads a stdin that never delivers, "accept" waits on the preopened listener fd 3.
 * Printing "woke" means the wait ended without the trap the host expects. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "sleep";
  printf("waiting (%s)\n", mode);
  fflush(stdout);
  if (strcmp(mode, "sleep") == 0) {
    sleep(30);
  } else if (strcmp(mode, "read") == 0) {
    char buf[16];
    ssize_t n = read(0, buf, sizeof buf);
    printf("read %zd\n", n);
  } else {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_sock_accept(3, 0, &fd);
    printf("accept %d\n", e);
  }
  /* The guest reaches an interruption check at the latest here, at a call. */
  for (volatile int i = 0; i < 1000000; i++) {
  }
  printf("woke\n");
  return 0;
}
