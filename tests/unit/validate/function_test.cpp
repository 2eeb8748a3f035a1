// Function body validation: the operand/control stack algorithm, instruction by instruction.
#include <doctest/doctest.h>

#include <string_view>

#include "builder.h"

using namespace orca;
using namespace orca::validate::test;
using ir::Mutability;
using ir::SegmentMode;

namespace {

constexpr auto I32 = ValType::I32;
constexpr auto I64 = ValType::I64;
constexpr auto F32 = ValType::F32;
constexpr auto F64 = ValType::F64;
constexpr auto V128 = ValType::V128;
constexpr auto FUNCREF = ValType::FuncRef;
constexpr auto EXTERNREF = ValType::ExternRef;

}  // namespace

#define CHECK_VALID(status)                                                        \
  do {                                                                             \
    auto s_ = (status);                                                            \
    INFO((s_.ok() ? std::string("ok") : s_.error().message));                      \
    CHECK(s_.ok());                                                                \
  } while (0)

#define CHECK_INVALID(status, prefix)                                              \
  do {                                                                             \
    auto s_ = (status);                                                            \
    REQUIRE_FALSE(s_.ok());                                                        \
    INFO(s_.error().message);                                                      \
    CHECK(s_.error().kind == ErrorKind::Invalid);                                  \
    CHECK(std::string_view(s_.error().message).starts_with(prefix));               \
  } while (0)

TEST_CASE("numeric instructions are typed by the opcode table") {
  CHECK_VALID(validateBody({}, {I32}, Code().i32Const(1).i32Const(2).op(Opcode::I32Add).end()));
  CHECK_VALID(validateBody({F64}, {I64}, Code().idx(Opcode::LocalGet, 0).op(Opcode::I64TruncF64S).end()));
  CHECK_VALID(validateBody({}, {V128}, Code().v128Const().v128Const().v128Const().op(Opcode::V128Bitselect).end()));
  CHECK_INVALID(validateBody({}, {I32}, Code().i32Const(1).f64Const().op(Opcode::I32Add).end()), "type mismatch");
  CHECK_INVALID(validateBody({}, {I32}, Code().i32Const(1).op(Opcode::I32Add).end()), "type mismatch");
  CHECK_INVALID(validateBody({}, {I32}, Code().i64Const(1).end()), "type mismatch");
}

TEST_CASE("errors carry the spec wording, the function, the instruction and its offset") {
  ModuleBuilder b;
  b.importFunc({}, {});
  Code body(0x40);
  body.i32Const(1).f64Const();
  uint32_t addAt = body.nextOffset();
  body.op(Opcode::I32Add).end();
  b.func({}, {I32}, std::move(body));
  auto s = b.validate();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::Invalid);
  CHECK(s.error().message == "type mismatch: expected i32 but got f64 (function 1, instruction i32.add)");
  REQUIRE(s.error().offset.has_value());
  CHECK(*s.error().offset == addAt);
  // The offset is printed once, by describe(), not also inside the message.
  CHECK(s.error().describe() ==
        "invalid: type mismatch: expected i32 but got f64 (function 1, instruction i32.add) (at offset 0x44)");
}

TEST_CASE("function end checks results exactly") {
  CHECK_VALID(validateBody({}, {}, Code().end()));
  CHECK_INVALID(validateBody({}, {}, Code().i32Const(0).end()), "type mismatch");
  CHECK_INVALID(validateBody({}, {I32}, Code().end()), "type mismatch");
  CHECK_INVALID(validateBody({}, {I32, I32}, Code().i32Const(0).end()), "type mismatch");
  CHECK_VALID(validateBody({}, {I32, I64}, Code().i32Const(0).i64Const(0).end()));
  CHECK_INVALID(validateBody({}, {I32, I64}, Code().i64Const(0).i32Const(0).end()), "type mismatch");
}

