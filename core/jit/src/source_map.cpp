// Reading the DWARF that core/compile emits: every line-table row's address, with its chain of
// inlined frames (llvm::DWARFContext::getInliningInfoForAddress), becomes a row of the table.
// Reading it once at load keeps the lookup on a trap a binary search with no LLVM involved.
#include "source_map.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <tuple>

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/Object/ObjectFile.h>

namespace orca::jit {

namespace {

// The function index in a subprogram's name, "orca_func_<index>".
bool funcIndexOf(std::string_view name, uint32_t& index) {
  constexpr std::string_view kPrefix = "orca_func_";
  if (!name.starts_with(kPrefix)) return false;
  name.remove_prefix(kPrefix.size());
  auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), index);
  return error == std::errc{} && end == name.data() + name.size();
}

}  // namespace

void SourceMap::addObject(const llvm::object::ObjectFile& object,
                          const std::unordered_map<uint64_t, uintptr_t>& sectionBase) {
  // Malformed DWARF only costs the rows it spoils: the handlers drop what LLVM would print.
  auto ignore = [](llvm::Error e) { llvm::consumeError(std::move(e)); };
  auto dwarf = llvm::DWARFContext::create(object, llvm::DWARFContext::ProcessDebugRelocations::Process,
                                          nullptr, "", ignore, ignore);
  llvm::DILineInfoSpecifier spec(llvm::DILineInfoSpecifier::FileLineInfoKind::RawValue,
                                 llvm::DINameKind::ShortName);
  std::vector<SourceFrame> chain;
  for (const auto& unit : dwarf->compile_units()) {
    const llvm::DWARFDebugLine::LineTable* table = dwarf->getLineTableForUnit(unit.get());
    if (!table) continue;
    for (const llvm::DWARFDebugLine::Row& row : table->Rows) {
      auto base = sectionBase.find(row.Address.SectionIndex);
      if (base == sectionBase.end()) continue;
      uintptr_t pc = base->second + row.Address.Address;
      chain.clear();
      if (!row.EndSequence) {
        llvm::DIInliningInfo info = dwarf->getInliningInfoForAddress(row.Address, spec);
        for (uint32_t i = 0; i < info.getNumberOfFrames(); ++i) {
          const llvm::DILineInfo& line = info.getFrame(i);
          SourceFrame frame;
          if (!funcIndexOf(line.FunctionName, frame.funcIndex)) {
            chain.clear();
            break;
          }
          frame.moduleOffset = line.Line;
          chain.push_back(frame);
        }
      }
      // Consecutive rows of one place (a line table has a row per statement boundary) share one.
      if (!rows_.empty() && rows_.back().count == chain.size() &&
          std::equal(chain.begin(), chain.end(), frames_.begin() + rows_.back().first) &&
          rows_.back().pc <= pc)
        continue;
      rows_.push_back({pc, static_cast<uint32_t>(frames_.size()), static_cast<uint32_t>(chain.size())});
      frames_.insert(frames_.end(), chain.begin(), chain.end());
    }
  }
}

void SourceMap::finish() {
  // Where one function's code ends exactly where another's begins, the end row must come first
  // so that the lookup finds the beginning.
  std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    return std::tuple(a.pc, a.count != 0, a.first) < std::tuple(b.pc, b.count != 0, b.first);
  });
  rows_.shrink_to_fit();
  frames_.shrink_to_fit();
}

std::vector<SourceFrame> SourceMap::lookup(uintptr_t pc) const {
  auto after = std::upper_bound(rows_.begin(), rows_.end(), pc,
                                [](uintptr_t p, const Row& row) { return p < row.pc; });
  if (after == rows_.begin()) return {};
  const Row& row = *(after - 1);
  return {frames_.begin() + row.first, frames_.begin() + row.first + row.count};
}

}  // namespace orca::jit
