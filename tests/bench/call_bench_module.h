// The module of the C call benchmarks, Orca's (call_bench.cpp) and Wasmtime's
// (call_bench_wasmtime.cpp): the same text for both, so that they time the same calls.
#pragma once

#include "wasm.h"

inline constexpr const char* kCallBenchModule = R"((module
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "call_host_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $add (local.get $acc) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $acc)))
)";

// The host's "host" "add" through wasm.h, for both (Wasmtime's wasm.h has the same types).
inline wasm_trap_t* callBenchAdd(void*, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
  return nullptr;
}
