// Calls and traps: the trap boundary (a thread-local chain of sigjmp_buf), stack limits from the
// thread's real stack, the signal handlers (claim faults in JIT code, chain the rest), host calls
// and backtraces.
#include <pthread.h>
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>

#include "internal.h"
#include "orca/ir/stack_buffer.h"
#include "orca/jit/jit.h"

namespace orca::runtime {

namespace {

// --- Per-thread state ----------------------------------------------------------------------------

// Read by the signal handler, so it must be usable there on any thread: trivially constructed and
// destroyed (no TLS init function, which could allocate) and in the static TLS block (a dlopen'ed
// liborca must not allocate its TLS lazily inside a handler).
struct ThreadState {
  bool initialized;
  uintptr_t stackLow;    // lowest usable address of this thread's stack
  uintptr_t stackHigh;
  uintptr_t stackLimit;  // stackLow + safety margin: what wasm prologues compare against
  TrapBoundary* top;     // innermost trap boundary
  // The last foreign stack (a fiber's) that an entry ran on, as found in /proc/self/maps.
  uintptr_t foreignLow, foreignHigh, foreignLimit;
  // While a previous handler that we called runs: our frame and the fault it was called for
  // (handlers can form a cycle; see chainSignal). Stale when that handler longjmp'ed out.
  uintptr_t chainingFrame;
  uintptr_t chainingAddr;
};
__attribute__((tls_model("initial-exec"))) thread_local ThreadState tls;

// Keep room below the limit for host calls, the runtime's own trap path and libc: a quarter of
// the stack, at least 32 KiB and at most 256 KiB (and never more than half of it).
uintptr_t limitFor(uintptr_t low, uintptr_t high) {
  size_t size = high - low;
  size_t margin = std::clamp<size_t>(size / 4, 32 * 1024, 256 * 1024);
  return low + std::min(margin, size / 2);
}

// The mapping that holds `addr`, from /proc/self/maps. Fiber stacks (Ruby, PHP, boost.context)
// are mappings of their own with a guard page below, so this is the fiber's stack.
bool findMapping(uintptr_t addr, uintptr_t& low, uintptr_t& high) {
  FILE* maps = std::fopen("/proc/self/maps", "r");
  if (!maps) return false;
  char line[512];
  bool found = false;
  while (std::fgets(line, sizeof line, maps)) {
    unsigned long start = 0, end = 0;
    if (std::sscanf(line, "%lx-%lx", &start, &end) == 2 && addr >= start && addr < end) {
      low = start;
      high = end;
      found = true;
      break;
    }
  }
  std::fclose(maps);
  return found;
}

void initThread() {
  if (tls.initialized) return;
  tls.initialized = true;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
      tls.stackLow = reinterpret_cast<uintptr_t>(addr);
      tls.stackHigh = tls.stackLow + size;
    }
    pthread_attr_destroy(&attr);
  }
  if (tls.stackHigh) tls.stackLimit = limitFor(tls.stackLow, tls.stackHigh);
  installAltStack();
}

// --- Frames ---------------------------------------------------------------------------------------

bool pcInJit(Store* store, uintptr_t pc) {
  jit::Jit* j = store ? store->engine().jitIfCreated() : nullptr;
  return j && j->containsPc(pc);
}

// --- Signals --------------------------------------------------------------------------------------

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction gPrevious[NSIG];
std::mutex gSignalMutex;
std::atomic<uint64_t> gClaimedFaults{0};

