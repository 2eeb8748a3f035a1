// libFuzzer target for WASI preview1: the input is a program of calls that a guest makes into
// wasi_snapshot_preview1, with the arguments it chooses, against a scratch directory preopened
// as "/sandbox". The guest is a module that imports every WASI function and exports a wrapper
// per function (so that each call comes from an instance, with that instance's memory, as a
// real guest's does) and one page of memory, which the same input fills.
//
// Input, read front to back until it ends or kMaxCalls calls were made:
//   op < 0x40:  poke  — u8 length, u16 offset, then `length` bytes copied into memory there;
//   op >= 0x40: call  — WASI function (op - 0x40) % count, by name order, then each argument as 4 (i32) or
//                       8 (i64) little-endian bytes; a missing byte reads as zero.
// The guest may do anything a guest may: every call must return (an errno, a trap, or an exit),
// nothing may crash, and nothing outside the sandbox may change or be read. The scratch tree is
// ROOT/level/{sandbox,outside}: after each input, ROOT, ROOT/level and ROOT/level/outside must
// hold exactly what they held, unmodified (listing, inode metadata, content), and the guest's
// memory must not contain the name or content of the file in `outside`, which are random per
// process, so the fuzzer cannot write them itself. The sandbox is rebuilt for every input, with
// symlinks that point out of it ("up" -> ../outside, "abs" -> the absolute path of outside) and
// a symlink loop.
//
// Calls that would block are made not to: poll_oneoff's clock subscriptions are clamped to at
// most 1 ms and made relative before the call. Files are capped at 1 MiB (RLIMIT_FSIZE, SIGXFSZ
// ignored), so that a write of many iovecs cannot fill the disk.
//
// ORCA_FUZZ_TRACE=1 prints each call with its arguments and errno.
// Seeds: tests/fuzz/corpus/fuzz_wasi, written by make-corpus.sh.
// Run: ci/fuzz.sh fuzz_wasi SECONDS
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "orca/runtime/linker.h"
#include "orca/text/wat.h"
#include "orca/wasi/wasi.h"

namespace {

namespace fs = std::filesystem;
namespace ir = orca::ir;
using orca::Result;
using orca::ErrorKind;
using namespace orca::runtime;

constexpr int kMaxCalls = 64;
constexpr uint64_t kMaxFileBytes = 1 << 20;
constexpr uint32_t kSubscriptionSize = 48;  // preview1's subscription record
constexpr uint64_t kMaxPollNanos = 1'000'000;

struct Scratch {
  fs::path root, level, sandbox, outside;
  std::string secretName, secretContent;
  std::vector<uint64_t> snapshot;  // observe() of each watched() path
};

Scratch scratch;
std::shared_ptr<const Module> guest;
// wasi_snapshot_preview1's functions, sorted by name (the linker's order): the input's call
// numbering. Preview1 is frozen, so the numbering is stable.
std::vector<std::string> names;
std::vector<ir::FuncType> types;  // by the same index

[[noreturn]] void failText(const std::string& what) {
  std::fprintf(stderr, "fuzz_wasi: %s\n", what.c_str());
  std::abort();
}

std::string randomHex(std::mt19937_64& rng) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(rng()));
  return text;
}

// The secret name and content are never compared as bytes: libFuzzer records the operands of
// every memcmp the target makes and offers them back as input, and from a plain comparison it
// learned the secret name in five minutes and wrote it into memory itself. Only 64-bit digests
// are compared, which tell it nothing.
uint64_t digest(std::string_view bytes) { return std::hash<std::string_view>{}(bytes); }
uint64_t mix(uint64_t a, uint64_t b) { return (a ^ b) * 0x100000001b3ull + (a >> 29); }

// A digest of a path's inode (all but access times) and of its entries or content.
uint64_t observe(const fs::path& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) failText("cannot stat " + path.string() + ": " + std::strerror(errno));
  uint64_t d = 0;
  for (uint64_t fact : {uint64_t(st.st_ino), uint64_t(st.st_mode), uint64_t(st.st_nlink), uint64_t(st.st_size),
                        uint64_t(st.st_uid), uint64_t(st.st_mtim.tv_sec), uint64_t(st.st_mtim.tv_nsec),
                        uint64_t(st.st_ctim.tv_sec), uint64_t(st.st_ctim.tv_nsec)})
    d = mix(d, fact);
  if (S_ISDIR(st.st_mode)) {
    std::vector<uint64_t> names;
    for (const auto& child : fs::directory_iterator(path)) names.push_back(digest(child.path().filename().native()));
    std::sort(names.begin(), names.end());
    for (uint64_t name : names) d = mix(d, name);
  } else {
    std::ifstream in(path, std::ios::binary);
    std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    d = mix(d, digest(content));
  }
  return d;
}

