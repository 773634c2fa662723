// topoc check [FILES | PROJECT_DIR] [--format text|json] [--stdin-filename NAME]
//             [--stdlib DIR]... [--werror]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "cli/check_common.h"
#include "cli/commands.h"
#include "compiler/diag/renderer.h"
#include "compiler/driver/project.h"

namespace topoc::cli {

namespace fs = std::filesystem;

namespace {

bool UseColour() {
  if (std::getenv("NO_COLOR")) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return ::isatty(STDERR_FILENO) != 0;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "topoc check: %s\n", message.c_str());
  return 2;
}

// A project whose config.json is broken: the input is wrong (exit 1).
int ConfigError(const std::string& message) {
  std::fprintf(stderr, "topoc check: error: %s\n", message.c_str());
  return 1;
}

}  // namespace

void RenderDiagnostics(const driver::Compilation& compilation, const std::string& format) {
  if (format == "json") {
    diag::JsonRenderer renderer(compilation.sources);
    renderer.RenderAll(compilation.diags, std::cout);
    std::cout.flush();
  } else {
    diag::TextRenderer renderer(compilation.sources, UseColour());
    renderer.RenderAll(compilation.diags, std::cerr);
    std::cerr.flush();
  }
}

int RunCheck(const CheckArgs& args) {
  if (args.format != "text" && args.format != "json") {
    return Usage("--format must be 'text' or 'json', not '" + args.format + "'");
  }
  driver::CompileOptions options;
  for (const std::string& d : args.stdlib_dirs) options.stdlib_dirs.emplace_back(d);
  std::optional<driver::Project> project;
  std::error_code ec;
  if (args.stdin_filename) {
    options.stdin_filename = args.stdin_filename;
    options.inputs.emplace_back(*args.stdin_filename);
    fs::path dir = fs::path(*args.stdin_filename).parent_path();
    project = driver::FindProject(dir.empty() ? fs::current_path(ec) : dir);
  }
  if (args.paths.empty() && !args.stdin_filename) {
    fs::path cwd = fs::current_path(ec);
    project = driver::FindProject(cwd);
    if (!project) {
      return Usage("no project found (no config.json or topologies/ in " + cwd.string() +
                   " or above); give .topo files or a project folder");
    }
    if (!project->config_error.empty()) return ConfigError(project->config_error);
    if (project->topo_files.empty()) {
      return Usage("no .topo files in " + project->topologies_dir.string());
    }
    options.inputs = project->topo_files;
  }
  for (const std::string& p : args.paths) {
    fs::path path(p);
    if (fs::is_directory(path, ec)) {
      auto found = driver::FindProject(path);
      if (!found) return Usage("'" + p + "' is not inside a project (no config.json or topologies/)");
      if (!found->config_error.empty()) return ConfigError(found->config_error);
      if (found->topo_files.empty()) {
        return Usage("no .topo files in " + found->topologies_dir.string());
      }
      for (const auto& f : found->topo_files) options.inputs.push_back(f);
      if (!project) project = found;
    } else if (fs::exists(path, ec)) {
      options.inputs.push_back(path);
      if (!project) {
        fs::path dir = path.parent_path();
        project = driver::FindProject(dir.empty() ? fs::path(".") : dir);
      }
    } else {
      return Usage("no such file or folder: '" + p + "'");
    }
  }
  if (project && fs::is_directory(project->src_dir(), ec)) options.python_src = project->src_dir();

  options.disable_free = true;  // we exit right after: skip freeing the trees
  driver::Compilation compilation;
  compilation.diags.set_werror(args.werror);
  driver::Compile(options, compilation);
  RenderDiagnostics(compilation, args.format);
  return compilation.ExitCode();
}

void RegisterCheck(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand(
      "check", "Check .topo files (default: the project's topologies/) and report diagnostics");
  cmd->add_option("paths", args->paths, ".topo files or a project folder");
  cmd->add_option("--format", args->format, "Output format: text (stderr) or json (stdout, one object per line)");
  cmd->add_option("--stdin-filename", args->stdin_filename,
                  "Read the source from standard input and report it under this file name");
  cmd->add_option("--stdlib", args->stdlib_dirs, "Extra import search folder (repeatable)")
      ->allow_extra_args(false);  // one folder per --stdlib, so FILES may follow
  cmd->add_flag("--werror", args->werror, "Treat warnings as errors");
  cmd->callback([args, &exit_code] { exit_code = RunCheck(*args); });
}

}  // namespace topoc::cli