// Runs the previous handler as the kernel would have: with its sa_mask (and the signal itself,
// unless it asked for SA_NODEFER) blocked for the duration.
template <typename Call>
void withPreviousMask(int sig, const struct sigaction& prev, Call call) {
  sigset_t mask = prev.sa_mask, old;
  if (!(prev.sa_flags & SA_NODEFER)) sigaddset(&mask, sig);
  pthread_sigmask(SIG_BLOCK, &mask, &old);
  call();
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void defaultAction(int sig, siginfo_t* info) {
  // Restore the default; a fault re-executes and takes it, a sent signal is re-raised.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  if (info->si_code <= 0) raise(sig);
}

void chainSignal(int sig, siginfo_t* info, void* uctx) {
  const struct sigaction& prev = gPrevious[sig];
  // A previous handler that saved ours as *its* previous one (or re-raises after restoring what
  // it found, which was us) brings the signal back here, nested in our own frame: take the
  // default action instead of cycling forever. Nesting is told by the frame address (a nested
  // delivery is deeper on the same stack) plus the fault (the same address, or a re-raise),
  // because a handler that longjmp'ed out leaves a stale record behind.
  auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  if (tls.chainingFrame && here < tls.chainingFrame && (info->si_code <= 0 || addr == tls.chainingAddr))
    return defaultAction(sig, info);
  uintptr_t savedFrame = tls.chainingFrame, savedAddr = tls.chainingAddr;
  tls.chainingFrame = here;
  tls.chainingAddr = addr;
  auto done = [&] {
    tls.chainingFrame = savedFrame;
    tls.chainingAddr = savedAddr;
  };
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) withPreviousMask(sig, prev, [&] { prev.sa_sigaction(sig, info, uctx); });
    return done();
  }
  if (prev.sa_handler == SIG_IGN) {
    // A fault the kernel raised cannot be ignored (it would re-execute forever): the default
    // action applies, as it would have without us. A signal sent by kill() is ignored.
    if (info->si_code <= 0) return done();
  } else if (prev.sa_handler != SIG_DFL) {
    withPreviousMask(sig, prev, [&] { prev.sa_handler(sig); });
    return done();
  }
  done();
  defaultAction(sig, info);
}

void signalHandler(int sig, siginfo_t* info, void* uctxRaw) {
  auto* uctx = static_cast<ucontext_t*>(uctxRaw);
#if defined(__x86_64__)
  uintptr_t pc = static_cast<uintptr_t>(uctx->uc_mcontext.gregs[REG_RIP]);
  uintptr_t fp = static_cast<uintptr_t>(uctx->uc_mcontext.gregs[REG_RBP]);
#elif defined(__aarch64__)
  uintptr_t pc = static_cast<uintptr_t>(uctx->uc_mcontext.pc);
  uintptr_t fp = static_cast<uintptr_t>(uctx->uc_mcontext.regs[29]);
#else
  uintptr_t pc = 0, fp = 0;
#endif
  TrapBoundary* b = tls.top;
  if (b && pc && pcInJit(b->store, pc)) {
    TrapCode code = TrapCode::MemoryOutOfBounds;
    uintptr_t addr = reinterpret_cast<uintptr_t>(info->si_addr);
    if (sig == SIGFPE) {
      code = info->si_code == FPE_INTOVF ? TrapCode::IntegerOverflow : TrapCode::IntegerDivideByZero;
    } else if (sig == SIGILL) {
      code = TrapCode::Unreachable;
    } else if (b->stackLow && addr < b->stackLimit && addr + (16u << 20) >= b->stackLow) {
      // A probe or push below the limit (a frame larger than the margin): the thread's stack.
      code = TrapCode::StackExhausted;
    }
    gClaimedFaults.fetch_add(1, std::memory_order_relaxed);
    b->code = static_cast<uint32_t>(code);
    b->pcCount = 0;
    b->pcs[b->pcCount++] = pc;
    b->firstPcIsReturnAddress = false;
    collectFrames(*b, fp);
    siglongjmp(b->buf, 1);
  }
  chainSignal(sig, info, uctxRaw);
}

bool gInstalled = false;

