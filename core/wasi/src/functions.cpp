// The host functions of "wasi_snapshot_preview1": decode the guest's arguments (every pointer
// and length bounds-checked against the caller's memory, EFAULT otherwise), check the
// descriptor's rights (ENOTCAPABLE), call the descriptor, encode the results.
#include <sched.h>
#include <sys/random.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "context.h"
#include "interrupt.h"
#include "poller.h"

namespace orca::wasi {

using namespace abi;
using runtime::RawValue;

namespace {

// The caller's linear memory for one call. Every access is checked; a failed check is EFAULT.
class Mem {
 public:
  explicit Mem(runtime::Caller& caller) {
    if (auto* inst = caller.instance()) {
      if (auto ext = inst->exportByName("memory")) {
        if (auto* m = ext->memory()) {
          base_ = m->data();
          size_ = m->dataSize();
        }
      }
    }
  }
  bool ok(uint32_t ptr, uint64_t len) const { return base_ && len <= size_ && uint64_t(ptr) <= size_ - len; }
  uint8_t* at(uint32_t ptr) const { return base_ + ptr; }
  template <typename T>
  T load(uint32_t ptr) const {
    T v;
    std::memcpy(&v, base_ + ptr, sizeof v);
    return v;
  }
  template <typename T>
  void store(uint32_t ptr, T v) const {
    std::memcpy(base_ + ptr, &v, sizeof v);
  }
  // Stores a scalar result; false (EFAULT) when out of bounds.
  template <typename T>
  bool put(uint32_t ptr, T v) const {
    if (!ok(ptr, sizeof v)) return false;
    store(ptr, v);
    return true;
  }

