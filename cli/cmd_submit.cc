// PLACEHOLDER: replaced by the owner of `topoc submit`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterSubmit(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("submit", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'submit' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
