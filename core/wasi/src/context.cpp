// WasiContext::create: the descriptor table a guest starts with.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "context.h"
#include "memfs.h"

namespace orca::wasi {

using namespace abi;

std::vector<uint8_t> Context::captured(int fd) const {
  if (fd < 1 || fd > 2 || !capture[fd]) return {};
  std::lock_guard<std::mutex> lock(capture[fd]->mutex);
  return capture[fd]->bytes;
}

std::optional<uint32_t> Context::allocate() {
  uint32_t n = 0;
  for (auto& [fd, entry] : fds) {
    if (fd != n) break;
    n++;
  }
  if (n >= 0x7fffffffu || fds.size() >= 65536) return std::nullopt;
  return n;
}

namespace {

Result<std::unique_ptr<Descriptor>> openStdio(int which, const StdioConfig& c, std::shared_ptr<CaptureBuffer>* capture) {
  using K = StdioConfig::Kind;
  switch (c.kind) {
    case K::Null:
      if (which == 0) return makeInputStream({});
      return makeOutputStream(nullptr);
    case K::Inherit: {
      int fd = ::fcntl(which, F_DUPFD_CLOEXEC, 3);
      if (fd < 0) return makeError(ErrorKind::Io, "cannot use the host's descriptor " + std::to_string(which) + ": " + std::strerror(errno));
      return makeHostDescriptor(fd);
    }
    case K::Bytes:
      if (which != 0) return makeError(ErrorKind::Unsupported, "only stdin can read from bytes");
      return makeInputStream(c.bytes);
    case K::File: {
      int fd = which == 0 ? ::open(c.path.c_str(), O_RDONLY | O_CLOEXEC)
                          : ::open(c.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (fd < 0) return makeError(ErrorKind::Io, "cannot open " + c.path + ": " + std::strerror(errno));
      return makeHostDescriptor(fd);
    }
    case K::Capture:
      if (which == 0) return makeError(ErrorKind::Unsupported, "stdin cannot be captured");
      *capture = std::make_shared<CaptureBuffer>();
      return makeOutputStream(*capture);
  }
  return makeError(ErrorKind::Unsupported, "unknown stdio kind");
}

Rights rightsFor(uint8_t filetype) {
  switch (filetype) {
    case kFiletypeRegularFile: return kRegularFileRights;
    case kFiletypeDirectory: return kDirectoryRights;
    case kFiletypeSocketStream:
    case kFiletypeSocketDgram: return kSocketRights;
    default: return kCharDeviceRights | kRightFdSeek | kRightFdTell;
  }
}

}  // namespace

Rights maxRightsFor(uint8_t filetype) { return rightsFor(filetype); }

Result<std::shared_ptr<WasiContext>> WasiContext::create(WasiConfig config) {
  auto ctx = std::make_shared<Context>();
  ctx->args = std::move(config.args);
  for (auto& [name, value] : config.env) ctx->env.push_back(name + "=" + value);
  const StdioConfig* stdio[3] = {&config.stdinConfig, &config.stdoutConfig, &config.stderrConfig};
  for (int i = 0; i < 3; i++) {
    auto d = openStdio(i, *stdio[i], &ctx->capture[i]);
    if (!d) return d.takeError();
    FdEntry e;
    e.desc = std::shared_ptr<Descriptor>(std::move(*d));
    e.base = rightsFor(e.desc->filetype());
    if (e.desc->filetype() == kFiletypeCharacterDevice) e.base &= ~(kRightFdSeek | kRightFdTell);
    e.inheriting = 0;
    ctx->fds[uint32_t(i)] = std::move(e);
  }
  uint32_t next = 3;
  for (auto& p : config.preopens) {
    std::unique_ptr<Descriptor> d;
    if (p.memFs) {
      d = openMemFsRoot(p.memFs);
    } else {
      int err = openHostDirectory(p.hostPath, &d);
      if (err) return makeError(ErrorKind::Io, "cannot open preopen " + p.hostPath + ": " + std::strerror(err));
    }
    FdEntry e;
    e.desc = std::shared_ptr<Descriptor>(std::move(d));
    e.base = kDirectoryRights;
    // Every right may be asked for below a preopen (as Node's uvwasi allows; toolchains differ
    // in what they ask), and each new descriptor keeps only what its file type can use.
    e.inheriting = kAllRights;
    e.preopenName = p.guestPath;
    ctx->fds[next++] = std::move(e);
  }
  for (int s : config.preopenSockets) {
    int fd = ::fcntl(s, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) return makeError(ErrorKind::Io, "cannot use socket " + std::to_string(s) + ": " + std::strerror(errno));
    FdEntry e;
    e.desc = std::shared_ptr<Descriptor>(makeHostDescriptor(fd));
    if (e.desc->filetype() != kFiletypeSocketStream && e.desc->filetype() != kFiletypeSocketDgram)
      return makeError(ErrorKind::Io, "descriptor " + std::to_string(s) + " is not a socket");
    e.base = kSocketRights;
    e.inheriting = kSocketRights;
    ctx->fds[next++] = std::move(e);
  }
  return std::shared_ptr<WasiContext>(std::move(ctx));
}

}  // namespace orca::wasi
