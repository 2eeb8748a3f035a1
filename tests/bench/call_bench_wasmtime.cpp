// The calls of call_bench.cpp on Wasmtime, for comparison (docs/benchmarks.md): its
// libwasmtime (PyPI's `wasmtime` wheel ships one) loaded with dlopen, the same module
// (call_bench_module.h). Host to wasm through wasm.h's wasm_func_call and through
// wasmtime_func_call_unchecked (raw slots); wasm to a host function from a loop inside wasm, for a
// wasm.h host function (wasm_func_new_with_env) and a raw one (wasmtime_func_new_unchecked, suffix
// _Raw), and the raw one entered once per host call. Links no Orca, so that the two wasm.h
// implementations cannot bind to each other's symbols.
// Usage: ORCA_WASMTIME_LIB=.../_libwasmtime.so call_bench_wasmtime [google-benchmark flags]
// (call_bench_wasmtime.sh finds the wheel's library).
#include <dlfcn.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "call_bench_module.h"
#include "wasm.h"

namespace {

// The few declarations of Wasmtime's own C API (wasmtime.h) this program calls, written from
// the types its Python binding gives them (wasmtime/_bindings.py of the 51.0.0 wheel).
struct WtError;
struct WtStore;
struct WtContext;
struct WtModule;
struct WtLinker;
struct WtCaller;
struct WtFunc {  // wasmtime_func_t
  uint64_t storeId;
  void* index;
};
struct WtInstance {  // wasmtime_instance_t
  uint64_t storeId;
  size_t index;
};
struct WtExtern {  // wasmtime_extern_t, with room to spare for the union's other members
  uint8_t kind;    // 0: a function
  union {
    WtFunc func;
    unsigned char room[64];
  } of;
};
union alignas(16) WtRaw {  // wasmtime_val_raw_t
  int32_t i32;
  int64_t i64;
  uint8_t v128[16];
};
using WtRawCallback = wasm_trap_t* (*)(void* env, WtCaller* caller, WtRaw* argsAndResults, size_t count);

}  // namespace

// Declared only to name their types (the program takes them from the library with dlsym).
extern "C" {
void wasmtime_error_delete(WtError*);
WtError* wasmtime_wat2wasm(const char* text, size_t size, wasm_byte_vec_t* out);
WtStore* wasmtime_store_new(wasm_engine_t*, void* data, void (*finalizer)(void*));
WtContext* wasmtime_store_context(WtStore*);
void wasmtime_store_delete(WtStore*);
WtError* wasmtime_module_new(wasm_engine_t*, const uint8_t* wasm, size_t size, WtModule** out);
void wasmtime_module_delete(WtModule*);
WtLinker* wasmtime_linker_new(wasm_engine_t*);
void wasmtime_linker_delete(WtLinker*);
WtError* wasmtime_linker_define_func_unchecked(WtLinker*, const char* module, size_t moduleSize, const char* name,
                                               size_t nameSize, const wasm_functype_t*, WtRawCallback, void* env,
                                               void (*finalizer)(void*));
WtError* wasmtime_linker_instantiate(WtLinker*, WtContext*, const WtModule*, WtInstance* out, wasm_trap_t** trap);
bool wasmtime_instance_export_get(WtContext*, const WtInstance*, const char* name, size_t size, WtExtern* out);
WtError* wasmtime_func_call_unchecked(WtContext*, const WtFunc*, WtRaw* argsAndResults, size_t count,
                                      wasm_trap_t** trap);
}

namespace {

#define WASMTIME_FUNCTIONS(X)                                                                     \
  X(wasm_engine_new) X(wasm_engine_delete) X(wasm_store_new) X(wasm_store_delete)                  \
  X(wasm_module_new) X(wasm_module_delete) X(wasm_valtype_new) X(wasm_valtype_vec_new)              \
  X(wasm_functype_new) X(wasm_functype_delete) X(wasm_func_new_with_env) X(wasm_func_as_extern)     \
  X(wasm_func_delete) X(wasm_func_call) X(wasm_instance_new) X(wasm_instance_delete)                \
  X(wasm_instance_exports) X(wasm_extern_as_func) X(wasm_extern_vec_delete) X(wasm_byte_vec_delete) \
  X(wasm_trap_delete) X(wasmtime_error_delete) X(wasmtime_wat2wasm) X(wasmtime_store_new)          \
  X(wasmtime_store_context) X(wasmtime_store_delete) X(wasmtime_module_new)                        \
  X(wasmtime_module_delete) X(wasmtime_linker_new) X(wasmtime_linker_delete)                       \
  X(wasmtime_linker_define_func_unchecked) X(wasmtime_linker_instantiate)                          \
  X(wasmtime_instance_export_get) X(wasmtime_func_call_unchecked)

struct Api {
#define DECLARE(name) decltype(&::name) name = nullptr;
  WASMTIME_FUNCTIONS(DECLARE)
#undef DECLARE
};
Api api;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "call_bench_wasmtime: %s\n", what);
  std::exit(1);
}