void installLocked() {
  for (int sig : kSignals) {
    struct sigaction sa {};
    sa.sa_sigaction = &signalHandler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    struct sigaction prev {};
    if (sigaction(sig, &sa, &prev) == 0 && !((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction == &signalHandler))
      gPrevious[sig] = prev;
  }
  gInstalled = true;
}

using EntryFn = void (*)(void* code, abi::VMContext* vmctx, RawValue* io);

// How precisely a backtrace names its frames.
enum class Locate : uint8_t {
  Instructions,  // each frame's instruction, inlined functions as frames of their own
  Functions,     // each frame's function at its start; reads no DWARF
};

// Appends the frames of one pc in `module`'s code: those its code's source map names (inlined
// functions first), or else (or with Locate::Functions) the function that starts closest below
// it, at its start.
void appendFrames(const Module& module, const Instance* instance, uintptr_t pc, uintptr_t lookupPc, Locate locate,
                  std::vector<Frame>& frames) {
  std::vector<jit::SourceFrame> located;
  if (locate == Locate::Instructions) located = module.loadedCode()->sourceFrames(lookupPc);
  if (located.empty()) {
    uint32_t index = module.functionAt(lookupPc);
    if (index == ~0u) return;
    located.push_back({index, 0});
  }
  const ir::Module& ir = module.ir();
  for (const jit::SourceFrame& at : located) {
    uint32_t defined = at.funcIndex - ir.importedFuncs();
    if (at.funcIndex < ir.importedFuncs() || defined >= ir.functions.size()) continue;
    uint32_t bodyStart = ir.functions[defined].bodyStart;
    Frame frame;
    frame.instance = instance;
    frame.funcIndex = at.funcIndex;
    frame.funcName = module.functionName(at.funcIndex);
    frame.pc = pc;
    frame.moduleOffset = std::max(at.moduleOffset, bodyStart);
    frame.funcOffset = frame.moduleOffset - bodyStart;
    frames.push_back(std::move(frame));
  }
}

// Symbolizes the raw pcs a trap recorded: which instance's module holds the pc, and which wasm
// frames its code stands for. A return address points after its call: the call is at pc - 1.
std::vector<Frame> symbolize(Store& store, const TrapBoundary& b, Locate locate) {
  std::vector<Frame> frames;
  for (uint32_t i = 0; i < b.pcCount; ++i) {
    uintptr_t pc = b.pcs[i];
    uintptr_t lookupPc = (i > 0 || b.firstPcIsReturnAddress) ? pc - 1 : pc;
    // The module whose code holds the pc; the instance only when one instance of it exists.
    const Module* module = nullptr;
    const Instance* owner = nullptr;
    int instances = 0;
    for (const auto& inst : RuntimeAccess::instances(store)) {
      const Module* m = &inst->module();
      if (!module) {
        if (!m->loadedCode() || !m->loadedCode()->containsPc(lookupPc)) continue;
        module = m;
      }
      if (m == module) {
        ++instances;
        owner = inst.get();
      }
    }
    if (!module) continue;
    appendFrames(*module, instances == 1 ? owner : nullptr, pc, lookupPc, locate, frames);
  }
  return frames;
}

}  // namespace

void ensureSignalHandlers() {
  std::lock_guard lock(gSignalMutex);
  if (!gInstalled) installLocked();
}

uint64_t claimedFaultCount() { return gClaimedFaults.load(std::memory_order_relaxed); }

void reinstallSignalHandlers() {
  std::lock_guard lock(gSignalMutex);
  installLocked();
}

TrapBoundary* currentBoundary() { return tls.top; }

void collectFrames(TrapBoundary& b, uintptr_t fp) {
  // Frame records are {saved fp, return address} on x86-64 and AArch64 alike. Runtime frames
  // (orca_rt_* called from wasm) may precede the first wasm frame; a non-JIT return address after
  // wasm frames is the entry trampoline's caller: stop there.
  bool seenJit = b.pcCount > 0;
  int skipped = 0;
  while (fp && b.pcCount < TrapBoundary::kMaxPcs) {
    if (fp % sizeof(void*) != 0) break;
    if (b.stackLow && (fp < b.stackLow || fp + 16 > b.stackHigh)) break;
    if (b.frameTop && fp >= b.frameTop) break;
    auto* record = reinterpret_cast<uintptr_t*>(fp);
    uintptr_t next = record[0];
    uintptr_t ret = record[1];
    if (pcInJit(b.store, ret - 1)) {
      seenJit = true;
      b.pcs[b.pcCount++] = ret;
    } else if (seenJit || ++skipped > 4) {
      break;
    }
    if (next <= fp) break;
    fp = next;
  }
}

