// topoc explain CODE   — print the long explanation of a diagnostic code
// topoc explain --list — list every code with its message
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/diag/explanations.h"

namespace topoc::cli {

void RegisterExplain(CLI::App& app, int& exit_code) {
  auto code = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("explain", "Explain a diagnostic code (e.g. topoc explain E0201)");
  cmd->add_option("code", *code, "Diagnostic code, e.g. E0201");
  cmd->add_flag("--list", *list, "List every code");
  cmd->callback([code, list, &exit_code] {
    if (*list) {
      for (const diag::Explanation& e : diag::AllExplanations()) {
        const diag::DiagInfo* info = diag::FindDiagInfo(e.code);
        std::cout << e.code << "  " << (info ? info->format : std::string_view("(backend)")) << "\n";
      }
      exit_code = 0;
      return;
    }
    if (code->empty()) {
      std::fprintf(stderr, "topoc explain: give a code, e.g. `topoc explain E0201` (or --list)\n");
      exit_code = 2;
      return;
    }
    auto text = diag::FindExplanation(*code);
    if (!text) {
      std::fprintf(stderr, "topoc explain: unknown diagnostic code '%s' (see `topoc explain --list`)\n",
                   code->c_str());
      exit_code = 2;
      return;
    }
    std::cout << *text;
    if (!text->empty() && text->back() != '\n') std::cout << "\n";
    exit_code = 0;
  });
}

}  // namespace topoc::cli
