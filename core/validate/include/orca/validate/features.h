// WebAssembly features (proposals merged into 2.0) that an embedder may switch off, and the check
// that a valid module uses only those switched on. The validator itself always accepts all of
// 2.0; this check runs after it, so a module that fails it is valid 2.0 that this configuration
// refuses ("... requires the simd feature").
#pragma once

#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::validate {

struct Features {
  bool mutableGlobals = true;         // importing or exporting a mutable global
  bool saturatingFloatToInt = true;   // *.trunc_sat_*
  bool signExtension = true;          // *.extend8_s, *.extend16_s, i64.extend32_s
  bool multiValue = true;             // several results, block parameters
  bool bulkMemory = true;             // memory.copy/fill/init, data.drop, table.init/copy, elem.drop, passive segments
  bool referenceTypes = true;         // externref, ref.*, table.get/set/size/grow/fill, several tables, typed select
  bool simd = true;                   // v128 and its instructions
  friend bool operator==(const Features&, const Features&) = default;
};

// ErrorKind::Invalid "<what> requires the <feature> feature" for the first use of a feature that
// is off, with the instruction's offset when an instruction is to blame. `module` must be valid.
Status checkFeatures(const ir::Module& module, const Features& features);

}  // namespace orca::validate
