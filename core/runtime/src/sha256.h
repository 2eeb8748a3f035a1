// SHA-256 for artifact integrity and module cache keys (OpenSSL's libcrypto).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>

namespace orca::runtime {

using Sha256 = std::array<uint8_t, 32>;

// The digest of the concatenation of `parts`.
Sha256 sha256(std::initializer_list<std::span<const uint8_t>> parts);

std::string toHex(const Sha256& digest);

}  // namespace orca::runtime
