#include "module_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <algorithm>

namespace orca::cli {
namespace {

bool startsWith(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

// Binary wasm begins with "\0asm". wasm_module_serialize's artifacts begin with "\0orcamod"
// (core/runtime's format); any other file beginning with a NUL byte is taken for an artifact
// too, so that a damaged or future one gets the artifact's error, not the text parser's. Text
// never begins with a NUL.
constexpr std::string_view kWasmMagic{"\0asm", 4};

Failure rejected(const ModuleFile& file, const ErrorInfo& error) {
  return {kExitFailed, error.describeFile(file.path, file.bytes.view())};
}

}  // namespace

std::optional<Failure> readModuleFile(const std::string& path, ModuleFile& file) {
  file.path = path;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Failure{kExitFailed, path + ": cannot open: " + std::strerror(errno)};
  // One read of the whole file straight into the vector the C API takes: no second copy, which
  // for a large artifact costs as much time and resident memory as the read.
  size_t size = static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0));
  in.seekg(0);
  wasm_byte_vec_new_uninitialized(file.bytes.reset(), size);
  if (file.bytes.get()->size != size) return Failure{kExitFailed, path + ": too large to read into memory"};
  in.read(file.bytes.get()->data, static_cast<std::streamsize>(size));
  if (in.bad() || in.gcount() != static_cast<std::streamsize>(size)) return Failure{kExitFailed, path + ": cannot read"};
  std::string_view bytes = file.bytes.view();
  if (startsWith(bytes, kWasmMagic)) file.format = ModuleFormat::Binary;
  else if (!bytes.empty() && bytes[0] == '\0') file.format = ModuleFormat::Artifact;
  else file.format = ModuleFormat::Text;
  return std::nullopt;
}

std::optional<Failure> toBinary(const ModuleFile& file, ByteVec& binary) {
  switch (file.format) {
    case ModuleFormat::Binary:
      wasm_byte_vec_copy(binary.reset(), file.bytes.get());
      return std::nullopt;
    case ModuleFormat::Text: {
      ErrorPtr error(orca_wat2wasm(file.bytes.get(), binary.reset()));
      if (error) return rejected(file, readError(error.get()));
      return std::nullopt;
    }
    case ModuleFormat::Artifact:
      break;
  }
  return Failure{kExitFailed, file.path + ": a compiled artifact (orca compile) holds no wasm binary"};
}

std::optional<Failure> loadModule(wasm_engine_t* engine, const ModuleFile& file, ModulePtr& module,
                                  Precompiled precompiled) {
  if (file.format == ModuleFormat::Artifact) {
    if (precompiled == Precompiled::Refuse)
      return Failure{kExitUsage, file.path +
                                     ": a compiled artifact is native code that runs as it is; load it only if you "
                                     "trust it as you would a shared library, and say so with --allow-precompiled"};
    wasm_module_t* loaded = nullptr;
    ErrorPtr error(orca_module_deserialize(engine, file.bytes.get(), &loaded));
    module.reset(loaded);
    if (!error) return std::nullopt;
    std::string hint = orca_error_kind(error.get()) == ORCA_ERROR_UNSUPPORTED
                           ? " (run --fuel needs compile --consume-fuel, run --timeout needs compile --interruptible; "
                             "or compile it again)"
                           : "";
    return Failure{kExitFailed, file.path + ": " + readError(error.get()).describe() + hint};
  }
  ByteVec binary;
  if (auto failed = toBinary(file, binary)) return failed;
  wasm_module_t* made = nullptr;
  ErrorPtr error(orca_module_new(engine, binary.get(), &made));
  module.reset(made);
  if (error) return rejected(file, readError(error.get()));
  return std::nullopt;
}

std::optional<Failure> writeFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Failure{kExitFailed, path + ": cannot write: " + std::strerror(errno)};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Failure{kExitFailed, path + ": cannot write"};
  return std::nullopt;
}

}  // namespace orca::cli
