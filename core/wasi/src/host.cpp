// Host files, directories and sockets, and the sandbox: every path a guest gives is resolved
// beneath the directory descriptor it names. Where the kernel has openat2 (Linux 5.6) one call
// with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS does it; otherwise a walk opens one component at a
// time with O_NOFOLLOW, keeps the chain of directories it went through (so ".." pops the chain
// instead of asking the kernel, and a directory renamed meanwhile cannot lead outside), expands
// symlinks itself (an absolute target or one climbing above the start is refused, more than 40
// is ELOOP). Operations that act on a name (mkdir, unlink, rename, link, symlink, readlink) open
// the parent beneath the start and pass the kernel a single component, which *at calls never
// follow, so nothing outside is named either.
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "descriptor.h"
#include "path.h"
#include "interrupt.h"
#include "sandbox.h"

namespace orca::wasi {

namespace {

using namespace abi;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  ~Fd() { reset(); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_ = -1;
};

uint8_t filetypeOfMode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return kFiletypeRegularFile;
    case S_IFDIR: return kFiletypeDirectory;
    case S_IFCHR: return kFiletypeCharacterDevice;
    case S_IFBLK: return kFiletypeBlockDevice;
    case S_IFLNK: return kFiletypeSymbolicLink;
    case S_IFSOCK: return kFiletypeSocketStream;  // refined by SO_TYPE where it matters
    default: return kFiletypeUnknown;  // FIFOs have no preview1 type
  }
}

uint64_t toNs(const struct timespec& ts) { return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec); }

void fillStat(const struct stat& st, Filestat* out) {
  out->dev = st.st_dev;
  out->ino = st.st_ino;
  out->filetype = filetypeOfMode(st.st_mode);
  out->nlink = st.st_nlink;
  out->size = uint64_t(st.st_size);
  out->atim = toNs(st.st_atim);
  out->mtim = toNs(st.st_mtim);
  out->ctim = toNs(st.st_ctim);
}

Errno hostErr() { return fromHostErrno(errno); }

