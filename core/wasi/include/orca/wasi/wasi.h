// WASI preview1 (wasi_snapshot_preview1) for guests of one store: the configuration a host gives
// (args, env, preopened directories, stdio), the state of one guest (its file descriptors,
// captured output), and the host functions that implement the preview1 imports.
//
// The C API's wasi.h is a thin layer over this; the CLI's `orca run` goes through that.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orca/ir/error.h"
#include "orca/runtime/linker.h"

namespace orca::wasi {

// Where a standard stream of the guest goes (or, for stdin, comes from).
struct StdioConfig {
  enum class Kind : uint8_t {
    Null,     // stdin: empty; stdout/stderr: discarded (the default)
    Inherit,  // the host process's own descriptor 0, 1 or 2
    Bytes,    // stdin only: read from `bytes`
    File,     // stdin: read from `path`; stdout/stderr: truncate or create `path` and write to it
    Capture,  // stdout/stderr only: collected in memory, read back with WasiContext::captured()
  };
  Kind kind = Kind::Null;
  std::vector<uint8_t> bytes;
  std::string path;
};

// A filesystem that lives in memory: the host fills it before a run, preopens it instead of a host
// directory (PreopenConfig::memFs), and reads back what the guest left in it. Paths given to these
// functions are relative to its root ("a/b.txt", "/a/b.txt" and "./a/b.txt" name the same file).
// Thread-safe; a guest sees the same rules as on a host directory (no escape through "..", no
// absolute symlinks, symlink loops end in ELOOP).
class MemFs {
 public:
  static std::shared_ptr<MemFs> create();
  virtual ~MemFs() = default;

  // Creates or replaces a regular file (its parent directories are created as needed).
  virtual Status writeFile(std::string_view path, std::span<const uint8_t> bytes) = 0;
  // Creates a directory and its missing parents; an existing directory is fine.
  virtual Status makeDirs(std::string_view path) = 0;
  // Creates a symbolic link at `path` whose text is `target`.
  virtual Status symlink(std::string_view target, std::string_view path) = 0;
  // The bytes of a regular file (symlinks are followed). Errors: Io "no such file: <path>",
  // "not a regular file: <path>".
  virtual Result<std::vector<uint8_t>> readFile(std::string_view path) const = 0;
  // The names in a directory, sorted, without "." and "..". Directories' names end in "/".
  virtual Result<std::vector<std::string>> list(std::string_view path) const = 0;
};

struct PreopenConfig {
  std::string hostPath;   // a directory on the host (unused when memFs is set)
  std::string guestPath;  // the name the guest sees ("/", "/data", ".")
  std::shared_ptr<MemFs> memFs;  // when set, the guest sees this in-memory filesystem instead
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, program name first
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<PreopenConfig> preopens;
  // Host sockets handed to the guest after the preopened directories, typically listening TCP
  // sockets for sock_accept (or connected ones for sock_recv/sock_send). Each is duplicated; the
  // host keeps its own descriptor.
  std::vector<int> preopenSockets;
  StdioConfig stdinConfig, stdoutConfig, stderrConfig;
};

// The state of one WASI guest. Host functions defined by defineWasi() hold a shared_ptr to it, so
// it lives as long as the store that holds them, or longer if the host keeps its own reference.
class WasiContext {
 public:
  // Opens the preopened directories and stdio files. Errors: Io "cannot open preopen <path>: <why>",
  // "cannot open <path>: <why>".
  static Result<std::shared_ptr<WasiContext>> create(WasiConfig config);
  virtual ~WasiContext() = default;

  // What the guest wrote to a captured stdout (1) or stderr (2) so far; empty otherwise.
  virtual std::vector<uint8_t> captured(int fd) const = 0;
};

// Defines every function of the "wasi_snapshot_preview1" module in `linker`, as host functions of
// the linker's store bound to `context`. A guest's memory is its export "memory" (found through
// the calling instance, runtime::Caller::instance()); proc_exit returns makeExitError(status).
Status defineWasi(runtime::Linker& linker, std::shared_ptr<WasiContext> context);

}  // namespace orca::wasi
