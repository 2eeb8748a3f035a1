// Collection of a store's instances: mark from the roots, free what was not reached
// (docs/architecture.md, "Long-lived stores"). Generated code writes tables and globals without
// telling anyone, so references between instances cannot be counted as they are made; they are
// traced when the store collects instead. Only the host's holds are counted (InstanceRoot).
#include "internal.h"

namespace orca::runtime {

Instance* Func::instanceOfRef(void* ref) {
  if (!ref) return nullptr;
  auto* record = static_cast<abi::FuncRecord*>(ref);
  Func* func = static_cast<Func*>(record->owner);
  if (!func->isHost()) return func->instance();
  // An imported host function's record lives in the importing instance (HostCallContext, whose
  // first member is the VMContext the record names); the host function's own record has no caller.
  return reinterpret_cast<detail::HostCallContext*>(record->vmctx)->caller;
}

InstanceRoot Store::root(Instance& instance) {
  InstanceRoot root = instance.root_.lock();
  if (!root) {
    root = std::make_shared<const char>(0);
    instance.root_ = root;
  }
  return root;
}

void Store::enableCollection(CollectionHooks hooks) {
  hooks_ = std::move(hooks);
  collecting_ = true;
}

bool Store::inCall() {
  for (TrapBoundary* b = currentBoundary(); b; b = b->prev)
    if (b->store == this) return true;
  return false;
}

namespace {

// The mark phase's work list and the edges it follows.
class Marker {
 public:
  explicit Marker(const Store::CollectionHooks& hooks) : hooks_(hooks) {}

  void instance(Instance* inst) {
    if (!inst || RuntimeAccess::marked(*inst)) return;
    RuntimeAccess::marked(*inst) = true;
    work_.push_back(inst);
  }
  void value(ir::ValType type, void* ref) {
    if (!ref) return;
    if (type == ir::ValType::FuncRef) instance(Func::instanceOfRef(ref));
    else if (type == ir::ValType::ExternRef && hooks_.externRefOwner) instance(hooks_.externRefOwner(ref));
  }
  void table(Table& table) {
    const abi::TableHeader& header = *table.header();
    for (uint64_t i = 0; i < header.size; ++i) value(table.elemType(), header.elements[i]);
  }
  void global(const Global& global) {
    if (ir::isRefType(global.type().type)) value(global.type().type, global.get().ref);
  }

  // Everything a reached instance reaches: what it imported (a defined object keeps its
  // instance), the references in its own tables and globals and in its passive segments.
  void drain() {
    while (!work_.empty()) {
      Instance* inst = work_.back();
      work_.pop_back();
      const ir::Module& m = inst->module().ir();
      for (uint32_t i = 0; i < m.importedFuncs(); ++i) instance(Func::instanceOfRef(inst->vmctx()->funcs[i]));
      for (uint32_t i = 0; i < m.importedTables(); ++i) instance(inst->table(i)->instance());
      for (uint32_t i = 0; i < m.importedMemories(); ++i) instance(inst->memory(i)->instance());
      for (uint32_t i = 0; i < m.importedGlobals(); ++i) instance(inst->global(i)->instance());
      for (uint32_t i = 0; i < m.tables.size(); ++i) table(*inst->table(m.importedTables() + i));
      for (uint32_t i = 0; i < m.globals.size(); ++i) global(*inst->global(m.importedGlobals() + i));
      const auto& elems = RuntimeAccess::elems(*inst);
      for (uint32_t i = 0; i < elems.size(); ++i)
        for (void* ref : elems[i]) value(m.elems[i].type, ref);
    }
  }

 private:
  const Store::CollectionHooks& hooks_;
  std::vector<Instance*> work_;
};

}  // namespace

size_t Store::collect() {
  // A finalizer that onFree runs may call back into the store; it gets no nested collection.
  if (sweeping_ || inCall()) return 0;
  for (auto& inst : instances_) inst->marked_ = false;
  Marker marker(hooks_);
  for (auto& inst : instances_)
    if (!inst->root_.expired()) marker.instance(inst.get());
  for (auto& table : tables_) marker.table(*table);
  for (auto& global : globals_) marker.global(*global);
  marker.drain();

  std::vector<std::unique_ptr<Instance>> kept, dead;
  kept.reserve(instances_.size());
  for (auto& inst : instances_) (inst->marked_ ? kept : dead).push_back(std::move(inst));
  instances_ = std::move(kept);
  keptAtLastCollection_ = instances_.size();
  for (Frame& frame : lastTrap_.frames)
    if (frame.instance && !frame.instance->marked_) frame.instance = nullptr;
  sweeping_ = true;
  if (hooks_.onFree)
    for (auto& inst : dead) {
      for (auto& f : inst->ownFuncs_) hooks_.onFree(f.get());
      for (auto& t : inst->ownTables_) hooks_.onFree(t.get());
      for (auto& mem : inst->ownMemories_) hooks_.onFree(mem.get());
      for (auto& g : inst->ownGlobals_) hooks_.onFree(g.get());
      hooks_.onFree(inst.get());
    }
  size_t freed = dead.size();
  dead.clear();
  sweeping_ = false;
  return freed;
}

}  // namespace orca::runtime
