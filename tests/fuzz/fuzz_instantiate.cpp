// libFuzzer target for what follows the front end: any bytes are decoded, validated, compiled
// (O2, fuel metering on; by the input's length, with guard pages, with explicit bounds checks,
// or lazily on each function's first call), loaded and instantiated with stub imports in a store
// with small limits (1 MiB per memory, few instances), and every exported function is called
// with zero arguments under a fuel budget. The seed corpus is valid modules
// (tests/fuzz/corpus/fuzz_instantiate, made by make-corpus.sh), which libFuzzer mutates; most
// mutants stop at the decoder or the validator, the rest reach LLVM and run. Nothing may crash,
// leak or hit undefined behaviour, and every failure must be of a kind the stage may give for
// bad input: never Internal (LLVM refused the code Orca generated), never an escaped fault.
// Run: ci/fuzz.sh fuzz_instantiate SECONDS
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.h"

namespace {

using orca::ErrorKind;
using namespace orca::runtime;

// Enough for loops of some thousands of iterations; each call gets the same budget.
constexpr uint64_t kFuelPerCall = 100'000;

void callExports(Store& store, Instance& instance) {
  for (const auto& [name, item] : instance.exports()) {
    Func* func = item.func();
    if (!func) continue;
    const auto& type = func->type();
    std::vector<RawValue> slots(std::max<size_t>(1, std::max(type.params.size(), type.results.size())));
    store.setFuel(kFuelPerCall);
    auto status = func->callInPlace(slots.data());
    orca::fuzz::count(status ? "calls returned" : "calls trapped");
    if (!status) orca::fuzz::expectKind("call", status.error(), {ErrorKind::Trap, ErrorKind::Exhaustion});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The input's length picks the engine, so that mutants of one module meet all three.
  auto kind = orca::fuzz::EngineKind(size % orca::fuzz::kEngineKinds);
  Engine& engine = orca::fuzz::fuzzEngine(kind);
  auto module = Module::compile(engine, {data, size});
  if (!module) {
    orca::fuzz::expectKind("compile", module.error(), {ErrorKind::Malformed, ErrorKind::Invalid, ErrorKind::Unsupported});
    return 0;
  }
  static const char* const kCompiled[] = {"compiled (guarded)", "compiled (bounds-checked)", "compiled (lazy)"};
  orca::fuzz::count(kCompiled[int(kind)]);
  Store store(engine, orca::fuzz::fuzzStoreLimits());
  auto imports = orca::fuzz::stubImports(store, **module);
  if (!imports) {
    // A memory or table import over the store's limits.
    orca::fuzz::expectKind("imports", imports.error(), {ErrorKind::Exhaustion});
    return 0;
  }
  store.setFuel(kFuelPerCall);  // the start function's budget
  auto instance = store.instantiate(*module, *imports);
  if (!instance) {
    orca::fuzz::expectKind("instantiate", instance.error(),
                           {ErrorKind::Unlinkable, ErrorKind::Uninstantiable, ErrorKind::Trap, ErrorKind::Exhaustion});
    return 0;
  }
  orca::fuzz::count("instantiated");
  callExports(store, **instance);
  return 0;
}
