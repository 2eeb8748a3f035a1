#include "interrupt.h"

#include <fcntl.h>
#include <poll.h>

#include <cerrno>

namespace orca::wasi {

namespace {
thread_local const std::atomic<uint64_t>* tInterrupt = nullptr;
}

InterruptScope::InterruptScope(const std::atomic<uint64_t>* flag) : previous_(tInterrupt) { tInterrupt = flag; }
InterruptScope::~InterruptScope() { tInterrupt = previous_; }

// Relaxed, as every access to the flag (abi.h): it publishes no other data.
bool interruptRequested() { return tInterrupt && tInterrupt->load(std::memory_order_relaxed) != 0; }

abi::Errno waitReady(int fd, bool forWrite) {
  if (!tInterrupt) return abi::kSuccess;  // nothing could interrupt: let the call block
  int fl = ::fcntl(fd, F_GETFL);
  if (fl < 0 || (fl & O_NONBLOCK)) return abi::kSuccess;
  for (;;) {
    if (interruptRequested()) return abi::kIntr;
    struct pollfd p {fd, short(forWrite ? POLLOUT : POLLIN), 0};
    int r = ::poll(&p, 1, kInterruptPollMs);
    if (r > 0) return abi::kSuccess;  // ready, hung up or in error: the call itself will tell
    if (r < 0 && errno != EINTR) return abi::kSuccess;
  }
}

}  // namespace orca::wasi
