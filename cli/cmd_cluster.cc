// The cluster commands, each with [-e|--environment ENV] [-v] [--timeout SECS]:
//   topoc list
//   topoc kill NAME [--wait SECS]
//   topoc activate NAME | topoc deactivate NAME
//   topoc rebalance NAME [--workers N] [--wait SECS]
//   topoc tail [--name TOPOLOGY] [-f] [--pattern REGEX] [-n LINES]
//   topoc remove-logs [--name TOPOLOGY]
// The env comes from the project's config.json (found walking up from the
// current folder). The work is in deploy/cluster.h. Exit codes: 0 ok,
// 1 config.json or cluster errors, 2 usage or no project.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/commands.h"
#include "compiler/driver/project.h"
#include "deploy/cluster.h"
#include "deploy/config.h"

namespace topoc::cli {

namespace fs = std::filesystem;

namespace {

struct ClusterArgs {
  std::string environment;
  bool verbose = false;
  double timeout_secs = 60;
  std::string name;     // topology (positional or --name)
  int wait_secs = -1;   // -1: unset
  int workers = -1;
  bool follow = false;
  std::string pattern;
  int lines = 20;
};

// Loads config.json and the env; returns 0 or the exit code to use.
int LoadEnv(const std::string& cmd, const ClusterArgs& a, deploy::DeployConfig* config,
            deploy::ClusterOptions* options) {
  std::error_code ec;
  auto project = driver::FindProject(fs::current_path(ec));
  if (!project || !fs::exists(project->root / "config.json", ec)) {
    fmt::print(stderr, "topoc {}: no config.json in this folder or above (run it inside a topoc project)\n", cmd);
    return 2;
  }
  std::string error;
  if (!deploy::LoadDeployConfig(project->root / "config.json", config, &error)) {
    fmt::print(stderr, "topoc {}: error: {}\n", cmd, error);
    return 1;
  }
  options->env = deploy::SelectEnv(*config, a.environment, &error);
  if (!options->env) {
    fmt::print(stderr, "topoc {}: error: {}\n", cmd, error);
    return 1;
  }
  options->verbose = a.verbose;
  options->timeouts.io = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_secs * 1000));
  options->timeouts.connect = std::min(options->timeouts.io, std::chrono::milliseconds(10000));
  return 0;
}

std::optional<int> Opt(int v) { return v < 0 ? std::nullopt : std::optional<int>(v); }

CLI::App* AddCommon(CLI::App& app, const char* name, const char* help, std::shared_ptr<ClusterArgs> a) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("-e,--environment", a->environment, "Env of config.json (default: the only one)");
  cmd->add_flag("-v,--verbose", a->verbose, "Print the ssh commands");
  cmd->add_option("--timeout", a->timeout_secs, "Seconds to wait for each Nimbus answer")->check(CLI::PositiveNumber);
  return cmd;
}

template <typename F>
void Run(CLI::App* cmd, const std::string& name, std::shared_ptr<ClusterArgs> a, int& exit_code, F f) {
  cmd->callback([=, &exit_code] {
    deploy::DeployConfig config;
    deploy::ClusterOptions o;
    if (int rc = LoadEnv(name, *a, &config, &o); rc != 0) {
      exit_code = rc;
      return;
    }
    exit_code = f(o, *a);
  });
}

}  // namespace

void RegisterClusterCommands(CLI::App& app, int& exit_code) {
  {
    auto a = std::make_shared<ClusterArgs>();
    auto* cmd = AddCommon(app, "list", "List the cluster's topologies", a);
    Run(cmd, "list", a, exit_code, [](auto& o, auto&) { return deploy::RunList(o, stdout, stderr); });
  }
  {
    auto a = std::make_shared<ClusterArgs>();
    auto* cmd = AddCommon(app, "kill", "Kill a topology", a);
    cmd->add_option("name", a->name, "Topology name")->required();
    cmd->add_option("--wait", a->wait_secs, "Seconds between deactivation and shutdown (default: its message timeout)")
        ->check(CLI::NonNegativeNumber);
    Run(cmd, "kill", a, exit_code,
        [](auto& o, auto& a) { return deploy::RunKill(o, a.name, Opt(a.wait_secs), stdout, stderr); });
  }
  for (bool activate : {true, false}) {
    auto a = std::make_shared<ClusterArgs>();
    const char* name = activate ? "activate" : "deactivate";
    auto* cmd = AddCommon(app, name, activate ? "Activate a topology (its spouts run)" : "Deactivate a topology (its spouts pause)", a);
    cmd->add_option("name", a->name, "Topology name")->required();
    Run(cmd, name, a, exit_code,
        [activate](auto& o, auto& a) { return deploy::RunActivate(o, a.name, activate, stdout, stderr); });
  }
  {
    auto a = std::make_shared<ClusterArgs>();
    auto* cmd = AddCommon(app, "rebalance", "Spread a topology over a new number of workers", a);
    cmd->add_option("name", a->name, "Topology name")->required();
    cmd->add_option("--workers", a->workers, "New number of worker processes")->check(CLI::PositiveNumber);
    cmd->add_option("--wait", a->wait_secs, "Seconds to deactivate before rebalancing")->check(CLI::NonNegativeNumber);
    Run(cmd, "rebalance", a, exit_code, [](auto& o, auto& a) {
      return deploy::RunRebalance(o, a.name, Opt(a.workers), Opt(a.wait_secs), stdout, stderr);
    });
  }
  {
    auto a = std::make_shared<ClusterArgs>();
    auto* cmd = AddCommon(app, "tail", "Show the workers' streamparse logs of a topology", a);
    cmd->add_option("--name", a->name, "Topology (default: every topology's logs)");
    cmd->add_flag("-f,--follow", a->follow, "Keep following (tail -F) until Ctrl-C");
    cmd->add_option("--pattern", a->pattern, "Only lines matching this extended regex");
    cmd->add_option("-n,--lines", a->lines, "Lines per file (default 20)")->check(CLI::NonNegativeNumber);
    Run(cmd, "tail", a, exit_code, [](auto& o, auto& a) {
      return deploy::RunTail(o, a.name, a.follow, a.lines, a.pattern, stdout, stderr);
    });
  }
  {
    auto a = std::make_shared<ClusterArgs>();
    auto* cmd = AddCommon(app, "remove-logs", "Delete the workers' streamparse logs of a topology", a);
    cmd->add_option("--name", a->name, "Topology (default: every topology's logs)");
    Run(cmd, "remove-logs", a, exit_code,
        [](auto& o, auto& a) { return deploy::RunRemoveLogs(o, a.name, stdout, stderr); });
  }
}

}  // namespace topoc::cli
