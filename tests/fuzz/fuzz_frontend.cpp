// libFuzzer target for the front end: any bytes through decode + validate, and any text through
// the WAT parser. Neither may crash, leak or hit undefined behaviour; both must answer with a
// module or an Error of the right kind.
// Build: ci/build.sh -DORCA_FUZZ=ON (clang), run: build/bin/fuzz_frontend CORPUS_DIR
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "orca/decode/decode.h"
#include "orca/text/wat.h"
#include "orca/validate/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (auto module = orca::decode::decodeModule({data, size})) {
    auto status = orca::validate::validateModule(*module);
    if (!status && status.error().kind != orca::ErrorKind::Invalid &&
        status.error().kind != orca::ErrorKind::Malformed)
      std::abort();
  } else if (module.error().kind != orca::ErrorKind::Malformed) {
    std::abort();
  }
  auto parsed = orca::text::parseWat(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed && parsed.error().kind != orca::ErrorKind::Malformed) std::abort();
  return 0;
}
