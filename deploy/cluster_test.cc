// deploy/cluster.cc against the test Nimbus (tests/deploy/test_nimbus.h), in
// process: what each command prints, the checks made before any connection,
// and the one-line errors (exit 1). The same commands through the topoc
// binary, with ssh, are in tests/deploy/cli_test.cc and submit_test.cc.
#include <cstdio>
#include <cstdlib>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "deploy/cluster.h"
#include "tests/deploy/test_nimbus.h"

using namespace topoc::deploy;
using topoc::deploy::testing::Fault;
using topoc::deploy::testing::TestNimbus;

namespace {

// What a FILE* receives.
struct MemFile {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  ~MemFile() {
    std::fclose(f);
    std::free(buf);
  }
  std::string str() {
    std::fflush(f);
    return std::string(buf, len);
  }
};

// An env "prod" on the test Nimbus; `extra` adds members (JSON text).
struct ClusterWorld {
  TestNimbus nimbus;
  topoc::config::DeployConfig config;
  ClusterOptions o;
  explicit ClusterWorld(const std::string& extra = "") {
    REQUIRE(nimbus.Start());
    std::string text = "{\"envs\": {\"prod\": {\"nimbus\": \"127.0.0.1:" + std::to_string(nimbus.port()) +
                       "\", \"use_virtualenv\": false" + extra + "}}}";
    std::string error;
    REQUIRE_MESSAGE(topoc::config::ParseDeployConfig(text, "config.json", &config, &error), error);
    o.env = &config.envs[0];
    o.timeouts.connect = std::chrono::seconds(2);
    o.timeouts.io = std::chrono::seconds(2);
  }
};

}  // namespace

TEST_CASE("list: none running, then a table sorted by name") {
  ClusterWorld w;
  MemFile out, err;
  CHECK(RunList(w.o, out.f, err.f) == 0);
  CHECK(out.str() == "No topologies running on 127.0.0.1:" + std::to_string(w.nimbus.port()) + ".\n");
  w.nimbus.AddTopology("zeta", "ACTIVE", 1, 2, 2, 5);
  w.nimbus.AddTopology("alpha", "INACTIVE", 3, 4, 6, 90061);
  MemFile out2, err2;
  CHECK(RunList(w.o, out2.f, err2.f) == 0);
  CHECK(out2.str() ==
        "NAME   STATUS    WORKERS  EXECUTORS  TASKS  UPTIME\n"
        "alpha  INACTIVE        3          4      6  1d 1h\n"
        "zeta   ACTIVE          1          2      2  5s\n");
  CHECK(err.str().empty());
}

TEST_CASE("kill says when the workers stop; rebalance names the new worker count") {
  ClusterWorld w;
  w.nimbus.AddTopology("a");
  w.nimbus.AddTopology("b");
  MemFile out, err;
  CHECK(RunKill(w.o, "a", 7, out.f, err.f) == 0);
  CHECK(w.nimbus.last_kill_options()->wait_secs == 7);
  CHECK(RunKill(w.o, "b", std::nullopt, out.f, err.f) == 0);
  CHECK(!w.nimbus.last_kill_options()->__isset.wait_secs);
  w.nimbus.AddTopology("c");
  CHECK(RunRebalance(w.o, "c", std::nullopt, 0, out.f, err.f) == 0);
  CHECK(RunRebalance(w.o, "c", 4, std::nullopt, out.f, err.f) == 0);
  CHECK(out.str() ==
        "Killed a (workers stop after 7 s)\n"
        "Killed b (workers stop after its message timeout)\n"
        "Rebalancing c\n"
        "Rebalancing c onto 4 worker(s)\n");
  CHECK(err.str().empty());
}

TEST_CASE("rebalance --workers 0 is refused before Nimbus is asked") {
  ClusterWorld w;
  w.nimbus.AddTopology("c");
  MemFile out, err;
  CHECK(RunRebalance(w.o, "c", 0, std::nullopt, out.f, err.f) == 1);
  CHECK(err.str() == "topoc rebalance: error: --workers must be at least 1\n");
  CHECK(w.nimbus.calls().empty());
}

TEST_CASE("each command's Nimbus error is one line under its own name") {
  ClusterWorld w;
  MemFile out, err;
  CHECK(RunActivate(w.o, "ghost", true, out.f, err.f) == 1);
  CHECK(RunActivate(w.o, "ghost", false, out.f, err.f) == 1);
  CHECK(err.str() ==
        "topoc activate: error: Nimbus refused activate: NotAliveException: ghost is not alive\n"
        "topoc deactivate: error: Nimbus refused deactivate: NotAliveException: ghost is not alive\n");
  CHECK(out.str().empty());
  w.nimbus.Stop();
  MemFile out2, err2;
  CHECK(RunWorkerUptime(w.o, out2.f, err2.f) == 1);
  CHECK(err2.str().rfind("topoc worker-uptime: error: ", 0) == 0);
  CHECK(err2.str().find("127.0.0.1:" + std::to_string(w.nimbus.port())) != std::string::npos);
}

TEST_CASE("stats: nothing running, as text and as JSON; an unknown component names the known ones") {
  ClusterWorld w;
  MemFile out, err;
  CHECK(RunStats(w.o, "", "", "text", out.f, err.f) == 0);
  CHECK(out.str() == "No topologies running on 127.0.0.1:" + std::to_string(w.nimbus.port()) + ".\n");
  MemFile json_out, json_err;
  CHECK(RunStats(w.o, "", "", "json", json_out.f, json_err.f) == 0);
  CHECK(nlohmann::json::parse(json_out.str())["topologies"].empty());
  w.nimbus.AddTopology("wc");
  MemFile e_out, e_err;
  CHECK(RunStats(w.o, "", "count-bolt", "text", e_out.f, e_err.f) == 1);
  CHECK(e_err.str() == "topoc stats: error: no component 'count-bolt' in any running topology (known: none)\n");
}

TEST_CASE("slot-usage and worker-uptime without supervisors say so") {
  ClusterWorld w;
  MemFile out, err;
  CHECK(RunSlotUsage(w.o, out.f, err.f) == 0);
  CHECK(RunWorkerUptime(w.o, out.f, err.f) == 0);
  std::string where = "127.0.0.1:" + std::to_string(w.nimbus.port());
  CHECK(out.str() == "No supervisors in the cluster of " + where + ".\nNo supervisors in the cluster of " + where +
                         ".\n");
  w.nimbus.AddSupervisor("storm-a", 4, 0, 61);
  MemFile out2, err2;
  CHECK(RunSlotUsage(w.o, out2.f, err2.f) == 0);
  CHECK(out2.str() == "HOST     SLOTS  USED  TOPOLOGIES\nstorm-a      4     0  -\n");
}

TEST_CASE("tail and remove-logs need the env's log path and workers, before any ssh") {
  {
    ClusterWorld w(", \"workers\": [\"w1\"]");
    MemFile out, err;
    CHECK(RunTail(w.o, "wc", false, 10, "", "", out.f, err.f) == 1);
    CHECK(err.str() ==
          "topoc tail: error: env 'prod' has no \"log\": {\"path\": ...} in config.json, so topoc does not know "
          "where the workers' logs are\n");
  }
  {
    ClusterWorld w(", \"log\": {\"path\": \"/var/log/storm\"}");
    MemFile out, err;
    CHECK(RunRemoveLogs(w.o, "wc", "", out.f, err.f) == 1);
    CHECK(err.str() == "topoc remove-logs: error: env 'prod' lists no workers in config.json\n");
    CHECK(out.str().empty());
  }
}
