#include "names.h"

#include <optional>

namespace orca::cli {
namespace {

// A cursor over bytes that reads LEB128 numbers and length-prefixed names, and stops at the end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool done() const { return pos_ >= bytes_.size(); }

  std::optional<uint32_t> u32() {
    uint32_t value = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
      if (done()) return std::nullopt;
      auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      value |= uint32_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    return std::nullopt;
  }

  std::optional<uint8_t> byte() {
    if (done()) return std::nullopt;
    return static_cast<uint8_t>(bytes_[pos_++]);
  }

  // The next `size` bytes, or nothing when fewer are left.
  std::optional<std::string_view> take(uint32_t size) {
    if (size > bytes_.size() - pos_) return std::nullopt;
    std::string_view part = bytes_.substr(pos_, size);
    pos_ += size;
    return part;
  }

  std::optional<std::string_view> name() {
    auto size = u32();
    if (!size) return std::nullopt;
    return take(*size);
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

void readFunctionNames(std::string_view subsection, std::map<uint32_t, std::string>& names) {
  Reader r(subsection);
  auto count = r.u32();
  for (uint32_t i = 0; count && i < *count; ++i) {
    auto index = r.u32();
    if (!index) return;
    auto name = r.name();
    if (!name) return;
    names.emplace(*index, std::string(*name));
  }
}

}  // namespace

std::map<uint32_t, std::string> functionNames(std::string_view binary) {
  std::map<uint32_t, std::string> names;
  if (binary.size() < 8 || binary.substr(0, 4) != std::string_view("\0asm", 4)) return names;
  Reader sections(binary.substr(8));
  while (!sections.done()) {
    auto id = sections.byte();
    auto size = id ? sections.u32() : std::nullopt;
    auto payload = size ? sections.take(*size) : std::nullopt;
    if (!payload) break;
    if (*id != 0) continue;
    Reader custom(*payload);
    auto sectionName = custom.name();
    if (!sectionName || *sectionName != "name") continue;
    // Subsections: 0 module name, 1 function names, 2 local names ...; each id, size, payload.
    while (!custom.done()) {
      auto sub = custom.byte();
      auto subSize = sub ? custom.u32() : std::nullopt;
      auto subPayload = subSize ? custom.take(*subSize) : std::nullopt;
      if (!subPayload) break;
      if (*sub == 1) readFunctionNames(*subPayload, names);
    }
  }
  return names;
}

}  // namespace orca::cli