 private:
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

struct Call {
  Context& ctx;
  Mem mem;
  std::optional<Error> error;  // set to trap or exit instead of returning an errno
};

uint32_t u32(const RawValue& v) { return uint32_t(v.i32); }
uint64_t u64(const RawValue& v) { return uint64_t(v.i64); }

#define WASI_PUT(ptr, value)                  \
  do {                                        \
    if (!c.mem.put((ptr), (value))) return kFault; \
  } while (0)

// Looks up `fd` and checks that it holds `rights`.
Errno entryFor(Call& c, uint32_t fd, Rights rights, FdEntry** out) {
  FdEntry* e = c.ctx.get(fd);
  if (!e) return kBadf;
  if ((e->base & rights) != rights) return kNotcapable;
  *out = e;
  return kSuccess;
}

#define WASI_ENTRY(var, fd, rights)                             \
  FdEntry* var = nullptr;                                       \
  if (Errno e_ = entryFor(c, (fd), (rights), &var)) return e_;

// As entryFor, for the sock_* calls: a descriptor that is not a socket is ENOTSOCK whatever
// rights it holds, as accept(2), recv(2), send(2) and shutdown(2) answer on POSIX; its rights
// are looked at only once it is a socket.
Errno socketEntryFor(Call& c, uint32_t fd, Rights rights, FdEntry** out) {
  if (FdEntry* e = c.ctx.get(fd)) {
    uint8_t type = e->desc->filetype();
    if (type != kFiletypeSocketStream && type != kFiletypeSocketDgram) return kNotsock;
  }
  return entryFor(c, fd, rights, out);
}

#define WASI_SOCKET_ENTRY(var, fd, rights)                      \
  FdEntry* var = nullptr;                                       \
  if (Errno e_ = socketEntryFor(c, (fd), (rights), &var)) return e_;

Errno readIovs(Call& c, uint32_t iovs, uint32_t count, IoBuffers* out) {
  if (!c.mem.ok(iovs, uint64_t(count) * kIovecSize)) return kFault;
  out->reserve(count);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t buf = c.mem.load<uint32_t>(iovs + i * kIovecSize);
    uint32_t len = c.mem.load<uint32_t>(iovs + i * kIovecSize + 4);
    if (!c.mem.ok(buf, len)) return kFault;
    out->emplace_back(c.mem.at(buf), len);
  }
  return kSuccess;
}

Errno readCiovs(Call& c, uint32_t iovs, uint32_t count, std::vector<std::span<const uint8_t>>* out) {
  IoBuffers bufs;
  if (Errno e = readIovs(c, iovs, count, &bufs)) return e;
  for (auto& b : bufs) out->emplace_back(b.data(), b.size());
  return kSuccess;
}

Errno readPath(Call& c, uint32_t ptr, uint32_t len, std::string* out) {
  if (!c.mem.ok(ptr, len)) return kFault;
  out->assign(reinterpret_cast<const char*>(c.mem.at(ptr)), len);
  if (out->find('\0') != std::string::npos) return kInval;  // no file name holds a NUL
  return kSuccess;
}

// ---- args, environ --------------------------------------------------------------------------

Errno stringsGet(Call& c, const std::vector<std::string>& strs, uint32_t ptrs, uint32_t buf) {
  if (!c.mem.ok(ptrs, uint64_t(strs.size()) * 4)) return kFault;
  uint64_t total = 0;
  for (auto& s : strs) total += s.size() + 1;
  if (!c.mem.ok(buf, total)) return kFault;
  uint32_t at = buf;
  for (size_t i = 0; i < strs.size(); i++) {
    c.mem.store<uint32_t>(ptrs + uint32_t(i) * 4, at);
    std::memcpy(c.mem.at(at), strs[i].c_str(), strs[i].size() + 1);
    at += uint32_t(strs[i].size() + 1);
  }
  return kSuccess;
}

Errno stringsSizes(Call& c, const std::vector<std::string>& strs, uint32_t countPtr, uint32_t sizePtr) {
  uint64_t total = 0;
  for (auto& s : strs) total += s.size() + 1;
  if (total > UINT32_MAX) return kOverflow;
  WASI_PUT(countPtr, uint32_t(strs.size()));
  WASI_PUT(sizePtr, uint32_t(total));
  return kSuccess;
}

Errno args_get(Call& c, const RawValue* a) { return stringsGet(c, c.ctx.args, u32(a[0]), u32(a[1])); }
Errno args_sizes_get(Call& c, const RawValue* a) { return stringsSizes(c, c.ctx.args, u32(a[0]), u32(a[1])); }
Errno environ_get(Call& c, const RawValue* a) { return stringsGet(c, c.ctx.env, u32(a[0]), u32(a[1])); }
Errno environ_sizes_get(Call& c, const RawValue* a) { return stringsSizes(c, c.ctx.env, u32(a[0]), u32(a[1])); }

// ---- clocks, random, scheduling, process ------------------------------------------------------

Errno clock_res_get(Call& c, const RawValue* a) {
  uint64_t res;
  if (Errno e = clockResolution(u32(a[0]), &res)) return e;
  WASI_PUT(u32(a[1]), res);
  return kSuccess;
}
Errno clock_time_get(Call& c, const RawValue* a) {
  uint64_t t;
  if (Errno e = clockTime(u32(a[0]), &t)) return e;
  WASI_PUT(u32(a[2]), t);
  return kSuccess;
}
Errno random_get(Call& c, const RawValue* a) {
  uint32_t buf = u32(a[0]), len = u32(a[1]);
  if (!c.mem.ok(buf, len)) return kFault;
  uint8_t* p = c.mem.at(buf);
  size_t done = 0;
  while (done < len) {
    ssize_t r = ::getrandom(p + done, len - done, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      return fromHostErrno(errno);
    }
    done += size_t(r);
  }
  return kSuccess;
}
Errno sched_yield_(Call& c, const RawValue*) {
  ::sched_yield();
  return kSuccess;
}
Errno proc_exit(Call& c, const RawValue* a) {
  c.error = makeExitError(int32_t(u32(a[0])));
  return kSuccess;
}
// proc_raise: the signal's default action, for the guest alone. Signals whose default is to
// terminate end the guest with a trap naming the signal; those ignored by default do nothing.
Errno proc_raise(Call& c, const RawValue* a) {
  uint32_t sig = u32(a[0]);
  static const char* const kNames[] = {"none", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
                                       "SEGV", "USR2", "PIPE", "ALRM", "TERM", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
                                       "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS"};
  if (sig > 30) return kInval;
  if (sig == 0) return kSuccess;
  // Ignored by default (CHLD, CONT, URG, WINCH); STOP-like signals have no meaning for a guest.
  if (sig == 16 || sig == 17 || sig == 22 || sig == 27 || (sig >= 18 && sig <= 21)) return kSuccess;
  c.error = makeError(ErrorKind::Trap, std::string("guest raised signal SIG") + kNames[sig]);
  return kSuccess;
}

// ---- descriptors -----------------------------------------------------------------------------

Errno fd_advise(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdAdvise);
  return e->desc->advise(u64(a[1]), u64(a[2]), uint8_t(u32(a[3])));
}
Errno fd_allocate(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdAllocate);
  return e->desc->allocate(u64(a[1]), u64(a[2]));
}
Errno fd_close(Call& c, const RawValue* a) {
  auto it = c.ctx.fds.find(u32(a[0]));
  if (it == c.ctx.fds.end()) return kBadf;
  c.ctx.fds.erase(it);
  return kSuccess;
}
Errno fd_datasync(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdDatasync);
  return e->desc->datasync();
}
Errno fd_sync(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdSync);
  return e->desc->sync();
}
Errno fd_fdstat_get(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), 0);
  uint32_t p = u32(a[1]);
  if (!c.mem.ok(p, kFdstatSize)) return kFault;
  uint16_t flags = 0;
  if (Errno err = e->desc->getFlags(&flags)) return err;
  std::memset(c.mem.at(p), 0, kFdstatSize);
  c.mem.store<uint8_t>(p, e->desc->filetype());
  c.mem.store<uint16_t>(p + 2, flags);
  c.mem.store<uint64_t>(p + 8, e->base);
  c.mem.store<uint64_t>(p + 16, e->inheriting);
  return kSuccess;
}
Errno fd_fdstat_set_flags(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdFdstatSetFlags);
  uint32_t flags = u32(a[1]);
  if (flags > 0xffff) return kInval;
  return e->desc->setFlags(uint16_t(flags));
}
Errno fd_fdstat_set_rights(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), 0);
  Rights base = u64(a[1]), inheriting = u64(a[2]);
  if ((base & ~e->base) || (inheriting & ~e->inheriting)) return kNotcapable;
  e->base = base;
  e->inheriting = inheriting;
  return kSuccess;
}

