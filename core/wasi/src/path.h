// Guest paths as components: shared by the host sandbox walk and the in-memory filesystem, which
// resolve paths by the same rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace orca::wasi {

// pathComponents("a//b/./c/") == {"a", "b", ".", "c"}: empty components (repeated or trailing slashes) dropped,
// "." and ".." kept for the caller to interpret.
inline std::vector<std::string> pathComponents(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace orca::wasi
