// The contract between compiled code and the runtime: data layouts that generated code reads
// and the runtime functions it calls. Plain C layout, no LLVM types: core/compile emits code
// against these offsets, core/runtime fills the structures, and static_asserts pin the offsets
// that the emitter hard-codes.
//
// Calling convention (ARCHITECTURE.md):
//   * A compiled function `f` of wasm type [p*] -> [r*] is a native function
//       R f(VMContext* callee, P... params)
//     where R is void, the one result, or a struct of the results (LLVM returns it in registers
//     or through sret). i32/i64/f32/f64 map to LLVM i32/i64/float/double, v128 to <2 x i64>
//     (as bits), funcref/externref to ptr.
//   * Host-to-wasm goes through one entry trampoline per signature:
//       void entry(void* code, VMContext* callee, RawValue* argsAndResults)
//     It loads the parameters from the array, calls `code`, and stores the results back into the
//     same array from slot 0. It is called inside the runtime's trap boundary (sigsetjmp).
//   * Wasm-to-host goes through a per-signature host thunk with the native signature above,
//     whose `callee` is the host function's own context; it spills the parameters into a
//     RawValue array on its stack and calls orca_rt_host_call, then loads the results.
//   * Every call through a FuncRecord passes record->vmctx as the first argument, so a call to an
//     imported wasm function runs with its own instance's context.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace orca::abi {

// One slot of the flat argument/result arrays. 16 bytes so a v128 fits; scalars use the low bytes.
// `bits` comes first so that `RawValue{}` zeroes all 16 bytes (value-initializing a union
// initializes only its first member): a null reference must be all zeros.
union alignas(16) RawValue {
  uint64_t bits[2];
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
  uint8_t v128[16];
  void* ref;  // funcref: FuncRecord* (null = ref.null); externref: the host's pointer
};
static_assert(sizeof(RawValue) == 16);

struct VMContext;

// What a funcref points at, and what import calls go through.
struct FuncRecord {
  void* code;          // native entry with the function's wasm signature (see above)
  VMContext* vmctx;    // first argument of every call of `code`
  uint32_t typeId;     // process-wide interned signature id; call_indirect compares it
  uint32_t funcIndex;  // index in the defining module (backtraces); ~0u for host functions
  void* owner;         // the runtime object that owns this record (instance or host function)
};
static_assert(offsetof(FuncRecord, code) == 0);
static_assert(offsetof(FuncRecord, vmctx) == 8);
static_assert(offsetof(FuncRecord, typeId) == 16);

// The runtime's memory object begins with this header.
struct MemoryHeader {
  uint8_t* base;  // never moves: the reservation is made once (guard pages after it)
  uint64_t size;  // in bytes; changes on grow
};

// The runtime's table object begins with this header. Elements are FuncRecord* for funcref
// tables and the host's pointers for externref tables; null is nullptr.
struct TableHeader {
  void** elements;  // may move on grow
  uint64_t size;    // in elements
};

// Global storage: one 16-byte cell per global; imported globals point at the exporter's cell.
struct alignas(16) GlobalCell {
  RawValue value;
};

// Per-store state that generated code reads on hot paths.
struct StoreContext {
  uintptr_t stackLimit;      // the lowest stack pointer a function prologue accepts
  int64_t fuel;              // remaining fuel when metering is compiled in; trap below zero
  // Nonzero: trap "interrupted" at the next check. Other threads set and clear it while this
  // store's code runs (Store::interrupt, the deadline timer), so it is atomic: generated code
  // reads it with a monotonic atomic load (an ordinary load on x86-64 and AArch64, which LLVM
  // still may not hoist out of a loop) and the runtime consumes it with an exchange. The flag
  // publishes no other data, so every access is relaxed.
  std::atomic<uint64_t> interrupt;
};
static_assert(std::atomic<uint64_t>::is_always_lock_free, "generated code reads the flag with one load");
static_assert(sizeof(std::atomic<uint64_t>) == 8 && alignof(std::atomic<uint64_t>) == 8);
static_assert(offsetof(StoreContext, stackLimit) == 0);
static_assert(offsetof(StoreContext, fuel) == 8);
static_assert(offsetof(StoreContext, interrupt) == 16);

