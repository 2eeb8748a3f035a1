#include "wast_runner.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "orca/decode/decode.h"
#include "orca/text/wast.h"
#include "orca/text/wat.h"
#include "orca/validate/validate.h"

namespace orca::cli {
namespace {

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

class ScriptRunner {
 public:
  ScriptRunner(const std::string& path, const WastOptions& options) : path_(path), options_(options) {}

  void run(const text::WastScript& script) {
    for (const WastCommand& command : script.commands) runCommand(command);
  }

  void fail(uint32_t line, const std::string& what) {
    ++counts_.failed;
    if (options_.failures) *options_.failures << path_ << ":" << line << ": " << what << "\n";
  }

  const WastCounts& counts() const { return counts_; }

 private:
  void skip(const WastCommand& command, const char* why) {
    ++counts_.skipped;
    if (options_.reportSkips && options_.failures)
      *options_.failures << path_ << ":" << command.line << ": skipped " << commandName(command.kind)
                         << " (" << why << ")\n";
  }

  void runCommand(const WastCommand& command) {
    const char* name = commandName(command.kind);
    switch (command.kind) {
      case WastCommand::Kind::Module: {
        Status status = checkModule(command.module);
        if (status) ++counts_.passed;
        else fail(command.line, std::string(name) + ": " + status.error().describe());
        return;
      }
      case WastCommand::Kind::AssertMalformed:
        return expectRejected(command, ErrorKind::Malformed);
      case WastCommand::Kind::AssertInvalid:
        return expectRejected(command, ErrorKind::Invalid);
      case WastCommand::Kind::AssertUnlinkable:
      case WastCommand::Kind::AssertUninstantiable: {
        // The module itself must be valid; what is asserted needs instantiation.
        Status status = checkModule(command.module);
        if (!status) return fail(command.line, std::string(name) + ": module does not validate: " +
                                                   status.error().describe());
        return skip(command, "needs instantiation");
      }
      case WastCommand::Kind::AssertTrap:
        if (command.trapsOnModule) {
          Status status = checkModule(command.module);
          if (!status) return fail(command.line, std::string(name) + ": module does not validate: " +
                                                     status.error().describe());
          return skip(command, "needs instantiation");
        }
        return skip(command, "needs execution");
      case WastCommand::Kind::Register:
      case WastCommand::Kind::Action:
      case WastCommand::Kind::AssertReturn:
      case WastCommand::Kind::AssertExhaustion:
        return skip(command, "needs execution");
    }
  }

  // assert_malformed / assert_invalid: the module must be rejected at the right stage. For binary
  // modules the message must start with the expected text; text-level (quote) errors come from
  // our own parser, whose wording need not equal the reference interpreter's.
  void expectRejected(const WastCommand& command, ErrorKind expectedKind) {
    const char* name = commandName(command.kind);
    Status status = checkModule(command.module);
    if (status) return fail(command.line, std::string(name) + ": module was accepted, expected \"" +
                                              command.message + "\"");
    const Error& error = status.error();
    bool quoted = command.module.form == WastModule::Form::Quote;
    if (expectedKind == ErrorKind::Malformed && quoted) {
      // A quoted module may be rejected by the text parser or, once encoded, by the decoder.
      if (error.kind != ErrorKind::Malformed)
        return fail(command.line, std::string(name) + ": rejected as " + error.describe());
      ++counts_.passed;
      return;
    }
    if (error.kind != expectedKind)
      return fail(command.line, std::string(name) + ": expected " + errorKindName(expectedKind) +
                                    " \"" + command.message + "\", got " + error.describe());
    if (!messageMatches(error.message, command.message))
      return fail(command.line, std::string(name) + ": expected \"" + command.message + "\", got " +
                                    error.describe());
    ++counts_.passed;
  }

  std::string path_;
  const WastOptions& options_;
  WastCounts counts_;
};

}  // namespace

WastCounts runWastFile(const std::string& path, const WastOptions& options) {
  ScriptRunner runner(path, options);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    runner.fail(0, "cannot read file");
    return runner.counts();
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto script = text::parseWast(buffer.str());
  if (!script) {
    runner.fail(0, "script does not parse: " + script.error().describe());
    return runner.counts();
  }
  runner.run(*script);
  return runner.counts();
}

WastCounts runWastFiles(const std::vector<std::string>& paths, std::ostream& out, bool reportSkips) {
  WastOptions options;
  options.failures = &out;
  options.reportSkips = reportSkips;
  WastCounts total;
  for (const std::string& path : paths) {
    WastCounts counts = runWastFile(path, options);
    out << path << ": " << formatCounts(counts) << "\n";
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
