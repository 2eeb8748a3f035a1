/* Every way out of a preopen the guest can try, each refused with the exact errno: "..",
 * absolute paths, absolute and relative symlinks leading out, symlink loops, a descriptor of a
 * directory renamed while in use, and every path_* call aimed outside. The host prepared (see
 * wasi_runner's escape case), inside the preopen fd 3:
 *   file.txt, sub/, sub/back -> ../file.txt, inner -> sub, abs -> /etc, abs_file -> /etc/passwd,
 *   up -> .., up_secret -> ../outside/secret.txt, sub/deep -> ../../outside, loop_a <-> loop_b,
 *   self -> self
 * and next to the preopen, outside/secret.txt, which must stay unread and unchanged. */
#include "guest.h"

#define PRE 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define NOTCAP __WASI_ERRNO_NOTCAPABLE

static __wasi_errno_t try_open(__wasi_fd_t dir, __wasi_lookupflags_t flags, const char* path, __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, flags, path, oflags, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  if (e == 0) {
    /* Opened: prove it is not the secret, then close it. */
    char buf[64] = {0};
    __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    if (__wasi_fd_read(fd, &iov, 1, &n) == 0 && strstr(buf, "SECRET")) printf("FAIL read the secret through %s\n", path);
    (void)__wasi_fd_close(fd);
  }
  return e;
}

