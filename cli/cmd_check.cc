// PLACEHOLDER: replaced by the owner of `topoc check`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterCheck(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'check' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