// Times for utimensat from preview1's fstflags.
Errno timesFor(uint64_t atim, uint64_t mtim, uint16_t fst, struct timespec times[2]) {
  if ((fst & kFstAtim) && (fst & kFstAtimNow)) return kInval;
  if ((fst & kFstMtim) && (fst & kFstMtimNow)) return kInval;
  if (fst & ~uint16_t(kFstAtim | kFstAtimNow | kFstMtim | kFstMtimNow)) return kInval;
  auto one = [](uint64_t ns, bool set, bool now, struct timespec* t) {
    if (now) {
      t->tv_sec = 0;
      t->tv_nsec = UTIME_NOW;
    } else if (set) {
      t->tv_sec = time_t(ns / 1'000'000'000ull);
      t->tv_nsec = long(ns % 1'000'000'000ull);
    } else {
      t->tv_sec = 0;
      t->tv_nsec = UTIME_OMIT;
    }
  };
  one(atim, fst & kFstAtim, fst & kFstAtimNow, &times[0]);
  one(mtim, fst & kFstMtim, fst & kFstMtimNow, &times[1]);
  return kSuccess;
}

std::atomic<int> gOpenat2State{0};  // 0 unknown, 1 available, 2 missing (or the walk is forced)

bool useOpenat2() {
  int s = gOpenat2State.load(std::memory_order_relaxed);
  if (s == 0) {
    const char* force = std::getenv("ORCA_WASI_FORCE_WALK");
    s = (force && *force && std::strcmp(force, "0") != 0) ? 2 : 1;
    gOpenat2State.store(s, std::memory_order_relaxed);
  }
  return s == 1;
}

// openat2 beneath `dirfd`, or -1 with errno set.
int openat2Beneath(int dirfd, const std::string& path, int flags, mode_t mode) {
  struct open_how how {};
  how.flags = uint64_t(flags);
  how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (;;) {
    long r = ::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof how);
    if (r >= 0) return int(r);
    if (errno == EINTR || errno == EAGAIN) continue;  // EAGAIN: a concurrent rename; retry
    return -1;
  }
}

// The walk. Returns a preview1 errno; on success *out is the opened descriptor.
Errno walkBeneath(int dirfd, std::string_view path, int flags, mode_t mode, Fd* out) {
  if (path.empty()) return kNoent;
  if (path[0] == '/') return kNotcapable;
  bool trailingSlash = path.back() == '/';
  std::vector<std::string> rest = pathComponents(path);
  std::reverse(rest.begin(), rest.end());  // a stack: next component at the back
  std::vector<Fd> chain;                    // directories entered below dirfd
  auto current = [&] { return chain.empty() ? dirfd : chain.back().get(); };
  int symlinks = 0;
  if (rest.empty()) rest.push_back(".");
  while (!rest.empty()) {
    std::string name = std::move(rest.back());
    rest.pop_back();
    bool last = rest.empty();
    if (name == ".") {
      if (!last) continue;
    } else if (name == "..") {
      if (chain.empty()) return kNotcapable;
      chain.pop_back();
      if (!last) continue;
      name = ".";
    }
    if (!last || trailingSlash) {
      // A directory to enter (or a final component that must be one): never follow here.
      int fd = ::openat(current(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return hostErr();
      Fd f(fd);
      struct stat st {};
      if (::fstat(fd, &st) != 0) return hostErr();
      if (S_ISLNK(st.st_mode)) {
        if (++symlinks > 40) return kLoop;
        char buf[PATH_MAX + 1];
        ssize_t n = ::readlinkat(current(), name.c_str(), buf, PATH_MAX);
        if (n < 0) return hostErr();
        std::string_view target(buf, size_t(n));
        if (target.empty()) return kNoent;
        if (target[0] == '/') return kNotcapable;
        if (last && trailingSlash) rest.push_back(".");
        auto parts = pathComponents(target);
        if (target.back() == '/' && (rest.empty())) parts.push_back(".");
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) rest.push_back(*it);
        if (rest.empty()) rest.push_back(".");
        continue;
      }
      if (!S_ISDIR(st.st_mode)) return kNotdir;
      if (last) {
        // The final directory, opened as asked.
        int ff = ::openat(current(), name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
        if (ff < 0) return hostErr();
        *out = Fd(ff);
        return kSuccess;
      }
      chain.push_back(std::move(f));
      continue;
    }
    // The final component.
    bool follow = !(flags & O_NOFOLLOW);
    int ff = ::openat(current(), name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
    if (ff >= 0) {
      struct stat st {};
      if ((flags & O_PATH) && follow && ::fstat(ff, &st) == 0 && S_ISLNK(st.st_mode)) {
        ::close(ff);  // O_PATH opened the link itself; follow it below
      } else {
        *out = Fd(ff);
        return kSuccess;
      }
    } else if (errno != ELOOP && errno != ENOTDIR) {
      return hostErr();
    }
    int openErrno = ff >= 0 ? ELOOP : errno;
    if (!follow) return fromHostErrno(openErrno);
    // Possibly a symlink to follow ourselves (O_NOFOLLOW refused it); if not, the open's error.
    char buf[PATH_MAX + 1];
    ssize_t n = ::readlinkat(current(), name.c_str(), buf, PATH_MAX);
    if (n < 0) return errno == EINVAL ? fromHostErrno(openErrno) : hostErr();
    if (++symlinks > 40) return kLoop;
    std::string_view target(buf, size_t(n));
    if (target.empty()) return kNoent;
    if (target[0] == '/') return kNotcapable;
    auto parts = pathComponents(target);
    if (target.back() == '/') parts.push_back(".");
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) rest.push_back(*it);
    if (rest.empty()) rest.push_back(".");
  }
  return kNoent;
}

}  // namespace

Errno openBeneath(int dirfd, std::string_view path, int flags, mode_t mode, int* outFd) {
  if (path.empty()) return kNoent;
  if (path.find('\0') != std::string_view::npos) return kInval;
  if (path[0] == '/') return kNotcapable;
  if (useOpenat2()) {
    int fd = openat2Beneath(dirfd, std::string(path), flags | O_CLOEXEC, mode);
    if (fd >= 0) {
      *outFd = fd;
      return kSuccess;
    }
    if (errno == EXDEV) return kNotcapable;  // the path or a symlink on it leads outside
    if (errno != ENOSYS && errno != EPERM) return hostErr();
    if (errno == ENOSYS) gOpenat2State.store(2, std::memory_order_relaxed);
    // EPERM: a seccomp filter may refuse openat2; the walk gives the same answers.
  }
  Fd f;
  Errno e = walkBeneath(dirfd, path, flags, mode, &f);
  if (e != kSuccess) return e;
  *outFd = f.release();
  return kSuccess;
}

SplitPath splitPath(std::string_view path) {
  SplitPath s;
  size_t end = path.size();
  while (end > 0 && path[end - 1] == '/') end--;
  s.trailingSlash = end < path.size();
  if (end == 0) {  // "" or "////"
    s.name = path.empty() ? "" : "/";
    return s;
  }
  size_t slash = path.rfind('/', end - 1);
  if (slash == std::string_view::npos) {
    s.name = std::string(path.substr(0, end));
  } else {
    s.dir = std::string(path.substr(0, slash + 1));
    s.name = std::string(path.substr(slash + 1, end - slash - 1));
  }
  return s;
}

// The parent directory of `path` opened beneath `dirfd` (O_PATH), and the last component.
Errno openParent(int dirfd, std::string_view path, Fd* parent, SplitPath* split) {
  if (path.empty()) return kNoent;
  if (path.find('\0') != std::string_view::npos) return kInval;
  if (path[0] == '/') return kNotcapable;
  *split = splitPath(path);
  int fd = -1;
  Errno e = openBeneath(dirfd, split->dir.empty() ? "." : split->dir, O_PATH | O_DIRECTORY, 0, &fd);
  if (e != kSuccess) return e;
  *parent = Fd(fd);
  // A last component of "." or ".." names a directory already checked to lie beneath (or not).
  if (split->name == "." || split->name == "..") {
    int probe = -1;
    Errno pe = openBeneath(dirfd, path, O_PATH | O_DIRECTORY, 0, &probe);
    if (pe != kSuccess) return pe;
    ::close(probe);
  }
  return kSuccess;
}

namespace {

bool isDotName(const std::string& n) { return n == "." || n == ".."; }

// The name passed to the kernel: one component, with the trailing slash kept when given (for
// mkdir, rmdir, rename, unlink the kernel treats it as "must be a directory" without following).
std::string kernelName(const SplitPath& s) { return s.trailingSlash ? s.name + "/" : s.name; }

class HostDescriptor final : public Descriptor {
 public:
  explicit HostDescriptor(int fd) : fd_(fd) {
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
      type_ = filetypeOfMode(st.st_mode);
      fifo_ = S_ISFIFO(st.st_mode);
      if (S_ISSOCK(st.st_mode)) {
        int t = 0;
        socklen_t len = sizeof t;
        if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &len) == 0 && t == SOCK_DGRAM) type_ = kFiletypeSocketDgram;
      }
    }
  }
  ~HostDescriptor() override { ::close(fd_); }

  uint8_t filetype() const override { return type_; }
  bool isSocket() const { return type_ == kFiletypeSocketStream || type_ == kFiletypeSocketDgram; }
  bool isDir() const { return type_ == kFiletypeDirectory; }
  int fd() const { return fd_; }

  static std::vector<struct iovec> iov(const IoBuffers& bufs) {
    std::vector<struct iovec> v;
    for (auto& b : bufs)
      if (!b.empty()) v.push_back({b.data(), b.size()});
    return v;
  }
  static std::vector<struct iovec> iov(const std::vector<std::span<const uint8_t>>& bufs) {
    std::vector<struct iovec> v;
    for (auto& b : bufs)
      if (!b.empty()) v.push_back({const_cast<uint8_t*>(b.data()), b.size()});
    return v;
  }

  // Pipes, sockets and terminals can block; regular files and directories cannot.
  bool canBlock() const { return fifo_ || isSocket() || type_ == kFiletypeCharacterDevice; }

  Errno read(const IoBuffers& bufs, uint64_t* n) override {
    if (isDir()) return kIsdir;
    auto v = iov(bufs);
    if (v.empty()) return (*n = 0), kSuccess;
    if (canBlock())
      if (Errno e = waitReady(fd_, false)) return e;
    ssize_t r;
    do r = ::readv(fd_, v.data(), int(std::min<size_t>(v.size(), IOV_MAX)));
    while (r < 0 && errno == EINTR);
    if (r < 0) return hostErr();
    *n = uint64_t(r);
    return kSuccess;
  }
  Errno write(const std::vector<std::span<const uint8_t>>& bufs, uint64_t* n) override {
    if (isDir()) return kIsdir;
    auto v = iov(bufs);
    if (v.empty()) return (*n = 0), kSuccess;
    if (fifo_ || isSocket())
      if (Errno e = waitReady(fd_, true)) return e;
    ssize_t r;
    if (isSocket()) {
      struct msghdr m {};
      m.msg_iov = v.data();
      m.msg_iovlen = std::min<size_t>(v.size(), IOV_MAX);
      do r = ::sendmsg(fd_, &m, MSG_NOSIGNAL);
      while (r < 0 && errno == EINTR);
    } else if (fifo_) {
      // A pipe whose reader is gone raises SIGPIPE, which would end the host. Block it on this
      // thread for the write and swallow the one the write raised.
      sigset_t pipeSet, old, pending;
      sigemptyset(&pipeSet);
      sigaddset(&pipeSet, SIGPIPE);
      sigemptyset(&pending);
      ::sigpending(&pending);
      bool wasPending = sigismember(&pending, SIGPIPE);
      ::pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
      do r = ::writev(fd_, v.data(), int(std::min<size_t>(v.size(), IOV_MAX)));
      while (r < 0 && errno == EINTR);
      int saved = errno;
      if (r < 0 && saved == EPIPE && !wasPending) {
        struct timespec zero {};
        while (::sigtimedwait(&pipeSet, nullptr, &zero) < 0 && errno == EINTR) {
        }
      }
      ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
      errno = saved;
    } else {
      do r = ::writev(fd_, v.data(), int(std::min<size_t>(v.size(), IOV_MAX)));
      while (r < 0 && errno == EINTR);
    }
    if (r < 0) return hostErr();
    *n = uint64_t(r);
    return kSuccess;
  }
  Errno pread(const IoBuffers& bufs, uint64_t offset, uint64_t* n) override {
    if (isDir()) return kIsdir;
    if (type_ != kFiletypeRegularFile && type_ != kFiletypeBlockDevice) return kSpipe;
    if (offset > uint64_t(INT64_MAX)) return kInval;
    auto v = iov(bufs);
    if (v.empty()) return (*n = 0), kSuccess;
    ssize_t r = ::preadv(fd_, v.data(), int(std::min<size_t>(v.size(), IOV_MAX)), off_t(offset));
    if (r < 0) return hostErr();
    *n = uint64_t(r);
    return kSuccess;
  }
  Errno pwrite(const std::vector<std::span<const uint8_t>>& bufs, uint64_t offset, uint64_t* n) override {
    if (isDir()) return kIsdir;
    if (type_ != kFiletypeRegularFile && type_ != kFiletypeBlockDevice) return kSpipe;
    if (offset > uint64_t(INT64_MAX)) return kInval;
    auto v = iov(bufs);
    if (v.empty()) return (*n = 0), kSuccess;
    ssize_t r = ::pwritev(fd_, v.data(), int(std::min<size_t>(v.size(), IOV_MAX)), off_t(offset));
    if (r < 0) return hostErr();
    *n = uint64_t(r);
    return kSuccess;
  }
  Errno seek(int64_t offset, uint8_t whence, uint64_t* newOffset) override {
    if (isSocket() || type_ == kFiletypeCharacterDevice || type_ == kFiletypeUnknown) return kSpipe;
    int w = whence == kWhenceSet ? SEEK_SET : whence == kWhenceCur ? SEEK_CUR : whence == kWhenceEnd ? SEEK_END : -1;
    if (w < 0) return kInval;
    off_t r = ::lseek(fd_, off_t(offset), w);
    if (r < 0) return hostErr();
    *newOffset = uint64_t(r);
    return kSuccess;
  }
  Errno stat(Filestat* out) override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return hostErr();
    fillStat(st, out);
    out->filetype = type_;
    return kSuccess;
  }
  Errno getFlags(uint16_t* flags) override {
    int fl = ::fcntl(fd_, F_GETFL);
    if (fl < 0) return hostErr();
    uint16_t f = 0;
    if (fl & O_APPEND) f |= kFdflagAppend;
    if (fl & O_NONBLOCK) f |= kFdflagNonblock;
    if ((fl & O_SYNC) == O_SYNC) f |= kFdflagSync | kFdflagRsync;
    else if (fl & O_DSYNC) f |= kFdflagDsync;
    *flags = f;
    return kSuccess;
  }
  Errno setFlags(uint16_t flags) override {
    // Linux changes only O_APPEND and O_NONBLOCK after open; asking for the sync flags is refused.
    if (flags & (kFdflagDsync | kFdflagRsync | kFdflagSync)) return kNotsup;
    if (flags & ~uint16_t(kFdflagAppend | kFdflagNonblock)) return kInval;
    int fl = ::fcntl(fd_, F_GETFL);
    if (fl < 0) return hostErr();
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & kFdflagAppend) fl |= O_APPEND;
    if (flags & kFdflagNonblock) fl |= O_NONBLOCK;
    if (::fcntl(fd_, F_SETFL, fl) != 0) return hostErr();
    return kSuccess;
  }
  Errno setSize(uint64_t size) override {
    if (isDir()) return kIsdir;
    if (size > uint64_t(INT64_MAX)) return kFbig;
    if (::ftruncate(fd_, off_t(size)) != 0) return hostErr();
    return kSuccess;
  }
  Errno setTimes(uint64_t atim, uint64_t mtim, uint16_t fst) override {
    struct timespec t[2];
    if (Errno e = timesFor(atim, mtim, fst, t)) return e;
    if (::futimens(fd_, t) != 0) return hostErr();
    return kSuccess;
  }
  Errno sync() override {
    if (::fsync(fd_) != 0) return errno == EINVAL ? Errno(kInval) : hostErr();
    return kSuccess;
  }
  Errno datasync() override {
    if (::fdatasync(fd_) != 0) return hostErr();
    return kSuccess;
  }
  Errno advise(uint64_t offset, uint64_t len, uint8_t advice) override {
    if (advice > kAdviceMax) return kInval;
    if (isDir()) return kSuccess;
    if (type_ != kFiletypeRegularFile) return kSpipe;
    static const int kAdvice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                  POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX)) return kInval;
    int r = ::posix_fadvise(fd_, off_t(offset), off_t(len), kAdvice[advice]);
    return fromHostErrno(r);  // 0 is kSuccess
  }
  Errno allocate(uint64_t offset, uint64_t len) override {
    if (isDir()) return kIsdir;
    if (type_ != kFiletypeRegularFile) return kSpipe;
    if (len == 0) return kInval;
    if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset) return kFbig;
    int r = ::posix_fallocate(fd_, off_t(offset), off_t(len));
    if (r == EOPNOTSUPP || r == EINVAL) {  // a filesystem without fallocate: grow by truncation
      struct stat st {};
      if (::fstat(fd_, &st) != 0) return hostErr();
      if (uint64_t(st.st_size) < offset + len && ::ftruncate(fd_, off_t(offset + len)) != 0) return hostErr();
      return kSuccess;
    }
    return fromHostErrno(r);  // 0 is kSuccess
  }

  Errno readdir(std::vector<DirEntry>* out) override {
    if (!isDir()) return kNotdir;
    int dfd = ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return hostErr();
    DIR* d = ::fdopendir(dfd);
    if (!d) {
      ::close(dfd);
      return hostErr();
    }
    errno = 0;
    while (struct dirent* de = ::readdir(d)) {
      DirEntry e;
      e.name = de->d_name;
      e.ino = de->d_ino;
      switch (de->d_type) {
        case DT_REG: e.type = kFiletypeRegularFile; break;
        case DT_DIR: e.type = kFiletypeDirectory; break;
        case DT_LNK: e.type = kFiletypeSymbolicLink; break;
        case DT_CHR: e.type = kFiletypeCharacterDevice; break;
        case DT_BLK: e.type = kFiletypeBlockDevice; break;
        case DT_SOCK: e.type = kFiletypeSocketStream; break;
        default: {
          struct stat st {};
          e.type = kFiletypeUnknown;
          if (::fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) e.type = filetypeOfMode(st.st_mode);
        }
      }
      out->push_back(std::move(e));
      errno = 0;
    }
    int err = errno;
    ::closedir(d);
    return fromHostErrno(err);  // 0 is kSuccess
  }

  Errno openAt(std::string_view path, const OpenRequest& rq, std::unique_ptr<Descriptor>* out) override {
    if (!isDir()) return kNotdir;
    int flags = O_NOCTTY;
    if (rq.oflags & kOflagDirectory) {
      if (rq.oflags & (kOflagCreat | kOflagTrunc)) return kInval;
      // With a write mode the kernel answers EISDIR for a directory and ENOTDIR for anything
      // else, the order POSIX programs expect.
      flags |= O_DIRECTORY;
    }
    flags |= rq.write ? (rq.read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (rq.oflags & kOflagCreat) flags |= O_CREAT;
    if (rq.oflags & kOflagExcl) flags |= O_EXCL;
    if (rq.oflags & kOflagTrunc) flags |= O_TRUNC;
    if (rq.fdflags & kFdflagAppend) flags |= O_APPEND;
    if (rq.fdflags & kFdflagDsync) flags |= O_DSYNC;
    if (rq.fdflags & kFdflagSync) flags |= O_SYNC;
    if (rq.fdflags & kFdflagRsync) flags |= O_RSYNC;
    if (rq.fdflags & kFdflagNonblock) flags |= O_NONBLOCK;
    if (!rq.follow) flags |= O_NOFOLLOW;
    int fd = -1;
    if (Errno e = openBeneath(fd_, path, flags, 0666, &fd)) return e;
    *out = std::make_unique<HostDescriptor>(fd);
    return kSuccess;
  }

  Errno statAt(std::string_view path, bool follow, Filestat* out) override {
    if (!isDir()) return kNotdir;
    int fd = -1;
    Errno e = openBeneath(fd_, path, O_PATH | (follow ? 0 : O_NOFOLLOW), 0, &fd);
    if (e != kSuccess) return e;
    Fd f(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return hostErr();
    fillStat(st, out);
    return kSuccess;
  }

  Errno setTimesAt(std::string_view path, bool follow, uint64_t atim, uint64_t mtim, uint16_t fst) override {
    if (!isDir()) return kNotdir;
    struct timespec t[2];
    if (Errno e = timesFor(atim, mtim, fst, t)) return e;
    if (follow) {
      int fd = -1;
      Errno e = openBeneath(fd_, path, O_PATH, 0, &fd);
      if (e != kSuccess) return e;
      Fd f(fd);
      std::string proc = "/proc/self/fd/" + std::to_string(fd);
      if (::utimensat(AT_FDCWD, proc.c_str(), t, 0) != 0) return hostErr();
      return kSuccess;
    }
    Fd parent;
    SplitPath s;
    if (Errno e = openParent(fd_, path, &parent, &s)) return e;
    if (::utimensat(parent.get(), s.name.c_str(), t, AT_SYMLINK_NOFOLLOW) != 0) return hostErr();
    return kSuccess;
  }

  Errno mkdirAt(std::string_view path) override {
    if (!isDir()) return kNotdir;
    Fd parent;
    SplitPath s;
    if (Errno e = openParent(fd_, path, &parent, &s)) return e;
    if (isDotName(s.name)) return kExist;
    if (::mkdirat(parent.get(), kernelName(s).c_str(), 0777) != 0) return hostErr();
    return kSuccess;
  }
  Errno rmdirAt(std::string_view path) override {
    if (!isDir()) return kNotdir;
    Fd parent;
    SplitPath s;
    if (Errno e = openParent(fd_, path, &parent, &s)) return e;
    if (s.name == ".") return kInval;
    if (s.name == "..") return kNotempty;
    if (::unlinkat(parent.get(), kernelName(s).c_str(), AT_REMOVEDIR) != 0) return hostErr();
    return kSuccess;
  }
  Errno unlinkAt(std::string_view path) override {
    if (!isDir()) return kNotdir;
    Fd parent;
    SplitPath s;
    if (Errno e = openParent(fd_, path, &parent, &s)) return e;
    if (isDotName(s.name)) return kIsdir;
    struct stat st {};
    if (::fstatat(parent.get(), s.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return hostErr();
    if (S_ISDIR(st.st_mode)) return kIsdir;
    if (s.trailingSlash) return kNotdir;
    if (::unlinkat(parent.get(), s.name.c_str(), 0) != 0) return hostErr();
    return kSuccess;
  }
  Errno readlinkAt(std::string_view path, std::string* out) override {
    if (!isDir()) return kNotdir;
    Fd parent;
    SplitPath s;
    if (Errno e = openParent(fd_, path, &parent, &s)) return e;
    if (isDotName(s.name) || s.trailingSlash) return kInval;
    char buf[PATH_MAX + 1];
    ssize_t n = ::readlinkat(parent.get(), s.name.c_str(), buf, PATH_MAX);
    if (n < 0) return hostErr();
    out->assign(buf, size_t(n));
    return kSuccess;
  }
  Errno symlinkAt(std::string_view target, std::string_view path) override {
    if (!isDir()) return kNotdir;
    if (target.find('\0') != std::string_view::npos) return kInval;
    Fd parent;
    SplitPath s;
    if (Errno e = openParent(fd_, path, &parent, &s)) return e;
    if (isDotName(s.name)) return kExist;
    if (s.trailingSlash) {
      struct stat st {};
      return ::fstatat(parent.get(), s.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? kExist : kNoent;
    }
    if (::symlinkat(std::string(target).c_str(), parent.get(), s.name.c_str()) != 0) return hostErr();
    return kSuccess;
  }
  Errno renameAt(std::string_view oldPath, Descriptor& newDirBase, std::string_view newPath) override {
    auto* newDir = dynamic_cast<HostDescriptor*>(&newDirBase);
    if (!isDir()) return kNotdir;
    if (!newDir) return kXdev;
    if (!newDir->isDir()) return kNotdir;
    Fd op, np;
    SplitPath os, ns;
    if (Errno e = openParent(fd_, oldPath, &op, &os)) return e;
    if (Errno e = openParent(newDir->fd_, newPath, &np, &ns)) return e;
    if (isDotName(os.name) || isDotName(ns.name)) return kBusy;
    if (::renameat(op.get(), kernelName(os).c_str(), np.get(), kernelName(ns).c_str()) != 0) return hostErr();
    return kSuccess;
  }
  Errno linkAt(std::string_view oldPath, bool follow, Descriptor& newDirBase, std::string_view newPath) override {
    auto* newDir = dynamic_cast<HostDescriptor*>(&newDirBase);
    if (!isDir()) return kNotdir;
    if (!newDir) return kXdev;
    if (!newDir->isDir()) return kNotdir;
    Fd np;
    SplitPath ns;
    if (Errno e = openParent(newDir->fd_, newPath, &np, &ns)) return e;
    if (isDotName(ns.name)) return kExist;
    if (follow) {
      // Resolve the source beneath this directory, then link the inode it names.
      int fd = -1;
      if (Errno e = openBeneath(fd_, oldPath, O_PATH, 0, &fd)) return e;
      Fd f(fd);
      std::string proc = "/proc/self/fd/" + std::to_string(fd);
      if (::linkat(AT_FDCWD, proc.c_str(), np.get(), kernelName(ns).c_str(), AT_SYMLINK_FOLLOW) != 0)
        return hostErr();
      return kSuccess;
    }
    Fd op;
    SplitPath os;
    if (Errno e = openParent(fd_, oldPath, &op, &os)) return e;
    if (isDotName(os.name)) return kPerm;
    if (::linkat(op.get(), kernelName(os).c_str(), np.get(), kernelName(ns).c_str(), 0) != 0) return hostErr();
    return kSuccess;
  }

  Errno accept(uint16_t fdflags, std::unique_ptr<Descriptor>* out) override {
    if (!isSocket()) return kNotsock;
    if (fdflags & ~uint16_t(kFdflagNonblock)) return kInval;
    if (!(fdflags & kFdflagNonblock))
      if (Errno e = waitReady(fd_, false)) return e;
    int fd;
    do fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC | ((fdflags & kFdflagNonblock) ? SOCK_NONBLOCK : 0));
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return hostErr();
    *out = std::make_unique<HostDescriptor>(fd);
    return kSuccess;
  }
  Errno recv(const IoBuffers& bufs, uint16_t riflags, uint64_t* n, uint16_t* roflags) override {
    if (!isSocket()) return kNotsock;
    if (riflags & ~uint16_t(kRecvPeek | kRecvWaitall)) return kInval;
    auto v = iov(bufs);
    struct msghdr m {};
    m.msg_iov = v.data();
    m.msg_iovlen = std::min<size_t>(v.size(), IOV_MAX);
    int flags = ((riflags & kRecvPeek) ? MSG_PEEK : 0) | ((riflags & kRecvWaitall) ? MSG_WAITALL : 0);
    if (Errno e = waitReady(fd_, false)) return e;
    ssize_t r;
    do r = ::recvmsg(fd_, &m, flags);
    while (r < 0 && errno == EINTR);
    if (r < 0) return hostErr();
    *n = uint64_t(r);
    *roflags = (m.msg_flags & MSG_TRUNC) ? kRecvDataTruncated : 0;
    return kSuccess;
  }
  Errno send(const std::vector<std::span<const uint8_t>>& bufs, uint64_t* n) override {
    if (!isSocket()) return kNotsock;
    return write(bufs, n);
  }
  Errno shutdown(uint8_t how) override {
    if (!isSocket()) return kNotsock;
    int h = how == kShutRd ? SHUT_RD : how == kShutWr ? SHUT_WR : how == (kShutRd | kShutWr) ? SHUT_RDWR : -1;
    if (h < 0) return kInval;
    if (::shutdown(fd_, h) != 0) return hostErr();
    return kSuccess;
  }

  PollSource pollSource(bool forWrite) override {
    PollSource p;
    if (type_ == kFiletypeRegularFile) {
      struct stat st {};
      off_t pos = ::lseek(fd_, 0, SEEK_CUR);
      if (!forWrite && ::fstat(fd_, &st) == 0 && pos >= 0 && st.st_size > pos) p.nbytes = uint64_t(st.st_size - pos);
      return p;
    }
    if (type_ == kFiletypeDirectory) return p;
    p.hostFd = fd_;
    return p;
  }

 private:
  int fd_;
  uint8_t type_ = kFiletypeUnknown;
  bool fifo_ = false;
};

}  // namespace

std::unique_ptr<Descriptor> makeHostDescriptor(int fd) { return std::make_unique<HostDescriptor>(fd); }

int openHostDirectory(const std::string& path, std::unique_ptr<Descriptor>* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  *out = std::make_unique<HostDescriptor>(fd);
  return 0;
}

int hostFdOf(Descriptor& d) {
  auto* h = dynamic_cast<HostDescriptor*>(&d);
  return h ? h->fd() : -1;
}

}  // namespace orca::wasi
