// The bulk memory and table operations generated code calls (abi.h), with the spec's semantics:
// bounds checks in 64-bit arithmetic before any effect, overlapping copies, a dropped segment
// behaves as one of length 0. Nothing with a destructor may be live where one of these traps
// (orca_rt_trap longjmps).
#include <cstring>

#include "internal.h"
#include "orca/jit/jit.h"

using orca::TrapCode;
using orca::abi::VMContext;
using namespace orca::runtime;

namespace {

inline bool outOfBounds(uint64_t offset, uint64_t count, uint64_t size) { return offset + count > size; }

}  // namespace

extern "C" {

int32_t orca_rt_memory_grow(VMContext* vmctx, uint32_t memory, uint32_t deltaPages) {
  Memory* m = Memory::fromHeader(vmctx->memories[memory]);
  auto old = m->grow(deltaPages);
  return old ? static_cast<int32_t>(*old) : -1;
}

void orca_rt_memory_init(VMContext* vmctx, uint32_t memory, uint32_t data, uint32_t dst, uint32_t src,
                         uint32_t count) {
  Instance& inst = RuntimeAccess::instance(vmctx);
  const orca::ir::DataSegment& seg = inst.module().ir().datas[data];
  uint64_t length = RuntimeAccess::dataDropped(inst)[data] ? 0 : seg.init.size();
  orca::abi::MemoryHeader* m = vmctx->memories[memory];
  if (outOfBounds(src, count, length) || outOfBounds(dst, count, m->size))
    orca_rt_trap(vmctx, static_cast<uint32_t>(TrapCode::MemoryOutOfBounds));
  if (count) std::memcpy(m->base + dst, seg.init.data() + src, count);
}

void orca_rt_data_drop(VMContext* vmctx, uint32_t data) {
  RuntimeAccess::dataDropped(RuntimeAccess::instance(vmctx))[data] = true;
}

void orca_rt_memory_copy(VMContext* vmctx, uint32_t dstMemory, uint32_t srcMemory, uint32_t dst, uint32_t src,
                         uint32_t count) {
  orca::abi::MemoryHeader* d = vmctx->memories[dstMemory];
  orca::abi::MemoryHeader* s = vmctx->memories[srcMemory];
  if (outOfBounds(src, count, s->size) || outOfBounds(dst, count, d->size))
    orca_rt_trap(vmctx, static_cast<uint32_t>(TrapCode::MemoryOutOfBounds));
  if (count) std::memmove(d->base + dst, s->base + src, count);
}

void orca_rt_memory_fill(VMContext* vmctx, uint32_t memory, uint32_t dst, uint32_t value, uint32_t count) {
  orca::abi::MemoryHeader* m = vmctx->memories[memory];
  if (outOfBounds(dst, count, m->size)) orca_rt_trap(vmctx, static_cast<uint32_t>(TrapCode::MemoryOutOfBounds));
  if (count) std::memset(m->base + dst, static_cast<int>(value & 0xFF), count);
}

int32_t orca_rt_table_grow(VMContext* vmctx, uint32_t table, void* init, uint32_t delta) {
  Table* t = Table::fromHeader(vmctx->tables[table]);
  auto old = t->grow(delta, init);
  return old ? static_cast<int32_t>(*old) : -1;
}

void orca_rt_table_fill(VMContext* vmctx, uint32_t table, uint32_t dst, void* value, uint32_t count) {
  orca::abi::TableHeader* t = vmctx->tables[table];
  if (outOfBounds(dst, count, t->size)) orca_rt_trap(vmctx, static_cast<uint32_t>(TrapCode::TableOutOfBounds));
  for (uint64_t i = 0; i < count; ++i) t->elements[dst + i] = value;
}

void orca_rt_table_copy(VMContext* vmctx, uint32_t dstTable, uint32_t srcTable, uint32_t dst, uint32_t src,
                        uint32_t count) {
  orca::abi::TableHeader* d = vmctx->tables[dstTable];
  orca::abi::TableHeader* s = vmctx->tables[srcTable];
  if (outOfBounds(src, count, s->size) || outOfBounds(dst, count, d->size))
    orca_rt_trap(vmctx, static_cast<uint32_t>(TrapCode::TableOutOfBounds));
  if (count) std::memmove(d->elements + dst, s->elements + src, count * sizeof(void*));
}

void orca_rt_table_init(VMContext* vmctx, uint32_t table, uint32_t elem, uint32_t dst, uint32_t src,
                        uint32_t count) {
  Instance& inst = RuntimeAccess::instance(vmctx);
  const std::vector<void*>& seg = RuntimeAccess::elems(inst)[elem];
  orca::abi::TableHeader* t = vmctx->tables[table];
  if (outOfBounds(src, count, seg.size()) || outOfBounds(dst, count, t->size))
    orca_rt_trap(vmctx, static_cast<uint32_t>(TrapCode::TableOutOfBounds));
  if (count) std::memcpy(t->elements + dst, seg.data() + src, count * sizeof(void*));
}

void orca_rt_elem_drop(VMContext* vmctx, uint32_t elem) {
  std::vector<void*>().swap(RuntimeAccess::elems(RuntimeAccess::instance(vmctx))[elem]);
}

void orca_rt_lazy_compile_failed(VMContext* vmctx) {
  {
    // Everything with a destructor ends with this scope: the trap longjmps below.
    const auto& code = RuntimeAccess::instance(vmctx).module().loadedCode();
    if (TrapBoundary* b = currentBoundary())
      b->message = "a function failed to compile on its first call: " + (code ? code->lazyCompileError() : std::string());
  }
  raiseTrap(TrapCode::HostError, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
}

}  // extern "C"
