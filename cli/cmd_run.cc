// topoc run [PROJECT_DIR] [--name TOPO] [--time SECS] [--debug]
//           [-o key=value]... [--python PY] [--storm-version 0.9|1.x|2.x]
//           [--ui] [--ui-port N]
// Runs a topology of the project on a native local cluster (runtime/):
// one subprocess per task, speaking Storm's multilang protocol. Stops on
// Ctrl-C / SIGTERM or after --time seconds, then prints a summary.
// --ui serves a live view and Storm UI's REST API on 127.0.0.1
// (runtime/ui/), bound before any task starts.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/check_common.h"
#include "cli/commands.h"
#include "cli/storm_version_option.h"
#include "compiler/driver/compilation.h"
#include "compiler/driver/project.h"
#include "config/config.h"
#include "backends/dot/dot_backend.h"
#include "runtime/local_cluster.h"
#include "runtime/topology_plan.h"
#include "runtime/ui/ui_plugin.h"

namespace topoc::cli {

namespace fs = std::filesystem;

namespace {

struct RunArgs {
  std::string project_dir;
  std::string name;
  std::string env;
  double time_secs = 0;
  bool debug = false;
  std::vector<std::string> options;
  std::string python;
  std::string storm_version{backends::kDefaultStormVersionName};
  int ackers = -1;   // -a: topology.acker.executors
  int workers = -1;  // -w: topology.workers
  bool ui = false;
  int ui_port = 8080;  // Storm UI's ui.port; 0: any free port
};

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "topoc run: %s\n", message.c_str());
  return code;
}

// The components' log settings (streamparse's `log` keys max_bytes,
// backup_count and level; locally the path is always <project>/logs, as with
// `sparse run`): the "log" of the env named by -e, else config.json's
// top-level "log", else the "log" of the project's only env. A
// config.json that `topoc submit` would refuse (`*code` 1), or an unknown
// -e (`*code` 2), is an error (false, with `error` naming the problem).
bool ReadLogSettings(const fs::path& file, const std::string& env_name, ir::Value* settings,
                     std::string* error, int* code) {
  *code = 2;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (env_name.empty()) return true;
    *error = fmt::format("-e {}: the project has no config.json", env_name);
    return false;
  }
  config::DeployConfig config;
  if (!config::LoadDeployConfig(file, &config, error)) {
    *code = 1;
    return false;
  }
  const config::LogSettings* log = nullptr;
  if (!env_name.empty()) {
    const config::EnvConfig* env = config::SelectEnv(config, env_name, error);
    if (!env) return false;
    log = &env->log;
  } else if (config.log) {
    log = &*config.log;
  } else if (config.envs.size() == 1) {
    log = &config.envs.front().log;
  }
  if (log == nullptr) return true;
  if (log->max_bytes) (*settings)["max_bytes"] = *log->max_bytes;
  if (log->backup_count) (*settings)["backup_count"] = *log->backup_count;
  if (log->level) (*settings)["level"] = *log->level;
  return true;
}

