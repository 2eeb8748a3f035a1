// The compile driver: partitions the defined functions into several LLVM modules, each in its own
// LLVMContext, then emits, optimises (new PassBuilder) and codegens them to relocatable objects
// on a pool of worker threads. Cross-partition calls are external declarations that the linker
// resolves when core/jit loads the objects together.
#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include <llvm/Config/llvm-config.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Scalar/SROA.h>

#include "affine_addresses.h"
#include "emitter.h"
#include "fault_locations.h"
#include "fingerprint.inc"
#include "orca/compile/compile.h"
#include "trampolines.h"

namespace orca::compile {

namespace {

// Partitions smaller than this many instructions are not worth a module of their own.
constexpr size_t kMinPartitionInstrs = 20000;

void initializeLlvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

// Fixed for the process; every target machine and the fingerprint ask for it.
const std::string& hostFeatures() {
  static const std::string joined = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    std::vector<std::string> list;
    for (const auto& f : features) list.push_back((f.second ? "+" : "-") + f.first().str());
    std::sort(list.begin(), list.end());
    std::string text;
    for (const auto& f : list) {
      if (!text.empty()) text += ',';
      text += f;
    }
    return text;
  }();
  return joined;
}

llvm::CodeGenOptLevel codegenLevel(unsigned optLevel) {
  switch (optLevel) {
    case 0: return llvm::CodeGenOptLevel::None;
    case 1: return llvm::CodeGenOptLevel::Less;
    case 2: return llvm::CodeGenOptLevel::Default;
    default: return llvm::CodeGenOptLevel::Aggressive;
  }
}

Result<std::unique_ptr<llvm::TargetMachine>> createTargetMachine(unsigned optLevel) {
  initializeLlvm();
  std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) return internalError("no LLVM target for " + triple + ": " + error);
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), hostFeatures(), options, llvm::Reloc::PIC_,
      llvm::CodeModel::Small, codegenLevel(optLevel)));
  if (!tm) return internalError("cannot create a target machine for " + triple);
  return tm;
}

// Idle target machines by O-level. A target machine is not thread-safe, but creating one (and the
// subtarget it makes on first use) costs more than compiling a small module or one function, and
// the threads that compile come and go (ORC's compile threads end when idle): each compile borrows
// one for its duration.
class TargetMachinePool {
 public:
  class Lease {
   public:
    Lease(TargetMachinePool& pool, unsigned level, std::unique_ptr<llvm::TargetMachine> tm)
        : pool_(&pool), level_(level), tm_(std::move(tm)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (tm_) pool_->giveBack(level_, std::move(tm_));
    }
    llvm::TargetMachine& operator*() const { return *tm_; }

   private:
    TargetMachinePool* pool_;
    unsigned level_;
    std::unique_ptr<llvm::TargetMachine> tm_;
  };

  Result<Lease> borrow(unsigned optLevel) {
    unsigned level = optLevel > 3 ? 3 : optLevel;
    {
      std::lock_guard lock(mutex_);
      if (!idle_[level].empty()) {
        std::unique_ptr<llvm::TargetMachine> tm = std::move(idle_[level].back());
        idle_[level].pop_back();
        return Lease(*this, level, std::move(tm));
      }
    }
    auto tm = createTargetMachine(level);
    if (!tm) return tm.takeError();
    return Lease(*this, level, std::move(tm.value()));
  }

 private:
  void giveBack(unsigned level, std::unique_ptr<llvm::TargetMachine> tm) {
    std::lock_guard lock(mutex_);
    idle_[level].push_back(std::move(tm));
  }
  std::mutex mutex_;
  std::vector<std::unique_ptr<llvm::TargetMachine>> idle_[4];
};

TargetMachinePool& targetMachines() {
  static TargetMachinePool* pool = new TargetMachinePool();  // never destroyed: used until exit
  return *pool;
}

// What one LLVM module holds: a range of defined functions, or the trampolines.
struct Partition {
  uint32_t firstFunc = 0;  // index into module.functions
  uint32_t funcCount = 0;
  bool trampolines = false;
  // Also the bodies of the functions' small direct callees, available for inlining only: a
  // function optimised on its own (tiering up) would otherwise inline nothing, where in a
  // partition of compileModule it inlines its callees.
  bool inlinableCallees = false;
};

// Callees larger than this many instructions are left out of a tier-up's module (LLVM's inliner
// would rarely take them), and a tier-up's module carries at most kMaxCalleeInstrs of them: the
// compile stays about the size of the function's own.
constexpr size_t kMaxCalleeSize = 1000;
constexpr size_t kMaxCalleeInstrs = 4000;

