// The types of the WebAssembly 2.0 module IR, named after the spec's grammar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orca::ir {

// A strongly typed index: FuncIdx and TypeIdx do not convert into each other by accident.
template <typename Tag>
struct Index {
  uint32_t value = 0;
  constexpr Index() = default;
  constexpr explicit Index(uint32_t v) : value(v) {}
  friend constexpr bool operator==(Index, Index) = default;
  friend constexpr auto operator<=>(Index, Index) = default;
};

using TypeIdx = Index<struct TypeIdxTag>;
using FuncIdx = Index<struct FuncIdxTag>;
using TableIdx = Index<struct TableIdxTag>;
using MemIdx = Index<struct MemIdxTag>;
using GlobalIdx = Index<struct GlobalIdxTag>;
using ElemIdx = Index<struct ElemIdxTag>;
using DataIdx = Index<struct DataIdxTag>;
using LocalIdx = Index<struct LocalIdxTag>;
using LabelIdx = Index<struct LabelIdxTag>;

// valtype ::= numtype | vectype | reftype
// The enumerators carry their binary encoding.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
};

bool isValTypeByte(uint8_t byte);
bool isRefType(ValType t);
bool isNumType(ValType t);
const char* valTypeName(ValType t);  // "i32", "funcref", ...

// functype ::= [vec(valtype)] -> [vec(valtype)]
struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};
std::string funcTypeToString(const FuncType& type);  // "[i32 i32] -> [i32]"

// limits ::= {min u32, max u32?}
struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  friend bool operator==(const Limits&, const Limits&) = default;
};

// tabletype ::= limits reftype
struct TableType {
  Limits limits;
  ValType elem = ValType::FuncRef;
  friend bool operator==(const TableType&, const TableType&) = default;
};

// memtype ::= limits   (in units of 64 KiB pages)
struct MemoryType {
  Limits limits;
  bool shared = false;  // threads proposal; always false in 2.0 modules
  friend bool operator==(const MemoryType&, const MemoryType&) = default;
};
inline constexpr uint64_t kPageSize = 65536;
inline constexpr uint64_t kMaxPages32 = 65536;  // 4 GiB

// globaltype ::= mut valtype
enum class Mutability : uint8_t { Const = 0, Var = 1 };
struct GlobalType {
  ValType type = ValType::I32;
  Mutability mut = Mutability::Const;
  friend bool operator==(const GlobalType&, const GlobalType&) = default;
};

// externtype ::= func functype | table tabletype | mem memtype | global globaltype
// The enumerators carry the binary import/export descriptor byte.
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char* externKindName(ExternKind kind);

// A 128-bit vector constant or shuffle mask, as little-endian bytes.
struct V128 {
  uint8_t bytes[16] = {};
  friend bool operator==(const V128&, const V128&) = default;
};

}  // namespace orca::ir
