// orca run: a WASI command (_start), or one exported function (--invoke) with arguments parsed by
// its parameter types and results printed one per line.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cache.h"
#include "capi.h"
#include "commands.h"
#include "module_file.h"
#include "wasi.h"

namespace orca::cli {
namespace {

constexpr const char* kWasiModule = "wasi_snapshot_preview1";

int report(const Failure& failure) { return fail(failure.status, failure.message); }

// "1s", "500ms", "2m", "1.5s"; a bare number is seconds. Units: ns, us, ms, s, m, h.
std::optional<uint64_t> parseDuration(const std::string& text) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(begin, &end);
  if (end == begin || errno || !(value > 0) || std::isinf(value) || *begin == '-' || *begin == '+') return std::nullopt;
  std::string unit(end);
  double scale;
  if (unit == "ns") scale = 1;
  else if (unit == "us") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s" || unit.empty()) scale = 1e9;
  else if (unit == "m") scale = 60e9;
  else if (unit == "h") scale = 3600e9;
  else return std::nullopt;
  double ns = value * scale;
  if (ns < 1 || ns > 1.8e19) return std::nullopt;
  return static_cast<uint64_t>(ns);
}

// An integer of `bits` bits: decimal (optionally negative) or 0x hex. Both the signed and the
// unsigned range are accepted (-1 and 0xffffffff are the same i32).
std::optional<uint64_t> parseInteger(const std::string& text, unsigned bits) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  uint64_t mask = bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
  if (negative) {
    if (magnitude > (uint64_t(1) << (bits - 1))) return std::nullopt;
    return (~magnitude + 1) & mask;
  }
  if (magnitude > mask) return std::nullopt;
  return magnitude;
}

// A float: decimal or hex float, nan, inf, -inf, or nan:0xPAYLOAD (the text format's NaN with a
// payload, optionally signed). Returns the bits.
template <typename Float, typename Bits>
std::optional<Bits> parseFloat(const std::string& text) {
  constexpr unsigned kMantissa = sizeof(Float) == 4 ? 23 : 52;
  constexpr Bits kExponent = ~Bits(0) >> 1 & ~((Bits(1) << kMantissa) - 1);  // all exponent bits
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  if (rest.substr(0, 6) == "nan:0x") {
    Bits payload = 0;
    std::string_view hex = rest.substr(6);
    auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), payload, 16);
    if (hex.empty() || ec != std::errc() || end != hex.data() + hex.size() || payload == 0 ||
        payload >= (Bits(1) << kMantissa))
      return std::nullopt;
    return (negative ? Bits(1) << (sizeof(Bits) * 8 - 1) : 0) | kExponent | payload;
  }
  const char* begin = text.c_str();
  char* end = nullptr;
  Float value = sizeof(Float) == 4 ? std::strtof(begin, &end) : std::strtod(begin, &end);
  if (end == begin || *end != '\0') return std::nullopt;
  Bits bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

std::optional<orca_val_raw_t> parseValue(wasm_valkind_t kind, const std::string& text) {
  orca_val_raw_t raw{};
  switch (kind) {
    case WASM_I32: {
      auto bits = parseInteger(text, 32);
      if (!bits) return std::nullopt;
      raw.i32 = static_cast<int32_t>(static_cast<uint32_t>(*bits));
      return raw;
    }
    case WASM_I64: {
      auto bits = parseInteger(text, 64);
      if (!bits) return std::nullopt;
      raw.i64 = static_cast<int64_t>(*bits);
      return raw;
    }
    case WASM_F32: {
      auto bits = parseFloat<float, uint32_t>(text);
      if (!bits) return std::nullopt;
      std::memcpy(&raw.f32, &*bits, 4);
      return raw;
    }
    case WASM_F64: {
      auto bits = parseFloat<double, uint64_t>(text);
      if (!bits) return std::nullopt;
      std::memcpy(&raw.f64, &*bits, 8);
      return raw;
    }
    case WASM_V128: {
      // 0x and up to 32 hex digits: the vector as one little-endian 128-bit number.
      std::string_view hex = text;
      if (hex.size() < 3 || hex.size() > 34 || hex.substr(0, 2) != "0x") return std::nullopt;
      hex.remove_prefix(2);
      for (size_t i = 0; i < hex.size(); ++i) {
        char c = hex[hex.size() - 1 - i];
        int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                                : -1;
        if (digit < 0) return std::nullopt;
        raw.v128[i / 2] |= static_cast<uint8_t>(digit << (4 * (i % 2)));
      }
      return raw;
    }
    default:
      if (text != "null") return std::nullopt;
      raw.ref = nullptr;
      return raw;
  }
}