// The defined functions (indices into module.functions) that the given ones call directly,
// without themselves, smallest bodies first within the budget above.
std::vector<uint32_t> inlinableCallees(const ir::Module& wasm, const Partition& part) {
  std::vector<uint32_t> callees;
  for (uint32_t i = part.firstFunc; i < part.firstFunc + part.funcCount; ++i)
    for (const ir::Instr& instr : wasm.functions[i].body.code) {
      if (instr.op != ir::Opcode::Call || instr.a < wasm.importedFuncs()) continue;
      uint32_t callee = instr.a - wasm.importedFuncs();
      if (callee >= part.firstFunc && callee < part.firstFunc + part.funcCount) continue;
      if (wasm.functions[callee].body.code.size() > kMaxCalleeSize) continue;
      callees.push_back(callee);
    }
  std::sort(callees.begin(), callees.end());
  callees.erase(std::unique(callees.begin(), callees.end()), callees.end());
  std::sort(callees.begin(), callees.end(), [&](uint32_t x, uint32_t y) {
    return std::pair(wasm.functions[x].body.code.size(), x) < std::pair(wasm.functions[y].body.code.size(), y);
  });
  size_t total = 0;
  size_t kept = 0;
  while (kept < callees.size() && (total += wasm.functions[callees[kept]].body.code.size()) <= kMaxCalleeInstrs) ++kept;
  callees.resize(kept);
  return callees;
}

void optimize(llvm::Module& mod, llvm::TargetMachine& tm, unsigned optLevel, Tier tier) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm;
  if (tier == Tier::Baseline) {
    // The emitter keeps every wasm local in an alloca; without promoting them to registers fast
    // instruction selection spills and reloads each one around every use, which costs more at
    // run time than SROA costs to compile.
    llvm::FunctionPassManager fpm;
    fpm.addPass(llvm::SROAPass(llvm::SROAOptions::PreserveCFG));
    mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  } else {
    // Before the vectoriser, loops are in their final shape: give their addresses 64-bit affine
    // form where the wasm index cannot wrap (affine_addresses.cpp).
    pb.registerVectorizerStartEPCallback([](llvm::FunctionPassManager& fpm, llvm::OptimizationLevel) {
      fpm.addPass(llvm::LoopSimplifyPass());
      fpm.addPass(llvm::LCSSAPass());
      fpm.addPass(AffineAddressesPass());
    });
    llvm::OptimizationLevel level = optLevel == 0   ? llvm::OptimizationLevel::O0
                                    : optLevel == 1 ? llvm::OptimizationLevel::O1
                                    : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                    : llvm::OptimizationLevel::O3;
    mpm = optLevel == 0 ? pb.buildO0DefaultPipeline(level) : pb.buildPerModuleDefaultPipeline(level);
  }
  mpm.run(mod, mam);
}

Result<std::vector<uint8_t>> codegen(llvm::Module& mod, llvm::TargetMachine& tm) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    return internalError("the target cannot emit object files");
  }
  pm.run(mod);
  return std::vector<uint8_t>(buffer.begin(), buffer.end());
}

// Emits, verifies, optimises and codegens one partition.
Result<std::vector<uint8_t>> compilePartition(const ir::Module& wasm, const CompileOptions& options,
                                              const Partition& part, llvm::TargetMachine& tm, Tier tier,
                                              const TierCounting* counting = nullptr) {
  llvm::LLVMContext ctx;
  ctx.setDiscardValueNames(true);  // names only cost time and memory outside of debugging
  auto mod = std::make_unique<llvm::Module>("orca", ctx);
  mod->setTargetTriple(tm.getTargetTriple().str());
  mod->setDataLayout(tm.createDataLayout());
  ModuleEmitter m(ctx, *mod, wasm, options);
  m.counting = counting;
  if (part.trampolines) {
    for (size_t t = 0; t < wasm.types.size(); ++t) {
      emitEntryTrampoline(m, wasm.types[t], "orca_entry_" + std::to_string(t));
      emitHostThunk(m, wasm.types[t], "orca_thunk_" + std::to_string(t));
    }
  } else {
    for (uint32_t i = 0; i < part.funcCount; ++i) {
      FunctionEmitter fe(m, part.firstFunc + i);
      Status s = fe.emit();
      if (!s) return s.takeError();
    }
    if (part.inlinableCallees) {
      for (uint32_t callee : inlinableCallees(wasm, part)) {
        FunctionEmitter fe(m, callee);
        Status s = fe.emit();
        if (!s) return s.takeError();
        // Inlined where LLVM sees fit and then dropped: a call left over goes to the callee's
        // own code (its stub), which the linker resolves as before.
        m.definedFunction(wasm.importedFuncs() + callee)->setLinkage(llvm::GlobalValue::AvailableExternallyLinkage);
      }
    }
  }
  m.finalizeDebugInfo();
  std::string message;
  llvm::raw_string_ostream errors(message);
  if (llvm::verifyModule(*mod, &errors)) {
    return internalError("generated LLVM IR does not verify: " + message.substr(0, 2000));
  }
  optimize(*mod, tm, options.optLevel, tier);
  if (!options.explicitBoundsChecks) locateFoldableLoads(*mod);
  return codegen(*mod, tm);
}

