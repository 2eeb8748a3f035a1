// A minimal stand-in for core/runtime so that compiled code can be run in unit tests: WAT is
// parsed, encoded, decoded, validated, compiled and loaded with a Jit whose runtime functions are
// the test doubles below; instances are built by hand (VMContext, StoreContext, an 8 GiB memory
// reservation, globals, tables, function records) and called through the entry trampolines.
// Traps longjmp back to invoke(); faults in JIT code (guard pages) do the same from a SIGSEGV
// handler that asks Jit::containsPc.
#pragma once

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "orca/compile/abi.h"
#include "orca/compile/compile.h"
#include "orca/decode/decode.h"
#include "orca/ir/trap.h"
#include "orca/jit/jit.h"
#include "orca/text/wat.h"
#include "orca/validate/validate.h"

namespace orca::testing {

using abi::RawValue;

struct TrapState {
  sigjmp_buf* jump = nullptr;
  uint32_t code = 0;
};
inline thread_local TrapState gTrap;
inline jit::Jit* gJitForSignals = nullptr;
inline int gCheckFailedCount = 0;

struct HostFunc {
  std::function<void(RawValue*)> fn;
};

// The runtime's functions, as doubles.
extern "C" {
[[noreturn]] inline void testTrap(abi::VMContext*, uint32_t code) {
  gTrap.code = code;
  siglongjmp(*gTrap.jump, 1);
}
[[noreturn]] inline void testCheckFailed(abi::VMContext* ctx) {
  ++gCheckFailedCount;
  abi::StoreContext* store = ctx->store;
  TrapCode code = store->interrupt ? TrapCode::Interrupted
                  : store->fuel < 0 ? TrapCode::OutOfFuel
                                    : TrapCode::StackExhausted;
  testTrap(ctx, static_cast<uint32_t>(code));
}
inline int32_t testMemoryGrow(abi::VMContext* ctx, uint32_t, uint32_t delta) {
  abi::MemoryHeader* mem = ctx->memory;
  uint64_t oldPages = mem->size / 65536;
  if (oldPages + delta > 1024) return -1;  // tests keep memories small
  if (delta && mprotect(mem->base + mem->size, uint64_t{delta} * 65536, PROT_READ | PROT_WRITE) != 0) return -1;
  mem->size += uint64_t{delta} * 65536;
  return static_cast<int32_t>(oldPages);
}
inline void testMemoryFill(abi::VMContext* ctx, uint32_t, uint32_t dst, uint32_t value, uint32_t n) {
  if (uint64_t{dst} + n > ctx->memory->size) testTrap(ctx, static_cast<uint32_t>(TrapCode::MemoryOutOfBounds));
  std::memset(ctx->memory->base + dst, static_cast<int>(value), n);
}
inline void testMemoryCopy(abi::VMContext* ctx, uint32_t, uint32_t, uint32_t dst, uint32_t src, uint32_t n) {
  if (uint64_t{dst} + n > ctx->memory->size || uint64_t{src} + n > ctx->memory->size) {
    testTrap(ctx, static_cast<uint32_t>(TrapCode::MemoryOutOfBounds));
  }
  std::memmove(ctx->memory->base + dst, ctx->memory->base + src, n);
}
inline void testHostCall(abi::VMContext* hostContext, RawValue* args) {
  reinterpret_cast<HostFunc*>(hostContext)->fn(args);
}
inline int32_t testTableGrow(abi::VMContext*, uint32_t, void*, uint32_t) { return -1; }
inline void testNoop6(abi::VMContext*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t) {}
inline void testNoop2(abi::VMContext*, uint32_t) {}
}

inline std::unordered_map<std::string, void*> testRuntimeSymbols() {
  return {
      {"orca_rt_trap", reinterpret_cast<void*>(&testTrap)},
      {"orca_rt_check_failed", reinterpret_cast<void*>(&testCheckFailed)},
      {"orca_rt_memory_grow", reinterpret_cast<void*>(&testMemoryGrow)},
      {"orca_rt_memory_fill", reinterpret_cast<void*>(&testMemoryFill)},
      {"orca_rt_memory_copy", reinterpret_cast<void*>(&testMemoryCopy)},
      {"orca_rt_memory_init", reinterpret_cast<void*>(&testNoop6)},
      {"orca_rt_data_drop", reinterpret_cast<void*>(&testNoop2)},
      {"orca_rt_elem_drop", reinterpret_cast<void*>(&testNoop2)},
      {"orca_rt_table_grow", reinterpret_cast<void*>(&testTableGrow)},
      {"orca_rt_table_fill", reinterpret_cast<void*>(&testNoop6)},
      {"orca_rt_table_copy", reinterpret_cast<void*>(&testNoop6)},
      {"orca_rt_table_init", reinterpret_cast<void*>(&testNoop6)},
      {"orca_rt_host_call", reinterpret_cast<void*>(&testHostCall)},
  };
}

inline void segvHandler(int sig, siginfo_t*, void* ucontext) {
  auto* uc = static_cast<ucontext_t*>(ucontext);
#if defined(__x86_64__)
  uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.pc);
#endif
  if (gJitForSignals && gJitForSignals->containsPc(pc) && gTrap.jump) {
    gTrap.code = static_cast<uint32_t>(TrapCode::MemoryOutOfBounds);
    siglongjmp(*gTrap.jump, 1);
  }
  signal(sig, SIG_DFL);
}