void storeFilestat(const Mem& m, uint32_t p, const Filestat& s) {
  std::memset(m.at(p), 0, kFilestatSize);
  m.store<uint64_t>(p, s.dev);
  m.store<uint64_t>(p + 8, s.ino);
  m.store<uint8_t>(p + 16, s.filetype);
  m.store<uint64_t>(p + 24, s.nlink);
  m.store<uint64_t>(p + 32, s.size);
  m.store<uint64_t>(p + 40, s.atim);
  m.store<uint64_t>(p + 48, s.mtim);
  m.store<uint64_t>(p + 56, s.ctim);
}

Errno fd_filestat_get(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdFilestatGet);
  uint32_t p = u32(a[1]);
  if (!c.mem.ok(p, kFilestatSize)) return kFault;
  Filestat s;
  if (Errno err = e->desc->stat(&s)) return err;
  storeFilestat(c.mem, p, s);
  return kSuccess;
}
Errno fd_filestat_set_size(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdFilestatSetSize);
  return e->desc->setSize(u64(a[1]));
}
Errno fd_filestat_set_times(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdFilestatSetTimes);
  uint32_t fst = u32(a[3]);
  if (fst > 0xffff) return kInval;
  return e->desc->setTimes(u64(a[1]), u64(a[2]), uint16_t(fst));
}
Errno fd_pread(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdRead | kRightFdSeek);
  IoBuffers bufs;
  if (Errno err = readIovs(c, u32(a[1]), u32(a[2]), &bufs)) return err;
  if (!c.mem.ok(u32(a[4]), 4)) return kFault;
  uint64_t n = 0;
  if (Errno err = e->desc->pread(bufs, u64(a[3]), &n)) return err;
  c.mem.store<uint32_t>(u32(a[4]), uint32_t(n));
  return kSuccess;
}
Errno fd_pwrite(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdWrite | kRightFdSeek);
  std::vector<std::span<const uint8_t>> bufs;
  if (Errno err = readCiovs(c, u32(a[1]), u32(a[2]), &bufs)) return err;
  if (!c.mem.ok(u32(a[4]), 4)) return kFault;
  uint64_t n = 0;
  if (Errno err = e->desc->pwrite(bufs, u64(a[3]), &n)) return err;
  c.mem.store<uint32_t>(u32(a[4]), uint32_t(n));
  return kSuccess;
}
Errno fd_prestat_get(Call& c, const RawValue* a) {
  FdEntry* e = c.ctx.get(u32(a[0]));
  if (!e || !e->preopenName) return kBadf;
  uint32_t p = u32(a[1]);
  if (!c.mem.ok(p, kPrestatSize)) return kFault;
  std::memset(c.mem.at(p), 0, kPrestatSize);
  c.mem.store<uint8_t>(p, kPreopenDir);
  c.mem.store<uint32_t>(p + 4, uint32_t(e->preopenName->size()));
  return kSuccess;
}
Errno fd_prestat_dir_name(Call& c, const RawValue* a) {
  FdEntry* e = c.ctx.get(u32(a[0]));
  if (!e || !e->preopenName) return kBadf;
  uint32_t p = u32(a[1]), len = u32(a[2]);
  if (len < e->preopenName->size()) return kNametoolong;
  if (!c.mem.ok(p, e->preopenName->size())) return kFault;
  std::memcpy(c.mem.at(p), e->preopenName->data(), e->preopenName->size());
  return kSuccess;
}
Errno fd_read(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdRead);
  IoBuffers bufs;
  if (Errno err = readIovs(c, u32(a[1]), u32(a[2]), &bufs)) return err;
  if (!c.mem.ok(u32(a[3]), 4)) return kFault;
  uint64_t n = 0;
  if (Errno err = e->desc->read(bufs, &n)) return err;
  c.mem.store<uint32_t>(u32(a[3]), uint32_t(n));
  return kSuccess;
}
Errno fd_write(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdWrite);
  std::vector<std::span<const uint8_t>> bufs;
  if (Errno err = readCiovs(c, u32(a[1]), u32(a[2]), &bufs)) return err;
  if (!c.mem.ok(u32(a[3]), 4)) return kFault;
  uint64_t n = 0;
  if (Errno err = e->desc->write(bufs, &n)) return err;
  c.mem.store<uint32_t>(u32(a[3]), uint32_t(n));
  return kSuccess;
}

