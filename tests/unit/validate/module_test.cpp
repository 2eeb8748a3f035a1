// Module-level validation: limits, constant expressions, segments, start, exports, imports.
#include <doctest/doctest.h>

#include <string_view>

#include "builder.h"

using namespace orca;
using namespace orca::validate::test;
using ir::ExternKind;
using ir::Mutability;
using ir::SegmentMode;

namespace {

constexpr auto I32 = ValType::I32;
constexpr auto I64 = ValType::I64;
constexpr auto F32 = ValType::F32;
constexpr auto FUNCREF = ValType::FuncRef;
constexpr auto EXTERNREF = ValType::ExternRef;

void checkInvalid(const Status& s, std::string_view prefix) {
  REQUIRE_FALSE(s.ok());
  INFO(s.error().message);
  CHECK(s.error().kind == ErrorKind::Invalid);
  CHECK(std::string_view(s.error().message).starts_with(prefix));
}

void checkValid(const Status& s) {
  INFO((s.ok() ? std::string("ok") : s.error().message));
  CHECK(s.ok());
}

}  // namespace

TEST_CASE("an empty module is valid") { checkValid(ModuleBuilder().validate()); }

TEST_CASE("memories: at most one, limits within 65536 pages") {
  {
    ModuleBuilder b;
    b.memory(0, 65536);
    checkValid(b.validate());
  }
  {
    ModuleBuilder b;
    b.memory(0);
    b.memory(0);
    checkInvalid(b.validate(), "multiple memories");
  }
  {
    ModuleBuilder b;
    b.importMemory(1);
    b.memory(0);
    checkInvalid(b.validate(), "multiple memories");
  }
  {
    ModuleBuilder b;
    b.memory(65537);
    checkInvalid(b.validate(), "memory size must be at most 65536 pages (4GiB)");
  }
  {
    ModuleBuilder b;
    b.memory(0, 0x100000000ull);
    checkInvalid(b.validate(), "memory size must be at most 65536 pages (4GiB)");
  }
  {
    ModuleBuilder b;
    b.memory(2, 1);
    checkInvalid(b.validate(), "size minimum must not be greater than maximum");
  }
  {
    ModuleBuilder b;
    b.importMemory(70000);
    checkInvalid(b.validate(), "memory size must be at most 65536 pages (4GiB)");
  }
}

TEST_CASE("tables: limits and element types") {
  {
    ModuleBuilder b;
    b.table(FUNCREF, 0, 0xFFFFFFFFull);
    b.table(EXTERNREF, 10);
    checkValid(b.validate());
  }
  {
    ModuleBuilder b;
    b.table(FUNCREF, 1, 0);
    checkInvalid(b.validate(), "size minimum must not be greater than maximum");
  }
  {
    ModuleBuilder b;
    b.table(FUNCREF, 0x100000000ull);
    checkInvalid(b.validate(), "table size");
  }
}

TEST_CASE("global initialisers are constant expressions of the global's type") {
  {
    ModuleBuilder b;
    uint32_t imported = b.importGlobal(I32, Mutability::Const);
    b.global(I32, Mutability::Var, Code().idx(Opcode::GlobalGet, imported).end());
    b.global(I64, Mutability::Const, Code().i64Const(5).end());
    b.global(FUNCREF, Mutability::Const, Code().refNull(FUNCREF).end());
    b.global(ValType::V128, Mutability::Const, Code().v128Const().end());
    checkValid(b.validate());
  }
  {
    ModuleBuilder b;
    b.global(F32, Mutability::Const, Code().f32Const().op(Opcode::F32Neg).end());
    checkInvalid(b.validate(), "constant expression required");
  }
  {
    ModuleBuilder b;
    b.global(I32, Mutability::Const, Code().i32Const(0).op(Opcode::Nop).end());
    checkInvalid(b.validate(), "constant expression required");
  }
  {
    ModuleBuilder b;
    b.global(I32, Mutability::Const, Code().idx(Opcode::LocalGet, 0).end());
    checkInvalid(b.validate(), "constant expression required");
  }
  {
    ModuleBuilder b;
    b.global(I32, Mutability::Const, Code().i64Const(0).end());
    checkInvalid(b.validate(), "type mismatch");
  }
  {
    ModuleBuilder b;
    b.global(I32, Mutability::Const, Code().end());
    checkInvalid(b.validate(), "type mismatch");
  }
  {
    ModuleBuilder b;
    uint32_t g = b.importGlobal(I32, Mutability::Const);
    b.global(I32, Mutability::Const, Code().i32Const(0).idx(Opcode::GlobalGet, g).end());
    checkInvalid(b.validate(), "type mismatch");
  }
  {
    // Defined globals are not in scope of constant expressions in 2.0.
    ModuleBuilder b;
    b.global(I32, Mutability::Const, Code().i32Const(0).end());
    b.global(I32, Mutability::Const, Code().idx(Opcode::GlobalGet, 0).end());
    checkInvalid(b.validate(), "unknown global 0");
  }
  {
    ModuleBuilder b;
    b.importGlobal(I32, Mutability::Var);
    b.global(I32, Mutability::Const, Code().idx(Opcode::GlobalGet, 0).end());
    checkInvalid(b.validate(), "constant expression required");
  }
  {
    ModuleBuilder b;
    b.importFunc({}, {});
    b.importFunc({}, {});
    b.global(FUNCREF, Mutability::Const, Code().idx(Opcode::RefFunc, 7).end());
    checkInvalid(b.validate(), "unknown function 7");
  }
  {
    ModuleBuilder b;
    b.global(EXTERNREF, Mutability::Const, Code().refNull(FUNCREF).end());
    checkInvalid(b.validate(), "type mismatch");
  }
}

