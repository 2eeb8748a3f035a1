// Interruption and deadlines from other threads: a store interrupted, cleared and given deadlines
// while it runs an interruptible loop, deadlines set by several threads at once, and deadlines
// firing while their stores are destroyed. In every build these check what a caller sees (the
// trap's message, that no deadline is lost); ci/test.sh also runs them under ThreadSanitizer
// (`ctest -L interrupt` in build-tsan), where any data race on the interrupt flag or on the
// deadline machinery fails the run.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;
using Clock = std::chrono::steady_clock;

namespace {

Engine& interruptibleEngine() {
  static std::unique_ptr<Engine> engine = [] {
    EngineConfig config;
    config.compile.interruptible = true;
    auto e = Engine::create(config);
    REQUIRE(e.ok());
    return std::move(*e);
  }();
  return *engine;
}

// "spin" loops until interrupted; "count" runs a bounded loop of interruption checks.
std::shared_ptr<const Module> loopModule() {
  static std::shared_ptr<const Module> module = compileWat(interruptibleEngine(), R"((module
    (func (export "spin") (loop $l br $l))
    (func (export "count") (param i32) (result i32)
      (loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l) local.get 0)))");
  return module;
}

// One store with an instance of loopModule().
struct LoopStore {
  Store store{interruptibleEngine()};
  Instance* instance = nullptr;

  LoopStore() {
    // doctest puts its crash handlers in front of Orca's around every test case.
    reinstallSignalHandlers();
    auto i = store.instantiate(loopModule(), {});
    REQUIRE_MESSAGE(i.ok(), (i.ok() ? "" : i.error().describe()));
    instance = *i;
  }

  // The call's outcome: "ok" or the trap's message.
  std::string run(std::string_view name, std::vector<RawValue> args = {}) {
    Func* f = instance->exportByName(name)->func();
    std::vector<RawValue> results(f->type().results.size());
    Status s = f->call(args, results);
    return s.ok() ? "ok" : s.error().message;
  }
};

}  // namespace

TEST_CASE("interrupt: another thread interrupts a running loop, round after round") {
  LoopStore s;
  constexpr int kRounds = 200;
  std::atomic<int> started{-1};
  std::thread interrupter([&] {
    for (int round = 0; round < kRounds; ++round) {
      while (started.load(std::memory_order_acquire) < round) std::this_thread::yield();
      s.store.interrupt();
    }
  });
  int interrupted = 0;
  for (int round = 0; round < kRounds; ++round) {
    started.store(round, std::memory_order_release);
    if (s.run("spin") == "interrupted") ++interrupted;
  }
  interrupter.join();
  CHECK(interrupted == kRounds);
  // Every request was consumed by the trap it caused: the next call runs to its end.
  CHECK(s.run("count", {i32(1000)}) == "ok");
}

TEST_CASE("interrupt: a request withdrawn while a check sees it still traps as an interruption") {
  LoopStore s;
  std::atomic<bool> done{false};
  std::thread flipper([&] {
    while (!done.load(std::memory_order_relaxed)) {
      s.store.interrupt();
      s.store.clearInterrupt();
    }
  });
  // A check that saw the flag set calls the runtime, which must not take a request withdrawn in
  // the meantime for an exhausted stack or fuel. At least 400 ms, and on a busy machine until a
  // flip has reached running code at least once (10 s at most).
  int calls = 0, interrupted = 0, misreported = 0;
  auto start = Clock::now();
  auto elapsed = [&] { return Clock::now() - start; };
  while ((elapsed() < std::chrono::milliseconds(400) || interrupted == 0) && elapsed() < std::chrono::seconds(10)) {
    std::string outcome = s.run("count", {i32(20000)});
    ++calls;
    if (outcome == "interrupted") ++interrupted;
    else if (outcome != "ok") ++misreported;
  }
  done = true;
  flipper.join();
  MESSAGE(calls << " calls, " << interrupted << " interrupted");
  CHECK(misreported == 0);
  CHECK(interrupted > 0);  // the flips did reach running code
}

TEST_CASE("deadline: threads setting deadlines on a new store at once lose none") {
  constexpr int kRounds = 40, kSetters = 3;
  int late = 0;
  for (int round = 0; round < kRounds; ++round) {
    LoopStore s;
    std::atomic<int> ready{0};
    std::vector<std::thread> setters;
    for (int t = 0; t < kSetters; ++t)
      setters.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < kSetters) std::this_thread::yield();
        s.store.setDeadline(std::chrono::milliseconds(2));
      });
    for (auto& t : setters) t.join();
    // Whichever setter came last, its 2 ms deadline must fire; a lost one leaves the loop to the
    // watchdog's interruption, seconds later.
    std::atomic<bool> finished{false};
    std::thread watchdog([&] {
      auto giveUp = Clock::now() + std::chrono::seconds(3);
      while (!finished.load() && Clock::now() < giveUp) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (!finished.load()) s.store.interrupt();
    });
    auto start = Clock::now();
    std::string outcome = s.run("spin");
    auto took = Clock::now() - start;
    finished = true;
    watchdog.join();
    CHECK(outcome == "interrupted");
    if (took > std::chrono::seconds(2)) ++late;
  }
  CHECK(late == 0);
}

TEST_CASE("deadline: a store's deadlines and interrupt_clear from another thread while it runs") {
  LoopStore s;
  std::atomic<bool> done{false};
  std::thread setter([&] {
    for (int i = 0; !done.load(std::memory_order_relaxed); ++i) {
      s.store.setDeadline(std::chrono::microseconds(50 + i % 200));
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      s.store.clearInterrupt();
    }
  });
  int misreported = 0;
  for (int i = 0; i < 300; ++i) {
    std::string outcome = s.run("count", {i32(20000)});
    if (outcome != "ok" && outcome != "interrupted") ++misreported;
  }
  done = true;
  setter.join();
  CHECK(misreported == 0);
}

TEST_CASE("deadline: stores destroyed while their deadlines fire") {
  // Each store is destroyed around the moment its deadline fires, by a thread other than the one
  // that set it; the timer thread must never touch a store that is gone.
  for (int round = 0; round < 300; ++round) {
    auto s = std::make_unique<LoopStore>();
    s->store.setDeadline(std::chrono::microseconds(round % 100));
    std::thread destroyer([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(round % 97));
      s.reset();
    });
    destroyer.join();
  }
  // The timer thread survived all of it and still serves deadlines.
  LoopStore last;
  last.store.setDeadline(std::chrono::milliseconds(1));
  CHECK(last.run("spin") == "interrupted");
}
