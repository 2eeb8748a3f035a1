// The name-based linker: definitions by (module, name) in one store, and instantiation that
// resolves a module's imports against them. The spec's instantiate takes imports by position;
// embedders think in names ("env" "log", "wasi_snapshot_preview1" "fd_write"), so bindings, the
// CLI and WASI go through this.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orca/runtime/runtime.h"

namespace orca::runtime {

class Linker {
 public:
  // Definitions name objects of `store`, and instantiate() instantiates into it.
  explicit Linker(Store& store) : store_(&store) {}

  Store& store() const { return *store_; }

  // Whether a later definition of the same (module, name) replaces an earlier one. Off by
  // default: a second definition is then an error, which catches two hosts fighting over a name.
  void allowShadowing(bool allow) { allowShadowing_ = allow; }

  // Defines `item` (an object of this linker's store) as (module, name). Errors: Unlinkable
  // "duplicate definition of "m" "n"" when shadowing is off; Invalid when `item` is null or
  // belongs to another store.
  Status define(std::string_view module, std::string_view name, const Extern& item);
  // Unlinkable "duplicate definition of "m" "n"" when (module, name) is taken and shadowing is off:
  // the check define() makes, for callers that must refuse before creating what they would define.
  Status checkDefinable(std::string_view module, std::string_view name) const;
  // Creates a host function in the store and defines it.
  Result<Func*> defineFunc(std::string_view module, std::string_view name, const ir::FuncType& type,
                           HostCallback callback, std::function<void()> finalizer = {});
  // Defines every export of `instance` under `module` (the spec test suite's "register").
  Status defineInstance(std::string_view module, const Instance& instance);

  // The definition of (module, name), if any.
  std::optional<Extern> get(std::string_view module, std::string_view name) const;

  // Resolves each import of `module` by name and instantiates it. Errors: Unlinkable
  // "unknown import: "m" "n" (func)" naming the first import without a definition, and
  // "incompatible import type for "m" "n": expected T, got U"; then every error of
  // Store::instantiate.
  Result<Instance*> instantiate(const std::shared_ptr<const Module>& module) const;
  // The imports instantiate() would pass, in the module's order (for hosts that instantiate
  // themselves).
  Result<std::vector<Extern>> resolveImports(const Module& module) const;

  // Every definition, ordered by (module, name).
  std::vector<std::pair<std::pair<std::string, std::string>, Extern>> definitions() const;

 private:
  Store* store_;
  bool allowShadowing_ = false;
  struct Definition {
    Extern item;
    InstanceRoot root;  // a definition keeps the instance that defined it (Store::collect)
  };
  std::map<std::pair<std::string, std::string>, Definition, std::less<>> items_;
};

// "func (i32 i64) -> (f32)", "memory 1..2 pages", "table 3 funcref", "global mut i32": how an
// extern type reads in link errors and in `orca inspect`.
std::string describeExternType(const ExternType& type);

}  // namespace orca::runtime
