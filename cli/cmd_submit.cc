// `topoc submit [--environment ENV] [--name TOPOLOGY] [-o key=value ...]
//               [--force] [--inactive] [-d] [-v] [--timeout SECS]
//               [--storm-version 0.9|1.x|2.x] [--stdlib DIR ...]`
//
// Step 1 (check and build) happens here; steps 2-6 (hooks, virtualenvs,
// jar, Nimbus, post hooks) are deploy::RunSubmit. docs/submit.md is the
// user's guide. Exit codes: 0 submitted, 1 errors (diagnostics, config.json,
// a failed step), 2 usage or no project.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "backends/thrift/thrift_backend.h"
#include "cli/build_input.h"
#include "cli/commands.h"
#include "compiler/driver/project.h"
#include "deploy/config.h"
#include "deploy/jar.h"
#include "deploy/submit.h"

namespace topoc::cli {

namespace fs = std::filesystem;

namespace {

struct SubmitArgs {
  std::string environment;
  std::string name;
  std::vector<std::string> overrides;
  bool force = false;
  bool inactive = false;
  bool debug = false;
  bool verbose = false;
  double timeout_secs = 60;
  std::string storm_version = "2.x";
  std::vector<std::string> stdlib_dirs;
};

int Submit(const SubmitArgs& a) {
  std::error_code ec;
  auto project = driver::FindProject(fs::current_path(ec));
  if (!project || !fs::exists(project->root / "config.json", ec)) {
    fmt::print(stderr, "topoc submit: no config.json in this folder or above (run it inside a topoc project)\n");
    return 2;
  }
  deploy::DeployConfig config;
  std::string error;
  if (!deploy::LoadDeployConfig(project->root / "config.json", &config, &error)) {
    fmt::print(stderr, "topoc submit: error: {}\n", error);
    return 1;
  }
  const deploy::EnvConfig* env = deploy::SelectEnv(config, a.environment, &error);
  if (!env) {
    fmt::print(stderr, "topoc submit: error: {}\n", error);
    return 1;
  }
  for (const auto& o : a.overrides) {
    std::string key;
    nlohmann::ordered_json value;
    if (!deploy::ParseOverride(o, &key, &value, &error)) {
      fmt::print(stderr, "topoc submit: {}\n", error);
      return 2;
    }
  }

  // 1. Check and build.
  auto input = ResolveBuildInput("submit", project->root.string());
  if (!input) return 2;
  driver::Compilation compilation;
  CompileInput(*input, a.stdlib_dirs, compilation);
  PrintDiagnostics(compilation, "text");
  if (compilation.diags.HadErrors()) return compilation.ExitCode();
  const auto& topologies = compilation.program->topologies;
  const ir::Topology* topology = nullptr;
  std::string names;
  for (const auto& t : topologies) names += (names.empty() ? "" : ", ") + t->name;
  if (!a.name.empty()) {
    topology = compilation.program->FindTopology(a.name);
    if (!topology) {
      fmt::print(stderr, "topoc submit: error: no topology named '{}' (the project has: {})\n", a.name,
                 names.empty() ? "none" : names);
      return 1;
    }
  } else if (topologies.size() == 1) {
    topology = topologies[0].get();
  } else {
    fmt::print(stderr, "topoc submit: error: {}; choose one with --name\n",
               topologies.empty() ? "the project defines no topology" : "several topologies (" + names + ")");
    return 1;
  }

  backends::BackendOptions options;
  if (a.storm_version == "0.9") {
    options.storm_version = backends::StormVersion::k0_9;
  } else if (a.storm_version == "1.x") {
    options.storm_version = backends::StormVersion::k1_x;
  } else {
    options.storm_version = backends::StormVersion::k2_x;
  }
  options.topology_name = topology->name;
  options.python_interpreter = env->PythonInterpreter(topology->name);
  topoc::storm::StormTopology storm;
  compilation.diags.Clear();  // already printed; print only the backend's below
  if (!backends::thrift::BuildStormTopology(*topology, options, compilation.diags, &storm)) {
    PrintDiagnostics(compilation, "text");
    return 1;
  }

  deploy::SubmitRequest q;
  q.project_root = project->root;
  q.config = &config;
  q.env = env;
  q.topology = topology;
  q.storm_topology = &storm;
  q.overrides = a.overrides;
  q.force = a.force;
  q.inactive = a.inactive;
  q.debug = a.debug;
  q.verbose = a.verbose;
  q.timeouts.io = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_secs * 1000));
  q.timeouts.connect = std::min(q.timeouts.io, std::chrono::milliseconds(10000));
  q.python_runtime_dir = driver::BuiltinPythonRuntimeDir();
  if (q.python_runtime_dir.empty()) {
    fmt::print(stderr, "topoc submit: error: the streamparse Python runtime was not found (set TOPOC_PYTHON_RUNTIME "
                       "to the folder holding streamparse/)\n");
    return 2;
  }
  return deploy::RunSubmit(q, stdout, stderr);
}

}  // namespace

void RegisterSubmit(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SubmitArgs>();
  auto* cmd = app.add_subcommand("submit", "Build the jar, set up the workers' virtualenvs and submit to Nimbus");
  cmd->add_option("-e,--environment", args->environment, "Env of config.json (default: the only one)");
  cmd->add_option("-n,--name", args->name, "Topology to submit (default: the only one)");
  cmd->add_option("-o,--option", args->overrides, "Storm config override key=value (value parsed as JSON when it is)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("-f,--force", args->force, "Kill a running topology of the same name first");
  cmd->add_flag("--inactive", args->inactive, "Submit it deactivated");
  cmd->add_flag("-d,--debug", args->debug, "topology.debug and log level debug");
  cmd->add_flag("-v,--verbose", args->verbose, "Print the ssh commands");
  cmd->add_option("--timeout", args->timeout_secs, "Seconds to wait for each Nimbus answer")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--storm-version", args->storm_version, "Storm line of the cluster")
      ->check(CLI::IsMember({"0.9", "1.x", "2.x"}));
  cmd->add_option("--stdlib", args->stdlib_dirs, "Extra import folder for .topo files")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->callback([args, &exit_code] { exit_code = Submit(*args); });
}

}  // namespace topoc::cli