inline jit::Jit& testJit() {
  static std::unique_ptr<jit::Jit> jit = [] {
    auto j = jit::Jit::create(testRuntimeSymbols());
    REQUIRE_MESSAGE(j.ok(), (j.ok() ? "" : j.error().describe()));
    gJitForSignals = j->get();
    return std::move(j.value());
  }();
  return *jit;
}

inline uint32_t internType(const ir::FuncType& t) {
  static std::map<std::string, uint32_t> ids;
  auto [it, inserted] = ids.emplace(ir::funcTypeToString(t), static_cast<uint32_t>(ids.size() + 1));
  return it->second;
}

// The result of invoke(): values or a trap code.
struct Outcome {
  std::vector<RawValue> values;
  std::optional<TrapCode> trap;
  int32_t i32(size_t i = 0) const { REQUIRE(!trap); return values.at(i).i32; }
  int64_t i64(size_t i = 0) const { REQUIRE(!trap); return values.at(i).i64; }
  float f32(size_t i = 0) const { REQUIRE(!trap); return values.at(i).f32; }
  double f64(size_t i = 0) const { REQUIRE(!trap); return values.at(i).f64; }
  uint32_t f32Bits(size_t i = 0) const { REQUIRE(!trap); uint32_t b; std::memcpy(&b, &values.at(i).f32, 4); return b; }
  uint64_t f64Bits(size_t i = 0) const { REQUIRE(!trap); return values.at(i).bits[0]; }
};

inline RawValue I32(int32_t v) { RawValue r{}; r.i32 = v; return r; }
inline RawValue I64(int64_t v) { RawValue r{}; r.i64 = v; return r; }
inline RawValue F32(float v) { RawValue r{}; r.f32 = v; return r; }
inline RawValue F64(double v) { RawValue r{}; r.f64 = v; return r; }
inline RawValue F32Bits(uint32_t b) { RawValue r{}; std::memcpy(&r.f32, &b, 4); return r; }
inline RawValue F64Bits(uint64_t b) { RawValue r{}; r.bits[0] = b; return r; }

