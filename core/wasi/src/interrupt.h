// Blocking host calls that a store interruption (orca_store_interrupt, a deadline) can end.
// A guest waiting in poll_oneoff, or reading a pipe, socket or terminal, is inside a host
// function where no interruption check of compiled code runs; these waits look at the store's
// interrupt flag every few milliseconds and give up with EINTR (poll_oneoff: returns what it has)
// so that the guest reaches its next check and traps "interrupted". The flag is not consumed here.
#pragma once

#include <atomic>
#include <cstdint>

#include "abi.h"

namespace orca::wasi {

// The interrupt flag of the store whose host call runs on this thread (null outside one).
class InterruptScope {
 public:
  explicit InterruptScope(const std::atomic<uint64_t>* flag);
  ~InterruptScope();

 private:
  const std::atomic<uint64_t>* previous_;
};

bool interruptRequested();

// Waits until `fd` is readable (or writable), the peer hung up, or the store is interrupted
// (EINTR). Returns at once for a descriptor in non-blocking mode.
abi::Errno waitReady(int fd, bool forWrite);

// How often blocking waits look at the flag.
constexpr int kInterruptPollMs = 20;

}  // namespace orca::wasi
