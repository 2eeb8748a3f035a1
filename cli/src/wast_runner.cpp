#include "wast_runner.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "capi.h"
#include "orca/text/wast.h"
#include "wast_values.h"

namespace orca::cli {
namespace {

using text::WastAction;
using text::WastCommand;
using text::WastModule;

const char* commandName(WastCommand::Kind kind) {
  switch (kind) {
    case WastCommand::Kind::Module: return "module";
    case WastCommand::Kind::Register: return "register";
    case WastCommand::Kind::Action: return "action";
    case WastCommand::Kind::AssertReturn: return "assert_return";
    case WastCommand::Kind::AssertTrap: return "assert_trap";
    case WastCommand::Kind::AssertExhaustion: return "assert_exhaustion";
    case WastCommand::Kind::AssertMalformed: return "assert_malformed";
    case WastCommand::Kind::AssertInvalid: return "assert_invalid";
    case WastCommand::Kind::AssertUnlinkable: return "assert_unlinkable";
    case WastCommand::Kind::AssertUninstantiable: return "assert_uninstantiable";
  }
  return "command";
}

// The script parser's error kinds are the spec's, as orca.h's are.
orca_error_kind_t toCKind(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return ORCA_ERROR_MALFORMED;
    case ErrorKind::Invalid: return ORCA_ERROR_INVALID;
    case ErrorKind::Unlinkable: return ORCA_ERROR_UNLINKABLE;
    case ErrorKind::Uninstantiable: return ORCA_ERROR_UNINSTANTIABLE;
    case ErrorKind::Trap: return ORCA_ERROR_TRAP;
    case ErrorKind::Exhaustion: return ORCA_ERROR_EXHAUSTION;
    case ErrorKind::Io: return ORCA_ERROR_IO;
    case ErrorKind::Internal: return ORCA_ERROR_INTERNAL;
    default: return ORCA_ERROR_UNSUPPORTED;
  }
}

// An error of the script parser (a text module's, or the script's own) as the C API's are read,
// so that one ErrorInfo::describe prints every error with its place.
ErrorInfo scriptError(const Error& error) {
  ErrorInfo info{toCKind(error.kind), error.message, error.offset};
  if (error.position) info.position = TextPosition{error.position->line, error.position->column};
  return info;
}

// The binary of a script module: encoded while parsing the script (text), given (binary), or
// translated now by the C API (quote, whose text errors are part of what assert_malformed tests).
// Fills `binary`, or returns why there is none.
std::optional<ErrorInfo> moduleBinary(const WastModule& module, ByteVec& binary) {
  switch (module.form) {
    case WastModule::Form::Text:
      if (module.textError) return scriptError(*module.textError);
      [[fallthrough]];
    case WastModule::Form::Binary:
      wasm_byte_vec_new(binary.reset(), module.binary.size(), reinterpret_cast<const wasm_byte_t*>(module.binary.data()));
      return std::nullopt;
    case WastModule::Form::Quote: {
      ByteVec text(module.quote);
      ErrorPtr error(orca_wat2wasm(text.get(), binary.reset()));
      if (error) return readError(error.get());
      return std::nullopt;
    }
  }
  return ErrorInfo{ORCA_ERROR_MALFORMED, "unknown module form"};
}

// The reference interpreter accepts an error whose message starts with the expected text.
bool messageMatches(const std::string& actual, const std::string& expected) {
  return actual.compare(0, expected.size(), expected) == 0;
}

// Some trap expectations carry the reference interpreter's operand ("uninitialized element 2");
// our trap messages are the spec's fixed wording, so the expectation may also extend ours by a
// space and a detail.
bool trapMessageMatches(const std::string& actual, const std::string& expected) {
  if (messageMatches(actual, expected)) return true;
  return !actual.empty() && expected.size() > actual.size() && expected.compare(0, actual.size(), actual) == 0 &&
         expected[actual.size()] == ' ';
}

// What happened to one command: passed, failed with a reason, or skipped with a reason (a
// feature the engine does not compile yet).
struct Outcome {
  enum class Kind { Passed, Failed, Skipped } kind = Kind::Passed;
  std::string detail;
  static Outcome pass() { return {}; }
  static Outcome fail(std::string why) { return {Kind::Failed, std::move(why)}; }
  static Outcome skip(std::string why) { return {Kind::Skipped, std::move(why)}; }
};

// A trap from a call: its code and message.
struct TrapInfo {
  orca_trap_code_t code = ORCA_TRAP_HOST_ERROR;
  std::string message;
  std::string describe() const {
    return std::string(code == ORCA_TRAP_STACK_EXHAUSTED ? "exhaustion" : "trap") + ": " + message;
  }
};

// Interrupts a script's store once it has run longer than its time budget, and every second after
// that, so a miscompiled loop fails its command ("interrupted") instead of hanging the run.
class Watchdog {
 public:
  Watchdog(wasm_store_t* store, std::chrono::seconds budget)
      : thread_([this, store, budget] {
          std::unique_lock lock(mutex_);
          if (cv_.wait_for(lock, budget, [this] { return done_; })) return;
          while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; }))
            ErrorPtr ignored{orca_store_interrupt(store)};  // without checks there is nothing to stop
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

std::chrono::seconds scriptBudget() {
  const char* env = std::getenv("ORCA_SPEC_SCRIPT_TIMEOUT");
  long seconds = env ? std::atol(env) : 0;
  return std::chrono::seconds(seconds > 0 ? seconds : 300);
}

// An instance the script made, with its exports by name. Names are compared as bytes (a name
// may hold a NUL, as in names.wast), so exports are found through wasm_module_exports and
// wasm_instance_exports, which list them in the same order.
struct InstanceRecord {
  InstancePtr instance;
  wasm_extern_vec_t exports{0, nullptr};
  std::map<std::string, size_t, std::less<>> byName;

