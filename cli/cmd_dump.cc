// PLACEHOLDER: replaced by the owner of `topoc dump`.
#include <cstdio>

#include "cli/commands.h"

namespace topoc::cli {

void RegisterDump(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("dump", "(not implemented yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "topoc: 'dump' is not implemented yet\n");
    exit_code = 2;
  });
}

}  // namespace topoc::cli
