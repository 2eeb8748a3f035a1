// Call overhead across the C API: what a binding pays per call, the reference the bindings' call
// benchmarks are compared with (docs/benchmarks.md). Host to wasm through wasm_func_call
// (wasm_val_t vectors) and orca_func_call_unchecked (raw slots, no allocation); wasm to a host
// function (i32, i32) -> i32, entered once per host call as the bindings' benchmarks do, and from a
// loop inside wasm (the crossing alone), each for a wasm.h host function (wasm_func_new_with_env)
// and a raw one (orca_func_new_raw, suffix _Raw). Only the public headers.
// Usage: call_bench [google-benchmark flags]. ci/bench.sh runs it.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "call_bench_module.h"
#include "orca.h"

namespace {

wasm_trap_t* addRaw(void*, orca_caller_t*, orca_val_raw_t* slots, size_t) {
  slots[0].i32 = slots[0].i32 + slots[1].i32;
  return nullptr;
}

// The module instantiated with one kind of host function as its import "host" "add".
struct Linked {
  wasm_instance_t* instance = nullptr;
  wasm_func_t* add = nullptr;
  wasm_func_t* callHost = nullptr;
  wasm_func_t* callHostLoop = nullptr;
};

struct Fixture {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  Linked plain;  // wasm_func_new_with_env (wasm.h)
  Linked raw;    // orca_func_new_raw

  Fixture() {
    wasm_byte_vec_t text, binary;
    wasm_byte_vec_new(&text, std::strlen(kCallBenchModule), kCallBenchModule);
    orca_error_t* error = orca_wat2wasm(&text, &binary);
    wasm_byte_vec_delete(&text);
    wasm_module_t* module = nullptr;
    if (!error) error = orca_module_new(engine, &binary, &module);
    wasm_byte_vec_delete(&binary);
    wasm_functype_t* type =
        wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
    if (!error) {
      plain = link(module, wasm_func_new_with_env(store, type, callBenchAdd, nullptr, nullptr));
      raw = link(module, orca_func_new_raw(store, type, ::addRaw, nullptr, nullptr));
    }
    wasm_functype_delete(type);
    wasm_module_delete(module);
    if (error || !plain.instance || !raw.instance) {
      std::fprintf(stderr, "call_bench: cannot set up the module\n");
      std::exit(1);
    }
  }
  Linked link(const wasm_module_t* module, wasm_func_t* host) {
    Linked l;
    wasm_extern_t* imports[] = {wasm_func_as_extern(host)};
    wasm_extern_vec_t importVec = WASM_ARRAY_VEC(imports);
    l.instance = wasm_instance_new(store, module, &importVec, nullptr);
    wasm_func_delete(host);
    if (!l.instance) return l;
    l.add = wasm_extern_as_func(orca_instance_export(l.instance, "add"));
    l.callHost = wasm_extern_as_func(orca_instance_export(l.instance, "call_host"));
    l.callHostLoop = wasm_extern_as_func(orca_instance_export(l.instance, "call_host_loop"));
    return l;
  }
  ~Fixture() {
    for (Linked* l : {&plain, &raw}) {
      wasm_func_delete(l->add);
      wasm_func_delete(l->callHost);
      wasm_func_delete(l->callHostLoop);
      wasm_instance_delete(l->instance);
    }
    wasm_store_delete(store);
    wasm_engine_delete(engine);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_HostToWasm_FuncCall(benchmark::State& state) {
  wasm_func_t* add = fixture().plain.add;
  wasm_val_t args[2] = {WASM_I32_VAL(1), WASM_I32_VAL(2)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = WASM_ARRAY_VEC(args), resultv = WASM_ARRAY_VEC(results);
  for (auto _ : state) {
    if (wasm_func_call(add, &argv, &resultv)) state.SkipWithError("trap");
    benchmark::DoNotOptimize(results[0].of.i32);
  }
}
BENCHMARK(BM_HostToWasm_FuncCall);

// Calls `func` (i32, i32) -> i32 with 1 and 2 through raw slots, for 3.
void callAdding(benchmark::State& state, wasm_func_t* func) {
  orca_val_raw_t slots[2];
  for (auto _ : state) {
    slots[0].i32 = 1;
    slots[1].i32 = 2;
    if (orca_func_call_unchecked(func, slots, 2) || slots[0].i32 != 3) state.SkipWithError("wrong result");
  }
}

void BM_HostToWasm_Unchecked(benchmark::State& state) { callAdding(state, fixture().plain.add); }
BENCHMARK(BM_HostToWasm_Unchecked);

// A raw call of a wasm function that calls the host function once (the bindings' shape).
void BM_WasmToHost_Entered(benchmark::State& state) { callAdding(state, fixture().plain.callHost); }
BENCHMARK(BM_WasmToHost_Entered);
void BM_WasmToHost_Entered_Raw(benchmark::State& state) { callAdding(state, fixture().raw.callHost); }
BENCHMARK(BM_WasmToHost_Entered_Raw);

// One wasm call that calls the host function 10,000 times; reported per host call.
void wasmToHostLoop(benchmark::State& state, const Linked& linked) {
  constexpr int kCalls = 10000;
  orca_val_raw_t slot[1];
  for (auto _ : state) {
    slot[0].i32 = kCalls;
    if (orca_func_call_unchecked(linked.callHostLoop, slot, 1) || slot[0].i32 != kCalls)
      state.SkipWithError("wrong result");
  }
  state.SetItemsProcessed(state.iterations() * kCalls);
  state.counters["ns_per_host_call"] =
      benchmark::Counter(double(state.iterations()) * kCalls, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
void BM_WasmToHost_Loop(benchmark::State& state) { wasmToHostLoop(state, fixture().plain); }
BENCHMARK(BM_WasmToHost_Loop);
void BM_WasmToHost_Loop_Raw(benchmark::State& state) { wasmToHostLoop(state, fixture().raw); }
BENCHMARK(BM_WasmToHost_Loop_Raw);

}  // namespace

BENCHMARK_MAIN();