[[noreturn]] void raiseTrap(TrapCode code, uintptr_t fp) {
  TrapBoundary* b = tls.top;
  if (!b) {
    std::fprintf(stderr, "orca: trap \"%s\" outside of any wasm call\n", trapMessage(code));
    std::abort();
  }
  b->code = static_cast<uint32_t>(code);
  b->pcCount = 0;
  b->firstPcIsReturnAddress = true;
  collectFrames(*b, fp);
  siglongjmp(b->buf, 1);
}

// The cold half of enterWasm, out of line to keep the call path's frame small.
__attribute__((noinline, cold)) Error trapped(Store& store, TrapBoundary& b) {
  auto trapCode = static_cast<TrapCode>(b.code);
  Trap trap;
  trap.code = trapCode;
  // A host function's failure brings its own message (also when it passes on a nested trap).
  bool hostMessage = trapCode == TrapCode::HostError || trapCode == TrapCode::Exit || !b.message.empty();
  trap.message = hostMessage ? std::move(b.message) : std::string(trapMessage(trapCode));
  trap.exitCode = b.exitCode;
  // An exit is how a program ends (Go's always calls proc_exit), not a fault to locate: its frames
  // name the functions only, because locating instructions reads the module's DWARF (the source
  // map), which would cost every run as much as linking the code.
  trap.frames = symbolize(store, b, trapCode == TrapCode::Exit ? Locate::Functions : Locate::Instructions);
  Error error = trapError(trapCode, trap.message, trap.exitCode);
  RuntimeAccess::setLastTrap(store, std::move(trap));
  return error;
}

__attribute__((noinline, cold)) void foreignStack(uintptr_t sp) {
  uintptr_t low = 0, high = 0;
  if (findMapping(sp, low, high)) {
    tls.foreignLow = low;
    tls.foreignHigh = high;
    tls.foreignLimit = limitFor(low, high);
  } else {
    // Unknown stack: allow 64 KiB below the entry rather than trapping every call.
    tls.foreignLow = sp - 64 * 1024;
    tls.foreignHigh = sp + 1;
    tls.foreignLimit = tls.foreignLow;
  }
}

// Kept out of line so that nothing of the caller lives in registers across sigsetjmp; all state
// that changes after it lives in the boundary, whose address escapes through tls.top.
__attribute__((noinline)) Status enterWasm(Store& store, void* entry, void* code, abi::VMContext* vmctx,
                                           RawValue* io) {
  if (__builtin_expect(!tls.initialized, 0)) initThread();
  abi::StoreContext& ctx = RuntimeAccess::context(store);
  TrapBoundary b;
  b.prev = tls.top;
  b.store = &store;
  b.frameTop = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  // The stack this entry runs on: the thread's, or a fiber's that the host switched to.
  uintptr_t sp = b.frameTop;
  if (sp >= tls.stackLow && sp < tls.stackHigh) {
    b.stackLow = tls.stackLow;
    b.stackHigh = tls.stackHigh;
    b.stackLimit = tls.stackLimit;
  } else {
    if (!(sp >= tls.foreignLow && sp < tls.foreignHigh)) foreignStack(sp);
    b.stackLow = tls.foreignLow;
    b.stackHigh = tls.foreignHigh;
    b.stackLimit = tls.foreignLimit;
  }
  uintptr_t savedLimit = ctx.stackLimit;
  ctx.stackLimit = b.stackLimit;
  tls.top = &b;
  if (sigsetjmp(b.buf, 0) == 0) {
    reinterpret_cast<EntryFn>(entry)(code, vmctx, io);
    tls.top = b.prev;
    ctx.stackLimit = savedLimit;
    return {};
  }
  TrapBoundary* self = tls.top;  // == &b
  tls.top = self->prev;
  ctx.stackLimit = savedLimit;
  return trapped(store, *self);
}

