// `topoc graph [PROJECT_DIR | FILE] [--format dot|svg|png] [-o FILE]
//              [-n|--name TOPOLOGY] [--stdlib DIR ...]` (also `topoc visualize`)
//
// Draws a topology: DOT text from backends/dot, rendered to SVG or PNG by
// Graphviz's `dot` when asked (and when installed; otherwise the message
// says how to install it). Without -o, DOT and SVG go to stdout; PNG goes to
// <topology>.png when stdout is a terminal. Exit codes: 0 ok, 1 errors in
// the input, 2 usage / I/O / missing Graphviz.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "backends/dot/dot_backend.h"
#include "cli/build_input.h"
#include "cli/commands.h"
#include "support/process.h"

namespace topoc::cli {

namespace {

namespace fs = std::filesystem;

struct GraphArgs {
  std::string path;
  std::string format = "dot";
  std::string out;
  std::string name;
  std::vector<std::string> stdlib_dirs;
};

// The `dot` executable on PATH ($TOPOC_DOT overrides, for tests), or "".
std::string FindDot() {
  if (const char* env = std::getenv("TOPOC_DOT")) return env;
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::string_view rest(path);
  while (true) {
    auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (dir.empty()) dir = ".";
    fs::path candidate = fs::path(dir) / "dot";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return "";
}

// Runs `dot -T<format> -o <out>` with `text` on stdin. Returns its exit status.
int RunDot(const std::string& dot, const std::string& format, const std::string& text,
           const std::string& out) {
  std::vector<std::string> argv = {dot, "-T" + format};
  if (!out.empty()) argv.insert(argv.end(), {"-o", out});
  support::RunOptions options;
  options.stdin_data = text;
  options.capture = false;
  support::ProcessResult r = support::RunProcess(argv, options);
  if (!r.started) return 127;
  // The reader of our stdout went away (`topoc graph -f svg | head`): not an error.
  if (WIFSIGNALED(r.wait_status) && WTERMSIG(r.wait_status) == SIGPIPE) return 0;
  return WIFEXITED(r.wait_status) ? WEXITSTATUS(r.wait_status) : -1;
}

int RunGraph(const GraphArgs& args) {
  int resolve_code = 2;
  auto input = ResolveBuildInput("graph", args.path, &resolve_code);
  if (!input) return resolve_code;
  driver::Compilation compilation;
  CompileInput(*input, args.stdlib_dirs, compilation);
  PrintDiagnostics(compilation, "text");
  if (compilation.diags.HadErrors()) return compilation.ExitCode();

  const ir::Topology* topology = nullptr;
  const auto& all = compilation.program->topologies;
  if (!args.name.empty()) {
    topology = compilation.program->FindTopology(args.name);
    if (!topology) {
      std::string names;
      for (const auto& t : all) names += (names.empty() ? "" : ", ") + t->name;
      fmt::print(stderr, "topoc graph: no topology named '{}' (there is: {})\n", args.name, names);
      return 2;
    }
  } else if (all.size() == 1) {
    topology = all[0].get();
  } else {
    std::string names;
    for (const auto& t : all) names += (names.empty() ? "" : ", ") + t->name;
    fmt::print(stderr, "topoc graph: the input has {} topologies ({}); choose one with --name\n",
               all.size(), names);
    return 2;
  }

  std::string text = backends::dot::WriteDot(*topology);
  if (args.format == "dot") {
    if (args.out.empty()) {
      std::cout << text;
      return 0;
    }
    std::ofstream f(args.out, std::ios::binary);
    f << text;
    if (!f.flush()) {
      fmt::print(stderr, "topoc graph: cannot write '{}'\n", args.out);
      return 2;
    }
    return 0;
  }

  std::string dot = FindDot();
  if (dot.empty()) {
    fmt::print(stderr,
               "topoc graph: --format {} needs Graphviz's `dot`, which is not installed.\n"
               "  install it with: sudo apt-get install graphviz   (macOS: brew install graphviz)\n"
               "  or write DOT text instead: topoc graph --format dot\n",
               args.format);
    return 2;
  }
  std::string out = args.out;
  if (out.empty() && args.format == "png" && isatty(STDOUT_FILENO)) {
    out = topology->name + ".png";
  }
  std::cout.flush();
  int rc = RunDot(dot, args.format, text, out);
  if (rc != 0) {
    fmt::print(stderr, "topoc graph: `{} -T{}` failed (exit status {})\n", dot, args.format, rc);
    return 2;
  }
  if (!out.empty() && args.out.empty()) fmt::print(stderr, "topoc graph: wrote {}\n", out);
  return 0;
}

}  // namespace

void RegisterGraph(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<GraphArgs>();
  auto* cmd = app.add_subcommand("graph", "Draw a topology (DOT, or SVG/PNG through Graphviz)");
  cmd->alias("visualize");  // sparse's name
  cmd->add_option("path", args->path, "Project folder or .topo file (default: .)");
  cmd->add_option("-f,--format", args->format, "dot, svg or png (default dot)")
      ->check(CLI::IsMember({"dot", "svg", "png"}));
  cmd->add_option("-o,--out", args->out, "Output file (default: stdout)");
  cmd->add_option("--output-file,--output_file", args->out)->group("");  // sparse visualize's name
  cmd->add_option("-n,--name", args->name, "The topology to draw (needed when there are several)");
  cmd->add_option("--stdlib", args->stdlib_dirs, "Extra import search folder (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->callback([args, &exit_code] { exit_code = RunGraph(*args); });
}

}  // namespace topoc::cli
