// Text errors carry their line and column (issue 10): every kind of newline, characters wider
// than a byte, errors of the tokenizer and of the parser, and the one-line form of describe().
#include "text_test_util.h"

using namespace orca;
using namespace orca::text;
using namespace orca::text::test;

namespace {

// parseWat's error; fails the test case when parsing succeeds.
Error watError(std::string_view src) {
  auto m = parseWat(src);
  INFO("source: " << src);
  REQUIRE_FALSE(m.ok());
  return m.error();
}

}  // namespace

TEST_CASE("a parse error has the line and column of the token it is about") {
  Error e = watError("(module\n  (func (result i32)\n    (i32.ad (i32.const 1) (i32.const 2))))");
  CHECK(e.message == "unknown operator i32.ad");
  checkPosition(e, 3, 6);
  REQUIRE(e.offset.has_value());
  CHECK(*e.offset == 34);
  // The place is printed once, as line and column, never as the offset too.
  CHECK(e.describe() == "malformed: unknown operator i32.ad (at line 3, column 6)");
}

TEST_CASE("the first token of the text is at line 1, column 1") { checkPosition(watError("bogus"), 1, 1); }

TEST_CASE("lines end at LF, CR LF and a lone CR alike") {
  checkPosition(watError("(module\n(func nope))"), 2, 7);
  checkPosition(watError("(module\r\n(func\r\n  nope))"), 3, 3);
  checkPosition(watError("(module\r(func\r  nope))"), 3, 3);
}

TEST_CASE("columns count characters: a tab and a multi-byte UTF-8 character are one each") {
  checkPosition(watError("(module\n\t(func nope))"), 2, 8);
  // "é" is two bytes and "😀" four; each is one column.
  checkPosition(watError("(module (; \xC3\xA9\xF0\x9F\x98\x80 ;) (func nope))"), 1, 24);
}

TEST_CASE("tokenizer errors have a position too") {
  checkPosition(watError("(module\n  (data \"abc))"), 2, 9);  // the string that is not closed
  checkPosition(watError("(module\n\n   [)"), 3, 4);            // a character no token starts with
}

TEST_CASE("an error at the end of the text is after its last token") {
  checkPosition(watError("(module\n  (func"), 2, 8);
}

TEST_CASE("watToWasm passes the position on") {
  auto bytes = watToWasm("(module\n(func (local.get 0) (i32.bogus)))");
  REQUIRE_FALSE(bytes.ok());
  checkPosition(bytes.error(), 2, 22);
}

TEST_CASE("an error without a place in a text describes itself with its offset, or with nothing") {
  Error binary = makeError(ErrorKind::Malformed, "unexpected end", 0x1f);
  CHECK(binary.describe() == "malformed: unexpected end (at offset 0x1f)");
  Error nowhere = makeError(ErrorKind::Io, "cannot read");
  CHECK(nowhere.describe() == "io: cannot read");
}
