// PLACEHOLDER: replaced by the owner of `topoc run`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterRun(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("run", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'run' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
