// Instantiation without running code: import matching, segments, globals, exports, limits.
#include <cstring>

#include "helpers.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

std::string instantiateError(Store& store, const std::shared_ptr<const Module>& module,
                             std::vector<Extern> imports, ErrorKind expectedKind) {
  auto inst = store.instantiate(module, imports);
  REQUIRE_FALSE(inst.ok());
  CHECK(inst.error().kind == expectedKind);
  return inst.error().message;
}

}  // namespace

TEST_CASE("instantiate: exports of every kind, by name and in order") {
  Engine& engine = noCodeEngine();
  Store store(engine);
  auto module = compileWat(engine, R"((module
    (func $f (export "f") (param i32) (result i32) local.get 0)
    (table (export "t") 2 10 funcref)
    (memory (export "m") 1 3)
    (global (export "g") (mut i64) (i64.const -5))
    (global (export "c") f32 (f32.const 1.5)))
  )");
  auto inst = store.instantiate(module, {});
  REQUIRE(inst.ok());
  Instance& i = **inst;
  REQUIRE(i.exports().size() == 5);
  CHECK(i.exports()[0].first == "f");
  auto f = i.exportByName("f");
  REQUIRE(f);
  REQUIRE(f->func());
  CHECK(f->func()->type() == ir::FuncType{{ir::ValType::I32}, {ir::ValType::I32}});
  CHECK_FALSE(f->func()->isHost());
  CHECK(f->func()->instance() == &i);
  CHECK(Func::fromRef(f->func()->ref()) == f->func());
  CHECK(i.exportByName("t")->table()->size() == 2);
  CHECK(i.exportByName("m")->memory()->pages() == 1);
  CHECK(i.exportByName("g")->global()->get().i64 == -5);
  CHECK(i.exportByName("c")->global()->get().f32 == 1.5f);
  CHECK_FALSE(i.exportByName("nope"));
  // Export types come from the module too.
  auto exports = module->exports();
  REQUIRE(exports.size() == 5);
  CHECK(exports[2].type.kind == ir::ExternKind::Memory);
  CHECK(exports[2].type.memory.limits.max == 3u);
  // Without code a call is refused, not crashed.
  RawValue arg = i32(1), res{};
  auto st = f->func()->call({&arg, 1}, {&res, 1});
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().kind == ErrorKind::Unsupported);
}