// Directory entries are serialised into the guest's buffer from `cookie` on (the index of the
// next entry); the last one may be cut short, which tells the guest to ask again with more room.
Errno fd_readdir(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdReaddir);
  uint32_t buf = u32(a[1]), len = u32(a[2]), usedPtr = u32(a[4]);
  uint64_t cookie = u64(a[3]);
  if (!c.mem.ok(buf, len) || !c.mem.ok(usedPtr, 4)) return kFault;
  if (cookie == 0 || !e->dirCached) {
    std::vector<DirEntry> fresh;
    if (Errno err = e->desc->readdir(&fresh)) return err;
    e->dirCache = std::move(fresh);
    e->dirCached = true;
  }
  const std::vector<DirEntry>& entries = e->dirCache;
  uint64_t used = 0;
  for (uint64_t i = cookie; i < entries.size() && used < len; i++) {
    const DirEntry& d = entries[i];
    uint8_t head[kDirentSize] = {};
    uint64_t next = i + 1;
    uint32_t namlen = uint32_t(d.name.size());
    std::memcpy(head, &next, 8);
    std::memcpy(head + 8, &d.ino, 8);
    std::memcpy(head + 16, &namlen, 4);
    head[20] = d.type;
    uint64_t k = std::min<uint64_t>(kDirentSize, len - used);
    std::memcpy(c.mem.at(buf + uint32_t(used)), head, k);
    used += k;
    k = std::min<uint64_t>(namlen, len - used);
    std::memcpy(c.mem.at(buf + uint32_t(used)), d.name.data(), k);
    used += k;
  }
  c.mem.store<uint32_t>(usedPtr, uint32_t(used));
  return kSuccess;
}