TEST_CASE("unreachable code has a polymorphic stack") {
  CHECK_VALID(validateBody({}, {I32}, Code().op(Opcode::Unreachable).end()));
  CHECK_VALID(validateBody({}, {I32}, Code().op(Opcode::Unreachable).op(Opcode::I32Add).end()));
  CHECK_VALID(validateBody({}, {}, Code().op(Opcode::Unreachable).op(Opcode::Drop).op(Opcode::Drop).end()));
  // Known values still have to match.
  CHECK_INVALID(validateBody({}, {I32}, Code().op(Opcode::Unreachable).f32Const().op(Opcode::I32Add).end()),
                "type mismatch");
  CHECK_INVALID(validateBody({}, {I32}, Code().op(Opcode::Unreachable).i64Const(0).end()), "type mismatch");
  // The polymorphism is per frame: an inner block starts with a fresh, strict stack.
  CHECK_INVALID(validateBody({}, {}, Code().op(Opcode::Unreachable).block(Opcode::Block).op(Opcode::Drop).end().end()),
                "type mismatch");
  // After br the rest of the block is unreachable.
  CHECK_VALID(validateBody({}, {I32}, Code().i32Const(1).idx(Opcode::Br, 0).op(Opcode::F32Add).op(Opcode::Drop).end()));
}

TEST_CASE("blocks, loops and ifs with multi-value type-index block types") {
  ModuleBuilder b;
  uint32_t t = b.type({I32, I64}, {F32, F64});
  Code body;
  body.i32Const(1).i64Const(2).blockIdx(Opcode::Block, t).op(Opcode::Drop).op(Opcode::Drop).f32Const().f64Const()
      .end().op(Opcode::Drop).op(Opcode::Drop).end();
  b.func({}, {}, std::move(body));
  CHECK_VALID(b.validate());

  ModuleBuilder bad;
  bad.type({}, {});
  bad.func({}, {}, Code().blockIdx(Opcode::Block, 7).end().end());
  CHECK_INVALID(bad.validate(), "unknown type 7");

  // A block's parameters must be on the stack.
  ModuleBuilder params;
  uint32_t p = params.type({I32}, {I32});
  params.func({}, {I32}, Code().f32Const().blockIdx(Opcode::Block, p).end().end());
  CHECK_INVALID(params.validate(), "type mismatch");

  // A block cannot see values below its start.
  CHECK_INVALID(validateBody({}, {I32}, Code().i32Const(1).block(Opcode::Block, I32).end().end()), "type mismatch");
  CHECK_VALID(validateBody({}, {I32}, Code().block(Opcode::Block, I32).i32Const(1).end().end()));
  CHECK_INVALID(validateBody({}, {}, Code().block(Opcode::Block).i32Const(1).end().end()), "type mismatch");
}

TEST_CASE("loop labels take the loop's parameters") {
  ModuleBuilder b;
  uint32_t t = b.type({I32}, {F32});
  // br 0 inside the loop needs [i32], not [f32].
  b.func({}, {F32}, Code().i32Const(0).blockIdx(Opcode::Loop, t).idx(Opcode::Br, 0).end().end());
  CHECK_VALID(b.validate());
  ModuleBuilder bad;
  uint32_t t2 = bad.type({I32}, {F32});
  bad.func({}, {F32}, Code().i32Const(0).blockIdx(Opcode::Loop, t2).op(Opcode::Drop).f32Const().idx(Opcode::Br, 0).end().end());
  CHECK_INVALID(bad.validate(), "type mismatch");
}

TEST_CASE("if and else") {
  CHECK_VALID(validateBody({}, {I32}, Code().i32Const(1).block(Opcode::If, I32).i32Const(1).op(Opcode::Else)
                                         .i32Const(2).end().end()));
  // The condition must be i32.
  CHECK_INVALID(validateBody({}, {}, Code().f32Const().block(Opcode::If).end().end()), "type mismatch");
  // An if without else whose result differs from its parameters.
  CHECK_INVALID(validateBody({}, {I32}, Code().i32Const(1).block(Opcode::If, I32).i32Const(1).end().end()),
                "type mismatch");
  // Both branches are checked.
  CHECK_INVALID(validateBody({}, {I32}, Code().i32Const(1).block(Opcode::If, I32).i32Const(1).op(Opcode::Else)
                                           .f32Const().end().end()),
                "type mismatch");
  // if with params [i32] -> [i32] and no else passes its parameter through.
  ModuleBuilder b;
  uint32_t t = b.type({I32}, {I32});
  b.func({}, {I32}, Code().i32Const(5).i32Const(1).blockIdx(Opcode::If, t).end().end());
  CHECK_VALID(b.validate());
  // else outside an if.
  CHECK_INVALID(validateBody({}, {}, Code().block(Opcode::Block).op(Opcode::Else).end().end()), "else");
}