TEST_CASE("instantiate: unknown import and incompatible import type") {
  Engine& engine = noCodeEngine();
  Store store(engine);
  auto module = compileWat(engine, R"((module
    (import "m" "f" (func (param i32)))
    (import "m" "t" (table 1 5 funcref))
    (import "m" "mem" (memory 1 2))
    (import "m" "g" (global (mut i32)))))");
  auto f = store.createHostFunc({{ir::ValType::I32}, {}}, [](Caller&, const RawValue*, RawValue*) { return Status{}; });
  REQUIRE(f.ok());
  auto fWrong = store.createHostFunc({{ir::ValType::I64}, {}}, [](Caller&, const RawValue*, RawValue*) { return Status{}; });
  REQUIRE(fWrong.ok());
  auto t = store.createTable({{2, 5}, ir::ValType::FuncRef});
  auto tNoMax = store.createTable({{2, std::nullopt}, ir::ValType::FuncRef});
  auto tExtern = store.createTable({{2, 5}, ir::ValType::ExternRef});
  auto mem = store.createMemory({{1, 2}});
  auto memBig = store.createMemory({{1, 3}});
  auto g = store.createGlobal({ir::ValType::I32, ir::Mutability::Var}, i32(7));
  auto gConst = store.createGlobal({ir::ValType::I32, ir::Mutability::Const}, i32(7));
  REQUIRE((t.ok() && tNoMax.ok() && tExtern.ok() && mem.ok() && memBig.ok() && g.ok() && gConst.ok()));

  CHECK(store.instantiate(module, {Extern(*f), Extern(*t), Extern(*mem), Extern(*g)}).ok());

  CHECK(instantiateError(store, module, {Extern(*f), Extern(*t), Extern(*mem)}, ErrorKind::Unlinkable)
            .starts_with("unknown import"));
  CHECK(instantiateError(store, module, {Extern(*f), Extern(*t), Extern(), Extern(*g)}, ErrorKind::Unlinkable)
            .starts_with("unknown import"));
  auto incompatible = [&](std::vector<Extern> imports) {
    CHECK(instantiateError(store, module, std::move(imports), ErrorKind::Unlinkable)
              .starts_with("incompatible import type"));
  };
  incompatible({Extern(*fWrong), Extern(*t), Extern(*mem), Extern(*g)});
  incompatible({Extern(*f), Extern(*tNoMax), Extern(*mem), Extern(*g)});   // max required
  incompatible({Extern(*f), Extern(*tExtern), Extern(*mem), Extern(*g)});  // element type
  incompatible({Extern(*f), Extern(*t), Extern(*memBig), Extern(*g)});     // max 3 > 2
  incompatible({Extern(*f), Extern(*t), Extern(*mem), Extern(*gConst)});   // mutability
  incompatible({Extern(*mem), Extern(*t), Extern(*mem), Extern(*g)});      // kind
  // The type of a table is its current size: growing it makes it match a larger minimum.
  auto needs4 = compileWat(engine, R"((module (import "m" "t" (table 4 funcref))))");
  CHECK_FALSE(store.instantiate(needs4, {Extern(*t)}).ok());
  REQUIRE((*t)->grow(2, nullptr).ok());
  CHECK(store.instantiate(needs4, {Extern(*t)}).ok());
}

TEST_CASE("limits subtyping") {
  auto mem = [](uint64_t min, std::optional<uint64_t> max) {
    ExternType t;
    t.kind = ir::ExternKind::Memory;
    t.memory.limits = {min, max};
    return t;
  };
  CHECK(externTypeMatches(mem(2, 5), mem(1, 5)));
  CHECK(externTypeMatches(mem(2, 4), mem(1, std::nullopt)));
  CHECK(externTypeMatches(mem(2, std::nullopt), mem(1, std::nullopt)));
  CHECK_FALSE(externTypeMatches(mem(0, 5), mem(1, 5)));
  CHECK_FALSE(externTypeMatches(mem(2, std::nullopt), mem(1, 5)));
  CHECK_FALSE(externTypeMatches(mem(2, 6), mem(1, 5)));
}

TEST_CASE("instantiate: global initializers read imported globals; ref.func") {
  Engine& engine = noCodeEngine();
  Store store(engine);
  auto module = compileWat(engine, R"((module
    (import "m" "g" (global i32))
    (global (export "copy") i32 (global.get 0))
    (global (export "fr") funcref (ref.func $f))
    (global (export "nr") externref (ref.null extern))
    (func $f (export "f"))))");
  auto g = store.createGlobal({ir::ValType::I32, ir::Mutability::Const}, i32(42));
  REQUIRE(g.ok());
  auto inst = store.instantiate(module, {Extern(*g)});
  REQUIRE(inst.ok());
  CHECK((*inst)->exportByName("copy")->global()->get().i32 == 42);
  Func* f = (*inst)->exportByName("f")->func();
  CHECK((*inst)->exportByName("fr")->global()->get().ref == f->ref());
  CHECK((*inst)->exportByName("nr")->global()->get().ref == nullptr);
  // The imported global is the same object, not a copy.
  CHECK((*inst)->global(0) == *g);
}

