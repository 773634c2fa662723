// `topoc build [PROJECT_DIR | FILE] [--target T ...] [--storm-version V]
//              [--out DIR] [--name TOPOLOGY] [--opt key=value ...]
//              [--stdlib DIR ...] [--python PATH] [--check] [--format text|json]`
//
// Compiles the .topo files, runs each requested backend into memory and
// writes the files under --out (default <project>/_build) only when neither
// the checker nor any backend reported an error. Exit codes: 0 ok, 1 errors
// in the input (diagnostics), 2 usage or I/O.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "backends/backend.h"
#include "backends/clojure/clojure_backend.h"
#include "backends/dot/dot_backend.h"
#include "backends/flux/flux_backend.h"
#include "backends/json/json_backend.h"
#include "backends/storm_launch.h"
#include "backends/thrift/thrift_backend.h"
#include "cli/build_input.h"
#include "cli/check_common.h"
#include "cli/commands.h"
#include "cli/storm_version_option.h"
#include "compiler/driver/project.h"
#include "deploy/jar.h"

namespace topoc::cli {

namespace fs = std::filesystem;

std::optional<BuildInput> ResolveBuildInput(const std::string& cmd, const std::string& path,
                                            int* exit_code) {
  if (exit_code) *exit_code = 2;
  std::error_code ec;
  fs::path p = path.empty() ? fs::path(".") : fs::path(path);
  if (!fs::exists(p, ec)) {
    fmt::print(stderr, "topoc {}: '{}' does not exist\n", cmd, p.string());
    return std::nullopt;
  }
  BuildInput input;
  if (fs::is_directory(p, ec)) {
    auto project = driver::FindProject(fs::absolute(p, ec));
    if (!project) {
      fmt::print(stderr,
                 "topoc {}: no topoc project at '{}' (no config.json or topologies/ folder "
                 "here or above); pass a .topo file or run `topoc quickstart NAME`\n",
                 cmd, p.string());
      return std::nullopt;
    }
    if (!project->config_error.empty()) {
      fmt::print(stderr, "topoc {}: error: {}\n", cmd, project->config_error);
      if (exit_code) *exit_code = 1;
      return std::nullopt;
    }
    if (project->topo_files.empty()) {
      fmt::print(stderr, "topoc {}: no .topo files in '{}'\n", cmd, project->topologies_dir.string());
      return std::nullopt;
    }
    input.topo_files = project->topo_files;
    input.project_root = project->root;
    input.default_out = project->root / "_build";
    return input;
  }
  input.topo_files = {p};
  fs::path dir = fs::absolute(p, ec).parent_path();
  if (auto project = driver::FindProject(dir)) {
    input.project_root = project->root;
    input.default_out = project->root / "_build";
  } else {
    input.default_out = dir / "_build";
  }
  return input;
}

void CompileInput(const BuildInput& input, const std::vector<std::string>& stdlib_dirs,
                  driver::Compilation& compilation) {
  driver::CompileOptions options;
  options.inputs = input.topo_files;
  for (const auto& d : stdlib_dirs) options.stdlib_dirs.emplace_back(d);
  if (input.project_root) options.python_src = *input.project_root / "src";
  options.disable_free = true;  // build, graph and submit exit soon after
  driver::Compile(options, compilation);
}

void PrintDiagnostics(const driver::Compilation& compilation, const std::string& format) {
  RenderDiagnostics(compilation, format);  // exactly as `topoc check` prints them
}

namespace {

struct BuildArgs {
  std::string path;
  std::vector<std::string> targets;
  std::string storm_version{backends::kDefaultStormVersionName};
  std::string out;
  std::string name;
  std::vector<std::string> opts;
  std::vector<std::string> stdlib_dirs;
  std::string python = "python3";
  bool check_only = false;
  std::string format = "text";
};

std::unique_ptr<backends::Backend> MakeBackend(const std::string& name) {
  if (name == "thrift") return std::make_unique<backends::thrift::ThriftBackend>();
  if (name == "clojure") return std::make_unique<backends::clojure::ClojureBackend>();
  if (name == "flux") return std::make_unique<backends::flux::FluxBackend>();
  if (name == "dot") return std::make_unique<backends::dot::DotBackend>();
  if (name == "json") return std::make_unique<backends::json::JsonBackend>();
  return nullptr;
}

constexpr const char* kAllTargets[] = {"thrift", "clojure", "flux", "dot", "json"};

enum class Existing { kNone, kSame, kDifferent };

// What `path` holds now compared with `text`: nothing, the same bytes, or
// something else (a folder or an unreadable file counts as different; the
// write then reports the problem).
Existing Compare(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Existing::kNone : Existing::kDifferent;
  struct stat st;
  bool same = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<uint64_t>(st.st_size) == text.size();
  if (same) {
    std::string have(text.size(), '\0');
    size_t got = 0;
    while (got < have.size()) {
      ssize_t n = ::read(fd, have.data() + got, have.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    same = got == have.size() && have == text;
  }
  ::close(fd);
  return same ? Existing::kSame : Existing::kDifferent;
}

// Writes `text` to `path` through a descriptor opened with `flags`.
bool WriteAll(const fs::path& path, int flags, const std::string& text, std::string* error) {
  int fd = ::open(path.c_str(), flags | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = std::strerror(n < 0 ? errno : EIO);
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    *error = std::strerror(errno);
    return false;
  }
  return true;
}

// One build's writes as a transaction. Every changed or new file is first
// written whole to a temporary name beside it (".NAME.topoc-tmp-PID"); only
// when all of them are written are they renamed to their final names, an
// old file being kept under a hard link until the end. On any error the
// build undoes itself: temporary files and files it created are removed,
// files it replaced get their old contents back (the hard link renamed
// back), and folders it created are removed again.
class OutputTransaction {
 public:
  ~OutputTransaction() {
    if (!committed_) Rollback();
  }

  // Creates the folders above `path` that are missing, remembering them.
  bool MakeParents(const fs::path& dir, std::string* error) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
      missing.push_back(p);
      if (p == p.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
      if (!fs::create_directory(*it, ec) && ec) {
        *error = fmt::format("cannot create '{}': {}", it->string(), ec.message());
        return false;
      }
      created_dirs_.push_back(*it);
    }
    return true;
  }

  // Writes `text` to a temporary file for `path`.
  bool Stage(const fs::path& path, const std::string& text, std::string* error) {
    fs::path tmp = path.parent_path() / fmt::format(".{}.topoc-tmp-{}", path.filename().string(), ::getpid());
    std::string why;
    staged_.push_back(Staged{tmp, path, {}, false, false});
    if (!WriteAll(tmp, O_CREAT | O_TRUNC, text, &why)) {
      *error = fmt::format("cannot write '{}': {}", path.string(), why);
      return false;
    }
    return true;
  }

  // Renames every staged file to its final name.
  bool Commit(std::string* error) {
    for (Staged& s : staged_) {
      std::error_code ec;
      if (fs::exists(s.path, ec)) {
        s.backup = s.tmp;
        s.backup += ".old";
        if (::link(s.path.c_str(), s.backup.c_str()) != 0) s.backup.clear();
      }
      s.existed = fs::exists(s.path, ec);
      fs::rename(s.tmp, s.path, ec);
      if (ec) {
        *error = fmt::format("cannot write '{}': {}", s.path.string(), ec.message());
        return false;
      }
      s.renamed = true;
    }
    for (Staged& s : staged_) {
      std::error_code ec;
      if (!s.backup.empty()) fs::remove(s.backup, ec);
    }
    committed_ = true;
    return true;
  }

 private:
  struct Staged {
    fs::path tmp, path, backup;
    bool existed = false, renamed = false;
  };

  void Rollback() {
    std::error_code ec;
    for (auto it = staged_.rbegin(); it != staged_.rend(); ++it) {
      if (!it->renamed) {
        fs::remove(it->tmp, ec);
      } else if (!it->backup.empty()) {
        fs::rename(it->backup, it->path, ec);
      } else if (!it->existed) {
        fs::remove(it->path, ec);
      }
      if (!it->backup.empty()) fs::remove(it->backup, ec);
    }
    for (auto it = created_dirs_.rbegin(); it != created_dirs_.rend(); ++it) {
      fs::remove(*it, ec);  // only if empty: never anything this build did not write
    }
  }

  std::vector<Staged> staged_;
  std::vector<fs::path> created_dirs_;
  bool committed_ = false;
};

// Writes every file whose contents changed, as one transaction
// (OutputTransaction): a reader never sees half a file, and a failed build
// (a full disk, a read-only folder) leaves the output folder as it was. An
// output already holding the same bytes is left alone (its mtime too, so
// make, lein or a file watcher downstream sees no change). Returns false
// (after printing why) on an I/O error. `unchanged` counts the files left
// alone.
bool WriteFiles(const fs::path& out_dir, const std::map<std::string, std::string>& files,
                size_t* unchanged) {
  OutputTransaction transaction;
  std::map<fs::path, bool> folders;  // known to exist -> created by this build (so empty)
  *unchanged = 0;
  std::string error;
  for (const auto& [rel, text] : files) {
    fs::path path = out_dir / rel;
    auto [folder, first] = folders.emplace(path.parent_path(), false);
    if (first) {
      std::error_code ec;
      folder->second = !fs::exists(path.parent_path(), ec);
      if (!transaction.MakeParents(path.parent_path(), &error)) break;
    }
    // In a folder this build created there is nothing to compare with.
    Existing existing = folder->second ? Existing::kNone : Compare(path, text);
    if (existing == Existing::kSame) {
      ++*unchanged;
      continue;
    }
    if (!transaction.Stage(path, text, &error)) break;
  }
  if (error.empty()) transaction.Commit(&error);
  if (!error.empty()) {
    fmt::print(stderr, "topoc build: {}; nothing written\n", error);
    return false;
  }
  return true;
}

// The clojure target is a Leiningen project whose _resources/resources/ is
// the jar's resources/ folder. Fill it as `topoc submit` fills its jar's
// (deploy/jar.h): the project's src/ tree and the streamparse runtime,
// beside the launchers the backend wrote, so `lein jar` there makes a
// complete topology jar. `added` counts the files copied. Returns false
// (after printing why) when src/ or the runtime cannot be read.
bool AddLeinResources(const fs::path& project_root, std::map<std::string, std::string>& files,
                      size_t* added) {
  *added = 0;
  deploy::JarInputs inputs;
  inputs.project_root = project_root;
  inputs.src_dir = project_root / "src";
  inputs.python_runtime_dir = driver::BuiltinPythonRuntimeDir();
  deploy::JarContents contents;
  deploy::JarReport report;
  std::string error;
  if (!deploy::CollectJarContents(inputs, &contents, &report, &error)) {
    fmt::print(stderr, "topoc build: {}\n", error);
    return false;
  }
  for (const auto& w : report.warnings) fmt::print(stderr, "topoc build: warning: {}\n", w);
  for (auto& [name, source] : contents.entries) {
    if (name.rfind(backends::ResourcePath(""), 0) != 0) continue;  // the manifest is lein's to write
    std::string path = std::string(backends::clojure::kLeinResourcesDir) + "/" + name;
    if (files.count(path)) continue;  // generated by the backend
    if (auto* text = std::get_if<std::string>(&source)) {
      files[path] = std::move(*text);
      ++*added;
      continue;
    }
    const fs::path& from = std::get<fs::path>(source);
    std::ifstream in(from, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
      fmt::print(stderr, "topoc build: cannot read '{}'\n", from.string());
      return false;
    }
    files[path] = std::move(bytes);
    ++*added;
  }
  return true;
}

int RunBuild(const BuildArgs& args) {
  backends::BackendOptions options;
  options.storm_version = backends::ParseStormVersion(args.storm_version).value_or(backends::kDefaultStormVersion);
  options.topology_name = args.name;
  options.python_interpreter = args.python;
  for (const auto& opt : args.opts) {
    auto eq = opt.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "topoc build: --opt '{}' is not of the form key=value\n", opt);
      return 2;
    }
    options.extra[opt.substr(0, eq)] = opt.substr(eq + 1);
  }

