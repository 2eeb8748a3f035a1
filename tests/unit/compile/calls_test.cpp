// Calls: direct, imported (host thunks), indirect with every trap, multi-value results, br_table,
// globals, references, and the prologue checks (stack, fuel, interruption).
#include "harness.h"

using namespace orca;
using namespace orca::testing;

TEST_CASE("call_indirect: signature check, undefined and uninitialized elements") {
  Instance inst(R"((module
    (type $ii (func (param i32) (result i32)))
    (type $v (func (result i32)))
    (table 4 funcref)
    (elem (i32.const 0) $double $seven $double)
    (func $double (type $ii) local.get 0 i32.const 2 i32.mul)
    (func $seven (type $v) i32.const 7)
    (func (export "call-ii") (param i32 i32) (result i32)
      local.get 1 local.get 0 call_indirect (type $ii))
    (func (export "call-v") (param i32) (result i32) local.get 0 call_indirect (type $v))))");
  CHECK(inst.invoke("call-ii", {I32(0), I32(21)}).i32() == 42);
  CHECK(inst.invoke("call-ii", {I32(2), I32(5)}).i32() == 10);
  CHECK(inst.invoke("call-v", {I32(1)}).i32() == 7);
  CHECK(inst.invoke("call-ii", {I32(1), I32(5)}).trap == TrapCode::IndirectCallTypeMismatch);
  CHECK(inst.invoke("call-v", {I32(0)}).trap == TrapCode::IndirectCallTypeMismatch);
  CHECK(inst.invoke("call-v", {I32(3)}).trap == TrapCode::UninitializedElement);
  CHECK(inst.invoke("call-v", {I32(4)}).trap == TrapCode::UndefinedElement);
  CHECK(inst.invoke("call-v", {I32(-1)}).trap == TrapCode::UndefinedElement);
}

TEST_CASE("multi-value results through calls, blocks, if and the entry trampoline") {
  Instance inst(R"((module
    (func $swap (param i32 i64) (result i64 i32) local.get 1 local.get 0)
    (func (export "swap") (param i32 i64) (result i64 i32) local.get 0 local.get 1 call $swap)
    (func (export "block") (param i32) (result i32 i32 i32)
      local.get 0
      block (param i32) (result i32 i32 i32)
        i32.const 1 i32.const 2
      end)
    (func (export "if") (param i32) (result f64 i32)
      f64.const 1.5 local.get 0
      if (param f64) (result f64 i32) i32.const 10 else i32.const 20 end)
    (func (export "if-no-else") (param i32 i32) (result i32)
      local.get 1 local.get 0 if (param i32) (result i32) i32.const 100 i32.add end)
    (func (export "loop-params") (result i32) (local i32)
      i32.const 0
      loop (param i32) (result i32)
        i32.const 1 i32.add
        local.tee 0 local.get 0 i32.const 10 i32.lt_u br_if 0
      end)
    (func (export "br-values") (param i32) (result i32 i64)
      block (result i32 i64)
        i32.const 1 i64.const 2 local.get 0 br_if 0 drop drop
        i32.const 3 i64.const 4
      end)))");
  auto s = inst.invoke("swap", {I32(7), I64(-9)});
  CHECK(s.i64(0) == -9);
  CHECK(s.i32(1) == 7);
  auto blk = inst.invoke("block", {I32(5)});
  CHECK(blk.i32(0) == 5);
  CHECK(blk.i32(1) == 1);
  CHECK(blk.i32(2) == 2);
  CHECK(inst.invoke("if", {I32(1)}).i32(1) == 10);
  CHECK(inst.invoke("if", {I32(0)}).i32(1) == 20);
  CHECK(inst.invoke("if", {I32(0)}).f64(0) == 1.5);
  CHECK(inst.invoke("if-no-else", {I32(1), I32(5)}).i32() == 105);
  CHECK(inst.invoke("if-no-else", {I32(0), I32(5)}).i32() == 5);
  CHECK(inst.invoke("loop-params").i32() == 10);
  CHECK(inst.invoke("br-values", {I32(1)}).i64(1) == 2);
  CHECK(inst.invoke("br-values", {I32(0)}).i64(1) == 4);
  CHECK(inst.invoke("br-values", {I32(0)}).i32(0) == 3);
}

TEST_CASE("br_table with duplicate targets, default and values") {
  Instance inst(R"((module
    (func (export "sel") (param i32) (result i32)
      block (result i32) block (result i32) block (result i32)
        i32.const 100 local.get 0 br_table 0 1 0 2
      end i32.const 1 i32.add return
      end i32.const 2 i32.add return
      end i32.const 3 i32.add)
    (func (export "loop") (param i32) (result i32) (local i32)
      block loop
        local.get 1 i32.const 1 i32.add local.set 1
        local.get 0 i32.const 1 i32.sub local.tee 0
        br_table 1 0
      end end
      local.get 1)))");
  CHECK(inst.invoke("sel", {I32(0)}).i32() == 101);
  CHECK(inst.invoke("sel", {I32(1)}).i32() == 102);
  CHECK(inst.invoke("sel", {I32(2)}).i32() == 101);
  CHECK(inst.invoke("sel", {I32(3)}).i32() == 103);
  CHECK(inst.invoke("sel", {I32(-1)}).i32() == 103);
  CHECK(inst.invoke("loop", {I32(5)}).i32() == 5);
}

