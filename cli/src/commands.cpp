// validate, wat2wasm, compile, inspect and wast.
#include "commands.h"

#include <cctype>
#include <cstdio>
#include <iostream>

#include "capi.h"
#include "module_file.h"
#include "wast_runner.h"

namespace orca::cli {
namespace {

int report(const Failure& failure) { return fail(failure.status, failure.message); }

// An engine and a store for commands that compile but do not run code.
struct Runtime {
  EnginePtr engine;
  StorePtr store;
  // opt level 0 when the code will never run (inspect): compiling is then quickest.
  explicit Runtime(std::optional<uint8_t> optLevel = std::nullopt, bool consumeFuel = false, bool interruptible = false) {
    wasm_config_t* config = wasm_config_new();
    if (optLevel) orca_config_opt_level_set(config, *optLevel);
    if (consumeFuel) orca_config_consume_fuel_set(config, true);
    if (interruptible) orca_config_interruptible_set(config, true);
    engine.reset(wasm_engine_new_with_config(config));
    if (engine) store.reset(wasm_store_new(engine.get()));
  }
  bool ok() const { return engine && store; }
};

std::string stripExtension(const std::string& path) {
  auto slash = path.rfind('/');
  auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path;
  return path.substr(0, dot);
}

std::string valTypes(const wasm_valtype_vec_t* types) {
  std::string text = "(";
  for (size_t i = 0; i < types->size; ++i) {
    if (i) text += ' ';
    text += valKindName(wasm_valtype_kind(types->data[i]));
  }
  return text + ")";
}

std::string limits(const wasm_limits_t* limits) {
  std::string text = std::to_string(limits->min) + "..";
  if (limits->max != wasm_limits_max_default) text += std::to_string(limits->max);
  return text;
}

// "func (i32 i32) -> (i32)", "memory 1..2", "table 10.. funcref", "global mut i64"
std::string externType(const wasm_externtype_t* type) {
  switch (wasm_externtype_kind(type)) {
    case WASM_EXTERN_FUNC: {
      const wasm_functype_t* func = wasm_externtype_as_functype_const(type);
      return "func " + valTypes(wasm_functype_params(func)) + " -> " + valTypes(wasm_functype_results(func));
    }
    case WASM_EXTERN_GLOBAL: {
      const wasm_globaltype_t* global = wasm_externtype_as_globaltype_const(type);
      return std::string("global ") + (wasm_globaltype_mutability(global) == WASM_VAR ? "mut " : "") +
             valKindName(wasm_valtype_kind(wasm_globaltype_content(global)));
    }
    case WASM_EXTERN_TABLE: {
      const wasm_tabletype_t* table = wasm_externtype_as_tabletype_const(type);
      return "table " + limits(wasm_tabletype_limits(table)) + " " +
             valKindName(wasm_valtype_kind(wasm_tabletype_element(table)));
    }
    case WASM_EXTERN_MEMORY:
      return "memory " + limits(wasm_memorytype_limits(wasm_externtype_as_memorytype_const(type)));
  }
  return "?";
}

// A name as it is when it is plain (letters, digits, _ - $ and non-ASCII UTF-8); otherwise (empty,
// spaces, dots, quotes, control bytes) in double quotes with \" \\ and \xx escapes.
std::string displayName(const std::string& name) {
  bool plain = !name.empty();
  for (unsigned char c : name)
    if (!(c >= 0x80 || std::isalnum(c) || c == '_' || c == '-' || c == '$')) plain = false;
  if (plain) return name;
  std::string text = "\"";
  for (unsigned char c : name) {
    if (c == '"' || c == '\\') {
      text += '\\';
      text += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "\\%02x", c);
      text += buf;
    } else {
      text += static_cast<char>(c);
    }
  }
  return text + "\"";
}

// "func (i32) -> ()" as "func env.log (i32) -> ()": the kind, the name, then the type.
std::string describeItem(const std::string& name, const std::string& type) {
  auto space = type.find(' ');
  if (space == std::string::npos) return type + " " + name;
  return type.substr(0, space) + " " + name + type.substr(space);
}

}  // namespace

