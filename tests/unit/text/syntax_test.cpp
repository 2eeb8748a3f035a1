// Tokens, strings, comments, identifiers and the module-field abbreviations of the text format.
#include "text_test_util.h"

using namespace orca;
using namespace orca::text;
using namespace orca::text::test;
using ir::Opcode;
using ir::ValType;

TEST_CASE("string escapes decode to bytes") {
  ir::Module m = parseOk(R"((memory (data "a\t\n\r\"\'\\\u{41}\u{1F600}\00\ff\u{0}")))");
  REQUIRE(m.datas.size() == 1);
  std::vector<uint8_t> expected = {'a', '\t', '\n', '\r', '"', '\'', '\\', 'A',
                                   0xF0, 0x9F, 0x98, 0x80, 0x00, 0xFF, 0x00};
  CHECK(m.datas[0].init == expected);
}

TEST_CASE("malformed strings and tokens") {
  CHECK_FALSE(parseWat(R"((memory (data "abc)))").ok());            // unterminated
  CHECK_FALSE(parseWat(R"((memory (data "\q")))").ok());             // unknown escape
  CHECK_FALSE(parseWat(R"((memory (data "\u{110000}")))").ok());     // past U+10FFFF
  CHECK_FALSE(parseWat(R"((memory (data "\u{D800}")))").ok());       // surrogate
  CHECK_FALSE(parseWat("(memory (data \"a\nb\"))").ok());            // raw newline
  CHECK(startsWith(parseError(R"((data "a""b"))"), "unknown operator"));  // tokens not separated
  CHECK(startsWith(parseError("(func (nop) (br_table 0$l))"), "unknown operator"));
  // Names must be UTF-8; data need not be.
  CHECK(parseError(R"((func (export "\80")))") == "malformed UTF-8 encoding");
  CHECK(parseError(R"((import "\ff" "x" (func)))") == "malformed UTF-8 encoding");
  parseOk(R"((func (export "\u{1F600}")))");
}

TEST_CASE("comments: line, block, nested block") {
  ir::Module m = parseOk(
      "(module ;; line comment (func)\n"
      "  (; block (; nested ;) still comment (func) ;)\n"
      "  (func (;inline;) nop) ;; trailing\n"
      ")");
  CHECK(m.functions.size() == 1);
  CHECK_FALSE(parseWat("(module (; unterminated (; nested ;) )").ok());
  CHECK_FALSE(parseWat("(module ; )").ok());
}

TEST_CASE("a line comment ends at LF, CR or CR LF") {
  for (const char* newline : {"\n", "\r", "\r\n"}) {
    ir::Module m = parseOk(std::string("(module ;; comment") + newline + "(func))");
    CHECK(m.functions.size() == 1);
  }
}

TEST_CASE("bare fields form a module; junk after the module is rejected") {
  ir::Module m = parseOk("(func) (memory 1)");
  CHECK(m.functions.size() == 1);
  CHECK(m.memories.size() == 1);
  CHECK(parseError("(module) (func)") == "unexpected token");
  CHECK(parseError("(module (func)") == "unexpected token");
  CHECK(parseError("(module (foo))") == "unexpected token");
}

TEST_CASE("symbolic identifiers in every index space") {
  ir::Module m = parseOk(R"(
    (type $t (func (param i32)))
    (import "m" "f" (func $imp (type $t)))
    (global $g (mut i32) (i32.const 0))
    (table $tab 1 funcref)
    (memory $mem 1)
    (elem $e func $f)
    (data $d "x")
    (func $f (param $p i32) (local $l i32)
      (call $f (local.get $p))
      (call $imp (local.get $l))
      (global.set $g (i32.const 1))
      (drop (table.get $tab (i32.const 0)))
      (elem.drop $e)
      (data.drop $d)
      (call_indirect $tab (type $t) (i32.const 0) (i32.const 0)))
    (export "f" (func $f))
  )");
  REQUIRE(m.functions.size() == 1);
  const auto& code = m.functions[0].body.code;
  CHECK(code[1].op == Opcode::Call);
  CHECK(code[1].a == 1);  // imports come first
  CHECK(code[0].op == Opcode::LocalGet);
  CHECK(code[0].a == 0);
  CHECK(code[2].a == 1);  // $l after the parameter
  CHECK(code[3].a == 0);
  CHECK(code[5].op == Opcode::GlobalSet);
  CHECK(code[5].a == 0);
  CHECK(m.exports[0].index == 1);
  CHECK(m.dataCount == 1u);  // data.drop needs the data count section

  CHECK(startsWith(parseError("(func (call $nope))"), "unknown function"));
  CHECK(startsWith(parseError("(func (local.get $nope))"), "unknown local"));
  CHECK(startsWith(parseError("(func (global.get $nope))"), "unknown global"));
  CHECK(startsWith(parseError("(func (type $nope))"), "unknown type"));
  CHECK(startsWith(parseError("(func $f) (func $f)"), "duplicate func"));
  CHECK(startsWith(parseError("(func (param $x i32) (local $x i32))"), "duplicate local"));
  CHECK(startsWith(parseError("(global $g i32 (i32.const 0)) (global $g i32 (i32.const 0))"),
                   "duplicate global"));
  CHECK(startsWith(parseError("(memory $m 1) (memory $m 1)"), "duplicate memory"));
  CHECK(startsWith(parseError("(table $t 1 funcref) (table $t 1 funcref)"), "duplicate table"));
  // Numeric indices are not checked here: that is the validator's job.
  ir::Module bad = parseOk("(func (call 99) (local.get 7) drop)");
  CHECK(bad.functions[0].body.code[0].a == 99);
}

