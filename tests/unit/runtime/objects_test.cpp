// Memories, tables and globals through the API: reservation, growth, limits, get/set.
#include <sys/mman.h>
#include <sys/resource.h>

#include <cerrno>

#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

// mprotect fails with ENOMEM on addresses that are not mapped: a non-destructive probe of the
// reservation (PROT_NONE on PROT_NONE pages changes nothing).
bool mapped(const void* addr, size_t len) {
  return mprotect(const_cast<void*>(addr), len, PROT_NONE) == 0 || errno != ENOMEM;
}

}  // namespace

TEST_CASE("memory: guarded reservation covers 8 GiB plus a tail; grow exposes zeroed pages") {
  Store store(noCodeEngine());
  auto mem = store.createMemory({{1, 4}});
  REQUIRE(mem.ok());
  Memory* m = *mem;
  CHECK(m->pages() == 1);
  CHECK(m->dataSize() == 65536);
  m->data()[0] = 1;
  m->data()[65535] = 2;
  // The guard region is reserved (a fault there is a trap, not someone else's mapping).
  CHECK(mapped(m->data() + (8ull << 30), 65536));
  CHECK(mapped(m->data() + (4ull << 30), 4096));

  auto old = m->grow(2);
  REQUIRE(old.ok());
  CHECK(*old == 1);
  CHECK(m->pages() == 3);
  CHECK(m->data()[65535] == 2);
  CHECK(m->data()[3 * 65536 - 1] == 0);
  m->data()[3 * 65536 - 1] = 7;  // writable
  CHECK(m->grow(0).ok());
  CHECK(*m->grow(1) == 3);
  CHECK_FALSE(m->grow(1).ok());  // max 4
  CHECK(m->pages() == 4);
  CHECK(m->type().limits.min == 4);
  CHECK(m->type().limits.max == 4u);
  CHECK(Memory::fromHeader(m->header()) == m);
}

TEST_CASE("memory: store limit, 4 GiB maximum, invalid types") {
  Store store(noCodeEngine());
  store.limits().maxMemoryPages = 10;
  auto mem = store.createMemory({{2, std::nullopt}});
  REQUIRE(mem.ok());
  CHECK_FALSE((*mem)->grow(9).ok());
  CHECK((*mem)->grow(8).ok());
  CHECK_FALSE(store.createMemory({{11, std::nullopt}}).ok());
  CHECK_FALSE(store.createMemory({{1, 65537}}).ok());
  CHECK_FALSE(store.createMemory({{3, 2}}).ok());

  Store big(noCodeEngine());
  auto huge = big.createMemory({{0, std::nullopt}});
  REQUIRE(huge.ok());
  CHECK_FALSE((*huge)->grow(65537).ok());
  CHECK_FALSE((*huge)->grow(UINT64_MAX).ok());
  // Growing to the full 4 GiB only commits address space (MAP_NORESERVE).
  CHECK((*huge)->grow(65536).ok());
  CHECK((*huge)->dataSize() == (4ull << 30));
  (*huge)->data()[(4ull << 30) - 1] = 9;
  CHECK_FALSE((*huge)->grow(1).ok());
}

TEST_CASE("memory: bounds-checked mode reserves only the maximum") {
  EngineConfig config;
  config.compileCode = false;
  config.memoryMode = MemoryMode::BoundsChecked;
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  CHECK((*engine)->config().compile.explicitBoundsChecks);
  Store store(**engine);
  auto mem = store.createMemory({{1, 2}});
  REQUIRE(mem.ok());
  CHECK(mapped((*mem)->data() + 65536, 65536));
  CHECK((*mem)->grow(1).ok());
  CHECK_FALSE((*mem)->grow(1).ok());
  (*mem)->data()[2 * 65536 - 1] = 1;
}

TEST_CASE("many memories can be created and freed") {
  // 8 GiB each: a few hundred fit easily in 47 bits of address space, and destroying the store
  // gives the space back.
  for (int round = 0; round < 3; ++round) {
    Store store(noCodeEngine());
    for (int i = 0; i < 200; ++i) REQUIRE(store.createMemory({{1, std::nullopt}}).ok());
  }
  Store limited(noCodeEngine());
  limited.limits().maxMemories = 2;
  CHECK(limited.createMemory({{0, std::nullopt}}).ok());
  CHECK(limited.createMemory({{0, std::nullopt}}).ok());
  auto third = limited.createMemory({{0, std::nullopt}});
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().kind == ErrorKind::Exhaustion);
}

TEST_CASE("table: get/set/grow with bounds and limits") {
  Store store(noCodeEngine());
  int a = 1, b = 2;
  auto t = store.createTable({{2, 5}, ir::ValType::ExternRef}, &a);
  REQUIRE(t.ok());
  Table* table = *t;
  CHECK(table->size() == 2);
  CHECK(*table->get(1) == &a);
  CHECK(table->set(0, &b).ok());
  CHECK(*table->get(0) == &b);
  auto oob = table->get(2);
  REQUIRE_FALSE(oob.ok());
  CHECK(oob.error().message == "out of bounds table access");
  CHECK_FALSE(table->set(2, nullptr).ok());
  CHECK(*table->grow(3, nullptr) == 2);
  CHECK(table->size() == 5);
  CHECK(table->header()->size == 5);
  CHECK(table->header()->elements[4] == nullptr);
  CHECK(*table->get(0) == &b);
  CHECK_FALSE(table->grow(1, nullptr).ok());
  CHECK(table->type().limits.min == 5);
  CHECK(Table::fromHeader(table->header()) == table);

  store.limits().maxTableElements = 100;
  auto unbounded = store.createTable({{0, std::nullopt}, ir::ValType::FuncRef});
  REQUIRE(unbounded.ok());
  CHECK_FALSE((*unbounded)->grow(101, nullptr).ok());
  CHECK((*unbounded)->grow(100, nullptr).ok());
  CHECK_FALSE(store.createTable({{3, 2}, ir::ValType::FuncRef}).ok());
  CHECK_FALSE(store.createTable({{0, 2}, ir::ValType::I32}).ok());
}

