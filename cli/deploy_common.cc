#include "cli/deploy_common.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "cli/build_input.h"
#include "compiler/driver/project.h"

namespace topoc::cli {

namespace fs = std::filesystem;

void AddEnvOptions(CLI::App* cmd, EnvArgs& a, bool ssh) {
  cmd->add_option("-e,--environment,--env", a.environment, "Env of config.json (default: the only one)");
  cmd->add_option("--config", a.config_path, "Use this config.json (default: the project's)");
  cmd->add_flag("-v,--verbose", a.verbose, "Print the ssh commands");
  cmd->add_option("--timeout", a.timeout_secs, "Seconds to wait for each Nimbus answer")->check(CLI::PositiveNumber);
  if (ssh) {
    cmd->add_option("--pool-size", a.pool_size, "At most this many ssh connections at once (default: every worker)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--pool_size", a.pool_size)->check(CLI::PositiveNumber)->group("");
  }
}

void AddHiddenFlag(CLI::App* cmd, const std::string& name, bool& value) { cmd->add_flag(name, value)->group(""); }

int LoadDeployContext(const std::string& cmd, const EnvArgs& a, DeployContext* out) {
  std::error_code ec;
  auto project = driver::FindProject(fs::current_path(ec));
  fs::path file;
  if (!a.config_path.empty()) {
    file = a.config_path;
    if (!fs::is_regular_file(file, ec)) {
      fmt::print(stderr, "topoc {}: --config {}: no such file\n", cmd, a.config_path);
      return 2;
    }
    // The project is still the one around the current folder (its topologies
    // and hooks); without one, --config's folder stands in.
    out->root = project ? project->root : fs::absolute(file, ec).parent_path();
  } else {
    if (!project || !fs::exists(project->root / "config.json", ec)) {
      fmt::print(stderr, "topoc {}: no config.json in this folder or above (run it inside a topoc project)\n", cmd);
      return 2;
    }
    out->root = project->root;
    file = project->root / "config.json";
  }
  std::string error;
  if (!config::LoadDeployConfig(file, &out->config, &error)) {
    fmt::print(stderr, "topoc {}: error: {}\n", cmd, error);
    return 1;
  }
  out->env = config::SelectEnv(out->config, a.environment, &error);
  if (!out->env) {
    fmt::print(stderr, "topoc {}: error: {}\n", cmd, error);
    return 1;
  }
  out->timeouts.io = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_secs * 1000));
  // A long --timeout is for slow answers (a big upload); a Nimbus that does
  // not accept the connection in 10 s is not there.
  out->timeouts.connect = std::min(out->timeouts.io, std::chrono::milliseconds(10000));
  return 0;
}

namespace {

std::string Names(const std::vector<std::unique_ptr<ir::Topology>>& topologies) {
  std::string names;
  for (const auto& t : topologies) names += (names.empty() ? "" : ", ") + t->name;
  return names;
}

}  // namespace

const ir::Topology* CompileProjectTopology(const std::string& cmd, const fs::path& root, const std::string& name,
                                           const std::vector<std::string>& stdlib_dirs,
                                           driver::Compilation& compilation) {
  auto input = ResolveBuildInput(cmd, root.string());
  if (!input) return nullptr;
  CompileInput(*input, stdlib_dirs, compilation);
  PrintDiagnostics(compilation, "text");
  if (compilation.diags.HadErrors()) return nullptr;
  const auto& topologies = compilation.program->topologies;
  std::string names = Names(topologies);
  if (!name.empty()) {
    const ir::Topology* t = compilation.program->FindTopology(name);
    if (!t)
      fmt::print(stderr, "topoc {}: error: no topology named '{}' (the project has: {})\n", cmd, name,
                 names.empty() ? "none" : names);
    return t;
  }
  if (topologies.size() == 1) return topologies[0].get();
  fmt::print(stderr, "topoc {}: error: {}; choose one with --name\n", cmd,
             topologies.empty() ? "the project defines no topology" : "several topologies (" + names + ")");
  return nullptr;
}

bool ChooseTopologyName(const std::string& cmd, const std::string& name, bool any_ok, std::string* out) {
  if (!name.empty()) {
    *out = name;
    return true;
  }
  std::error_code ec;
  auto project = driver::FindProject(fs::current_path(ec));
  std::string why;
  if (!project || project->topo_files.empty()) {
    why = "no topology named and no topologies/*.topo here to take it from";
  } else {
    BuildInput input;
    input.topo_files = project->topo_files;
    input.project_root = project->root;
    // Compiled quietly: the command needs only the name; showing errors is
    // `topoc check`'s job.
    driver::Compilation compilation;
    CompileInput(input, {}, compilation);
    if (compilation.diags.HadErrors() || !compilation.program) {
      why = "no topology named, and the project's topologies do not compile (see topoc check)";
    } else if (compilation.program->topologies.size() == 1) {
      *out = compilation.program->topologies[0]->name;
      return true;
    } else {
      why = compilation.program->topologies.empty()
                ? "the project defines no topology"
                : "several topologies (" + Names(compilation.program->topologies) + ")";
    }
  }
  // tail and remove-logs: no name means every topology's logs.
  if (any_ok) {
    out->clear();
    return true;
  }
  fmt::print(stderr, "topoc {}: error: {}; choose one with -n/--name\n", cmd, why);
  return false;
}

bool MergeNames(const std::string& cmd, const std::string& positional, const std::string& option, std::string* out) {
  if (!positional.empty() && !option.empty() && positional != option) {
    fmt::print(stderr, "topoc {}: error: two topology names ('{}' and --name '{}'); give one\n", cmd, positional, option);
    return false;
  }
  *out = option.empty() ? positional : option;
  return true;
}

}  // namespace topoc::cli