  InstanceRecord(wasm_instance_t* made, const wasm_module_t* module) : instance(made) {
    wasm_instance_exports(made, &exports);
    wasm_exporttype_vec_t types;
    wasm_module_exports(module, &types);
    for (size_t i = 0; i < types.size && i < exports.size; ++i)
      byName.emplace(nameString(wasm_exporttype_name(types.data[i])), i);
    wasm_exporttype_vec_delete(&types);
  }
  InstanceRecord(const InstanceRecord&) = delete;
  InstanceRecord& operator=(const InstanceRecord&) = delete;
  ~InstanceRecord() { wasm_extern_vec_delete(&exports); }

  wasm_extern_t* find(const std::string& name) const {
    auto it = byName.find(name);
    return it == byName.end() ? nullptr : exports.data[it->second];
  }
};

class ScriptRunner {
 public:
  ScriptRunner(wasm_engine_t* engine, const std::string& path, const WastOptions& options)
      : path_(path), options_(options), engine_(engine), store_(wasm_store_new(engine)), hostRefs_(store_.get()) {
    linker_.reset(orca_linker_new(store_.get()));
    // A later register under a name replaces the earlier definitions, as in the reference
    // interpreter.
    orca_linker_allow_shadowing(linker_.get(), true);
    watchdog_ = std::make_unique<Watchdog>(store_.get(), scriptBudget());
    defineSpectest();
  }

  ~ScriptRunner() {
    // The watchdog stops before the store goes; references are released before their store.
    watchdog_.reset();
    instances_.clear();
    spectest_.clear();
    hostRefs_.reset();
    linker_.reset();
    store_.reset();
  }

  void run(const text::WastScript& script) {
    for (const WastCommand& command : script.commands) record(command, runCommand(command));
  }

  void record(const WastCommand& command, const Outcome& outcome) {
    switch (outcome.kind) {
      case Outcome::Kind::Passed:
        ++counts_.passed;
        return;
      case Outcome::Kind::Failed:
        ++counts_.failed;
        if (options_.failures)
          *options_.failures << path_ << ":" << command.line << ": " << commandName(command.kind) << ": "
                             << outcome.detail << "\n";
        return;
      case Outcome::Kind::Skipped:
        ++counts_.skipped;
        if (options_.reportSkips && options_.failures)
          *options_.failures << path_ << ":" << command.line << ": skipped " << commandName(command.kind)
                             << " (" << outcome.detail << ")\n";
        return;
    }
  }

  void failScript(const std::string& why) {
    ++counts_.failed;
    if (options_.failures) *options_.failures << path_ << ": " << why << "\n";
  }

  const WastCounts& counts() const { return counts_; }

 private:
  static wasm_trap_t* ignoreCall(void*, const wasm_val_vec_t*, wasm_val_vec_t*) { return nullptr; }