void loadApi() {
  const char* path = std::getenv("ORCA_WASMTIME_LIB");
  if (!path || !*path) fail("set ORCA_WASMTIME_LIB to Wasmtime's library (call_bench_wasmtime.sh finds it)");
  void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) fail(dlerror());
#define RESOLVE(name)                                               \
  api.name = reinterpret_cast<decltype(&::name)>(dlsym(lib, #name)); \
  if (!api.name) fail("the library lacks " #name);
  WASMTIME_FUNCTIONS(RESOLVE)
#undef RESOLVE
}

wasm_trap_t* addRaw(void*, WtCaller*, WtRaw* slots, size_t) {
  slots[0].i32 = slots[0].i32 + slots[1].i32;
  return nullptr;
}

wasm_functype_t* addType() {
  wasm_valtype_t* params[2] = {api.wasm_valtype_new(WASM_I32), api.wasm_valtype_new(WASM_I32)};
  wasm_valtype_t* results[1] = {api.wasm_valtype_new(WASM_I32)};
  wasm_valtype_vec_t p, r;
  api.wasm_valtype_vec_new(&p, 2, params);
  api.wasm_valtype_vec_new(&r, 1, results);
  return api.wasm_functype_new(&p, &r);
}

// The module through wasm.h (a wasm_store_t, a wasm.h host function) and through Wasmtime's own
// API (a wasmtime_store_t, a raw host function).
struct Fixture {
  wasm_engine_t* engine = nullptr;
  wasm_store_t* store = nullptr;
  wasm_instance_t* instance = nullptr;
  wasm_extern_vec_t exports{};  // add, call_host, call_host_loop
  WtStore* wtStore = nullptr;
  WtContext* context = nullptr;
  WtFunc rawAdd{}, rawCallHost{}, rawCallHostLoop{};

  Fixture() {
    loadApi();
    engine = api.wasm_engine_new();
    wasm_byte_vec_t binary;
    if (WtError* error = api.wasmtime_wat2wasm(kCallBenchModule, std::strlen(kCallBenchModule), &binary)) {
      api.wasmtime_error_delete(error);
      fail("cannot translate the module");
    }
    wasm_functype_t* type = addType();

    store = api.wasm_store_new(engine);
    wasm_module_t* module = api.wasm_module_new(store, &binary);
    if (!module) fail("wasm_module_new failed");
    wasm_func_t* host = api.wasm_func_new_with_env(store, type, callBenchAdd, nullptr, nullptr);
    wasm_extern_t* imports[1] = {api.wasm_func_as_extern(host)};
    wasm_extern_vec_t importVec = WASM_ARRAY_VEC(imports);
    instance = api.wasm_instance_new(store, module, &importVec, nullptr);
    api.wasm_func_delete(host);
    api.wasm_module_delete(module);
    if (!instance) fail("wasm_instance_new failed");
    api.wasm_instance_exports(instance, &exports);
    if (exports.size != 3) fail("unexpected exports");

    wtStore = api.wasmtime_store_new(engine, nullptr, nullptr);
    context = api.wasmtime_store_context(wtStore);
    WtModule* wtModule = nullptr;
    WtLinker* linker = api.wasmtime_linker_new(engine);
    WtInstance wtInstance{};
    wasm_trap_t* trap = nullptr;
    if (api.wasmtime_module_new(engine, reinterpret_cast<const uint8_t*>(binary.data), binary.size, &wtModule) ||
        api.wasmtime_linker_define_func_unchecked(linker, "host", 4, "add", 3, type, addRaw, nullptr, nullptr) ||
        api.wasmtime_linker_instantiate(linker, context, wtModule, &wtInstance, &trap) || trap)
      fail("cannot instantiate through wasmtime.h");
    api.wasmtime_linker_delete(linker);
    api.wasmtime_module_delete(wtModule);
    rawAdd = exportFunc(wtInstance, "add");
    rawCallHost = exportFunc(wtInstance, "call_host");
    rawCallHostLoop = exportFunc(wtInstance, "call_host_loop");
    api.wasm_functype_delete(type);
    api.wasm_byte_vec_delete(&binary);
  }
  WtFunc exportFunc(const WtInstance& instance, const char* name) {
    WtExtern item{};
    if (!api.wasmtime_instance_export_get(context, &instance, name, std::strlen(name), &item) || item.kind != 0)
      fail("missing export");
    return item.of.func;
  }
  ~Fixture() {
    api.wasmtime_store_delete(wtStore);
    api.wasm_extern_vec_delete(&exports);
    api.wasm_instance_delete(instance);
    api.wasm_store_delete(store);
    api.wasm_engine_delete(engine);
  }
  wasm_func_t* exported(size_t i) const { return api.wasm_extern_as_func(exports.data[i]); }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// A call that traps or fails ends the run: the figures would not be of the calls meant.
void callRaw(const WtFunc& func, WtRaw* slots, size_t count, benchmark::State& state) {
  wasm_trap_t* trap = nullptr;
  WtError* error = api.wasmtime_func_call_unchecked(fixture().context, &func, slots, count, &trap);
  if (error || trap) state.SkipWithError("the call failed");
  if (error) api.wasmtime_error_delete(error);
  if (trap) api.wasm_trap_delete(trap);
}

void BM_Wasmtime_HostToWasm_FuncCall(benchmark::State& state) {
  wasm_func_t* add = fixture().exported(0);
  wasm_val_t args[2] = {WASM_I32_VAL(1), WASM_I32_VAL(2)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = WASM_ARRAY_VEC(args), resultv = WASM_ARRAY_VEC(results);
  for (auto _ : state) {
    if (wasm_trap_t* trap = api.wasm_func_call(add, &argv, &resultv)) {
      api.wasm_trap_delete(trap);
      state.SkipWithError("trap");
    }
    benchmark::DoNotOptimize(results[0].of.i32);
  }
}
BENCHMARK(BM_Wasmtime_HostToWasm_FuncCall);

// Calls `func` (i32, i32) -> i32 with 1 and 2 through raw slots, for 3.
void callAdding(benchmark::State& state, const WtFunc& func) {
  WtRaw slots[2];
  for (auto _ : state) {
    slots[0].i32 = 1;
    slots[1].i32 = 2;
    callRaw(func, slots, 2, state);
    if (slots[0].i32 != 3) state.SkipWithError("wrong result");
  }
}

void BM_Wasmtime_HostToWasm_Unchecked(benchmark::State& state) { callAdding(state, fixture().rawAdd); }
BENCHMARK(BM_Wasmtime_HostToWasm_Unchecked);

// A raw call of a wasm function that calls the raw host function once.
void BM_Wasmtime_WasmToHost_Entered_Raw(benchmark::State& state) { callAdding(state, fixture().rawCallHost); }
BENCHMARK(BM_Wasmtime_WasmToHost_Entered_Raw);

constexpr int kCalls = 10000;

void perHostCall(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kCalls);
  state.counters["ns_per_host_call"] =
      benchmark::Counter(double(state.iterations()) * kCalls, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// One wasm call that calls the host function 10,000 times; reported per host call.
void BM_Wasmtime_WasmToHost_Loop(benchmark::State& state) {
  wasm_func_t* loop = fixture().exported(2);
  wasm_val_t args[1] = {WASM_I32_VAL(kCalls)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = WASM_ARRAY_VEC(args), resultv = WASM_ARRAY_VEC(results);
  for (auto _ : state) {
    wasm_trap_t* trap = api.wasm_func_call(loop, &argv, &resultv);
    if (trap) api.wasm_trap_delete(trap);
    if (trap || results[0].of.i32 != kCalls) state.SkipWithError("wrong result");
  }
  perHostCall(state);
}
BENCHMARK(BM_Wasmtime_WasmToHost_Loop);

void BM_Wasmtime_WasmToHost_Loop_Raw(benchmark::State& state) {
  const WtFunc& loop = fixture().rawCallHostLoop;
  WtRaw slot[1];
  for (auto _ : state) {
    slot[0].i32 = kCalls;
    callRaw(loop, slot, 1, state);
    if (slot[0].i32 != kCalls) state.SkipWithError("wrong result");
  }
  perHostCall(state);
}
BENCHMARK(BM_Wasmtime_WasmToHost_Loop_Raw);

}  // namespace

BENCHMARK_MAIN();