Errno fd_renumber(Call& c, const RawValue* a) {
  uint32_t from = u32(a[0]), to = u32(a[1]);
  auto f = c.ctx.fds.find(from);
  auto t = c.ctx.fds.find(to);
  if (f == c.ctx.fds.end() || t == c.ctx.fds.end()) return kBadf;
  if (from == to) return kSuccess;
  t->second = std::move(f->second);
  c.ctx.fds.erase(f);
  return kSuccess;
}
Errno fd_seek(Call& c, const RawValue* a) {
  int64_t offset = int64_t(u64(a[1]));
  uint32_t whence = u32(a[2]);
  Rights need = (offset == 0 && whence == kWhenceCur) ? kRightFdTell : kRightFdSeek;
  WASI_ENTRY(e, u32(a[0]), need);
  if (whence > kWhenceEnd) return kInval;
  if (!c.mem.ok(u32(a[3]), 8)) return kFault;
  uint64_t pos = 0;
  if (Errno err = e->desc->seek(offset, uint8_t(whence), &pos)) return err;
  c.mem.store<uint64_t>(u32(a[3]), pos);
  return kSuccess;
}
Errno fd_tell(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightFdTell);
  if (!c.mem.ok(u32(a[1]), 8)) return kFault;
  uint64_t pos = 0;
  if (Errno err = e->desc->seek(0, kWhenceCur, &pos)) return err;
  c.mem.store<uint64_t>(u32(a[1]), pos);
  return kSuccess;
}

// ---- paths -----------------------------------------------------------------------------------

#define WASI_PATH(var, ptr, len)                           \
  std::string var;                                         \
  if (Errno e_ = readPath(c, (ptr), (len), &var)) return e_;

