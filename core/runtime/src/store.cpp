// Store and instantiation (spec, "Modules > Instantiation"): import matching, allocation of
// functions, tables, memories and globals, element and data segments, the start function.
#include <algorithm>
#include <cstring>

#include "internal.h"

namespace orca::runtime {

Store::Store(Engine& engine, StoreLimits limits)
    : engine_(&engine), limits_(limits), deadline_(newDeadlineSlot(*this)) {
  context_.stackLimit = 0;
  context_.fuel = 0;
  context_.interrupt.store(0, std::memory_order_relaxed);
}

Store::~Store() {
  cancelDeadline(deadline_);
  // Host finalizers first, while everything they might look at is alive; then the functions
  // (whose host-info finalizers may still read their module's types) before the instances that
  // keep those modules alive.
  for (auto& f : funcs_)
    if (f->finalizer_) {
      auto fin = std::move(f->finalizer_);
      fin();
    }
  funcs_.clear();
  instances_.clear();
  tables_.clear();
  memories_.clear();
  globals_.clear();
}

void Store::setFuel(uint64_t fuel) {
  context_.fuel = fuel > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(fuel);
}

uint64_t Store::fuel() const { return context_.fuel < 0 ? 0 : static_cast<uint64_t>(context_.fuel); }

void Store::interrupt() { context_.interrupt.store(1, std::memory_order_relaxed); }
void Store::clearInterrupt() { context_.interrupt.store(0, std::memory_order_relaxed); }

Result<Func*> Store::createHostFunc(const ir::FuncType& type, HostCallback callback,
                                    std::function<void()> finalizer) {
  auto func = newHostFunc(type, std::move(finalizer));
  if (func) func.value()->callback_ = std::move(callback);
  return func;
}

Result<Func*> Store::createRawHostFunc(const ir::FuncType& type, RawHostCallback callback, void* env,
                                       RawHostFailure failure, std::function<void()> finalizer) {
  auto func = newHostFunc(type, std::move(finalizer));
  if (func) func.value()->raw_ = {callback, env, failure};
  return func;
}

Result<Func*> Store::newHostFunc(const ir::FuncType& type, std::function<void()> finalizer) {
  std::unique_ptr<Func> func(new Func());
  uint32_t typeId = engine_->internType(type);
  auto tramp = engine_->trampolines(typeId);
  if (!tramp) {
    if (finalizer) finalizer();  // the function never existed: its host data goes now
    return tramp.takeError();
  }
  func->store_ = this;
  func->hostType_ = type;
  func->type_ = &func->hostType_;
  func->slots_ = std::max(type.params.size(), type.results.size());
  func->finalizer_ = std::move(finalizer);
  func->hostContext_.vmctx.store = &context_;
  func->hostContext_.vmctx.instance = func.get();
  func->hostContext_.func = func.get();
  func->record_.code = tramp->thunk;
  func->record_.vmctx = &func->hostContext_.vmctx;
  func->record_.typeId = typeId;
  func->record_.funcIndex = ~0u;
  func->record_.owner = func.get();
  func->entry_ = tramp->entry;
  funcs_.push_back(std::move(func));
  return funcs_.back().get();
}

std::unique_ptr<Func> Store::newWasmFunc(Instance& instance, uint32_t index) {
  const Module& module = *instance.module_;
  uint32_t typeIndex = module.ir().funcTypeIndex(ir::FuncIdx(index)).value;
  std::unique_ptr<Func> func(new Func());
  func->store_ = this;
  func->instance_ = &instance;
  func->type_ = &module.ir().types[typeIndex];  // the module outlives its instances
  func->slots_ = std::max(func->type_->params.size(), func->type_->results.size());
  func->record_.code = module.functionCode(index);
  func->record_.vmctx = &instance.vmctx_;
  func->record_.typeId = module.typeIds()[typeIndex];
  func->record_.funcIndex = index;
  func->record_.owner = func.get();
  func->entry_ = module.entryTrampoline(typeIndex);
  return func;
}

Func::~Func() = default;

Func* Func::fromRef(void* ref) {
  return ref ? static_cast<Func*>(static_cast<abi::FuncRecord*>(ref)->owner) : nullptr;
}

RawValue evalConstExpr(const ir::InstrSeq& expr, const Instance& instance) {
  // Validation guarantees one value-producing instruction followed by `end` (WebAssembly 2.0).
  RawValue v{};
  for (const ir::Instr& in : expr.code) {
    switch (in.op) {
      case ir::Opcode::I32Const: v = {}; v.i32 = static_cast<int32_t>(static_cast<uint32_t>(in.c)); break;
      case ir::Opcode::I64Const: v = {}; v.i64 = static_cast<int64_t>(in.c); break;
      case ir::Opcode::F32Const: {
        v = {};
        uint32_t bits = static_cast<uint32_t>(in.c);
        std::memcpy(&v.f32, &bits, 4);
        break;
      }
      case ir::Opcode::F64Const: v = {}; std::memcpy(&v.f64, &in.c, 8); break;
      case ir::Opcode::V128Const: v = {}; std::memcpy(v.v128, expr.v128s.at(in.c).bytes, 16); break;
      case ir::Opcode::RefNull: v = {}; v.ref = nullptr; break;
      case ir::Opcode::RefFunc: v = {}; v.ref = const_cast<Instance&>(instance).vmctx()->funcs[in.a]; break;
      case ir::Opcode::GlobalGet: v = instance.global(in.a)->get(); break;
      default: break;
    }
  }
  return v;
}

std::optional<Extern> Instance::exportByName(std::string_view name) const {
  for (const auto& [n, e] : exports_)
    if (n == name) return e;
  return std::nullopt;
}

Instance::~Instance() = default;

Result<Instance*> Store::instantiate(const std::shared_ptr<const Module>& modulePtr, std::span<const Extern> imports) {
  const Module& module = *modulePtr;
  const ir::Module& m = module.ir();
  if (&module.engine() != engine_)
    return makeError(ErrorKind::Unlinkable, "module was compiled by another engine");
  if (collecting_ && (instances_.size() >= 2 * keptAtLastCollection_ + 8 || instances_.size() >= limits_.maxInstances))
    collect();
  if (instances_.size() >= limits_.maxInstances)
    return makeError(ErrorKind::Exhaustion, "too many instances in the store");

  // Import matching.
  if (imports.size() < m.imports.size()) {
    const ir::Import& missing = m.imports[imports.size()];
    return makeError(ErrorKind::Unlinkable, "unknown import \"" + missing.module + "\" \"" + missing.name + "\"");
  }
  for (uint32_t i = 0; i < m.imports.size(); ++i) {
    const ir::Import& imp = m.imports[i];
    if (imports[i].isNull())
      return makeError(ErrorKind::Unlinkable, "unknown import \"" + imp.module + "\" \"" + imp.name + "\"");
    Store* owner = nullptr;
    switch (imports[i].kind()) {
      case ir::ExternKind::Func: owner = &imports[i].func()->store(); break;
      case ir::ExternKind::Table: owner = &imports[i].table()->store(); break;
      case ir::ExternKind::Memory: owner = &imports[i].memory()->store(); break;
      case ir::ExternKind::Global: owner = &imports[i].global()->store(); break;
    }
    if (owner != this)
      return makeError(ErrorKind::Unlinkable,
                       "incompatible import type \"" + imp.module + "\" \"" + imp.name + "\": from another store");
    if (!externTypeMatches(imports[i].type(), module.importType(i)))
      return makeError(ErrorKind::Unlinkable,
                       "incompatible import type \"" + imp.module + "\" \"" + imp.name + "\"");
  }

  std::unique_ptr<Instance> owned(new Instance());
  Instance& inst = *owned;
  inst.module_ = modulePtr;
  inst.store_ = this;
  for (uint32_t i = 0; i < m.imports.size(); ++i) {
    const Extern& e = imports[i];
    switch (e.kind()) {
      case ir::ExternKind::Func: inst.funcs_.push_back(e.func()); break;
      case ir::ExternKind::Table: inst.tables_.push_back(e.table()); break;
      case ir::ExternKind::Memory: inst.memories_.push_back(e.memory()); break;
      case ir::ExternKind::Global: inst.globals_.push_back(e.global()); break;
    }
  }
  for (uint32_t i = m.importedFuncs(); i < m.funcCount(); ++i) {
    inst.ownFuncs_.push_back(newWasmFunc(inst, i));
    inst.funcs_.push_back(inst.ownFuncs_.back().get());
  }
  for (Func* f : inst.funcs_) {
    if (!f->isHost()) {
      inst.funcRecords_.push_back(f->record());
      continue;
    }
    // Imported host functions are called through a copy of their record whose context names
    // this instance as the caller; the copy's owner is still the Func (funcref identity).
    auto hc = std::make_unique<detail::HostCallContext>();
    hc->vmctx = f->hostContext_.vmctx;
    hc->func = f;
    hc->caller = &inst;
    hc->record = *f->record();
    hc->record.vmctx = &hc->vmctx;
    inst.funcRecords_.push_back(&hc->record);
    inst.hostImports_.push_back(std::move(hc));
  }
  inst.vmctx_.funcs = inst.funcRecords_.data();
  for (const ir::TableType& t : m.tables) {
    auto table = newTable(t, nullptr);
    if (!table) return table.takeError();
    table.value()->instance_ = &inst;
    inst.tables_.push_back(table.value().get());
    inst.ownTables_.push_back(std::move(table.value()));
  }
  for (const ir::MemoryType& t : m.memories) {
    auto memory = newMemory(t);
    if (!memory) return memory.takeError();
    memory.value()->instance_ = &inst;
    inst.memories_.push_back(memory.value().get());
    inst.ownMemories_.push_back(std::move(memory.value()));
  }
  // Globals in order: an initializer may read imported globals (and, beyond 2.0, earlier ones).
  for (const ir::Global& g : m.globals) {
    inst.ownGlobals_.push_back(newGlobal(g.type, evalConstExpr(g.init, inst)));
    inst.ownGlobals_.back()->instance_ = &inst;
    inst.globals_.push_back(inst.ownGlobals_.back().get());
  }

  // The context generated code reads.
  for (Table* t : inst.tables_) inst.tableHeaders_.push_back(t->header());
  for (Memory* mem : inst.memories_) inst.memoryHeaders_.push_back(mem->header());
  for (Global* g : inst.globals_) inst.globalCells_.push_back(g->cell());
  abi::VMContext& ctx = inst.vmctx_;
  ctx.memory = inst.memoryHeaders_.empty() ? nullptr : inst.memoryHeaders_[0];
  ctx.memoryBase = ctx.memory ? ctx.memory->base : nullptr;
  ctx.store = &context_;
  ctx.globals = inst.globalCells_.data();
  ctx.tables = inst.tableHeaders_.data();
  ctx.funcs = inst.funcRecords_.data();
  ctx.typeIds = module.typeIds().data();
  ctx.memories = inst.memoryHeaders_.data();
  ctx.instance = &inst;

  for (const ir::Export& e : m.exports) {
    Extern ext;
    switch (e.kind) {
      case ir::ExternKind::Func: ext = Extern(inst.funcs_[e.index]); break;
      case ir::ExternKind::Table: ext = Extern(inst.tables_[e.index]); break;
      case ir::ExternKind::Memory: ext = Extern(inst.memories_[e.index]); break;
      case ir::ExternKind::Global: ext = Extern(inst.globals_[e.index]); break;
    }
    inst.exports_.emplace_back(e.name, ext);
  }

  // Element segments evaluate to references; data segments stay in the module.
  inst.elems_.resize(m.elems.size());
  for (uint32_t i = 0; i < m.elems.size(); ++i) {
    const ir::ElemSegment& seg = m.elems[i];
    inst.elems_[i].reserve(seg.init.size());
    for (const ir::InstrSeq& expr : seg.init) inst.elems_[i].push_back(evalConstExpr(expr, inst).ref);
  }
  inst.dataDropped_.assign(m.datas.size(), false);

  // From here on the instance is in the store: a failing segment leaves the effects of earlier
  // ones (and its functions may already sit in imported tables).
  instances_.push_back(std::move(owned));

  for (uint32_t i = 0; i < m.elems.size(); ++i) {
    const ir::ElemSegment& seg = m.elems[i];
    if (seg.mode == ir::SegmentMode::Active) {
      uint32_t offset = static_cast<uint32_t>(evalConstExpr(seg.offset, inst).i32);
      Table* table = inst.tables_[seg.table.value];
      uint64_t n = inst.elems_[i].size();
      if (uint64_t(offset) + n > table->size())
        return makeError(ErrorKind::Uninstantiable, trapMessage(TrapCode::TableOutOfBounds));
      for (uint64_t k = 0; k < n; ++k) table->header()->elements[offset + k] = inst.elems_[i][k];
    }
    if (seg.mode != ir::SegmentMode::Passive) std::vector<void*>().swap(inst.elems_[i]);
  }
  for (uint32_t i = 0; i < m.datas.size(); ++i) {
    const ir::DataSegment& seg = m.datas[i];
    if (seg.mode != ir::SegmentMode::Active) continue;
    uint32_t offset = static_cast<uint32_t>(evalConstExpr(seg.offset, inst).i32);
    Memory* memory = inst.memories_[seg.memory.value];
    if (uint64_t(offset) + seg.init.size() > memory->dataSize())
      return makeError(ErrorKind::Uninstantiable, trapMessage(TrapCode::MemoryOutOfBounds));
    if (!seg.init.empty()) std::memcpy(memory->data() + offset, seg.init.data(), seg.init.size());
    inst.dataDropped_[i] = true;
  }

  if (m.start) {
    Func* start = inst.funcs_[m.start->value];
    ORCA_TRY(start->call({}, {}));
  }
  return &inst;
}

}  // namespace orca::runtime