template <typename Float, typename Bits>
std::string formatFloat(Bits bits) {
  constexpr unsigned kMantissa = sizeof(Float) == 4 ? 23 : 52;
  constexpr Bits kQuiet = Bits(1) << (kMantissa - 1);
  Float value;
  std::memcpy(&value, &bits, sizeof value);
  bool negative = bits >> (sizeof(Bits) * 8 - 1);
  if (std::isnan(value)) {
    Bits payload = bits & ((Bits(1) << kMantissa) - 1);
    std::string text = negative ? "-nan" : "nan";
    if (payload == kQuiet) return text;
    char buf[24];
    std::snprintf(buf, sizeof buf, ":0x%llx", static_cast<unsigned long long>(payload));
    return text + buf;
  }
  if (std::isinf(value)) return negative ? "-inf" : "inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);  // shortest text that reads back the same
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::string formatValue(wasm_valkind_t kind, const orca_val_raw_t& raw) {
  switch (kind) {
    case WASM_I32: return std::to_string(raw.i32);
    case WASM_I64: return std::to_string(raw.i64);
    case WASM_F32: {
      uint32_t bits;
      std::memcpy(&bits, &raw.f32, 4);
      return formatFloat<float>(bits);
    }
    case WASM_F64: {
      uint64_t bits;
      std::memcpy(&bits, &raw.f64, 8);
      return formatFloat<double>(bits);
    }
    case WASM_V128: {
      std::string text = "0x";
      for (int i = 15; i >= 0; --i) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02x", raw.v128[i]);
        text += buf;
      }
      return text;
    }
    case WASM_FUNCREF: return raw.ref ? "<funcref>" : "null";
    default: return raw.ref ? "<externref>" : "null";
  }
}

std::string basename(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The status a trap ends the command with: the guest's exit status (at most 125), or 3 with the
// message and the wasm backtrace on stderr.
int trapStatus(const std::string& path, const wasm_trap_t* trap, const std::optional<std::string>& timeout, const std::optional<uint64_t>& fuel) {
  int status = 0;
  if (orca_trap_exit_status(trap, &status)) {
    if (status >= 0 && status <= kExitMaxGuest) return status;
    return fail(kExitMaxGuest, path + ": the guest exited with status " + std::to_string(status) +
                                   ", which is above 125; exiting with 125");
  }
  std::string hint;
  if (orca_trap_code(trap) == ORCA_TRAP_INTERRUPTED && timeout) hint = " (--timeout " + *timeout + " passed)";
  if (orca_trap_code(trap) == ORCA_TRAP_OUT_OF_FUEL && fuel) hint = " (--fuel " + std::to_string(*fuel) + ")";
  fail(kExitTrap, path + ": trap: " + trapMessage(trap) + hint);
  for (const std::string& frame : trapFrames(trap)) std::cerr << "  " << frame << "\n";
  std::cerr.flush();
  return kExitTrap;
}

// The function type of the module's export `name`, if it is a function.
struct ExportLookup {
  bool found = false;
  FuncTypePtr type;  // null when the export is not a function
};

ExportLookup findExportedFunc(const wasm_module_t* module, const std::string& name) {
  ExportLookup lookup;
  wasm_exporttype_vec_t exports;
  wasm_module_exports(module, &exports);
  for (size_t i = 0; i < exports.size; ++i) {
    if (nameString(wasm_exporttype_name(exports.data[i])) != name) continue;
    lookup.found = true;
    if (const wasm_functype_t* type = wasm_externtype_as_functype_const(wasm_exporttype_type(exports.data[i])))
      lookup.type.reset(wasm_functype_copy(type));
    break;
  }
  wasm_exporttype_vec_delete(&exports);
  return lookup;
}

bool importsWasi(const wasm_module_t* module) {
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  bool wasi = false;
  for (size_t i = 0; i < imports.size && !wasi; ++i)
    wasi = nameString(wasm_importtype_module(imports.data[i])) == kWasiModule;
  wasm_importtype_vec_delete(&imports);
  return wasi;
}

// Calls `func` with `args` (already parsed); fills `results` with one slot per result.
wasm_trap_t* call(const wasm_func_t* func, const wasm_functype_t* type, const std::vector<orca_val_raw_t>& args,
                  std::vector<orca_val_raw_t>& results) {
  size_t resultCount = wasm_functype_results(type)->size;
  std::vector<orca_val_raw_t> slots(std::max<size_t>({args.size(), resultCount, 1}));
  std::copy(args.begin(), args.end(), slots.begin());
  wasm_trap_t* trap = orca_func_call_unchecked(func, slots.data(), slots.size());
  if (!trap) results.assign(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(resultCount));
  return trap;
}

}  // namespace