TEST_CASE("element segments") {
  {
    ModuleBuilder b;
    uint32_t f = b.func({}, {}, Code().end());
    b.table(FUNCREF);
    b.elemFuncs(SegmentMode::Active, {f, f});
    b.elemFuncs(SegmentMode::Passive, {f});
    b.elem(EXTERNREF, SegmentMode::Passive, {Code().refNull(EXTERNREF).end()});
    checkValid(b.validate());
  }
  {
    ModuleBuilder b;
    uint32_t f = b.func({}, {}, Code().end());
    b.elemFuncs(SegmentMode::Active, {f});
    checkInvalid(b.validate(), "unknown table 0");
  }
  {
    ModuleBuilder b;
    b.table(FUNCREF);
    b.elemFuncs(SegmentMode::Active, {0, 0});
    checkInvalid(b.validate(), "unknown function");
  }
  {
    ModuleBuilder b;
    b.table(EXTERNREF);
    uint32_t f = b.func({}, {}, Code().end());
    b.elemFuncs(SegmentMode::Active, {f});
    checkInvalid(b.validate(), "type mismatch");
  }
  {
    ModuleBuilder b;
    b.table(FUNCREF);
    b.elem(FUNCREF, SegmentMode::Active, {}, 0, Code().i64Const(0).end());
    checkInvalid(b.validate(), "type mismatch");
  }
  {
    ModuleBuilder b;
    b.table(FUNCREF);
    b.elem(FUNCREF, SegmentMode::Active, {}, 0, Code().i32Const(0).op(Opcode::I32Ctz).end());
    checkInvalid(b.validate(), "constant expression required");
  }
  {
    ModuleBuilder b;
    b.table(FUNCREF);
    uint32_t f = b.func({}, {FUNCREF}, Code().refNull(FUNCREF).end());
    b.elem(FUNCREF, SegmentMode::Passive, {Code().idx(Opcode::Call, f).end()});
    checkInvalid(b.validate(), "constant expression required");
  }
  {
    ModuleBuilder b;
    b.elem(FUNCREF, SegmentMode::Passive, {Code().refNull(EXTERNREF).end()});
    checkInvalid(b.validate(), "type mismatch");
  }
  {
    ModuleBuilder b;
    b.table(FUNCREF);
    b.elem(FUNCREF, SegmentMode::Active, {}, 0, Code().idx(Opcode::GlobalGet, 0).end());
    checkInvalid(b.validate(), "unknown global 0");
  }
}

TEST_CASE("data segments") {
  {
    ModuleBuilder b;
    b.memory(1);
    uint32_t g = b.importGlobal(I32, Mutability::Const);
    b.data(SegmentMode::Active, 0, Code().idx(Opcode::GlobalGet, g).end());
    b.data(SegmentMode::Passive);
    checkValid(b.validate());
  }
  {
    ModuleBuilder b;
    b.data(SegmentMode::Active);
    checkInvalid(b.validate(), "unknown memory 0");
  }
  {
    ModuleBuilder b;
    b.memory(1);
    b.data(SegmentMode::Active, 1);
    checkInvalid(b.validate(), "unknown memory 1");
  }
  {
    ModuleBuilder b;
    b.memory(1);
    b.data(SegmentMode::Active, 0, Code().op(Opcode::Nop).end());
    checkInvalid(b.validate(), "constant expression required");
  }
  {
    ModuleBuilder b;
    b.memory(1);
    b.data(SegmentMode::Active, 0, Code().f32Const().end());
    checkInvalid(b.validate(), "type mismatch");
  }
}