Errno path_create_directory(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightPathCreateDirectory);
  WASI_PATH(path, u32(a[1]), u32(a[2]));
  return e->desc->mkdirAt(path);
}
Errno path_filestat_get(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightPathFilestatGet);
  WASI_PATH(path, u32(a[2]), u32(a[3]));
  uint32_t p = u32(a[4]);
  if (!c.mem.ok(p, kFilestatSize)) return kFault;
  Filestat s;
  if (Errno err = e->desc->statAt(path, u32(a[1]) & kLookupSymlinkFollow, &s)) return err;
  storeFilestat(c.mem, p, s);
  return kSuccess;
}
Errno path_filestat_set_times(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightPathFilestatSetTimes);
  WASI_PATH(path, u32(a[2]), u32(a[3]));
  uint32_t fst = u32(a[6]);
  if (fst > 0xffff) return kInval;
  return e->desc->setTimesAt(path, u32(a[1]) & kLookupSymlinkFollow, u64(a[4]), u64(a[5]), uint16_t(fst));
}
Errno path_link(Call& c, const RawValue* a) {
  WASI_ENTRY(oldE, u32(a[0]), kRightPathLinkSource);
  WASI_PATH(oldPath, u32(a[2]), u32(a[3]));
  WASI_ENTRY(newE, u32(a[4]), kRightPathLinkTarget);
  WASI_PATH(newPath, u32(a[5]), u32(a[6]));
  return oldE->desc->linkAt(oldPath, u32(a[1]) & kLookupSymlinkFollow, *newE->desc, newPath);
}
Errno path_open(Call& c, const RawValue* a) {
  uint32_t oflags = u32(a[4]), fdflags = u32(a[7]), fdPtr = u32(a[8]);
  Rights base = u64(a[5]), inheriting = u64(a[6]);
  Rights needBase = kRightPathOpen;
  if (oflags & kOflagCreat) needBase |= kRightPathCreateFile;
  if (oflags & kOflagTrunc) needBase |= kRightPathFilestatSetSize;
  // What the new descriptor will hold must be passed on by the directory: its rights, and for
  // fdflags::dsync fd_datasync, for rsync/sync fd_sync. These are rights of the file to be, so
  // they are looked for among the directory's inheriting rights, as wasmtime's wasi-common and
  // uvwasi do, not among the rights the directory holds on itself.
  Rights needInheriting = base | inheriting;
  if (fdflags & kFdflagDsync) needInheriting |= kRightFdDatasync;
  if (fdflags & (kFdflagRsync | kFdflagSync)) needInheriting |= kRightFdSync;
  WASI_ENTRY(dir, u32(a[0]), needBase);
  WASI_PATH(path, u32(a[2]), u32(a[3]));
  if (oflags > 0xf || fdflags > 0x1f) return kInval;
  if (!c.mem.ok(fdPtr, 4)) return kFault;
  if (needInheriting & ~dir->inheriting) return kNotcapable;
  OpenRequest rq;
  rq.follow = u32(a[1]) & kLookupSymlinkFollow;
  rq.oflags = uint16_t(oflags);
  rq.fdflags = uint16_t(fdflags);
  rq.read = base & (kRightFdRead | kRightFdReaddir);
  bool writeRights = base & (kRightFdWrite | kRightFdAllocate | kRightFdFilestatSetSize);
  rq.write = writeRights || (fdflags & kFdflagAppend);
  // A directory asked for with write rights is EISDIR (as open(2) with O_WRONLY or O_RDWR, which
  // wasi-libc turns into fd_write among the rights); append alone, which Linux allows on a
  // directory opened for reading, does not make the request a write.
  if ((oflags & kOflagDirectory) && !writeRights) rq.write = false;
  std::unique_ptr<Descriptor> d;
  if (Errno err = dir->desc->openAt(path, rq, &d)) return err;
  auto slot = c.ctx.allocate();
  if (!slot) return kMfile;
  FdEntry ne;
  Rights max = maxRightsFor(d->filetype());
  ne.desc = std::shared_ptr<Descriptor>(std::move(d));
  ne.base = base & max;
  ne.inheriting = inheriting;
  if (ne.desc->filetype() != kFiletypeDirectory) ne.inheriting = 0;
  c.ctx.fds[*slot] = std::move(ne);
  c.mem.store<uint32_t>(fdPtr, *slot);
  return kSuccess;
}
Errno path_readlink(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightPathReadlink);
  WASI_PATH(path, u32(a[1]), u32(a[2]));
  uint32_t buf = u32(a[3]), len = u32(a[4]), usedPtr = u32(a[5]);
  if (!c.mem.ok(buf, len) || !c.mem.ok(usedPtr, 4)) return kFault;
  std::string target;
  if (Errno err = e->desc->readlinkAt(path, &target)) return err;
  uint32_t n = uint32_t(std::min<size_t>(target.size(), len));
  std::memcpy(c.mem.at(buf), target.data(), n);
  c.mem.store<uint32_t>(usedPtr, n);
  return kSuccess;
}
Errno path_remove_directory(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightPathRemoveDirectory);
  WASI_PATH(path, u32(a[1]), u32(a[2]));
  return e->desc->rmdirAt(path);
}
Errno path_rename(Call& c, const RawValue* a) {
  WASI_ENTRY(oldE, u32(a[0]), kRightPathRenameSource);
  WASI_PATH(oldPath, u32(a[1]), u32(a[2]));
  WASI_ENTRY(newE, u32(a[3]), kRightPathRenameTarget);
  WASI_PATH(newPath, u32(a[4]), u32(a[5]));
  return oldE->desc->renameAt(oldPath, *newE->desc, newPath);
}
Errno path_symlink(Call& c, const RawValue* a) {
  WASI_PATH(target, u32(a[0]), u32(a[1]));
  WASI_ENTRY(e, u32(a[2]), kRightPathSymlink);
  WASI_PATH(path, u32(a[3]), u32(a[4]));
  // An absolute target names nothing beneath any descriptor, so the guest could never follow
  // the link, while a host program that finds it in a host directory would: refuse the link
  // itself (EPERM, as wasmtime does) and create nothing.
  if (!target.empty() && target.front() == '/') return kPerm;
  return e->desc->symlinkAt(target, path);
}
Errno path_unlink_file(Call& c, const RawValue* a) {
  WASI_ENTRY(e, u32(a[0]), kRightPathUnlinkFile);
  WASI_PATH(path, u32(a[1]), u32(a[2]));
  return e->desc->unlinkAt(path);
}

// ---- poll ------------------------------------------------------------------------------------

