// LLJIT with JITLink: every loaded module gets its own JITDylib (so two instances of the same
// symbol names coexist) linked against one JITDylib holding the runtime functions as absolute
// symbols. A JITLink plugin records the executable ranges of every linked graph in a fixed-size
// table that the signal handler reads without locks.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <thread>

#include <llvm/ExecutionEngine/JITLink/EHFrameSupport.h>
#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/EPCEHFrameRegistrar.h>
#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/IndirectionUtils.h>
#include <llvm/ExecutionEngine/Orc/LazyReexports.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectFileInterface.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/IR/DataLayout.h>

#include "lazy.h"
#include "orca/jit/jit.h"
#include "source_map.h"

namespace orca::jit {

namespace {

// ORC failing to set up, read or link the objects Orca's compiler made is a bug in Orca (or damage
// to an artifact, which the runtime says when it loads one), never a feature that is missing.
Error jitError(llvm::Error e) {
  return makeError(ErrorKind::Internal, "jit: " + llvm::toString(std::move(e)));
}

// Executable ranges of all loaded code. Writers hold `mutex`; readers (the signal handler) only
// load atomics. An empty slot has start == UINTPTR_MAX and end == 0; a writer publishes `end`
// before `start` and retires `start` before `end`, so a reader that sees a matching start sees
// its end.
class CodeRanges {
 public:
  // One slot per linked object (a module has one per compile partition plus one).
  static constexpr size_t kCapacity = 16384;

  CodeRanges() {
    for (auto& s : slots_) {
      s.start.store(UINTPTR_MAX, std::memory_order_relaxed);
      s.end.store(0, std::memory_order_relaxed);
      s.owner.store(0, std::memory_order_relaxed);
    }
  }

  bool add(uintptr_t start, uintptr_t end, uintptr_t owner) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& s : slots_) {
      if (s.owner.load(std::memory_order_relaxed) != 0) continue;
      s.owner.store(owner, std::memory_order_relaxed);
      s.end.store(end, std::memory_order_release);
      s.start.store(start, std::memory_order_release);
      size_t index = static_cast<size_t>(&s - slots_.data());
      if (index >= used_.load(std::memory_order_relaxed)) used_.store(index + 1, std::memory_order_release);
      return true;
    }
    return false;
  }

  void removeOwner(uintptr_t owner) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& s : slots_) {
      if (s.owner.load(std::memory_order_relaxed) != owner) continue;
      s.start.store(UINTPTR_MAX, std::memory_order_release);
      s.end.store(0, std::memory_order_release);
      s.owner.store(0, std::memory_order_release);
    }
  }

  // Async-signal-safe: atomics only. owner == 0 matches every owner.
  bool contains(uintptr_t pc, uintptr_t owner = 0) const {
    size_t used = used_.load(std::memory_order_acquire);
    for (size_t i = 0; i < used; ++i) {
      const Slot& s = slots_[i];
      uintptr_t start = s.start.load(std::memory_order_acquire);
      if (pc < start) continue;
      uintptr_t end = s.end.load(std::memory_order_acquire);
      if (pc >= end) continue;
      if (owner == 0 || s.owner.load(std::memory_order_acquire) == owner) return true;
    }
    return false;
  }

 private:
  struct Slot {
    std::atomic<uintptr_t> start;
    std::atomic<uintptr_t> end;
    std::atomic<uintptr_t> owner;  // the JITDylib's address; 0 = free
  };
  static_assert(std::atomic<uintptr_t>::is_always_lock_free);
  std::array<Slot, kCapacity> slots_;
  std::atomic<size_t> used_{0};
  std::mutex mutex_;
};

// Sees every linked graph after allocation and records its executable sections.
class CodeRangePlugin : public llvm::orc::ObjectLinkingLayer::Plugin {
 public:
  explicit CodeRangePlugin(CodeRanges& ranges) : ranges_(ranges) {}