TEST_CASE("br, br_if and unknown labels") {
  CHECK_VALID(validateBody({}, {I32}, Code().block(Opcode::Block, I32).i32Const(1).idx(Opcode::Br, 0).end().end()));
  CHECK_INVALID(validateBody({}, {}, Code().idx(Opcode::Br, 1).end()), "unknown label 1");
  CHECK_INVALID(validateBody({}, {}, Code().block(Opcode::Block).i32Const(0).idx(Opcode::BrIf, 2).end().end()),
                "unknown label 2");
  CHECK_VALID(validateBody({}, {I32}, Code().block(Opcode::Block, I32).i32Const(7).i32Const(0).idx(Opcode::BrIf, 0)
                                         .end().end()));
  CHECK_INVALID(validateBody({}, {}, Code().block(Opcode::Block).f32Const().idx(Opcode::BrIf, 0).end().end()),
                "type mismatch");
  // br_if retypes its operands to the label's types even in unreachable code.
  CHECK_INVALID(validateBody({}, {}, Code().block(Opcode::Block, I32).op(Opcode::Unreachable).i32Const(0)
                                        .idx(Opcode::BrIf, 0).f32Const().op(Opcode::F32Add).op(Opcode::Drop)
                                        .end().op(Opcode::Drop).end()),
                "type mismatch");
}

TEST_CASE("br_table checks every target's arity and types") {
  CHECK_VALID(validateBody({I32}, {I32}, Code().block(Opcode::Block, I32).block(Opcode::Block, I32).i32Const(1)
                                            .idx(Opcode::LocalGet, 0).brTable({0, 1}, 1).end().end().end()));
  // Arity differs between targets.
  CHECK_INVALID(validateBody({I32}, {}, Code().block(Opcode::Block).block(Opcode::Block, I32).i32Const(1)
                                           .idx(Opcode::LocalGet, 0).brTable({0}, 1).end().op(Opcode::Drop).end().end()),
                "type mismatch");
  // Same arity, different types.
  CHECK_INVALID(validateBody({I32}, {}, Code().block(Opcode::Block, F32).block(Opcode::Block, I32).i32Const(1)
                                           .idx(Opcode::LocalGet, 0).brTable({0}, 1).end().op(Opcode::Drop).f32Const()
                                           .end().op(Opcode::Drop).end()),
                "type mismatch");
  // In unreachable code, differently typed targets of equal arity are fine.
  CHECK_VALID(validateBody({}, {}, Code().block(Opcode::Block, F32).block(Opcode::Block, I32).op(Opcode::Unreachable)
                                      .brTable({0}, 1).end().op(Opcode::Drop).f32Const().end().op(Opcode::Drop).end()));
  CHECK_INVALID(validateBody({}, {}, Code().i32Const(0).brTable({0, 3}, 0).end()), "unknown label 3");
  CHECK_INVALID(validateBody({}, {}, Code().i32Const(0).brTable({}, 1).end()), "unknown label 1");
  // The index operand must be i32.
  CHECK_INVALID(validateBody({}, {}, Code().i64Const(0).brTable({}, 0).end()), "type mismatch");
}

TEST_CASE("return") {
  CHECK_VALID(validateBody({}, {I32}, Code().block(Opcode::Block).i32Const(1).op(Opcode::Return).end()
                                         .op(Opcode::Unreachable).end()));
  CHECK_INVALID(validateBody({}, {I32}, Code().f32Const().op(Opcode::Return).end()), "type mismatch");
  CHECK_INVALID(validateBody({}, {I32}, Code().op(Opcode::Return).end()), "type mismatch");
}

