// The module cache's directory: default location, atomic writes, LRU eviction, usage and clean.
//
// Several processes may share one directory. Writers never let a reader see a partial file (a
// temporary name, then rename(2), which replaces the final name atomically); an entry removed by
// another process's eviction while this one lists or reads it is a miss, not an error (a file
// already opened stays readable after unlink). Entries are not fsync'ed: after a power loss an
// entry may be empty or torn, and its seal (artifact.cpp) then refuses it and it is recompiled,
// which is cheaper than an fsync on every compile.
#include "orca/runtime/module_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace orca::runtime::cache {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kEntrySuffix = ".orcamod";
constexpr std::string_view kTemporaryInfix = ".tmp.";
constexpr size_t kDigestHexDigits = 64;
// A temporary file this old belongs to a writer that died: no compile takes an hour.
constexpr auto kStaleTemporary = std::chrono::hours(1);

bool isLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> nonEmptyVariable(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

// A regular file's size and modification time; nothing for anything else or a vanished file.
struct FileInfo {
  uint64_t size = 0;
  int64_t mtimeNs = 0;
};

std::optional<FileInfo> regularFile(const fs::path& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileInfo{static_cast<uint64_t>(st.st_size), int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

int64_t nowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// The directory's Orca files, by kind. Listing stops quietly at an error (another process may be
// removing files): callers that must report an unreadable directory check `error`.
struct Listing {
  std::vector<fs::path> entries;
  std::vector<fs::path> temporaries;
  std::error_code error;
};

Listing list(const fs::path& directory) {
  Listing listing;
  fs::directory_iterator it(directory, listing.error), end;
  for (; !listing.error && it != end; it.increment(listing.error)) {
    std::string name = it->path().filename().string();
    if (isEntryName(name)) listing.entries.push_back(it->path());
    else if (isTemporaryName(name)) listing.temporaries.push_back(it->path());
  }
  return listing;
}

// The cache directory, made if missing. Its parents get the usual permissions (~/.cache is
// shared by many programs); the directory itself holds native code that will run, so only its
// owner may write it.
bool ensureDirectory(const fs::path& directory) {
  std::error_code ec;
  if (fs::is_directory(directory, ec)) return true;
  if (directory.has_parent_path()) fs::create_directories(directory.parent_path(), ec);
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) return false;
  return fs::is_directory(directory, ec);
}

bool writeAll(int fd, std::span<const uint8_t> contents) {
  while (!contents.empty()) {
    ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    contents = contents.subspan(static_cast<size_t>(n));
  }
  return true;
}

Error ioError(const std::string& what, const fs::path& path, const std::error_code& ec) {
  return makeError(ErrorKind::Io, what + " " + path.string() + ": " + ec.message());
}

}  // namespace

std::optional<std::string> defaultDirectory() {
  if (auto dir = nonEmptyVariable("ORCA_CACHE_DIR")) return dir;
  if (auto xdg = nonEmptyVariable("XDG_CACHE_HOME"); xdg && xdg->front() == '/') return *xdg + "/orca";
  if (auto home = nonEmptyVariable("HOME")) return *home + "/.cache/orca";
  return std::nullopt;
}

bool isEntryName(std::string_view name) {
  return name.size() == kDigestHexDigits + kEntrySuffix.size() && name.ends_with(kEntrySuffix) &&
         isLowerHex(name.substr(0, kDigestHexDigits));
}

bool isTemporaryName(std::string_view name) {
  size_t entryLength = kDigestHexDigits + kEntrySuffix.size();
  if (name.size() <= entryLength + kTemporaryInfix.size() || !isEntryName(name.substr(0, entryLength)) ||
      name.substr(entryLength, kTemporaryInfix.size()) != kTemporaryInfix)
    return false;
  std::string_view rest = name.substr(entryLength + kTemporaryInfix.size());  // <pid>.<random>
  size_t dot = rest.find('.');
  return dot != std::string_view::npos && isDigits(rest.substr(0, dot)) && isDigits(rest.substr(dot + 1));
}

bool writeAtomically(const fs::path& path, std::span<const uint8_t> contents) {
  if (!ensureDirectory(path.parent_path())) return false;
  fs::path temporary = path;
  temporary += std::string(kTemporaryInfix) + std::to_string(::getpid()) + "." + std::to_string(std::random_device{}());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool written = writeAll(fd, contents);
  written = ::close(fd) == 0 && written;
  if (written && ::rename(temporary.c_str(), path.c_str()) == 0) return true;
  ::unlink(temporary.c_str());
  return false;
}

void touch(const fs::path& path) {
  // A read-only cache still serves hits; its entries then age by their write time.
  (void)::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
}

uint64_t evict(const fs::path& directory, uint64_t maxBytes, const fs::path& keep) {
  struct Entry {
    fs::path path;
    FileInfo info;
  };
  Listing listing = list(directory);
  int64_t staleBefore = nowNs() - std::chrono::nanoseconds(kStaleTemporary).count();
  for (const fs::path& temporary : listing.temporaries)
    if (auto info = regularFile(temporary); info && info->mtimeNs < staleBefore) ::unlink(temporary.c_str());

  std::vector<Entry> entries;
  uint64_t total = 0;
  for (fs::path& path : listing.entries) {
    if (auto info = regularFile(path)) {
      total += info->size;
      entries.push_back({std::move(path), *info});
    }
  }
  if (total <= maxBytes) return 0;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.info.mtimeNs != b.info.mtimeNs ? a.info.mtimeNs < b.info.mtimeNs : a.path < b.path;
  });
  uint64_t target = maxBytes - maxBytes / 10, removed = 0;
  for (const Entry& entry : entries) {
    if (total <= target) break;
    if (entry.path == keep) continue;
    // Gone already (another process evicted it) or not: either way its bytes no longer count.
    if (::unlink(entry.path.c_str()) == 0) ++removed;
    total -= entry.info.size;
  }
  return removed;
}

Result<Usage> usage(const fs::path& directory) {
  std::error_code ec;
  if (!fs::exists(directory, ec) && !ec) return Usage{};
  Listing listing = list(directory);
  if (listing.error) return ioError("cannot read the cache directory", directory, listing.error);
  Usage result;
  for (const fs::path& path : listing.entries) {
    if (auto info = regularFile(path)) {
      ++result.entries;
      result.bytes += info->size;
    }
  }
  return result;
}

Result<uint64_t> clean(const fs::path& directory) {
  std::error_code ec;
  if (!fs::exists(directory, ec) && !ec) return uint64_t(0);
  Listing listing = list(directory);
  if (listing.error) return ioError("cannot read the cache directory", directory, listing.error);
  uint64_t removed = 0;
  for (const auto* paths : {&listing.entries, &listing.temporaries}) {
    for (const fs::path& path : *paths) {
      if (!regularFile(path)) continue;
      if (::unlink(path.c_str()) == 0) {
        removed += paths == &listing.entries;
      } else if (errno != ENOENT) {
        return ioError("cannot remove", path, std::error_code(errno, std::generic_category()));
      }
    }
  }
  return removed;
}

}  // namespace orca::runtime::cache
