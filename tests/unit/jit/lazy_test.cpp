// Jit::loadLazy: stubs that compile their function on the first call, and a function that fails
// to compile landing in the failure handler on every call (with the reason kept), not crashing.
#include <csetjmp>

#include "../compile/harness.h"

using namespace orca;
using namespace orca::testing;

namespace {

sigjmp_buf* gLazyFailJump = nullptr;
abi::VMContext* gLazyFailContext = nullptr;

[[noreturn]] void lazyFailed(abi::VMContext* vmctx) {
  gLazyFailContext = vmctx;
  siglongjmp(*gLazyFailJump, 1);
}

using I32Fn = int32_t (*)(abi::VMContext*);

// Calls a () -> i32 function; nullopt when the call reached the failure handler.
std::optional<int32_t> callLazy(void* code, abi::VMContext* vmctx) {
  sigjmp_buf jump;
  gLazyFailJump = &jump;
  gLazyFailContext = nullptr;
  if (sigsetjmp(jump, 0) == 0) return reinterpret_cast<I32Fn>(code)(vmctx);
  return std::nullopt;
}

}  // namespace

TEST_CASE("loadLazy: a stub compiles its function once; a failed compile lands in the handler each call") {
  jit::JitOptions options;
  options.compileThreads = true;
  auto jit = jit::Jit::create(testRuntimeSymbols(), options, reinterpret_cast<void*>(&lazyFailed));
  REQUIRE(jit.ok());
  auto bytes = text::watToWasm(R"((module
    (func $seven (result i32) i32.const 7)
    (func (export "fourteen") (result i32) call $seven call $seven i32.add)
    (func (export "broken") (result i32) i32.const 8)))");
  REQUIRE(bytes.ok());
  auto module = decode::decodeModule(*bytes);
  REQUIRE(module.ok());
  compile::CompileOptions compileOptions;
  auto trampolines = compile::compileTrampolines(*module, compileOptions);
  REQUIRE(trampolines.ok());
  std::vector<uint32_t> asked;
  auto loaded = std::make_shared<const compile::CompiledModule>(std::move(*trampolines));
  auto code = (*jit)->loadLazy(loaded, {0, 1, 2}, [&](uint32_t index, compile::Tier tier, const compile::TierCounting* counting) -> Result<std::vector<uint8_t>> {
    asked.push_back(index);
    if (index == 2) return makeError(ErrorKind::Internal, "function 2 refused by the test");
    return compile::compileFunction(*module, index, compileOptions, tier, counting);
  });
  REQUIRE(code.ok());
  CHECK(asked.empty());  // nothing compiles before a call
  REQUIRE((*code)->lookup("orca_entry_0") != nullptr);
  void* fourteen = (*code)->lookup("orca_func_1");
  void* broken = (*code)->lookup("orca_func_2");
  REQUIRE(fourteen);
  REQUIRE(broken);

  abi::StoreContext store{};
  abi::VMContext vmctx{};
  vmctx.store = &store;
  CHECK(callLazy(fourteen, &vmctx) == 14);
  CHECK(asked == std::vector<uint32_t>{1, 0});
  CHECK(callLazy(fourteen, &vmctx) == 14);
  CHECK(asked.size() == 2);
  CHECK((*code)->lazyCompileError().empty());

  CHECK_FALSE(callLazy(broken, &vmctx).has_value());
  CHECK(gLazyFailContext == &vmctx);  // the handler gets the call's arguments
  CHECK((*code)->lazyCompileError() == "function 2 refused by the test");
  CHECK_FALSE(callLazy(broken, &vmctx).has_value());
  CHECK(callLazy(fourteen, &vmctx) == 14);  // the others are unaffected
}
