// poll_oneoff on Boost.Asio: host descriptors that can block (sockets, pipes, terminals) are
// waited on with posix::stream_descriptor::async_wait, the earliest clock with a steady_timer,
// both on one io_context run on the calling thread. What is known to be ready without waiting
// (regular files, the in-memory filesystem, byte streams, expired clocks, bad descriptors) is
// reported at once, together with whatever host descriptor is ready at that moment.
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <optional>

#include "interrupt.h"
#include "poller.h"

namespace orca::wasi {

using namespace abi;
namespace asio = boost::asio;

namespace {

using Steady = std::chrono::steady_clock;

// When a clock subscription fires, on the steady clock.
Errno deadlineOf(const Subscription& s, Steady::time_point now, Steady::time_point* out) {
  uint64_t current = 0;
  if (Errno e = clockTime(s.clockId, &current)) return e;
  uint64_t wait = s.timeout;
  if (s.clockFlags & kSubclockAbstime) wait = s.timeout > current ? s.timeout - current : 0;
  // Saturate far deadlines (a guest may wait "forever" with UINT64_MAX).
  constexpr uint64_t kMaxWait = uint64_t(365) * 24 * 3600 * 1'000'000'000ull * 100;
  if (wait > kMaxWait) wait = kMaxWait;
  *out = now + std::chrono::nanoseconds(int64_t(wait));
  return kSuccess;
}

void fdEvent(int fd, bool forWrite, Event* ev) {
  if (!forWrite) {
    int avail = 0;
    if (::ioctl(fd, FIONREAD, &avail) == 0 && avail > 0) ev->nbytes = uint64_t(avail);
  }
  struct pollfd p {fd, short(forWrite ? POLLOUT : POLLIN), 0};
  if (::poll(&p, 1, 0) == 1 && (p.revents & POLLHUP)) ev->flags |= kEventFdReadwriteHangup;
}

}  // namespace

Errno pollOneoff(Context& ctx, const std::vector<Subscription>& subs, std::vector<Event>* events) {
  asio::io_context io;
  Steady::time_point now = Steady::now();
  std::optional<Steady::time_point> earliest;
  std::vector<Steady::time_point> deadlines(subs.size());
  std::vector<std::unique_ptr<asio::posix::stream_descriptor>> waits;
  std::vector<bool> reported(subs.size(), false);

  auto report = [&](size_t i, Event ev) {
    if (reported[i]) return;
    reported[i] = true;
    ev.userdata = subs[i].userdata;
    ev.type = subs[i].type;
    events->push_back(ev);
  };

  for (size_t i = 0; i < subs.size(); i++) {
    const Subscription& s = subs[i];
    if (s.type == kEventClock) {
      Errno e = deadlineOf(s, now, &deadlines[i]);
      if (e) {
        report(i, Event{0, e});
        continue;
      }
      if (deadlines[i] <= now) {
        report(i, Event{});
        continue;
      }
      if (!earliest || deadlines[i] < *earliest) earliest = deadlines[i];
      continue;
    }
    bool forWrite = s.type == kEventFdWrite;
    FdEntry* entry = ctx.get(s.fd);
    if (!entry) {
      report(i, Event{0, kBadf});
      continue;
    }
    if (!(entry->base & kRightPollFdReadwrite)) {  // the right the spec names for fd subscriptions
      report(i, Event{0, kNotcapable});
      continue;
    }
    PollSource src = entry->desc->pollSource(forWrite);
    if (src.hostFd < 0) {
      if (src.ready) {
        Event ev;
        ev.nbytes = src.nbytes;
        report(i, ev);
      }
      continue;
    }
    int dupFd = ::dup(src.hostFd);
    if (dupFd < 0) {
      report(i, Event{0, fromHostErrno(errno)});
      continue;
    }
    auto sd = std::make_unique<asio::posix::stream_descriptor>(io);
    boost::system::error_code ec;
    sd->assign(dupFd, ec);
    if (ec) {
      // Not pollable by epoll (/dev/null, a regular file behind stdin): always ready.
      ::close(dupFd);
      Event ev;
      if (!forWrite) fdEvent(src.hostFd, false, &ev);
      report(i, ev);
      continue;
    }
    int hostFd = src.hostFd;
    sd->async_wait(forWrite ? asio::posix::stream_descriptor::wait_write : asio::posix::stream_descriptor::wait_read,
                   [&, i, hostFd, forWrite](const boost::system::error_code& err) {
                     if (err == asio::error::operation_aborted) return;
                     Event ev;
                     if (err) ev.error = fromHostErrno(err.value());
                     else fdEvent(hostFd, forWrite, &ev);
                     report(i, ev);
                   });
    waits.push_back(std::move(sd));
  }

  asio::steady_timer timer(io);
  if (events->empty() && earliest) {
    timer.expires_at(*earliest);
    timer.async_wait([&](const boost::system::error_code& err) {
      if (err) return;
      Steady::time_point t = Steady::now();
      for (size_t i = 0; i < subs.size(); i++)
        if (subs[i].type == kEventClock && !reported[i] && deadlines[i] <= t) report(i, Event{});
    });
  }
  // An interruption of the store ends the wait with what has happened so far (perhaps nothing),
  // so that the guest reaches its next check; a tick looks at the flag.
  asio::steady_timer tick(io);
  bool interrupted = false;
  std::function<void(const boost::system::error_code&)> onTick = [&](const boost::system::error_code& err) {
    if (err) return;
    if (interruptRequested()) {
      interrupted = true;
      return;
    }
    tick.expires_after(std::chrono::milliseconds(kInterruptPollMs));
    tick.async_wait(onTick);
  };
  if (events->empty()) {
    if (waits.empty() && !earliest) return kSuccess;  // nothing can ever happen
    if (interruptRequested()) return kSuccess;
    tick.expires_after(std::chrono::milliseconds(kInterruptPollMs));
    tick.async_wait(onTick);
    while (events->empty() && !interrupted && io.run_one() > 0) {
    }
  }
  io.poll();  // whatever else is ready now
  return kSuccess;
}

}  // namespace orca::wasi