// Whether `needle` occurs in `hay`, by a rolling (Rabin-Karp) hash compared as an integer.
bool occurs(std::string_view hay, std::string_view needle) {
  constexpr uint64_t kBase = 257;
  size_t n = needle.size();
  if (hay.size() < n) return false;
  uint64_t want = 0, have = 0, top = 1;
  for (size_t i = 0; i < n; ++i) {
    want = want * kBase + uint8_t(needle[i]);
    have = have * kBase + uint8_t(hay[i]);
    if (i > 0) top *= kBase;
  }
  for (size_t i = n;; ++i) {
    if (have == want) return true;
    if (i == hay.size()) return false;
    have = (have - uint8_t(hay[i - n]) * top) * kBase + uint8_t(hay[i]);
  }
}

std::vector<fs::path> watched() {
  return {scratch.root, scratch.level, scratch.outside, scratch.outside / scratch.secretName};
}

void resetSandbox() {
  // Its contents only: replacing the directory itself would change its parent, which is watched.
  std::vector<fs::path> children;
  if (fs::exists(scratch.sandbox))
    for (const auto& child : fs::directory_iterator(scratch.sandbox)) children.push_back(child.path());
  for (const fs::path& child : children) {
    std::error_code ec;
    fs::remove_all(child, ec);  // follows no symlink
    if (ec) failText("cannot clear the sandbox: " + ec.message());
  }
  fs::create_directories(scratch.sandbox / "d");
  std::ofstream(scratch.sandbox / "a.txt") << "hello\n";
  std::ofstream(scratch.sandbox / "d" / "b.txt") << "inner\n";
  fs::create_directory_symlink("../outside", scratch.sandbox / "up");
  fs::create_directory_symlink(scratch.outside, scratch.sandbox / "abs");  // absolute, so an escape finds the secret
  fs::create_symlink("loop", scratch.sandbox / "loop");
  fs::create_symlink("d/b.txt", scratch.sandbox / "inner-link");
}

void makeScratch() {
  std::random_device seed;
  std::mt19937_64 rng((uint64_t(seed()) << 32) ^ seed());
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/orca-fuzz-wasi-XXXXXX";
  if (!mkdtemp(pattern.data())) failText("mkdtemp: " + std::string(std::strerror(errno)));
  scratch.root = pattern;
  scratch.level = scratch.root / "level";
  scratch.sandbox = scratch.level / "sandbox";
  scratch.outside = scratch.level / "outside";
  scratch.secretName = "secret-" + randomHex(rng);
  scratch.secretContent = "content-" + randomHex(rng) + randomHex(rng);
  fs::create_directories(scratch.outside);
  std::ofstream(scratch.outside / scratch.secretName) << scratch.secretContent;
  resetSandbox();
  // The checks must be able to fail: a file added outside changes the snapshot, and the scan
  // finds the secret in memory-like bytes.
  uint64_t before = observe(scratch.outside);
  std::ofstream(scratch.outside / "probe") << "x";
  if (observe(scratch.outside) == before) failText("self-test: a change outside the sandbox went unseen");
  fs::remove(scratch.outside / "probe");
  if (!occurs("\x01\x02" + scratch.secretContent + "\x03", scratch.secretContent) || occurs(scratch.secretName, scratch.secretContent))
    failText("self-test: the memory scan is wrong");
  for (const fs::path& path : watched()) scratch.snapshot.push_back(observe(path));
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(scratch.root, ec);
  });
}

// The guest: an import and a forwarding export "c<i>" per WASI function, and memory 0.
std::string guestText(const Linker& linker) {
  std::string imports, wrappers;
  for (const auto& [name, item] : linker.definitions()) {
    if (name.first != "wasi_snapshot_preview1" || !item.func()) continue;
    std::string index = std::to_string(names.size());
    names.push_back(name.second);
    types.push_back(item.func()->type());
    std::string signature, forward;
    for (size_t p = 0; p < types.back().params.size(); ++p) {
      signature += std::string(" (param ") + ir::valTypeName(types.back().params[p]) + ")";
      forward += " local.get " + std::to_string(p);
    }
    for (ir::ValType result : types.back().results) signature += std::string(" (result ") + ir::valTypeName(result) + ")";
    imports += "(import \"wasi_snapshot_preview1\" \"" + name.second + "\" (func $w" + index + signature + "))\n";
    wrappers += "(func (export \"c" + index + "\")" + signature + forward + " call $w" + index + ")\n";
  }
  if (names.empty()) failText("defineWasi defined no function");
  return "(module\n" + imports + "(memory (export \"memory\") 1)\n" + wrappers + ")";
}

// A store with WASI defined over a fresh context (descriptors: stdio, then the preopens).
struct Session {
  Store store{orca::fuzz::fuzzEngine()};
  Linker linker{store};
  Session() {
    orca::wasi::WasiConfig config;
    config.args = {"fuzz", "--flag", "value"};
    config.env = {{"HOME", "/sandbox"}, {"LANG", "C"}};
    config.preopens.push_back({scratch.sandbox.string(), "/sandbox", nullptr});
    config.preopens.push_back({(scratch.sandbox / "d").string(), ".", nullptr});
    auto wasi = orca::wasi::WasiContext::create(config);
    if (!wasi) orca::fuzz::fail("WASI context", wasi.error());
    if (auto status = orca::wasi::defineWasi(linker, *wasi); !status) orca::fuzz::fail("defineWasi", status.error());
  }
};

