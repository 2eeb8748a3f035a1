// Compiles one compile bomb (tests/unit/runtime/bomb_modules.h) and prints what it cost: wall and
// CPU time of Module::compile (CPU time, all threads, is what a loaded machine does not distort)
// and the process's peak resident memory. One bomb per process, so that
// the peak is the bomb's own; tests/bench/compile_bombs.sh runs the table in docs/security.md.
//
//   compile_bombs BOMB SIZE [--no-limits] [--limit NAME=N] [--opt N] [--validate]
//   compile_bombs FILE.wasm 0 [options]     (a real program, under the same measurement)
//
// --no-limits lifts every engine limit, to measure what a limit protects against; --limit sets
// one (names as in errors: locals, nesting-depth, ...); --opt sets the optimisation level (2 by
// default, as the engine's); --validate only validates (Module::validate), to see whether a
// program fits the limits without compiling it.
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "../unit/runtime/bomb_modules.h"
#include "orca/runtime/runtime.h"

using namespace orca;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: compile_bombs BOMB|FILE.wasm SIZE [--no-limits] [--limit NAME=N] [--opt N] [--validate]\nbombs:");
    for (const auto& bomb : test::bombs::kBombs) std::fprintf(stderr, " %.*s", int(bomb.name.size()), bomb.name.data());
    std::fprintf(stderr, "\n");
    return 2;
  }
  std::string name = argv[1];
  const test::bombs::Bomb* bomb = nullptr;
  for (const auto& b : test::bombs::kBombs)
    if (b.name == name) bomb = &b;
  bool file = name.ends_with(".wasm");
  if (!bomb && !file) {
    std::fprintf(stderr, "unknown bomb %s\n", argv[1]);
    return 2;
  }
  uint64_t size = std::strtoull(argv[2], nullptr, 10);
  runtime::EngineConfig config;
  bool validateOnly = false;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-limits") == 0) {
      for (unsigned k = 0; k < validate::kLimitCount; ++k)
        validate::limitValue(config.limits, validate::Limit(k)) = std::numeric_limits<uint64_t>::max();
    } else if (std::strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
      std::string_view setting = argv[++i];
      size_t eq = setting.find('=');
      bool found = false;
      for (unsigned k = 0; k < validate::kLimitCount && eq != std::string_view::npos; ++k) {
        if (validate::limitName(validate::Limit(k)) != setting.substr(0, eq)) continue;
        validate::limitValue(config.limits, validate::Limit(k)) = std::strtoull(argv[i] + eq + 1, nullptr, 10);
        found = true;
      }
      if (!found) {
        std::fprintf(stderr, "unknown limit in %s\n", argv[i]);
        return 2;
      }
    } else if (std::strcmp(argv[i], "--validate") == 0) {
      validateOnly = true;
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
  test::bombs::Bytes bytes;
  if (file) {
    std::ifstream in(name, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", argv[1]);
      return 2;
    }
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  } else {
    bytes = bomb->make(size);
  }
  auto cpuSeconds = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  };
  double cpuStart = cpuSeconds();
  auto start = std::chrono::steady_clock::now();
  if (validateOnly) {
    Status status = runtime::Module::validate(**engine, bytes);
    std::printf("%s: %s\n", argv[1], status ? "valid within the limits" : status.error().describe().c_str());
    return status ? 0 : 1;
  }
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