  std::vector<std::string> targets;
  for (const auto& t : args.targets.empty() ? std::vector<std::string>{"thrift"} : args.targets) {
    if (t == "all") {
      for (const char* a : kAllTargets) targets.emplace_back(a);
    } else {
      targets.push_back(t);
    }
  }
  // Keep first occurrences, in the order given.
  std::vector<std::string> unique;
  for (const auto& t : targets) {
    if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
  }

  if (args.check_only) {
    // Same checks, output and exit codes as `topoc check`.
    CheckArgs check;
    if (!args.path.empty()) check.paths = {args.path};
    check.format = args.format;
    check.stdlib_dirs = args.stdlib_dirs;
    return RunCheck(check);
  }

  int resolve_code = 2;
  auto input = ResolveBuildInput("build", args.path, &resolve_code);
  if (!input) return resolve_code;
  driver::Compilation compilation;
  CompileInput(*input, args.stdlib_dirs, compilation);
  if (compilation.diags.HadErrors()) {
    PrintDiagnostics(compilation, args.format);
    return compilation.ExitCode();
  }

  // Every backend runs (so one build reports all problems); files are kept
  // in memory and written only if all of them succeeded.
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> owner;  // path -> backend, to catch clashes
  std::vector<std::pair<std::string, size_t>> counts;
  bool ok = true;
  for (const auto& t : unique) {
    auto backend = MakeBackend(t);
    backends::MemorySink sink;
    if (!backend->Generate(*compilation.program, options, sink, compilation.diags)) {
      ok = false;
      continue;
    }
    auto generated = sink.Files();
    counts.emplace_back(t, generated.size());
    for (auto& [path, text] : generated) {
      auto [it, inserted] = owner.emplace(path, t);
      if (!inserted && files[path] != text) {
        fmt::print(stderr, "topoc build: targets '{}' and '{}' both write '{}' differently\n",
                   it->second, t, path);
        return 2;
      }
      files[path] = std::move(text);
    }
  }
  PrintDiagnostics(compilation, args.format);
  if (!ok || compilation.diags.HadErrors()) return 1;
  size_t resources = 0;
  if (std::find(unique.begin(), unique.end(), "clojure") != unique.end() && input->project_root &&
      !AddLeinResources(*input->project_root, files, &resources)) {
    return 2;
  }

