#include "sha256.h"

#include <algorithm>

// The one-shot SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, but EVP links
// the whole provider machinery (about 5 MB) into liborca, and these are the same assembly
// implementations at 30 KB.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace orca::runtime {

Sha256 sha256(std::initializer_list<std::span<const uint8_t>> parts) {
  SHA256_CTX context;
  SHA256_Init(&context);
  for (std::span<const uint8_t> part : parts) SHA256_Update(&context, part.data(), part.size());
  Sha256 digest;
  SHA256_Final(digest.data(), &context);
  return digest;
}

void appendSeal(std::vector<uint8_t>& contents) {
  Sha256 digest = sha256({contents});
  contents.insert(contents.end(), digest.begin(), digest.end());
}

std::optional<std::span<const uint8_t>> unseal(std::span<const uint8_t> sealed) {
  constexpr size_t kDigestSize = std::tuple_size_v<Sha256>;
  if (sealed.size() < kDigestSize) return std::nullopt;
  std::span<const uint8_t> contents = sealed.first(sealed.size() - kDigestSize);
  Sha256 digest = sha256({contents});
  if (!std::equal(digest.begin(), digest.end(), sealed.last(kDigestSize).begin())) return std::nullopt;
  return contents;
}

std::string toHex(const Sha256& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : digest) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  return hex;
}

}  // namespace orca::runtime
