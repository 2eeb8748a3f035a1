// The name-based linker: definitions, shadowing, errors that name the import, and a guest
// ending itself with an exit status through a host function (the WASI proc_exit path).
#include "helpers.h"
#include "orca/runtime/linker.h"

using namespace orca;
using namespace orca::runtime;
using namespace orca::runtime::test;

namespace {

const char* kImporter = R"((module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "mem" (memory 1))
  (import "env" "g" (global i32))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $add (local.get 0) (global.get 0)) (i32.load (i32.const 0))))))";

Func* addFunc(Store& store) {
  auto f = store.createHostFunc({{ir::ValType::I32, ir::ValType::I32}, {ir::ValType::I32}},
                                [](Caller&, const RawValue* args, RawValue* results) -> Status {
                                  results[0].i32 = args[0].i32 + args[1].i32;
                                  return {};
                                });
  REQUIRE(f.ok());
  return *f;
}

}  // namespace

TEST_CASE("linker: imports resolve by name, in any definition order") {
  Store store(sharedEngine());
  Linker linker(store);
  auto global = store.createGlobal({ir::ValType::I32, ir::Mutability::Const}, i32(100));
  auto memory = store.createMemory({{1, std::nullopt}});
  REQUIRE(global.ok());
  REQUIRE(memory.ok());
  (*memory)->data()[0] = 7;
  REQUIRE(linker.define("env", "g", *global).ok());
  REQUIRE(linker.define("env", "mem", *memory).ok());
  REQUIRE(linker.define("env", "add", addFunc(store)).ok());
  auto instance = linker.instantiate(compileWat(sharedEngine(), kImporter));
  REQUIRE_MESSAGE(instance.ok(), (instance.ok() ? "" : instance.error().describe()));
  Func* run = (*instance)->exportByName("run")->func();
  RawValue io[1] = {i32(5)};
  REQUIRE(run->callInPlace(io).ok());
  CHECK(io[0].i32 == 5 + 100 + 7);
  CHECK(linker.definitions().size() == 3);
}

TEST_CASE("linker: a missing or mismatched import is named in the error") {
  Store store(noCodeEngine());
  Linker linker(store);
  auto module = compileWat(noCodeEngine(), kImporter);
  auto missing = linker.instantiate(module);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::Unlinkable);
  CHECK(missing.error().message == "unknown import: \"env\" \"add\" (func (i32 i32) -> (i32))");

  auto wrong = store.createHostFunc({{ir::ValType::I64}, {}}, [](Caller&, const RawValue*, RawValue*) { return Status{}; });
  REQUIRE(wrong.ok());
  REQUIRE(linker.define("env", "add", *wrong).ok());
  auto mismatch = linker.instantiate(module);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().kind == ErrorKind::Unlinkable);
  CHECK(mismatch.error().message ==
        "incompatible import type for \"env\" \"add\": expected func (i32 i32) -> (i32), got func (i64) -> ()");
}

TEST_CASE("linker: duplicates are refused unless shadowing is allowed; instances define their exports") {
  Store store(noCodeEngine());
  Linker linker(store);
  auto a = store.createGlobal({ir::ValType::I32, ir::Mutability::Const}, i32(1));
  auto b = store.createGlobal({ir::ValType::I32, ir::Mutability::Const}, i32(2));
  REQUIRE(linker.define("m", "x", *a).ok());
  auto dup = linker.define("m", "x", *b);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message == "duplicate definition of \"m\" \"x\"");
  CHECK(linker.get("m", "x")->global() == *a);
  auto dupFunc = linker.defineFunc("m", "x", {}, [](Caller&, const RawValue*, RawValue*) { return Status{}; });
  CHECK_FALSE(dupFunc.ok());
  linker.allowShadowing(true);
  REQUIRE(linker.define("m", "x", *b).ok());
  CHECK(linker.get("m", "x")->global() == *b);
  CHECK_FALSE(linker.get("m", "y"));

  auto exporter = store.instantiate(
      compileWat(noCodeEngine(), R"((module (memory (export "mem") 1) (global (export "g") i32 (i32.const 3))))"), {});
  REQUIRE(exporter.ok());
  linker.allowShadowing(false);
  REQUIRE(linker.defineInstance("lib", **exporter).ok());
  CHECK(linker.get("lib", "mem")->memory() != nullptr);
  CHECK(linker.get("lib", "g")->global()->get().i32 == 3);
  CHECK_FALSE(linker.defineInstance("lib", **exporter).ok());

  Store other(noCodeEngine());
  auto foreign = other.createGlobal({ir::ValType::I32, ir::Mutability::Const}, i32(1));
  auto cross = linker.define("m", "z", *foreign);
  REQUIRE_FALSE(cross.ok());
  CHECK(cross.error().kind == ErrorKind::Invalid);
}

TEST_CASE("linker: a host function that returns an exit error ends the guest with ErrorKind::Exit") {
  Store store(sharedEngine());
  Linker linker(store);
  auto exitFunc = linker.defineFunc("wasi_snapshot_preview1", "proc_exit", {{ir::ValType::I32}, {}},
                                    [](Caller&, const RawValue* args, RawValue*) -> Status {
                                      return makeExitError(args[0].i32);
                                    });
  REQUIRE(exitFunc.ok());
  auto instance = linker.instantiate(compileWat(sharedEngine(), R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (func (export "_start") (call $exit (i32.const 42)) unreachable)))"));
  REQUIRE(instance.ok());
  auto status = (*instance)->exportByName("_start")->func()->call({}, {});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == ErrorKind::Exit);
  CHECK(status.error().exitCode == 42);
  CHECK(status.error().message == "exit status 42");
  CHECK(store.lastTrap().code == TrapCode::Exit);
  CHECK(store.lastTrap().exitCode == 42);
  // An exit names its frames' functions (at their start) without reading the code's DWARF.
  REQUIRE(store.lastTrap().frames.size() == 1);
  CHECK(store.lastTrap().frames[0].funcIndex == 1);
  CHECK(store.lastTrap().frames[0].funcOffset == 0);

  // Called from the host directly, the same error comes back.
  RawValue arg = i32(3);
  auto direct = (*exitFunc)->call({&arg, 1}, {});
  REQUIRE_FALSE(direct.ok());
  CHECK(direct.error().kind == ErrorKind::Exit);
  CHECK(direct.error().exitCode == 3);
}
