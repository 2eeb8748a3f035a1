// Compiling functions on their first call: the unit that compiles one function when ORC asks for
// its symbol, and the source map of the functions compiled so far.
#include "lazy.h"

#include <unordered_map>

#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

namespace orca::jit {

void addObjectRows(SourceMap& map, const std::vector<uint8_t>& bytes, const SymbolAddress& address) {
  llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                               "orca_object");
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
    void* loaded = address(name->str());
    if (!loaded) continue;
    sectionBase.emplace((*section)->getIndex(), reinterpret_cast<uintptr_t>(loaded) - *value);
  }
  if (!sectionBase.empty()) map.addObject(**object, sectionBase);
}

void CompileThreads::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    // Posted jobs nobody waits for; a run() job has a caller waiting, so it still runs.
    std::erase_if(queue_, [](Job* job) {
      if (!job->owned) return false;
      delete job;
      return true;
    });
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& t : threads) t.join();
}

void CompileThreads::enqueue(Job* job) {
  if (idle_ == 0 && threads_.size() < count_) threads_.emplace_back([this] { work(); });
  queue_.push_back(job);
  wake_.notify_one();
}

void CompileThreads::run(const std::function<void()>& job) {
  Job queued{&job, false, {}};
  std::unique_lock lock(mutex_);
  enqueue(&queued);
  done_.wait(lock, [&] { return queued.done; });
}

void CompileThreads::post(std::function<void()> job) {
  auto* posted = new Job{nullptr, false, std::move(job)};
  posted->job = &posted->owned;
  std::lock_guard lock(mutex_);
  if (stopping_) {
    delete posted;
    return;
  }
  enqueue(posted);
}

void CompileThreads::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_;
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping, nothing left
    Job* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    (*job->job)();
    lock.lock();
    if (job->owned) {
      delete job;
      continue;
    }
    job->done = true;
    done_.notify_all();
  }
}

LazyFunctions::LazyFunctions(FunctionCompiler compiler, uint32_t funcCount, compile::TierCounting counting,
                             std::shared_ptr<TierCounters> stats)
    : compiler_(std::move(compiler)), counting_(counting), stats_(std::move(stats)) {
  if (counting_.threshold) {
    counters_ = std::make_unique<uint32_t[]>(funcCount);  // zeroed
    tierUpClaimed_ = std::make_unique<std::atomic<bool>[]>(funcCount);
    optimizedCode_ = std::make_unique<std::atomic<void*>[]>(funcCount);
    counting_.counters = counters_.get();
  }
}

Result<std::vector<uint8_t>> LazyFunctions::compile(uint32_t funcIndex, compile::Tier tier) {
  std::shared_lock alive(retireMutex_);
  if (retired_) return makeError(ErrorKind::Internal, "the module was unloaded");
  auto object = compiler_(funcIndex, tier, tier == compile::Tier::Baseline ? counting() : nullptr);
  if (!object) {
    // An optimised compile that fails leaves the function at the baseline tier, which works.
    if (tier == compile::Tier::Baseline) {
      std::lock_guard lock(mutex_);
      error_ = object.error().message;
    }
    return object;
  }
  if (tier == compile::Tier::Baseline) stats_->baseline.fetch_add(1, std::memory_order_relaxed);
  return object;
}

void LazyFunctions::retire() {
  std::unique_lock alive(retireMutex_);
  retired_ = true;
}

void LazyFunctions::compiled(std::string symbol, std::vector<uint8_t> object, void* start) {
  std::lock_guard lock(mutex_);
  unmapped_.push_back({std::move(symbol), std::move(object), start});
}

std::vector<SourceFrame> LazyFunctions::sourceFrames(uintptr_t pc, const SymbolAddress& address) {
  // The lookups wait for objects still being linked: take them out first, so that no lock is
  // held while waiting (a unit being compiled meanwhile adds its object under the lock).
  std::vector<Unmapped> pending;
  {
    std::lock_guard lock(mutex_);
    pending.swap(unmapped_);
  }
  for (auto& entry : pending)
    if (!entry.start) entry.start = address(entry.symbol);
  std::lock_guard lock(mutex_);
  for (const Unmapped& entry : pending) {
    // Null start: it failed to link, so it never ran.
    if (entry.start) addObjectRows(map_, entry.object, [&](const std::string& name) {
      return name == entry.symbol ? entry.start : nullptr;
    });
  }
  if (!pending.empty()) map_.finish();
  return map_.lookup(pc);
}

std::string LazyFunctions::lastError() const {
  std::lock_guard lock(mutex_);
  return error_;
}

LazyFunctionUnit::LazyFunctionUnit(llvm::orc::ObjectLinkingLayer& layer, CompileThreads& threads,
                                   llvm::orc::SymbolStringPtr symbol, uint32_t funcIndex,
                                   std::shared_ptr<LazyFunctions> functions)
    : MaterializationUnit(Interface(
          llvm::orc::SymbolFlagsMap{{symbol, llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable}},
          nullptr)),
      layer_(layer),
      threads_(threads),
      symbol_(std::move(symbol)),
      funcIndex_(funcIndex),
      functions_(std::move(functions)) {}

void LazyFunctionUnit::materialize(std::unique_ptr<llvm::orc::MaterializationResponsibility> responsibility) {
  // ORC materializes on the thread that asked, which is the guest's first call: compile and link
  // on a compile thread. Linking only looks up symbols that are there already (the stubs, the
  // runtime), so it never waits for another function's unit.
  threads_.run([&] {
    auto object = functions_->compile(funcIndex_, compile::Tier::Baseline);
    if (!object) return responsibility->failMaterialization();
    auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
        llvm::StringRef(reinterpret_cast<const char*>(object->data()), object->size()), (*symbol_).str());
    functions_->compiled((*symbol_).str(), std::move(*object));
    layer_.emit(std::move(responsibility), std::move(buffer));
  });
}

}  // namespace orca::jit