// A hand-built instance of one module.
class Instance {
 public:
  explicit Instance(const std::string& wat, compile::CompileOptions options = {},
                    std::vector<std::function<void(RawValue*)>> hostFuncs = {}) {
    auto bytes = text::watToWasm(wat);
    REQUIRE_MESSAGE(bytes.ok(), (bytes.ok() ? "" : bytes.error().describe()));
    auto decoded = decode::decodeModule(*bytes);
    REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error().describe()));
    module_ = std::move(decoded.value());
    Status valid = validate::validateModule(module_);
    REQUIRE_MESSAGE(valid.ok(), (valid.ok() ? "" : valid.error().describe()));
    auto compiled = compile::compileModule(module_, options);
    REQUIRE_MESSAGE(compiled.ok(), (compiled.ok() ? "" : compiled.error().describe()));
    compiled_ = std::move(compiled.value());
    auto loaded = testJit().load(std::make_shared<const compile::CompiledModule>(compiled_));
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().describe()));
    code_ = std::move(loaded.value());

    pthread_attr_t attr;
    pthread_getattr_np(pthread_self(), &attr);
    void* stackAddr;
    size_t stackSize;
    pthread_attr_getstack(&attr, &stackAddr, &stackSize);
    pthread_attr_destroy(&attr);
    store_.stackLimit = reinterpret_cast<uintptr_t>(stackAddr) + 256 * 1024;
    store_.fuel = 0;
    store_.interrupt = 0;
    ctx_.store = &store_;

    for (const auto& t : module_.types) typeIds_.push_back(internType(t));
    ctx_.typeIds = typeIds_.data();

    // Functions: imports are host functions behind the host thunk of their type.
    hosts_.resize(hostFuncs.size());
    records_.resize(module_.funcCount());
    for (uint32_t i = 0; i < module_.funcCount(); ++i) {
      ir::TypeIdx t = module_.funcTypeIndex(ir::FuncIdx(i));
      abi::FuncRecord& r = records_[i];
      r.typeId = typeIds_[t.value];
      r.funcIndex = i;
      if (i < module_.importedFuncs()) {
        REQUIRE(i < hostFuncs.size());
        hosts_[i].fn = hostFuncs[i];
        r.code = code_->lookup("orca_thunk_" + std::to_string(t.value));
        r.vmctx = reinterpret_cast<abi::VMContext*>(&hosts_[i]);
      } else {
        r.code = code_->lookup("orca_func_" + std::to_string(i));
        r.vmctx = &ctx_;
      }
      REQUIRE(r.code != nullptr);
      recordPtrs_.push_back(&r);
    }
    ctx_.funcs = recordPtrs_.data();

    if (!module_.memories.empty()) {
      reservation_ = static_cast<uint8_t*>(mmap(nullptr, kReserve, PROT_NONE,
                                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
      REQUIRE(reservation_ != MAP_FAILED);
      uint64_t bytes = module_.memories[0].limits.min * 65536;
      if (bytes) REQUIRE(mprotect(reservation_, bytes, PROT_READ | PROT_WRITE) == 0);
      memory_.base = reservation_;
      memory_.size = bytes;
      ctx_.memoryBase = reservation_;
      ctx_.memory = &memory_;
      memoryPtrs_.push_back(&memory_);
      ctx_.memories = memoryPtrs_.data();
      for (const auto& d : module_.datas) {
        if (d.mode != ir::SegmentMode::Active) continue;
        uint32_t offset = static_cast<uint32_t>(constExpr(d.offset).i32);
        std::memcpy(reservation_ + offset, d.init.data(), d.init.size());
      }
    }

    cells_ = std::vector<abi::GlobalCell>(module_.globalCount());
    for (size_t g = 0; g < module_.globals.size(); ++g) cells_[module_.importedGlobals() + g].value = constExpr(module_.globals[g].init);
    for (auto& c : cells_) cellPtrs_.push_back(&c);
    ctx_.globals = cellPtrs_.data();

    tables_.resize(module_.tables.size());
    elements_.resize(module_.tables.size());
    for (size_t t = 0; t < module_.tables.size(); ++t) {
      elements_[t].assign(module_.tables[t].limits.min, nullptr);
    }
    for (const auto& e : module_.elems) {
      if (e.mode != ir::SegmentMode::Active) continue;
      uint32_t offset = static_cast<uint32_t>(constExpr(e.offset).i32);
      for (size_t i = 0; i < e.init.size(); ++i) elements_[e.table.value].at(offset + i) = constExpr(e.init[i]).ref;
    }
    for (size_t t = 0; t < tables_.size(); ++t) {
      tables_[t].elements = elements_[t].data();
      tables_[t].size = elements_[t].size();
      tablePtrs_.push_back(&tables_[t]);
    }
    ctx_.tables = tablePtrs_.data();
  }

  ~Instance() {
    if (reservation_) munmap(reservation_, kReserve);
  }

  Outcome invoke(const std::string& name, std::vector<RawValue> args = {}) {
    const ir::Export* ex = nullptr;
    for (const auto& e : module_.exports) {
      if (e.name == name && e.kind == ir::ExternKind::Func) ex = &e;
    }
    REQUIRE_MESSAGE(ex != nullptr, name);
    ir::TypeIdx t = module_.funcTypeIndex(ir::FuncIdx(ex->index));
    const ir::FuncType& ft = module_.types[t.value];
    REQUIRE(args.size() == ft.params.size());
    auto entry = reinterpret_cast<void (*)(void*, abi::VMContext*, RawValue*)>(
        code_->lookup("orca_entry_" + std::to_string(t.value)));
    REQUIRE(reinterpret_cast<void*>(entry) != nullptr);
    std::vector<RawValue> slots(std::max(ft.params.size(), ft.results.size()) + 1);
    std::copy(args.begin(), args.end(), slots.begin());
    Outcome out;
    // doctest installs its own crash handlers per test case; ours goes on top for the call.
    struct sigaction sa {}, oldSegv {}, oldBus {};
    sa.sa_sigaction = segvHandler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, &oldSegv);
    sigaction(SIGBUS, &sa, &oldBus);
    sigjmp_buf buf;
    sigjmp_buf* saved = gTrap.jump;
    gTrap.jump = &buf;
    if (sigsetjmp(buf, 1) == 0) {
      entry(records_[ex->index].code, &ctx_, slots.data());
      slots.resize(ft.results.size());
      out.values = slots;
    } else {
      out.trap = static_cast<TrapCode>(gTrap.code);
    }
    gTrap.jump = saved;
    sigaction(SIGSEGV, &oldSegv, nullptr);
    sigaction(SIGBUS, &oldBus, nullptr);
    return out;
  }

  uint8_t* memory() { return reservation_; }
  abi::StoreContext& store() { return store_; }
  abi::GlobalCell& global(size_t i) { return cells_[i]; }
  jit::LoadedCode& code() { return *code_; }
  const compile::CompiledModule& compiled() const { return compiled_; }
  const ir::Module& module() const { return module_; }

 private:
  static constexpr uint64_t kReserve = uint64_t{8} << 30;

  RawValue constExpr(const ir::InstrSeq& seq) {
    RawValue v{};
    const ir::Instr& i = seq.code.at(0);
    switch (i.op) {
      case ir::Opcode::I32Const: v.i32 = static_cast<int32_t>(i.c); break;
      case ir::Opcode::I64Const: v.i64 = static_cast<int64_t>(i.c); break;
      case ir::Opcode::F32Const: v.bits[0] = i.c; break;
      case ir::Opcode::F64Const: v.bits[0] = i.c; break;
      case ir::Opcode::RefNull: v.ref = nullptr; break;
      case ir::Opcode::RefFunc: v.ref = &records_.at(i.a); break;
      case ir::Opcode::GlobalGet: v = cells_.at(i.a).value; break;
      default: FAIL("unsupported constant expression in the test harness");
    }
    return v;
  }

  ir::Module module_;
  compile::CompiledModule compiled_;
  std::shared_ptr<jit::LoadedCode> code_;
  abi::VMContext ctx_{};
  abi::StoreContext store_{};
  std::vector<uint32_t> typeIds_;
  std::vector<HostFunc> hosts_;
  std::vector<abi::FuncRecord> records_;
  std::vector<abi::FuncRecord*> recordPtrs_;
  uint8_t* reservation_ = nullptr;
  abi::MemoryHeader memory_{};
  std::vector<abi::MemoryHeader*> memoryPtrs_;
  std::vector<abi::GlobalCell> cells_;
  std::vector<abi::GlobalCell*> cellPtrs_;
  std::vector<abi::TableHeader> tables_;
  std::vector<std::vector<void*>> elements_;
  std::vector<abi::TableHeader*> tablePtrs_;
};

}  // namespace orca::testing
