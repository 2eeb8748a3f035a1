// No input may crash the decoder: truncations and mutations of a module that uses every section.
#include <doctest/doctest.h>

#include <random>
#include <set>

#include "wasm_builder.h"

using namespace orca;
using namespace orca::decode::test;

namespace {

// A module with every section kind, nested blocks, SIMD and bulk instructions and a name section.
// Also returns the offsets where a section ends (a cut there can leave a valid module).
Bytes richModule(std::set<size_t>* sectionEnds) {
  std::vector<Bytes> sections = {
      section(1, vec({{0x60, 0x01, 0x7F, 0x01, 0x7F}, {0x60, 0x00, 0x00}})),
      section(2, vec({cat({str("env"), str("f"), {0x00, 0x01}}),
                      cat({str("env"), str("g"), {0x03, 0x7F, 0x00}})})),
      section(3, vec({{0x00}, {0x01}})),
      section(4, vec({{0x70, 0x01, 0x01, 0x10}})),
      section(5, vec({{0x01, 0x01, 0x02}})),
      section(6, vec({{0x7E, 0x01, 0x42, 0xC0, 0xBB, 0x78, 0x0B}})),
      section(7, vec({cat({str("run"), {0x00, 0x01}}), cat({str("mem"), {0x02, 0x00}})})),
      section(8, uleb(2)),
      section(9, vec({cat({{0x00, 0x41, 0x00, 0x0B}, vec({{0x01}, {0x02}})}),
                      cat({{0x05, 0x70}, vec({{0xD2, 0x01, 0x0B}})})})),
      section(12, uleb(2)),
      section(10, vec({body(vec({{0x02, 0x7F}}),
                            {0x20, 0x00, 0x02, 0x7F, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41,
                             0x03, 0x0B, 0x0B, 0x6A, 0x0E, 0x01, 0x00, 0x00, 0x0B}),
                       body({0x00}, {0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                     0xFD, 0x15, 0x03, 0x1A, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
                                     0xFC, 0x08, 0x01, 0x00, 0xFC, 0x09, 0x00, 0x0B})})),
      section(11, vec({cat({{0x00, 0x41, 0x08, 0x0B}, str("hello")}), cat({{0x01}, str("p")})})),
      customSection("name", cat({{0x00, 0x04}, str("mod"),
                                 {0x01, 0x06}, vec({cat({uleb(1), str("run")})})})),
  };
  Bytes out = header();
  if (sectionEnds) sectionEnds->insert(out.size());
  for (const Bytes& s : sections) {
    out.insert(out.end(), s.begin(), s.end());
    if (sectionEnds) sectionEnds->insert(out.size());
  }
  return out;
}

}  // namespace

TEST_CASE("the rich module decodes") {
  auto r = decodeBytes(richModule(nullptr));
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(r->imports.size() == 2);
  CHECK(r->functions.size() == 2);
  CHECK(r->funcCount() == 3);
  CHECK(r->elems.size() == 2);
  CHECK(r->datas.size() == 2);
  CHECK(r->names.module == std::optional<std::string>("mod"));
  CHECK(r->names.functions.at(1) == "run");
  CHECK(r->globals[0].init.code[0].c == uint64_t(int64_t(-123456)));
}

TEST_CASE("every truncation fails cleanly") {
  std::set<size_t> ends;
  Bytes full = richModule(&ends);
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    auto r = decodeBytes(cut);
    INFO("cut at " << n);
    if (ends.count(n)) continue;  // a prefix of whole sections may be a (smaller) valid module
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Malformed);
    CHECK(r.error().offset.has_value());
    if (n < 8) CHECK(r.error().message == "unexpected end");
  }
  // Cuts inside a section say "unexpected end" (or report the section size that no longer fits).
  for (size_t n = 9; n < full.size(); ++n) {
    if (ends.count(n)) continue;
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    std::string m = messageOf(cut);
    bool expected = startsWith(m, "unexpected end") || startsWith(m, "length out of bounds");
    INFO("cut at " << n << ": " << m);
    CHECK(expected);
  }
}

TEST_CASE("random mutations never crash") {
  Bytes full = richModule(nullptr);
  std::mt19937 rng(12345);
  size_t ok = 0, failed = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    Bytes m = full;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = 8 + rng() % (m.size() - 8);
      switch (rng() % 4) {
        case 0: m[at] = static_cast<uint8_t>(rng()); break;
        case 1: m[at] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
        case 2: m.erase(m.begin() + static_cast<std::ptrdiff_t>(at)); break;
        case 3: m.insert(m.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(rng())); break;
      }
    }
    auto r = decodeBytes(m);
    if (r) {
      ++ok;
    } else {
      ++failed;
      REQUIRE(r.error().kind == ErrorKind::Malformed);
      REQUIRE(r.error().offset.has_value());
      REQUIRE(*r.error().offset <= m.size());
      REQUIRE_FALSE(r.error().message.empty());
    }
  }
  CHECK(failed > 0);
  CHECK(ok + failed == 20000);
}
