// Internal to core/jit: the table from loaded code addresses to wasm frames, read once per loaded
// module (on its first backtrace) from the DWARF line tables that core/compile emits (a line
// there is a wasm byte offset; see ModuleEmitter::subprogram).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "orca/jit/jit.h"

namespace llvm::object {
class ObjectFile;
}

namespace orca::jit {

class SourceMap {
 public:
  // Adds the rows of one relocatable object. `sectionBase` maps an object section's index to the
  // address its first byte was loaded at; rows in other sections are left out.
  void addObject(const llvm::object::ObjectFile& object,
                 const std::unordered_map<uint64_t, uintptr_t>& sectionBase);
  // Sorts the rows; call once after the last addObject.
  void finish();
  // The frames at pc, innermost first; empty when pc has no location.
  std::vector<SourceFrame> lookup(uintptr_t pc) const;

 private:
  // From `pc` up to the next row's pc, the code belongs to frames_[first, first + count).
  struct Row {
    uintptr_t pc;
    uint32_t first;
    uint32_t count;  // 0: no wasm location (the end of a function's code)
  };
  std::vector<Row> rows_;
  std::vector<SourceFrame> frames_;
};

}  // namespace orca::jit
