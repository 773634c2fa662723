// What `topoc build` and `topoc graph` share (both defined in cmd_build.cc):
// turning the PROJECT_DIR | FILE argument into .topo inputs, compiling them
// and printing diagnostics the way `topoc check` does.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/compilation.h"

namespace topoc::cli {

struct BuildInput {
  std::vector<std::filesystem::path> topo_files;
  // Project root (folder of config.json / topologies/), when one was found.
  std::optional<std::filesystem::path> project_root;
  // Default output folder: <project root>/_build, else <file's dir>/_build.
  std::filesystem::path default_out;
};

// Resolves `path` (a .topo file or a folder inside a project). On failure
// prints "topoc <cmd>: ..." to stderr and returns nullopt; `*exit_code`
// (when given) is then 1 for a broken config.json (the input is wrong),
// else 2 (usage: no such path, no project, no .topo files).
std::optional<BuildInput> ResolveBuildInput(const std::string& cmd, const std::string& path,
                                            int* exit_code = nullptr);

// Compiles the inputs (stdlib_dirs as --stdlib; python classes checked
// against <project>/src when there is a project).
void CompileInput(const BuildInput& input, const std::vector<std::string>& stdlib_dirs,
                  driver::Compilation& compilation);

// Prints every diagnostic of `compilation.diags` exactly as `topoc check`
// does (cli/check_common.h): text to stderr with a summary, or, for format
// "json", one JSON object per line to stdout.
void PrintDiagnostics(const driver::Compilation& compilation, const std::string& format);

}  // namespace topoc::cli
