// Compiles one compile bomb (tests/unit/runtime/bomb_modules.h) and prints what it cost: wall and
// CPU time of Module::compile (CPU time, all threads, is what a loaded machine does not distort)
// and the process's peak resident memory. One bomb per process, so that
// the peak is the bomb's own; tests/bench/compile_bombs.sh runs the table in docs/security.md.
//
//   compile_bombs BOMB SIZE [--no-limits] [--opt N]
//
// --no-limits lifts every engine limit, to measure what a limit protects against; --opt sets the
// optimisation level (2 by default, as the engine's).
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "../unit/runtime/bomb_modules.h"
#include "orca/runtime/runtime.h"

using namespace orca;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: compile_bombs BOMB SIZE [--no-limits] [--opt N]\nbombs:");
    for (const auto& bomb : test::bombs::kBombs) std::fprintf(stderr, " %.*s", int(bomb.name.size()), bomb.name.data());
    std::fprintf(stderr, "\n");
    return 2;
  }
  const test::bombs::Bomb* bomb = nullptr;
  for (const auto& b : test::bombs::kBombs)
    if (b.name == argv[1]) bomb = &b;
  if (!bomb) {
    std::fprintf(stderr, "unknown bomb %s\n", argv[1]);
    return 2;
  }
  uint64_t size = std::strtoull(argv[2], nullptr, 10);
  runtime::EngineConfig config;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-limits") == 0) {
      for (unsigned k = 0; k < validate::kLimitCount; ++k)
        validate::limitValue(config.limits, validate::Limit(k)) = std::numeric_limits<uint64_t>::max();
    } else if (std::strcmp(argv[i], "--opt") == 0 && i + 1 < argc) {
      config.compile.optLevel = static_cast<uint8_t>(std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  auto engine = runtime::Engine::create(config);
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().describe().c_str());
    return 1;
  }
  test::bombs::Bytes bytes = bomb->make(size);
  auto cpuSeconds = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  };
  double cpuStart = cpuSeconds();
  auto start = std::chrono::steady_clock::now();
  auto module = runtime::Module::compile(**engine, bytes);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = cpuSeconds() - cpuStart;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("%s %llu (%zu bytes): %s in %.2f s (CPU %.2f s), peak RSS %ld MiB\n", argv[1], (unsigned long long)size,
              bytes.size(), module ? "compiled" : module.error().describe().c_str(), seconds, cpu,
              usage.ru_maxrss / 1024);
  return module ? 0 : 1;
}
