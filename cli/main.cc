// topoc: the topology compiler and local runner for Storm users who write
// spouts and bolts in Python. A thin driver over the libraries.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"topoc: check, build, run and submit Storm topologies written in .topo"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "topoc 0.1.0");
  int exit_code = 0;

  topoc::cli::RegisterCheck(app, exit_code);
  topoc::cli::RegisterBuild(app, exit_code);
  topoc::cli::RegisterRun(app, exit_code);
  topoc::cli::RegisterSubmit(app, exit_code);
  topoc::cli::RegisterClusterCommands(app, exit_code);
  topoc::cli::RegisterGraph(app, exit_code);
  topoc::cli::RegisterDump(app, exit_code);
  topoc::cli::RegisterExplain(app, exit_code);
  topoc::cli::RegisterQuickstart(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help / the usage error
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
