// PLACEHOLDER: replaced by the owner of `topoc quickstart`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterQuickstart(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("quickstart", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'quickstart' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
