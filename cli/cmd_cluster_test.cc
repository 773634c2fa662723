// cli/cmd_cluster.cc: the cluster commands' arguments in process, against
// the test Nimbus (tests/deploy/test_nimbus.h): the topology name from the
// positional argument, -n or -N, or the project's only topology; the env
// options; sparse's hidden spellings; and each refusal with its exit code.
#include "cli/cli_testing.h"
#include "tests/deploy/test_nimbus.h"

namespace topoc::cli::testing {

namespace {

// A project whose env "prod" is the test Nimbus, with topologies `names`.
struct ClusterProject {
  deploy::testing::TestNimbus nimbus;
  support::TempDir tmp{"topoc-cmd-cluster-test"};
  fs::path root;
  explicit ClusterProject(const std::vector<std::string>& names) {
    REQUIRE(nimbus.Start());
    root = tmp.path() / "p";
    WriteFile(root / "config.json", "{\"envs\": {\"prod\": {\"nimbus\": \"127.0.0.1:" +
                                        std::to_string(nimbus.port()) + "\", \"use_virtualenv\": false}}}\n");
    for (const auto& n : names) WriteFile(root / "topologies" / (n + ".topo"), ShellTopology(n));
    fs::create_directories(root / "topologies");
  }
};

}  // namespace

TEST_CASE("list, and the name of the project's only topology for activate and kill") {
  ClusterProject p({"alpha"});
  ScopedCwd cwd(p.root);
  CliResult list = RunCli(RegisterClusterCommands, {"list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out == "No topologies running on 127.0.0.1:" + std::to_string(p.nimbus.port()) + ".\n");

  p.nimbus.AddTopology("alpha", "INACTIVE");
  CliResult act = RunCli(RegisterClusterCommands, {"activate"});
  CHECK(act.exit_code == 0);
  CHECK(act.out == "Activated alpha\n");
  CliResult kill = RunCli(RegisterClusterCommands, {"kill", "--wait", "0"});
  CHECK(kill.exit_code == 0);
  CHECK(kill.out == "Killed alpha (workers stop after 0 s)\n");
  CHECK(p.nimbus.last_kill_options()->wait_secs == 0);
}

TEST_CASE("the topology by position, -n, or -N (kill's override name); two different names are refused") {
  ClusterProject p({"alpha", "beta"});
  ScopedCwd cwd(p.root);
  p.nimbus.AddTopology("beta");
  p.nimbus.AddTopology("renamed");
  CHECK(RunCli(RegisterClusterCommands, {"deactivate", "beta"}).out == "Deactivated beta\n");
  CHECK(RunCli(RegisterClusterCommands, {"activate", "-n", "beta"}).out == "Activated beta\n");
  CliResult n = RunCli(RegisterClusterCommands, {"kill", "--override_name", "renamed"});
  CHECK(n.exit_code == 0);
  CHECK(n.out == "Killed renamed (workers stop after 5 s)\n");

  CliResult two = RunCli(RegisterClusterCommands, {"rebalance", "beta", "--name", "alpha"});
  CHECK(two.exit_code == 2);
  CHECK(two.err == "topoc rebalance: error: two topology names ('beta' and --name 'alpha'); give one\n");
  CliResult which = RunCli(RegisterClusterCommands, {"activate"});
  CHECK(which.exit_code == 1);
  CHECK(which.err == "topoc activate: error: several topologies (alpha, beta); choose one with -n/--name\n");
}

TEST_CASE("option checks: --workers and --timeout positive, --wait not negative, stats --format text|json") {
  ClusterProject p({"alpha"});
  ScopedCwd cwd(p.root);
  for (std::vector<std::string> args : {std::vector<std::string>{"rebalance", "-w", "0"},
                                        {"kill", "--wait", "-1"},
                                        {"list", "--timeout", "0"},
                                        {"stats", "--format", "xml"},
                                        {"tail", "--pool-size", "0"},
                                        {"list", "--pool-size", "2"}}) {  // list uses no ssh
    CAPTURE(args[0] + " " + args[1]);
    CHECK(RunCli(RegisterClusterCommands, args).exit_code == 2);
  }
  CHECK(p.nimbus.calls().empty());
}

TEST_CASE("the env and config.json: a wrong env is exit 1, no project exit 2; sparse's spellings work") {
  ClusterProject p({"alpha"});
  {
    ScopedCwd cwd(p.root);
    CliResult env = RunCli(RegisterClusterCommands, {"list", "-e", "prdo"});
    CHECK(env.exit_code == 1);
    CHECK(env.err.find("unknown environment 'prdo' (known: prod); did you mean 'prod'?") != std::string::npos);
    CHECK(RunCli(RegisterClusterCommands, {"list", "--env", "prod"}).exit_code == 0);
    CHECK(RunCli(RegisterClusterCommands, {"worker_uptime"}).out ==
          "No supervisors in the cluster of 127.0.0.1:" + std::to_string(p.nimbus.port()) + ".\n");
  }
  ScopedCwd cwd(p.tmp.path());
  CliResult none = RunCli(RegisterClusterCommands, {"list"});
  CHECK(none.exit_code == 2);
  CHECK(none.err == "topoc list: no config.json in this folder or above (run it inside a topoc project)\n");
  CliResult other = RunCli(RegisterClusterCommands, {"list", "--config", (p.root / "config.json").string()});
  CHECK(other.exit_code == 0);
}

}  // namespace topoc::cli::testing