Errno poll_oneoff(Call& c, const RawValue* a) {
  uint32_t in = u32(a[0]), out = u32(a[1]), n = u32(a[2]), neventsPtr = u32(a[3]);
  if (n == 0) return kInval;
  if (!c.mem.ok(in, uint64_t(n) * kSubscriptionSize) || !c.mem.ok(out, uint64_t(n) * kEventSize) ||
      !c.mem.ok(neventsPtr, 4))
    return kFault;
  std::vector<Subscription> subs(n);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t p = in + i * kSubscriptionSize;
    Subscription& s = subs[i];
    s.userdata = c.mem.load<uint64_t>(p);
    s.type = c.mem.load<uint8_t>(p + 8);
    if (s.type == kEventClock) {
      s.clockId = c.mem.load<uint32_t>(p + 16);
      s.timeout = c.mem.load<uint64_t>(p + 24);
      s.precision = c.mem.load<uint64_t>(p + 32);
      s.clockFlags = c.mem.load<uint16_t>(p + 40);
    } else if (s.type == kEventFdRead || s.type == kEventFdWrite) {
      s.fd = c.mem.load<uint32_t>(p + 16);
    } else {
      return kInval;
    }
  }
  std::vector<Event> events;
  if (Errno e = pollOneoff(c.ctx, subs, &events)) return e;
  for (size_t i = 0; i < events.size(); i++) {
    uint32_t p = out + uint32_t(i) * kEventSize;
    std::memset(c.mem.at(p), 0, kEventSize);
    c.mem.store<uint64_t>(p, events[i].userdata);
    c.mem.store<uint16_t>(p + 8, events[i].error);
    c.mem.store<uint8_t>(p + 10, events[i].type);
    c.mem.store<uint64_t>(p + 16, events[i].nbytes);
    c.mem.store<uint16_t>(p + 24, events[i].flags);
  }
  c.mem.store<uint32_t>(neventsPtr, uint32_t(events.size()));
  return kSuccess;
}

// ---- sockets ---------------------------------------------------------------------------------

Errno sock_accept(Call& c, const RawValue* a) {
  WASI_SOCKET_ENTRY(e, u32(a[0]), kRightSockAccept);
  uint32_t flags = u32(a[1]), fdPtr = u32(a[2]);
  if (flags > 0xffff) return kInval;
  if (!c.mem.ok(fdPtr, 4)) return kFault;
  std::unique_ptr<Descriptor> d;
  if (Errno err = e->desc->accept(uint16_t(flags), &d)) return err;
  auto slot = c.ctx.allocate();
  if (!slot) return kMfile;
  FdEntry ne;
  ne.desc = std::shared_ptr<Descriptor>(std::move(d));
  ne.base = kSocketRights & ~kRightSockAccept;
  ne.inheriting = 0;
  c.ctx.fds[*slot] = std::move(ne);
  c.mem.store<uint32_t>(fdPtr, *slot);
  return kSuccess;
}
Errno sock_recv(Call& c, const RawValue* a) {
  WASI_SOCKET_ENTRY(e, u32(a[0]), kRightFdRead);
  IoBuffers bufs;
  if (Errno err = readIovs(c, u32(a[1]), u32(a[2]), &bufs)) return err;
  uint32_t riflags = u32(a[3]), nPtr = u32(a[4]), roPtr = u32(a[5]);
  if (!c.mem.ok(nPtr, 4) || !c.mem.ok(roPtr, 2)) return kFault;
  if (riflags > 0xffff) return kInval;
  uint64_t n = 0;
  uint16_t ro = 0;
  if (Errno err = e->desc->recv(bufs, uint16_t(riflags), &n, &ro)) return err;
  c.mem.store<uint32_t>(nPtr, uint32_t(n));
  c.mem.store<uint16_t>(roPtr, ro);
  return kSuccess;
}
Errno sock_send(Call& c, const RawValue* a) {
  WASI_SOCKET_ENTRY(e, u32(a[0]), kRightFdWrite);
  std::vector<std::span<const uint8_t>> bufs;
  if (Errno err = readCiovs(c, u32(a[1]), u32(a[2]), &bufs)) return err;
  uint32_t nPtr = u32(a[4]);
  if (!c.mem.ok(nPtr, 4)) return kFault;
  uint64_t n = 0;
  if (Errno err = e->desc->send(bufs, &n)) return err;
  c.mem.store<uint32_t>(nPtr, uint32_t(n));
  return kSuccess;
}
Errno sock_shutdown(Call& c, const RawValue* a) {
  WASI_SOCKET_ENTRY(e, u32(a[0]), kRightSockShutdown);
  uint32_t how = u32(a[1]);
  if (how == 0 || how > 3) return kInval;
  return e->desc->shutdown(uint8_t(how));
}

// ---- the table -------------------------------------------------------------------------------

using Impl = Errno (*)(Call&, const RawValue*);
struct FunctionDef {
  const char* name;
  const char* params;  // i = i32, I = i64; every function returns an i32 errno except proc_exit
  Impl impl;
};

