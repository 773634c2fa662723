// `topoc submit [-e|--environment|--env ENV] [--config FILE] [-n|--name TOPOLOGY]
//               [-N|--override-name NAME] [-o key=value ...] [-a|--ackers N]
//               [-w|--workers N] [-f|--force] [--wait SECS] [-i|--inactive] [-d]
//               [-v] [--timeout SECS] [--overwrite-virtualenv] [-r FILE ...]
//               [--pool-size N] [-s|--simple-jar] [--storm-version 0.9|1.x|2.x]
//               [--stdlib DIR ...]`
// `topoc jar [-n NAME] [-N NAME] [-s] [--stdlib DIR ...]`: step 4 alone.
// `topoc update-virtualenv [-e ENV] [-n NAME] [-N NAME] [--overwrite-virtualenv]
//               [-r FILE ...] [--pool-size N]`: step 3 alone.
//
// Step 1 (check and build) happens here; steps 2-6 (hooks, virtualenvs,
// jar, Nimbus, post hooks) are deploy::RunSubmit. docs/submit.md is the
// user's guide, docs/sparse.md the map from sparse's options. Exit codes:
// 0 submitted, 1 errors (diagnostics, config.json, a failed step), 2 usage
// or no project.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "backends/thrift/thrift_backend.h"
#include "cli/commands.h"
#include "cli/storm_version_option.h"
#include "cli/deploy_common.h"
#include "compiler/driver/project.h"
#include "config/config.h"
#include "deploy/jar.h"
#include "deploy/ssh.h"
#include "deploy/submit.h"