int Run(const RunArgs& args) {
  std::error_code ec;
  fs::path start = args.project_dir.empty() ? fs::current_path(ec) : fs::path(args.project_dir);
  if (!args.project_dir.empty() && !fs::is_directory(start, ec)) {
    return Fail(2, "'" + args.project_dir + "' is not a folder");
  }
  auto project = driver::FindProject(start);
  if (!project) {
    return Fail(2, "no project found (no config.json or topologies/ in " + fs::absolute(start, ec).string() +
                       " or above)");
  }
  if (!project->config_error.empty()) return Fail(1, "error: " + project->config_error);
  if (project->topo_files.empty()) return Fail(2, "no .topo files in " + project->topologies_dir.string());
  if (args.time_secs < 0) return Fail(2, "--time must be positive");

  std::vector<std::pair<std::string, ir::Value>> overrides;
  for (const auto& o : args.options) {
    std::pair<std::string, ir::Value> kv;
    std::string error;
    if (!runtime::ParseOverride(o, &kv, &error)) return Fail(2, error);
    overrides.push_back(std::move(kv));
  }

  driver::CompileOptions copts;
  copts.inputs = project->topo_files;
  if (fs::is_directory(project->src_dir(), ec)) copts.python_src = project->src_dir();
  driver::Compilation compilation;
  driver::Compile(copts, compilation);
  if (!compilation.diags.diagnostics().empty()) RenderDiagnostics(compilation, "text");
  if (compilation.diags.HadErrors()) return compilation.ExitCode();

  const auto& topologies = compilation.program->topologies;
  const ir::Topology* topology = nullptr;
  if (!args.name.empty()) {
    topology = compilation.program->FindTopology(args.name);
    if (!topology) {
      std::string names;
      for (const auto& t : topologies) names += (names.empty() ? "" : ", ") + t->name;
      return Fail(1, "no topology named '" + args.name + "' (the project has: " + names + ")");
    }
  } else if (topologies.size() == 1) {
    topology = topologies.front().get();
  } else if (topologies.empty()) {
    return Fail(1, "the project declares no topology");
  } else {
    std::string names;
    for (const auto& t : topologies) names += (names.empty() ? "" : ", ") + t->name;
    return Fail(2, "the project has several topologies (" + names + "); choose one with --name");
  }

  std::string error;
  if (!runtime::CheckRunnable(*topology, &error)) return Fail(1, error);

  runtime::RunOptions options;
  options.src_dir = project->src_dir();
  options.logs_dir = project->logs_dir();
  options.staging_dir = project->root / "_build" / "run" / topology->name;
  options.python_runtime_dir = driver::BuiltinPythonRuntimeDir();
  bool has_python = std::any_of(topology->components.begin(), topology->components.end(),
                                [](const auto& c) { return c->kind == ir::Kind::kPython; });
  if (has_python && options.python_runtime_dir.empty()) {
    return Fail(2, "the streamparse Python runtime was not found (set TOPOC_PYTHON_RUNTIME to the folder "
                   "holding streamparse/)");
  }
  if (!args.python.empty()) {
    options.python = args.python;
  } else if (const char* py = std::getenv("TOPOC_PYTHON"); py && *py) {
    options.python = py;
  }
  options.overrides = std::move(overrides);
  options.debug = args.debug;
  options.time_secs = args.time_secs;
  options.storm_version = backends::ParseStormVersion(args.storm_version).value_or(backends::kDefaultStormVersion);
  int code = 2;
  if (!ReadLogSettings(project->root / "config.json", args.env, &options.log_settings, &error, &code)) {
    return Fail(code, error);
  }
  // The folders the run writes to, made before saying it runs: failing to
  // make one is an I/O error (exit 2), not a failed run.
  for (const fs::path& dir : {options.logs_dir, options.staging_dir}) {
    fs::create_directories(dir, ec);
    if (ec) return Fail(2, "cannot create '" + dir.string() + "': " + ec.message());
  }

  // The live view: its port is taken before any task starts, so a port in
  // use stops the run at once (exit 2).
  runtime::ui::UiPlugin ui;
  if (args.ui) {
    runtime::ui::TopologyInfo info;
    if (!runtime::ui::DescribeTopology(*topology, options.overrides, options.storm_version, &info, &error)) {
      return Fail(1, error);
    }
    if (!ui.Load(info, backends::dot::WriteDot(*topology), options.staging_dir / "ui", &error)) {
      return Fail(2, "--ui: " + error);
    }
    int port = ui.Bind(args.ui_port, &error);
    if (port < 0) return Fail(2, "--ui: " + error);
    ui.Start();
    options.live = &ui;
    std::fprintf(stderr, "topoc run: live view at http://127.0.0.1:%d/ (Storm UI REST API under /api/v1/)\n", port);
  }

  std::fprintf(stderr, "topoc run: running topology '%s' locally (logs in %s); Ctrl-C stops it\n",
               topology->name.c_str(), options.logs_dir.c_str());
  runtime::RunResult result = runtime::RunTopology(*topology, options);
  ui.Stop();
  if (!result.components.empty()) runtime::PrintSummary(result, stdout);
  std::fflush(stdout);
  if (result.exit_code != 0) return Fail(result.exit_code, result.error);
  return 0;
}

}  // namespace

void RegisterRun(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a topology locally: one process per task over multilang, no JVM");
  cmd->add_option("PROJECT_DIR", args->project_dir, "project folder (default: found from the current folder)");
  cmd->add_option("-n,--name", args->name, "topology to run (default: the project's only topology)");
  cmd->add_option("-e,--environment,--env", args->env,
                  "env of config.json whose log settings (level, max_bytes, backup_count) apply "
                  "(default: the top-level \"log\", else the only env's)");
  cmd->add_option("-t,--time", args->time_secs, "stop after this many seconds (default: run until Ctrl-C)");
  cmd->add_flag("-d,--debug", args->debug, "log level debug; echo component stderr and logs");
  cmd->add_option("-o,--option", args->options, "topology conf override key=value (value parsed as JSON if it can be)")
      ->allow_extra_args(false);
  AddStormVersionOption(cmd, &args->storm_version,
                        "Storm line whose defaults.yaml is the base of every component's conf (default 2.x)");
  cmd->add_option("-a,--ackers", args->ackers, "topology.acker.executors (0: no acking)")->check(CLI::NonNegativeNumber);
  cmd->add_option("-w,--workers", args->workers, "topology.workers (the conf value; locally one process runs them all)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--ui", args->ui,
                "serve a live view of the run and Storm UI's REST API on http://127.0.0.1:8080/");
  cmd->add_option("--ui-port", args->ui_port, "port of --ui (default 8080; 0: any free port); implies --ui")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--python", args->python, "Python interpreter for python components (default: $TOPOC_PYTHON or python3)");
  cmd->callback([args, cmd, &exit_code] {
    if (args->ackers >= 0) args->options.push_back(fmt::format("topology.acker.executors={}", args->ackers));
    if (args->workers >= 0) args->options.push_back(fmt::format("topology.workers={}", args->workers));
    if (cmd->count("--ui-port") > 0) args->ui = true;
    exit_code = Run(*args);
  });
}

}  // namespace topoc::cli
