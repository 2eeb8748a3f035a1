// Build-time helper: translates the test modules (wat/*.wat) to binaries with core/text, so that
// the C tests load .wasm files as embedders do. Not part of the product.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "orca/text/wat.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s IN.wat OUT.wasm\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read\n", argv[1]);
    return 1;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto bytes = orca::text::watToWasm(text);
  if (!bytes) {
    std::fprintf(stderr, "%s: %s\n", argv[1], bytes.error().describe().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  return out ? 0 : 1;
}
