// topoc lsp — the language server on stdin/stdout (lsp/server.h,
// docs/editors.md).
#include <iostream>

#include "cli/commands.h"
#include "lsp/server.h"

namespace topoc::cli {

void RegisterLsp(CLI::App& app, int& exit_code) {
  auto stdio = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("lsp", "Run the .topo language server (LSP over standard input and output)");
  // Editors' launchers often pass --stdio; it is the only transport.
  cmd->add_flag("--stdio", *stdio, "Talk over standard input and output (the default and only transport)");
  cmd->callback([&exit_code] {
    std::ios::sync_with_stdio(false);
    exit_code = lsp::RunServer(std::cin, std::cout);
  });
}

}  // namespace topoc::cli
