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

#include <llvm/ExecutionEngine/JITLink/EHFrameSupport.h>
#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/EPCEHFrameRegistrar.h>
#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectFileInterface.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/IR/DataLayout.h>

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
  llvm::orc::JITDylib* runtime = nullptr;
  CodeRanges ranges;
  std::mutex mutex;  // serialises JITDylib creation and removal
  uint64_t nextId = 0;
};

class LoadedCodeImpl final : public LoadedCode {
 public:
  LoadedCodeImpl(std::shared_ptr<State> state, llvm::orc::JITDylib* jd,
                 std::shared_ptr<const compile::CompiledModule> compiled)
      : compiled_(std::move(compiled)), state_(std::move(state)), jd_(jd) {}
  ~LoadedCodeImpl() override {
    state_->ranges.removeOwner(reinterpret_cast<uintptr_t>(jd_));
    std::lock_guard<std::mutex> lock(state_->mutex);
    llvm::consumeError(state_->lljit->getExecutionSession().removeJITDylib(*jd_));
  }
  void* lookup(const std::string& symbol) const override {
    auto it = symbols_.find(symbol);
    return it == symbols_.end() ? nullptr : it->second;
  }
  bool containsPc(uintptr_t pc) const override {
    return state_->ranges.contains(pc, reinterpret_cast<uintptr_t>(jd_));
  }
  std::vector<SourceFrame> sourceFrames(uintptr_t pc) const override {
    // Reading the DWARF of a large module costs as much as linking it: done on the first
    // backtrace, which most modules never take.
    std::call_once(sourceMapRead_, [this] {
      for (const auto& bytes : compiled_->objects) addSourceRows(bytes);
      sourceMap_.finish();
    });
    return sourceMap_.lookup(pc);
  }

  std::unordered_map<std::string, void*> symbols_;
  std::shared_ptr<const compile::CompiledModule> compiled_;  // JITLink and the source map read it in place

 private:
  void addSourceRows(const std::vector<uint8_t>& bytes) const;
  mutable std::once_flag sourceMapRead_;
  mutable SourceMap sourceMap_;
  std::shared_ptr<State> state_;
  llvm::orc::JITDylib* jd_;
};

class JitImpl final : public Jit {
 public:
  explicit JitImpl(std::shared_ptr<State> state) : state_(std::move(state)) {}

  Result<std::shared_ptr<LoadedCode>> load(std::shared_ptr<const compile::CompiledModule> compiled) override;
  bool containsPc(uintptr_t pc) const override { return state_->ranges.contains(pc); }

 private:
  std::shared_ptr<State> state_;
};

Result<std::shared_ptr<LoadedCode>> JitImpl::load(std::shared_ptr<const compile::CompiledModule> compiledModule) {
  const compile::CompiledModule& compiled = *compiledModule;
  auto& es = state_->lljit->getExecutionSession();
  llvm::orc::JITDylib* jd;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    jd = &es.createBareJITDylib("orca_module_" + std::to_string(state_->nextId++));
  }
  jd->addToLinkOrder(*state_->runtime, llvm::orc::JITDylibLookupFlags::MatchAllSymbols);
  auto code = std::make_shared<LoadedCodeImpl>(state_, jd, std::move(compiledModule));

  // Add every object, then look up every symbol they define: that links them all now, so the
  // code ranges are known before load() returns and lookup() never calls into ORC.
  llvm::orc::SymbolLookupSet wanted;
  std::vector<llvm::orc::SymbolStringPtr> names;
  for (size_t i = 0; i < compiled.objects.size(); ++i) {
    const auto& bytes = compiled.objects[i];
    auto buffer = llvm::MemoryBuffer::getMemBuffer(
        llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
        "orca_object_" + std::to_string(i), /*RequiresNullTerminator=*/false);
    auto iface = llvm::orc::getObjectFileInterface(es, buffer->getMemBufferRef());
    if (!iface) return jitError(iface.takeError());
    for (auto& [name, flags] : iface->SymbolFlags) {
      if (!flags.isExported()) continue;
      wanted.add(name);
      names.push_back(name);
    }
    if (auto err = state_->lljit->getObjLinkingLayer().add(*jd, std::move(buffer))) {
      return jitError(std::move(err));
    }
  }
  auto found = es.lookup(llvm::orc::makeJITDylibSearchOrder(jd), std::move(wanted));
  if (!found) return jitError(found.takeError());
  for (auto& [name, sym] : *found) {
    code->symbols_.emplace((*name).str(), sym.getAddress().toPtr<void*>());
  }
  return std::shared_ptr<LoadedCode>(std::move(code));
}

// Reads an object's line tables into the code's source map. JITLink moves each section as a
// whole, so a section's load address is that of any symbol in it minus the symbol's offset.
void LoadedCodeImpl::addSourceRows(const std::vector<uint8_t>& bytes) const {
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "orca_object");
  auto object = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!object) return llvm::consumeError(object.takeError());  // JITLink accepted it: unreachable
  std::unordered_map<uint64_t, uintptr_t> sectionBase;
  for (const llvm::object::SymbolRef& symbol : (*object)->symbols()) {
    auto name = symbol.getName();
    auto section = symbol.getSection();
    auto value = symbol.getValue();
    if (!name || !section || !value || *section == (*object)->section_end()) {
      if (!name) llvm::consumeError(name.takeError());
      if (!section) llvm::consumeError(section.takeError());
      if (!value) llvm::consumeError(value.takeError());
      continue;
    }
    auto loaded = symbols_.find(name->str());
    if (loaded == symbols_.end()) continue;
    sectionBase.emplace((*section)->getIndex(), reinterpret_cast<uintptr_t>(loaded->second) - *value);
  }
  if (!sectionBase.empty()) sourceMap_.addObject(**object, sectionBase);
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

Result<std::unique_ptr<Jit>> Jit::create(const std::unordered_map<std::string, void*>& runtimeSymbols) {
  auto state = std::make_shared<State>();
  CodeRanges* ranges = &state->ranges;
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
              [ranges](llvm::orc::ExecutionSession& es, const llvm::Triple&)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                auto memory = llvm::jitlink::InProcessMemoryManager::Create();
                if (!memory) return memory.takeError();
                auto layer = std::make_unique<llvm::orc::ObjectLinkingLayer>(es, std::move(*memory));
                layer->addPlugin(std::make_unique<llvm::orc::EHFrameRegistrationPlugin>(
                    es, std::make_unique<llvm::jitlink::InProcessEHFrameRegistrar>()));
                layer->addPlugin(std::make_unique<CodeRangePlugin>(*ranges));
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
  return std::unique_ptr<Jit>(new JitImpl(std::move(state)));
}

}  // namespace orca::jit
