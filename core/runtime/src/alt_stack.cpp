// The alternate signal stack of each thread that enters wasm. A file of its own because the
// thread_local that frees it at thread exit has a destructor: in trap.cpp, that made every access
// to trap.cpp's thread-local state (the trap boundary chain, read on each wasm call and each host
// call, and by the signal handler) go through the file's TLS guard, a __tls_get_addr call.
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

namespace orca::runtime {

namespace {

constexpr size_t kAltStackSize = 64 * 1024;

// Frees the alternate signal stack we installed when the thread exits. Touched only by
// installAltStack, never by the signal handler.
struct AltStack {
  void* memory = nullptr;
  ~AltStack() {
    if (!memory) return;
    stack_t ss{};
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, nullptr);
    munmap(memory, kAltStackSize + static_cast<size_t>(getpagesize()));
  }
};
thread_local AltStack altStack;

}  // namespace

void installAltStack() {
  stack_t old{};
  if (sigaltstack(nullptr, &old) != 0 || !(old.ss_flags & SS_DISABLE)) return;
  size_t page = static_cast<size_t>(getpagesize());
  void* mem = mmap(nullptr, kAltStackSize + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;
  mprotect(mem, page, PROT_NONE);  // guard below the alternate stack
  stack_t ss{};
  ss.ss_sp = static_cast<char*>(mem) + page;
  ss.ss_size = kAltStackSize;
  ss.ss_flags = 0;
  if (sigaltstack(&ss, nullptr) == 0)
    altStack.memory = mem;
  else
    munmap(mem, kAltStackSize + page);
}

}  // namespace orca::runtime