  void modifyPassConfig(llvm::orc::MaterializationResponsibility& mr, llvm::jitlink::LinkGraph&,
                        llvm::jitlink::PassConfiguration& config) override {
    uintptr_t owner = reinterpret_cast<uintptr_t>(&mr.getTargetJITDylib());
    config.PostAllocationPasses.push_back([this, owner](llvm::jitlink::LinkGraph& g) -> llvm::Error {
      // One range per graph, spanning its executable sections (they share one segment).
      uintptr_t start = UINTPTR_MAX;
      uintptr_t end = 0;
      for (auto& sec : g.sections()) {
        if ((static_cast<unsigned>(sec.getMemProt()) & static_cast<unsigned>(llvm::orc::MemProt::Exec)) == 0) continue;
        llvm::jitlink::SectionRange range(sec);
        if (range.empty()) continue;
        start = std::min<uintptr_t>(start, range.getStart().getValue());
        end = std::max<uintptr_t>(end, range.getEnd().getValue());
      }
      if (start < end && !ranges_.add(start, end, owner)) {
        return llvm::make_error<llvm::StringError>("too many loaded code ranges",
                                                   llvm::inconvertibleErrorCode());
      }
      return llvm::Error::success();
    });
  }
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility&) override {
    return llvm::Error::success();
  }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey) override {
    return llvm::Error::success();
  }
  void notifyTransferringResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey,
                                   llvm::orc::ResourceKey) override {}

 private:
  CodeRanges& ranges_;
};

// Shared by the Jit and every LoadedCode, so code can outlive the Jit object that loaded it.
struct State {
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  llvm::orc::ObjectLinkingLayer* objectLayer = nullptr;  // lljit's
  llvm::orc::JITDylib* runtime = nullptr;
  CodeRanges ranges;
  std::mutex mutex;  // serialises JITDylib creation and removal
  uint64_t nextId = 0;
  // For loadLazy: the reentry trampolines every stub starts at, and a maker of stub sets.
  std::unique_ptr<llvm::orc::LazyCallThroughManager> callThrough;
  std::function<std::unique_ptr<llvm::orc::IndirectStubsManager>()> makeStubs;
  std::unique_ptr<CompileThreads> compileThreads;
  // Tier-ups: a pool of its own, so that a guest waiting for a first-call compile never waits
  // behind an optimising one.
  std::unique_ptr<CompileThreads> optimizeThreads;
  std::shared_ptr<TierCounters> tierCounters = std::make_shared<TierCounters>();
};

class LoadedCodeImpl final : public LoadedCode, public std::enable_shared_from_this<LoadedCodeImpl> {
 public:
  LoadedCodeImpl(std::shared_ptr<State> state, llvm::orc::JITDylib* jd,
                 std::shared_ptr<const compile::CompiledModule> compiled)
      : compiled_(std::move(compiled)), state_(std::move(state)), jd_(jd) {}
  ~LoadedCodeImpl() override {
    // A tier-up still queued finds the code gone; one compiling is waited for.
    if (lazy_) lazy_->retire();
    for (llvm::orc::JITDylib* jd : {jd_, lazyJd_, optimizedJd_})
      if (jd) state_->ranges.removeOwner(reinterpret_cast<uintptr_t>(jd));
    std::lock_guard<std::mutex> lock(state_->mutex);
    auto& es = state_->lljit->getExecutionSession();
    for (llvm::orc::JITDylib* jd : {jd_, lazyJd_, optimizedJd_})
      if (jd) llvm::consumeError(es.removeJITDylib(*jd));
  }
  void* lookup(const std::string& symbol) const override {
    auto it = symbols_.find(symbol);
    return it == symbols_.end() ? nullptr : it->second;
  }
  bool containsPc(uintptr_t pc) const override {
    for (llvm::orc::JITDylib* jd : {jd_, lazyJd_, optimizedJd_})
      if (jd && state_->ranges.contains(pc, reinterpret_cast<uintptr_t>(jd))) return true;
    return false;
  }
  std::vector<SourceFrame> sourceFrames(uintptr_t pc) const override {
    // Reading the DWARF of a large module costs as much as linking it: done on the first
    // backtrace, which most modules never take.
    std::call_once(sourceMapRead_, [this] {
      for (const auto& bytes : compiled_->objects)
        addObjectRows(sourceMap_, bytes, [this](const std::string& name) { return lookup(name); });
      sourceMap_.finish();
    });
    std::vector<SourceFrame> frames = sourceMap_.lookup(pc);
    if (frames.empty() && lazy_) frames = lazy_->sourceFrames(pc, [this](const std::string& symbol) {
      return lazyAddress(symbol);
    });
    return frames;
  }
  std::string lazyCompileError() const override { return lazy_ ? lazy_->lastError() : std::string(); }

