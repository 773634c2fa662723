// PLACEHOLDER: replaced by the owner of `topoc graph`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterGraph(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("graph", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'graph' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