TEST_CASE("instantiate: active segments, out of bounds, and partial effects") {
  Engine& engine = noCodeEngine();
  Store store(engine);
  auto mem = store.createMemory({{1, std::nullopt}});
  auto table = store.createTable({{4, std::nullopt}, ir::ValType::FuncRef});
  REQUIRE((mem.ok() && table.ok()));
  auto good = compileWat(engine, R"((module
    (import "m" "mem" (memory 1))
    (import "m" "t" (table 4 funcref))
    (func $a) (func $b)
    (elem (i32.const 1) $a $b)
    (data (i32.const 65533) "xyz")))");
  auto inst = store.instantiate(good, {Extern(*mem), Extern(*table)});
  REQUIRE(inst.ok());
  CHECK(std::memcmp((*mem)->data() + 65533, "xyz", 3) == 0);
  CHECK(*(*table)->get(0) == nullptr);
  CHECK(Func::fromRef(*(*table)->get(1)) == (*inst)->func(0));
  CHECK(Func::fromRef(*(*table)->get(2)) == (*inst)->func(1));

  // The first data segment applies; the second is out of bounds (by one byte); the elements of
  // the first element segment were applied before any data.
  auto partial = compileWat(engine, R"((module
    (import "m" "mem" (memory 1))
    (import "m" "t" (table 4 funcref))
    (func $c)
    (elem (i32.const 3) $c)
    (data (i32.const 0) "ab")
    (data (i32.const 65534) "xyz")))");
  auto err = store.instantiate(partial, {Extern(*mem), Extern(*table)});
  REQUIRE_FALSE(err.ok());
  CHECK(err.error().kind == ErrorKind::Uninstantiable);
  CHECK(err.error().message == "out of bounds memory access");
  CHECK(std::memcmp((*mem)->data(), "ab", 2) == 0);
  Func* c = Func::fromRef(*(*table)->get(3));
  REQUIRE(c);
  CHECK(c->index() == 0);

  auto badElem = compileWat(engine, R"((module
    (import "m" "mem" (memory 1))
    (import "m" "t" (table 4 funcref))
    (func $d)
    (elem (i32.const 0) $d)
    (elem (i32.const 4) $d)
    (data (i32.const 10) "never")))");
  err = store.instantiate(badElem, {Extern(*mem), Extern(*table)});
  REQUIRE_FALSE(err.ok());
  CHECK(err.error().kind == ErrorKind::Uninstantiable);
  CHECK(err.error().message == "out of bounds table access");
  CHECK(Func::fromRef(*(*table)->get(0))->index() == 0);
  CHECK((*mem)->data()[10] == 0);  // data segments come after elements

  // An empty segment at exactly the end is in bounds; one past the end is not.
  auto edge = compileWat(engine, R"((module
    (import "m" "mem" (memory 1))
    (import "m" "t" (table 4 funcref))
    (elem (i32.const 4))
    (data (i32.const 65536) "")))");
  CHECK(store.instantiate(edge, {Extern(*mem), Extern(*table)}).ok());
  auto pastEdge = compileWat(engine, R"((module
    (import "m" "mem" (memory 1))
    (data (i32.const 65537) "")))");
  CHECK_FALSE(store.instantiate(pastEdge, {Extern(*mem)}).ok());
}

TEST_CASE("instantiate: passive and declarative element segments") {
  Engine& engine = noCodeEngine();
  Store store(engine);
  auto module = compileWat(engine, R"((module
    (table 2 funcref)
    (func $f)
    (elem $p func $f $f)
    (elem $d declare func $f)
    (data $pd "hello")))");
  auto inst = store.instantiate(module, {});
  REQUIRE(inst.ok());
  // Passive segments are not applied at instantiation.
  CHECK(*(*inst)->table(0)->get(0) == nullptr);
}

TEST_CASE("instantiate: imports must come from the same store") {
  Engine& engine = noCodeEngine();
  Store a(engine), b(engine);
  auto g = a.createGlobal({ir::ValType::I32, ir::Mutability::Const}, i32(1));
  REQUIRE(g.ok());
  auto module = compileWat(engine, R"((module (import "m" "g" (global i32))))");
  CHECK(a.instantiate(module, {Extern(*g)}).ok());
  CHECK(instantiateError(b, module, {Extern(*g)}, ErrorKind::Unlinkable).starts_with("incompatible import type"));
}
