// What the runtime fuzz targets share: an engine sized for fuzzing, stub imports, and the check
// that an error is one the runtime may give for bad input (never ErrorKind::Internal, which
// would be a bug of Orca's own making).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "orca/runtime/runtime.h"

namespace orca::fuzz {

// Stops the run with the error printed, so that libFuzzer records the input as a crash.
[[noreturn]] inline void fail(const char* what, const Error& error) {
  std::fprintf(stderr, "fuzz: %s: %s\n", what, error.describe().c_str());
  std::abort();
}

inline void expectKind(const char* what, const Error& error, std::initializer_list<ErrorKind> allowed) {
  for (ErrorKind kind : allowed)
    if (error.kind == kind) return;
  fail(what, error);
}

// How far inputs got (compiled, instantiated, calls made, ...), printed as one "fuzz tally:"
// line when the run ends, so that a run's figures say how many inputs reached each stage.
inline std::map<std::string, uint64_t>& tally() {
  static std::map<std::string, uint64_t> counts;
  static bool registered = [] {
    return std::atexit([] {
      std::string line = "fuzz tally:";
      for (const auto& [what, n] : counts) line += " " + what + " " + std::to_string(n) + ",";
      if (!counts.empty()) line.pop_back();
      std::fprintf(stderr, "%s\n", line.c_str());
    }) == 0;
  }();
  (void)registered;
  return counts;
}
inline void count(const char* what) { ++tally()[what]; }

// Small limits, so that one input costs milliseconds rather than seconds: a compile bomb is
// refused (ErrorKind::Unsupported), which is the behaviour under test, not a way to stall the run.
inline runtime::EngineConfig fuzzEngineConfig() {
  runtime::EngineConfig config;
  config.compile.fuel = true;
  config.compile.threads = 1;  // libFuzzer runs one input at a time; no pool to start per compile
  config.limits.moduleBytes = 64 * 1024;
  config.limits.functions = 200;
  config.limits.types = 200;
  config.limits.functionBodyBytes = 16 * 1024;
  config.limits.locals = 1000;
  config.limits.nestingDepth = 200;
  config.limits.brTableTargets = 1000;
  return config;
}

inline runtime::StoreLimits fuzzStoreLimits() {
  runtime::StoreLimits limits;
  limits.maxMemoryPages = 16;  // 1 MiB per memory
  limits.maxTableElements = 10'000;
  limits.maxInstances = 4;
  limits.maxMemories = 4;
  limits.maxTables = 16;
  return limits;
}

// The engine configurations a module may meet; each changes the code generated or how it is
// loaded: guard pages and eager compiling (the default), explicit bounds checks, lazy compiling.
enum class EngineKind : uint8_t { Guarded, BoundsChecked, Lazy };
constexpr int kEngineKinds = 3;

inline runtime::Engine& fuzzEngine(EngineKind kind = EngineKind::Guarded) {
  static std::unique_ptr<runtime::Engine> engines[kEngineKinds];
  std::unique_ptr<runtime::Engine>& engine = engines[int(kind)];
  if (!engine) {
    runtime::EngineConfig config = fuzzEngineConfig();
    if (kind == EngineKind::BoundsChecked) config.memoryMode = runtime::MemoryMode::BoundsChecked;
    if (kind == EngineKind::Lazy) config.compileStrategy = runtime::CompileStrategy::Lazy;
    auto made = runtime::Engine::create(config);
    if (!made) fail("engine", made.error());
    engine = std::move(*made);
  }
  return *engine;
}

// One stub per import: functions that return zeros, and fresh memories, tables and globals of
// the import's type. An error when the store refuses one (a memory over its limit).
inline Result<std::vector<runtime::Extern>> stubImports(runtime::Store& store, const runtime::Module& module) {
  std::vector<runtime::Extern> imports;
  for (const runtime::ImportType& import : module.imports()) {
    const runtime::ExternType& type = import.type;
    switch (type.kind) {
      case ir::ExternKind::Func: {
        size_t results = type.func.results.size();
        auto func = store.createHostFunc(type.func, [results](runtime::Caller&, const runtime::RawValue*,
                                                              runtime::RawValue* out) {
          for (size_t i = 0; i < results; ++i) out[i] = runtime::RawValue{};
          return Status{};
        });
        if (!func) return func.error();
        imports.emplace_back(*func);
        break;
      }
      case ir::ExternKind::Memory: {
        auto memory = store.createMemory(type.memory);
        if (!memory) return memory.error();
        imports.emplace_back(*memory);
        break;
      }
      case ir::ExternKind::Table: {
        auto table = store.createTable(type.table);
        if (!table) return table.error();
        imports.emplace_back(*table);
        break;
      }
      case ir::ExternKind::Global: {
        auto global = store.createGlobal(type.global, runtime::RawValue{});
        if (!global) return global.error();
        imports.emplace_back(*global);
        break;
      }
    }
  }
  return imports;
}

}  // namespace orca::fuzz
