// poll_oneoff (poll.cpp).
#pragma once

#include <vector>

#include "context.h"

namespace orca::wasi {

struct Subscription {
  uint64_t userdata = 0;
  uint8_t type = 0;  // eventtype
  uint32_t clockId = 0;
  uint64_t timeout = 0, precision = 0;
  uint16_t clockFlags = 0;
  uint32_t fd = 0;
};

struct Event {
  uint64_t userdata = 0;
  Errno error = 0;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

// Waits until at least one subscription is satisfied and reports those that are.
Errno pollOneoff(Context& ctx, const std::vector<Subscription>& subs, std::vector<Event>* events);

// The maximum rights a descriptor of `filetype` can hold (context.cpp).
abi::Rights maxRightsFor(uint8_t filetype);

}  // namespace orca::wasi