  void define(const char* name, wasm_extern_t* item) {
    if (!item) {
      failScript(std::string("spectest.") + name + " could not be created");
      return;
    }
    spectest_.emplace_back(item);
    if (ErrorPtr error{orca_linker_define(linker_.get(), "spectest", name, item)})
      failScript(std::string("spectest.") + name + ": " + readError(error.get()).describe());
  }

  // The spectest module of the reference interpreter: print functions, globals 666 / 666.6,
  // a table of 10..20 funcrefs and a memory of 1..2 pages.
  void defineSpectest() {
    auto addFunc = [&](const char* name, std::vector<wasm_valkind_t> params) {
      wasm_valtype_vec_t paramTypes, resultTypes;
      wasm_valtype_vec_new_uninitialized(&paramTypes, params.size());
      for (size_t i = 0; i < params.size(); ++i) paramTypes.data[i] = wasm_valtype_new(params[i]);
      wasm_valtype_vec_new_empty(&resultTypes);
      FuncTypePtr type(wasm_functype_new(&paramTypes, &resultTypes));
      if (ErrorPtr error{orca_linker_define_func(linker_.get(), "spectest", name, type.get(), ignoreCall, nullptr,
                                                 nullptr)})
        failScript(std::string("spectest.") + name + ": " + readError(error.get()).describe());
    };
    addFunc("print", {});
    addFunc("print_i32", {WASM_I32});
    addFunc("print_i64", {WASM_I64});
    addFunc("print_f32", {WASM_F32});
    addFunc("print_f64", {WASM_F64});
    addFunc("print_i32_f32", {WASM_I32, WASM_F32});
    addFunc("print_f64_f64", {WASM_F64, WASM_F64});

    auto addGlobal = [&](const char* name, wasm_val_t value) {
      GlobalTypePtr type(wasm_globaltype_new(wasm_valtype_new(value.kind), WASM_CONST));
      wasm_global_t* global = wasm_global_new(store_.get(), type.get(), &value);
      define(name, global ? wasm_global_as_extern(global) : nullptr);
    };
    wasm_val_t value;
    value.kind = WASM_I32;
    value.of.i32 = 666;
    addGlobal("global_i32", value);
    value.kind = WASM_I64;
    value.of.i64 = 666;
    addGlobal("global_i64", value);
    value.kind = WASM_F32;
    value.of.f32 = 666.6f;
    addGlobal("global_f32", value);
    value.kind = WASM_F64;
    value.of.f64 = 666.6;
    addGlobal("global_f64", value);

    wasm_limits_t tableLimits{10, 20};
    wasm_tabletype_t* tableType = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &tableLimits);
    wasm_table_t* table = wasm_table_new(store_.get(), tableType, nullptr);
    wasm_tabletype_delete(tableType);
    define("table", table ? wasm_table_as_extern(table) : nullptr);

    wasm_limits_t memoryLimits{1, 2};
    wasm_memorytype_t* memoryType = wasm_memorytype_new(&memoryLimits);
    wasm_memory_t* memory = wasm_memory_new(store_.get(), memoryType);
    wasm_memorytype_delete(memoryType);
    define("memory", memory ? wasm_memory_as_extern(memory) : nullptr);
  }

  Outcome runCommand(const WastCommand& command) {
    switch (command.kind) {
      case WastCommand::Kind::Module: return defineModule(command);
      case WastCommand::Kind::Register: return registerModule(command);
      case WastCommand::Kind::AssertMalformed: return expectRejected(command, ORCA_ERROR_MALFORMED);
      case WastCommand::Kind::AssertInvalid: return expectRejected(command, ORCA_ERROR_INVALID);
      case WastCommand::Kind::AssertUnlinkable: return expectInstantiationFailure(command, ORCA_ERROR_UNLINKABLE);
      case WastCommand::Kind::AssertUninstantiable: return expectInstantiationFailure(command, ORCA_ERROR_TRAP);
      case WastCommand::Kind::AssertTrap:
        if (command.trapsOnModule) return expectInstantiationFailure(command, ORCA_ERROR_TRAP);
        return expectActionFailure(command, /*exhaustion=*/false);
      case WastCommand::Kind::AssertExhaustion: return expectActionFailure(command, /*exhaustion=*/true);
      case WastCommand::Kind::Action: {
        std::vector<orca_val_raw_t> results;
        return perform(command.action, results);
      }
      case WastCommand::Kind::AssertReturn: return expectReturn(command);
    }
    return Outcome::fail("unknown command");
  }