TEST_CASE("imported host functions through the host thunk") {
  std::vector<std::function<void(RawValue*)>> hosts{
      [](RawValue* a) { a[0].i64 = a[0].i32 * int64_t{1000} + static_cast<int64_t>(a[1].f64); },
      [](RawValue* a) {
        int32_t x = a[0].i32;
        a[0].i32 = x + 1;
        a[1].f32 = 0.5f;
      },
  };
  Instance inst(R"((module
    (import "host" "mix" (func $mix (param i32 f64) (result i64)))
    (import "host" "pair" (func $pair (param i32) (result i32 f32)))
    (table 1 funcref) (elem (i32.const 0) $mix)
    (func (export "mix") (param i32 f64) (result i64) local.get 0 local.get 1 call $mix)
    (func (export "pair") (param i32) (result i32 f32) local.get 0 call $pair)
    (func (export "indirect") (result i64)
      i32.const 3 f64.const 4.0 i32.const 0 call_indirect (param i32 f64) (result i64))))", {}, hosts);
  CHECK(inst.invoke("mix", {I32(3), F64(25.0)}).i64() == 3025);
  auto p = inst.invoke("pair", {I32(41)});
  CHECK(p.i32(0) == 42);
  CHECK(p.f32(1) == 0.5f);
  CHECK(inst.invoke("indirect").i64() == 3004);
}

TEST_CASE("globals, select and references") {
  Instance inst(R"((module
    (global $g (mut i64) (i64.const 5))
    (global $c f32 (f32.const 2.5))
    (global $r (mut funcref) (ref.null func))
    (func $f)
    (elem declare func $f)
    (func (export "inc") (result i64) global.get $g i64.const 1 i64.add global.set $g global.get $g)
    (func (export "c") (result f32) global.get $c)
    (func (export "sel") (param i32) (result i64) i64.const 1 i64.const 2 local.get 0 select)
    (func (export "selt") (param i32) (result f64) f64.const 1 f64.const 2 local.get 0 select (result f64))
    (func (export "ref") (result i32)
      global.get $r ref.is_null
      ref.func $f global.set $r
      global.get $r ref.is_null
      i32.const 10 i32.mul i32.add)))");
  CHECK(inst.invoke("inc").i64() == 6);
  CHECK(inst.invoke("inc").i64() == 7);
  CHECK(inst.global(0).value.i64 == 7);
  CHECK(inst.invoke("c").f32() == 2.5f);
  CHECK(inst.invoke("sel", {I32(1)}).i64() == 1);
  CHECK(inst.invoke("sel", {I32(0)}).i64() == 2);
  CHECK(inst.invoke("selt", {I32(0)}).f64() == 2.0);
  CHECK(inst.invoke("ref").i32() == 1);
  CHECK(inst.global(2).value.ref != nullptr);
}

TEST_CASE("tables: get, set, size, bounds") {
  Instance inst(R"((module
    (table $t 2 externref)
    (func (export "set") (param i32 externref) local.get 0 local.get 1 table.set $t)
    (func (export "get") (param i32) (result externref) local.get 0 table.get $t)
    (func (export "size") (result i32) table.size $t)))");
  RawValue ref{};
  ref.ref = &ref;
  CHECK(inst.invoke("set", {I32(1), ref}).values.empty());
  CHECK(inst.invoke("get", {I32(1)}).values.at(0).ref == &ref);
  CHECK(inst.invoke("get", {I32(0)}).values.at(0).ref == nullptr);
  CHECK(inst.invoke("get", {I32(2)}).trap == TrapCode::TableOutOfBounds);
  CHECK(inst.invoke("set", {I32(-1), ref}).trap == TrapCode::TableOutOfBounds);
  CHECK(inst.invoke("size").i32() == 2);
}

TEST_CASE("deep recursion traps with call stack exhausted, and the instance stays usable") {
  Instance inst(R"((module
    (func $down (export "down") (param i64) (result i64)
      local.get 0 i64.eqz if (result i64) i64.const 0
      else local.get 0 i64.const 1 i64.sub call $down i64.const 1 i64.add end)
    (func $inf (export "inf") call $inf)))");
  CHECK(inst.invoke("down", {I64(1000)}).i64() == 1000);
  CHECK(inst.invoke("inf").trap == TrapCode::StackExhausted);
  CHECK(inst.invoke("down", {I64(100000000)}).trap == TrapCode::StackExhausted);
  CHECK(inst.invoke("down", {I64(10)}).i64() == 10);
}