int fail(int status, const std::string& line) {
  std::cout.flush();
  std::cerr << "orca: " << line << std::endl;
  return status;
}

int validateCommand(const std::string& path) {
  ModuleFile file;
  if (auto failed = readModuleFile(path, file)) return report(*failed);
  if (file.format == ModuleFormat::Artifact)
    return fail(kExitFailed, path + ": a compiled artifact (orca compile); validate the module it was compiled from");
  ByteVec binary;
  if (auto failed = toBinary(file, binary)) return report(*failed);
  Runtime runtime;
  if (!runtime.ok()) return fail(kExitFailed, "cannot create an engine");
  if (ErrorPtr error{orca_module_validate(runtime.engine.get(), binary.get())})
    return fail(kExitFailed, path + ": " + readError(error.get()).describe());
  std::cout << path << ": valid\n";
  return kExitOk;
}

int wat2wasmCommand(const std::string& path, std::string output) {
  ModuleFile file;
  if (auto failed = readModuleFile(path, file)) return report(*failed);
  if (file.format != ModuleFormat::Text) return fail(kExitFailed, path + ": not a text module");
  ByteVec binary;
  if (auto failed = toBinary(file, binary)) return report(*failed);
  if (output.empty()) output = stripExtension(path) + ".wasm";
  if (auto failed = writeFile(output, binary.view())) return report(*failed);
  return kExitOk;
}

int compileCommand(const std::string& path, std::string output, bool consumeFuel, bool interruptible) {
  ModuleFile file;
  if (auto failed = readModuleFile(path, file)) return report(*failed);
  if (file.format == ModuleFormat::Artifact) return fail(kExitFailed, path + ": already a compiled artifact");
  Runtime runtime(std::nullopt, consumeFuel, interruptible);
  if (!runtime.ok()) return fail(kExitFailed, "cannot create an engine");
  ModulePtr module;
  if (auto failed = loadModule(runtime.engine.get(), file, module, Precompiled::Refuse)) return report(*failed);
  ByteVec artifact;
  wasm_module_serialize(module.get(), artifact.reset());
  if (artifact.view().empty()) return fail(kExitFailed, path + ": the module could not be serialized");
  if (output.empty()) output = stripExtension(path) + ".cwasm";
  if (auto failed = writeFile(output, artifact.view())) return report(*failed);
  return kExitOk;
}

int inspectCommand(const std::string& path, bool allowPrecompiled) {
  ModuleFile file;
  if (auto failed = readModuleFile(path, file)) return report(*failed);
  Runtime runtime(file.format == ModuleFormat::Artifact ? std::nullopt : std::optional<uint8_t>(0));
  if (!runtime.ok()) return fail(kExitFailed, "cannot create an engine");
  ModulePtr module;
  if (auto failed = loadModule(runtime.engine.get(), file, module,
                               allowPrecompiled ? Precompiled::Allow : Precompiled::Refuse))
    return report(*failed);

  wasm_importtype_vec_t imports;
  wasm_module_imports(module.get(), &imports);
  for (size_t i = 0; i < imports.size; ++i) {
    const wasm_importtype_t* import = imports.data[i];
    std::string name = displayName(nameString(wasm_importtype_module(import))) + "." +
                       displayName(nameString(wasm_importtype_name(import)));
    std::cout << "import " << describeItem(name, externType(wasm_importtype_type(import))) << "\n";
  }
  wasm_importtype_vec_delete(&imports);

  wasm_exporttype_vec_t exports;
  wasm_module_exports(module.get(), &exports);
  for (size_t i = 0; i < exports.size; ++i) {
    const wasm_exporttype_t* exported = exports.data[i];
    std::cout << "export "
              << describeItem(displayName(nameString(wasm_exporttype_name(exported))),
                              externType(wasm_exporttype_type(exported)))
              << "\n";
  }
  wasm_exporttype_vec_delete(&exports);
  return kExitOk;
}

int wastCommand(const std::vector<std::string>& paths, bool verbose) {
  WastCounts total = runWastFiles(paths, std::cout, verbose);
  return runSucceeded(total) ? kExitOk : kExitFailed;
}

}  // namespace orca::cli