TEST_CASE("identifiers may use every idchar") {
  ir::Module m = parseOk(R"((func $a!#$%&'*+-./:<=>?@\^_`|~0Z (call $a!#$%&'*+-./:<=>?@\^_`|~0Z)))");
  CHECK(m.functions[0].body.code[0].a == 0);
  CHECK(m.names.functions.at(0) == R"(a!#$%&'*+-./:<=>?@\^_`|~0Z)");
  CHECK_FALSE(parseWat("(func $a{b})").ok());
  CHECK_FALSE(parseWat("(func $a,b)").ok());
}

TEST_CASE("labels: names, depth, shadowing and end labels") {
  ir::Module m = parseOk(R"((func
    (block $a (block $b (br $a) (br $b) (br 1)))
    (block $a (loop $a (br $a)))
    block $x loop br $x end end $x))");
  const auto& code = m.functions[0].body.code;
  CHECK(code[2].op == Opcode::Br);
  CHECK(code[2].a == 1);
  CHECK(code[3].a == 0);
  CHECK(code[4].a == 1);
  CHECK(code[9].op == Opcode::Br);
  CHECK(code[9].a == 0);  // the inner $a shadows the outer
  CHECK(code[14].op == Opcode::Br);
  CHECK(code[14].a == 1);
  // The block records where its end is.
  CHECK(static_cast<uint32_t>(code[0].c) == 6);

  CHECK(startsWith(parseError("(func (block $a (br $b)))"), "unknown label"));
  CHECK(startsWith(parseError("(func (block $l (i32.const 0) (br_table $l$l)))"), "unknown label"));
  CHECK(parseError("(func block end $l)") == "mismatching label");
  CHECK(parseError("(func block $a end $l)") == "mismatching label");
  CHECK(parseError("(func i32.const 0 if $a else $l end)") == "mismatching label");
  parseOk("(func i32.const 0 if $a else $a end $a)");
}

TEST_CASE("if: flat and folded, else positions recorded") {
  ir::Module m = parseOk(R"((func (result i32)
    (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))))");
  const auto& code = m.functions[0].body.code;
  REQUIRE(code.size() == 7);
  CHECK(code[0].op == Opcode::I32Const);  // the condition comes first
  CHECK(code[1].op == Opcode::If);
  CHECK(code[3].op == Opcode::Else);
  CHECK(static_cast<uint32_t>(code[1].c) == 5);
  CHECK((code[1].c >> 32) == 3);
  parseOk("(func i32.const 1 if nop else nop end)");
  parseOk("(func (if (i32.const 1) (then)))");
  CHECK(parseError("(func (if (i32.const 1) (else)))") == "unexpected token");
}

TEST_CASE("block types: empty, value, inline param/result and (type)") {
  ir::Module m = parseOk(R"(
    (type $t (func (param i32) (result i32)))
    (func
      (block)
      (block (result i64) (i64.const 0)) drop
      (block (type $t) (param i32) (result i32) (i32.const 0)) drop
      (i32.const 0) (block (param i32) (result i32)) drop
      (block (param i32 i32) (result i32) (i32.const 0) (i32.const 0)) drop))");
  const auto& code = m.functions[0].body.code;
  CHECK(code[0].b == static_cast<uint32_t>(ir::BlockTypeKind::Empty));
  CHECK(code[2].b == static_cast<uint32_t>(ir::BlockTypeKind::Value));
  CHECK(code[2].a == static_cast<uint32_t>(ValType::I64));
  CHECK(code[6].b == static_cast<uint32_t>(ir::BlockTypeKind::TypeIndex));
  CHECK(code[6].a == 0);
  // An inline block type equal to an existing type reuses it; a new one is appended.
  CHECK(code[11].a == 0);
  REQUIRE(m.types.size() == 3);  // $t, [] -> [], [i32 i32] -> [i32]
  CHECK(m.types[2].params.size() == 2);

  CHECK(parseError("(type $t (func (param i32) (result i32))) (func (block (type $t) (result i32)))") ==
        "inline function type");
  CHECK(parseError("(func (block (param $x i32)))") == "unexpected token");
  CHECK(parseError("(type $t (func)) (func (block (type $t) (result i32) (param i32)))") ==
        "unexpected token");
}

