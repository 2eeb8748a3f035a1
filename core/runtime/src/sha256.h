// SHA-256 for artifact integrity and module cache keys (OpenSSL's libcrypto).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace orca::runtime {

using Sha256 = std::array<uint8_t, 32>;

// The digest of the concatenation of `parts`.
Sha256 sha256(std::initializer_list<std::span<const uint8_t>> parts);

std::string toHex(const Sha256& digest);

// A sealed blob is its contents followed by their SHA-256 (artifacts, cache files).
void appendSeal(std::vector<uint8_t>& contents);
// The contents of a sealed blob, or nothing when it is too short or its digest does not match.
std::optional<std::span<const uint8_t>> unseal(std::span<const uint8_t> sealed);

}  // namespace orca::runtime
