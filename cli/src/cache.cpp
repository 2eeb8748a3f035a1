// The module cache as the command uses it: `run` compiles through the user's cache directory
// (or --cache-dir, or none with --no-cache), and `orca cache` shows and clears that directory.
// What an entry is, and which files are entries, is the library's (orca_cache_*): the command
// never removes a file by its own idea of the name.
#include "cache.h"

#include <iostream>

#include "capi.h"

namespace orca::cli {
namespace {

// The directory the options name: --cache-dir, else the user's; nothing when there is none.
std::optional<std::string> cacheDirectory(const CacheOptions& options) {
  if (options.dir) return options.dir;
  ByteVec dir;
  if (!orca_cache_default_dir(dir.reset())) return std::nullopt;
  return std::string(dir.view());
}

std::string plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void configureCache(wasm_config_t* config, const CacheOptions& options) {
  if (options.disabled) return;
  // Without a home directory the command runs as before, only without a cache.
  if (auto dir = cacheDirectory(options)) orca_config_cache_dir_set(config, dir->c_str());
}

void printCacheStats(const wasm_engine_t* engine) {
  uint64_t hits = 0, misses = 0, rejected = 0, writeFailures = 0, evicted = 0;
  orca_engine_cache_stats(engine, &hits, &misses, &rejected, &writeFailures, &evicted);
  std::cout.flush();
  std::cerr << "orca: cache: " << plural(hits, "hit", "hits") << ", " << plural(misses, "miss", "misses") << ", "
            << rejected << " rejected, " << plural(writeFailures, "write failure", "write failures") << ", "
            << evicted << " evicted" << std::endl;
}

int cacheCommand(CacheAction action, const CacheOptions& options) {
  auto dir = cacheDirectory(options);
  if (!dir)
    return fail(kExitFailed, "no cache directory: neither HOME nor XDG_CACHE_HOME nor ORCA_CACHE_DIR is set (or use --cache-dir)");
  switch (action) {
    case CacheAction::Dir:
      std::cout << *dir << "\n";
      return kExitOk;
    case CacheAction::Stats: {
      uint64_t entries = 0, bytes = 0;
      if (ErrorPtr error{orca_cache_usage(dir->c_str(), &entries, &bytes)})
        return fail(kExitFailed, readError(error.get()).describe());
      std::cout << "directory: " << *dir << "\nentries: " << entries << "\nbytes: " << bytes
                << "\ncap: " << ORCA_CACHE_DEFAULT_MAX_BYTES << "\n";
      return kExitOk;
    }
    case CacheAction::Clean: {
      uint64_t removed = 0;
      if (ErrorPtr error{orca_cache_clean(dir->c_str(), &removed)})
        return fail(kExitFailed, readError(error.get()).describe());
      std::cout << "removed " << plural(removed, "entry", "entries") << " from " << *dir << "\n";
      return kExitOk;
    }
  }
  return kExitUsage;
}

}  // namespace orca::cli