TEST_CASE("type uses: reuse, insertion at the end, inline check") {
  ir::Module m = parseOk(R"(
    (func $f (result f64) (f64.const 0))
    (func $g (param i32))
    (func $h (result f64) (f64.const 1))
    (type $t (func (param i32))))");
  REQUIRE(m.types.size() == 2);
  CHECK(m.types[0].params.size() == 1);  // the explicit type keeps index 0
  CHECK(m.functions[0].type.value == 1);
  CHECK(m.functions[1].type.value == 0);
  CHECK(m.functions[2].type.value == 1);
  // (type 2) alone is left to the validator; with an inline signature it must exist.
  parseOk("(func (type 2))");
  CHECK(parseError("(func (type 2) (param i32))") == "unknown type");
  CHECK(parseError("(type $s (func (param i32))) (func (type $s) (param i64))") == "inline function type");
  CHECK(parseError("(func (local i32) (result i32) (local.get 0))") == "unexpected token");
  CHECK(parseError("(func (nop) (local i32))") == "unexpected token");
}

TEST_CASE("inline imports and exports") {
  ir::Module m = parseOk(R"(
    (func $i (import "m" "f") (param i32))
    (table (import "m" "t") 1 2 externref)
    (memory (export "mem") (import "m" "mem") 1)
    (global $g (export "g1") (export "g2") (import "m" "g") (mut f32))
    (func (export "f") (param i32)))");
  REQUIRE(m.imports.size() == 4);
  CHECK(m.imports[0].kind == ir::ExternKind::Func);
  CHECK(m.imports[1].table.elem == ValType::ExternRef);
  CHECK(m.imports[1].table.limits.max == 2u);
  CHECK(m.imports[2].kind == ir::ExternKind::Memory);
  CHECK(m.imports[3].global.mut == ir::Mutability::Var);
  CHECK(m.importedFuncs() == 1);
  REQUIRE(m.exports.size() == 4);
  CHECK(m.exports[0].name == "mem");
  CHECK(m.exports[3].index == 1);  // the defined function follows the import
  CHECK(m.functions.size() == 1);

  CHECK(parseError(R"((func) (import "" "" (func)))") == "import after function");
  CHECK(parseError(R"((global i64 (i64.const 0)) (import "" "" (table 0 funcref)))") == "import after global");
  CHECK(parseError(R"((table 0 funcref) (import "" "" (memory 0)))") == "import after table");
  CHECK(parseError(R"((memory 0) (func (import "" "")))") == "import after memory");
}

TEST_CASE("tables with inline elements, memories with inline data") {
  ir::Module m = parseOk(R"(
    (func $f) (func $g)
    (table $t funcref (elem $f $g $f))
    (table externref (elem (ref.null extern)))
    (memory (data "ab" "c")))");
  REQUIRE(m.tables.size() == 2);
  CHECK(m.tables[0].limits.min == 3);
  CHECK(m.tables[0].limits.max == 3u);
  REQUIRE(m.elems.size() == 2);
  CHECK(m.elems[0].mode == ir::SegmentMode::Active);
  CHECK(m.elems[0].init[1].code[0].op == Opcode::RefFunc);
  CHECK(m.elems[0].init[1].code[0].a == 1);
  CHECK(m.elems[1].type == ValType::ExternRef);
  CHECK(m.elems[1].table.value == 1);
  REQUIRE(m.memories.size() == 1);
  CHECK(m.memories[0].limits.min == 1);
  CHECK(m.datas[0].init.size() == 3);

  ir::Module empty = parseOk("(memory (data))");
  CHECK(empty.memories[0].limits.min == 0);
  ir::Module big = parseOk("(memory 0x1_0000 0x1_0000)");
  CHECK(big.memories[0].limits.min == 65536);
  CHECK(parseError("(memory 0x1_0000_0000)") == "i32 constant out of range");
  CHECK(parseError("(table 0 0x1_0000_0000 funcref)") == "i32 constant out of range");
}