  // Compiles and instantiates through the linker; on success `*instance` is the new instance.
  // Only a feature the engine does not implement (ORCA_ERROR_UNSUPPORTED) makes the module, and
  // the commands using it, skip; every other error fails, Orca's internal errors included.
  Outcome instantiate(const WastModule& module, InstanceRecord** instance, ErrorInfo* error) {
    ByteVec binary;
    if (auto failed = moduleBinary(module, binary)) {
      *error = *failed;
      return Outcome::fail(error->describe());
    }
    if (options_.moduleError) {
      *error = *options_.moduleError;
    } else {
      wasm_module_t* made = nullptr;
      ErrorPtr failure(orca_module_new(engine_, binary.get(), &made));
      ModulePtr compiled(made);
      if (!failure) {
        wasm_instance_t* created = nullptr;
        failure.reset(orca_linker_instantiate(linker_.get(), compiled.get(), &created));
        if (!failure) {
          instances_.push_back(std::make_unique<InstanceRecord>(created, compiled.get()));
          *instance = instances_.back().get();
          return Outcome::pass();
        }
      }
      *error = readError(failure.get());
    }
    if (error->kind == ORCA_ERROR_UNSUPPORTED) return Outcome::skip(error->message);
    return Outcome::fail(error->describe());
  }

  Outcome defineModule(const WastCommand& command) {
    InstanceRecord* instance = nullptr;
    ErrorInfo error;
    Outcome outcome = instantiate(command.module, &instance, &error);
    // A module that failed or skipped leaves no current instance.
    current_ = ModuleSlot{instance, outcome.kind == Outcome::Kind::Skipped};
    if (command.module.name) named_[*command.module.name] = current_;
    return outcome;
  }

  // The instance a command names ($id), or the current one. Fails or skips the outcome when there
  // is none: skips when the module was skipped (a feature not compiled), fails otherwise.
  Outcome resolve(const std::optional<std::string>& name, InstanceRecord** instance) {
    ModuleSlot slot = current_;
    if (name) {
      auto it = named_.find(*name);
      if (it == named_.end()) return Outcome::fail("unknown module " + *name);
      slot = it->second;
    }
    *instance = slot.instance;
    if (slot.instance) return Outcome::pass();
    return slot.skipped ? Outcome::skip("module not compiled") : Outcome::fail("no module instance");
  }

  Outcome registerModule(const WastCommand& command) {
    InstanceRecord* instance = nullptr;
    if (Outcome found = resolve(command.registerModule, &instance); found.kind != Outcome::Kind::Passed) return found;
    ErrorPtr error(orca_linker_define_instance(linker_.get(), command.registerName.c_str(), instance->instance.get()));
    if (error) return Outcome::fail(readError(error.get()).describe());
    return Outcome::pass();
  }

  // A global's value as a raw slot, the form calls return (v128 included).
  Outcome readGlobal(const wasm_global_t* global, std::vector<orca_val_raw_t>& results,
                     std::vector<ir::ValType>* resultTypes) {
    GlobalTypePtr type(wasm_global_type(global));
    wasm_valkind_t kind = wasm_valtype_kind(wasm_globaltype_content(type.get()));
    orca_val_raw_t raw{};
    orca_global_get_raw(global, &raw);
    results = {raw};
    if (resultTypes) *resultTypes = {valTypeOf(kind)};
    return Outcome::pass();
  }