  fs::path out_dir = args.out.empty() ? input->default_out : fs::path(args.out);
  size_t unchanged = 0;
  if (!WriteFiles(out_dir, files, &unchanged)) return 2;
  std::string summary;
  for (const auto& [t, n] : counts) {
    summary += fmt::format("{}{} ({} file{})", summary.empty() ? "" : ", ", t, n, n == 1 ? "" : "s");
  }
  if (resources > 0) {
    summary += fmt::format(", and {} file{} of src/ and the runtime for lein", resources, resources == 1 ? "" : "s");
  }
  std::string up_to_date =
      unchanged > 0 ? fmt::format(" ({} of {} already up to date)", unchanged, files.size()) : "";
  fmt::print(stderr, "topoc build: wrote {} to {}{}\n", summary, out_dir.string(), up_to_date);
  return 0;
}

}  // namespace

void RegisterBuild(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BuildArgs>();
  auto* cmd = app.add_subcommand(
      "build", "Check .topo files and generate Storm artifacts (default: Thrift for Storm 2.x)");
  cmd->add_option("path", args->path, "Project folder or .topo file (default: .)");
  cmd->add_option("-t,--target", args->targets,
                  "Backend, repeatable: thrift clojure flux dot json, or all (default thrift)")
      ->check(CLI::IsMember({"thrift", "clojure", "flux", "dot", "json", "all"}))
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->delimiter(',');
  AddStormVersionOption(cmd, &args->storm_version, "Storm line of the cluster");
  cmd->add_option("-o,--out", args->out, "Output folder (default: <project>/_build)");
  cmd->add_option("--name", args->name, "Build only this topology");
  cmd->add_option("--opt", args->opts,
                  "Backend option key=value (repeatable; prefix with the target to scope it, "
                  "e.g. clojure.dialect=streamparse)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--stdlib", args->stdlib_dirs, "Extra import search folder (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--python", args->python,
                  "Python interpreter Storm starts for python components (default python3)");
  cmd->add_flag("--check", args->check_only, "Only check, like `topoc check`; write nothing");
  cmd->add_option("--format", args->format, "Diagnostics format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &exit_code] { exit_code = RunBuild(*args); });
}

}  // namespace topoc::cli