namespace {

// The Error of an exception a host function threw (called inside a catch handler).
Error thrownError() {
  try {
    throw;
  } catch (const std::exception& e) {
    return makeError(ErrorKind::Trap, std::string("host function threw an exception: ") + e.what());
  } catch (...) {
    return makeError(ErrorKind::Trap, "host function threw an exception");
  }
}

// Runs a HostCallback; the Error it returned or threw (as a message), or nothing.
std::optional<Error> invokeHost(Func& func, Instance* callerInstance, const RawValue* args,
                                RawValue* results) noexcept {
  try {
    Caller caller = HostCallAccess::makeCaller(func.store(), callerInstance);
    Status status = HostCallAccess::callback(func)(caller, args, results);
    if (!status) return status.takeError();
    return std::nullopt;
  } catch (...) {
    return thrownError();
  }
}

// Runs a RawHostCallback on `io` (arguments in, results out): null, or the token of its failure.
// An exception it throws passes on.
inline void* runRaw(Func& func, Instance* callerInstance, RawValue* io) {
  const auto& raw = HostCallAccess::raw(func);
  Caller caller = HostCallAccess::makeCaller(func.store(), callerInstance);
  return raw.callback(raw.env, caller, io, func.slots());
}

// A RawHostCallback called from the host: the Error it failed with or threw, or nothing.
std::optional<Error> invokeRaw(Func& func, RawValue* io) noexcept {
  try {
    void* token = runRaw(func, nullptr, io);
    if (!token) return std::nullopt;
    return HostCallAccess::raw(func).failure(token);
  } catch (...) {
    return thrownError();
  }
}

// What a failed host function traps with: an exit, a trap of a nested call it passes on (which
// keeps its code), or a host error.
TrapCode hostTrapCode(const Error& error) {
  if (error.kind == ErrorKind::Exit) return TrapCode::Exit;
  if ((error.kind == ErrorKind::Trap || error.kind == ErrorKind::Exhaustion) && error.trapCode >= 0 &&
      error.trapCode < static_cast<int32_t>(TrapCode::Count_))
    return static_cast<TrapCode>(error.trapCode);
  return TrapCode::HostError;
}

// A host function called from wasm failed: hands its message to the trap boundary (the trap
// longjmps there, past every destructor of the host call) and returns the code to trap with.
__attribute__((noinline, cold)) TrapCode hostCallFailed(Error&& failure) {
  TrapCode code = hostTrapCode(failure);
  if (TrapBoundary* b = currentBoundary()) {
    b->message = std::move(failure.message);
    b->exitCode = failure.exitCode;
  }
  return code;
}

// A HostCallback called from wasm: what it failed with, or TrapCode::Count_ when it succeeded.
// Results go back into the array from slot 0, so the callback reads a copy of the arguments.
__attribute__((noinline)) TrapCode callHostCallback(Func& func, Instance* callerInstance, RawValue* io) {
  size_t n = func.type().params.size();
  StackBuffer<RawValue, 8> args(n);
  std::copy(io, io + n, args.begin());
  std::optional<Error> failure = invokeHost(func, callerInstance, args.data(), io);
  return failure ? hostCallFailed(std::move(*failure)) : TrapCode::Count_;
}

// A host function called from the host failed: record the trap and return its Error.
Error hostFailed(Store& store, Error failure) {
  TrapCode code = hostTrapCode(failure);
  Error error = trapError(code, failure.message, failure.exitCode);
  RuntimeAccess::setLastTrap(store, Trap{code, std::move(failure.message), failure.exitCode, {}});
  return error;
}

}  // namespace

