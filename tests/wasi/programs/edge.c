/* Edge cases where a POSIX program expects one errno and an easier answer would do otherwise
 * (issue 10, point 4). fd 3 is the preopen "/sandbox", empty at the start; the runner gives it
 * as a host directory (under openat2 and under the component walk) and as an in-memory
 * filesystem, and afterwards checks that the refused calls left nothing behind.
 *   1. The sock_* calls on a descriptor that is not a socket: ENOTSOCK, whatever its rights.
 *   2. path_open of a directory with oflags::directory and write rights: EISDIR.
 *   3. path_symlink with an absolute target: EPERM, and no link made.
 *   4. fdflags::dsync/rsync/sync in path_open need fd_datasync/fd_sync among the directory's
 *      inheriting rights (not its base rights). */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

#define PRE 3

static __wasi_errno_t open_at(__wasi_fd_t dir, const char* path, __wasi_oflags_t oflags, __wasi_rights_t base,
                              __wasi_rights_t inheriting, __wasi_fdflags_t fdflags, __wasi_fd_t* out) {
  *out = (__wasi_fd_t)-1;
  return __wasi_path_open(dir, 0, path, oflags, base, inheriting, fdflags, out);
}

/* Opens `path` (which must be refused) and closes what a wrong success gave. */
static __wasi_errno_t refused_open(__wasi_fd_t dir, const char* path, __wasi_oflags_t oflags, __wasi_rights_t base,
                                   __wasi_rights_t inheriting, __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, path, oflags, base, inheriting, fdflags, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

static void not_a_socket(void) {
  __wasi_fd_t file;
  GERRNO(open_at(PRE, "file.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &file), 0);
  /* A file, a directory and stdout: none holds sock_shutdown, none is a socket. */
  GERRNO(__wasi_sock_shutdown(file, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_sock_shutdown(PRE, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_sock_shutdown(99, __WASI_SDFLAGS_WR), __WASI_ERRNO_BADF);
  GLIBC_ERR(shutdown(file, SHUT_RDWR), ENOTSOCK);
  /* The other socket calls answer the same, with or without the rights they would use. */
  __wasi_fd_t accepted;
  GERRNO(__wasi_sock_accept(file, 0, &accepted), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_sock_accept(PRE, 0, &accepted), __WASI_ERRNO_NOTSOCK);
  char buf[4];
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
  __wasi_ciovec_t ciov = {(const uint8_t*)"data", 4};
  __wasi_size_t n;
  __wasi_roflags_t ro;
  GERRNO(__wasi_sock_recv(file, &iov, 1, 0, &n, &ro), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_sock_recv(PRE, &iov, 1, 0, &n, &ro), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_sock_send(file, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_sock_send(PRE, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  GERRNO(__wasi_fd_close(file), 0);
}

static void directory_for_writing(void) {
  GERRNO(__wasi_path_create_directory(PRE, "d"), 0);
  const __wasi_oflags_t dir = __WASI_OFLAGS_DIRECTORY;
  GERRNO(refused_open(PRE, "d", dir, __WASI_RIGHTS_FD_WRITE, 0, 0), __WASI_ERRNO_ISDIR);
  GERRNO(refused_open(PRE, "d", dir, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0), __WASI_ERRNO_ISDIR);
  GERRNO(refused_open(PRE, "d", dir, __WASI_RIGHTS_FD_ALLOCATE, 0, 0), __WASI_ERRNO_ISDIR);
  GERRNO(refused_open(PRE, "d", dir, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0, 0), __WASI_ERRNO_ISDIR);
  GERRNO(refused_open(PRE, ".", dir, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READDIR, 0, 0), __WASI_ERRNO_ISDIR);
  GERRNO(refused_open(PRE, "d/", dir, __WASI_RIGHTS_FD_WRITE, 0, 0), __WASI_ERRNO_ISDIR);
  /* A file asked for as a directory stays ENOTDIR, with or without write rights. */
  GERRNO(refused_open(PRE, "file.txt", dir, __WASI_RIGHTS_FD_WRITE, 0, 0), __WASI_ERRNO_NOTDIR);
  /* Reading a directory is fine, also with append (Linux allows O_APPEND there). */
  __wasi_fd_t d;
  GERRNO(open_at(PRE, "d", dir, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0, 0, &d), 0);
  GERRNO(__wasi_fd_close(d), 0);
  GERRNO(open_at(PRE, "d", dir, __WASI_RIGHTS_FD_READDIR, 0, __WASI_FDFLAGS_APPEND, &d), 0);
  GERRNO(__wasi_fd_close(d), 0);
  /* Through libc: O_WRONLY and O_RDWR with O_DIRECTORY ask for fd_write. */
  GLIBC_ERR(open("/sandbox/d", O_WRONLY | O_DIRECTORY), EISDIR);
  GLIBC_ERR(open("/sandbox/d", O_RDWR | O_DIRECTORY), EISDIR);
  GLIBC_ERR(open("/sandbox/d", O_RDWR), EISDIR);
  int fd = open("/sandbox/d", O_RDONLY | O_DIRECTORY);
  GCHECK(fd >= 0);
  if (fd >= 0) close(fd);
}

static void absolute_symlink(void) {
  __wasi_filestat_t st;
  GERRNO(__wasi_path_symlink("/etc/passwd", PRE, "abs"), __WASI_ERRNO_PERM);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "abs", &st), __WASI_ERRNO_NOENT);
  GERRNO(__wasi_path_symlink("/", PRE, "d/root"), __WASI_ERRNO_PERM);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "d/root", &st), __WASI_ERRNO_NOENT);
  GLIBC_ERR(symlink("/sandbox/file.txt", "/sandbox/abs_libc"), EPERM);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "abs_libc", &st), __WASI_ERRNO_NOENT);
  /* The rights come first: without path_symlink it is ENOTCAPABLE, as for any target. */
  GERRNO(__wasi_path_symlink("/etc/passwd", 1, "abs"), __WASI_ERRNO_NOTCAPABLE);
  /* Relative targets are still made (following them is sandboxed), also one leading up. */
  GERRNO(__wasi_path_symlink("file.txt", PRE, "rel"), 0);
  GERRNO(__wasi_path_symlink("../file.txt", PRE, "d/up"), 0);
  char target[32] = {0};
  __wasi_size_t used = 0;
  GERRNO(__wasi_path_readlink(PRE, "rel", (uint8_t*)target, sizeof target, &used), 0);
  GCHECK(used == 8 && memcmp(target, "file.txt", 8) == 0);
  GERRNO(__wasi_path_filestat_get(PRE, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "d/up", &st), 0);
  GCHECK(st.filetype == __WASI_FILETYPE_REGULAR_FILE);
}

static void sync_flags(void) {
  const __wasi_rights_t fileRights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK;
  const __wasi_rights_t dirBase = __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE;
  const __wasi_rights_t syncRights = __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_SYNC;
  __wasi_filestat_t st;
  __wasi_fd_t f;

  /* The directory holds fd_datasync and fd_sync itself but does not pass them on. */
  __wasi_fd_t keeps;
  GERRNO(open_at(PRE, "d", __WASI_OFLAGS_DIRECTORY, dirBase | syncRights, fileRights, 0, &keeps), 0);
  GERRNO(refused_open(keeps, "s", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, __WASI_FDFLAGS_DSYNC),
         __WASI_ERRNO_NOTCAPABLE);
  GERRNO(refused_open(keeps, "s", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, __WASI_FDFLAGS_SYNC),
         __WASI_ERRNO_NOTCAPABLE);
  GERRNO(refused_open(keeps, "s", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, __WASI_FDFLAGS_RSYNC),
         __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "d/s", &st), __WASI_ERRNO_NOENT); /* nothing created */
  GERRNO(open_at(keeps, "s", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &f), 0);
  GERRNO(__wasi_fd_close(f), 0);
  GERRNO(__wasi_fd_close(keeps), 0);

  /* The directory passes them on without holding them: every sync flag opens. */
  __wasi_fd_t passes;
  GERRNO(open_at(PRE, "d", __WASI_OFLAGS_DIRECTORY, dirBase, fileRights | syncRights, 0, &passes), 0);
  GERRNO(open_at(passes, "dsync", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, __WASI_FDFLAGS_DSYNC, &f), 0);
  __wasi_ciovec_t ciov = {(const uint8_t*)"synced", 6};
  __wasi_size_t n = 0;
  GERRNO(__wasi_fd_write(f, &ciov, 1, &n), 0);
  GCHECK(n == 6);
  GERRNO(__wasi_fd_close(f), 0);
  GERRNO(open_at(passes, "sync", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0,
                 __WASI_FDFLAGS_SYNC | __WASI_FDFLAGS_RSYNC, &f), 0);
  GERRNO(__wasi_fd_close(f), 0);
  GERRNO(__wasi_path_filestat_get(PRE, 0, "d/dsync", &st), 0);
  GCHECK(st.size == 6);
  /* Only what is asked for is needed: dsync alone does not need fd_sync. */
  GERRNO(__wasi_fd_fdstat_set_rights(passes, dirBase, fileRights | __WASI_RIGHTS_FD_DATASYNC), 0);
  GERRNO(open_at(passes, "dsync", 0, __WASI_RIGHTS_FD_READ, 0, __WASI_FDFLAGS_DSYNC, &f), 0);
  GERRNO(__wasi_fd_close(f), 0);
  GERRNO(refused_open(passes, "dsync", 0, __WASI_RIGHTS_FD_READ, 0, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_fd_close(passes), 0);
}

int main(void) {
  not_a_socket();
  directory_for_writing();
  absolute_symlink();
  sync_flags();
  return guest_finish();
}
