// Compile bombs: small generators of valid modules crafted to make a compiler slow or hungry,
// each scaled by one number. Shared by the limits test (tests/unit/runtime/limits_test.cpp) and
// the measurement tool (tests/bench/compile_bombs.cpp), so both speak of the same modules.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "../decode/wasm_builder.h"

namespace orca::test::bombs {

using decode::test::Bytes;
using decode::test::section;
using decode::test::uleb;

inline void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

// A type section of `count` copies of `type` (its encoding, starting with 0x60).
inline Bytes typeSection(uint64_t count, const Bytes& type) {
  Bytes payload = uleb(count);
  for (uint64_t i = 0; i < count; ++i) append(payload, type);
  return section(1, payload);
}

inline const Bytes kVoidType = {0x60, 0x00, 0x00};          // [] -> []
inline const Bytes kI32ToI32 = {0x60, 0x01, 0x7F, 0x01, 0x7F};  // [i32] -> [i32]
inline const Bytes kI32ToVoid = {0x60, 0x01, 0x7F, 0x00};    // [i32] -> []

// A module of one type and one function of that type with `locals` (vec of runs, encoded) and
// `code` (the final end included), exported as "f".
inline Bytes oneFunction(const Bytes& type, const Bytes& locals, const Bytes& code) {
  Bytes out = decode::test::header();
  append(out, typeSection(1, type));
  append(out, section(3, Bytes{0x01, 0x00}));
  append(out, section(7, Bytes{0x01, 0x01, 'f', 0x00, 0x00}));
  Bytes body = locals;
  append(body, code);
  Bytes codePayload = uleb(1);
  append(codePayload, uleb(body.size()));
  append(codePayload, body);
  append(out, section(10, codePayload));
  return out;
}

// One function [i32] -> [i32] of about `instructions` instructions: a run of ifs, each adding one
// to the parameter (7 instructions, 12 bytes each), so LLVM sees as many blocks as ifs.
inline Bytes bigFunction(uint64_t instructions) {
  Bytes code;
  for (uint64_t i = 0; i < instructions / 7; ++i)
    append(code, {0x20, 0x00, 0x04, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6A, 0x21, 0x00, 0x0B});
  append(code, {0x20, 0x00, 0x0B});
  return oneFunction(kI32ToI32, {0x00}, code);
}

// One function [] -> [] with `count` i32 locals, each incremented in one loop that runs while
// local 0 is non-zero: every local is live around the loop (a phi each at its header).
inline Bytes manyLocals(uint64_t count) {
  Bytes locals = {0x01};
  append(locals, uleb(count));
  locals.push_back(0x7F);
  Bytes code = {0x03, 0x40};  // loop
  for (uint64_t i = 0; i < count; ++i) {
    Bytes index = uleb(i);
    code.push_back(0x20), append(code, index);  // local.get i
    append(code, {0x41, 0x01, 0x6A});           // i32.const 1, i32.add
    code.push_back(0x21), append(code, index);  // local.set i
  }
  append(code, {0x20, 0x00, 0x0D, 0x00, 0x0B, 0x0B});  // local.get 0, br_if 0, end, end
  return oneFunction(kVoidType, locals, code);
}

// One function [i32] -> [] of `depth` ifs nested in each other, each on the parameter.
inline Bytes deepNesting(uint64_t depth) {
  Bytes code;
  for (uint64_t i = 0; i < depth; ++i) append(code, {0x20, 0x00, 0x04, 0x40});
  code.insert(code.end(), depth + 1, 0x0B);
  return oneFunction(kI32ToVoid, {0x00}, code);
}

// One function [i32] -> [i32] whose br_table has `targets` labels (the default included), spread
// over 16 blocks; leaving block j returns j.
inline Bytes bigBrTable(uint64_t targets) {
  constexpr uint32_t kBlocks = 16;
  Bytes code;
  for (uint32_t j = 0; j < kBlocks; ++j) append(code, {0x02, 0x40});
  append(code, {0x20, 0x00, 0x0E});
  append(code, uleb(targets - 1));
  for (uint64_t i = 0; i < targets; ++i) code.push_back(static_cast<uint8_t>(i % kBlocks));
  for (uint32_t j = 0; j < kBlocks; ++j) append(code, {0x0B, 0x41, static_cast<uint8_t>(j), 0x0F});
  append(code, {0x41, 0x7F, 0x0B});
  return oneFunction(kI32ToI32, {0x00}, code);
}

// `count` small functions [i32] -> [i32] (add one), the first exported as "f".
inline Bytes manyFunctions(uint64_t count) {
  Bytes out = decode::test::header();
  append(out, typeSection(1, kI32ToI32));
  Bytes funcs = uleb(count);
  funcs.insert(funcs.end(), count, 0x00);
  append(out, section(3, funcs));
  append(out, section(7, Bytes{0x01, 0x01, 'f', 0x00, 0x00}));
  Bytes code = uleb(count);
  for (uint64_t i = 0; i < count; ++i) append(code, {0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6A, 0x0B});
  append(out, section(10, code));
  return out;
}

// `count` types [] -> [] and nothing else: each type is an entry trampoline and a host thunk.
inline Bytes manyTypes(uint64_t count) {
  Bytes out = decode::test::header();
  append(out, typeSection(count, kVoidType));
  return out;
}

// One memory and one active data segment of `bytes` bytes at address 0.
inline Bytes hugeData(uint64_t bytes) {
  Bytes out = decode::test::header();
  uint64_t pages = (bytes + 0xFFFF) / 0x10000;
  Bytes memory = {0x01, 0x00};
  append(memory, uleb(pages));
  append(out, section(5, memory));
  Bytes data = {0x01, 0x00, 0x41, 0x00, 0x0B};  // one segment, memory 0, offset i32.const 0
  append(data, uleb(bytes));
  data.insert(data.end(), bytes, 0xA5);
  append(out, section(11, data));
  return out;
}

struct Bomb {
  std::string_view name;
  Bytes (*make)(uint64_t);
};

// Every bomb by the name the measurement tool takes.
inline constexpr Bomb kBombs[] = {
    {"big-function", bigFunction}, {"many-locals", manyLocals},       {"deep-nesting", deepNesting},
    {"big-br-table", bigBrTable},   {"many-functions", manyFunctions}, {"many-types", manyTypes},
    {"huge-data", hugeData},
};

}  // namespace orca::test::bombs
