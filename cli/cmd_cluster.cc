// The cluster commands, each with [-e|--environment|--env ENV] [--config
// FILE] [-v] [--timeout SECS]; NAME is the topology, positional or
// -n/--name, by default the project's only topology:
//   topoc list
//   topoc kill [NAME] [-N NAME] [--wait SECS]
//   topoc activate [NAME] | topoc deactivate [NAME]
//   topoc rebalance [NAME] [-w|--workers N] [--wait SECS]
//   topoc tail [-n NAME] [-f] [-l LINES] [--pattern REGEX] [--grep REGEX] [--pool-size N]
//   topoc remove-logs [-n NAME] [--pattern REGEX] [--pool-size N]
//   topoc stats [-n NAME] [-c COMPONENT] [--format text|json]
//   topoc slot-usage | topoc worker-uptime
// sparse's underscore spellings (remove_logs, slot_usage, worker_uptime,
// --num_lines, --pool_size, --override_name) are accepted and not listed in
// --help. The work is in deploy/cluster.h; docs/sparse.md maps every sparse
// command line. Exit codes: 0 ok, 1 config.json or cluster errors, 2 usage
// or no project.
#include <cstdio>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/deploy_common.h"
#include "deploy/cluster.h"

namespace topoc::cli {

namespace {

struct ClusterArgs {
  EnvArgs env;
  std::string positional;  // topology as the positional argument
  std::string name;        // -n/--name
  std::string override_name;
  int wait_secs = -1;      // -1: unset
  int workers = -1;
  bool follow = false;
  std::string pattern;
  std::string grep;
  int lines = 20;
  std::string component;
  std::string format = "text";
  bool all = false;  // stats --all: accepted; every component is always shown
};

std::optional<int> Opt(int v) { return v < 0 ? std::nullopt : std::optional<int>(v); }

// How a command finds its topology name.
enum class Topology { kNone, kRequired, kOptional };

struct Spec {
  const char* name;
  const char* hidden_alias;  // sparse's spelling, or nullptr
  const char* help;
  bool ssh;
  Topology topology;
  bool positional;
  void (*options)(CLI::App*, ClusterArgs&);
  int (*run)(const deploy::ClusterOptions&, const std::string& name, const ClusterArgs&);
};

void NoOptions(CLI::App*, ClusterArgs&) {}

const Spec kSpecs[] = {
    {"list", nullptr, "List the cluster's topologies", false, Topology::kNone, false, NoOptions,
     [](auto& o, auto&, auto&) { return deploy::RunList(o, stdout, stderr); }},
    {"kill", nullptr, "Kill a topology (Storm deactivates it for --wait seconds first)", false, Topology::kRequired,
     true,
     [](CLI::App* cmd, ClusterArgs& a) {
       a.wait_secs = 5;
       cmd->add_option("--wait", a.wait_secs, "Seconds it stays deactivated before its workers stop (default 5)")
           ->check(CLI::NonNegativeNumber);
       cmd->add_option("-N,--override-name", a.override_name, "Kill the topology running under this name");
       AddHiddenOption(cmd, "--override_name", a.override_name);
     },
     [](auto& o, auto& name, auto& a) { return deploy::RunKill(o, name, Opt(a.wait_secs), stdout, stderr); }},
    {"activate", nullptr, "Activate a topology (its spouts run)", false, Topology::kRequired, true, NoOptions,
     [](auto& o, auto& name, auto&) { return deploy::RunActivate(o, name, true, stdout, stderr); }},
    {"deactivate", nullptr, "Deactivate a topology (its spouts pause)", false, Topology::kRequired, true, NoOptions,
     [](auto& o, auto& name, auto&) { return deploy::RunActivate(o, name, false, stdout, stderr); }},
    {"rebalance", nullptr, "Spread a topology over a new number of workers", false, Topology::kRequired, true,
     [](CLI::App* cmd, ClusterArgs& a) {
       cmd->add_option("-w,--workers", a.workers, "New number of worker processes")->check(CLI::PositiveNumber);
       cmd->add_option("--wait", a.wait_secs, "Seconds to deactivate before rebalancing")->check(CLI::NonNegativeNumber);
     },
     [](auto& o, auto& name, auto& a) {
       return deploy::RunRebalance(o, name, Opt(a.workers), Opt(a.wait_secs), stdout, stderr);
     }},
    {"tail", nullptr, "Show the workers' streamparse logs of a topology", true, Topology::kOptional, false,
     [](CLI::App* cmd, ClusterArgs& a) {
       cmd->add_flag("-f,--follow", a.follow, "Keep following (tail -F) until Ctrl-C");
       cmd->add_option("-l,--num-lines,--lines", a.lines, "Lines per file (default 20)")->check(CLI::NonNegativeNumber);
       AddHiddenOption(cmd, "--num_lines", a.lines);
       cmd->add_option("--pattern", a.pattern, "Only log files whose name matches this extended regex");
       cmd->add_option("--grep", a.grep, "Only lines matching this extended regex");
     },
     [](auto& o, auto& name, auto& a) {
       return deploy::RunTail(o, name, a.follow, a.lines, a.pattern, a.grep, stdout, stderr);
     }},
    {"remove-logs", "remove_logs", "Delete the workers' streamparse logs of a topology", true, Topology::kOptional,
     false, [](CLI::App* cmd, ClusterArgs& a) {
       cmd->add_option("--pattern", a.pattern, "Only log files whose name matches this extended regex");
     },
     [](auto& o, auto& name, auto& a) { return deploy::RunRemoveLogs(o, name, a.pattern, stdout, stderr); }},
    {"stats", nullptr, "Emitted, acked, failed, capacity and latencies of topologies and their components", false,
     Topology::kNone, false,
     [](CLI::App* cmd, ClusterArgs& a) {
       cmd->add_option("-n,--name", a.name, "Topology (default: every running topology)");
       cmd->add_option("-c,--component", a.component, "Only this component");
       cmd->add_option("--format", a.format, "text or json (default text)")->check(CLI::IsMember({"text", "json"}));
       cmd->add_flag("--all", a.all, "Accepted for sparse: every component is always shown");
     },
     [](auto& o, auto&, auto& a) { return deploy::RunStats(o, a.name, a.component, a.format, stdout, stderr); }},
    {"slot-usage", "slot_usage", "Each supervisor's slots, used slots and the topologies using them", false,
     Topology::kNone, false, NoOptions, [](auto& o, auto&, auto&) { return deploy::RunSlotUsage(o, stdout, stderr); }},
    {"worker-uptime", "worker_uptime", "Each supervisor's uptime", false, Topology::kNone, false, NoOptions,
     [](auto& o, auto&, auto&) { return deploy::RunWorkerUptime(o, stdout, stderr); }},
};

void Register(CLI::App& app, const Spec& spec, const char* name, bool hidden, int& exit_code) {
  auto a = std::make_shared<ClusterArgs>();
  auto* cmd = app.add_subcommand(name, spec.help);
  if (hidden) cmd->group("");
  AddEnvOptions(cmd, a->env, spec.ssh);
  if (spec.topology != Topology::kNone) {
    if (spec.positional) cmd->add_option("name", a->positional, "Topology name (default: the project's only one)");
    cmd->add_option("-n,--name", a->name,
                    spec.topology == Topology::kRequired
                        ? "Topology (default: the project's only one)"
                        : "Topology (default: the project's only one, else every topology's logs)");
  }
  spec.options(cmd, *a);
  cmd->callback([&spec, a, &exit_code] {
    std::string name;
    if (spec.topology != Topology::kNone) {
      std::string given;
      if (!MergeNames(spec.name, a->positional, a->override_name.empty() ? a->name : a->override_name, &given)) {
        exit_code = 2;
        return;
      }
      if (!ChooseTopologyName(spec.name, given, spec.topology == Topology::kOptional, &name)) {
        exit_code = 1;
        return;
      }
    }
    DeployContext ctx;
    if (int rc = LoadDeployContext(spec.name, a->env, &ctx); rc != 0) {
      exit_code = rc;
      return;
    }
    deploy::ClusterOptions o;
    o.env = ctx.env;
    o.timeouts = ctx.timeouts;
    o.verbose = a->env.verbose;
    o.pool_size = a->env.pool_size;
    exit_code = spec.run(o, name, *a);
  });
}

}  // namespace

void RegisterClusterCommands(CLI::App& app, int& exit_code) {
  for (const Spec& spec : kSpecs) {
    Register(app, spec, spec.name, false, exit_code);
    if (spec.hidden_alias) Register(app, spec, spec.hidden_alias, true, exit_code);
  }
}

}  // namespace topoc::cli
