// The module cache for the command's engines (run) and `orca cache`.
#pragma once

#include "commands.h"
#include "orca.h"

namespace orca::cli {

// Turns the cache on in `config` as `options` say: --cache-dir, else the user's cache directory
// (none without a home), nothing with --no-cache.
void configureCache(wasm_config_t* config, const CacheOptions& options);

// "orca: cache: 1 hit, 0 misses, 0 rejected, 0 write failures, 0 evicted" on stderr.
void printCacheStats(const wasm_engine_t* engine);

}  // namespace orca::cli