std::vector<Partition> partitionFunctions(const ir::Module& wasm, unsigned threads) {
  size_t total = 0;
  for (const auto& f : wasm.functions) total += f.body.code.size();
  size_t wanted = std::max<size_t>(1, total / kMinPartitionInstrs);
  wanted = std::min<size_t>(wanted, std::max<size_t>(1, size_t{4} * threads));
  wanted = std::min<size_t>(wanted, std::max<size_t>(1, wasm.functions.size()));
  size_t target = (total + wanted - 1) / wanted;
  std::vector<Partition> parts;
  Partition current;
  size_t size = 0;
  for (uint32_t i = 0; i < wasm.functions.size(); ++i) {
    if (current.funcCount == 0) current.firstFunc = i;
    ++current.funcCount;
    size += wasm.functions[i].body.code.size();
    if (size >= target && parts.size() + 1 < wanted) {
      parts.push_back(current);
      current = Partition{};
      size = 0;
    }
  }
  if (current.funcCount > 0) parts.push_back(current);
  Partition tramp;
  tramp.trampolines = true;
  parts.push_back(tramp);
  return parts;
}

Result<CompiledModule> runPartitions(const ir::Module& wasm, const CompileOptions& options,
                                     const std::vector<Partition>& parts) {
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(parts.size()));
  std::vector<std::optional<Result<std::vector<uint8_t>>>> results(parts.size());
  // Small modules (the common case for tests and many hosts) compile on the calling thread:
  // starting threads and target machines would cost more than the compile.
  size_t total = 0;
  for (const auto& f : wasm.functions) total += f.body.code.size();
  if (total < kMinPartitionInstrs) threads = 1;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    auto tm = targetMachines().borrow(options.optLevel);
    for (size_t i; (i = next.fetch_add(1)) < parts.size();) {
      if (!tm) {
        results[i].emplace(tm.error());
        continue;
      }
      results[i].emplace(compilePartition(wasm, options, parts[i], **tm, Tier::Optimized));
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  CompiledModule out;
  for (auto& r : results) {
    if (!*r) return r->takeError();
    out.objects.push_back(std::move(r->value()));
  }
  return out;
}

}  // namespace

namespace {
std::atomic<uint64_t> gModulesCompiled{0};
std::atomic<uint64_t> gFunctionsCompiled{0};
}  // namespace

uint64_t modulesCompiled() { return gModulesCompiled.load(std::memory_order_relaxed); }
uint64_t functionsCompiled() { return gFunctionsCompiled.load(std::memory_order_relaxed); }

Result<CompiledModule> compileModule(const ir::Module& module, const CompileOptions& options) {
  gModulesCompiled.fetch_add(1, std::memory_order_relaxed);
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  auto result = runPartitions(module, options, partitionFunctions(module, threads));
  if (!result) return result;
  result->funcCount = static_cast<uint32_t>(module.functions.size());
  result->typeCount = static_cast<uint32_t>(module.types.size());
  return result;
}

Result<CompiledModule> compileTrampolines(const ir::Module& module, const CompileOptions& options) {
  Partition tramp;
  tramp.trampolines = true;
  auto result = runPartitions(module, options, {tramp});
  if (!result) return result;
  result->funcCount = 0;
  result->typeCount = static_cast<uint32_t>(module.types.size());
  return result;
}

Result<std::vector<uint8_t>> compileFunction(const ir::Module& module, uint32_t funcIndex,
                                             const CompileOptions& options, Tier tier,
                                             const TierCounting* counting) {
  gFunctionsCompiled.fetch_add(1, std::memory_order_relaxed);
  uint32_t defined = funcIndex - module.importedFuncs();
  if (funcIndex < module.importedFuncs() || defined >= module.functions.size())
    return internalError("no defined function " + std::to_string(funcIndex));
  Partition part;
  part.firstFunc = defined;
  part.funcCount = 1;
  part.inlinableCallees = tier == Tier::Optimized;
  auto tm = targetMachines().borrow(tier == Tier::Baseline ? 0 : options.optLevel);
  if (!tm) return tm.takeError();
  return compilePartition(module, options, part, **tm, tier, tier == Tier::Baseline ? counting : nullptr);
}

std::string codegenFingerprint() {
  // Fixed for the process; every compile with a cache, serialize and deserialize asks for it.
  // The host's CPU comes from LLVM's Support library: no target to initialize (which would cost a
  // precompiled module's load as much as linking it).
  static const std::string fingerprint = [] {
    return "orca-" ORCA_CODEGEN_VERSION ";git-" ORCA_CODEGEN_GIT_REVISION ";src-" ORCA_CODEGEN_SOURCE_HASH
           ";llvm-" LLVM_VERSION_STRING ";" +
           llvm::sys::getProcessTriple() + ";" + llvm::sys::getHostCPUName().str() + ";" + hostFeatures();
  }();
  return fingerprint;
}

}  // namespace orca::compile