namespace topoc::cli {

namespace fs = std::filesystem;

namespace {

struct SubmitArgs {
  EnvArgs env;
  std::string name;
  std::string override_name;
  std::vector<std::string> overrides;
  int ackers = -1;
  int workers = -1;
  bool force = false;
  int wait_secs = 5;
  bool inactive = false;
  bool debug = false;
  bool overwrite_virtualenv = false;
  std::vector<std::string> requirements;
  bool simple_jar = false;  // accepted: topoc's jar never holds JVM dependencies
  bool uber_jar = false;    // accepted likewise
  std::string local_jar;    // -j: upload this jar instead of building one
  std::string remote_jar;   // -R: a jar already on Nimbus
  std::string storm_version{backends::kDefaultStormVersionName};
  std::vector<std::string> stdlib_dirs;
};

std::filesystem::path RuntimeDir(const char* cmd) {
  fs::path dir = driver::BuiltinPythonRuntimeDir();
  if (dir.empty())
    fmt::print(stderr, "topoc {}: error: the streamparse Python runtime was not found (set TOPOC_PYTHON_RUNTIME "
                       "to the folder holding streamparse/)\n", cmd);
  return dir;
}

deploy::VirtualenvOptions VirtualenvOptionsOf(const SubmitArgs& a) {
  deploy::VirtualenvOptions v;
  for (const auto& r : a.requirements) v.requirements.push_back(fs::absolute(r));
  v.overwrite = a.overwrite_virtualenv;
  return v;
}

int Submit(const SubmitArgs& a) {
  DeployContext ctx;
  if (int rc = LoadDeployContext("submit", a.env, &ctx); rc != 0) return rc;
  std::vector<std::string> overrides = a.overrides;
  if (a.ackers >= 0) overrides.push_back(fmt::format("topology.acker.executors={}", a.ackers));
  if (a.workers >= 0) overrides.push_back(fmt::format("topology.workers={}", a.workers));
  std::string error;
  for (const auto& o : overrides) {
    std::string key;
    nlohmann::ordered_json value;
    if (!deploy::ParseOverride(o, &key, &value, &error)) {
      fmt::print(stderr, "topoc submit: {}\n", error);
      return 2;
    }
  }

  // 1. Check and build.
  driver::Compilation compilation;
  const ir::Topology* topology = CompileProjectTopology("submit", ctx.root, a.name, a.stdlib_dirs, compilation);
  if (!topology) return compilation.diags.HadErrors() ? compilation.ExitCode() : compilation.program ? 1 : 2;
  std::string name = a.override_name.empty() ? topology->name : a.override_name;

  backends::BackendOptions options;
  options.storm_version = backends::ParseStormVersion(a.storm_version).value_or(backends::kDefaultStormVersion);
  options.topology_name = name;
  options.python_interpreter = ctx.env->PythonInterpreter(name);
  topoc::storm::StormTopology storm;
  compilation.diags.Clear();  // already printed; print only the backend's below
  if (!backends::thrift::BuildStormTopology(*topology, options, compilation.diags, &storm)) {
    PrintDiagnostics(compilation, "text");
    return 1;
  }

  deploy::SubmitRequest q;
  q.project_root = ctx.root;
  q.config = &ctx.config;
  q.env = ctx.env;
  q.topology = topology;
  q.name = name;
  q.storm_topology = &storm;
  q.overrides = overrides;
  q.force = a.force;
  q.kill_wait_secs = a.wait_secs;
  q.force_wait = std::chrono::seconds(300 + a.wait_secs);
  q.inactive = a.inactive;
  q.debug = a.debug;
  q.verbose = a.env.verbose;
  q.virtualenv = VirtualenvOptionsOf(a);
  q.pool_size = a.env.pool_size;
  q.timeouts = ctx.timeouts;
  if (!a.local_jar.empty()) {
    q.jar_path = fs::absolute(a.local_jar);
    q.prebuilt_jar = true;
  }
  q.remote_jar = a.remote_jar;
  q.python_runtime_dir = RuntimeDir("submit");
  if (q.python_runtime_dir.empty()) return 2;
  return deploy::RunSubmit(q, stdout, stderr);
}

int Jar(const SubmitArgs& a) {
  std::error_code ec;
  auto project = driver::FindProject(fs::current_path(ec));
  if (!project) {
    fmt::print(stderr, "topoc jar: no topologies/ or config.json in this folder or above (run it inside a topoc project)\n");
    return 2;
  }
  driver::Compilation compilation;
  const ir::Topology* topology = CompileProjectTopology("jar", project->root, a.name, a.stdlib_dirs, compilation);
  if (!topology) return 1;
  fs::path runtime = RuntimeDir("jar");
  if (runtime.empty()) return 2;
  std::string name = a.override_name.empty() ? topology->name : a.override_name;
  fs::path jar = project->root / "_build" / (name + ".jar");
  std::string error;
  // Progress on stderr; stdout is the path alone, for JAR=$(topoc jar).
  if (!deploy::BuildTopologyJar(project->root, *topology, runtime, jar, "jar", stderr, stderr, &error)) {
    fmt::print(stderr, "topoc jar: error: {}\n", error);
    return 1;
  }
  fmt::print("{}\n", jar.string());
  return 0;
}

int UpdateVirtualenv(const SubmitArgs& a) {
  std::string topology;
  if (!ChooseTopologyName("update-virtualenv", a.name, false, &topology)) return 1;
  DeployContext ctx;
  if (int rc = LoadDeployContext("update-virtualenv", a.env, &ctx); rc != 0) return rc;
  if (!ctx.env->use_virtualenv) {
    fmt::print(stderr, "topoc update-virtualenv: error: env '{}' has \"use_virtualenv\": false; its components run "
                       "the workers' python3\n", ctx.env->name);
    return 1;
  }
  deploy::SshSettings ssh = deploy::SshSettings::FromEnv(*ctx.env);
  ssh.verbose = a.env.verbose;
  ssh.pool_size = a.env.pool_size;
  deploy::VirtualenvOptions v = VirtualenvOptionsOf(a);
  v.ignore_install_virtualenv = true;
  std::string error;
  std::string venv = a.override_name.empty() ? topology : a.override_name;
  if (!deploy::BuildVirtualenvs(ctx.root, ctx.config, *ctx.env, topology, venv, v, ssh, stdout, &error)) {
    fmt::print(stderr, "topoc update-virtualenv: error: {}\n", error);
    return 1;
  }
  return 0;
}

void AddNameOptions(CLI::App* cmd, SubmitArgs& a, const char* help) {
  cmd->add_option("-n,--name", a.name, help);
  cmd->add_option("-N,--override-name", a.override_name, "Use this name on the cluster and for the virtualenv");
  AddHiddenOption(cmd, "--override_name", a.override_name);
}

void AddVirtualenvOptions(CLI::App* cmd, SubmitArgs& a) {
  cmd->add_flag("--overwrite-virtualenv", a.overwrite_virtualenv, "Delete the workers' virtualenv and build it afresh");
  AddHiddenFlag(cmd, "--overwrite_virtualenv", a.overwrite_virtualenv);
  cmd->add_option("-r,--requirements", a.requirements,
                  "Requirements files for the virtualenv (default: virtualenvs/<topology>.txt)")
      ->expected(1, -1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void AddJarOptions(CLI::App* cmd, SubmitArgs& a) {
  cmd->add_flag("-s,--simple-jar", a.simple_jar, "Accepted for sparse: topoc's jar is always the simple one");
  AddHiddenFlag(cmd, "--simple_jar", a.simple_jar);
  cmd->add_option("--stdlib", a.stdlib_dirs, "Extra import folder for .topo files")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace

void RegisterSubmit(CLI::App& app, int& exit_code) {
  {
    auto args = std::make_shared<SubmitArgs>();
    auto* cmd = app.add_subcommand("submit", "Build the jar, set up the workers' virtualenvs and submit to Nimbus");
    AddEnvOptions(cmd, args->env, true);
    AddNameOptions(cmd, *args, "Topology to submit (default: the only one)");
    cmd->add_option("-o,--option", args->overrides, "Storm config override key=value (value parsed as JSON when it is)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("-a,--ackers", args->ackers, "topology.acker.executors")->check(CLI::NonNegativeNumber);
    cmd->add_option("-w,--workers", args->workers, "topology.workers")->check(CLI::PositiveNumber);
    cmd->add_flag("-f,--force", args->force, "Kill a running topology of the same name first");
    cmd->add_option("--wait", args->wait_secs,
                    "With --force: seconds the running one stays deactivated before it is killed (default 5)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("-i,--inactive", args->inactive, "Submit it deactivated");
    cmd->add_flag("-d,--debug", args->debug, "topology.debug and log level debug");
    AddVirtualenvOptions(cmd, *args);
    AddJarOptions(cmd, *args);
    cmd->add_flag("-u,--uber-jar", args->uber_jar, "Accepted for sparse: topoc's jar needs no JVM dependencies");
    AddHiddenFlag(cmd, "--uber_jar", args->uber_jar);
    auto* local = cmd->add_option("-j,--local-jar-path", args->local_jar, "Upload this prebuilt jar instead of building one");
    AddHiddenOption(cmd, "--local_jar_path", args->local_jar);
    auto* remote = cmd->add_option("-R,--remote-jar-path", args->remote_jar,
                                   "Use this jar already uploaded to Nimbus (no build, no upload)");
    AddHiddenOption(cmd, "--remote_jar_path", args->remote_jar);
    local->excludes(remote);
    AddStormVersionOption(cmd, &args->storm_version, "Storm line of the cluster");
    cmd->callback([args, &exit_code] { exit_code = Submit(*args); });
  }
  {
    auto args = std::make_shared<SubmitArgs>();
    auto* cmd = app.add_subcommand("jar", "Build the topology's jar (the one submit uploads) and print its path");
    AddNameOptions(cmd, *args, "Topology (default: the only one)");
    AddJarOptions(cmd, *args);
    cmd->callback([args, &exit_code] { exit_code = Jar(*args); });
  }
  for (const char* name : {"update-virtualenv", "update_virtualenv"}) {
    auto args = std::make_shared<SubmitArgs>();
    auto* cmd = app.add_subcommand(name, "Build or refresh the workers' virtualenv of a topology, without submitting");
    if (name[6] == '_') cmd->group("");  // sparse's spelling, accepted silently
    AddEnvOptions(cmd, args->env, true);
    AddNameOptions(cmd, *args, "Topology (default: the only one)");
    AddVirtualenvOptions(cmd, *args);
    cmd->callback([args, &exit_code] { exit_code = UpdateVirtualenv(*args); });
  }
}

}  // namespace topoc::cli
