// What a guest's file descriptor refers to. One interface for host files, directories and
// sockets, the in-memory filesystem, and the stdio streams; each operation returns a preview1
// errno, and the defaults say what a kind of descriptor cannot do.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "abi.h"

namespace orca::wasi {

using abi::Errno;

struct Filestat {
  uint64_t dev = 0, ino = 0;
  uint8_t filetype = abi::kFiletypeUnknown;
  uint64_t nlink = 1, size = 0, atim = 0, mtim = 0, ctim = 0;
};

struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  uint8_t type = abi::kFiletypeUnknown;
};

// Buffers in guest memory (already bounds-checked).
using IoBuffers = std::vector<std::span<uint8_t>>;

// How path_open wants a file opened (the preview1 flags, decoded).
struct OpenRequest {
  bool follow = false;     // lookupflags::symlink_follow
  uint16_t oflags = 0;     // creat, directory, excl, trunc
  uint16_t fdflags = 0;    // append, dsync, nonblock, rsync, sync
  bool read = false, write = false;
};

// How a descriptor can be waited on by poll_oneoff.
struct PollSource {
  int hostFd = -1;      // a host descriptor to wait on with Asio; -1: readiness is known now
  bool ready = true;    // when hostFd < 0: whether an operation would proceed now
  uint64_t nbytes = 0;  // when hostFd < 0: bytes available to read (files: size - offset)
};

class Descriptor {
 public:
  virtual ~Descriptor() = default;
  virtual uint8_t filetype() const = 0;

  virtual Errno read(const IoBuffers&, uint64_t* n) { return abi::kBadf; }
  virtual Errno write(const std::vector<std::span<const uint8_t>>&, uint64_t* n) { return abi::kBadf; }
  virtual Errno pread(const IoBuffers&, uint64_t offset, uint64_t* n) { return abi::kSpipe; }
  virtual Errno pwrite(const std::vector<std::span<const uint8_t>>&, uint64_t offset, uint64_t* n) {
    return abi::kSpipe;
  }
  virtual Errno seek(int64_t offset, uint8_t whence, uint64_t* newOffset) { return abi::kSpipe; }
  virtual Errno stat(Filestat* out) = 0;
  virtual Errno getFlags(uint16_t* flags) { *flags = 0; return abi::kSuccess; }
  virtual Errno setFlags(uint16_t flags) { return abi::kNotsup; }
  virtual Errno setSize(uint64_t size) { return abi::kInval; }
  virtual Errno setTimes(uint64_t atim, uint64_t mtim, uint16_t fstflags) { return abi::kNotsup; }
  virtual Errno sync() { return abi::kInval; }
  virtual Errno datasync() { return abi::kInval; }
  virtual Errno advise(uint64_t offset, uint64_t len, uint8_t advice) { return abi::kSuccess; }
  virtual Errno allocate(uint64_t offset, uint64_t len) { return abi::kInval; }

  // Directories. Paths are relative to this directory and must stay beneath it.
  virtual Errno readdir(std::vector<DirEntry>* out) { return abi::kNotdir; }
  virtual Errno openAt(std::string_view path, const OpenRequest& request, std::unique_ptr<Descriptor>* out) {
    return abi::kNotdir;
  }
  virtual Errno statAt(std::string_view path, bool follow, Filestat* out) { return abi::kNotdir; }
  virtual Errno setTimesAt(std::string_view path, bool follow, uint64_t atim, uint64_t mtim, uint16_t fstflags) {
    return abi::kNotdir;
  }
  virtual Errno mkdirAt(std::string_view path) { return abi::kNotdir; }
  virtual Errno rmdirAt(std::string_view path) { return abi::kNotdir; }
  virtual Errno unlinkAt(std::string_view path) { return abi::kNotdir; }
  virtual Errno readlinkAt(std::string_view path, std::string* out) { return abi::kNotdir; }
  virtual Errno symlinkAt(std::string_view target, std::string_view path) { return abi::kNotdir; }
  // `newDir` is a descriptor of the same kind (else EXDEV).
  virtual Errno renameAt(std::string_view oldPath, Descriptor& newDir, std::string_view newPath) {
    return abi::kNotdir;
  }
  virtual Errno linkAt(std::string_view oldPath, bool follow, Descriptor& newDir, std::string_view newPath) {
    return abi::kNotdir;
  }

  // Sockets.
  virtual Errno accept(uint16_t fdflags, std::unique_ptr<Descriptor>* out) { return abi::kNotsock; }
  virtual Errno recv(const IoBuffers&, uint16_t riflags, uint64_t* n, uint16_t* roflags) { return abi::kNotsock; }
  virtual Errno send(const std::vector<std::span<const uint8_t>>&, uint64_t* n) { return abi::kNotsock; }
  virtual Errno shutdown(uint8_t how) { return abi::kNotsock; }

  virtual PollSource pollSource(bool forWrite) { return {}; }
};

// Host descriptors (host.cpp). `fd` is owned by the result.
std::unique_ptr<Descriptor> makeHostDescriptor(int fd);
// Opens a host directory for a preopen; the host errno on failure.
int openHostDirectory(const std::string& path, std::unique_ptr<Descriptor>* out);

// Standard streams (streams.cpp): stdin from bytes, stdout/stderr into a buffer or nowhere.
struct CaptureBuffer;
std::unique_ptr<Descriptor> makeInputStream(std::vector<uint8_t> bytes);
std::unique_ptr<Descriptor> makeOutputStream(std::shared_ptr<CaptureBuffer> sink);  // null: discard

// The current time of a preview1 clock, in nanoseconds.
Errno clockTime(uint32_t id, uint64_t* out);
Errno clockResolution(uint32_t id, uint64_t* out);

// A path split for a *at call: the directory part (may be empty) and the last component, with
// whether a trailing slash asked for a directory.
struct SplitPath {
  std::string dir;
  std::string name;
  bool trailingSlash = false;
};
SplitPath splitPath(std::string_view path);

}  // namespace orca::wasi
