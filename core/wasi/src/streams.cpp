// The standard streams that are not host descriptors (stdin from bytes, stdout/stderr captured
// or discarded), the errno mapping, and the clocks.
#include <cerrno>
#include <ctime>
#include <mutex>

#include "context.h"
#include "descriptor.h"

namespace orca::wasi {

using namespace abi;

namespace {

class InputStream final : public Descriptor {
 public:
  explicit InputStream(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  uint8_t filetype() const override { return kFiletypeCharacterDevice; }
  Errno read(const IoBuffers& bufs, uint64_t* n) override {
    uint64_t total = 0;
    for (auto& b : bufs) {
      size_t k = std::min(b.size(), bytes_.size() - pos_);
      std::copy_n(bytes_.data() + pos_, k, b.data());
      pos_ += k;
      total += k;
      if (k < b.size()) break;
    }
    *n = total;
    return kSuccess;
  }
  Errno write(const std::vector<std::span<const uint8_t>>&, uint64_t*) override { return kBadf; }
  Errno stat(Filestat* out) override {
    *out = Filestat{};
    out->filetype = kFiletypeCharacterDevice;
    return kSuccess;
  }
  PollSource pollSource(bool forWrite) override {
    PollSource p;
    p.nbytes = forWrite ? 0 : bytes_.size() - pos_;
    return p;
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
};

class OutputStream final : public Descriptor {
 public:
  explicit OutputStream(std::shared_ptr<CaptureBuffer> sink) : sink_(std::move(sink)) {}
  uint8_t filetype() const override { return kFiletypeCharacterDevice; }
  Errno read(const IoBuffers&, uint64_t*) override { return kBadf; }
  Errno write(const std::vector<std::span<const uint8_t>>& bufs, uint64_t* n) override {
    uint64_t total = 0;
    std::lock_guard<std::mutex> lock(sink_ ? sink_->mutex : dummy_);
    for (auto& b : bufs) {
      if (sink_) sink_->bytes.insert(sink_->bytes.end(), b.begin(), b.end());
      total += b.size();
    }
    *n = total;
    return kSuccess;
  }
  Errno stat(Filestat* out) override {
    *out = Filestat{};
    out->filetype = kFiletypeCharacterDevice;
    return kSuccess;
  }

 private:
  std::shared_ptr<CaptureBuffer> sink_;
  std::mutex dummy_;
};

}  // namespace

std::unique_ptr<Descriptor> makeInputStream(std::vector<uint8_t> bytes) {
  return std::make_unique<InputStream>(std::move(bytes));
}
std::unique_ptr<Descriptor> makeOutputStream(std::shared_ptr<CaptureBuffer> sink) {
  return std::make_unique<OutputStream>(std::move(sink));
}

namespace {
bool hostClock(uint32_t id, clockid_t* out) {
  switch (id) {
    case kClockRealtime: *out = CLOCK_REALTIME; return true;
    case kClockMonotonic: *out = CLOCK_MONOTONIC; return true;
    case kClockProcessCputime: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case kClockThreadCputime: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}
}  // namespace

Errno clockTime(uint32_t id, uint64_t* out) {
  clockid_t c;
  if (!hostClock(id, &c)) return kInval;
  struct timespec ts {};
  if (::clock_gettime(c, &ts) != 0) return fromHostErrno(errno);
  *out = uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
  return kSuccess;
}

Errno clockResolution(uint32_t id, uint64_t* out) {
  clockid_t c;
  if (!hostClock(id, &c)) return kInval;
  struct timespec ts {};
  if (::clock_getres(c, &ts) != 0) return fromHostErrno(errno);
  *out = uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
  if (*out == 0) *out = 1;
  return kSuccess;
}

Errno abi::fromHostErrno(int e) {
  switch (e) {
    case 0: return kSuccess;
    case E2BIG: return k2big;
    case EACCES: return kAcces;
    case EADDRINUSE: return kAddrinuse;
    case EADDRNOTAVAIL: return kAddrnotavail;
    case EAFNOSUPPORT: return kAfnosupport;
    case EAGAIN: return kAgain;
    case EALREADY: return kAlready;
    case EBADF: return kBadf;
    case EBADMSG: return kBadmsg;
    case EBUSY: return kBusy;
    case ECANCELED: return kCanceled;
    case ECHILD: return kChild;
    case ECONNABORTED: return kConnaborted;
    case ECONNREFUSED: return kConnrefused;
    case ECONNRESET: return kConnreset;
    case EDEADLK: return kDeadlk;
    case EDESTADDRREQ: return kDestaddrreq;
    case EDOM: return kDom;
    case EDQUOT: return kDquot;
    case EEXIST: return kExist;
    case EFAULT: return kFault;
    case EFBIG: return kFbig;
    case EHOSTUNREACH: return kHostunreach;
    case EIDRM: return kIdrm;
    case EILSEQ: return kIlseq;
    case EINPROGRESS: return kInprogress;
    case EINTR: return kIntr;
    case EINVAL: return kInval;
    case EIO: return kIo;
    case EISCONN: return kIsconn;
    case EISDIR: return kIsdir;
    case ELOOP: return kLoop;
    case EMFILE: return kMfile;
    case EMLINK: return kMlink;
    case EMSGSIZE: return kMsgsize;
    case EMULTIHOP: return kMultihop;
    case ENAMETOOLONG: return kNametoolong;
    case ENETDOWN: return kNetdown;
    case ENETRESET: return kNetreset;
    case ENETUNREACH: return kNetunreach;
    case ENFILE: return kNfile;
    case ENOBUFS: return kNobufs;
    case ENODEV: return kNodev;
    case ENOENT: return kNoent;
    case ENOEXEC: return kNoexec;
    case ENOLCK: return kNolck;
    case ENOLINK: return kNolink;
    case ENOMEM: return kNomem;
    case ENOMSG: return kNomsg;
    case ENOPROTOOPT: return kNoprotoopt;
    case ENOSPC: return kNospc;
    case ENOSYS: return kNosys;
    case ENOTCONN: return kNotconn;
    case ENOTDIR: return kNotdir;
    case ENOTEMPTY: return kNotempty;
    case ENOTRECOVERABLE: return kNotrecoverable;
    case ENOTSOCK: return kNotsock;
    case EOPNOTSUPP: return kNotsup;
    case ENOTTY: return kNotty;
    case ENXIO: return kNxio;
    case EOVERFLOW: return kOverflow;
    case EOWNERDEAD: return kOwnerdead;
    case EPERM: return kPerm;
    case EPIPE: return kPipe;
    case EPROTO: return kProto;
    case EPROTONOSUPPORT: return kProtonosupport;
    case EPROTOTYPE: return kPrototype;
    case ERANGE: return kRange;
    case EROFS: return kRofs;
    case ESPIPE: return kSpipe;
    case ESRCH: return kSrch;
    case ESTALE: return kStale;
    case ETIMEDOUT: return kTimedout;
    case ETXTBSY: return kTxtbsy;
    case EXDEV: return kXdev;
    default: return kIo;
  }
}

}  // namespace orca::wasi
