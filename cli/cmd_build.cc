// PLACEHOLDER: replaced by the owner of `topoc build`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterBuild(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("build", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'build' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
