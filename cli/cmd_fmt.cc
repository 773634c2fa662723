// topoc fmt [FILES | DIRS] [--check] [--stdout]
//   Rewrites .topo files in the canonical layout (compiler/format/format.h).
//   No paths: the project's topologies/. A folder: every .topo under it.
//   `-` reads standard input and prints the result. --check changes nothing,
//   lists the files that would change and exits 1 if any would.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/check_common.h"
#include "cli/commands.h"
#include "compiler/driver/module_loader.h"
#include "compiler/driver/project.h"
#include "compiler/format/format.h"

namespace topoc::cli {

namespace fs = std::filesystem;

namespace {

struct FmtArgs {
  std::vector<std::string> paths;
  bool check = false;
  bool to_stdout = false;
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "topoc fmt: %s\n", message.c_str());
  return 2;
}

// Every .topo file under `dir`, sorted (hidden folders and build outputs skipped).
std::vector<fs::path> TopoFilesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (!name.empty() && (name[0] == '.' || name == "_build")) it.disable_recursion_pending();
      continue;
    }
    if (it->path().extension() == ".topo" && it->is_regular_file(ec)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

int RunFmt(const FmtArgs& args) {
  if (args.check && args.to_stdout) return Usage("--check and --stdout do not go together");
  std::vector<fs::path> files;
  bool use_stdin = false;
  std::error_code ec;
  if (args.paths.empty()) {
    fs::path cwd = fs::current_path(ec);
    auto project = driver::FindProject(cwd);
    if (!project) {
      return Usage("no project found (no config.json or topologies/ in " + cwd.string() +
                   " or above); give .topo files or folders");
    }
    files = project->topo_files;
  }
  for (const std::string& p : args.paths) {
    if (p == "-") {
      use_stdin = true;
    } else if (fs::is_directory(p, ec)) {
      for (auto& f : TopoFilesUnder(p)) files.push_back(f);
    } else if (fs::exists(p, ec)) {
      files.emplace_back(p);
    } else {
      return Usage("no such file or folder: '" + p + "'");
    }
  }
  if (use_stdin && !files.empty()) return Usage("'-' (standard input) cannot be mixed with files");

  driver::Compilation compilation;  // holds the sources for diagnostics
  int rc = 0;
  auto format_one = [&](const std::string& display, std::string contents, const fs::path* path) {
    FileId id = compilation.sources.AddFile(display, std::move(contents));
    std::optional<std::string> out = format::FormatFile(compilation.sources, id, compilation.diags);
    if (!out) {
      rc = std::max(rc, 1);
      return;
    }
    std::string_view before = compilation.sources.Contents(id);
    if (path == nullptr || args.to_stdout) {
      std::cout << *out;
      return;
    }
    if (*out == before) return;
    if (args.check) {
      std::cout << display << "\n";
      rc = std::max(rc, 1);
      return;
    }
    // Written next to the file, then renamed over it: never half a file.
    fs::path tmp = *path;
    tmp += ".topoc-fmt.tmp";
    {
      std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
      o << *out;
      if (!o.flush()) {
        std::fprintf(stderr, "topoc fmt: cannot write %s\n", tmp.string().c_str());
        fs::remove(tmp, ec);
        rc = 2;
        return;
      }
    }
    fs::permissions(tmp, fs::status(*path, ec).permissions(), ec);
    fs::rename(tmp, *path, ec);
    if (ec) {
      std::fprintf(stderr, "topoc fmt: cannot replace %s: %s\n", path->string().c_str(), ec.message().c_str());
      fs::remove(tmp, ec);
      rc = 2;
    }
  };
  if (use_stdin) {
    std::string contents(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>{});
    format_one("<stdin>", std::move(contents), nullptr);
  }
  for (const fs::path& f : files) {
    std::string contents, error;
    uintmax_t too_large = 0;
    if (!driver::ReadSourceFile(f, &contents, &error, &too_large)) {
      std::fprintf(stderr, "topoc fmt: cannot read %s: %s\n", f.string().c_str(), error.c_str());
      rc = 2;
      continue;
    }
    format_one(f.string(), std::move(contents), &f);
  }
  if (!compilation.diags.diagnostics().empty()) RenderDiagnostics(compilation, "text");
  return rc;
}

}  // namespace

void RegisterFmt(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FmtArgs>();
  auto* cmd = app.add_subcommand(
      "fmt", "Rewrite .topo files in the canonical layout (default: the project's topologies/)");
  cmd->add_option("paths", args->paths, ".topo files or folders (every .topo under them); - for standard input");
  cmd->add_flag("--check", args->check, "Change nothing; list the files that would change and exit 1 if any");
  cmd->add_flag("--stdout", args->to_stdout, "Print the formatted text instead of rewriting the files");
  cmd->callback([args, &exit_code] { exit_code = RunFmt(*args); });
}

}  // namespace topoc::cli