TEST_CASE("call and call_indirect") {
  ModuleBuilder b;
  uint32_t callee = b.importFunc({I32, F32}, {I64});
  uint32_t t = b.type({I32}, {I32});
  b.table(FUNCREF);
  b.func({}, {I64}, Code().i32Const(1).f32Const().idx(Opcode::Call, callee).end());
  b.func({}, {I32}, Code().i32Const(9).i32Const(0).idx2(Opcode::CallIndirect, t, 0).end());
  CHECK_VALID(b.validate());

  CHECK_INVALID(validateBody({}, {}, Code().idx(Opcode::Call, 1).end()), "unknown function 1");
  CHECK_INVALID(validateBody({}, {}, Code().idx(Opcode::Call, 1012321300).end()), "unknown function");

  ModuleBuilder args;
  uint32_t c2 = args.importFunc({I32, F32}, {});
  args.func({}, {}, Code().f32Const().i32Const(1).idx(Opcode::Call, c2).end());
  CHECK_INVALID(args.validate(), "type mismatch");

  ModuleBuilder noTable;
  uint32_t nt = noTable.type({}, {});
  noTable.func({}, {}, Code().i32Const(0).idx2(Opcode::CallIndirect, nt, 0).end());
  CHECK_INVALID(noTable.validate(), "unknown table 0");

  ModuleBuilder badType;
  badType.table(FUNCREF);
  badType.func({}, {}, Code().i32Const(0).idx2(Opcode::CallIndirect, 0xffffffff, 0).end());
  CHECK_INVALID(badType.validate(), "unknown type");

  ModuleBuilder externTable;
  uint32_t et = externTable.type({}, {});
  externTable.table(EXTERNREF);
  externTable.func({}, {}, Code().i32Const(0).idx2(Opcode::CallIndirect, et, 0).end());
  CHECK_INVALID(externTable.validate(), "type mismatch");
}

TEST_CASE("select: untyped for numbers and vectors, typed for any single type") {
  CHECK_VALID(validateBody({}, {I64}, Code().i64Const(1).i64Const(2).i32Const(0).op(Opcode::Select).end()));
  CHECK_VALID(validateBody({}, {V128}, Code().v128Const().v128Const().i32Const(0).op(Opcode::Select).end()));
  CHECK_INVALID(validateBody({}, {I64}, Code().i64Const(1).f64Const().i32Const(0).op(Opcode::Select).end()),
                "type mismatch");
  CHECK_INVALID(validateBody({}, {}, Code().refNull(FUNCREF).refNull(FUNCREF).i32Const(0).op(Opcode::Select)
                                        .op(Opcode::Drop).end()),
                "type mismatch");
  CHECK_VALID(validateBody({}, {FUNCREF}, Code().refNull(FUNCREF).refNull(FUNCREF).i32Const(0).selectT({FUNCREF}).end()));
  CHECK_INVALID(validateBody({}, {}, Code().op(Opcode::Nop).selectT({}).end()), "invalid result arity");
  CHECK_INVALID(validateBody({}, {}, Code().selectT({I32, I32}).end()), "invalid result arity");
  // In unreachable code select yields the type of whichever operand is known.
  CHECK_VALID(validateBody({}, {I32}, Code().op(Opcode::Unreachable).i32Const(0).op(Opcode::Select).end()));
  CHECK_INVALID(validateBody({}, {F32}, Code().op(Opcode::Unreachable).i32Const(0).i32Const(0).op(Opcode::Select).end()),
                "type mismatch");
  CHECK_VALID(validateBody({}, {I32}, Code().op(Opcode::Unreachable).op(Opcode::Select).end()));
}

TEST_CASE("locals, including huge declared counts") {
  CHECK_VALID(validateBody({I32}, {F64}, Code().idx(Opcode::LocalGet, 1).idx(Opcode::LocalTee, 2)
                                            .idx(Opcode::LocalSet, 1).idx(Opcode::LocalGet, 2).end(),
                           {{2, F64}}));
  CHECK_INVALID(validateBody({I32}, {}, Code().idx(Opcode::LocalGet, 2).op(Opcode::Drop).end(), {{1, F64}}),
                "unknown local 2");
  CHECK_INVALID(validateBody({I32}, {}, Code().f32Const().idx(Opcode::LocalSet, 0).end()), "type mismatch");
  // Four billion locals cost no memory: they are looked up by run.
  std::vector<std::pair<uint32_t, ValType>> runs = {{100, I32}, {0xF0000000u, I64}, {5, F32}};
  CHECK_VALID(validateBody({}, {F32}, Code().idx(Opcode::LocalGet, 0xF0000000u + 102).end(), runs));
  CHECK_VALID(validateBody({}, {I64}, Code().idx(Opcode::LocalGet, 100).end(), runs));
  CHECK_VALID(validateBody({}, {I32}, Code().idx(Opcode::LocalGet, 99).end(), runs));
  CHECK_INVALID(validateBody({}, {F32}, Code().idx(Opcode::LocalGet, 0xF0000000u + 105).end(), runs), "unknown local");
}