TEST_CASE("unreachable and traps inside nested blocks") {
  Instance inst(R"((module
    (func (export "u") (param i32) (result i32)
      block (result i32)
        local.get 0 if unreachable end
        i32.const 9
      end)
    (func (export "dead") (result i32)
      i32.const 1 return i32.const 2 i32.add drop unreachable)))");
  CHECK(inst.invoke("u", {I32(0)}).i32() == 9);
  CHECK(inst.invoke("u", {I32(1)}).trap == TrapCode::Unreachable);
  CHECK(inst.invoke("dead").i32() == 1);
}

TEST_CASE("fuel runs out in a loop; interruption stops a loop") {
  const char* wat = R"((module (func (export "spin") (param i32) (result i32)
    loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end local.get 0)))";
  compile::CompileOptions fuel;
  fuel.fuel = true;
  Instance a(wat, fuel);
  a.store().fuel = 1000;
  CHECK(a.invoke("spin", {I32(10)}).i32() == 0);
  CHECK(a.store().fuel < 1000);
  CHECK(a.store().fuel >= 0);
  a.store().fuel = 100;
  CHECK(a.invoke("spin", {I32(1000000)}).trap == TrapCode::OutOfFuel);

  compile::CompileOptions interruptible;
  interruptible.interruptible = true;
  Instance b(wat, interruptible);
  CHECK(b.invoke("spin", {I32(100)}).i32() == 0);
  b.store().interrupt = 1;
  CHECK(b.invoke("spin", {I32(1000000)}).trap == TrapCode::Interrupted);
}

TEST_CASE("functions spread over several partitions and threads call each other") {
  std::string wat = "(module\n";
  constexpr int kFuncs = 64;
  for (int i = 0; i < kFuncs; ++i) {
    wat += "(func $f" + std::to_string(i) + " (export \"f" + std::to_string(i) + "\") (param i32) (result i32)\n";
    wat += "  local.get 0 i32.const " + std::to_string(i) + " i32.add\n";
    // Pad the body so that the module is split into partitions.
    for (int k = 0; k < 200; ++k) wat += "  i32.const 3 i32.const 4 i32.mul drop\n";
    if (i + 1 < kFuncs) wat += "  call $f" + std::to_string(i + 1) + "\n";
    wat += ")\n";
  }
  wat += ")";
  compile::CompileOptions options;
  options.threads = 2;
  Instance inst(wat, options);
  CHECK(inst.compiled().objects.size() > 2);
  CHECK(inst.invoke("f0", {I32(0)}).i32() == kFuncs * (kFuncs - 1) / 2);
}

TEST_CASE("v128 values pass through the entry trampoline, locals and calls") {
  Instance inst(R"((module
    (func $id (param v128) (result v128) local.get 0)
    (func (export "const") (result v128) v128.const i32x4 1 2 3 4 call $id)
    (func (export "pass") (param v128 i32) (result i32 v128) local.get 1 local.get 0)))");
  auto c = inst.invoke("const");
  REQUIRE_FALSE(c.trap);
  CHECK(c.values[0].bits[0] == 0x0000000200000001ULL);
  CHECK(c.values[0].bits[1] == 0x0000000400000003ULL);
  RawValue v{};
  v.bits[0] = 0x1122334455667788ULL;
  v.bits[1] = 0x99aabbccddeeff00ULL;
  auto p = inst.invoke("pass", {v, I32(9)});
  CHECK(p.i32(0) == 9);
  CHECK(p.values[1].bits[0] == v.bits[0]);
  CHECK(p.values[1].bits[1] == v.bits[1]);
}

TEST_CASE("a module of types only compiles the trampolines host functions use; codegenFingerprint") {
  ir::FuncType t;
  t.params = {ir::ValType::I32, ir::ValType::F64};
  t.results = {ir::ValType::I64};
  ir::Module typesOnly;
  typesOnly.types = {t};
  auto compiled = compile::compileModule(typesOnly, {});
  REQUIRE(compiled.ok());
  auto loaded = testJit().load(std::make_shared<const compile::CompiledModule>(std::move(*compiled)));
  REQUIRE(loaded.ok());
  CHECK((*loaded)->lookup("orca_entry_0") != nullptr);
  // The thunk calls the host through orca_rt_host_call with the spilled arguments.
  HostFunc host{[](RawValue* a) { a[0].i64 = a[0].i32 + static_cast<int64_t>(a[1].f64); }};
  auto thunk = reinterpret_cast<int64_t (*)(abi::VMContext*, int32_t, double)>((*loaded)->lookup("orca_thunk_0"));
  REQUIRE(reinterpret_cast<void*>(thunk) != nullptr);
  CHECK(thunk(reinterpret_cast<abi::VMContext*>(&host), 40, 2.0) == 42);
  std::string fp = compile::codegenFingerprint();
  CHECK(fp.find("llvm-19") != std::string::npos);
  CHECK(fp == compile::codegenFingerprint());
}