TEST_CASE("start function") {
  {
    ModuleBuilder b;
    uint32_t f = b.func({}, {}, Code().end());
    b.m.start = ir::FuncIdx(f);
    checkValid(b.validate());
  }
  {
    ModuleBuilder b;
    b.func({}, {}, Code().end());
    b.m.start = ir::FuncIdx(1);
    checkInvalid(b.validate(), "unknown function 1");
  }
  {
    ModuleBuilder b;
    uint32_t f = b.func({}, {I32}, Code().i32Const(0).end());
    b.m.start = ir::FuncIdx(f);
    checkInvalid(b.validate(), "start function");
  }
  {
    ModuleBuilder b;
    uint32_t f = b.importFunc({I32}, {});
    b.m.start = ir::FuncIdx(f);
    checkInvalid(b.validate(), "start function");
  }
}

TEST_CASE("exports: index existence and unique names") {
  {
    ModuleBuilder b;
    uint32_t f = b.func({}, {}, Code().end());
    b.memory(1);
    b.table(FUNCREF);
    b.global(I32, Mutability::Var, Code().i32Const(0).end());
    b.exportFunc("f", f);
    b.exportOf("m", ExternKind::Memory, 0);
    b.exportOf("t", ExternKind::Table, 0);
    b.exportOf("g", ExternKind::Global, 0);
    checkValid(b.validate());
  }
  {
    ModuleBuilder b;
    b.func({}, {}, Code().end());
    b.exportFunc("a", 0);
    b.exportFunc("a", 0);
    checkInvalid(b.validate(), "duplicate export name");
  }
  {
    ModuleBuilder b;
    b.importFunc({I32}, {});
    b.exportFunc("a", 1);
    checkInvalid(b.validate(), "unknown function 1");
  }
  {
    ModuleBuilder b;
    b.exportOf("a", ExternKind::Table, 0);
    checkInvalid(b.validate(), "unknown table 0");
  }
  {
    ModuleBuilder b;
    b.exportOf("a", ExternKind::Memory, 0);
    checkInvalid(b.validate(), "unknown memory 0");
  }
  {
    ModuleBuilder b;
    b.importGlobal(I32, Mutability::Const);
    b.exportOf("a", ExternKind::Global, 1);
    checkInvalid(b.validate(), "unknown global 1");
  }
}

TEST_CASE("type indices of functions and imports") {
  {
    ModuleBuilder b;
    b.type({}, {});
    b.funcOfType(2, Code().end());
    checkInvalid(b.validate(), "unknown type 2");
  }
  {
    ModuleBuilder b;
    b.type({}, {I32});
    ir::Import imp;
    imp.module = "test";
    imp.name = "func";
    imp.kind = ExternKind::Func;
    imp.funcType = ir::TypeIdx(1);
    b.m.addImport(std::move(imp));
    checkInvalid(b.validate(), "unknown type 1");
  }
}

TEST_CASE("import index spaces that disagree with the import list are rejected, not trusted") {
  ModuleBuilder b;
  b.importGlobal(I32, Mutability::Const);
  b.m.globalImports.push_back(7);  // a position past the end of `imports`
  b.func({}, {I32}, Code().idx(Opcode::GlobalGet, 1).end());
  CHECK_FALSE(b.validate().ok());
}

TEST_CASE("functions are validated with module context and reuse stacks across bodies") {
  ModuleBuilder b;
  b.memory(1);
  for (int i = 0; i < 50; ++i) {
    Code c;
    for (int k = 0; k < 20; ++k) c.block(Opcode::Block, I32).i32Const(k);
    for (int k = 0; k < 20; ++k) c.end().op(Opcode::Drop);
    c.i32Const(0).mem(Opcode::I32Load, 2).end();
    b.func({}, {I32}, std::move(c));
  }
  checkValid(b.validate());
  // One bad body in the middle names its function.
  b.m.functions[30].body.code[0].op = Opcode::Loop;
  b.m.functions[30].body.code[1].op = Opcode::F32Const;
  auto s = b.validate();
  REQUIRE_FALSE(s.ok());
  CHECK(std::string_view(s.error().message).find("(function 30,") != std::string_view::npos);
}
