// Module files as the command reads them: binary wasm (starts with "\0asm"), a compiled artifact
// of `orca compile` (wasm_module_serialize's format, which starts with "\0orcamod"; any other
// file starting with a NUL byte is treated as a damaged artifact), or the text format (anything
// else).
#pragma once

#include <optional>
#include <string>

#include "capi.h"
#include "commands.h"

namespace orca::cli {

enum class ModuleFormat { Binary, Text, Artifact };

struct ModuleFile {
  std::string path;
  ModuleFormat format = ModuleFormat::Binary;
  ByteVec bytes;  // as read
};

// A one-line failure: the exit status it calls for and the text after "orca: ".
struct Failure {
  int status = 1;
  std::string message;
};

// Reads `path` and tells its format.
std::optional<Failure> readModuleFile(const std::string& path, ModuleFile& file);

// The file as binary wasm: text is translated (orca_wat2wasm), binary copied; an artifact has no
// binary to give and fails.
std::optional<Failure> toBinary(const ModuleFile& file, ByteVec& binary);

// Whether the user allowed compiled artifacts (--allow-precompiled). An artifact is native code:
// loading one means trusting it as one trusts a shared library, so it takes an explicit choice.
enum class Precompiled { Refuse, Allow };

// Compiles (binary, text) or loads (artifact, when allowed) the module for `engine`.
std::optional<Failure> loadModule(wasm_engine_t* engine, const ModuleFile& file, ModulePtr& module,
                                  Precompiled precompiled);

// Writes `bytes` to `path` (created or truncated).
std::optional<Failure> writeFile(const std::string& path, std::string_view bytes);

}  // namespace orca::cli
