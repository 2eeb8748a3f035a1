// The orca command line, over the public C API only (wasm.h, orca.h, wasi.h). Subcommands run,
// compile, validate, wat2wasm, inspect and wast; exit statuses in commands.h and docs/cli.md.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstring>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "commands.h"
#include "orca.h"

namespace {

using namespace orca::cli;

// `orca run [OPTIONS] FILE ARGS...`: everything after FILE belongs to the guest (or to --invoke),
// even what looks like an option, so the command line is split at FILE before CLI11 sees it.
// Returns the number of arguments CLI11 parses; the rest are the guest's.
int splitRunArguments(int argc, char** argv) {
  if (argc < 3 || std::strcmp(argv[1], "run") != 0) return argc;
  static const std::set<std::string> kTakesValue = {"--dir", "--env", "--invoke", "--fuel", "--timeout",
                                                     "--cache-dir", "--compile"};
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") return i + 2 <= argc ? i + 2 : argc;  // `--` then FILE
    if (arg.size() > 1 && arg[0] == '-') {
      if (kTakesValue.count(arg)) ++i;  // --opt VALUE (--opt=VALUE is one word)
      continue;
    }
    return i + 1;  // FILE
  }
  return argc;
}

}  // namespace

int main(int argc, char** argv) {
  // A reader that went away is an error the guest sees (EPIPE from fd_write), not a signal that
  // kills orca: only a real crash ends the process by a signal.
  std::signal(SIGPIPE, SIG_IGN);

  static const std::set<std::string> kSubcommands = {"run",     "compile", "validate", "wat2wasm",
                                                     "inspect", "wast",    "cache"};
  if (argc > 1 && argv[1][0] != '-' && !kSubcommands.count(argv[1]))
    return fail(kExitUsage, std::string("unknown subcommand \"") + argv[1] +
                                "\" (run, compile, validate, wat2wasm, inspect, wast, cache; see orca --help)");
  int parsed = splitRunArguments(argc, argv);
  std::vector<std::string> guestArgs(argv + parsed, argv + argc);

  CLI::App app{"orca: a WebAssembly runtime"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("orca ") + orca_version());

  RunOptions run;
  auto* runCmd = app.add_subcommand("run", "Run a WASI program (_start) or one exported function (--invoke)");
  runCmd->add_option("module", run.module, "module: .wasm, .wat or a compiled artifact")->required();
  runCmd->add_option("--dir", run.dirs, "grant the guest HOST directory as GUEST (default: as HOST); repeatable")
      ->type_name("HOST[::GUEST]");
  runCmd->add_option("--env", run.env, "set a guest environment variable; repeatable")->type_name("NAME=VALUE");
  runCmd->add_option("--invoke", run.invoke, "call this export with the arguments after the module; print its results")
      ->type_name("FUNCTION");
  runCmd->add_option("--fuel", run.fuel, "stop the guest (trap, status 3) after about N units of work")
      ->type_name("N")
      // CLI11 would read "-5" into the uint64_t as 2^64-5.
      ->check(CLI::Validator(
          [](const std::string& value) {
            return value.find('-') == std::string::npos ? std::string() : "expected 0 or more, got " + value;
          },
          "N"));
  runCmd->add_flag("--allow-precompiled", run.allowPrecompiled,
                   "run a compiled artifact (orca compile): native code, trusted like a shared library");
  runCmd->add_option("--timeout", run.timeout, "stop the guest (trap, status 3) after this long: 500ms, 1s, 2m")
      ->type_name("DURATION");
  runCmd->add_option_function<std::string>(
          "--compile",
          [&run](const std::string& when) {
            run.compile = when == "lazy" ? ORCA_COMPILE_LAZY : when == "tiered" ? ORCA_COMPILE_TIERED : ORCA_COMPILE_EAGER;
          },
          "when functions are compiled: eager (all before the run, optimised; the default), lazy (each on "
          "its first call, quick to compile, slower to run) or tiered (as lazy, and hot functions again, "
          "optimised, in the background)")
      ->type_name("eager|lazy|tiered")
      ->check(CLI::IsMember({"eager", "lazy", "tiered"}));
  runCmd->add_flag("--no-cache", run.cache.disabled, "compile without the module cache (neither read nor written)");
  runCmd->add_option("--cache-dir", run.cache.dir, "keep compiled code in DIR instead of the user's cache directory")
      ->type_name("DIR");
  runCmd->add_flag("--cache-stats", run.cache.printStats,
                   "print what the module cache did (hits, misses, ...) on stderr when the run ends");
  runCmd->footer("Arguments after the module go to the guest (argv[1..]) or, with --invoke, to the function.\n");

  std::string compilePath, compileOut;
  auto* compile = app.add_subcommand("compile", "Compile a module to native code that `orca run` loads");
  compile->add_option("module", compilePath, "module: .wasm or .wat")->required();
  compile->add_option("-o,--output", compileOut, "output file (default: the input with .cwasm)");
  bool compileFuel = false, compileInterruptible = false;
  compile->add_flag("--consume-fuel", compileFuel, "compile fuel checks: the artifact then runs only with run --fuel");
  compile->add_flag("--interruptible", compileInterruptible,
                    "compile interruption checks: the artifact then runs only with run --timeout");

  std::string validatePath;
  auto* validate = app.add_subcommand("validate", "Check that a module (.wasm or .wat) is valid");
  validate->add_option("module", validatePath, "module file")->required();

  std::string watPath, watOut;
  auto* wat2wasm = app.add_subcommand("wat2wasm", "Translate a text module to the binary format");
  wat2wasm->add_option("module", watPath, "text module (.wat)")->required();
  wat2wasm->add_option("-o,--output", watOut, "output file (default: the input with .wasm)");

  std::string inspectPath;
  auto* inspect = app.add_subcommand("inspect", "List a module's imports and exports with their types");
  inspect->add_option("module", inspectPath, "module: .wasm, .wat or a compiled artifact")->required();
  bool inspectPrecompiled = false;
  inspect->add_flag("--allow-precompiled", inspectPrecompiled,
                    "load a compiled artifact (native code, trusted like a shared library)");

  CacheOptions cacheOptions;
  std::optional<CacheAction> cacheAction;
  auto* cache = app.add_subcommand("cache", "Show or clear the module cache (compiled code that `orca run` keeps)");
  cache->require_subcommand(1);
  for (auto [name, action, help] : {std::tuple{"dir", CacheAction::Dir, "Print the cache directory"},
                                    std::tuple{"stats", CacheAction::Stats, "Print the number of entries, their bytes and the cap"},
                                    std::tuple{"clean", CacheAction::Clean, "Remove every cache entry (and nothing else)"}}) {
    auto* sub = cache->add_subcommand(name, help);
    sub->add_option("--cache-dir", cacheOptions.dir, "this directory instead of the user's cache directory")
        ->type_name("DIR");
    sub->callback([&cacheAction, action = action] { cacheAction = action; });
  }

  std::vector<std::string> wastPaths;
  bool verbose = false;
  auto* wast = app.add_subcommand("wast", "Run .wast spec scripts");
  wast->add_option("scripts", wastPaths, "script files")->required();
  wast->add_flag("-v,--verbose", verbose, "also list skipped commands");

  try {
    app.parse(parsed, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, status 2.
    return fail(kExitUsage, std::string(e.what()) + " (see orca --help)");
  }

  if (*runCmd) {
    run.args = std::move(guestArgs);
    return runCommand(run);
  }
  if (*compile) return compileCommand(compilePath, compileOut, compileFuel, compileInterruptible);
  if (*validate) return validateCommand(validatePath);
  if (*wat2wasm) return wat2wasmCommand(watPath, watOut);
  if (*inspect) return inspectCommand(inspectPath, inspectPrecompiled);
  if (*wast) return wastCommand(wastPaths, verbose);
  if (cacheAction) return cacheCommand(*cacheAction, cacheOptions);
  return kExitUsage;
}
