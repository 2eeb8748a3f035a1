// The module cache's directory: default location, which files are Orca's, least-recently-used
// eviction under a size cap, a directory that cannot be written, and writers on several threads.
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "helpers.h"
#include "orca/compile/compile.h"
#include "orca/runtime/module_cache.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;
namespace fs = std::filesystem;

namespace {

// A module "f(x) = x * factor": a different factor is a different module (and cache entry).
std::vector<uint8_t> timesModule(int factor) {
  return wasmOf("(module (func (export \"f\") (param i32) (result i32) local.get 0 i32.const " +
                std::to_string(factor) + " i32.mul))");
}

// A valid entry name made from one character: "aaaa...a.orcamod".
std::string entryName(char digit) { return std::string(64, digit) + ".orcamod"; }

// Writes `size` bytes to dir/name and dates its mtime `age` ago.
fs::path fakeFile(const fs::path& dir, const std::string& name, size_t size, std::chrono::seconds age) {
  fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << std::string(size, 'x');
  fs::last_write_time(path, fs::file_time_type::clock::now() - age);
  return path;
}

std::vector<std::string> namesIn(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

fs::path entryPathOf(const fs::path& dir, const std::vector<fs::path>& before) {
  for (const auto& entry : fs::directory_iterator(dir))
    if (std::find(before.begin(), before.end(), entry.path()) == before.end()) return entry.path();
  FAIL("no new cache entry");
  return {};
}

std::vector<fs::path> pathsIn(const fs::path& dir) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir)) paths.push_back(entry.path());
  return paths;
}

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) setenv(name, value, 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("cache: the default directory is ORCA_CACHE_DIR, else XDG_CACHE_HOME/orca, else HOME/.cache/orca") {
  ScopedEnv orca("ORCA_CACHE_DIR", "/srv/orca-cache");
  ScopedEnv xdg("XDG_CACHE_HOME", "/xdg");
  ScopedEnv home("HOME", "/home/u");
  CHECK(cache::defaultDirectory() == "/srv/orca-cache");
  unsetenv("ORCA_CACHE_DIR");
  CHECK(cache::defaultDirectory() == "/xdg/orca");
  setenv("XDG_CACHE_HOME", "relative/dir", 1);  // the XDG spec says to ignore a relative one
  CHECK(cache::defaultDirectory() == "/home/u/.cache/orca");
  setenv("XDG_CACHE_HOME", "", 1);
  CHECK(cache::defaultDirectory() == "/home/u/.cache/orca");
  unsetenv("XDG_CACHE_HOME");
  unsetenv("HOME");
  CHECK_FALSE(cache::defaultDirectory().has_value());
}

TEST_CASE("cache: only <64 lowercase hex>.orcamod files are entries, and their .tmp.<pid>.<n> temporaries") {
  std::string entry = entryName('a');
  CHECK(cache::isEntryName(entry));
  CHECK(cache::isEntryName(std::string(32, '0') + std::string(32, 'f') + ".orcamod"));
  CHECK_FALSE(cache::isEntryName(std::string(64, 'A') + ".orcamod"));
  CHECK_FALSE(cache::isEntryName(std::string(63, 'a') + ".orcamod"));
  CHECK_FALSE(cache::isEntryName(std::string(64, 'g') + ".orcamod"));
  CHECK_FALSE(cache::isEntryName(entry + ".bak"));
  CHECK_FALSE(cache::isEntryName("notes.orcamod"));
  CHECK(cache::isTemporaryName(entry + ".tmp.123.456"));
  CHECK_FALSE(cache::isTemporaryName(entry));
  CHECK_FALSE(cache::isTemporaryName(entry + ".tmp."));
  CHECK_FALSE(cache::isTemporaryName(entry + ".tmp.123"));
  CHECK_FALSE(cache::isTemporaryName(entry + ".tmp.12x.456"));
  CHECK_FALSE(cache::isEntryName(entry + ".tmp.123.456"));
}

TEST_CASE("cache: eviction removes the least recently used entries down to 90% of the cap, and nothing else") {
  TempDir dir;
  using std::chrono::hours;
  fakeFile(dir.path, entryName('1'), 400, std::chrono::seconds(hours(5)));  // oldest
  fakeFile(dir.path, entryName('2'), 400, std::chrono::seconds(hours(4)));
  fakeFile(dir.path, entryName('3'), 400, std::chrono::seconds(hours(3)));
  fs::path newest = fakeFile(dir.path, entryName('4'), 400, std::chrono::seconds(hours(2)));
  fakeFile(dir.path, "notes.txt", 5000, std::chrono::seconds(hours(9)));  // not Orca's: never removed
  fakeFile(dir.path, entryName('5') + ".tmp.1.2", 5000, std::chrono::seconds(hours(2)));  // a dead writer's
  fakeFile(dir.path, entryName('6') + ".tmp.1.3", 5000, std::chrono::seconds(1));         // being written
  // 1600 bytes of entries, cap 1300: one removal would do for the cap, but down to 90% of it
  // (1170) the two oldest go.
  CHECK(cache::evict(dir.path, 1300, newest) == 2);
  CHECK(namesIn(dir.path) == std::vector<std::string>{entryName('3'), entryName('4'), entryName('6') + ".tmp.1.3",
                                                       "notes.txt"});
  // Under the cap: nothing to do.
  CHECK(cache::evict(dir.path, 1300, newest) == 0);
  CHECK(namesIn(dir.path).size() == 4);
  // The entry just written stays even when it is the oldest.
  CHECK(cache::evict(dir.path, 500, dir.path / entryName('3')) == 1);
  CHECK(fs::exists(dir.path / entryName('3')));
  CHECK_FALSE(fs::exists(newest));
}

TEST_CASE("cache: a hit marks its entry as used, so eviction removes another") {
  TempDir dir;
  auto engine = cachingEngine(dir.path);
  auto a = timesModule(2), b = timesModule(3), c = timesModule(4);
  REQUIRE(Module::compile(*engine, a).ok());
  fs::path entryA = entryPathOf(dir.path, {});
  REQUIRE(Module::compile(*engine, b).ok());
  fs::path entryB = entryPathOf(dir.path, {entryA});
  // A is older than B, then used again.
  auto now = fs::file_time_type::clock::now();
  fs::last_write_time(entryA, now - std::chrono::hours(2));
  fs::last_write_time(entryB, now - std::chrono::hours(1));
  REQUIRE(Module::compile(*engine, a).ok());
  CHECK(engine->cacheStats().hits == 1);
  CHECK(fs::last_write_time(entryA) > now - std::chrono::minutes(1));

  // C's entry sizes like the others; a cap that holds two entries but not three evicts one.
  uint64_t sizeA = fs::file_size(entryA), sizeB = fs::file_size(entryB);
  uint64_t cap = (sizeA + sizeB) * 10 / 9 + 64;
  REQUIRE(cap < sizeA + 2 * sizeB - 64);
  auto capped = cachingEngine(dir.path, cap);
  auto module = Module::compile(*capped, c);
  REQUIRE(module.ok());
  CHECK(callF(*capped, *module) == 56);
  CHECK(capped->cacheStats().evicted == 1);
  CHECK(fs::exists(entryA));
  CHECK_FALSE(fs::exists(entryB));
  CHECK(pathsIn(dir.path).size() == 2);
}

TEST_CASE("cache: an entry larger than the cap is not written, and the module still compiles") {
  TempDir dir;
  auto engine = cachingEngine(dir.path, 100);
  auto module = Module::compile(*engine, timesModule(5));
  REQUIRE(module.ok());
  CHECK(callF(*engine, *module) == 70);
  CHECK(pathsIn(dir.path).empty());
  CHECK(engine->cacheStats().writeFailures == 0);
  CHECK(engine->cacheStats().evicted == 0);
}

TEST_CASE("cache: a directory that cannot be created or written never fails a compile") {
  TempDir dir;
  fs::path file = dir.path / "a-file";
  std::ofstream(file) << "not a directory";
  // Neither check depends on permissions (the tests may run as root, who may write anywhere).
  for (const fs::path& unusable : {file / "cache", file}) {
    CAPTURE(unusable.string());
    auto engine = cachingEngine(unusable);
    for (int round = 1; round <= 2; ++round) {
      auto module = Module::compile(*engine, timesModule(6));
      REQUIRE(module.ok());
      CHECK(callF(*engine, *module) == 84);
      CHECK(engine->cacheStats().misses == uint64_t(round));
      CHECK(engine->cacheStats().writeFailures == uint64_t(round));
    }
  }
  CHECK(namesIn(dir.path) == std::vector<std::string>{"a-file"});
}

TEST_CASE("cache: the directory is made private to its owner") {
  TempDir dir;
  fs::path cacheDir = dir.path / "home" / ".cache" / "orca";
  auto engine = cachingEngine(cacheDir);
  REQUIRE(Module::compile(*engine, timesModule(7)).ok());
  struct stat st;
  REQUIRE(stat(cacheDir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(stat(pathsIn(cacheDir).at(0).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("cache: usage counts entries, clean removes entries and temporaries and nothing else") {
  TempDir dir;
  auto engine = cachingEngine(dir.path);
  REQUIRE(Module::compile(*engine, timesModule(2)).ok());
  REQUIRE(Module::compile(*engine, timesModule(3)).ok());
  fakeFile(dir.path, entryName('7') + ".tmp.9.9", 10, std::chrono::seconds(0));
  fakeFile(dir.path, "keep.txt", 10, std::chrono::seconds(0));
  fs::create_directory(dir.path / (entryName('8')));  // a directory with an entry's name is not one
  auto usage = cache::usage(dir.path);
  REQUIRE(usage.ok());
  CHECK(usage->entries == 2);
  uint64_t bytes = 0;
  for (const fs::path& path : pathsIn(dir.path))
    if (cache::isEntryName(path.filename().string()) && fs::is_regular_file(path)) bytes += fs::file_size(path);
  CHECK(usage->bytes == bytes);
  CHECK(bytes > 0);

  auto removed = cache::clean(dir.path);
  REQUIRE(removed.ok());
  CHECK(*removed == 2);
  CHECK(namesIn(dir.path) == std::vector<std::string>{entryName('8'), "keep.txt"});
  CHECK(cache::usage(dir.path)->entries == 0);

  // A directory that does not exist holds nothing; one that cannot be listed is an I/O error.
  CHECK(cache::usage(dir.path / "missing")->entries == 0);
  CHECK(*cache::clean(dir.path / "missing") == 0);
  auto notADirectory = cache::usage(dir.path / "keep.txt");
  REQUIRE_FALSE(notADirectory.ok());
  CHECK(notADirectory.error().kind == ErrorKind::Io);
  CHECK(notADirectory.error().message.find("keep.txt") != std::string::npos);
}

TEST_CASE("cache: writers and evictors on several threads share a directory; every entry loads after") {
  TempDir dir;
  constexpr int kThreads = 6, kModules = 4, kRounds = 5;
  // Measure one entry, then cap the directory at about three: every thread evicts while others
  // read and write.
  uint64_t entrySize = 0;
  {
    TempDir probe;
    auto engine = cachingEngine(probe.path);
    REQUIRE(Module::compile(*engine, timesModule(10)).ok());
    entrySize = fs::file_size(pathsIn(probe.path).at(0));
  }
  std::vector<std::unique_ptr<Engine>> engines;
  for (int t = 0; t < kThreads; ++t) engines.push_back(cachingEngine(dir.path, entrySize * 3));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        int factor = 10 + (t + round) % kModules;
        auto module = Module::compile(*engines[t], timesModule(factor));
        // No REQUIRE off the main thread: doctest's assertions are not thread-safe.
        if (!module.ok()) {
          ++wrong;
          continue;
        }
        Store store(*engines[t]);
        auto instance = store.instantiate(*module, {});
        RawValue io[1] = {i32(14)};
        if (!instance.ok() || !(*instance)->exportByName("f")->func()->callInPlace(io).ok() || io[0].i32 != 14 * factor)
          ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  uint64_t rejected = 0, evicted = 0;
  for (const auto& engine : engines) {
    rejected += engine->cacheStats().rejected;
    evicted += engine->cacheStats().evicted;
    CHECK(engine->cacheStats().writeFailures == 0);
  }
  CHECK(rejected == 0);  // no reader ever saw a partial entry
  CHECK(evicted > 0);
  auto usage = cache::usage(dir.path);
  REQUIRE(usage.ok());
  CHECK(usage->bytes <= entrySize * 3 + entrySize / 2);
  for (const fs::path& path : pathsIn(dir.path)) CHECK(cache::isEntryName(path.filename().string()));
  // Every entry left is whole: a fresh engine loads each module that still has one.
  auto fresh = cachingEngine(dir.path, entrySize * 100);
  for (int m = 0; m < kModules; ++m) REQUIRE(Module::compile(*fresh, timesModule(10 + m)).ok());
  CHECK(fresh->cacheStats().hits == usage->entries);
  CHECK(fresh->cacheStats().rejected == 0);
}

TEST_CASE("cache: host functions' trampolines come from the cache in a later engine, not from the compiler") {
  TempDir dir;
  ir::FuncType add;
  add.params = {ir::ValType::I32, ir::ValType::I64};
  add.results = {ir::ValType::I64};
  auto hostCall = [&](Engine& engine) {
    Store store(engine);
    auto f = store.createHostFunc(add, [](Caller&, const RawValue* args, RawValue* results) -> Status {
      results[0].i64 = args[0].i32 + args[1].i64;
      return {};
    });
    REQUIRE(f.ok());
    RawValue io[2]{};
    io[0].i32 = 40;
    io[1].i64 = 2;
    REQUIRE((*f)->callInPlace(io).ok());
    CHECK(io[0].i64 == 42);
  };
  auto first = cachingEngine(dir.path);
  hostCall(*first);
  CHECK(first->cacheStats().misses == 1);
  // An engine makes a signature's trampolines once: a second store asks the cache for nothing.
  hostCall(*first);
  CHECK(first->cacheStats().misses == 1);

  auto second = cachingEngine(dir.path);
  uint64_t compiledBefore = compile::modulesCompiled();
  hostCall(*second);
  CHECK(compile::modulesCompiled() == compiledBefore);
  CHECK(second->cacheStats().hits == 1);
  CHECK(second->cacheStats().misses == 0);
}
