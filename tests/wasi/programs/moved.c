/* The host renames the preopened directory (fd 3) while the guest runs, to a place where ".."
 * leads somewhere else; the guest waits for the marker file the host then creates, and checks
 * that the preopen still names the same directory and that nothing above it is reachable. */
#include <time.h>

#include "guest.h"

#define PRE 3

static __wasi_errno_t try_open(const char* path, __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(PRE, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags,
                                      __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

int main(void) {
  __wasi_filestat_t st;
  GERRNO(__wasi_path_filestat_get(PRE, 0, "file.txt", &st), 0);
  printf("ready\n");
  fflush(stdout);
  int waited = 0;
  while (__wasi_path_filestat_get(PRE, 0, "moved-marker", &st) != 0 && waited < 200) {
    struct timespec pause = {0, 25 * 1000000};
    nanosleep(&pause, NULL);
    waited++;
  }
  GCHECK(waited < 200);  /* the host moved the directory and left the marker */
  GERRNO(try_open("file.txt", 0), 0);
  GERRNO(try_open("..", __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(try_open("../secret.txt", 0), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(try_open("../../outside/secret.txt", 0), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(try_open("sub/../../secret.txt", 0), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_path_create_directory(PRE, "../planted"), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_path_create_directory(PRE, "made-after-move"), 0);
  return guest_finish();
}