TEST_CASE("globals") {
  ModuleBuilder b;
  uint32_t imm = b.importGlobal(I32, Mutability::Const);
  uint32_t mut = b.global(F32, Mutability::Var, Code().f32Const().end());
  b.func({}, {I32}, Code().f32Const().idx(Opcode::GlobalSet, mut).idx(Opcode::GlobalGet, imm).end());
  CHECK_VALID(b.validate());

  ModuleBuilder setImm;
  uint32_t g = setImm.global(F32, Mutability::Const, Code().f32Const().end());
  setImm.func({}, {}, Code().f32Const().idx(Opcode::GlobalSet, g).end());
  CHECK_INVALID(setImm.validate(), "global is immutable");

  CHECK_INVALID(validateBody({}, {I32}, Code().idx(Opcode::GlobalGet, 0).end()), "unknown global 0");
  CHECK_INVALID(validateBody({}, {}, Code().i32Const(0).idx(Opcode::GlobalSet, 3).end()), "unknown global 3");
}

TEST_CASE("memory instructions: index, alignment, lanes") {
  ModuleBuilder b;
  b.memory(1);
  b.func({}, {I32}, Code().i32Const(0).mem(Opcode::I32Load, 2).end());
  b.func({}, {}, Code().i32Const(0).i64Const(1).mem(Opcode::I64Store16, 1).end());
  b.func({}, {V128}, Code().i32Const(0).v128Const().memLane(Opcode::V128Load16Lane, 1, 7).end());
  b.func({}, {I32}, Code().op(Opcode::MemorySize).i32Const(1).op(Opcode::MemoryGrow).op(Opcode::I32Add).end());
  CHECK_VALID(b.validate());

  CHECK_INVALID(validateBody({}, {I32}, Code().i32Const(0).mem(Opcode::I32Load, 2).end()), "unknown memory 0");
  CHECK_INVALID(validateBody({}, {I32}, Code().op(Opcode::MemorySize).end()), "unknown memory");

  auto withMemory = [](Code body, std::vector<ValType> results) {
    ModuleBuilder m;
    m.memory(1);
    m.func({}, std::move(results), std::move(body));
    return m.validate();
  };
  CHECK_INVALID(withMemory(Code().i32Const(0).mem(Opcode::I32Load, 3).end(), {I32}),
                "alignment must not be larger than natural");
  CHECK_INVALID(withMemory(Code().i32Const(0).mem(Opcode::I32Load8U, 1).end(), {I32}),
                "alignment must not be larger than natural");
  CHECK_INVALID(withMemory(Code().i32Const(0).mem(Opcode::V128Load, 255).end(), {V128}),
                "alignment must not be larger than natural");
  CHECK_VALID(withMemory(Code().i32Const(0).mem(Opcode::V128Load, 4).end(), {V128}));
  CHECK_INVALID(withMemory(Code().i32Const(0).v128Const().memLane(Opcode::V128Load16Lane, 1, 8).end(), {V128}),
                "invalid lane index");
  CHECK_INVALID(withMemory(Code().i32Const(0).v128Const().memLane(Opcode::V128Store64Lane, 3, 2).end(), {}),
                "invalid lane index");
  CHECK_INVALID(withMemory(Code().f32Const().mem(Opcode::I32Load, 2).end(), {I32}), "type mismatch");
  CHECK_INVALID(withMemory(Code().i32Const(0).i32Const(0).mem(Opcode::I64Store, 3).end(), {}), "type mismatch");
}

TEST_CASE("SIMD lane instructions") {
  CHECK_VALID(validateBody({}, {I32}, Code().v128Const().lane(Opcode::I8x16ExtractLaneS, 15).end()));
  CHECK_INVALID(validateBody({}, {I32}, Code().v128Const().lane(Opcode::I8x16ExtractLaneS, 16).end()),
                "invalid lane index");
  CHECK_INVALID(validateBody({}, {I64}, Code().v128Const().lane(Opcode::I64x2ExtractLane, 2).end()),
                "invalid lane index");
  CHECK_INVALID(validateBody({}, {V128}, Code().v128Const().f32Const().lane(Opcode::F32x4ReplaceLane, 4).end()),
                "invalid lane index");
  CHECK_VALID(validateBody({}, {V128}, Code().v128Const().f64Const().lane(Opcode::F64x2ReplaceLane, 1).end()));
  CHECK_INVALID(validateBody({}, {V128}, Code().v128Const().i32Const(0).lane(Opcode::F64x2ReplaceLane, 1).end()),
                "type mismatch");
  CHECK_VALID(validateBody({}, {V128}, Code().v128Const().v128Const().shuffle({0, 31, 16, 5}).end()));
  CHECK_INVALID(validateBody({}, {V128}, Code().v128Const().v128Const().shuffle({0, 32}).end()), "invalid lane index");
}

