// Small C++ helpers over the public C API (wasm.h, orca.h): owning pointers that call the
// matching *_delete, and errors and traps as strings. The command and the script runner reach
// the runtime only through these headers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orca.h"

namespace orca::cli {

template <auto Delete>
struct CDeleter {
  template <typename T>
  void operator()(T* p) const {
    if (p) Delete(p);
  }
};

using EnginePtr = std::unique_ptr<wasm_engine_t, CDeleter<wasm_engine_delete>>;
using StorePtr = std::unique_ptr<wasm_store_t, CDeleter<wasm_store_delete>>;
using ModulePtr = std::unique_ptr<wasm_module_t, CDeleter<wasm_module_delete>>;
using InstancePtr = std::unique_ptr<wasm_instance_t, CDeleter<wasm_instance_delete>>;
using ExternPtr = std::unique_ptr<wasm_extern_t, CDeleter<wasm_extern_delete>>;
using FuncTypePtr = std::unique_ptr<wasm_functype_t, CDeleter<wasm_functype_delete>>;
using GlobalTypePtr = std::unique_ptr<wasm_globaltype_t, CDeleter<wasm_globaltype_delete>>;
using TrapPtr = std::unique_ptr<wasm_trap_t, CDeleter<wasm_trap_delete>>;
using ErrorPtr = std::unique_ptr<orca_error_t, CDeleter<orca_error_delete>>;
using LinkerPtr = std::unique_ptr<orca_linker_t, CDeleter<orca_linker_delete>>;
using ForeignPtr = std::unique_ptr<wasm_foreign_t, CDeleter<wasm_foreign_delete>>;

// A wasm_byte_vec_t that deletes itself.
class ByteVec {
 public:
  ByteVec() { wasm_byte_vec_new_empty(&vec_); }
  explicit ByteVec(std::string_view bytes) { wasm_byte_vec_new(&vec_, bytes.size(), bytes.data()); }
  ByteVec(const ByteVec&) = delete;
  ByteVec& operator=(const ByteVec&) = delete;
  ~ByteVec() { wasm_byte_vec_delete(&vec_); }

  wasm_byte_vec_t* get() { return &vec_; }
  const wasm_byte_vec_t* get() const { return &vec_; }
  // For functions that fill an `own wasm_byte_vec_t* out`: the old contents are released first.
  wasm_byte_vec_t* reset() {
    wasm_byte_vec_delete(&vec_);
    wasm_byte_vec_new_empty(&vec_);
    return &vec_;
  }
  std::string_view view() const { return {vec_.data ? vec_.data : "", vec_.size}; }

 private:
  wasm_byte_vec_t vec_;
};

// A place in a text: 1-based line and column (in characters), as orca_error_position gives it.
struct TextPosition {
  uint32_t line = 1;
  uint32_t column = 1;
};

// An orca_error_t read out: kind, message and where. The message never holds the place; the two
// describe functions below are where the command adds it.
struct ErrorInfo {
  ErrorInfo() = default;
  // The place is optional: an error made by the command itself often has none.
  ErrorInfo(orca_error_kind_t kind, std::string message, std::optional<size_t> offset = std::nullopt,
            std::optional<TextPosition> position = std::nullopt)
      : kind(kind), message(std::move(message)), offset(offset), position(position) {}

  orca_error_kind_t kind = ORCA_ERROR_UNSUPPORTED;
  std::string message;
  std::optional<size_t> offset;          // in the binary, or in the text for wat2wasm
  std::optional<TextPosition> position;  // for an error in the text format

  // "kind: message (at offset 0x1f)" or "kind: message (at line 3, column 12)", the form of
  // one-line diagnostics.
  std::string describe() const;
  // The error about the file `path` whose bytes are `source`: "path: kind: message (at offset
  // 0x1f)", or for an error in the text, "path:3:12: kind: message" and then the source line with
  // a caret under the column (left out when the line is not printable text).
  std::string describeFile(const std::string& path, std::string_view source) const;
};

// "malformed", "invalid", "unlinkable", "uninstantiable", "trap", "exhaustion", "I/O error",
// "unsupported", "exit", "internal error".
const char* errorKindName(orca_error_kind_t kind);

ErrorInfo readError(const orca_error_t* error);

// A trap's message without the terminating NUL the C API includes.
std::string trapMessage(const wasm_trap_t* trap);

// The trap's wasm frames, innermost first, one line each: "#0 wasm function 3 (module offset
// 0x2a)", or with the function's name when `names` has it: "#0 wasm function 3 fib (module
// offset 0x2a)".
std::vector<std::string> trapFrames(const wasm_trap_t* trap);

// "i32", "i64", "f32", "f64", "v128", "funcref", "externref".
const char* valKindName(wasm_valkind_t kind);

// A wasm_name_t's bytes (a name may hold any byte, NUL too).
std::string nameString(const wasm_name_t* name);
// A wasm_message_t without its terminating NUL.
std::string messageString(const wasm_message_t* message);

}  // namespace orca::cli
