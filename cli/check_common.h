// `topoc check` as a function, so other subcommands (`topoc build --check`)
// can run exactly the same checks and print exactly the same output.
// Defined in cmd_check.cc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/compilation.h"

namespace topoc::cli {

struct CheckArgs {
  // .topo files and/or project folders. Empty: the project found from the
  // current directory (every topologies/*.topo).
  std::vector<std::string> paths;
  std::string format = "text";  // "text" | "json"
  // Read the (first) source from stdin and show it under this name.
  std::optional<std::string> stdin_filename;
  std::vector<std::string> stdlib_dirs;  // --stdlib DIR, in order
  bool werror = false;                   // warnings fail the check
};

// Runs the check and prints the diagnostics (text: stderr, colour on a
// tty, then a summary; json: stdout, one object per line). Returns the
// exit code: 0 clean (warnings allowed unless werror), 1 errors, 2 usage
// or I/O problems (bad --format, missing file, no project found).
int RunCheck(const CheckArgs& args);

// Prints the diagnostics of `compilation` the way RunCheck does.
void RenderDiagnostics(const driver::Compilation& compilation, const std::string& format);

}  // namespace topoc::cli
