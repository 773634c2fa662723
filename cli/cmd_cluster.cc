// PLACEHOLDER: replaced by the owner of the cluster commands.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterClusterCommands(CLI::App& app, int& exit_code) {
  for (const char* name : {"list", "kill", "activate", "deactivate", "rebalance", "tail", "remove-logs"}) {
    auto* cmd = app.add_subcommand(name, "(not implemented yet)");
    cmd->allow_extras();
    cmd->callback([&exit_code, name] {
      std::fprintf(stderr, "topoc: '%s' is not implemented yet\n", name);
      exit_code = 2;
    });
  }
}

}  // namespace topoc::cli
