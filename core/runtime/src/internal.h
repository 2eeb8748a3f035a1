// Runtime internals shared by the source files of core/runtime.
#pragma once

#include <csetjmp>
#include <cstdint>
#include <string>

#include "orca/runtime/runtime.h"

namespace orca::runtime {

// One host-to-wasm entry on this thread. Entries nest (host -> wasm -> host -> wasm), each
// pushes one; traps longjmp to the innermost.
struct TrapBoundary {
  sigjmp_buf buf;
  TrapBoundary* prev = nullptr;
  Store* store = nullptr;
  uintptr_t frameTop = 0;  // frame address of the entering function: wasm frames lie below
  uintptr_t stackLow = 0;  // bounds of the stack this entry runs on (the thread's or a fiber's)
  uintptr_t stackHigh = 0;
  uintptr_t stackLimit = 0;
  uint32_t code = 0;       // TrapCode
  std::string message;     // host error message (TrapCode::HostError, TrapCode::Exit)
  int32_t exitCode = 0;    // TrapCode::Exit
  static constexpr uint32_t kMaxPcs = 64;
  uintptr_t pcs[kMaxPcs];
  uint32_t pcCount = 0;
  bool firstPcIsReturnAddress = true;
};

TrapBoundary* currentBoundary();

// Records the wasm frames starting at frame pointer `fp` (async-signal-safe).
void collectFrames(TrapBoundary& boundary, uintptr_t fp);

// Longjmps to the innermost boundary with `code`; aborts if there is none.
[[noreturn]] void raiseTrap(TrapCode code, uintptr_t fp);

// How many faults the signal handler claimed as traps so far (tests and diagnostics).
uint64_t claimedFaultCount();

// Gives the calling thread an alternate signal stack (freed when the thread exits) unless it has
// one: a stack overflow fault cannot run its handler on the overflowed stack.
void installAltStack();

// Installs the SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers once per process.
void ensureSignalHandlers();

// Calls `entry(code, vmctx, io)` inside a trap boundary and turns a trap into an Error.
Status enterWasm(Store& store, void* entry, void* code, abi::VMContext* vmctx, RawValue* io);

// Evaluates a constant expression of a module being instantiated.
RawValue evalConstExpr(const ir::InstrSeq& expr, const Instance& instance);

// The deadline slot of a new store (no timer yet: the timer thread starts with the first deadline).
std::shared_ptr<detail::DeadlineSlot> newDeadlineSlot(Store& store);
// Detaches a store's deadline from the store (which is going away) and cancels its timer.
void cancelDeadline(const std::shared_ptr<detail::DeadlineSlot>& slot);

struct RuntimeAccess {
  static Instance& instance(abi::VMContext* vmctx) { return *static_cast<Instance*>(vmctx->instance); }
  static std::vector<std::vector<void*>>& elems(Instance& i) { return i.elems_; }
  static bool& marked(Instance& i) { return i.marked_; }
  static std::vector<bool>& dataDropped(Instance& i) { return i.dataDropped_; }
  static const std::vector<std::unique_ptr<Instance>>& instances(Store& s) { return s.instances_; }
  static void setLastTrap(Store& s, Trap trap) { s.lastTrap_ = std::move(trap); }
  static abi::StoreContext& context(Store& s) { return s.context_; }
};

struct HostCallAccess {
  static Caller makeCaller(Store& store, Instance* instance) { return Caller(store, instance); }
  static HostCallback& callback(Func& f) { return f.callback_; }
  static const Func::RawHost& raw(const Func& f) { return f.raw_; }
};

// The Error a call returns for a trap: ErrorKind::Exhaustion for "call stack exhausted",
// ErrorKind::Exit for TrapCode::Exit, ErrorKind::Trap otherwise.
Error trapError(TrapCode code, const std::string& message, int32_t exitCode = 0);

}  // namespace orca::runtime

extern "C" {
// Where a call of a lazily loaded function lands when the function failed to compile (ORC jumps
// here with the call's arguments, so the first is the callee's VMContext): traps with the reason.
[[noreturn]] void orca_rt_lazy_compile_failed(orca::abi::VMContext* vmctx);
}