  // Runs an invoke or get. Without `trap`, a trap fails the outcome; with it, the trap is stored
  // there and the outcome passes (the caller judges it).
  Outcome perform(const WastAction& action, std::vector<orca_val_raw_t>& results,
                  std::optional<TrapInfo>* trap = nullptr, std::vector<ir::ValType>* resultTypes = nullptr) {
    InstanceRecord* instance = nullptr;
    if (Outcome found = resolve(action.module, &instance); found.kind != Outcome::Kind::Passed) return found;
    wasm_extern_t* found = instance->find(action.field);
    if (!found) return Outcome::fail("unknown export \"" + action.field + "\"");

    if (action.kind == WastAction::Kind::Get) {
      const wasm_global_t* global = wasm_extern_as_global_const(found);
      if (!global) return Outcome::fail("export \"" + action.field + "\" is not a global");
      return readGlobal(global, results, resultTypes);
    }

    const wasm_func_t* func = wasm_extern_as_func_const(found);
    if (!func) return Outcome::fail("export \"" + action.field + "\" is not a function");
    FuncTypePtr type(wasm_func_type(func));
    const wasm_valtype_vec_t* params = wasm_functype_params(type.get());
    const wasm_valtype_vec_t* resultKinds = wasm_functype_results(type.get());
    if (params->size != action.args.size())
      return Outcome::fail("expected " + std::to_string(params->size) + " arguments, got " +
                           std::to_string(action.args.size()));
    // The raw path checks no kinds, so the script's arguments are checked here.
    for (size_t i = 0; i < params->size; ++i)
      if (valTypeOf(wasm_valtype_kind(params->data[i])) != action.args[i].type)
        return Outcome::fail("argument " + std::to_string(i) + " has the wrong type");
    std::vector<orca_val_raw_t> slots(std::max<size_t>({params->size, resultKinds->size, 1}));
    for (size_t i = 0; i < action.args.size(); ++i) slots[i] = toRawValue(action.args[i], *hostRefs_);
    if (resultTypes) {
      resultTypes->clear();
      for (size_t i = 0; i < resultKinds->size; ++i) resultTypes->push_back(valTypeOf(wasm_valtype_kind(resultKinds->data[i])));
    }
    TrapPtr raised(orca_func_call_unchecked(func, slots.data(), slots.size()));
    if (raised) {
      TrapInfo info{orca_trap_code(raised.get()), trapMessage(raised.get())};
      if (trap) {
        *trap = std::move(info);
        return Outcome::pass();
      }
      return Outcome::fail("unexpected " + info.describe());
    }
    results.assign(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(resultKinds->size));
    return Outcome::pass();
  }

  Outcome expectReturn(const WastCommand& command) {
    std::vector<orca_val_raw_t> results;
    std::vector<ir::ValType> types;
    Outcome outcome = perform(command.action, results, nullptr, &types);
    if (outcome.kind != Outcome::Kind::Passed) return outcome;
    if (results.size() != command.expected.size())
      return Outcome::fail("expected " + std::to_string(command.expected.size()) + " results, got " +
                           std::to_string(results.size()));
    for (size_t i = 0; i < results.size(); ++i) {
      if (!resultMatches(results[i], types[i], command.expected[i], *hostRefs_))
        return Outcome::fail("result " + std::to_string(i) + ": expected " + describeExpected(command.expected[i]) +
                             ", got " + describeValue(results[i], types[i], *hostRefs_));
    }
    return Outcome::pass();
  }

  // assert_trap on an action, or assert_exhaustion (the trap must be ORCA_TRAP_STACK_EXHAUSTED).
  Outcome expectActionFailure(const WastCommand& command, bool exhaustion) {
    std::vector<orca_val_raw_t> results;
    std::optional<TrapInfo> trap;
    Outcome outcome = perform(command.action, results, &trap);
    if (outcome.kind != Outcome::Kind::Passed) return outcome;
    const char* expectedKind = exhaustion ? "exhaustion" : "trap";
    if (!trap) return Outcome::fail("returned normally, expected " + std::string(expectedKind) + " \"" + command.message + "\"");
    if ((trap->code == ORCA_TRAP_STACK_EXHAUSTED) != exhaustion || !trapMessageMatches(trap->message, command.message))
      return Outcome::fail("expected " + std::string(expectedKind) + " \"" + command.message + "\", got " +
                           trap->describe());
    return Outcome::pass();
  }

  Outcome expectInstantiationFailure(const WastCommand& command, orca_error_kind_t kind) {
    InstanceRecord* instance = nullptr;
    ErrorInfo error;
    Outcome outcome = instantiate(command.module, &instance, &error);
    if (outcome.kind == Outcome::Kind::Skipped) return outcome;
    if (instance) return Outcome::fail("instantiated, expected \"" + command.message + "\"");
    // A trapping start function and an out-of-bounds segment both fail instantiation; the
    // runtime reports the former as a trap and the latter as uninstantiable.
    bool kindMatches = error.kind == kind || (kind == ORCA_ERROR_TRAP && (error.kind == ORCA_ERROR_UNINSTANTIABLE ||
                                                                          error.kind == ORCA_ERROR_EXHAUSTION));
    if (!kindMatches || !messageMatches(error.message, command.message))
      return Outcome::fail("expected " + std::string(errorKindName(kind)) + " \"" + command.message + "\", got " +
                           error.describe());
    return Outcome::pass();
  }

