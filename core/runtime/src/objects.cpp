// Extern objects: memories (reserved address space, grown with mprotect), tables, globals, and
// import type matching.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "internal.h"

namespace orca::runtime {

// --- HostInfo ----------------------------------------------------------------------------------

void HostInfo::setHostInfo(void* info, void (*finalizer)(void*)) {
  if (hostInfoFinalizer_) hostInfoFinalizer_(hostInfo_);
  hostInfo_ = info;
  hostInfoFinalizer_ = finalizer;
}

HostInfo::~HostInfo() {
  if (hostInfoFinalizer_) hostInfoFinalizer_(hostInfo_);
}

// --- Memory ------------------------------------------------------------------------------------

namespace {
// 4 GiB of index + 4 GiB of static offset, plus a tail so an access of up to 16 bytes at the
// very last address still lands in PROT_NONE.
constexpr uint64_t kGuardedReservation = (8ull << 30) + 65536;
}  // namespace

Result<std::unique_ptr<Memory>> Store::newMemory(const ir::MemoryType& type) {
  if (memoryCount_ >= limits_.maxMemories)
    return makeError(ErrorKind::Exhaustion, "too many memories in the store");
  uint64_t maxPages = std::min<uint64_t>(type.limits.max.value_or(ir::kMaxPages32), ir::kMaxPages32);
  if (type.limits.min > limits_.maxMemoryPages || type.limits.min > ir::kMaxPages32)
    return makeError(ErrorKind::Exhaustion, "memory minimum size exceeds the store limit");
  uint64_t reserve = engine_->config().memoryMode == MemoryMode::Guarded
                         ? kGuardedReservation
                         : std::max<uint64_t>(maxPages * ir::kPageSize, ir::kPageSize);
  void* base = mmap(nullptr, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED)
    return makeError(ErrorKind::Exhaustion,
                     "cannot reserve " + std::to_string(reserve >> 20) + " MiB of address space for a memory (" +
                         std::strerror(errno) + ")" +
                         (engine_->config().memoryMode == MemoryMode::Guarded
                              ? "; an engine with MemoryMode::BoundsChecked reserves only each memory's maximum"
                              : ""));
  uint64_t bytes = type.limits.min * ir::kPageSize;
  if (bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(base, reserve);
    return makeError(ErrorKind::Exhaustion, std::string("cannot commit memory: ") + std::strerror(errno));
  }
  std::unique_ptr<Memory> memory(new Memory());
  memory->block_.header.base = static_cast<uint8_t*>(base);
  memory->block_.header.size = bytes;
  memory->block_.owner = memory.get();
  memory->store_ = this;
  memory->type_ = type;
  memory->reserved_ = reserve;
  ++memoryCount_;
  return memory;
}

Result<Memory*> Store::createMemory(const ir::MemoryType& type) {
  if (type.limits.min > ir::kMaxPages32 || (type.limits.max && *type.limits.max > ir::kMaxPages32) ||
      (type.limits.max && *type.limits.max < type.limits.min))
    return makeError(ErrorKind::Invalid, "memory size must be at most 65536 pages (4GiB)");
  auto memory = newMemory(type);
  if (!memory) return memory.takeError();
  memories_.push_back(std::move(memory.value()));
  return memories_.back().get();
}

Memory::~Memory() {
  if (block_.header.base) munmap(block_.header.base, reserved_);
  --store_->memoryCount_;
}

ir::MemoryType Memory::type() const {
  ir::MemoryType t = type_;
  t.limits.min = pages();
  return t;
}

Result<uint64_t> Memory::grow(uint64_t deltaPages) {
  uint64_t old = pages();
  uint64_t max = std::min<uint64_t>(type_.limits.max.value_or(ir::kMaxPages32), ir::kMaxPages32);
  max = std::min(max, store_->limits().maxMemoryPages);
  if (deltaPages > max || old + deltaPages > max)
    return makeError(ErrorKind::Exhaustion, "memory.grow beyond the maximum");
  if (deltaPages == 0) return old;
  uint64_t oldBytes = block_.header.size, newBytes = (old + deltaPages) * ir::kPageSize;
  if (newBytes > reserved_) return makeError(ErrorKind::Exhaustion, "memory.grow beyond the reservation");
  if (mprotect(block_.header.base + oldBytes, newBytes - oldBytes, PROT_READ | PROT_WRITE) != 0)
    return makeError(ErrorKind::Exhaustion, std::string("memory.grow: ") + std::strerror(errno));
  block_.header.size = newBytes;
  return old;
}

Memory* Memory::fromHeader(abi::MemoryHeader* header) {
  return reinterpret_cast<Block*>(header)->owner;
}

// --- Table -------------------------------------------------------------------------------------

Result<std::unique_ptr<Table>> Store::newTable(const ir::TableType& type, void* init) {
  if (tableCount_ >= limits_.maxTables) return makeError(ErrorKind::Exhaustion, "too many tables in the store");
  if (type.limits.min > limits_.maxTableElements)
    return makeError(ErrorKind::Exhaustion, "table minimum size exceeds the store limit");
  std::unique_ptr<Table> table(new Table());
  table->store_ = this;
  ++tableCount_;  // first: the destructor counts it down, whatever fails below
  table->elements_.assign(type.limits.min, init);
  table->block_.header.elements = table->elements_.data();
  table->block_.header.size = type.limits.min;
  table->block_.owner = table.get();
  table->type_ = type;
  return table;
}

Result<Table*> Store::createTable(const ir::TableType& type, void* init) {
  if (!ir::isRefType(type.elem)) return makeError(ErrorKind::Invalid, "table element type must be a reference type");
  if (type.limits.max && *type.limits.max < type.limits.min)
    return makeError(ErrorKind::Invalid, "size minimum must not be greater than maximum");
  auto table = newTable(type, init);
  if (!table) return table.takeError();
  tables_.push_back(std::move(table.value()));
  return tables_.back().get();
}

Table::~Table() { --store_->tableCount_; }

ir::TableType Table::type() const {
  ir::TableType t = type_;
  t.limits.min = size();
  return t;
}

Result<void*> Table::get(uint64_t index) const {
  if (index >= size()) return trapError(TrapCode::TableOutOfBounds, trapMessage(TrapCode::TableOutOfBounds));
  return elements_[index];
}

Status Table::set(uint64_t index, void* ref) {
  if (index >= size()) return trapError(TrapCode::TableOutOfBounds, trapMessage(TrapCode::TableOutOfBounds));
  elements_[index] = ref;
  return {};
}

Result<uint64_t> Table::grow(uint64_t delta, void* init) {
  uint64_t old = size();
  uint64_t max = std::min<uint64_t>(type_.limits.max.value_or(UINT32_MAX), UINT32_MAX);
  max = std::min(max, store_->limits().maxTableElements);
  if (delta > max || old + delta > max) return makeError(ErrorKind::Exhaustion, "table.grow beyond the maximum");
  try {
    elements_.resize(old + delta, init);
  } catch (const std::bad_alloc&) {
    return makeError(ErrorKind::Exhaustion, "table.grow: out of memory");
  }
  block_.header.elements = elements_.data();
  block_.header.size = old + delta;
  return old;
}

Table* Table::fromHeader(abi::TableHeader* header) {
  return reinterpret_cast<Block*>(header)->owner;
}

// --- Global ------------------------------------------------------------------------------------

std::unique_ptr<Global> Store::newGlobal(const ir::GlobalType& type, RawValue value) {
  std::unique_ptr<Global> global(new Global());
  global->cell_.value = value;
  global->store_ = this;
  global->type_ = type;
  return global;
}

Result<Global*> Store::createGlobal(const ir::GlobalType& type, RawValue value) {
  globals_.push_back(newGlobal(type, value));
  return globals_.back().get();
}

Status Global::set(RawValue value) {
  if (type_.mut != ir::Mutability::Var) return makeError(ErrorKind::Invalid, "immutable global");
  cell_.value = value;
  return {};
}

// --- Types and matching --------------------------------------------------------------------------

ExternType Extern::type() const {
  ExternType t;
  t.kind = kind_;
  switch (kind_) {
    case ir::ExternKind::Func: t.func = func()->type(); break;
    case ir::ExternKind::Table: t.table = table()->type(); break;
    case ir::ExternKind::Memory: t.memory = memory()->type(); break;
    case ir::ExternKind::Global: t.global = global()->type(); break;
  }
  return t;
}

Instance* Extern::instance() const {
  switch (kind_) {
    case ir::ExternKind::Func: return func()->instance();
    case ir::ExternKind::Table: return table()->instance();
    case ir::ExternKind::Memory: return memory()->instance();
    case ir::ExternKind::Global: return global()->instance();
  }
  return nullptr;
}

namespace {
// limits {n1, m1?} match {n2, m2?} iff n1 >= n2 and (m2 absent or (m1 present and m1 <= m2)).
bool limitsMatch(const ir::Limits& actual, const ir::Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}
}  // namespace

bool externTypeMatches(const ExternType& actual, const ExternType& expected) {
  if (actual.kind != expected.kind) return false;
  switch (actual.kind) {
    case ir::ExternKind::Func: return actual.func == expected.func;
    case ir::ExternKind::Table:
      return actual.table.elem == expected.table.elem && limitsMatch(actual.table.limits, expected.table.limits);
    case ir::ExternKind::Memory:
      return actual.memory.shared == expected.memory.shared &&
             limitsMatch(actual.memory.limits, expected.memory.limits);
    case ir::ExternKind::Global: return actual.global == expected.global;
  }
  return false;
}

Error trapError(TrapCode code, const std::string& message, int32_t exitCode) {
  if (code == TrapCode::Exit) return makeExitError(exitCode);
  Error error = makeError(code == TrapCode::StackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap, message);
  error.trapCode = static_cast<int32_t>(code);
  return error;
}

}  // namespace orca::runtime