TEST_CASE("bulk memory: data count and segment indices") {
  ModuleBuilder b;
  b.memory(1);
  uint32_t d = b.data(SegmentMode::Passive);
  b.func({}, {}, Code().i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::MemoryInit, d, 0).idx(Opcode::DataDrop, d)
                     .i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::MemoryCopy, 0, 0)
                     .i32Const(0).i32Const(0).i32Const(1).idx(Opcode::MemoryFill, 0).end());
  CHECK_VALID(b.validate());

  ModuleBuilder unknownData;
  unknownData.memory(1);
  unknownData.data(SegmentMode::Passive);
  unknownData.func({}, {}, Code().idx(Opcode::DataDrop, 1).end());
  CHECK_INVALID(unknownData.validate(), "unknown data segment 1");

  ModuleBuilder noCount;
  noCount.memory(1);
  noCount.data(SegmentMode::Passive);
  noCount.m.dataCount.reset();
  noCount.func({}, {}, Code().idx(Opcode::DataDrop, 0).end());
  auto s = noCount.validate();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::Malformed);
  CHECK(std::string_view(s.error().message).starts_with("data count section required"));

  ModuleBuilder noMemory;
  noMemory.data(SegmentMode::Passive);
  noMemory.func({}, {}, Code().i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::MemoryInit, 0, 0).end());
  CHECK_INVALID(noMemory.validate(), "unknown memory 0");

  ModuleBuilder copyNoMemory;
  copyNoMemory.func({}, {}, Code().i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::MemoryCopy, 0, 0).end());
  CHECK_INVALID(copyNoMemory.validate(), "unknown memory 0");

  ModuleBuilder fillTypes;
  fillTypes.memory(1);
  fillTypes.func({}, {}, Code().i32Const(0).i64Const(0).i32Const(1).idx(Opcode::MemoryFill, 0).end());
  CHECK_INVALID(fillTypes.validate(), "type mismatch");
}

TEST_CASE("table instructions and bulk table operations") {
  ModuleBuilder b;
  uint32_t f = b.func({}, {}, Code().end());
  uint32_t tf = b.table(FUNCREF);
  uint32_t te = b.table(EXTERNREF);
  uint32_t e = b.elemFuncs(SegmentMode::Passive, {f});
  b.func({EXTERNREF}, {I32},
         Code().i32Const(0).idx(Opcode::TableGet, tf).op(Opcode::Drop)
             .i32Const(0).idx(Opcode::LocalGet, 0).idx(Opcode::TableSet, te)
             .i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::TableInit, e, tf).idx(Opcode::ElemDrop, e)
             .i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::TableCopy, tf, tf)
             .i32Const(0).refNull(EXTERNREF).i32Const(1).idx(Opcode::TableFill, te)
             .idx(Opcode::LocalGet, 0).i32Const(1).idx(Opcode::TableGrow, te).op(Opcode::Drop)
             .idx(Opcode::TableSize, tf).end());
  CHECK_VALID(b.validate());

  auto with = [](Code body) {
    ModuleBuilder m;
    uint32_t f0 = m.func({}, {}, Code().end());
    m.table(FUNCREF);
    m.table(EXTERNREF);
    m.elemFuncs(SegmentMode::Passive, {f0});
    m.func({}, {}, std::move(body));
    return m.validate();
  };
  CHECK_INVALID(with(Code().i32Const(0).idx(Opcode::TableGet, 2).op(Opcode::Drop).end()), "unknown table 2");
  CHECK_INVALID(with(Code().i32Const(0).refNull(FUNCREF).idx(Opcode::TableSet, 1).end()), "type mismatch");
  CHECK_INVALID(with(Code().i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::TableInit, 0, 1).end()), "type mismatch");
  CHECK_INVALID(with(Code().i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::TableInit, 4, 0).end()),
                "unknown elem segment 4");
  CHECK_INVALID(with(Code().idx(Opcode::ElemDrop, 1).end()), "unknown elem segment 1");
  CHECK_INVALID(with(Code().i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::TableCopy, 0, 1).end()), "type mismatch");
  CHECK_INVALID(with(Code().i32Const(0).i32Const(0).i32Const(1).idx2(Opcode::TableCopy, 0, 5).end()), "unknown table 5");
  CHECK_INVALID(with(Code().refNull(EXTERNREF).i32Const(1).idx(Opcode::TableGrow, 0).op(Opcode::Drop).end()),
                "type mismatch");
  CHECK_INVALID(with(Code().idx(Opcode::TableSize, 9).op(Opcode::Drop).end()), "unknown table 9");
}

