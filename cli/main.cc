// topoc: the topology compiler and local runner for Storm users who write
// spouts and bolts in Python. A thin driver over the libraries.
#include <cstdio>
#include <initializer_list>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/heap.h"

namespace {

// Every subcommand, in `topoc --help` order, with the names its Register
// function adds.
struct Command {
  std::initializer_list<std::string_view> names;
  void (*register_fn)(CLI::App&, int&);
};
const Command kCommands[] = {
    {{"check"}, topoc::cli::RegisterCheck},
    {{"build"}, topoc::cli::RegisterBuild},
    {{"run"}, topoc::cli::RegisterRun},
    {{"test"}, topoc::cli::RegisterTest},
    {{"submit", "jar", "update-virtualenv", "update_virtualenv"}, topoc::cli::RegisterSubmit},
    {{"list", "kill", "activate", "deactivate", "rebalance", "tail", "remove-logs", "remove_logs", "stats",
      "slot-usage", "slot_usage", "worker-uptime", "worker_uptime"},
     topoc::cli::RegisterClusterCommands},
    {{"graph", "visualize"}, topoc::cli::RegisterGraph},
    {{"dump"}, topoc::cli::RegisterDump},
    {{"explain"}, topoc::cli::RegisterExplain},
    {{"fmt"}, topoc::cli::RegisterFmt},
    {{"lsp"}, topoc::cli::RegisterLsp},
    {{"quickstart"}, topoc::cli::RegisterQuickstart},
    {{"import"}, topoc::cli::RegisterImport},
    {{"doctor"}, topoc::cli::RegisterDoctor},
};

// Building every subcommand's options is ~15% of a `topoc --version`
// (docs/benchmarks.md, "process start"), so only what this command line can
// reach is built: the subcommand argv[1] names, nothing for a lone
// --version, and all of them otherwise (help, usage errors, unknown names),
// so that every message is the one the full command set gives.
void RegisterCommands(CLI::App& app, int argc, char** argv, int& exit_code) {
  if (argc == 2 && std::string_view(argv[1]) == "--version") return;
  if (argc >= 2) {
    for (const Command& c : kCommands) {
      for (std::string_view name : c.names) {
        if (name == argv[1]) {
          c.register_fn(app, exit_code);
          return;
        }
      }
    }
  }
  for (const Command& c : kCommands) c.register_fn(app, exit_code);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2) {
    std::string_view command = argv[1];
    if (command == "check" || command == "build" || command == "graph" || command == "dump") {
      topoc::cli::TuneHeapForCompiling();
    }
  }
  CLI::App app{"topoc: check, build, run and submit Storm topologies written in .topo"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "topoc 0.1.0");
  int exit_code = 0;
  RegisterCommands(app, argc, argv, exit_code);
  // Hidden: the man page and bash completion, from every command above
  // (argv[1] names none of them, so all were registered).
  if (argc >= 2 && std::string_view(argv[1]) == "__docs") topoc::cli::RegisterDocs(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help / the usage error
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