// One per instance. Arrays cover whole index spaces, imports first.
struct VMContext {
  uint8_t* memoryBase;      // memory 0's base, or null (loaded once per function: it never moves)
  MemoryHeader* memory;     // memory 0, or null
  StoreContext* store;
  GlobalCell** globals;     // every global
  TableHeader** tables;     // every table
  FuncRecord** funcs;       // every function
  const uint32_t* typeIds;  // type index -> interned signature id
  MemoryHeader** memories;  // every memory
  void* instance;           // the runtime's Instance (for the runtime functions below)
};
static_assert(offsetof(VMContext, memoryBase) == 0);
static_assert(offsetof(VMContext, memory) == 8);
static_assert(offsetof(VMContext, store) == 16);
static_assert(offsetof(VMContext, globals) == 24);
static_assert(offsetof(VMContext, tables) == 32);
static_assert(offsetof(VMContext, funcs) == 40);
static_assert(offsetof(VMContext, typeIds) == 48);
static_assert(offsetof(VMContext, memories) == 56);
static_assert(offsetof(VMContext, instance) == 64);

// Symbol names in compiled objects.
//   orca_func_<i>     defined function i (module-wide function index, imports counted)
//   orca_entry_<t>    entry trampoline for type index t
//   orca_thunk_<t>    host thunk for type index t
// A trampoline module compiled for a single signature (for host functions created without a
// module) names them orca_entry_0 / orca_thunk_0.

}  // namespace orca::abi

// Runtime functions that generated code calls; core/runtime defines them and core/jit binds them
// by name (absoluteSymbols). Indices are module-wide; i32 operands are passed as uint32_t; the
// bounds-checked operations trap themselves (through orca_rt_trap) when out of bounds.
extern "C" {
[[noreturn]] void orca_rt_trap(orca::abi::VMContext* vmctx, uint32_t trapCode);
// Traps "call stack exhausted", "all fuel consumed" or "interrupted" as the store says.
[[noreturn]] void orca_rt_check_failed(orca::abi::VMContext* vmctx);
int32_t orca_rt_memory_grow(orca::abi::VMContext* vmctx, uint32_t memory, uint32_t deltaPages);
void orca_rt_memory_init(orca::abi::VMContext* vmctx, uint32_t memory, uint32_t data, uint32_t dst, uint32_t src, uint32_t count);
void orca_rt_data_drop(orca::abi::VMContext* vmctx, uint32_t data);
void orca_rt_memory_copy(orca::abi::VMContext* vmctx, uint32_t dstMemory, uint32_t srcMemory, uint32_t dst, uint32_t src, uint32_t count);
void orca_rt_memory_fill(orca::abi::VMContext* vmctx, uint32_t memory, uint32_t dst, uint32_t value, uint32_t count);
int32_t orca_rt_table_grow(orca::abi::VMContext* vmctx, uint32_t table, void* init, uint32_t delta);
void orca_rt_table_fill(orca::abi::VMContext* vmctx, uint32_t table, uint32_t dst, void* value, uint32_t count);
void orca_rt_table_copy(orca::abi::VMContext* vmctx, uint32_t dstTable, uint32_t srcTable, uint32_t dst, uint32_t src, uint32_t count);
void orca_rt_table_init(orca::abi::VMContext* vmctx, uint32_t table, uint32_t elem, uint32_t dst, uint32_t src, uint32_t count);
void orca_rt_elem_drop(orca::abi::VMContext* vmctx, uint32_t elem);
// The generic wasm-to-host call: `hostContext` is the callee context a host thunk received.
void orca_rt_host_call(orca::abi::VMContext* hostContext, orca::abi::RawValue* argsAndResults);
}
