/* Every fd_* and path_* function on a preopened directory (fd 3, the guest's "/sandbox"), the
 * positive paths and their errors with the exact preview1 errno. Runs the same against a host
 * directory and against the in-memory filesystem; leaves "result.txt" and "dir/renamed.txt"
 * for the host to read back. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

#define PRE 3
#define S(str) str

/* The raw import, to pass a path pointer and length that wasi-libc's wrapper would not. */
int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t len)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("path_create_directory")));

static const __wasi_rights_t kFileRights =
    __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS |
    __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ADVISE |
    __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
    __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_POLL_FD_READWRITE;

static __wasi_fd_t open_file(const char* path, __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_errno_t* err) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  *err = __wasi_path_open(PRE, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, 0, 0, &fd);
  return fd;
}

static size_t write_all(__wasi_fd_t fd, const char* text) {
  __wasi_ciovec_t iov = {(const uint8_t*)text, strlen(text)};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_write(fd, &iov, 1, &n);
  return e ? (size_t)-1 : n;
}

int main(void) {
  __wasi_errno_t e;

  /* prestat */
  __wasi_prestat_t pre;
  GERRNO(__wasi_fd_prestat_get(PRE, &pre), 0);
  GCHECK(pre.tag == __WASI_PREOPENTYPE_DIR && pre.u.dir.pr_name_len == 8);
  char name[16] = {0};
  GERRNO(__wasi_fd_prestat_dir_name(PRE, (uint8_t*)name, 8), 0);
  GCHECK(memcmp(name, "/sandbox", 8) == 0);
  GERRNO(__wasi_fd_prestat_dir_name(PRE, (uint8_t*)name, 3), __WASI_ERRNO_NAMETOOLONG);
  GERRNO(__wasi_fd_prestat_get(1, &pre), __WASI_ERRNO_BADF);
  GERRNO(__wasi_fd_prestat_get(77, &pre), __WASI_ERRNO_BADF);

  /* fdstat of the preopen: a directory with directory rights */
  __wasi_fdstat_t st;
  GERRNO(__wasi_fd_fdstat_get(PRE, &st), 0);
  GCHECK(st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
  GCHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);
  GCHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
  GCHECK(st.fs_rights_inheriting & __WASI_RIGHTS_FD_WRITE);
  /* Asking for every right under the preopen is fine; a file keeps only what a file can use. */
  __wasi_fd_t all = (__wasi_fd_t)-1;
  GERRNO(__wasi_path_open(PRE, 0, S("all.txt"), __WASI_OFLAGS_CREAT, (__wasi_rights_t)0x3fffffff,
                          (__wasi_rights_t)0x3fffffff, 0, &all), 0);
  GERRNO(__wasi_fd_fdstat_get(all, &st), 0);
  GCHECK(st.fs_rights_base == kFileRights && st.fs_rights_inheriting == 0);
  GERRNO(__wasi_fd_close(all), 0);
  GERRNO(__wasi_path_unlink_file(PRE, S("all.txt")), 0);

  /* path_create_directory */
  GERRNO(__wasi_path_create_directory(PRE, S("dir")), 0);
  GERRNO(__wasi_path_create_directory(PRE, S("dir")), __WASI_ERRNO_EXIST);
  GERRNO(__wasi_path_create_directory(PRE, S("nope/dir")), __WASI_ERRNO_NOENT);
  GERRNO(__wasi_path_create_directory(PRE, S("dir/sub")), 0);

  /* path_open: creat, excl, trunc, directory */
  __wasi_fd_t f = open_file("dir/a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, kFileRights, &e);
  GERRNO(e, 0);
  open_file("dir/a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, kFileRights, &e);
  GERRNO(e, __WASI_ERRNO_EXIST);
  open_file("dir/missing.txt", 0, kFileRights, &e);
  GERRNO(e, __WASI_ERRNO_NOENT);
  open_file("dir/a.txt", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, &e);
  GERRNO(e, __WASI_ERRNO_NOTDIR);
  open_file("dir/a.txt/", 0, __WASI_RIGHTS_FD_READ, &e);
  GERRNO(e, __WASI_ERRNO_NOTDIR);
  open_file("", 0, __WASI_RIGHTS_FD_READ, &e);
  GERRNO(e, __WASI_ERRNO_NOENT);
  open_file("dir", 0, __WASI_RIGHTS_FD_WRITE, &e);
  GERRNO(e, __WASI_ERRNO_ISDIR);
  GERRNO(__wasi_path_open(99, 0, S("x"), 0, 0, 0, 0, &f), __WASI_ERRNO_BADF);
  /* fdflags::dsync and sync need fd_datasync and fd_sync on the directory. */
  __wasi_fd_t synced = (__wasi_fd_t)-1;
  GERRNO(__wasi_path_open(PRE, 0, S("dir/synced"), __WASI_OFLAGS_CREAT, kFileRights, 0,
                          __WASI_FDFLAGS_DSYNC | __WASI_FDFLAGS_SYNC, &synced), 0);
  GERRNO(__wasi_fd_close(synced), 0);
  GERRNO(__wasi_path_unlink_file(PRE, S("dir/synced")), 0);

  /* fd_fdstat_get of a file */
  GERRNO(__wasi_fd_fdstat_get(f, &st), 0);
  GCHECK(st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
  GCHECK(st.fs_rights_base == kFileRights);
  GCHECK(st.fs_rights_inheriting == 0);

  /* fd_write, fd_seek, fd_tell, fd_read, fd_pread, fd_pwrite */
  GCHECK(write_all(f, "hello, world") == 12);
  __wasi_filesize_t pos = 99;
  GERRNO(__wasi_fd_tell(f, &pos), 0);
  GCHECK(pos == 12);
  GERRNO(__wasi_fd_seek(f, 7, __WASI_WHENCE_SET, &pos), 0);
  GCHECK(pos == 7);
  char buf[64] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buf, 5};
  __wasi_size_t n = 0;
  GERRNO(__wasi_fd_read(f, &iov, 1, &n), 0);
  GCHECK(n == 5 && memcmp(buf, "world", 5) == 0);
  GERRNO(__wasi_fd_seek(f, -5, __WASI_WHENCE_END, &pos), 0);
  GCHECK(pos == 7);
  GERRNO(__wasi_fd_seek(f, -100, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL);
  GERRNO(__wasi_fd_seek(f, 0, 7, &pos), __WASI_ERRNO_INVAL);
  memset(buf, 0, sizeof buf);
  GERRNO(__wasi_fd_pread(f, &iov, 1, 0, &n), 0);
  GCHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
  __wasi_ciovec_t ciov = {(const uint8_t*)"HELLO", 5};
  GERRNO(__wasi_fd_pwrite(f, &ciov, 1, 0, &n), 0);
  GCHECK(n == 5);
  GERRNO(__wasi_fd_tell(f, &pos), 0);
  GCHECK(pos == 7);  /* pread/pwrite leave the offset alone */
  /* scatter read over two buffers */
  char b1[3], b2[20];
  __wasi_iovec_t two[2] = {{(uint8_t*)b1, 3}, {(uint8_t*)b2, 20}};
  GERRNO(__wasi_fd_pread(f, two, 2, 0, &n), 0);
  GCHECK(n == 12 && memcmp(b1, "HEL", 3) == 0 && memcmp(b2, "LO, world", 9) == 0);

  /* fd_filestat_get, set_size, set_times; fd_allocate, fd_advise, fd_sync, fd_datasync */
  __wasi_filestat_t fs;
  GERRNO(__wasi_fd_filestat_get(f, &fs), 0);
  GCHECK(fs.filetype == __WASI_FILETYPE_REGULAR_FILE && fs.size == 12 && fs.nlink == 1);
  GERRNO(__wasi_fd_filestat_set_size(f, 5), 0);
  GERRNO(__wasi_fd_filestat_get(f, &fs), 0);
  GCHECK(fs.size == 5);
  GERRNO(__wasi_fd_allocate(f, 0, 100), 0);
  GERRNO(__wasi_fd_filestat_get(f, &fs), 0);
  GCHECK(fs.size == 100);
  GERRNO(__wasi_fd_filestat_set_size(f, 5), 0);
  GERRNO(__wasi_fd_advise(f, 0, 5, __WASI_ADVICE_SEQUENTIAL), 0);
  GERRNO(__wasi_fd_advise(f, 0, 5, 9), __WASI_ERRNO_INVAL);
  GERRNO(__wasi_fd_sync(f), 0);
  GERRNO(__wasi_fd_datasync(f), 0);
  const __wasi_timestamp_t t1 = 1000000000ull * 1234567890ull;
  GERRNO(__wasi_fd_filestat_set_times(f, t1, t1 + 5, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  GERRNO(__wasi_fd_filestat_get(f, &fs), 0);
  GCHECK(fs.mtim == t1 + 5 && fs.atim == t1);
  GERRNO(__wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL);
  GERRNO(__wasi_path_filestat_set_times(PRE, 0, S("dir/a.txt"), 0, t1 + 9, __WASI_FSTFLAGS_MTIM), 0);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir/a.txt"), &fs), 0);
  GCHECK(fs.mtim == t1 + 9 && fs.size == 5);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir"), &fs), 0);
  GCHECK(fs.filetype == __WASI_FILETYPE_DIRECTORY);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir/none"), &fs), __WASI_ERRNO_NOENT);

  /* fd_fdstat_set_flags: append */
  GERRNO(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND), 0);
  GERRNO(__wasi_fd_fdstat_get(f, &st), 0);
  GCHECK(st.fs_flags & __WASI_FDFLAGS_APPEND);
  GERRNO(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), 0);
  GCHECK(write_all(f, "!") == 1);
  GERRNO(__wasi_fd_filestat_get(f, &fs), 0);
  GCHECK(fs.size == 6);

  /* fd_fdstat_set_rights: rights only shrink */
  GERRNO(__wasi_fd_fdstat_set_rights(f, kFileRights & ~__WASI_RIGHTS_FD_WRITE, 0), 0);
  GCHECK(write_all(f, "x") == (size_t)-1);
  GERRNO(__wasi_fd_write(f, &ciov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_fd_fdstat_set_rights(f, kFileRights, 0), __WASI_ERRNO_NOTCAPABLE);

  /* bad pointers are EFAULT, never a crash */
  GERRNO(__wasi_fd_fdstat_get(f, (__wasi_fdstat_t*)0xfffffff0u), __WASI_ERRNO_FAULT);
  __wasi_iovec_t bad = {(uint8_t*)0xffffff00u, 0x1000};
  GERRNO(__wasi_fd_read(f, &bad, 1, &n), __WASI_ERRNO_FAULT);
  GERRNO(__wasi_fd_read(f, (__wasi_iovec_t*)0xfffffffcu, 1, &n), __WASI_ERRNO_FAULT);
  GERRNO(raw_path_create_directory(PRE, (int32_t)0xfffffff0u, 100), __WASI_ERRNO_FAULT);
  GERRNO(raw_path_create_directory(PRE, (int32_t)(uintptr_t)"nul\0inside", 10), __WASI_ERRNO_INVAL);

  /* fd_renumber, fd_close */
  __wasi_fd_t g = open_file("dir/a.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, &e);
  GERRNO(e, 0);
  GERRNO(__wasi_fd_renumber(g, f), 0);
  GERRNO(__wasi_fd_fdstat_get(g, &st), __WASI_ERRNO_BADF);
  GERRNO(__wasi_fd_fdstat_get(f, &st), 0);
  GCHECK(st.fs_rights_base == (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK));
  GERRNO(__wasi_fd_renumber(f, 1234), __WASI_ERRNO_BADF);
  memset(buf, 0, sizeof buf);
  GERRNO(__wasi_fd_read(f, &iov, 1, &n), 0);
  GCHECK(n == 5 && memcmp(buf, "HELLO", 5) == 0);
  GERRNO(__wasi_fd_write(f, &ciov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_fd_tell(f, &pos), __WASI_ERRNO_NOTCAPABLE);  /* no FD_TELL */
  GERRNO(__wasi_fd_close(f), 0);
  GERRNO(__wasi_fd_close(f), __WASI_ERRNO_BADF);

  /* path_link, path_symlink, path_readlink */
  GERRNO(__wasi_path_link(PRE, 0, S("dir/a.txt"), PRE, S("dir/hard.txt")), 0);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir/a.txt"), &fs), 0);
  GCHECK(fs.nlink == 2);
  GERRNO(__wasi_path_link(PRE, 0, S("dir/a.txt"), PRE, S("dir/hard.txt")), __WASI_ERRNO_EXIST);
  GERRNO(__wasi_path_symlink(S("a.txt"), PRE, S("dir/soft")), 0);
  char target[32] = {0};
  __wasi_size_t used = 0;
  GERRNO(__wasi_path_readlink(PRE, S("dir/soft"), (uint8_t*)target, sizeof target, &used), 0);
  GCHECK(used == 5 && memcmp(target, "a.txt", 5) == 0);
  GERRNO(__wasi_path_readlink(PRE, S("dir/a.txt"), (uint8_t*)target, sizeof target, &used), __WASI_ERRNO_INVAL);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir/soft"), &fs), 0);
  GCHECK(fs.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
  GERRNO(__wasi_path_filestat_get(PRE, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, S("dir/soft"), &fs), 0);
  GCHECK(fs.filetype == __WASI_FILETYPE_REGULAR_FILE && fs.size == 6);
  GERRNO(__wasi_path_symlink(S("x"), PRE, S("dir/soft")), __WASI_ERRNO_EXIST);
  /* Following the symlink: a hard link to its target, and times set on the target. */
  GERRNO(__wasi_path_link(PRE, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, S("dir/soft"), PRE, S("dir/hard2.txt")), 0);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir/hard2.txt"), &fs), 0);
  GCHECK(fs.filetype == __WASI_FILETYPE_REGULAR_FILE && fs.nlink == 3);
  GERRNO(__wasi_path_unlink_file(PRE, S("dir/hard2.txt")), 0);
  GERRNO(__wasi_path_filestat_set_times(PRE, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, S("dir/soft"), 0, t1 + 77,
                                        __WASI_FSTFLAGS_MTIM), 0);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir/a.txt"), &fs), 0);
  GCHECK(fs.mtim == t1 + 77);

  /* path_rename, path_unlink_file, path_remove_directory */
  GERRNO(__wasi_path_rename(PRE, S("dir/hard.txt"), PRE, S("dir/renamed.txt")), 0);
  GERRNO(__wasi_path_filestat_get(PRE, 0, S("dir/hard.txt"), &fs), __WASI_ERRNO_NOENT);
  GERRNO(__wasi_path_rename(PRE, S("dir/none"), PRE, S("dir/x")), __WASI_ERRNO_NOENT);
  GERRNO(__wasi_path_rename(PRE, S("dir/a.txt"), PRE, S("dir/sub")), __WASI_ERRNO_ISDIR);
  GERRNO(__wasi_path_unlink_file(PRE, S("dir/sub")), __WASI_ERRNO_ISDIR);
  GERRNO(__wasi_path_unlink_file(PRE, S("dir/none")), __WASI_ERRNO_NOENT);
  GERRNO(__wasi_path_unlink_file(PRE, S("dir/soft")), 0);
  GERRNO(__wasi_path_unlink_file(PRE, S("dir/a.txt")), 0);
  GERRNO(__wasi_path_remove_directory(PRE, S("dir")), __WASI_ERRNO_NOTEMPTY);
  GERRNO(__wasi_path_remove_directory(PRE, S("dir/renamed.txt")), __WASI_ERRNO_NOTDIR);
  GERRNO(__wasi_path_create_directory(PRE, S("gone")), 0);
  GERRNO(__wasi_path_remove_directory(PRE, S("gone")), 0);
  GERRNO(__wasi_path_remove_directory(PRE, S("gone")), __WASI_ERRNO_NOENT);

  /* rights inherited through a directory descriptor */
  __wasi_fd_t d = (__wasi_fd_t)-1;
  GERRNO(__wasi_path_open(PRE, 0, S("dir"), __WASI_OFLAGS_DIRECTORY,
                          __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR, __WASI_RIGHTS_FD_READ, 0, &d), 0);
  __wasi_fd_t r = (__wasi_fd_t)-1;
  GERRNO(__wasi_path_open(d, 0, S("renamed.txt"), 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &r), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_path_open(d, 0, S("renamed.txt"), 0, __WASI_RIGHTS_FD_READ, 0, __WASI_FDFLAGS_DSYNC, &r),
         __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_path_open(d, 0, S("renamed.txt"), 0, __WASI_RIGHTS_FD_READ, 0, 0, &r), 0);
  GERRNO(__wasi_path_create_directory(d, S("x")), __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_path_open(d, 0, S("new.txt"), __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, 0, &r),
         __WASI_ERRNO_NOTCAPABLE);
  GERRNO(__wasi_path_open(r, 0, S("x"), 0, 0, 0, 0, &g), __WASI_ERRNO_NOTCAPABLE);  /* a file has no PATH_OPEN */
  GERRNO(__wasi_fd_close(r), 0);

  /* fd_readdir through the raw call: ".", "..", "renamed.txt", "sub" in some order */
  uint8_t dbuf[512];
  GERRNO(__wasi_fd_readdir(d, dbuf, sizeof dbuf, 0, &used), 0);
  int seen = 0;
  for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t de;
    memcpy(&de, dbuf + at, sizeof de);
    const char* nm = (const char*)dbuf + at + sizeof de;
    if (de.d_namlen == 11 && memcmp(nm, "renamed.txt", 11) == 0 && de.d_type == __WASI_FILETYPE_REGULAR_FILE) seen |= 1;
    if (de.d_namlen == 3 && memcmp(nm, "sub", 3) == 0 && de.d_type == __WASI_FILETYPE_DIRECTORY) seen |= 2;
    if (de.d_namlen == 1 && nm[0] == '.') seen |= 4;
    at += sizeof de + de.d_namlen;
  }
  GCHECK(seen == 7);
  GCHECK(used < sizeof dbuf);
  /* a buffer that holds less than one entry is filled completely (the guest asks again) */
  GERRNO(__wasi_fd_readdir(d, dbuf, 10, 0, &used), 0);
  GCHECK(used == 10);
  GERRNO(__wasi_fd_readdir(d, dbuf, sizeof dbuf, 1000, &used), 0);
  GCHECK(used == 0);
  GERRNO(__wasi_fd_readdir(PRE + 100, dbuf, sizeof dbuf, 0, &used), __WASI_ERRNO_BADF);
  GERRNO(__wasi_fd_close(d), 0);

  /* the same through libc: opendir/readdir, fopen, rename, unlink */
  FILE* out = fopen("/sandbox/result.txt", "w");
  GCHECK(out != NULL);
  if (out) {
    fprintf(out, "written by the guest\n");
    fclose(out);
  }
  DIR* dir = opendir("/sandbox/dir");
  GCHECK(dir != NULL);
  int entries = 0;
  if (dir) {
    struct dirent* ent;
    while ((ent = readdir(dir))) entries++;
    closedir(dir);
  }
  GCHECK(entries == 4);
  struct stat sb;
  GCHECK(stat("/sandbox/result.txt", &sb) == 0 && sb.st_size == 21);
  GLIBC_ERR(open("/sandbox/nothing", O_RDONLY), ENOENT);
  GLIBC_ERR(mkdir("/sandbox/dir", 0777), EEXIST);
  GLIBC_ERR(rmdir("/sandbox/dir"), ENOTEMPTY);

  /* A directory larger than libc's readdir buffer is read in several fd_readdir calls, each
   * continuing from the cookie of the last entry it got. */
  GCHECK(mkdir("/sandbox/many", 0777) == 0);
  char pathbuf[96];
  for (int i = 0; i < 150; i++) {
    snprintf(pathbuf, sizeof pathbuf, "/sandbox/many/file-with-a-rather-long-name-%03d", i);
    FILE* mf = fopen(pathbuf, "w");
    if (mf) fclose(mf);
  }
  dir = opendir("/sandbox/many");
  GCHECK(dir != NULL);
  int counts[150] = {0};
  entries = 0;
  if (dir) {
    struct dirent* ent;
    while ((ent = readdir(dir))) {
      entries++;
      int k = -1;
      if (sscanf(ent->d_name, "file-with-a-rather-long-name-%d", &k) == 1 && k >= 0 && k < 150) counts[k]++;
    }
    closedir(dir);
  }
  GCHECK(entries == 152);
  int once = 0;
  for (int i = 0; i < 150; i++) once += counts[i] == 1;
  GCHECK(once == 150);
  for (int i = 0; i < 150; i++) {
    snprintf(pathbuf, sizeof pathbuf, "/sandbox/many/file-with-a-rather-long-name-%03d", i);
    unlink(pathbuf);
  }
  GCHECK(rmdir("/sandbox/many") == 0);

  return guest_finish();
}