  // Where a lazily compiled function was linked (it is, or was being, linked: no compile).
  void* lazyAddress(const std::string& symbol) const {
    auto& es = state_->lljit->getExecutionSession();
    auto found = es.lookup(llvm::orc::makeJITDylibSearchOrder(lazyJd_), es.intern(symbol));
    if (!found) {
      llvm::consumeError(found.takeError());
      return nullptr;
    }
    return found->getAddress().toPtr<void*>();
  }

  // Called by baseline code (compile::TierCounting::tierUp, `owner` this code) on the guest's
  // thread when a function's count reaches the threshold: queues its optimising compile once
  // and returns at once. The count starts again, so baseline code still in use after the
  // tier-up comes back here: either a frame that was running when the stub was repointed (it
  // finds the stub right), or a call through a stub that ORC's first-call resolver pointed back
  // at the baseline code after the tier-up (a thread that resolved the first call and was
  // preempted before updating the stub), which this repairs.
  static void tierUpRequested(void* owner, uint32_t funcIndex) {
    auto* code = static_cast<LoadedCodeImpl*>(owner);
    code->lazy_->restartCount(funcIndex);
    if (void* optimized = code->lazy_->optimizedCode(funcIndex)) {
      llvm::consumeError(code->stubs_->updatePointer("orca_func_" + std::to_string(funcIndex),
                                                     llvm::orc::ExecutorAddr::fromPtr(optimized)));
      return;
    }
    if (!code->lazy_->claimTierUp(funcIndex)) return;
    code->state_->optimizeThreads->post(
        [weakCode = code->weak_from_this(), weakLazy = std::weak_ptr<LazyFunctions>(code->lazy_), funcIndex] {
          // Holds only the functions while compiling, so that the module can go meanwhile
          // (LazyFunctions::retire makes a later compile fail); then the code, to link into it.
          auto lazy = weakLazy.lock();
          if (!lazy) return;
          auto object = lazy->compile(funcIndex, compile::Tier::Optimized);
          if (!object) return;
          if (auto code = weakCode.lock()) code->installOptimized(funcIndex, std::move(*object));
        });
  }

  // Links the optimised object of `funcIndex` and points the function's stub at it. The stub is
  // `jmp *slot(%rip)` and updatePointer one aligned 8-byte store to the slot, which x86-64 makes
  // atomic: a thread calling meanwhile jumps to either tier, both of which are complete.
  void installOptimized(uint32_t funcIndex, std::vector<uint8_t> object) {
    std::string symbol = "orca_func_" + std::to_string(funcIndex);
    auto& es = state_->lljit->getExecutionSession();
    auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
        llvm::StringRef(reinterpret_cast<const char*>(object.data()), object.size()), symbol);
    if (auto err = state_->objectLayer->add(*optimizedJd_, std::move(buffer))) return llvm::consumeError(std::move(err));
    auto found = es.lookup(llvm::orc::makeJITDylibSearchOrder(optimizedJd_), es.intern(symbol));
    if (!found) return llvm::consumeError(found.takeError());
    // Backtraces must know the code before anything runs it.
    lazy_->compiled(symbol, std::move(object), found->getAddress().toPtr<void*>());
    lazy_->setOptimizedCode(funcIndex, found->getAddress().toPtr<void*>());
    if (auto err = stubs_->updatePointer(symbol, found->getAddress())) return llvm::consumeError(std::move(err));
    lazy_->stats().optimized.fetch_add(1, std::memory_order_relaxed);
  }

  std::unordered_map<std::string, void*> symbols_;
  std::shared_ptr<const compile::CompiledModule> compiled_;  // JITLink and the source map read it in place
  // loadLazy: the JITDylib the functions are compiled into, the stubs in jd_ that lead there.
  llvm::orc::JITDylib* lazyJd_ = nullptr;
  // Tiered: the JITDylib that optimised functions are linked into (linked as lazyJd_ is).
  llvm::orc::JITDylib* optimizedJd_ = nullptr;
  std::unique_ptr<llvm::orc::IndirectStubsManager> stubs_;
  std::shared_ptr<LazyFunctions> lazy_;

 private:
  mutable std::once_flag sourceMapRead_;
  mutable SourceMap sourceMap_;
  std::shared_ptr<State> state_;
  llvm::orc::JITDylib* jd_;
};

class JitImpl final : public Jit {
 public:
  explicit JitImpl(std::shared_ptr<State> state) : state_(std::move(state)) {}

