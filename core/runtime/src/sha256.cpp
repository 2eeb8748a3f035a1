#include "sha256.h"

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