int runCommand(const RunOptions& options) {
  const std::string& path = options.module;

  // Usage first: nothing runs when an option is wrong.
  std::optional<uint64_t> timeoutNs;
  if (options.timeout) {
    timeoutNs = parseDuration(*options.timeout);
    if (!timeoutNs)
      return fail(kExitUsage, "--timeout: expected a duration such as 1s, 500ms or 2m, got \"" + *options.timeout + "\"");
  }
  std::vector<std::string> envNames, envValues;
  for (const std::string& pair : options.env) {
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) return fail(kExitUsage, "--env: expected NAME=VALUE, got \"" + pair + "\"");
    envNames.push_back(pair.substr(0, eq));
    envValues.push_back(pair.substr(eq + 1));
  }
  std::vector<std::pair<std::string, std::string>> dirs;
  for (const std::string& dir : options.dirs) {
    auto sep = dir.find("::");
    std::string host = dir.substr(0, sep);
    std::string guest = sep == std::string::npos ? host : dir.substr(sep + 2);
    if (host.empty() || guest.empty()) return fail(kExitUsage, "--dir: expected HOST[::GUEST], got \"" + dir + "\"");
    dirs.emplace_back(host, guest);
  }

  ModuleFile file;
  if (auto failed = readModuleFile(path, file)) return report(*failed);

  wasm_config_t* config = wasm_config_new();
  if (options.fuel) orca_config_consume_fuel_set(config, true);
  orca_config_compile_strategy_set(config, options.compile);
  if (timeoutNs) orca_config_interruptible_set(config, true);
  configureCache(config, options.cache);
  EnginePtr engine(wasm_engine_new_with_config(config));
  if (!engine) return fail(kExitFailed, "cannot create an engine");
  // The module and the trampolines of the host functions (WASI's) come from the cache: the
  // counts are printed when the run ends, whichever way it ends.
  struct CacheStatsAtEnd {
    wasm_engine_t* engine;
    ~CacheStatsAtEnd() {
      if (engine) printCacheStats(engine);
    }
  } cacheStatsAtEnd{options.cache.printStats ? engine.get() : nullptr};
  StorePtr store(wasm_store_new(engine.get()));
  if (!store) return fail(kExitFailed, "cannot create a store");
  ModulePtr module;
  if (auto failed = loadModule(engine.get(), file, module,
                               options.allowPrecompiled ? Precompiled::Allow : Precompiled::Refuse))
    return report(*failed);
  // The module keeps what it needs; the file's bytes (an artifact's objects among them) would
  // only add to the peak memory of the run.
  file.bytes.reset();

  // The function to call, and its arguments, before anything runs.
  std::string entry = options.invoke.value_or("_start");
  ExportLookup target = findExportedFunc(module.get(), entry);
  if (!target.found) {
    if (options.invoke) return fail(kExitFailed, path + ": no export named \"" + entry + "\"");
    return fail(kExitFailed, path + ": no _start function to run (a WASI command exports one); name a function with --invoke");
  }
  if (!target.type) return fail(kExitFailed, path + ": export \"" + entry + "\" is not a function");
  std::vector<orca_val_raw_t> args;
  if (options.invoke) {
    const wasm_valtype_vec_t* params = wasm_functype_params(target.type.get());
    if (params->size != options.args.size())
      return fail(kExitUsage, "--invoke " + entry + ": expected " + std::to_string(params->size) + " argument" +
                                  (params->size == 1 ? "" : "s") + ", got " + std::to_string(options.args.size()));
    for (size_t i = 0; i < params->size; ++i) {
      wasm_valkind_t kind = wasm_valtype_kind(params->data[i]);
      auto value = parseValue(kind, options.args[i]);
      if (!value)
        return fail(kExitUsage, "--invoke " + entry + ": argument " + std::to_string(i + 1) + " \"" + options.args[i] +
                                    "\" is not a valid " + valKindName(kind) +
                                    (kind == WASM_V128                            ? " (0x and up to 32 hex digits)"
                                     : kind == WASM_FUNCREF || kind == WASM_EXTERNREF ? " (only null)"
                                                                                      : ""));
      args.push_back(*value);
    }
  } else if (wasm_functype_params(target.type.get())->size != 0) {
    return fail(kExitFailed, path + ": _start takes parameters; call it with --invoke");
  }

  if (options.fuel) {
    if (ErrorPtr error{orca_store_fuel_set(store.get(), *options.fuel)})
      return fail(kExitFailed, "--fuel: " + readError(error.get()).message);
  }

  LinkerPtr linker(orca_linker_new(store.get()));
  if (importsWasi(module.get())) {
    wasi_config_t* wasi = wasi_config_new();
    std::vector<const char*> argv{nullptr};
    std::string program = basename(path);
    argv[0] = program.c_str();
    for (const std::string& arg : options.args) argv.push_back(arg.c_str());
    wasi_config_set_argv(wasi, argv.size(), argv.data());
    std::vector<const char*> names, values;
    for (size_t i = 0; i < envNames.size(); ++i) {
      names.push_back(envNames[i].c_str());
      values.push_back(envValues[i].c_str());
    }
    wasi_config_set_env(wasi, names.size(), names.data(), values.data());
    for (const auto& [host, guest] : dirs) wasi_config_preopen_dir(wasi, host.c_str(), guest.c_str());
    wasi_config_inherit_stdin(wasi);
    wasi_config_inherit_stdout(wasi);
    wasi_config_inherit_stderr(wasi);
    if (ErrorPtr error{orca_linker_define_wasi(linker.get(), wasi, nullptr)})
      return fail(kExitFailed, path + ": WASI: " + readError(error.get()).describe());
  }

  // The deadline covers the start function and the call.
  if (timeoutNs) {
    if (ErrorPtr error{orca_store_deadline_set(store.get(), *timeoutNs)})
      return fail(kExitFailed, "--timeout: " + readError(error.get()).message);
  }

  wasm_instance_t* made = nullptr;
  ErrorPtr error(orca_linker_instantiate(linker.get(), module.get(), &made));
  InstancePtr instance(made);
  if (error) {
    if (TrapPtr trap{orca_error_trap(error.get())}) return trapStatus(path, trap.get(), options.timeout, options.fuel);
    int status = 0;
    if (orca_error_exit_status(error.get(), &status))
      return status >= 0 && status <= kExitMaxGuest ? status : kExitMaxGuest;
    return fail(kExitFailed, path + ": " + readError(error.get()).describe());
  }

  // A WASI reactor initialises itself before its functions are called.
  if (options.invoke && entry != "_initialize") {
    ExportLookup init = findExportedFunc(module.get(), "_initialize");
    if (init.type && wasm_functype_params(init.type.get())->size == 0) {
      ExternPtr initFunc(orca_instance_export(instance.get(), "_initialize"));
      std::vector<orca_val_raw_t> ignored;
      if (TrapPtr trap{call(wasm_extern_as_func_const(initFunc.get()), init.type.get(), {}, ignored)})
        return trapStatus(path, trap.get(), options.timeout, options.fuel);
    }
  }

  ExternPtr exported(orca_instance_export(instance.get(), entry.c_str()));
  const wasm_func_t* func = exported ? wasm_extern_as_func_const(exported.get()) : nullptr;
  if (!func) return fail(kExitFailed, path + ": cannot find the function \"" + entry + "\" in the instance");
  std::vector<orca_val_raw_t> results;
  if (TrapPtr trap{call(func, target.type.get(), args, results)}) return trapStatus(path, trap.get(), options.timeout, options.fuel);

  const wasm_valtype_vec_t* resultTypes = wasm_functype_results(target.type.get());
  for (size_t i = 0; i < results.size(); ++i) std::cout << formatValue(wasm_valtype_kind(resultTypes->data[i]), results[i]) << "\n";
  std::cout.flush();
  return kExitOk;
}

}  // namespace orca::cli