  Result<std::shared_ptr<LoadedCode>> load(std::shared_ptr<const compile::CompiledModule> compiled) override;
  Result<std::shared_ptr<LoadedCode>> loadLazy(std::shared_ptr<const compile::CompiledModule> compiled,
                                               const std::vector<uint32_t>& funcIndices,
                                               FunctionCompiler compiler, uint32_t tierUpThreshold) override;
  bool containsPc(uintptr_t pc) const override { return state_->ranges.contains(pc); }
  TierStats tierStats() const override {
    return {state_->tierCounters->baseline.load(), state_->tierCounters->optimized.load()};
  }
  // No tier-up runs once the Jit goes (its compile threads would otherwise be joined by whichever
  // thread drops the last reference to the state: possibly one of themselves).
  ~JitImpl() override {
    if (state_->optimizeThreads) state_->optimizeThreads->stop();
  }

 private:
  llvm::orc::JITDylib& newJitDylib(const std::string& suffix = "");
  // Adds the objects to `jd` and the symbols they export to `wanted`.
  Status addObjects(llvm::orc::JITDylib& jd, const compile::CompiledModule& compiled,
                    llvm::orc::SymbolLookupSet& wanted);
  // Looks up `wanted` in the code's JITDylib, which links everything added, so that the code
  // ranges are known before loading returns and lookup() never calls into ORC.
  Status linkAll(LoadedCodeImpl& code, llvm::orc::JITDylib& jd, llvm::orc::SymbolLookupSet wanted);
  std::shared_ptr<State> state_;
};

llvm::orc::JITDylib& JitImpl::newJitDylib(const std::string& suffix) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->lljit->getExecutionSession().createBareJITDylib("orca_module_" +
                                                                 std::to_string(state_->nextId++) + suffix);
}

Status JitImpl::addObjects(llvm::orc::JITDylib& jd, const compile::CompiledModule& compiled,
                           llvm::orc::SymbolLookupSet& wanted) {
  auto& es = state_->lljit->getExecutionSession();
  for (size_t i = 0; i < compiled.objects.size(); ++i) {
    const auto& bytes = compiled.objects[i];
    // The loaded code keeps the objects: JITLink reads them in place.
    auto buffer = llvm::MemoryBuffer::getMemBuffer(
        llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
        "orca_object_" + std::to_string(i), /*RequiresNullTerminator=*/false);
    auto iface = llvm::orc::getObjectFileInterface(es, buffer->getMemBufferRef());
    if (!iface) return jitError(iface.takeError());
    for (auto& [name, flags] : iface->SymbolFlags)
      if (flags.isExported()) wanted.add(name);
    if (auto err = state_->lljit->getObjLinkingLayer().add(jd, std::move(buffer))) return jitError(std::move(err));
  }
  return {};
}

Status JitImpl::linkAll(LoadedCodeImpl& code, llvm::orc::JITDylib& jd, llvm::orc::SymbolLookupSet wanted) {
  auto& es = state_->lljit->getExecutionSession();
  auto found = es.lookup(llvm::orc::makeJITDylibSearchOrder(&jd), std::move(wanted));
  if (!found) return jitError(found.takeError());
  for (auto& [name, sym] : *found) code.symbols_.emplace((*name).str(), sym.getAddress().toPtr<void*>());
  return {};
}

Result<std::shared_ptr<LoadedCode>> JitImpl::load(std::shared_ptr<const compile::CompiledModule> compiled) {
  llvm::orc::JITDylib& jd = newJitDylib();
  jd.addToLinkOrder(*state_->runtime, llvm::orc::JITDylibLookupFlags::MatchAllSymbols);
  auto code = std::make_shared<LoadedCodeImpl>(state_, &jd, compiled);
  llvm::orc::SymbolLookupSet wanted;
  ORCA_TRY(addObjects(jd, *compiled, wanted));
  ORCA_TRY(linkAll(*code, jd, std::move(wanted)));
  return std::shared_ptr<LoadedCode>(std::move(code));
}

