// `topoc quickstart NAME [--dir PARENT]`: creates PARENT/NAME, a new project
// holding the wordcount topology named NAME (files: cli/quickstart_files.h).
// Exit codes: 0 created; 2 bad name, existing target, missing parent or I/O
// error. Never overwrites anything: the target folder must not exist.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <system_error>

#include "cli/commands.h"
#include "cli/quickstart_files.h"

namespace topoc::cli {
namespace {

namespace fs = std::filesystem;

struct QuickstartOptions {
  std::string name;
  std::string parent = ".";
};

int RunQuickstart(const QuickstartOptions& options) {
  if (auto reason = InvalidProjectNameReason(options.name)) {
    std::fprintf(stderr, "topoc quickstart: '%s' is not a valid project name: %s\n",
                 options.name.c_str(), reason->c_str());
    return 2;
  }
  fs::path parent(options.parent);
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) {
    std::fprintf(stderr, "topoc quickstart: --dir '%s' is not an existing folder\n",
                 options.parent.c_str());
    return 2;
  }
  fs::path root = parent / options.name;
  // What the user sees: "wordcount/..." when creating in the current folder.
  std::string shown = options.parent == "." ? options.name : root.generic_string();
  if (fs::symlink_status(root, ec).type() != fs::file_type::not_found) {
    std::fprintf(stderr,
                 "topoc quickstart: '%s' already exists; refusing to overwrite it "
                 "(choose another name or remove it first)\n",
                 shown.c_str());
    return 2;
  }
  // create_directory is atomic: a folder that appeared meanwhile is refused.
  if (!fs::create_directory(root, ec) || ec) {
    std::fprintf(stderr, "topoc quickstart: cannot create '%s': %s\n", shown.c_str(),
                 ec ? ec.message().c_str() : "it already exists");
    return 2;
  }

  std::printf("Creating your %s topoc project...\n", options.name.c_str());
  std::printf("    create    %s\n", shown.c_str());
  std::set<std::string> made_dirs;
  for (const QuickstartFile& file : RenderQuickstartFiles(options.name)) {
    // Create and announce each parent folder once, outermost first.
    std::string rel_dir = fs::path(file.path).parent_path().generic_string();
    std::string prefix;
    size_t start = 0;
    while (!rel_dir.empty() && start <= rel_dir.size()) {
      size_t slash = rel_dir.find('/', start);
      if (slash == std::string::npos) slash = rel_dir.size();
      prefix = rel_dir.substr(0, slash);
      if (made_dirs.insert(prefix).second) {
        fs::create_directory(root / prefix, ec);
        if (ec) {
          std::fprintf(stderr, "topoc quickstart: cannot create '%s/%s': %s\n", shown.c_str(),
                       prefix.c_str(), ec.message().c_str());
          return 2;
        }
        std::printf("    create    %s/%s/\n", shown.c_str(), prefix.c_str());
      }
      start = slash + 1;
    }
    fs::path target = root / file.path;
    std::ofstream out(target, std::ios::binary);
    out << file.contents;
    out.close();
    if (!out) {
      std::fprintf(stderr, "topoc quickstart: cannot write '%s/%s'\n", shown.c_str(),
                   file.path.c_str());
      return 2;
    }
    std::printf("    create    %s/%s\n", shown.c_str(), file.path.c_str());
  }
  std::printf("Done.\n\nTry running your topology locally with:\n\n    cd %s && topoc run\n",
              shown.c_str());
  return 0;
}

}  // namespace

void RegisterQuickstart(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<QuickstartOptions>();
  auto* cmd = app.add_subcommand(
      "quickstart", "Create a new project NAME/ holding a wordcount topology named NAME");
  cmd->add_option("NAME", options->name,
                  "Project and topology name: a letter or '_', then letters, digits, '_', '-'")
      ->required();
  cmd->add_option("--dir", options->parent, "Folder to create the project in (default: .)")
      ->option_text("PARENT");
  cmd->callback([options, &exit_code] { exit_code = RunQuickstart(*options); });
}

}  // namespace topoc::cli
