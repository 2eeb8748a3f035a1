/* The operating-system layer SQLite needs when it is built with SQLITE_OS_OTHER, for the suite's
 * speedtest1 (run with --memdb, so no file is ever opened): a VFS that refuses files and gives
 * the clock. SQLite 3.40's os_unix.c does not build for WASI, and the same layer is used in the
 * native build so that both run the same code. Randomness is a fixed sequence: the native and
 * wasm runs must give the same verification hash. */
#include <string.h>
#include <time.h>
#include "sqlite3.h"

static int memOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
  (void)vfs; (void)name; (void)flags; (void)outFlags;
  file->pMethods = NULL;  /* SQLite closes a file only if its methods are set */
  return SQLITE_CANTOPEN; /* only in-memory databases */
}

static int memDelete(sqlite3_vfs *vfs, const char *name, int syncDir) {
  (void)vfs; (void)name; (void)syncDir;
  return SQLITE_OK;
}

static int memAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
  (void)vfs; (void)name; (void)flags;
  *result = 0;
  return SQLITE_OK;
}

static int memFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
  (void)vfs;
  sqlite3_snprintf(size, out, "%s", name);
  return SQLITE_OK;
}

static int memRandomness(sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs;
  for (int i = 0; i < size; i++) out[i] = (char)(i * 131 + 7);
  return size;
}

static int memSleep(sqlite3_vfs *vfs, int micros) {
  (void)vfs;
  return micros;
}

static int memCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *julianMs) {
  (void)vfs;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  /* 210866760000000 ms: the Julian day number of the Unix epoch, times 86,400,000 */
  *julianMs = (sqlite3_int64)210866760000000LL + (sqlite3_int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  return SQLITE_OK;
}

static int memCurrentTime(sqlite3_vfs *vfs, double *julianDays) {
  sqlite3_int64 ms;
  memCurrentTimeInt64(vfs, &ms);
  *julianDays = ms / 86400000.0;
  return SQLITE_OK;
}

static int memGetLastError(sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs; (void)size; (void)out;
  return 0;
}

int sqlite3_os_init(void) {
  static sqlite3_vfs vfs = {
    2, sizeof(sqlite3_file), 512, 0, "memvfs", 0, memOpen, memDelete, memAccess, memFullPathname,
    0, 0, 0, 0, memRandomness, memSleep, memCurrentTime, memGetLastError, memCurrentTimeInt64,
    0, 0, 0,
  };
  return sqlite3_vfs_register(&vfs, 1);
}

int sqlite3_os_end(void) { return SQLITE_OK; }