  // assert_malformed / assert_invalid: the module must be rejected at the right stage, with a
  // message that starts with the expected text.
  Outcome expectRejected(const WastCommand& command, orca_error_kind_t expectedKind) {
    ByteVec binary;
    std::optional<ErrorInfo> error = moduleBinary(command.module, binary);
    if (!error) {
      if (ErrorPtr failure{orca_module_validate(engine_, binary.get())}) error = readError(failure.get());
    }
    if (!error) return Outcome::fail("module was accepted, expected \"" + command.message + "\"");
    if (error->kind != expectedKind)
      return Outcome::fail("expected " + std::string(errorKindName(expectedKind)) + " \"" + command.message +
                           "\", got " + error->describe());
    if (!messageMatches(error->message, command.message))
      return Outcome::fail("expected \"" + command.message + "\", got " + error->describe());
    return Outcome::pass();
  }

  std::string path_;
  const WastOptions& options_;
  wasm_engine_t* engine_;  // compiles the script's modules; owned by runWastFile's caller
  WastCounts counts_;
  StorePtr store_;
  LinkerPtr linker_;
  std::optional<HostRefs> hostRefs_;
  std::unique_ptr<Watchdog> watchdog_;
  std::vector<ExternPtr> spectest_;
  std::vector<std::unique_ptr<InstanceRecord>> instances_;
  // A defined module's instance; null when it failed, or was skipped (skipped = true).
  struct ModuleSlot {
    InstanceRecord* instance = nullptr;
    bool skipped = false;
  };
  std::map<std::string, ModuleSlot, std::less<>> named_;
  ModuleSlot current_;
};

}  // namespace

WastCounts runWastFile(wasm_engine_t* engine, const std::string& path, const WastOptions& options) {
  ScriptRunner runner(engine, path, options);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    runner.failScript("cannot read file");
    return runner.counts();
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto script = text::parseWast(buffer.str());
  if (!script) {
    runner.failScript("script does not parse: " + scriptError(script.error()).describe());
    return runner.counts();
  }
  runner.run(*script);
  return runner.counts();
}

WastCounts runWastFiles(const std::vector<std::string>& paths, std::ostream& out, bool reportSkips,
                        orca_compile_strategy_t strategy, WastMemoryMode memoryMode, uint32_t tierUpThreshold) {
  WastOptions options;
  options.failures = &out;
  options.reportSkips = reportSkips;
  // One engine (one JIT) for every script; each script gets its own store. Interruptible code,
  // so that the watchdog can stop a script that hangs.
  wasm_config_t* config = wasm_config_new();
  orca_config_interruptible_set(config, true);
  orca_config_compile_strategy_set(config, strategy);
  orca_config_bounds_checks_set(config, memoryMode == WastMemoryMode::BoundsChecks);
  if (tierUpThreshold) orca_config_tier_up_threshold_set(config, tierUpThreshold);
  EnginePtr engine(wasm_engine_new_with_config(config));
  WastCounts total;
  if (!engine) {
    out << "spec: cannot create an execution engine\n";
    total.failed = 1;
  } else {
    for (const std::string& path : paths) {
      WastCounts counts = runWastFile(engine.get(), path, options);
      out << path << ": " << formatCounts(counts) << std::endl;  // flushed: CI logs show progress
      total += counts;
    }
    if (strategy == ORCA_COMPILE_TIERED) {
      uint64_t baseline = 0, optimized = 0;
      orca_engine_tier_stats(engine.get(), &baseline, &optimized);
      out << "spec: " << baseline << " functions compiled at the baseline tier, " << optimized << " tiered up\n";
      if (optimized == 0) {
        out << "spec: no function was tiered up, so the optimised tier went untested: a failure\n";
        ++total.failed;
      }
    }
  }
  out << "spec: " << formatCounts(total) << "\n";
  if (total.failed == 0 && !runSucceeded(total))
    out << "spec: " << total.skipped << " skipped commands: a failure under CI=true\n";
  return total;
}

bool strictAccounting() {
  const char* ci = std::getenv("CI");
  return ci && (std::strcmp(ci, "true") == 0 || std::strcmp(ci, "1") == 0);
}

bool runSucceeded(const WastCounts& counts) {
  return counts.failed == 0 && (counts.skipped == 0 || !strictAccounting());
}

std::string formatCounts(const WastCounts& counts) {
  return std::to_string(counts.passed) + " passed, " + std::to_string(counts.failed) + " failed, " +
         std::to_string(counts.skipped) + " skipped";
}

}  // namespace orca::cli
