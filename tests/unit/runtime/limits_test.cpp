// Engine limits against compile bombs (validate/limits.h): each bomb over its default limit is
// refused, naming the limit and the value, by every front door (validate, compile, deserialize);
// bombs at their default limits compile within the CPU time documented in docs/security.md.
#include <sys/resource.h>

#include <limits>
#include <string>

#include "bomb_modules.h"
#include "helpers.h"

namespace orca::runtime::test {
namespace {

using orca::test::bombs::Bytes;
namespace bombs = orca::test::bombs;

std::unique_ptr<Engine> engineWith(const validate::Limits& limits, bool compileCode) {
  EngineConfig config;
  config.limits = limits;
  config.compileCode = compileCode;
  auto engine = Engine::create(config);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

// Checks that `bytes` is refused by validation and by compilation with exactly `message`.
void checkRefused(Engine& engine, const Bytes& bytes, const std::string& message) {
  Status validated = Module::validate(engine, bytes);
  REQUIRE_FALSE(validated.ok());
  CHECK(validated.error().kind == ErrorKind::Unsupported);
  CHECK(validated.error().message == message);
  auto compiled = Module::compile(engine, bytes);
  REQUIRE_FALSE(compiled.ok());
  CHECK(compiled.error().kind == ErrorKind::Unsupported);
  CHECK(compiled.error().message == message);
}

std::string refusal(const char* limit, const std::string& what, uint64_t value, uint64_t max) {
  return std::string("limit ") + limit + " exceeded: " + what + " is " + std::to_string(value) + " (the limit is " +
         std::to_string(max) + ")";
}

}  // namespace

TEST_CASE("limits: each compile bomb over its default limit is refused, naming the limit") {
  Engine& engine = noCodeEngine();
  const validate::Limits defaults;

  SUBCASE("a function body over 7,654,321 bytes") {
    Bytes bytes = bombs::bigFunction(4'500'000);
    uint64_t body = 1 + 4'500'000 / 7 * 12 + 3;
    REQUIRE(body > defaults.functionBodyBytes);
    checkRefused(engine, bytes, refusal("function-body-bytes", "the body size of function 0", body, 7'654'321));
  }
  SUBCASE("50,001 locals (billions declared in a few bytes would be refused alike)") {
    checkRefused(engine, bombs::manyLocals(50'001), refusal("locals", "the local count of function 0", 50'001, 50'000));
    checkRefused(engine, bombs::oneFunction(bombs::kVoidType, {0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F}, {0x0B}),
                 refusal("locals", "the local count of function 0", 0xFFFFFFFF, 50'000));
  }
  SUBCASE("10,001 nested blocks") {
    checkRefused(engine, bombs::deepNesting(10'001),
                 refusal("nesting-depth", "the nesting depth in function 0", 10'001, 10'000));
  }
  SUBCASE("a br_table of 100,000 labels") {
    checkRefused(engine, bombs::bigBrTable(100'000),
                 refusal("br-table-targets", "the br_table size in function 0", 100'000, 65'520));
  }
  SUBCASE("1,000,001 functions") {
    checkRefused(engine, bombs::manyFunctions(1'000'001),
                 refusal("functions", "the number of functions", 1'000'001, 1'000'000));
  }
  SUBCASE("4,001 types") {
    checkRefused(engine, bombs::manyTypes(4'001), refusal("types", "the number of types", 4'001, 4'000));
  }
  SUBCASE("a type of 1,001 parameters or results") {
    Bytes params = {0x60};
    bombs::append(params, decode::test::uleb(1001));
    params.insert(params.end(), 1001, 0x7F);
    params.push_back(0x00);
    Bytes module = decode::test::header();
    bombs::append(module, bombs::typeSection(1, params));
    checkRefused(engine, module, refusal("params", "the parameter count of type 0", 1001, 1000));
  }
}

TEST_CASE("limits: the error's offset points at the function or instruction to blame") {
  Bytes bytes = bombs::deepNesting(3);
  validate::Limits limits;
  limits.nestingDepth = 2;
  auto engine = engineWith(limits, false);
  Status status = Module::validate(*engine, bytes);
  REQUIRE_FALSE(status.ok());
  // The third if: three (local.get 0, if) pairs of four bytes from the body's first instruction.
  auto decoded = decode::decodeModule(bytes);
  REQUIRE(decoded.ok());
  const ir::Function& fn = decoded->functions[0];
  REQUIRE(status.error().offset.has_value());
  CHECK(*status.error().offset == fn.body.code[5].offset);
  CHECK(fn.body.code[5].op == ir::Opcode::If);
}

TEST_CASE("limits: every limit is configurable and counts what it names") {
  // One of each counted thing, and two where a limit of one must refuse.
  Bytes bytes = wasmOf(R"((module
    (import "m" "f" (func (param i32 i64) (result i32 i64)))
    (import "m" "g" (global i32))
    (table 1 funcref) (table 1 funcref)
    (memory 1)
    (global i32 (i32.const 0))
    (data (i32.const 0) "a") (data (i32.const 1) "b")
    (func (export "f") (param i32) (local i32)
      (block (loop (block (br_table 0 1 2 (local.get 0))))))
    (func (export "g")))
  )");
  struct Case {
    validate::Limit limit;
    uint64_t max;
    std::string message;
  };
  const Case cases[] = {
      {validate::Limit::ModuleBytes, 10, "the module size is " + std::to_string(bytes.size())},
      {validate::Limit::Types, 1, "the number of types is 3"},
      {validate::Limit::Functions, 2, "the number of functions is 3"},
      {validate::Limit::Imports, 1, "the number of imports is 2"},
      {validate::Limit::Exports, 1, "the number of exports is 2"},
      {validate::Limit::Globals, 1, "the number of globals is 2"},
      {validate::Limit::Tables, 1, "the number of tables is 2"},
      {validate::Limit::DataSegments, 1, "the number of data segments is 2"},
      {validate::Limit::Params, 1, "the parameter count of type 0 is 2"},
      {validate::Limit::Results, 1, "the result count of type 0 is 2"},
      {validate::Limit::FunctionBodyBytes, 10, "the body size of function 1 is"},
      {validate::Limit::Locals, 1, "the local count of function 1 is 2"},
      {validate::Limit::NestingDepth, 2, "the nesting depth in function 1 is 3"},
      {validate::Limit::BrTableTargets, 2, "the br_table size in function 1 is 3"},
  };
  static_assert(std::size(cases) == validate::kLimitCount, "a case for every limit");
  for (const Case& c : cases) {
    CAPTURE(validate::limitName(c.limit));
    validate::Limits limits;
    validate::limitValue(limits, c.limit) = c.max;
    auto engine = engineWith(limits, false);
    Status status = Module::validate(*engine, bytes);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == ErrorKind::Unsupported);
    std::string prefix = "limit " + std::string(validate::limitName(c.limit)) + " exceeded: " + c.message;
    CHECK_MESSAGE(status.error().message.starts_with(prefix), status.error().message);
    CHECK(status.error().message.ends_with("(the limit is " + std::to_string(c.max) + ")"));
    // Lifted, the limit lets the module through.
    validate::limitValue(limits, c.limit) = std::numeric_limits<uint64_t>::max();
    CHECK(Module::validate(*engineWith(limits, false), bytes).ok());
  }
  CHECK(Module::validate(noCodeEngine(), bytes).ok());
}

TEST_CASE("limits: an invalid module is reported invalid, not over a limit") {
  validate::Limits limits;
  limits.functionBodyBytes = 1;
  auto engine = engineWith(limits, false);
  Status status = Module::validate(*engine, decode::test::oneFunction({0x41, 0x00, 0x0B}));  // leaves an i32
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == ErrorKind::Invalid);
}

// An artifact's bodies are not decoded again (its code is loaded, not compiled), so the limits
// that bound compiling a body (locals, nesting, br_table) do not apply to it; the others do.
TEST_CASE("limits: deserialize refuses an artifact over the loading engine's limits") {
  Bytes bytes = bombs::manyFunctions(100);
  auto module = Module::compile(sharedEngine(), bytes);
  REQUIRE(module.ok());
  auto artifact = (*module)->serialize();
  REQUIRE(artifact.ok());
  validate::Limits limits;
  limits.functions = 99;
  auto strict = engineWith(limits, true);
  auto loaded = Module::deserialize(*strict, *artifact);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::Unsupported);
  CHECK(loaded.error().message == refusal("functions", "the number of functions", 100, 99));
}

}  // namespace orca::runtime::test

namespace orca::runtime::test {
namespace {

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // every thread: the compile runs on a pool
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Compiles `bytes` and checks that it took at most `maxCpuSeconds` of CPU time (not wall time,
// which a loaded machine stretches). The bounds are ten times the figures in docs/security.md.
void checkCompilesWithin(Engine& engine, const Bytes& bytes, double maxCpuSeconds) {
  double start = cpuSeconds();
  auto module = Module::compile(engine, bytes);
  double spent = cpuSeconds() - start;
  REQUIRE_MESSAGE(module.ok(), (module.ok() ? "" : module.error().describe()));
  CHECK_MESSAGE(spent <= maxCpuSeconds, "compile took " << spent << " s of CPU");
}

}  // namespace

TEST_CASE("limits: bombs at the default limits compile within the documented bounds at opt level 0") {
  auto engine = engineAtOptLevel(0);
  const validate::Limits defaults;
  SUBCASE("50,000 locals live around one loop") {
    checkCompilesWithin(*engine, bombs::manyLocals(defaults.locals), 13);
  }
  SUBCASE("10,000 nested ifs") { checkCompilesWithin(*engine, bombs::deepNesting(defaults.nestingDepth), 4); }
  SUBCASE("a br_table of 65,520 labels") {
    checkCompilesWithin(*engine, bombs::bigBrTable(defaults.brTableTargets), 1);
  }
  SUBCASE("a function of 100,000 instructions (the cost grows linearly at this level)") {
    checkCompilesWithin(*engine, bombs::bigFunction(100'000), 8);
  }
}

TEST_CASE("limits: a br_table at its default limit compiles within the documented bound at opt level 2") {
  checkCompilesWithin(sharedEngine(), bombs::bigBrTable(validate::Limits{}.brTableTargets), 3);
}

}  // namespace orca::runtime::test
