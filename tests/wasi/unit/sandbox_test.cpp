// core/wasi from C++: path splitting, openBeneath on escapes and loops, a race in which the host
// moves directories in and out of the sandbox while paths are resolved (nothing outside may ever
// be opened), the MemFs API and WasiContext::create's errors. Run once with openat2 and once
// with ORCA_WASI_FORCE_WALK=1. Ends with "N passed, N failed".
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "abi.h"
#include "orca/wasi/wasi.h"
#include "sandbox.h"

namespace {

int passed = 0, failed = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (cond) {                                                              \
      ++passed;                                                              \
    } else {                                                                 \
      ++failed;                                                              \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

using namespace orca::wasi;
namespace abi = orca::wasi::abi;

std::string root;

void writeText(const std::string& path, const char* text) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return;
  std::fputs(text, f);
  std::fclose(f);
}

std::string readFd(int fd) {
  char buf[64] = {0};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

void testSplitPath() {
  auto s = splitPath("a/b/c");
  CHECK(s.dir == "a/b/" && s.name == "c" && !s.trailingSlash);
  s = splitPath("file");
  CHECK(s.dir.empty() && s.name == "file");
  s = splitPath("dir//");
  CHECK(s.dir.empty() && s.name == "dir" && s.trailingSlash);
  s = splitPath("a/..");
  CHECK(s.dir == "a/" && s.name == "..");
  s = splitPath("/abs");
  CHECK(s.dir == "/" && s.name == "abs");
}

void testOpenBeneath() {
  std::string sandbox = root + "/basic/sandbox";
  ::mkdir((root + "/basic").c_str(), 0777);
  ::mkdir(sandbox.c_str(), 0777);
  writeText(root + "/basic/secret.txt", "SECRET");
  writeText(sandbox + "/in.txt", "INSIDE");
  ::mkdir((sandbox + "/d").c_str(), 0777);
  CHECK(::symlink("../secret.txt", (sandbox + "/out").c_str()) == 0);
  CHECK(::symlink("/etc/hostname", (sandbox + "/abs").c_str()) == 0);
  CHECK(::symlink("d/../in.txt", (sandbox + "/ok").c_str()) == 0);
  CHECK(::symlink("l2", (sandbox + "/l1").c_str()) == 0);
  CHECK(::symlink("l1", (sandbox + "/l2").c_str()) == 0);
  int dir = ::open(sandbox.c_str(), O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  int fd = -1;
  CHECK(openBeneath(dir, "in.txt", O_RDONLY, 0, &fd) == abi::kSuccess && readFd(fd) == "INSIDE");
  if (fd >= 0) ::close(fd);
  fd = -1;
  CHECK(openBeneath(dir, "ok", O_RDONLY, 0, &fd) == abi::kSuccess && readFd(fd) == "INSIDE");
  if (fd >= 0) ::close(fd);
  CHECK(openBeneath(dir, "../secret.txt", O_RDONLY, 0, &fd) == abi::kNotcapable);
  CHECK(openBeneath(dir, "d/../../secret.txt", O_RDONLY, 0, &fd) == abi::kNotcapable);
  CHECK(openBeneath(dir, "out", O_RDONLY, 0, &fd) == abi::kNotcapable);
  CHECK(openBeneath(dir, "abs", O_RDONLY, 0, &fd) == abi::kNotcapable);
  CHECK(openBeneath(dir, "/etc/hostname", O_RDONLY, 0, &fd) == abi::kNotcapable);
  CHECK(openBeneath(dir, "l1", O_RDONLY, 0, &fd) == abi::kLoop);
  CHECK(openBeneath(dir, "out", O_RDONLY | O_NOFOLLOW, 0, &fd) == abi::kLoop);
  CHECK(openBeneath(dir, "", O_RDONLY, 0, &fd) == abi::kNoent);
  CHECK(openBeneath(dir, "nothing", O_RDONLY, 0, &fd) == abi::kNoent);
  CHECK(openBeneath(dir, "in.txt/x", O_RDONLY, 0, &fd) == abi::kNotdir);
  fd = -1;
  CHECK(openBeneath(dir, "new.txt", O_WRONLY | O_CREAT | O_EXCL, 0644, &fd) == abi::kSuccess);
  if (fd >= 0) ::close(fd);
  CHECK(openBeneath(dir, "out", O_WRONLY | O_CREAT, 0644, &fd) == abi::kNotcapable);
  struct stat st {};
  CHECK(::stat((root + "/basic/secret.txt").c_str(), &st) == 0 && st.st_size == 6);
  ::close(dir);
}

// The host moves sandbox/a back and forth between the sandbox and a place whose "../.." holds a
// secret under the same name, while paths through a/b/../.. are opened beneath the sandbox.
// Whatever the timing, what opens is the sandbox's file, never the secret.
void testRace() {
  std::string base = root + "/race";
  std::string sandbox = base + "/sandbox";
  std::string far = base + "/x/y";
  ::mkdir(base.c_str(), 0777);
  ::mkdir(sandbox.c_str(), 0777);
  ::mkdir((base + "/x").c_str(), 0777);
  ::mkdir(far.c_str(), 0777);
  ::mkdir((sandbox + "/a").c_str(), 0777);
  ::mkdir((sandbox + "/a/b").c_str(), 0777);
  writeText(sandbox + "/inside.txt", "INSIDE");
  writeText(far + "/inside.txt", "SECRET");
  int dir = ::open(sandbox.c_str(), O_RDONLY | O_DIRECTORY);
  std::atomic<bool> stop{false};
  std::thread mover([&] {
    std::string in = sandbox + "/a", out = far + "/a";
    while (!stop.load()) {
      ::rename(in.c_str(), out.c_str());
      ::rename(out.c_str(), in.c_str());
    }
  });
  int opened = 0, secrets = 0;
  for (int i = 0; i < 20000; i++) {
    int fd = -1;
    if (openBeneath(dir, "a/b/../../inside.txt", O_RDONLY, 0, &fd) == abi::kSuccess) {
      opened++;
      if (readFd(fd) != "INSIDE") secrets++;
      ::close(fd);
    }
  }
  stop = true;
  mover.join();
  ::close(dir);
  std::fprintf(stderr, "race: %d of 20000 opens succeeded, %d read the secret\n", opened, secrets);
  CHECK(secrets == 0);
  CHECK(opened > 0);
}

void testMemFs() {
  auto fs = MemFs::create();
  const uint8_t bytes[] = {'h', 'i'};
  CHECK(fs->writeFile("/a/b/c.txt", bytes).ok());
  auto got = fs->readFile("a/b/c.txt");
  CHECK(got.ok() && got->size() == 2 && (*got)[0] == 'h');
  CHECK(fs->symlink("b/c.txt", "a/link").ok());
  got = fs->readFile("a/link");
  CHECK(got.ok() && got->size() == 2);
  CHECK(!fs->symlink("x", "a/link").ok());
  CHECK(fs->symlink("/etc/passwd", "abs").ok());
  CHECK(!fs->readFile("abs").ok());      // absolute targets never resolve
  CHECK(!fs->readFile("../x").ok());     // nothing above the root
  CHECK(!fs->readFile("a").ok());        // a directory
  CHECK(!fs->writeFile("a/b/c.txt/d", bytes).ok());
  CHECK(fs->makeDirs("a/e/f").ok());
  auto names = fs->list("a");
  CHECK(names.ok() && names->size() == 3 && (*names)[0] == "b/" && (*names)[1] == "e/" && (*names)[2] == "link");
  CHECK(!fs->list("a/link/../nothing").ok());
}

void testCreateErrors() {
  WasiConfig c;
  c.preopens.push_back({"/nonexistent/dir", "/x", nullptr});
  auto ctx = WasiContext::create(c);
  CHECK(!ctx.ok() && ctx.error().kind == orca::ErrorKind::Io &&
        ctx.error().message.find("/nonexistent/dir") != std::string::npos);
  WasiConfig s;
  int file = ::open("/dev/null", O_RDONLY);
  s.preopenSockets.push_back(file);
  ctx = WasiContext::create(s);
  CHECK(!ctx.ok() && ctx.error().message.find("not a socket") != std::string::npos);
  ::close(file);
  WasiConfig bad;
  bad.stdoutConfig.kind = StdioConfig::Kind::Bytes;
  CHECK(!WasiContext::create(bad).ok());
  WasiConfig capture;
  capture.stdoutConfig.kind = StdioConfig::Kind::Capture;
  ctx = WasiContext::create(capture);
  CHECK(ctx.ok() && (*ctx)->captured(1).empty() && (*ctx)->captured(2).empty() && (*ctx)->captured(7).empty());
}

}  // namespace

int main() {
  char tmpl[] = "/tmp/orca-wasi-unit-XXXXXX";
  if (!::mkdtemp(tmpl)) return 2;
  root = tmpl;
  testSplitPath();
  testOpenBeneath();
  testRace();
  testMemFs();
  testCreateErrors();
  std::string cmd = "rm -rf '" + root + "'";
  if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "cannot remove %s\n", root.c_str());
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