Result<std::shared_ptr<LoadedCode>> JitImpl::loadLazy(std::shared_ptr<const compile::CompiledModule> compiled,
                                                      const std::vector<uint32_t>& funcIndices,
                                                      FunctionCompiler compiler, uint32_t tierUpThreshold) {
  if (!state_->callThrough) return makeError(ErrorKind::Internal, "jit: lazy loading needs compile threads");
  auto& es = state_->lljit->getExecutionSession();
  // Stubs and trampolines live in `jd`; the functions, once compiled, in `lazyJd`, which links
  // against `jd` and not itself, so that a call from one function to another goes through the
  // other's stub instead of asking for its code (which would compile every callee at once).
  llvm::orc::JITDylib& jd = newJitDylib();
  llvm::orc::JITDylib& lazyJd = newJitDylib("_lazy");
  jd.addToLinkOrder(*state_->runtime, llvm::orc::JITDylibLookupFlags::MatchAllSymbols);
  llvm::orc::JITDylibSearchOrder functionLinkOrder = {{&jd, llvm::orc::JITDylibLookupFlags::MatchAllSymbols},
                                                      {state_->runtime, llvm::orc::JITDylibLookupFlags::MatchAllSymbols}};
  lazyJd.setLinkOrder(functionLinkOrder, /*LinkAgainstThisJITDylibFirst=*/false);
  auto code = std::make_shared<LoadedCodeImpl>(state_, &jd, compiled);
  code->lazyJd_ = &lazyJd;
  code->stubs_ = state_->makeStubs();
  compile::TierCounting counting;
  if (tierUpThreshold > 0) {
    // Optimised code also calls other functions through their stubs, so each call reaches
    // the callee's current tier.
    code->optimizedJd_ = &newJitDylib("_optimized");
    code->optimizedJd_->setLinkOrder(functionLinkOrder, /*LinkAgainstThisJITDylibFirst=*/false);
    counting.threshold = tierUpThreshold;
    counting.tierUp = &LoadedCodeImpl::tierUpRequested;
    counting.owner = code.get();
  }
  uint32_t funcCount = 0;
  for (uint32_t index : funcIndices) funcCount = std::max(funcCount, index + 1);
  code->lazy_ = std::make_shared<LazyFunctions>(std::move(compiler), funcCount, counting, state_->tierCounters);
  llvm::orc::SymbolLookupSet wanted;
  ORCA_TRY(addObjects(jd, *compiled, wanted));
  llvm::orc::SymbolAliasMap stubs;
  auto callable = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
  for (uint32_t index : funcIndices) {
    auto symbol = es.intern("orca_func_" + std::to_string(index));
    if (auto err = lazyJd.define(std::make_unique<LazyFunctionUnit>(*state_->objectLayer, *state_->compileThreads, symbol,
                                                                    index, code->lazy_)))
      return jitError(std::move(err));
    stubs[symbol] = llvm::orc::SymbolAliasMapEntry(symbol, callable);
    wanted.add(symbol);
  }
  if (auto err = jd.define(llvm::orc::lazyReexports(*state_->callThrough, *code->stubs_, lazyJd, std::move(stubs))))
    return jitError(std::move(err));
  ORCA_TRY(linkAll(*code, jd, std::move(wanted)));
  return std::shared_ptr<LoadedCode>(std::move(code));
}

// C library functions that LLVM may call from generated code (libcalls for rounding where the
// CPU lacks an instruction, memcpy/memset for large copies).
void addLibcalls(std::unordered_map<std::string, void*>& symbols) {
  auto add = [&](const char* name, void* address) { symbols.emplace(name, address); };
  add("memcpy", reinterpret_cast<void*>(static_cast<void* (*)(void*, const void*, size_t)>(&std::memcpy)));
  add("memmove", reinterpret_cast<void*>(static_cast<void* (*)(void*, const void*, size_t)>(&std::memmove)));
  add("memset", reinterpret_cast<void*>(static_cast<void* (*)(void*, int, size_t)>(&std::memset)));
  add("ceilf", reinterpret_cast<void*>(static_cast<float (*)(float)>(&::ceilf)));
  add("ceil", reinterpret_cast<void*>(static_cast<double (*)(double)>(&::ceil)));
  add("floorf", reinterpret_cast<void*>(static_cast<float (*)(float)>(&::floorf)));
  add("floor", reinterpret_cast<void*>(static_cast<double (*)(double)>(&::floor)));
  add("truncf", reinterpret_cast<void*>(static_cast<float (*)(float)>(&::truncf)));
  add("trunc", reinterpret_cast<void*>(static_cast<double (*)(double)>(&::trunc)));
  add("roundevenf", reinterpret_cast<void*>(static_cast<float (*)(float)>(&::roundevenf)));
  add("roundeven", reinterpret_cast<void*>(static_cast<double (*)(double)>(&::roundeven)));
  add("sqrtf", reinterpret_cast<void*>(static_cast<float (*)(float)>(&::sqrtf)));
  add("sqrt", reinterpret_cast<void*>(static_cast<double (*)(double)>(&::sqrt)));
}

