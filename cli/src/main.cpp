// The orca command line. Exit status: 0 success; 1 the input was rejected (malformed, invalid,
// unreadable) or a script had failures; 2 usage errors. Never above 127: only a real crash ends
// in a signal.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "orca/decode/decode.h"
#include "orca/text/wat.h"
#include "orca/validate/validate.h"
#include "wast_runner.h"

namespace {

using orca::ErrorKind;
using orca::Result;

constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;

Result<std::vector<uint8_t>> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return orca::makeError(ErrorKind::Io, "cannot open " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return orca::makeError(ErrorKind::Io, "cannot read " + path);
  return bytes;
}

bool isBinary(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm';
}

// A module file in either format, as binary.
Result<std::vector<uint8_t>> loadModuleBinary(const std::string& path) {
  auto bytes = readFile(path);
  if (!bytes || isBinary(*bytes)) return bytes;
  std::string_view source(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  return orca::text::watToWasm(source);
}

int report(const std::string& path, const orca::Error& error) {
  std::cerr << "orca: " << path << ": " << error.describe() << "\n";
  return kExitRejected;
}

int validateCommand(const std::string& path) {
  auto binary = loadModuleBinary(path);
  if (!binary) return report(path, binary.error());
  auto module = orca::decode::decodeModule(*binary);
  if (!module) return report(path, module.error());
  if (auto status = orca::validate::validateModule(*module); !status) return report(path, status.error());
  std::cout << path << ": valid (" << module->types.size() << " types, " << module->imports.size()
            << " imports, " << module->functions.size() << " functions, " << module->exports.size()
            << " exports)\n";
  return 0;
}

int wat2wasmCommand(const std::string& path, std::string output) {
  auto bytes = readFile(path);
  if (!bytes) return report(path, bytes.error());
  std::string_view source(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  auto binary = orca::text::watToWasm(source);
  if (!binary) return report(path, binary.error());
  if (output.empty()) {
    auto dot = path.rfind('.');
    output = (dot == std::string::npos ? path : path.substr(0, dot)) + ".wasm";
  }
  std::ofstream out(output, std::ios::binary);
  out.write(reinterpret_cast<const char*>(binary->data()), static_cast<std::streamsize>(binary->size()));
  out.close();
  if (!out) return report(output, orca::makeError(ErrorKind::Io, "cannot write " + output));
  return 0;
}

int wastCommand(const std::vector<std::string>& paths, bool verbose) {
  auto total = orca::cli::runWastFiles(paths, std::cout, verbose);
  return total.failed == 0 ? 0 : kExitRejected;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"orca: a WebAssembly runtime"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "orca 0.1.0");

  std::string validatePath;
  auto* validate = app.add_subcommand("validate", "Check that a module (.wasm or .wat) is valid");
  validate->add_option("module", validatePath, "module file")->required();

  std::string watPath, outPath;
  auto* wat2wasm = app.add_subcommand("wat2wasm", "Translate a text module to the binary format");
  wat2wasm->add_option("module", watPath, "text module (.wat)")->required();
  wat2wasm->add_option("-o,--output", outPath, "output file (default: the input with .wasm)");

  std::vector<std::string> wastPaths;
  bool verbose = false;
  auto* wast = app.add_subcommand("wast", "Run .wast spec scripts");
  wast->add_option("scripts", wastPaths, "script files")->required();
  wast->add_flag("-v,--verbose", verbose, "also list skipped commands");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  if (*validate) return validateCommand(validatePath);
  if (*wat2wasm) return wat2wasmCommand(watPath, outPath);
  if (*wast) return wastCommand(wastPaths, verbose);
  return kExitUsage;
}