struct Input {
  const uint8_t* data;
  size_t size;
  uint64_t take(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes && size > 0; ++i, ++data, --size) v |= uint64_t(*data) << (8 * i);
    return v;
  }
  void skip(size_t n) {
    data += n;
    size -= n;
  }
};

// poll_oneoff would otherwise sleep as long as the guest asks.
void clampPoll(Memory& memory, uint32_t in, uint32_t count) {
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t at = uint64_t(in) + k * kSubscriptionSize;
    if (at + kSubscriptionSize > memory.dataSize()) return;
    uint8_t* sub = memory.data() + at;
    if (sub[8] != 0) continue;  // not a clock subscription
    uint64_t timeout;
    std::memcpy(&timeout, sub + 24, 8);
    timeout %= kMaxPollNanos;
    std::memcpy(sub + 24, &timeout, 8);
    sub[40] &= ~1;  // subclockflags: abstime off
  }
}

void checkNothingEscaped(const Memory& memory) {
  std::vector<fs::path> paths = watched();
  for (size_t i = 0; i < paths.size(); ++i)
    if (observe(paths[i]) != scratch.snapshot[i]) failText("something outside the sandbox changed: " + paths[i].string());
  std::string_view bytes(reinterpret_cast<const char*>(memory.data()), memory.dataSize());
  if (occurs(bytes, scratch.secretName)) failText("the guest read the name of a file outside the sandbox");
  if (occurs(bytes, scratch.secretContent)) failText("the guest read the content of a file outside the sandbox");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  rlimit limit{kMaxFileBytes, kMaxFileBytes};
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) failText("setrlimit: " + std::string(std::strerror(errno)));
  makeScratch();
  Session session;
  auto ir = orca::text::parseWat(guestText(session.linker));
  if (!ir) orca::fuzz::fail("guest text", ir.error());
  auto module = Module::fromIR(orca::fuzz::fuzzEngine(), std::move(*ir));
  if (!module) orca::fuzz::fail("guest module", module.error());
  guest = std::move(*module);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A write past RLIMIT_FSIZE is then EFBIG for the guest. libFuzzer installs its own SIGXFSZ
  // handler (which ends the run) after LLVMFuzzerInitialize, so this is done here.
  static const bool ignoreXfsz = std::signal(SIGXFSZ, SIG_IGN) != SIG_ERR;
  if (!ignoreXfsz) failText("cannot ignore SIGXFSZ");
  resetSandbox();
  Session session;
  auto instance = session.linker.instantiate(guest);
  if (!instance) orca::fuzz::fail("instantiate", instance.error());
  Memory& memory = *(*instance)->exportByName("memory")->memory();
  std::vector<Func*> wrappers;
  for (size_t i = 0; i < names.size(); ++i)
    wrappers.push_back((*instance)->exportByName("c" + std::to_string(i))->func());

  // ORCA_FUZZ_TRACE=1 prints each call and its errno (to read what a crashing input does).
  static const bool trace = std::getenv("ORCA_FUZZ_TRACE") != nullptr;
  Input in{data, size};
  for (int calls = 0; in.size > 0 && calls < kMaxCalls;) {
    uint8_t op = uint8_t(in.take(1));
    if (op < 0x40) {
      uint64_t length = in.take(1), offset = in.take(2);
      length = std::min({length, uint64_t(in.size), memory.dataSize() - offset});
      std::memcpy(memory.data() + offset, in.data, length);
      in.skip(length);
      continue;
    }
    size_t index = (op - 0x40) % names.size();
    const ir::FuncType& type = types[index];
    std::vector<RawValue> args(type.params.size()), results(type.results.size());
    for (size_t p = 0; p < args.size(); ++p) {
      if (type.params[p] == ir::ValType::I64) args[p].i64 = int64_t(in.take(8));
      else args[p].i32 = int32_t(in.take(4));
    }
    if (names[index] == "poll_oneoff") clampPoll(memory, uint32_t(args[0].i32), uint32_t(args[2].i32));
    session.store.setFuel(1'000'000);  // the wrapper's own few instructions
    ++calls;
    auto status = wrappers[index]->call(args, results);
    orca::fuzz::count(!status ? "calls ended the guest" : results.empty() || results[0].i32 == 0 ? "calls succeeded" : "calls failed");
    if (trace) {
      std::fprintf(stderr, "%s(", names[index].c_str());
      for (size_t p = 0; p < args.size(); ++p) std::fprintf(stderr, "%s%llu", p ? ", " : "", static_cast<unsigned long long>(args[p].bits[0]));
      if (status && !results.empty()) std::fprintf(stderr, ") -> errno %d\n", results[0].i32);
      else std::fprintf(stderr, ") -> %s\n", status ? "" : status.error().describe().c_str());
    }
    if (!status) {
      // proc_exit ends the guest; proc_raise of a terminating signal traps.
      orca::fuzz::expectKind("WASI call", status.error(), {ErrorKind::Exit, ErrorKind::Trap});
      break;
    }
  }
  checkNothingEscaped(memory);
  return 0;
}
