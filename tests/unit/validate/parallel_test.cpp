// ModuleValidator: declarations once, function bodies in ranges from several threads.
#include <doctest/doctest.h>

#include <atomic>
#include <string_view>
#include <thread>
#include <vector>

#include "builder.h"

using namespace orca;
using namespace orca::validate::test;

namespace {

ModuleBuilder manyFunctions(int count, int badIndex) {
  ModuleBuilder b;
  b.memory(1);
  for (int i = 0; i < count; ++i) {
    Code c;
    c.block(Opcode::Block, ValType::I32).i32Const(i).end();
    if (i == badIndex) c.f32Const().op(Opcode::I32Add);
    c.i32Const(0).mem(Opcode::I32Load, 2).op(Opcode::I32Add).end();
    b.func({}, {ValType::I32}, std::move(c));
  }
  return b;
}

}  // namespace

TEST_CASE("function bodies validate in parallel ranges") {
  ModuleBuilder b = manyFunctions(400, -1);
  validate::ModuleValidator v(b.m);
  REQUIRE(v.validateDeclarations().ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      if (!v.validateFunctions(t * 100, 100).ok()) ++failures;
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
}

TEST_CASE("a bad body is found in its range only") {
  ModuleBuilder b = manyFunctions(40, 25);
  validate::ModuleValidator v(b.m);
  REQUIRE(v.validateDeclarations().ok());
  CHECK(v.validateFunctions(0, 20).ok());
  auto s = v.validateFunctions(20, 20);
  REQUIRE_FALSE(s.ok());
  CHECK(std::string_view(s.error().message).starts_with("type mismatch"));
  CHECK(std::string_view(s.error().message).find("function 25") != std::string_view::npos);
  // A range past the end is an error, not a read out of bounds.
  CHECK_FALSE(v.validateFunctions(30, 20).ok());
}

TEST_CASE("bodies are not validated before the declarations") {
  ModuleBuilder b = manyFunctions(2, -1);
  b.m.globalImports.push_back(9);  // inconsistent import lists: body lookups would be unsafe
  validate::ModuleValidator v(b.m);
  CHECK_FALSE(v.validateFunctions(0, 2).ok());
  CHECK_FALSE(v.validateDeclarations().ok());
  CHECK_FALSE(v.validateFunctions(0, 2).ok());
}