int main(void) {
  /* Sanity: what lies inside is reachable. */
  GERRNO(try_open(PRE, FOLLOW, "file.txt", 0), 0);
  GERRNO(try_open(PRE, FOLLOW, "sub/back", 0), 0);
  GERRNO(try_open(PRE, FOLLOW, "inner/back", 0), 0);
  GERRNO(try_open(PRE, FOLLOW, "sub/../file.txt", 0), 0);
  GERRNO(try_open(PRE, FOLLOW, "./sub/./../sub/back", 0), 0);
  GERRNO(try_open(PRE, FOLLOW, ".", __WASI_OFLAGS_DIRECTORY), 0);

  /* "..": above the preopen, directly or after going down. */
  GERRNO(try_open(PRE, FOLLOW, "..", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "../outside/secret.txt", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "sub/../../outside/secret.txt", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "sub/../..", __WASI_OFLAGS_DIRECTORY), NOTCAP);
  GERRNO(try_open(PRE, 0, "../outside/secret.txt", 0), NOTCAP);

  /* Absolute paths. */
  GERRNO(try_open(PRE, FOLLOW, "/etc/passwd", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "/", __WASI_OFLAGS_DIRECTORY), NOTCAP);

  /* Absolute symlinks, followed as the last component or on the way. */
  GERRNO(try_open(PRE, FOLLOW, "abs_file", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "abs/passwd", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "abs", __WASI_OFLAGS_DIRECTORY), NOTCAP);
  /* Not followed: opening the link itself is ELOOP (O_NOFOLLOW), never the target. */
  GERRNO(try_open(PRE, 0, "abs_file", 0), __WASI_ERRNO_LOOP);
  /* ...but on the way a symlink is always followed, and refused. */
  GERRNO(try_open(PRE, 0, "abs/passwd", 0), NOTCAP);

  /* Relative symlinks that lead out. */
  GERRNO(try_open(PRE, FOLLOW, "up_secret", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "up/outside/secret.txt", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "up", __WASI_OFLAGS_DIRECTORY), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "sub/deep/secret.txt", 0), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "inner/deep/secret.txt", 0), NOTCAP);

  /* Symlink loops. */
  GERRNO(try_open(PRE, FOLLOW, "loop_a", 0), __WASI_ERRNO_LOOP);
  GERRNO(try_open(PRE, FOLLOW, "self", 0), __WASI_ERRNO_LOOP);
  GERRNO(try_open(PRE, FOLLOW, "loop_a/x", 0), __WASI_ERRNO_LOOP);

  /* Creating through an escape: O_CREAT on a path outside, a symlink to outside. */
  GERRNO(try_open(PRE, FOLLOW, "../outside/created.txt", __WASI_OFLAGS_CREAT), NOTCAP);
  GERRNO(try_open(PRE, FOLLOW, "up/outside/created.txt", __WASI_OFLAGS_CREAT), NOTCAP);

  /* Every path_* call aimed outside. */
  __wasi_filestat_t st;
  GERRNO(__wasi_path_filestat_get(PRE, FOLLOW, "../outside/secret.txt", &st), NOTCAP);
  GERRNO(__wasi_path_filestat_get(PRE, FOLLOW, "up_secret", &st), NOTCAP);
  GERRNO(__wasi_path_filestat_get(PRE, FOLLOW, "abs_file", &st), NOTCAP);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "up_secret", &st), 0); /* the link itself lies inside */
  GCHECK(st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "/etc", &st), NOTCAP);
  GERRNO(__wasi_path_filestat_set_times(PRE, FOLLOW, "up_secret", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), NOTCAP);
  GERRNO(__wasi_path_filestat_set_times(PRE, 0, "../outside/secret.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), NOTCAP);
  GERRNO(__wasi_path_create_directory(PRE, "../outside/newdir"), NOTCAP);
  GERRNO(__wasi_path_create_directory(PRE, "up/newdir"), NOTCAP);
  GERRNO(__wasi_path_create_directory(PRE, "abs/newdir"), NOTCAP);
  GERRNO(__wasi_path_remove_directory(PRE, ".."), NOTCAP);
  GERRNO(__wasi_path_remove_directory(PRE, "../outside"), NOTCAP);
  GERRNO(__wasi_path_unlink_file(PRE, "../outside/secret.txt"), NOTCAP);
  GERRNO(__wasi_path_unlink_file(PRE, "up/outside/secret.txt"), NOTCAP);
  GERRNO(__wasi_path_rename(PRE, "file.txt", PRE, "../outside/stolen.txt"), NOTCAP);
  GERRNO(__wasi_path_rename(PRE, "../outside/secret.txt", PRE, "got.txt"), NOTCAP);
  GERRNO(__wasi_path_rename(PRE, "file.txt", PRE, "up/outside/stolen.txt"), NOTCAP);
  GERRNO(__wasi_path_link(PRE, 0, "../outside/secret.txt", PRE, "hard.txt"), NOTCAP);
  GERRNO(__wasi_path_link(PRE, FOLLOW, "up_secret", PRE, "hard.txt"), NOTCAP);
  GERRNO(__wasi_path_link(PRE, 0, "file.txt", PRE, "../outside/hard.txt"), NOTCAP);
  char buf[64];
  __wasi_size_t used;
  GERRNO(__wasi_path_readlink(PRE, "../outside/x", (uint8_t*)buf, sizeof buf, &used), NOTCAP);
  GERRNO(__wasi_path_readlink(PRE, "up/outside/x", (uint8_t*)buf, sizeof buf, &used), NOTCAP);
  GERRNO(__wasi_path_symlink("x", PRE, "../outside/link"), NOTCAP);
  /* An absolute target could never be followed: the link is refused and not made. */
  GERRNO(__wasi_path_symlink("/etc/passwd", PRE, "made_abs"), __WASI_ERRNO_PERM);
  GERRNO(try_open(PRE, FOLLOW, "made_abs", 0), __WASI_ERRNO_NOENT);
  /* A relative target may say anything; following it later is what is refused. */
  GERRNO(__wasi_path_symlink("../outside/secret.txt", PRE, "made_rel"), 0);
  GERRNO(try_open(PRE, FOLLOW, "made_rel", 0), NOTCAP);

  /* A directory descriptor is a capability for what lies beneath it, nothing above. */
  __wasi_fd_t sub;
  GERRNO(__wasi_path_open(PRE, 0, "sub", __WASI_OFLAGS_DIRECTORY,
                          __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_CREATE_DIRECTORY,
                          __WASI_RIGHTS_FD_READ, 0, &sub), 0);
  GERRNO(try_open(sub, FOLLOW, "../file.txt", 0), NOTCAP);
  GERRNO(try_open(sub, FOLLOW, "back", 0), NOTCAP); /* back -> ../file.txt climbs above sub */

  /* A directory renamed while a descriptor for it is in use: the descriptor follows the
   * directory, and ".." from it is still refused. */
  GERRNO(__wasi_path_create_directory(PRE, "a"), 0);
  GERRNO(__wasi_path_create_directory(PRE, "a/b"), 0);
  __wasi_fd_t b;
  GERRNO(__wasi_path_open(PRE, 0, "a/b", __WASI_OFLAGS_DIRECTORY,
                          __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, &b), 0);
  GERRNO(__wasi_path_rename(PRE, "a", PRE, "sub/moved"), 0);
  GERRNO(__wasi_path_create_directory(b, "made_after_move"), 0);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "sub/moved/b/made_after_move", &st), 0);
  GERRNO(try_open(b, FOLLOW, "..", __WASI_OFLAGS_DIRECTORY), NOTCAP);
  GERRNO(try_open(b, FOLLOW, "../../../file.txt", 0), NOTCAP);
  GERRNO(try_open(b, FOLLOW, "../../../../outside/secret.txt", 0), NOTCAP);
  GERRNO(__wasi_path_rename(PRE, "sub/moved/b", PRE, "b_top"), 0);
  GERRNO(try_open(b, FOLLOW, "../outside/secret.txt", 0), NOTCAP);
  GERRNO(__wasi_path_create_directory(b, "../escaped"), NOTCAP);

  /* Preopen descriptors closed or renumbered do not widen anything. */
  GERRNO(try_open(99, FOLLOW, "file.txt", 0), __WASI_ERRNO_BADF);
  GERRNO(try_open(1, FOLLOW, "file.txt", 0), __WASI_ERRNO_NOTCAPABLE); /* stdout has no PATH_OPEN */

  return guest_finish();
}
