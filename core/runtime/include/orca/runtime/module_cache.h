// The module cache's directory as a whole: where it is by default, which files in it are Orca's,
// writing an entry so that other processes never see half of it, and keeping the directory under
// its size cap by removing the least recently used entries. Looking entries up and what is inside
// one (a sealed, compressed artifact) is Module::compile's business (artifact.cpp).
//
// Every function here may run while other processes read, write and evict in the same directory:
// a file that vanishes between listing and use is skipped, never an error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "orca/ir/error.h"

namespace orca::runtime::cache {

// The cache directory a user gets without asking: $ORCA_CACHE_DIR when set, else
// $XDG_CACHE_HOME/orca (an absolute XDG_CACHE_HOME only, as the XDG spec says), else
// $HOME/.cache/orca. Nothing when none of them is set: the caller then works without a cache.
std::optional<std::string> defaultDirectory();

// "<64 lowercase hex digits>.orcamod": the only files that usage, clean and eviction count.
bool isEntryName(std::string_view fileName);
// An entry's name followed by ".tmp.<pid>.<random>": a file being written (or left by a writer
// that died before renaming it).
bool isTemporaryName(std::string_view fileName);

// Writes `contents` to `path` under a temporary name in the same directory and renames it over
// `path`, so a reader sees the old file, no file, or the whole new one. Creates the directory
// (the last component private to the user, 0700) when it is missing. False when anything fails;
// nothing is left behind then.
bool writeAtomically(const std::filesystem::path& path, std::span<const uint8_t> contents);

// Marks an entry as just used (its mtime is the time of its last use, which eviction sorts by).
void touch(const std::filesystem::path& path);

// While the directory holds more than `maxBytes` of entries, removes the least recently used
// ones (oldest mtime first) until at most 90% of `maxBytes` remain, so that the next writes do
// not evict again at once; never removes `keep` (the entry just written). Also removes temporary
// files older than an hour (a writer that died). Returns how many entries it removed.
uint64_t evict(const std::filesystem::path& directory, uint64_t maxBytes, const std::filesystem::path& keep);

struct Usage {
  uint64_t entries = 0;
  uint64_t bytes = 0;
};
// What the directory holds; a missing directory holds nothing. Io when it cannot be listed.
Result<Usage> usage(const std::filesystem::path& directory);

// Removes every entry and temporary file, and nothing else; returns how many entries it removed.
// A missing directory is empty. Io when it cannot be listed or an entry cannot be removed.
Result<uint64_t> clean(const std::filesystem::path& directory);

}  // namespace orca::runtime::cache
