#include "wast_runner.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <thread>

#include "orca/decode/decode.h"
#include "orca/runtime/runtime.h"
#include "orca/text/wast.h"
#include "orca/text/wat.h"
#include "orca/validate/validate.h"
#include "wast_values.h"

namespace orca::cli {
namespace {

using runtime::Extern;
using runtime::Instance;
using runtime::RawValue;
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

// The binary of a script module: encoded while parsing (text), given (binary), or parsed now
// (quote, whose text errors are part of what assert_malformed tests).
Result<std::vector<uint8_t>> moduleBinary(const WastModule& module) {
  switch (module.form) {
    case WastModule::Form::Text:
      if (module.textError) return *module.textError;
      return module.binary;
    case WastModule::Form::Binary:
      return module.binary;
    case WastModule::Form::Quote:
      return text::watToWasm(module.quote);
  }
  return makeError(ErrorKind::Malformed, "unknown module form");
}

// Decodes and validates: the checks that need no execution.
Status checkModule(const WastModule& module) {
  auto binary = moduleBinary(module);
  if (!binary) return binary.takeError();
  auto decoded = decode::decodeModule(*binary);
  if (!decoded) return decoded.takeError();
  return validate::validateModule(*decoded);
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

// Exports by name: an instance's, or the spectest host module's.
using ExportMap = std::map<std::string, Extern, std::less<>>;

// What happened to one command: passed, failed with a reason, or skipped with a reason (a
// feature the engine does not compile yet).
struct Outcome {
  enum class Kind { Passed, Failed, Skipped } kind = Kind::Passed;
  std::string detail;
  static Outcome pass() { return {}; }
  static Outcome fail(std::string why) { return {Kind::Failed, std::move(why)}; }
  static Outcome skip(std::string why) { return {Kind::Skipped, std::move(why)}; }
};

// Interrupts a script's store once it has run longer than its time budget, and every second after
// that, so a miscompiled loop fails its command ("interrupted") instead of hanging the run.
class Watchdog {
 public:
  Watchdog(runtime::Store& store, std::chrono::seconds budget)
      : thread_([this, &store, budget] {
          std::unique_lock lock(mutex_);
          if (cv_.wait_for(lock, budget, [this] { return done_; })) return;
          while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) store.interrupt();
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

class ScriptRunner {
 public:
  ScriptRunner(runtime::Engine* engine, const std::string& path, const WastOptions& options)
      : engine_(engine), path_(path), options_(options) {
    if (engine_) {
      store_ = std::make_unique<runtime::Store>(*engine_);
      watchdog_ = std::make_unique<Watchdog>(*store_, scriptBudget());
      defineSpectest();
    }
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
  // The spectest module of the reference interpreter: print functions, globals 666 / 666.6,
  // a table of 10..20 funcrefs and a memory of 1..2 pages.
  void defineSpectest() {
    using ir::ValType;
    auto addFunc = [&](const char* name, std::vector<ValType> params) {
      auto func = store_->createHostFunc(ir::FuncType{std::move(params), {}},
                                         [](runtime::Caller&, const RawValue*, RawValue*) { return Status(); });
      if (func) spectest_[name] = Extern(*func);
    };
    addFunc("print", {});
    addFunc("print_i32", {ValType::I32});
    addFunc("print_i64", {ValType::I64});
    addFunc("print_f32", {ValType::F32});
    addFunc("print_f64", {ValType::F64});
    addFunc("print_i32_f32", {ValType::I32, ValType::F32});
    addFunc("print_f64_f64", {ValType::F64, ValType::F64});
    auto addGlobal = [&](const char* name, ValType type, RawValue value) {
      auto global = store_->createGlobal(ir::GlobalType{type, ir::Mutability::Const}, value);
      if (global) spectest_[name] = Extern(*global);
    };
    RawValue v{};
    v.i32 = 666;
    addGlobal("global_i32", ValType::I32, v);
    v = {};
    v.i64 = 666;
    addGlobal("global_i64", ValType::I64, v);
    v = {};
    v.f32 = 666.6f;
    addGlobal("global_f32", ValType::F32, v);
    v = {};
    v.f64 = 666.6;
    addGlobal("global_f64", ValType::F64, v);
    if (auto table = store_->createTable(ir::TableType{ir::Limits{10, 20}, ValType::FuncRef}))
      spectest_["table"] = Extern(*table);
    if (auto memory = store_->createMemory(ir::MemoryType{ir::Limits{1, 2}}))
      spectest_["memory"] = Extern(*memory);
    registry_["spectest"] = spectest_;
  }

  Outcome runCommand(const WastCommand& command) {
    switch (command.kind) {
      case WastCommand::Kind::Module: return defineModule(command);
      case WastCommand::Kind::Register: return registerModule(command);
      case WastCommand::Kind::AssertMalformed: return expectRejected(command, ErrorKind::Malformed);
      case WastCommand::Kind::AssertInvalid: return expectRejected(command, ErrorKind::Invalid);
      case WastCommand::Kind::AssertUnlinkable: return expectInstantiationFailure(command, ErrorKind::Unlinkable);
      case WastCommand::Kind::AssertUninstantiable: return expectInstantiationFailure(command, ErrorKind::Trap);
      case WastCommand::Kind::AssertTrap:
        if (command.trapsOnModule) return expectInstantiationFailure(command, ErrorKind::Trap);
        return expectActionFailure(command, ErrorKind::Trap);
      case WastCommand::Kind::AssertExhaustion: return expectActionFailure(command, ErrorKind::Exhaustion);
      case WastCommand::Kind::Action: {
        std::vector<RawValue> results;
        Outcome outcome = perform(command.action, results);
        return outcome;
      }
      case WastCommand::Kind::AssertReturn: return expectReturn(command);
    }
    return Outcome::fail("unknown command");
  }

  // Compiles and instantiates; on success the instance is the current one (and named, if the
  // module has a name). Unsupported features make the module, and the commands using it, skip.
  Outcome instantiate(const WastModule& module, Instance** instance, Error* error) {
    auto binary = moduleBinary(module);
    if (!binary) {
      *error = binary.takeError();
      return Outcome::fail(error->describe());
    }
    auto compiled = runtime::Module::compile(*engine_, *binary);
    if (!compiled) {
      *error = compiled.takeError();
      if (error->kind == ErrorKind::Unsupported) return Outcome::skip(error->message);
      return Outcome::fail(error->describe());
    }
    std::vector<Extern> imports;
    for (const auto& import : (*compiled)->imports()) {
      auto found = lookupImport(import.module, import.name);
      if (!found) {
        *error = makeError(ErrorKind::Unlinkable, "unknown import: " + import.module + "." + import.name);
        return Outcome::fail(error->describe());
      }
      imports.push_back(*found);
    }
    auto made = store_->instantiate(*compiled, imports);
    if (!made) {
      *error = made.takeError();
      if (error->kind == ErrorKind::Unsupported) return Outcome::skip(error->message);
      return Outcome::fail(error->describe());
    }
    *instance = *made;
    return Outcome::pass();
  }

  std::optional<Extern> lookupImport(const std::string& module, const std::string& name) const {
    auto registered = registry_.find(module);
    if (registered == registry_.end()) return std::nullopt;
    auto field = registered->second.find(name);
    if (field == registered->second.end()) return std::nullopt;
    return field->second;
  }

  Outcome defineModule(const WastCommand& command) {
    // A module the script defines must at least validate, even where it cannot run yet.
    if (!engine_) {
      Status status = checkModule(command.module);
      return status ? Outcome::pass() : Outcome::fail(status.error().describe());
    }
    Instance* instance = nullptr;
    Error error;
    Outcome outcome = instantiate(command.module, &instance, &error);
    // A module that failed or skipped leaves no current instance.
    current_ = ModuleSlot{instance, outcome.kind == Outcome::Kind::Skipped};
    if (command.module.name) named_[*command.module.name] = current_;
    return outcome;
  }

  // The instance a command names ($id), or the current one. Fails or skips the outcome when there
  // is none: skips when the module was skipped (a feature not compiled), fails otherwise.
  Outcome resolve(const std::optional<std::string>& name, Instance** instance) {
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
    Instance* instance = nullptr;
    if (Outcome found = resolve(command.registerModule, &instance); found.kind != Outcome::Kind::Passed) return found;
    ExportMap exports;
    for (const auto& [name, value] : instance->exports()) exports[name] = value;
    registry_[command.registerName] = std::move(exports);
    return Outcome::pass();
  }

  // Runs an invoke or get. Without `trap`, a trap fails the outcome; with it, the trap is stored
  // there and the outcome passes (the caller judges it).
  Outcome perform(const WastAction& action, std::vector<RawValue>& results, std::optional<Error>* trap = nullptr,
                  std::vector<ir::ValType>* resultTypes = nullptr) {
    if (!engine_) return Outcome::skip("needs execution");
    Instance* instance = nullptr;
    if (Outcome found = resolve(action.module, &instance); found.kind != Outcome::Kind::Passed) return found;
    auto found = instance->exportByName(action.field);
    if (!found) return Outcome::fail("unknown export \"" + action.field + "\"");

    if (action.kind == WastAction::Kind::Get) {
      runtime::Global* global = found->global();
      if (!global) return Outcome::fail("export \"" + action.field + "\" is not a global");
      results = {global->get()};
      if (resultTypes) *resultTypes = {global->type().type};
      return Outcome::pass();
    }

    runtime::Func* func = found->func();
    if (!func) return Outcome::fail("export \"" + action.field + "\" is not a function");
    std::vector<RawValue> args;
    for (const auto& arg : action.args) args.push_back(toRawValue(arg));
    results.assign(func->type().results.size(), RawValue{});
    if (resultTypes) *resultTypes = func->type().results;
    Status status = func->call(args, results);
    if (!status) {
      Error error = status.takeError();
      if (error.kind == ErrorKind::Unsupported) return Outcome::skip(error.message);
      if (trap) {
        *trap = std::move(error);
        return Outcome::pass();
      }
      return Outcome::fail("unexpected " + error.describe());
    }
    return Outcome::pass();
  }

  Outcome expectReturn(const WastCommand& command) {
    std::vector<RawValue> results;
    std::vector<ir::ValType> types;
    Outcome outcome = perform(command.action, results, nullptr, &types);
    if (outcome.kind != Outcome::Kind::Passed) return outcome;
    if (results.size() != command.expected.size())
      return Outcome::fail("expected " + std::to_string(command.expected.size()) + " results, got " +
                           std::to_string(results.size()));
    for (size_t i = 0; i < results.size(); ++i) {
      if (!resultMatches(results[i], types[i], command.expected[i]))
        return Outcome::fail("result " + std::to_string(i) + ": expected " +
                             describeExpected(command.expected[i]) + ", got " + describeValue(results[i], types[i]));
    }
    return Outcome::pass();
  }

  Outcome expectActionFailure(const WastCommand& command, ErrorKind kind) {
    std::vector<RawValue> results;
    std::optional<Error> error;
    Outcome outcome = perform(command.action, results, &error);
    if (outcome.kind != Outcome::Kind::Passed) return outcome;
    if (!error) return Outcome::fail("returned normally, expected \"" + command.message + "\"");
    if (error->kind != kind || !trapMessageMatches(error->message, command.message))
      return Outcome::fail("expected " + std::string(errorKindName(kind)) + " \"" + command.message + "\", got " +
                           error->describe());
    return Outcome::pass();
  }

  Outcome expectInstantiationFailure(const WastCommand& command, ErrorKind kind) {
    if (!engine_) {
      Status status = checkModule(command.module);
      if (!status) return Outcome::fail("module does not validate: " + status.error().describe());
      return Outcome::skip("needs instantiation");
    }
    Instance* instance = nullptr;
    Error error;
    Outcome outcome = instantiate(command.module, &instance, &error);
    if (outcome.kind == Outcome::Kind::Skipped) return outcome;
    if (instance) return Outcome::fail("instantiated, expected \"" + command.message + "\"");
    // A trapping start function and an out-of-bounds segment both fail instantiation; the
    // runtime reports the former as a trap and the latter as Uninstantiable.
    bool kindMatches = error.kind == kind ||
                       (kind == ErrorKind::Trap && error.kind == ErrorKind::Uninstantiable) ||
                       (kind == ErrorKind::Trap && error.kind == ErrorKind::Exhaustion);
    if (!kindMatches || !messageMatches(error.message, command.message))
      return Outcome::fail("expected " + std::string(errorKindName(kind)) + " \"" + command.message + "\", got " +
                           error.describe());
    return Outcome::pass();
  }

  // assert_malformed / assert_invalid: the module must be rejected at the right stage. For binary
  // modules the message must start with the expected text; text-level (quote) errors come from
  // our own parser.
  Outcome expectRejected(const WastCommand& command, ErrorKind expectedKind) {
    Status status = checkModule(command.module);
    if (status) return Outcome::fail("module was accepted, expected \"" + command.message + "\"");
    const Error& error = status.error();
    if (error.kind != expectedKind)
      return Outcome::fail("expected " + std::string(errorKindName(expectedKind)) + " \"" + command.message +
                           "\", got " + error.describe());
    if (!messageMatches(error.message, command.message))
      return Outcome::fail("expected \"" + command.message + "\", got " + error.describe());
    return Outcome::pass();
  }

  runtime::Engine* engine_;
  std::string path_;
  const WastOptions& options_;
  WastCounts counts_;
  std::unique_ptr<runtime::Store> store_;
  std::unique_ptr<Watchdog> watchdog_;  // declared after store_: stops before the store goes
  ExportMap spectest_;
  std::map<std::string, ExportMap, std::less<>> registry_;
  // A defined module's instance; null when it failed, or was skipped (skipped = true).
  struct ModuleSlot {
    Instance* instance = nullptr;
    bool skipped = false;
  };
  std::map<std::string, ModuleSlot, std::less<>> named_;
  ModuleSlot current_;
};

}  // namespace

WastCounts runWastFile(runtime::Engine* engine, const std::string& path, const WastOptions& options) {
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
    runner.failScript("script does not parse: " + script.error().describe());
    return runner.counts();
  }
  runner.run(*script);
  return runner.counts();
}

WastCounts runWastFiles(const std::vector<std::string>& paths, std::ostream& out, bool reportSkips) {
  WastOptions options;
  options.failures = &out;
  options.reportSkips = reportSkips;
  // One engine (one JIT) for every script; each script gets its own store. Interruptible code,
  // so that the watchdog can stop a script that hangs.
  runtime::EngineConfig config;
  config.compile.interruptible = true;
  auto engine = runtime::Engine::create(config);
  if (!engine) out << "spec: no execution engine (" << engine.error().describe() << "): running checks only\n";
  WastCounts total;
  for (const std::string& path : paths) {
    WastCounts counts = runWastFile(engine ? engine->get() : nullptr, path, options);
    out << path << ": " << formatCounts(counts) << std::endl;  // flushed: CI logs show progress
    total += counts;
  }
  out << "spec: " << formatCounts(total) << "\n";
  return total;
}

std::string formatCounts(const WastCounts& counts) {
  return std::to_string(counts.passed) + " passed, " + std::to_string(counts.failed) + " failed, " +
         std::to_string(counts.skipped) + " skipped";
}

}  // namespace orca::cli