TEST_CASE("global: get/set with a mutability check; imported globals share the cell") {
  Engine& engine = noCodeEngine();
  Store store(engine);
  auto g = store.createGlobal({ir::ValType::I64, ir::Mutability::Var}, i64(1));
  auto c = store.createGlobal({ir::ValType::F64, ir::Mutability::Const}, RawValue{.f64 = 2.5});
  REQUIRE((g.ok() && c.ok()));
  CHECK((*g)->set(i64(-9)).ok());
  CHECK((*g)->get().i64 == -9);
  auto s = (*c)->set(RawValue{.f64 = 1.0});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "immutable global");
  CHECK((*c)->get().f64 == 2.5);

  auto module = compileWat(engine, R"((module
    (import "m" "g" (global $g (mut i64)))
    (export "again" (global $g))))");
  auto inst = store.instantiate(module, {Extern(*g)});
  REQUIRE(inst.ok());
  Global* again = (*inst)->exportByName("again")->global();
  CHECK(again == *g);
  CHECK((*inst)->vmctx()->globals[0] == (*g)->cell());
  REQUIRE((*g)->set(i64(77)).ok());
  CHECK((*inst)->vmctx()->globals[0]->value.i64 == 77);
}

TEST_CASE("engine: function types are interned process-wide") {
  Engine& engine = noCodeEngine();
  ir::FuncType a{{ir::ValType::I32}, {ir::ValType::I64}};
  ir::FuncType b{{ir::ValType::I32}, {ir::ValType::I64}};
  ir::FuncType c{{ir::ValType::I64}, {ir::ValType::I32}};
  CHECK(engine.internType(a) == engine.internType(b));
  CHECK(engine.internType(a) != engine.internType(c));
  CHECK(engine.typeById(engine.internType(c)) == c);
  // Modules use the same ids (call_indirect across modules compares them).
  Store store(engine);
  auto module = compileWat(engine, R"((module (type (func (param i32) (result i64))) (func (type 0) i64.const 0)))");
  CHECK(module->typeIds()[0] == engine.internType(a));
}

TEST_CASE("module: decode and validation errors come back as values") {
  Engine& engine = noCodeEngine();
  std::vector<uint8_t> garbage = {0, 'a', 's', 'x'};
  auto m = Module::compile(engine, garbage);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Malformed);
  auto bytes = text::watToWasm("(module (func (result i32) i64.const 0))");
  REQUIRE(bytes.ok());
  m = Module::compile(engine, *bytes);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Invalid);
  CHECK(m.error().message.starts_with("type mismatch"));
}

#if defined(__SANITIZE_ADDRESS__)
#define ORCA_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ORCA_TEST_ASAN 1
#endif
#endif

// AddressSanitizer's own mappings need address space that RLIMIT_AS would take away.
#ifndef ORCA_TEST_ASAN
TEST_CASE("engine: falls back to bounds checks when 8 GiB cannot be reserved") {
  struct rlimit saved {};
  REQUIRE(getrlimit(RLIMIT_AS, &saved) == 0);
  struct rlimit limited = saved;
  limited.rlim_cur = 6ull << 30;  // below one guarded reservation; existing mappings stay
  REQUIRE(setrlimit(RLIMIT_AS, &limited) == 0);
  EngineConfig config;
  config.compileCode = false;
  auto engine = Engine::create(config);
  REQUIRE(setrlimit(RLIMIT_AS, &saved) == 0);
  REQUIRE(engine.ok());
  CHECK((*engine)->config().memoryMode == MemoryMode::BoundsChecked);
  CHECK((*engine)->config().compile.explicitBoundsChecks);
  auto normal = Engine::create(config);
  REQUIRE(normal.ok());
  CHECK((*normal)->config().memoryMode == MemoryMode::Guarded);

  // A guarded engine whose reservation fails later: a clear Exhaustion error, not a crash.
  Store store(**normal);
  REQUIRE(setrlimit(RLIMIT_AS, &limited) == 0);
  auto memory = store.createMemory({{1, std::nullopt}});
  REQUIRE(setrlimit(RLIMIT_AS, &saved) == 0);
  REQUIRE_FALSE(memory.ok());
  CHECK(memory.error().kind == ErrorKind::Exhaustion);
  CHECK(memory.error().message.find("BoundsChecked") != std::string::npos);
}
#endif

TEST_CASE("engine: signature ids are the same in every engine") {
  EngineConfig config;
  config.compileCode = false;
  auto other = Engine::create(config);
  REQUIRE(other.ok());
  ir::FuncType t{{ir::ValType::F64, ir::ValType::ExternRef}, {ir::ValType::V128}};
  CHECK(noCodeEngine().internType(t) == (*other)->internType(t));
}
