// `topoc import [PROJECT_DIR | FILE.clj | FILE.py ...] [--out DIR]
//               [--python PY] [--force]`
//
// Moves a streamparse project's topologies over: each topologies/*.clj
// (the seed's Clojure DSL or Storm's) and topologies/*.py (streamparse
// 3.x/4.x `Topology` classes) becomes one .topo named after the file's
// stem, written the way a person would write it, then checked by the
// compiler. Nothing is written unless every file imports and checks
// cleanly. config.json is read, never rewritten: keys topoc does not use
// are named. Exit codes: 0 ok, 1 errors in the input, 2 usage or I/O.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/check_common.h"
#include "cli/commands.h"
#include "compiler/driver/compilation.h"
#include "compiler/driver/project.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "import/clojure_import.h"
#include "import/python_import.h"
#include "import/topo_writer.h"

namespace topoc::cli {

namespace fs = std::filesystem;

namespace {

struct ImportArgs {
  std::vector<std::string> paths;
  std::string out;
  std::string python;
  bool force = false;
};

int ImportFail(int code, const std::string& message) {
  std::fprintf(stderr, "topoc import: %s\n", message.c_str());
  return code;
}

// One file to import and where its .topo goes.
struct ImportJob {
  fs::path source;   // as given / found (for messages)
  fs::path target;   // <out>/<stem>.topo
  std::optional<fs::path> project_root;
};

bool IsTopologyFile(const fs::path& p) { return p.extension() == ".clj" || p.extension() == ".py"; }

// How the .topo's header names its source: relative to the project's root
// ("topologies/wordcount.clj"), else the file's name, so that the same
// import gives the same bytes from any folder.
std::string Origin(const ImportJob& job) {
  std::error_code ec;
  fs::path abs = fs::absolute(job.source, ec).lexically_normal();
  if (job.project_root) {
    fs::path rel = abs.lexically_relative(fs::absolute(*job.project_root, ec).lexically_normal());
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return abs.filename().string();
}

// `display` relative to the current folder when under it.
std::string ImportDisplay(const fs::path& p) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path abs = fs::absolute(p, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(cwd);
  if (!rel.empty() && *rel.begin() != "..") return rel.string();
  return p.string();
}

// Runs the streamparse recorder on `file`; fills `json` or returns the exit
// code (the recorder already printed why: a traceback or a message).
int RecordPython(const ImportJob& job, const std::string& python, std::string* json) {
  fs::path runtime = driver::BuiltinPythonRuntimeDir();
  if (runtime.empty()) {
    return ImportFail(2, "the streamparse Python runtime was not found (set TOPOC_PYTHON_RUNTIME to the folder "
                   "holding streamparse/)");
  }
  fs::path src = job.project_root ? *job.project_root / "src" : job.source.parent_path() / "src";
  support::TempDir tmp("topoc-import");
  fs::path out = tmp.path() / "topology.json";
  support::RunOptions opts;
  opts.capture = false;
  std::string pythonpath = runtime.string();
  if (const char* old = std::getenv("PYTHONPATH"); old && *old) pythonpath += ":" + std::string(old);
  opts.env["PYTHONPATH"] = pythonpath;
  opts.env["PYTHONDONTWRITEBYTECODE"] = "1";
  opts.timeout = std::chrono::seconds(120);
  // From the project's root, as `sparse` ran it (a module may read files
  // relative to it).
  std::error_code ec;
  if (job.project_root) opts.cwd = *job.project_root;
  support::ProcessResult r = support::RunProcess({python, "-m", "streamparse.dsl.record",
                                                fs::absolute(job.source, ec).string(),
                                                fs::absolute(src, ec).string(), out.string(),
                                                ImportDisplay(job.source)},
                                               opts);
  if (!r.started) return ImportFail(2, fmt::format("cannot run {}: {}", python, r.error));
  if (r.timed_out) return ImportFail(1, fmt::format("{}: the topology module ran for over 120 s", ImportDisplay(job.source)));
  if (r.exit_code != 0) return r.exit_code == 2 ? 2 : 1;
  std::ifstream in(out, std::ios::binary);
  if (!in) return ImportFail(2, fmt::format("{}: the recorder wrote no topology", ImportDisplay(job.source)));
  std::ostringstream text;
  text << in.rdbuf();
  *json = text.str();
  return 0;
}

// streamparse 3.x/4.x config.json keys topoc does not use, with what it does
// instead. Everything else it reads as streamparse does (config/config.h).
const std::map<std::string, std::string>& UnusedKeys() {
  static const std::map<std::string, std::string> kKeys = {
      {"topology_specs", "topologies are always read from topologies/"},
      {"library", "Clojure libraries are not used: topoc builds the jar itself"},
      {"ssh_password", "topoc reaches workers with ssh keys or the ssh agent only; the password is ignored"},
      {"virtualenv_name", "the virtualenv of a topology is always <virtualenv_root>/<topology>"},
      {"file", "the log file name is always streamparse_<topology>_<component>_<task>_<pid>.log under "
               "log.path"},
  };
  return kKeys;
}

constexpr const char* kMsgpackSerializer = "org.apache.storm.multilang.MsgpackSerializer";

// config.json as JSON (null when missing or not a JSON object).
nlohmann::json ReadProjectConfig(const fs::path& root) {
  std::ifstream in(root / "config.json");
  if (!in) return nullptr;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return nullptr;
  return j;
}

// streamparse 3/4's project-wide "serializer": "json" (the default) or
// "msgpack", which topoc sets per topology (topology.multilang.serializer).
bool WantsMsgpack(const fs::path& root) {
  nlohmann::json j = ReadProjectConfig(root);
  return j.is_object() && j.contains("serializer") && j["serializer"] == "msgpack";
}

// Names the config.json keys that mean nothing to topoc (notes, not
// errors: import never rewrites config.json).
void ReviewConfig(const fs::path& root) {
  fs::path file = root / "config.json";
  if (!fs::exists(file)) return;
  nlohmann::json j = ReadProjectConfig(root);
  if (!j.is_object()) {
    std::fprintf(stderr, "topoc import: note: %s is not a JSON object; `topoc submit` will say why\n",
                 ImportDisplay(file).c_str());
    return;
  }
  if (j.contains("serializer")) {
    const auto& v = j["serializer"];
    if (v == "msgpack") {
      std::fprintf(stderr,
                   "topoc import: note: %s: \"serializer\": \"msgpack\" is written as "
                   "topology.multilang.serializer: \"%s\" in each .topo (the components need the "
                   "msgpack module; on a cluster the class must be on the workers' classpath)\n",
                   ImportDisplay(file).c_str(), kMsgpackSerializer);
    } else if (v != "json") {
      std::fprintf(stderr,
                   "topoc import: note: %s: \"serializer\": %s is not supported (topoc has \"json\", "
                   "the default, and \"msgpack\"); the topologies use JSON\n",
                   ImportDisplay(file).c_str(), v.dump().c_str());
    }
  }
  auto note = [&](const std::string& path, const std::string& key) {
    auto it = UnusedKeys().find(key);
    if (it == UnusedKeys().end()) return;
    std::fprintf(stderr, "topoc import: note: %s: \"%s\" is not used by topoc: %s\n", ImportDisplay(file).c_str(),
                 path.c_str(), it->second.c_str());
  };
  auto log = [&](const nlohmann::json& obj, const std::string& prefix) {
    if (obj.contains("log") && obj["log"].is_object()) {
      for (const auto& [k, v] : obj["log"].items()) {
        if (k == "file") note(prefix + "log.file", k);
      }
    }
  };
  for (const auto& [k, v] : j.items()) {
    if (k != "file") note(k, k);
  }
  log(j, "");
  if (j.contains("envs") && j["envs"].is_object()) {
    for (const auto& [name, env] : j["envs"].items()) {
      if (!env.is_object()) continue;
      for (const auto& [k, v] : env.items()) {
        if (k != "file") note("envs." + name + "." + k, k);
      }
      log(env, "envs." + name + ".");
    }
  }
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The line an error points at, with a caret under its column, as the
// compiler's diagnostics show it.
void PrintExcerpt(const std::string& text, const import::ImportError& error) {
  if (error.pos.line == 0) return;
  size_t start = 0;
  for (uint32_t line = 1; line < error.pos.line; ++line) {
    start = text.find('\n', start);
    if (start == std::string::npos) return;
    ++start;
  }
  size_t end = text.find('\n', start);
  std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::string number = std::to_string(error.pos.line);
  std::string caret;
  for (size_t i = 0; i + 1 < error.pos.column && i < line.size(); ++i) caret += line[i] == '\t' ? '\t' : ' ';
  std::fprintf(stderr, "%s | %s\n%s | %s^\n", number.c_str(), line.c_str(), std::string(number.size(), ' ').c_str(),
               caret.c_str());
}

int RunImport(const ImportArgs& args) {
  std::error_code ec;
  std::vector<ImportJob> jobs;
  std::optional<fs::path> out_dir;
  if (!args.out.empty()) out_dir = fs::path(args.out);
  std::set<fs::path> project_roots;

  auto add_project = [&](const fs::path& dir) -> int {
    auto project = driver::FindProject(fs::absolute(dir, ec));
    if (!project) {
      return ImportFail(2, fmt::format("no project at '{}' (no config.json or topologies/ folder here or above); "
                                 "pass the .clj or .py files",
                                 dir.string()));
    }
    fs::path topologies = project->root / "topologies";
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(topologies, ec)) {
      if (e.is_regular_file(ec) && IsTopologyFile(e.path()) && e.path().filename().string()[0] != '_') {
        found.push_back(e.path());
      }
    }
    if (ec) return ImportFail(2, fmt::format("cannot read '{}': {}", topologies.string(), ec.message()));
    if (found.empty()) return ImportFail(2, fmt::format("no .clj or .py topologies in '{}'", ImportDisplay(topologies)));
    std::sort(found.begin(), found.end());
    for (const auto& f : found) {
      jobs.push_back({f, (out_dir ? *out_dir : topologies) / (f.stem().string() + ".topo"), project->root});
    }
    project_roots.insert(project->root);
    return 0;
  };

  if (args.paths.empty()) {
    if (int rc = add_project(fs::current_path(ec))) return rc;
  }
  for (const auto& p : args.paths) {
    fs::path path(p);
    if (fs::is_directory(path, ec)) {
      if (int rc = add_project(path)) return rc;
      continue;
    }
    if (!fs::exists(path, ec)) return ImportFail(2, fmt::format("'{}' does not exist", p));
    if (!IsTopologyFile(path)) {
      return ImportFail(2, fmt::format("'{}' is neither a .clj nor a .py topology", p));
    }
    std::optional<fs::path> root;
    if (auto project = driver::FindProject(fs::absolute(path, ec).parent_path())) root = project->root;
    fs::path dir = out_dir ? *out_dir : path.parent_path();
    jobs.push_back({path, dir / (path.stem().string() + ".topo"), root});
  }

  // Two sources for one .topo (wordcount.clj and wordcount.py).
  std::map<fs::path, const ImportJob*> by_target;
  for (const auto& job : jobs) {
    fs::path key = fs::absolute(job.target, ec).lexically_normal();
    auto [it, inserted] = by_target.emplace(key, &job);
    if (!inserted) {
      return ImportFail(2, fmt::format("'{}' and '{}' would both be written to {}", ImportDisplay(it->second->source),
                                 ImportDisplay(job.source), ImportDisplay(job.target)));
    }
  }

  std::string python = args.python;
  if (python.empty()) {
    const char* env = std::getenv("TOPOC_PYTHON");
    python = env && *env ? env : "python3";
  }

  // Read every file; report every file's problem.
  int worst = 0;
  std::vector<std::pair<const ImportJob*, import::Topology>> topologies;
  for (const auto& job : jobs) {
    std::ifstream in(job.source, std::ios::binary);
    if (!in) {
      worst = std::max(worst, ImportFail(2, fmt::format("cannot read '{}'", job.source.string())));
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    import::Topology t;
    import::ImportError error;
    std::string stem = job.source.stem().string();
    bool ok = false;
    if (job.source.extension() == ".clj") {
      ok = import::ImportClojure(text.str(), ImportDisplay(job.source), stem, &t, &error);
    } else {
      std::string json;
      if (int rc = RecordPython(job, python, &json)) {
        worst = std::max(worst, rc);
        continue;
      }
      ok = import::TopologyFromRecording(json, ImportDisplay(job.source), stem, &t, &error);
    }
    if (!ok) {
      std::fprintf(stderr, "%s\n", error.Render().c_str());
      PrintExcerpt(job.source.extension() == ".clj" ? text.str() : ReadText(job.source), error);
      worst = std::max(worst, 1);
      continue;
    }
    topologies.emplace_back(&job, std::move(t));
  }
  if (worst != 0) return worst;

  // The .topo texts, checked together as they will be on disk.
  driver::CompileOptions copts;
  std::map<std::string, std::string> texts;  // target -> text
  for (auto& [job, t] : topologies) {
    if (job->project_root && WantsMsgpack(*job->project_root) &&
        !t.config.contains("topology.multilang.serializer")) {
      t.config["topology.multilang.serializer"] = kMsgpackSerializer;
    }
    std::string text;
    try {
      text = import::WriteTopo(t, Origin(*job));
    } catch (const std::exception& e) {
      return ImportFail(1, fmt::format("{}: {}", ImportDisplay(job->source), e.what()));
    }
    copts.texts.emplace_back(ImportDisplay(job->target), text);
    texts[job->target.string()] = text;
    if (job->project_root && !copts.python_src && fs::is_directory(*job->project_root / "src", ec)) {
      copts.python_src = *job->project_root / "src";
    }
  }
  driver::Compilation compilation;
  driver::Compile(copts, compilation);
  if (!compilation.diags.diagnostics().empty()) RenderDiagnostics(compilation, "text");
  if (compilation.diags.HadErrors()) {
    std::fprintf(stderr, "topoc import: the imported topologies do not check; nothing was written\n");
    return 1;
  }

  // Existing .topo files are kept unless --force.
  for (const auto& [target, text] : texts) {
    if (!fs::exists(target, ec)) continue;
    std::ifstream in(target, std::ios::binary);
    std::ostringstream old;
    old << in.rdbuf();
    if (old.str() == text) continue;
    if (!args.force) {
      return ImportFail(2, fmt::format("{} exists and differs from the import; --force replaces it (nothing was "
                                 "written)",
                                 ImportDisplay(target)));
    }
  }
  for (const auto& [job, t] : topologies) {
    const std::string& text = texts[job->target.string()];
    fs::create_directories(job->target.parent_path().empty() ? "." : job->target.parent_path(), ec);
    if (ec) return ImportFail(2, fmt::format("cannot create '{}': {}", job->target.parent_path().string(), ec.message()));
    fs::path tmp = job->target;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      out.close();
      if (!out) return ImportFail(2, fmt::format("cannot write '{}'", tmp.string()));
    }
    fs::rename(tmp, job->target, ec);
    if (ec) {
      fs::remove(tmp, ec);
      return ImportFail(2, fmt::format("cannot write '{}'", ImportDisplay(job->target)));
    }
    std::fprintf(stderr, "topoc import: %s -> %s (topology %s, %zu components)\n", ImportDisplay(job->source).c_str(),
                 ImportDisplay(job->target).c_str(), t.name.c_str(), t.components.size());
  }
  for (const auto& root : project_roots) ReviewConfig(root);
  return 0;
}

}  // namespace

void RegisterImport(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand(
      "import", "Write .topo files from a streamparse project's topologies (seed Clojure .clj, streamparse 3/4 .py)");
  cmd->add_option("PATHS", args->paths,
                  "project folder (its topologies/*.clj and *.py) or .clj / .py files (default: the project "
                  "found from the current folder)");
  cmd->add_option("-o,--out", args->out,
                  "folder for the .topo files (default: beside each file; for a project, its topologies/)");
  cmd->add_option("--python", args->python,
                  "Python that runs .py topologies (default: $TOPOC_PYTHON or python3)");
  cmd->add_flag("-f,--force", args->force, "replace .topo files that exist and differ");
  cmd->callback([args, &exit_code] { exit_code = RunImport(*args); });
}

}  // namespace topoc::cli
