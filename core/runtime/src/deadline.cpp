// Store deadlines: one process-wide Boost.Asio timer thread interrupts stores whose deadline
// passed. Every timer operation runs on that thread (posted to it), because an Asio timer object
// may not be used from two threads at once; a store only ever touches its slot under the slot's
// mutex. The slot is made with its store, so that threads setting deadlines at once share one,
// and lives on while a posted operation or a timer still holds it.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <mutex>
#include <thread>

#include "internal.h"

namespace orca::runtime {

namespace detail {
struct DeadlineSlot {
  std::mutex mutex;
  Store* store = nullptr;   // null once the store is destroyed
  uint64_t generation = 0;  // of the newest deadline (0: none yet); older requests do nothing
  std::unique_ptr<boost::asio::steady_timer> timer;  // used on the timer thread only
};
}  // namespace detail

namespace {

class TimerThread {
 public:
  // Created on first use and never destroyed: the thread must outlive every store, including
  // stores destroyed by static destructors at exit.
  static TimerThread& instance() {
    static TimerThread* timers = new TimerThread();
    return *timers;
  }
  boost::asio::io_context& io() { return io_; }

 private:
  TimerThread() : work_(io_.get_executor()) {
    std::thread([this] { io_.run(); }).detach();
  }
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
};

}  // namespace

std::shared_ptr<detail::DeadlineSlot> newDeadlineSlot(Store& store) {
  auto slot = std::make_shared<detail::DeadlineSlot>();
  slot->store = &store;
  return slot;
}

void Store::setDeadline(std::chrono::nanoseconds timeout) {
  uint64_t generation;
  {
    std::lock_guard lock(deadline_->mutex);
    generation = ++deadline_->generation;
  }
  auto& io = TimerThread::instance().io();
  boost::asio::post(io, [slot = deadline_, generation, timeout, &io] {
    {
      // Threads that set deadlines at once post them in any order: the newest generation wins,
      // and an older request arriving after it must not replace its timer.
      std::lock_guard lock(slot->mutex);
      if (slot->generation != generation) return;
    }
    if (!slot->timer) slot->timer = std::make_unique<boost::asio::steady_timer>(io);
    slot->timer->cancel();
    if (timeout.count() <= 0) return;
    slot->timer->expires_after(timeout);
    slot->timer->async_wait([slot, generation](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled: replaced, cleared, or the store is gone
      std::lock_guard lock(slot->mutex);
      if (slot->store && slot->generation == generation) slot->store->interrupt();
    });
  });
}

void cancelDeadline(const std::shared_ptr<detail::DeadlineSlot>& slot) {
  bool everSet;
  {
    std::lock_guard lock(slot->mutex);
    slot->store = nullptr;
    everSet = slot->generation != 0;
  }
  // A store that never had a deadline has no timer, and must not start the timer thread.
  if (!everSet) return;
  boost::asio::post(TimerThread::instance().io(), [slot] {
    if (slot->timer) slot->timer->cancel();
  });
}

}  // namespace orca::runtime