TEST_CASE("element segment forms") {
  ir::Module m = parseOk(R"(
    (table $t 10 funcref)
    (func $f)
    (elem (i32.const 0) $f 0)
    (elem (table $t) (offset (i32.const 1)) func $f)
    (elem $p funcref (ref.func $f) (item ref.null func) (item (ref.func 0)))
    (elem declare func $f)
    (elem externref (ref.null extern))
    (elem 0 (i32.const 2) func))");
  REQUIRE(m.elems.size() == 6);
  CHECK(m.elems[0].mode == ir::SegmentMode::Active);
  CHECK(m.elems[0].init.size() == 2);
  CHECK(m.elems[1].offset.code[0].c == 1);
  CHECK(m.elems[2].mode == ir::SegmentMode::Passive);
  CHECK(m.elems[2].init[1].code[0].op == Opcode::RefNull);
  CHECK(m.elems[3].mode == ir::SegmentMode::Declarative);
  CHECK(m.elems[4].type == ValType::ExternRef);
  CHECK(m.elems[5].init.empty());
}

TEST_CASE("data segment forms") {
  ir::Module m = parseOk(R"(
    (memory $m 1)
    (global $g i32 (i32.const 0))
    (data (i32.const 0) "a")
    (data (memory $m) (offset (global.get $g)) "b" "c")
    (data $passive "xyz")
    (data (memory 0) (i32.const 1)))");
  REQUIRE(m.datas.size() == 4);
  CHECK(m.datas[1].offset.code[0].op == Opcode::GlobalGet);
  CHECK(m.datas[1].init.size() == 2);
  CHECK(m.datas[2].mode == ir::SegmentMode::Passive);
  CHECK(m.datas[3].init.empty());
  CHECK_FALSE(m.dataCount.has_value());
}

TEST_CASE("start, exports, select and reference instructions") {
  ir::Module m = parseOk(R"(
    (func $main)
    (start $main)
    (export "m" (func $main))
    (func (result i32)
      (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))
    (func (result funcref) (ref.func $main))
    (func (result i32) (ref.is_null (ref.null extern))))");
  CHECK(m.start.has_value());
  const auto& sel = m.functions[1].body.code[3];
  CHECK(sel.op == Opcode::SelectT);
  CHECK(sel.b == 1);
  CHECK(sel.a == static_cast<uint32_t>(ValType::I32));
  CHECK(m.functions[3].body.code[0].a == static_cast<uint32_t>(ValType::ExternRef));
  CHECK(parseError("(func $a) (start $a) (start $a)") == "multiple start sections");
}

TEST_CASE("unknown and misplaced operators") {
  CHECK(parseError("(func (i32.foo))") == "unknown operator i32.foo");
  CHECK(parseError("(func get_local 0)") == "unknown operator get_local");
  CHECK(parseError("(global $g anyfunc (ref.null func))") == "unknown operator anyfunc");
  CHECK(parseError("(func (local i32) (param i32))") == "unexpected token");
  CHECK(parseError("(func (then))") == "unexpected token");
}

TEST_CASE("bulk memory and table instructions take their immediates") {
  ir::Module m = parseOk(R"(
    (table $t1 1 funcref) (table $t2 1 funcref)
    (memory 1)
    (elem $e func)
    (data $d "")
    (func
      (table.init $t2 $e (i32.const 0) (i32.const 0) (i32.const 0))
      (table.init $e (i32.const 0) (i32.const 0) (i32.const 0))
      (table.copy $t1 $t2 (i32.const 0) (i32.const 0) (i32.const 0))
      (table.copy (i32.const 0) (i32.const 0) (i32.const 0))
      (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
      (drop (table.size $t2))
      (drop (table.size))))");
  const auto& code = m.functions[0].body.code;
  CHECK(code[3].op == Opcode::TableInit);
  CHECK(code[3].b == 1);
  CHECK(code[7].b == 0);
  CHECK(code[11].op == Opcode::TableCopy);
  CHECK(code[11].a == 0);
  CHECK(code[11].b == 1);
  CHECK(m.dataCount == 1u);
}

TEST_CASE("garbage and truncated input is an error, never a crash") {
  const char* inputs[] = {"", "(", ")", "(module", "(module (func (block", "(func (i32.const",
                          "(((((", "\xff\xfe", "(module (memory (data \"\\", "(func (v128.const i32x4",
                          "(func (br_table))", "(elem (table", "(data (memory", "(type (func (param",
                          "(func (if (then", "(func block $a", "(func (select (result i32"};
  for (const char* in : inputs) {
    auto r = parseWat(in);
    if (std::string_view(in).empty()) {
      CHECK(r.ok());  // an empty module is a module
    } else {
      CHECK_FALSE(r.ok());
    }
  }
  // Deep nesting fails cleanly instead of exhausting the native stack.
  std::string deep = "(func ";
  for (int i = 0; i < 100000; ++i) deep += "(block ";
  CHECK_FALSE(parseWat(deep).ok());
  std::string flat = "(func ";
  for (int i = 0; i < 100000; ++i) flat += "block ";
  CHECK_FALSE(parseWat(flat).ok());
}

TEST_CASE("errors carry a byte offset") {
  auto r = parseWat("(module (func (call $missing)))");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().offset == 20u);
}
