// PLACEHOLDER: replaced by the owner of `topoc explain`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterExplain(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("explain", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'explain' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
