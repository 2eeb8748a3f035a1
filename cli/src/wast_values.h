// Script values against C API values: arguments to raw slots (orca_val_raw_t), results against
// expectations (exact bits, NaN patterns per lane, references). Types are the script front end's
// (core/text); valTypeOf maps the C API's kinds onto them.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "capi.h"
#include "orca/text/wast.h"

namespace orca::cli {

// The script's `ref.extern N`: one foreign object per N in the script's store, passed to and
// compared with wasm as the raw externref slot the C API gives it (orca_ref_to_raw).
class HostRefs {
 public:
  explicit HostRefs(wasm_store_t* store) : store_(store) {}
  HostRefs(const HostRefs&) = delete;
  HostRefs& operator=(const HostRefs&) = delete;

  // The raw slot value standing for `ref.extern n`; null if the C API refused to make one.
  void* raw(uint32_t n);
  // The N whose raw slot value `raw` is, if any.
  std::optional<uint32_t> find(const void* raw) const;

 private:
  struct Ref {
    ForeignPtr foreign;
    void* raw = nullptr;
  };
  wasm_store_t* store_;
  std::map<uint32_t, Ref> refs_;
};

// The script type of a C API value kind.
ir::ValType valTypeOf(wasm_valkind_t kind);

orca_val_raw_t toRawValue(const text::WastValue& value, HostRefs& hostRefs);

// Whether a result of type `type` satisfies the expectation (including `either` alternatives).
bool resultMatches(const orca_val_raw_t& actual, ir::ValType type, const text::WastExpected& expected,
                   HostRefs& hostRefs);

// "i32:0x2a", "f32:0x7fc00000", "v128:i32x4 0x1 0x2 0x3 0x4", "externref:null", "externref:ref.extern 3"
std::string describeValue(const orca_val_raw_t& value, ir::ValType type, const HostRefs& hostRefs);
std::string describeExpected(const text::WastExpected& expected);

}  // namespace orca::cli