Status Func::call(std::span<const RawValue> args, std::span<RawValue> results) {
  if (args.size() != type_->params.size() || results.size() != type_->results.size())
    return makeError(ErrorKind::Invalid, "type mismatch: wrong number of arguments or results");
  size_t slots = std::max(args.size(), results.size());
  StackBuffer<RawValue, 16> buffer(slots);
  RawValue* io = buffer.data();
  std::copy(args.begin(), args.end(), io);
  if (isHost()) {
    StackBuffer<RawValue, 8> out(results.size());
    auto failure = raw_.callback ? invokeRaw(*this, io) : invokeHost(*this, nullptr, io, out.data());
    if (failure) return hostFailed(*store_, std::move(*failure));
    std::copy_n(raw_.callback ? io : out.data(), results.size(), results.begin());
    return {};
  }
  if (!record_.code || !entry_)
    return makeError(ErrorKind::Unsupported, "function has no compiled code (engine without a JIT)");
  ORCA_TRY(enterWasm(*store_, entry_, record_.code, record_.vmctx, io));
  std::copy(io, io + results.size(), results.begin());
  return {};
}

Status Func::callInPlace(RawValue* io) {
  // A wasm function enters with nothing else in this frame, so that the call is a jump.
  if (__builtin_expect(!isHost() && record_.code && entry_, 1))
    return enterWasm(*store_, entry_, record_.code, record_.vmctx, io);
  return callInPlaceOther(io);
}

Status Func::callInPlaceOther(RawValue* io) {
  if (!isHost()) return makeError(ErrorKind::Unsupported, "function has no compiled code (engine without a JIT)");
  if (raw_.callback) {
    if (auto failure = invokeRaw(*this, io)) return hostFailed(*store_, std::move(*failure));
    return {};
  }
  // A HostCallback reads its arguments from a copy (results overwrite the array).
  StackBuffer<RawValue, 8> args(type_->params.size());
  std::copy(io, io + type_->params.size(), args.begin());
  if (auto failure = invokeHost(*this, nullptr, args.data(), io)) return hostFailed(*store_, std::move(*failure));
  return {};
}

}  // namespace orca::runtime

using orca::TrapCode;
using namespace orca::runtime;

extern "C" {

[[noreturn]] void orca_rt_trap(orca::abi::VMContext* vmctx, uint32_t trapCode) {
  raiseTrap(static_cast<TrapCode>(trapCode), reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
}

[[noreturn]] void orca_rt_check_failed(orca::abi::VMContext* vmctx) {
  orca::abi::StoreContext* ctx = vmctx->store;
  uintptr_t frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  TrapCode code;
  // The exchange consumes the request, so that it ends one call only.
  if (ctx->interrupt.exchange(0, std::memory_order_relaxed) != 0) {
    code = TrapCode::Interrupted;
  } else if (ctx->fuel < 0) {
    code = TrapCode::OutOfFuel;
  } else if (frame < ctx->stackLimit) {
    code = TrapCode::StackExhausted;  // the failed prologue's stack pointer is just above us
  } else {
    // Nothing fails now, so the check saw an interrupt request that another thread withdrew
    // (Store::clearInterrupt) before we read it: the code already gave up, report what it saw.
    code = TrapCode::Interrupted;
  }
  raiseTrap(code, frame);
}

void orca_rt_host_call(orca::abi::VMContext* hostContext, orca::abi::RawValue* argsAndResults) {
  auto* context = reinterpret_cast<orca::runtime::detail::HostCallContext*>(hostContext);
  Func* func = context->func;
  TrapCode code;
  // Nothing with a destructor may be live at raiseTrap, which longjmps.
  if (__builtin_expect(HostCallAccess::raw(*func).callback != nullptr, 1)) {
    try {
      void* token = runRaw(*func, context->caller, argsAndResults);
      if (__builtin_expect(token == nullptr, 1)) return;
      code = hostCallFailed(HostCallAccess::raw(*func).failure(token));
    } catch (...) {
      code = hostCallFailed(thrownError());
    }
  } else {
    code = callHostCallback(*func, context->caller, argsAndResults);
    if (code == TrapCode::Count_) return;
  }
  raiseTrap(code, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
}

}  // extern "C"
