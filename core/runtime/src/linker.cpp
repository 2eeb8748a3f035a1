#include "orca/runtime/linker.h"

namespace orca::runtime {
namespace {

std::string quoted(std::string_view module, std::string_view name) {
  std::string text = "\"";
  text += module;
  text += "\" \"";
  text += name;
  text += "\"";
  return text;
}

std::string limitsText(const ir::Limits& limits) {
  std::string text = std::to_string(limits.min) + "..";
  if (limits.max) text += std::to_string(*limits.max);
  return text;
}

std::string valTypesText(const std::vector<ir::ValType>& types) {
  std::string text = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) text += ' ';
    text += ir::valTypeName(types[i]);
  }
  return text + ")";
}

Store* ownerOf(const Extern& item) {
  switch (item.kind()) {
    case ir::ExternKind::Func: return item.func() ? &item.func()->store() : nullptr;
    case ir::ExternKind::Table: return item.table() ? &item.table()->store() : nullptr;
    case ir::ExternKind::Memory: return item.memory() ? &item.memory()->store() : nullptr;
    case ir::ExternKind::Global: return item.global() ? &item.global()->store() : nullptr;
  }
  return nullptr;
}

}  // namespace

std::string describeExternType(const ExternType& type) {
  switch (type.kind) {
    case ir::ExternKind::Func:
      return "func " + valTypesText(type.func.params) + " -> " + valTypesText(type.func.results);
    case ir::ExternKind::Table:
      return std::string("table ") + limitsText(type.table.limits) + " " + ir::valTypeName(type.table.elem);
    case ir::ExternKind::Memory:
      return "memory " + limitsText(type.memory.limits) + " pages";
    case ir::ExternKind::Global:
      return std::string("global ") + (type.global.mut == ir::Mutability::Var ? "mut " : "") +
             ir::valTypeName(type.global.type);
  }
  return "extern";
}

Status Linker::define(std::string_view module, std::string_view name, const Extern& item) {
  if (item.isNull()) return makeError(ErrorKind::Invalid, "cannot define " + quoted(module, name) + ": null extern");
  if (ownerOf(item) != store_)
    return makeError(ErrorKind::Invalid, "cannot define " + quoted(module, name) + ": object of another store");
  ORCA_TRY(checkDefinable(module, name));
  InstanceRoot root = item.instance() ? store_->root(*item.instance()) : nullptr;
  items_.insert_or_assign(std::make_pair(std::string(module), std::string(name)), Definition{item, std::move(root)});
  return {};
}

Status Linker::checkDefinable(std::string_view module, std::string_view name) const {
  if (!allowShadowing_ && get(module, name))
    return makeError(ErrorKind::Unlinkable, "duplicate definition of " + quoted(module, name));
  return {};
}

Result<Func*> Linker::defineFunc(std::string_view module, std::string_view name, const ir::FuncType& type,
                                 HostCallback callback, std::function<void()> finalizer) {
  // Check the name first, so that a refused definition creates nothing in the store.
  ORCA_TRY(checkDefinable(module, name));
  auto func = store_->createHostFunc(type, std::move(callback), std::move(finalizer));
  if (!func) return func.takeError();
  ORCA_TRY(define(module, name, Extern(*func)));
  return *func;
}

Status Linker::defineInstance(std::string_view module, const Instance& instance) {
  if (&instance.store() != store_)
    return makeError(ErrorKind::Invalid, "cannot define instance \"" + std::string(module) + "\": of another store");
  for (const auto& [name, item] : instance.exports()) ORCA_TRY(checkDefinable(module, name));
  for (const auto& [name, item] : instance.exports()) ORCA_TRY(define(module, name, item));
  return {};
}

std::optional<Extern> Linker::get(std::string_view module, std::string_view name) const {
  auto it = items_.find(std::make_pair(std::string(module), std::string(name)));
  if (it == items_.end()) return std::nullopt;
  return it->second.item;
}

Result<std::vector<Extern>> Linker::resolveImports(const Module& module) const {
  std::vector<Extern> imports;
  const auto& moduleImports = module.ir().imports;
  imports.reserve(moduleImports.size());
  for (uint32_t i = 0; i < moduleImports.size(); ++i) {
    const ir::Import& imp = moduleImports[i];
    ExternType expected = module.importType(i);
    auto item = get(imp.module, imp.name);
    if (!item)
      return makeError(ErrorKind::Unlinkable,
                       "unknown import: " + quoted(imp.module, imp.name) + " (" + describeExternType(expected) + ")");
    ExternType actual = item->type();
    if (!externTypeMatches(actual, expected))
      return makeError(ErrorKind::Unlinkable, "incompatible import type for " + quoted(imp.module, imp.name) +
                                                  ": expected " + describeExternType(expected) + ", got " +
                                                  describeExternType(actual));
    imports.push_back(*item);
  }
  return imports;
}

Result<Instance*> Linker::instantiate(const std::shared_ptr<const Module>& module) const {
  auto imports = resolveImports(*module);
  if (!imports) return imports.takeError();
  return store_->instantiate(module, *imports);
}

std::vector<std::pair<std::pair<std::string, std::string>, Extern>> Linker::definitions() const {
  std::vector<std::pair<std::pair<std::string, std::string>, Extern>> out;
  out.reserve(items_.size());
  for (const auto& [key, definition] : items_) out.emplace_back(key, definition.item);
  return out;
}

}  // namespace orca::runtime
