// Store::collect at the runtime level: what the C API's tests cannot see (no collection unless
// asked, the live counts behind the store limits, the externref hook, trap frames of freed
// instances).
#include <algorithm>

#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

const char* kSelf = R"((module (memory (export "memory") 1) (table (export "table") 1 funcref)
  (elem (i32.const 0) $f) (func $f (export "f") (result i32) i32.const 5)))";

}  // namespace

TEST_CASE("collect: a store collects only when enabled or asked; plain pointers stay valid until then") {
  Store store(sharedEngine());
  auto module = compileWat(sharedEngine(), kSelf);
  std::vector<Instance*> made;
  for (int i = 0; i < 40; ++i) {
    auto inst = store.instantiate(module, {});
    REQUIRE(inst.ok());
    made.push_back(*inst);
  }
  CHECK(store.instanceCount() == 40);
  // Without enableCollection nothing went: every pointer still works.
  for (Instance* inst : made) {
    RawValue out{};
    REQUIRE(inst->exportByName("f")->func()->call({}, {&out, 1}).ok());
    CHECK(out.i32 == 5);
  }
  InstanceRoot keep = store.root(*made[3]);
  CHECK(store.collect() == 39);
  CHECK(store.instanceCount() == 1);
  RawValue out{};
  REQUIRE(made[3]->exportByName("f")->func()->call({}, {&out, 1}).ok());
  CHECK(out.i32 == 5);
  keep.reset();
  CHECK(store.collect() == 1);
}

TEST_CASE("collect: the memory and table limits count live objects") {
  StoreLimits limits;
  limits.maxMemories = 2;
  limits.maxTables = 2;
  Store store(sharedEngine(), limits);
  store.enableCollection({});
  auto module = compileWat(sharedEngine(), kSelf);
  for (int i = 0; i < 30; ++i) {
    auto inst = store.instantiate(module, {});
    REQUIRE(inst.ok());
    // Counting every memory ever made, the third instantiation would be refused.
    CHECK(store.collect() == 1);
  }
  auto a = store.instantiate(module, {});
  auto b = store.instantiate(module, {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  InstanceRoot ra = store.root(**a), rb = store.root(**b);
  auto c = store.instantiate(module, {});
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().kind == ErrorKind::Exhaustion);
}

TEST_CASE("collect: an externref keeps what the hook names; onFree sees every object freed") {
  Store store(sharedEngine());
  std::vector<const void*> freed;
  Store::CollectionHooks hooks;
  hooks.externRefOwner = [](void* ref) { return static_cast<Instance*>(ref); };
  hooks.onFree = [&](const void* object) { freed.push_back(object); };
  store.enableCollection(hooks);
  auto module = compileWat(sharedEngine(), kSelf);
  auto inst = store.instantiate(module, {});
  REQUIRE(inst.ok());
  auto global = store.createGlobal({ir::ValType::ExternRef, ir::Mutability::Var}, RawValue{});
  REQUIRE(global.ok());
  RawValue ref{};
  ref.ref = *inst;
  REQUIRE((*global)->set(ref).ok());
  CHECK(store.collect() == 0);
  CHECK(freed.empty());
  REQUIRE((*global)->set(RawValue{}).ok());
  Memory* memory = (*inst)->memory(0);
  Table* table = (*inst)->table(0);
  Func* f = (*inst)->func(0);
  CHECK(store.collect() == 1);
  CHECK(freed.size() == 4);  // the function, the table, the memory, the instance
  for (const void* object : {static_cast<const void*>(f), static_cast<const void*>(table),
                             static_cast<const void*>(memory), static_cast<const void*>(*inst)})
    CHECK(std::find(freed.begin(), freed.end(), object) != freed.end());
}

TEST_CASE("collect: the last trap's frames lose an instance that was freed") {
  Store store(sharedEngine());
  auto module = compileWat(sharedEngine(), R"((module (func (export "f") unreachable)))");
  auto inst = store.instantiate(module, {});
  REQUIRE(inst.ok());
  REQUIRE_FALSE((*inst)->exportByName("f")->func()->call({}, {}).ok());
  REQUIRE_FALSE(store.lastTrap().frames.empty());
  CHECK(store.lastTrap().frames[0].instance == *inst);
  CHECK(store.collect() == 1);
  CHECK(store.lastTrap().frames[0].instance == nullptr);
}
