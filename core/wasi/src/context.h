// The state of one guest: its descriptor table, argv, environment and captured output.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "descriptor.h"
#include "orca/wasi/wasi.h"

namespace orca::wasi {

struct CaptureBuffer {
  std::mutex mutex;
  std::vector<uint8_t> bytes;
};

// One slot of the descriptor table.
struct FdEntry {
  std::shared_ptr<Descriptor> desc;
  abi::Rights base = 0, inheriting = 0;
  std::optional<std::string> preopenName;  // set for preopened directories
  // fd_readdir reads a directory once per listing (at cookie 0) and serves later cookies from
  // this copy, so a guest that reads in several calls sees one consistent order.
  std::vector<DirEntry> dirCache;
  bool dirCached = false;
};

class Context final : public WasiContext {
 public:
  std::vector<uint8_t> captured(int fd) const override;

  std::vector<std::string> args;
  std::vector<std::string> env;  // "NAME=value"
  std::map<uint32_t, FdEntry> fds;
  std::shared_ptr<CaptureBuffer> capture[3];

  FdEntry* get(uint32_t fd) {
    auto it = fds.find(fd);
    return it == fds.end() ? nullptr : &it->second;
  }
  // The lowest free descriptor number, or nullopt when the table is full.
  std::optional<uint32_t> allocate();
};

}  // namespace orca::wasi
