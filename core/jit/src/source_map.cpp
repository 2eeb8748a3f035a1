// Reading the DWARF that core/compile emits: every line-table row's address, with its chain of
// inlined frames (the compile unit's inlined-subroutine entries that hold the address), becomes
// a row of the table.
// Reading it once, on the first lookup, keeps every later lookup a binary search with no LLVM
// involved.
#include "source_map.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/DebugInfo/DWARF/DWARFDie.h>
#include <llvm/DebugInfo/DWARF/DWARFUnit.h>
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
  // The function index of a subprogram or inlined-subroutine entry, by its offset: names are
  // looked up once per entry, not once per row.
  std::unordered_map<uint64_t, int64_t> funcOfDie;
  auto funcIndexOfDie = [&](const llvm::DWARFDie& die) -> int64_t {
    auto [it, inserted] = funcOfDie.try_emplace(die.getOffset(), -1);
    const char* name = inserted ? die.getSubroutineName(llvm::DINameKind::ShortName) : nullptr;
    uint32_t index = 0;
    if (name && funcIndexOf(name, index)) it->second = index;
    return it->second;
  };
  llvm::SmallVector<llvm::DWARFDie, 4> dies;
  std::vector<SourceFrame> chain;
  for (const auto& unit : dwarf->compile_units()) {
    const llvm::DWARFDebugLine::LineTable* table = dwarf->getLineTableForUnit(unit.get());
    if (!table) continue;
    for (const llvm::DWARFDebugLine::Row& row : table->Rows) {
      auto base = sectionBase.find(row.Address.SectionIndex);
      if (base == sectionBase.end()) continue;
      uintptr_t pc = base->second + row.Address.Address;
      // The entries that hold the row, innermost first (inlined subroutines, then the
      // subprogram). The innermost frame is at the row's line; each outer one at the call_line
      // of the entry inlined into it.
      chain.clear();
      dies.clear();
      if (!row.EndSequence) unit->getInlinedChainForAddress(row.Address.Address, dies);
      uint32_t line = row.Line;
      for (const llvm::DWARFDie& die : dies) {
        int64_t index = funcIndexOfDie(die);
        if (index < 0) {
          chain.clear();
          break;
        }
        chain.push_back({static_cast<uint32_t>(index), line});
        line = static_cast<uint32_t>(llvm::dwarf::toUnsigned(die.find(llvm::dwarf::DW_AT_call_line), 0));
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