const FunctionDef kFunctions[] = {
    {"args_get", "ii", args_get},
    {"args_sizes_get", "ii", args_sizes_get},
    {"environ_get", "ii", environ_get},
    {"environ_sizes_get", "ii", environ_sizes_get},
    {"clock_res_get", "ii", clock_res_get},
    {"clock_time_get", "iIi", clock_time_get},
    {"fd_advise", "iIIi", fd_advise},
    {"fd_allocate", "iII", fd_allocate},
    {"fd_close", "i", fd_close},
    {"fd_datasync", "i", fd_datasync},
    {"fd_fdstat_get", "ii", fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII", fd_fdstat_set_rights},
    {"fd_filestat_get", "ii", fd_filestat_get},
    {"fd_filestat_set_size", "iI", fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi", fd_filestat_set_times},
    {"fd_pread", "iiiIi", fd_pread},
    {"fd_prestat_get", "ii", fd_prestat_get},
    {"fd_prestat_dir_name", "iii", fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi", fd_pwrite},
    {"fd_read", "iiii", fd_read},
    {"fd_readdir", "iiiIi", fd_readdir},
    {"fd_renumber", "ii", fd_renumber},
    {"fd_seek", "iIii", fd_seek},
    {"fd_sync", "i", fd_sync},
    {"fd_tell", "ii", fd_tell},
    {"fd_write", "iiii", fd_write},
    {"path_create_directory", "iii", path_create_directory},
    {"path_filestat_get", "iiiii", path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi", path_filestat_set_times},
    {"path_link", "iiiiiii", path_link},
    {"path_open", "iiiiiIIii", path_open},
    {"path_readlink", "iiiiii", path_readlink},
    {"path_remove_directory", "iii", path_remove_directory},
    {"path_rename", "iiiiii", path_rename},
    {"path_symlink", "iiiii", path_symlink},
    {"path_unlink_file", "iii", path_unlink_file},
    {"poll_oneoff", "iiii", poll_oneoff},
    {"proc_exit", "i", proc_exit},
    {"proc_raise", "i", proc_raise},
    {"sched_yield", "", sched_yield_},
    {"random_get", "ii", random_get},
    {"sock_accept", "iii", sock_accept},
    {"sock_recv", "iiiiii", sock_recv},
    {"sock_send", "iiiii", sock_send},
    {"sock_shutdown", "ii", sock_shutdown},
};

}  // namespace

std::vector<std::string> functionNames() {
  std::vector<std::string> out;
  for (auto& f : kFunctions) out.push_back(f.name);
  return out;
}

Status defineWasi(runtime::Linker& linker, std::shared_ptr<WasiContext> context) {
  auto ctx = std::dynamic_pointer_cast<Context>(context);
  if (!ctx) return makeError(ErrorKind::Invalid, "defineWasi: the context was not made by WasiContext::create");
  auto typeOf = [](const FunctionDef& def) {
    ir::FuncType type;
    for (const char* p = def.params; *p; p++) type.params.push_back(*p == 'I' ? ir::ValType::I64 : ir::ValType::I32);
    if (std::strcmp(def.name, "proc_exit") != 0) type.results.push_back(ir::ValType::I32);
    return type;
  };
  // All the signatures' trampolines in one compile (or one cache entry), not one per signature.
  runtime::Engine& engine = linker.store().engine();
  std::vector<uint32_t> typeIds;
  for (const FunctionDef& def : kFunctions) typeIds.push_back(engine.internType(typeOf(def)));
  ORCA_TRY(engine.prepareTrampolines(typeIds));
  for (const FunctionDef& def : kFunctions) {
    ir::FuncType type = typeOf(def);
    bool isExit = std::strcmp(def.name, "proc_exit") == 0;
    Impl impl = def.impl;
    auto callback = [ctx, impl, isExit](runtime::Caller& caller, const RawValue* args, RawValue* results) -> Status {
      InterruptScope scope(&caller.store().context()->interrupt);
      Call call{*ctx, Mem(caller), std::nullopt};
      Errno e = impl(call, args);
      if (call.error) return std::move(*call.error);
      if (!isExit) {
        results[0] = RawValue{};
        results[0].i32 = int32_t(e);
      }
      return {};
    };
    auto f = linker.defineFunc("wasi_snapshot_preview1", def.name, type, std::move(callback));
    if (!f) return f.takeError();
  }
  return {};
}

}  // namespace orca::wasi