TEST_CASE("reference instructions and declared function references") {
  ModuleBuilder b;
  uint32_t f = b.func({}, {}, Code().end());
  b.exportFunc("f", f);
  b.func({}, {I32}, Code().idx(Opcode::RefFunc, f).op(Opcode::RefIsNull).end());
  CHECK_VALID(b.validate());

  ModuleBuilder undeclared;
  uint32_t g = undeclared.func({}, {}, Code().end());
  undeclared.func({}, {}, Code().idx(Opcode::RefFunc, g).op(Opcode::Drop).end());
  CHECK_INVALID(undeclared.validate(), "undeclared function reference");

  // Declared by a declarative element segment, or by a global initialiser.
  ModuleBuilder declarative;
  uint32_t h = declarative.func({}, {}, Code().end());
  declarative.elemFuncs(SegmentMode::Declarative, {h});
  declarative.func({}, {}, Code().idx(Opcode::RefFunc, h).op(Opcode::Drop).end());
  CHECK_VALID(declarative.validate());

  ModuleBuilder viaGlobal;
  uint32_t k = viaGlobal.func({}, {}, Code().end());
  viaGlobal.global(FUNCREF, Mutability::Const, Code().idx(Opcode::RefFunc, k).end());
  viaGlobal.func({}, {}, Code().idx(Opcode::RefFunc, k).op(Opcode::Drop).end());
  CHECK_VALID(viaGlobal.validate());

  CHECK_INVALID(validateBody({}, {}, Code().idx(Opcode::RefFunc, 7).op(Opcode::Drop).end()), "unknown function 7");
  CHECK_INVALID(validateBody({}, {I32}, Code().i32Const(0).op(Opcode::RefIsNull).end()), "type mismatch");
  CHECK_VALID(validateBody({}, {I32}, Code().refNull(EXTERNREF).op(Opcode::RefIsNull).end()));
  CHECK_INVALID(validateBody({}, {FUNCREF}, Code().refNull(EXTERNREF).end()), "type mismatch");
}

TEST_CASE("malformed IR is rejected without crashing") {
  // Instructions after the final end.
  CHECK_INVALID(validateBody({}, {}, Code().end().op(Opcode::Nop)), "operators remaining after end of function");
  // No final end.
  CHECK_INVALID(validateBody({}, {}, Code().op(Opcode::Nop)), "function body must end with end");
  CHECK_INVALID(validateBody({}, {}, Code()), "function body must end with end");
  // A br_table whose side-table range is out of bounds.
  {
    Code c;
    c.i32Const(0);
    ir::InstrSeq seq = c.take();
    seq.code.push_back(ir::Instr{.op = Opcode::BrTable, .a = 5, .b = 0xFFFFFFFFu});
    seq.code.push_back(ir::Instr{.op = Opcode::End});
    ModuleBuilder b;
    b.func({}, {}, Code());
    b.m.functions[0].body = std::move(seq);
    CHECK_FALSE(b.validate().ok());
  }
  // An opcode outside the table.
  {
    ModuleBuilder b;
    b.func({}, {}, Code());
    b.m.functions[0].body.code.push_back(ir::Instr{.op = static_cast<Opcode>(0xFFFF)});
    CHECK_FALSE(b.validate().ok());
  }
  // A block type naming no value type, a v128.const whose constant is missing.
  CHECK_FALSE(validateBody({}, {}, Code().idx2(Opcode::Block, 0x55, 1).end().end()).ok());
  {
    ModuleBuilder b;
    Code c;
    c.v128Const().op(Opcode::Drop).end();
    b.func({}, {}, std::move(c));
    b.m.functions[0].body.v128s.clear();
    CHECK_FALSE(b.validate().ok());
  }
  // A local declared with a byte that is no value type.
  CHECK_FALSE(validateBody({}, {}, Code().end(), {{1, static_cast<ValType>(0x42)}}).ok());
}