// LLJIT's IR layer, which this JIT never uses: core/compile turns IR into objects itself.
class NoIRCompiler final : public llvm::orc::IRCompileLayer::IRCompiler {
 public:
  NoIRCompiler() : IRCompiler({}) {}
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module&) override {
    return llvm::make_error<llvm::StringError>("this JIT loads objects only", llvm::inconvertibleErrorCode());
  }
};

}  // namespace

Result<std::unique_ptr<Jit>> Jit::create(const std::unordered_map<std::string, void*>& runtimeSymbols,
                                         JitOptions options, void* lazyCompileFailed) {
  auto state = std::make_shared<State>();
  CodeRanges* ranges = &state->ranges;
  State* made = state.get();
  auto lljit =
      llvm::orc::LLJITBuilder()
          .setLinkProcessSymbolsByDefault(false)
          .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
          // Linking objects needs neither LLVM's X86 target nor a TargetMachine, whose setup
          // (initializing the target, building one machine for the data layout and one for the
          // IR compiler) was a fifth of a precompiled hello world's run: LLJIT gets a data layout
          // and a compiler of its IR layer that it never uses.
          .setDataLayout(llvm::DataLayout(""))
          .setCompileFunctionCreator(
              [](llvm::orc::JITTargetMachineBuilder) -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                return std::make_unique<NoIRCompiler>();
              })
          .setObjectLinkingLayerCreator(
              [ranges, made](llvm::orc::ExecutionSession& es, const llvm::Triple&)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                auto memory = llvm::jitlink::InProcessMemoryManager::Create();
                if (!memory) return memory.takeError();
                auto layer = std::make_unique<llvm::orc::ObjectLinkingLayer>(es, std::move(*memory));
                layer->addPlugin(std::make_unique<llvm::orc::EHFrameRegistrationPlugin>(
                    es, std::make_unique<llvm::jitlink::InProcessEHFrameRegistrar>()));
                layer->addPlugin(std::make_unique<CodeRangePlugin>(*ranges));
                made->objectLayer = layer.get();
                return std::unique_ptr<llvm::orc::ObjectLayer>(std::move(layer));
              })
          .create();
  if (!lljit) return jitError(lljit.takeError());
  state->lljit = std::move(*lljit);

  auto& es = state->lljit->getExecutionSession();
  state->runtime = &es.createBareJITDylib("orca_runtime");
  std::unordered_map<std::string, void*> all = runtimeSymbols;
  addLibcalls(all);
  llvm::orc::SymbolMap map;
  for (const auto& [name, address] : all) {
    map[es.intern(name)] = {llvm::orc::ExecutorAddr::fromPtr(address), llvm::JITSymbolFlags::Exported};
  }
  if (auto err = state->runtime->define(llvm::orc::absoluteSymbols(std::move(map)))) {
    return jitError(std::move(err));
  }
  if (options.compileThreads) {
    const llvm::Triple& triple = state->lljit->getTargetTriple();
    auto callThrough =
        llvm::orc::createLocalLazyCallThroughManager(triple, es, llvm::orc::ExecutorAddr::fromPtr(lazyCompileFailed));
    if (!callThrough) return jitError(callThrough.takeError());
    state->callThrough = std::move(*callThrough);
    state->makeStubs = llvm::orc::createLocalIndirectStubsManagerBuilder(triple);
    state->compileThreads = std::make_unique<CompileThreads>(std::max(2u, std::thread::hardware_concurrency()));
    // Tiering up competes with the guest for the cores: at most half of them.
    state->optimizeThreads = std::make_unique<CompileThreads>(std::max(1u, std::thread::hardware_concurrency() / 2));
    // A function that fails to compile reaches `lazyCompileFailed`, which traps with the
    // reason (LoadedCode::lazyCompileError); ORC's report of it on stderr would only repeat it.
    es.setErrorReporter([](llvm::Error e) { llvm::consumeError(std::move(e)); });
  }
  return std::unique_ptr<Jit>(new JitImpl(std::move(state)));
}

}  // namespace orca::jit
