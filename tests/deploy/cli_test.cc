// The `topoc` binary end to end: a quickstart project submitted to the test
// Nimbus, then list / deactivate / activate / rebalance / kill, and the
// errors a user meets (bad config.json, unknown env, Nimbus down or slow).
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "deploy/jar.h"
#include "deploy/ssh.h"
#include "tests/deploy/sshd_fixture.h"
#include "tests/deploy/test_nimbus.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace topoc::deploy;
using namespace topoc::support;
using topoc::deploy::testing::Fault;
using topoc::deploy::testing::SshdFixture;
using topoc::deploy::testing::TestNimbus;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string Topoc() {
  const char* bin = std::getenv("TOPOC_BIN");
  return bin ? bin : "topoc";
}

struct Cli {
  TestNimbus nimbus;
  TempDir tmp{"topoc-cli-test"};
  fs::path root;

  Cli() {
    REQUIRE(nimbus.Start());
    RunOptions o;
    o.cwd = tmp.path();
    ProcessResult r = RunProcess({Topoc(), "quickstart", "wordcount"}, o);
    REQUIRE_MESSAGE(r.ok(), r.output);
    root = tmp.path() / "wordcount";
    WriteConfig(nimbus.port());
  }
  void WriteConfig(int port) {
    json cfg = {{"envs",
                 {{"prod",
                   {{"nimbus", "127.0.0.1:" + std::to_string(port)},
                    {"workers", json::array()},
                    {"use_virtualenv", false},
                    {"log", {{"path", "/var/log/storm/streamparse"}, {"level", "info"}}},
                    {"options", {{"topology.max.spout.pending", 10}}}}},
                  {"staging",
                   {{"nimbus", "127.0.0.1:" + std::to_string(port)},
                    {"virtualenv_root", "/data/virtualenvs/"},
                    {"install_virtualenv", false}}}}}};
    std::ofstream(root / "config.json") << cfg.dump(4);
  }
  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), Topoc());
    RunOptions o;
    o.cwd = root / "src";  // config.json is found walking up
    o.timeout = std::chrono::seconds(60);
    return RunProcess(args, o);
  }
};

}  // namespace

TEST_CASE("topoc submit, list, deactivate, activate, rebalance, kill") {
  Cli c;
  ProcessResult r = c.Run({"submit", "-e", "prod", "-o", "topology.workers=3", "-o", "my.setting=on"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("Submitted topology wordcount to 127.0.0.1:") != std::string::npos);
  auto sub = c.nimbus.submitted();
  REQUIRE(sub.size() == 1);
  CHECK(sub[0].name == "wordcount");
  CHECK(sub[0].topology.spouts.count("word-spout") == 1);
  CHECK(sub[0].topology.bolts.count("count-bolt") == 1);
  CHECK(sub[0].topology.spouts.at("word-spout").spout_object.shell.execution_command == "python3");
  json conf = json::parse(sub[0].json_conf);
  CHECK(conf["topology.workers"] == 3);
  CHECK(conf["topology.message.timeout.secs"] == 30);
  CHECK(conf["topology.max.spout.pending"] == 10);
  CHECK(conf["my.setting"] == "on");
  CHECK(conf["streamparse.log.path"] == "/var/log/storm/streamparse");
  CHECK(conf["streamparse.log.level"] == "info");
  CHECK(conf["topology.name"] == "wordcount");

  // The uploaded jar: unzip it and look.
  auto uploads = c.nimbus.finished_uploads();
  REQUIRE(uploads.size() == 1);
  fs::path jar = c.tmp.path() / "got.jar";
  std::ofstream(jar, std::ios::binary) << uploads.begin()->second;
  fs::path x = c.tmp.path() / "x";
  ProcessResult unzip = RunProcess({"unzip", "-q", jar.string(), "-d", x.string()});
  REQUIRE_MESSAGE(unzip.ok(), unzip.output);
  CHECK(fs::exists(x / "resources/spouts/words.py"));
  CHECK(fs::exists(x / "resources/bolts/wordcount.py"));
  CHECK(fs::exists(x / "resources/streamparse/run.py"));
  CHECK(fs::exists(x / "resources/_topoc/spouts.words.WordSpout.py"));
  CHECK(fs::exists(x / "resources/_topoc/bolts.wordcount.WordCounter.py"));
  CHECK(!fs::exists(x / "resources/virtualenvs"));
  // The launcher really starts the component's module from resources/.
  ProcessResult py = RunProcess(
      {"python3", "-c", "import sys; sys.path.insert(0, sys.argv[1]); import spouts.words, streamparse.run; print('ok')",
       (x / "resources").string()});
  CHECK_MESSAGE(py.output == "ok\n", py.output);

  r = c.Run({"list", "-e", "prod"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("NAME       STATUS  WORKERS  EXECUTORS  TASKS  UPTIME\nwordcount  ACTIVE") == 0);

  CHECK(c.Run({"deactivate", "-e", "prod", "wordcount"}).output == "Deactivated wordcount\n");
  CHECK(c.nimbus.topologies()[0].status == "INACTIVE");
  CHECK(c.Run({"activate", "-e", "prod", "wordcount"}).output == "Activated wordcount\n");
  CHECK(c.nimbus.topologies()[0].status == "ACTIVE");
  r = c.Run({"rebalance", "-e", "prod", "wordcount", "--workers", "4", "--wait", "0"});
  CHECK(r.output == "Rebalancing wordcount onto 4 worker(s)\n");
  CHECK(c.nimbus.last_rebalance_options()->num_workers == 4);

  // Same name again: refused by Nimbus; --force replaces it.
  r = c.Run({"submit", "-e", "staging"});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("topoc submit: error: topology 'wordcount' is already on the cluster (status REBALANCING); "
                      "use --force to kill and replace it\n") != std::string::npos);
  // Nimbus's own refusal (e.g. a race with another submitter) is shown as is.
  c.nimbus.SetFault("submitTopologyWithOpts", Fault::kAlreadyAlive);
  r = c.Run({"submit", "-e", "staging", "--force"});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("topoc submit: error: Nimbus refused submitTopologyWithOpts: AlreadyAliveException: "
                      "test nimbus: submitTopologyWithOpts refused\n") != std::string::npos);
  c.nimbus.ClearFaults();
  r = c.Run({"submit", "-e", "staging", "--force", "--inactive"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  sub = c.nimbus.submitted();
  REQUIRE(sub.size() == 2);
  CHECK(sub[1].initial_status == topoc::storm::TopologyInitialStatus::INACTIVE);
  CHECK(sub[1].topology.bolts.at("count-bolt").bolt_object.shell.execution_command ==
        "/data/virtualenvs/wordcount/bin/python");

  r = c.Run({"kill", "-e", "prod", "wordcount", "--wait", "0"});
  CHECK(r.output == "Killed wordcount (workers stop after 0 s)\n");
  CHECK(c.nimbus.last_kill_options()->wait_secs == 0);
  r = c.Run({"kill", "-e", "prod", "wordcount"});
  CHECK(r.exit_code == 1);
  CHECK(r.output == "topoc kill: error: Nimbus refused killTopologyWithOpts: NotAliveException: wordcount is not alive\n");
}

TEST_CASE("topoc: config.json and environment errors") {
  Cli c;
  ProcessResult r = c.Run({"submit", "-e", "prdo"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.output.find("unknown environment 'prdo' (known: prod, staging); did you mean 'prod'?") != std::string::npos, r.output);
  r = c.Run({"list"});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("several environments (prod, staging); choose one with --environment") != std::string::npos);
  r = c.Run({"submit", "-e", "prod", "-o", "no-equals-sign"});
  CHECK(r.exit_code == 2);
  CHECK(r.output == "topoc submit: bad -o 'no-equals-sign': expected key=value\n");
  r = c.Run({"submit", "-e", "prod", "--name", "wordcoutn"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.output.find("topoc submit: error: no topology named 'wordcoutn' (the project has: wordcount)") != std::string::npos, r.output);
  fs::create_directories(c.root / "hooks");
  std::ofstream(c.root / "hooks/pre_submit") << "#!/bin/sh\nexit 0\n";  // not executable
  r = c.Run({"submit", "-e", "prod"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.output.find("hooks/pre_submit is not executable (chmod +x it); not submitting") != std::string::npos, r.output);

  std::ofstream(c.root / "config.json") << "{\n  \"envs\": {\n    \"prod\": {\"nimbus\": 6627}\n  }\n}\n";
  r = c.Run({"list"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.output.find(": envs.prod.nimbus: expected a string \"host[:port]\", found an integer") != std::string::npos, r.output);
  std::ofstream(c.root / "config.json") << "{\n  \"envs\": {\n    \"prod\": {\"nimbus\": \"a\"\n  }\n}\n";
  r = c.Run({"submit"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.output.find("config.json:6:1: invalid JSON") != std::string::npos, r.output);
  CHECK(c.nimbus.calls().empty());

  fs::remove(c.root / "config.json");
  fs::remove_all(c.root / "topologies");
  r = c.Run({"list"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("no config.json") != std::string::npos);
}

TEST_CASE("topoc: Nimbus down, slow Nimbus") {
  Cli c;
  c.nimbus.set_slow_ms(5000);
  c.nimbus.SetFault("getClusterInfo", Fault::kSlow);
  ProcessResult r = c.Run({"list", "-e", "prod", "--timeout", "0.5"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.output == "topoc list: error: Nimbus at 127.0.0.1:" + std::to_string(c.nimbus.port()) +
                                " failed during getClusterInfo: no answer within 0.5 s\n", r.output);
  c.nimbus.Stop();
  r = c.Run({"submit", "-e", "prod"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.output.find("topoc submit: error: cannot connect to Nimbus at 127.0.0.1:") != std::string::npos, r.output);
  CHECK(r.output.find("connection refused (is Nimbus running there?)") != std::string::npos);
}

TEST_CASE("topoc submit over real ssh (virtualenv), progress bar on a tty, tail, remove-logs") {
  Cli c;
  SshdFixture sshd;
  std::string err;
  REQUIRE_MESSAGE(sshd.Start({"worker-a"}, {}, &err), err);
  setenv("TOPOC_SSH_CONFIG", sshd.client_config().c_str(), 1);
  fs::path wheels = c.tmp.path() / "wheels", venvs = c.tmp.path() / "venvs", logs = c.tmp.path() / "logs";
  fs::create_directories(wheels);
  ProcessResult whl = RunProcess(
      {"python3", "-c",
       "import sys, zipfile\n"
       "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
       "    z.writestr('topoc_clipkg/__init__.py', 'VALUE = 7\\n')\n"
       "    d = 'topoc_clipkg-2.0.dist-info/'\n"
       "    z.writestr(d + 'METADATA', 'Metadata-Version: 2.1\\nName: topoc-clipkg\\nVersion: 2.0\\n')\n"
       "    z.writestr(d + 'WHEEL', 'Wheel-Version: 1.0\\nGenerator: topoc-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n"
       "    z.writestr(d + 'RECORD', '')\n",
       (wheels / "topoc_clipkg-2.0-py3-none-any.whl").string()});
  REQUIRE_MESSAGE(whl.ok(), whl.output);
  std::ofstream(c.root / "virtualenvs/wordcount.txt") << "topoc-clipkg\n";
  json cfg = {{"envs",
               {{"prod",
                 {{"nimbus", "127.0.0.1:" + std::to_string(c.nimbus.port())},
                  {"workers", {"worker-a"}},
                  {"virtualenv_root", venvs.string()},
                  {"pip_flags", {"--no-index", "--find-links", wheels.string()}},
                  {"log", {{"path", logs.string()}}}}}}}};
  std::ofstream(c.root / "config.json") << cfg.dump(4);

  // Under `script`, stdout is a terminal: the upload shows a progress bar.
  std::string cmd = ShellQuote(Topoc()) + " submit -v";
  RunOptions o;
  o.cwd = c.root;
  o.timeout = std::chrono::seconds(300);
  ProcessResult r = RunProcess({"script", "-qec", cmd, "/dev/null"}, o);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("Building virtualenv " + (venvs / "wordcount").string() + " on 1 worker(s)") != std::string::npos);
  CHECK(r.output.find("worker-a") != std::string::npos);
  CHECK_MESSAGE(r.output.find("Uploading jar [##############################] 100%") != std::string::npos, r.output);
  CHECK(r.output.find("+ ssh -F ") != std::string::npos);  // -v shows the ssh commands
  ProcessResult py = RunProcess({(venvs / "wordcount/bin/python").string(), "-c", "import topoc_clipkg; print(topoc_clipkg.VALUE)"});
  CHECK(py.output == "7\n");
  auto sub = c.nimbus.submitted();
  REQUIRE(sub.size() == 1);
  CHECK(sub[0].topology.spouts.at("word-spout").spout_object.shell.execution_command ==
        (venvs / "wordcount/bin/python").string());

  fs::create_directories(logs);
  std::ofstream(logs / "streamparse_wordcount_count-bolt_4_999.log") << "INFO counted dog\nWARNING odd word\n";
  std::ofstream(logs / "streamparse_other_x_1_1.log") << "WARNING not ours\n";
  r = c.Run({"tail", "--name", "wordcount", "--grep", "WARN"});
  CHECK(r.exit_code == 0);
  CHECK(r.output == "worker-a: WARNING odd word\n");
  // -f streams until interrupted: stop it after a few seconds and look.
  {
    RunOptions fo;
    fo.cwd = c.root;
    fo.timeout = std::chrono::seconds(4);
    ProcessResult f = RunProcess({Topoc(), "tail", "-f", "--name", "wordcount"}, fo);
    CHECK(f.timed_out);
    CHECK_MESSAGE(f.output.find("WARNING odd word") != std::string::npos, f.output);
  }
  r = c.Run({"remove-logs", "--name", "wordcount"});
  CHECK(r.output == "worker-a: removed 1 files\n");
  CHECK(fs::exists(logs / "streamparse_other_x_1_1.log"));
  unsetenv("TOPOC_SSH_CONFIG");
}

// ---------------------------------------------------------------------------
// sparse's command lines (docs/sparse.md): each row of the table.
// ---------------------------------------------------------------------------

namespace {

topoc::storm::ExecutorSummary Executor(const std::string& component, int task, const std::string& host, int port) {
  topoc::storm::ExecutorSummary e;
  e.executor_info.task_start = e.executor_info.task_end = task;
  e.component_id = component;
  e.host = host;
  e.port = port;
  e.uptime_secs = 600;
  e.__isset.stats = true;
  return e;
}

topoc::storm::ExecutorSummary SpoutExecutor(int task, const std::string& host, int64_t emitted, int64_t acked) {
  topoc::storm::ExecutorSummary e = Executor("word-spout", task, host, 6700);
  topoc::storm::SpoutStats s;
  s.acked = {{"600", {{"default", acked}}}, {":all-time", {{"default", acked * 10}}}};
  s.failed = {{"600", {{"default", 1}}}};
  s.complete_ms_avg = {{"600", {{"default", 4.0}}}};
  e.stats.emitted = {{"600", {{"default", emitted}}}, {":all-time", {{"default", emitted * 10}}}};
  e.stats.transferred = e.stats.emitted;
  e.stats.specific.__set_spout(s);
  return e;
}

topoc::storm::ExecutorSummary BoltExecutor(int task, const std::string& host, int64_t executed, double ms) {
  topoc::storm::ExecutorSummary e = Executor("count-bolt", task, host, 6701);
  topoc::storm::GlobalStreamId in;
  in.componentId = "word-spout";
  in.streamId = "default";
  topoc::storm::BoltStats b;
  b.executed = {{"600", {{in, executed}}}};
  b.execute_ms_avg = {{"600", {{in, ms}}}};
  b.acked = {{"600", {{in, executed}}}};
  b.process_ms_avg = {{"600", {{in, ms}}}};
  e.stats.specific.__set_bolt(b);
  return e;
}

}  // namespace

TEST_CASE("sparse: submit --env, -a, -w, -N, -i, -s, --config, --wait; kill/activate/deactivate/rebalance -n") {
  Cli c;
  // The design's spelling.
  ProcessResult r = c.Run({"submit", "--env", "prod", "-a", "2", "-w", "3", "-s", "--simple_jar", "-d"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  auto sub = c.nimbus.submitted();
  REQUIRE(sub.size() == 1);
  json conf = json::parse(sub[0].json_conf);
  CHECK(conf["topology.acker.executors"] == 2);
  CHECK(conf["topology.workers"] == 3);
  CHECK(conf["topology.debug"] == true);

  // -N: another name on the cluster (and for the virtualenv), -i inactive.
  r = c.Run({"submit", "--env", "staging", "-N", "wordcount-canary", "-i"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  sub = c.nimbus.submitted();
  REQUIRE(sub.size() == 2);
  CHECK(sub[1].name == "wordcount-canary");
  CHECK(sub[1].initial_status == topoc::storm::TopologyInitialStatus::INACTIVE);
  CHECK(json::parse(sub[1].json_conf)["topology.name"] == "wordcount-canary");
  CHECK(sub[1].topology.spouts.at("word-spout").spout_object.shell.execution_command ==
        "/data/virtualenvs/wordcount-canary/bin/python");
  CHECK(r.output.find("Built " + (c.root / "_build/wordcount-canary.jar").string()) != std::string::npos);

  // --override_name (sparse's spelling) and --force with --wait: the
  // running one is killed with that wait.
  r = c.Run({"submit", "--env", "staging", "--override_name", "wordcount-canary", "-f", "--wait", "0"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(c.nimbus.last_kill_options()->wait_secs == 0);
  CHECK(c.nimbus.submitted().size() == 3);

  // -R: a jar already on Nimbus (no upload); -j: a prebuilt jar, uploaded as it is.
  size_t uploads = c.nimbus.finished_uploads().size();
  std::string first_jar = c.nimbus.submitted()[0].jar_location;
  r = c.Run({"submit", "--env", "staging", "-N", "from-remote", "-R", first_jar, "-u"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(c.nimbus.submitted().back().jar_location == first_jar);
  CHECK(c.nimbus.finished_uploads().size() == uploads);
  fs::path prebuilt = c.tmp.path() / "prebuilt.jar";
  fs::copy_file(c.root / "_build/wordcount.jar", prebuilt);
  r = c.Run({"submit", "--env", "staging", "-N", "from-local", "--local_jar_path", prebuilt.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("Using the prebuilt jar " + prebuilt.string()) != std::string::npos);
  {
    std::ifstream in(prebuilt, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    CHECK(c.nimbus.finished_uploads().at(c.nimbus.submitted().back().jar_location) == bytes.str());
  }
  r = c.Run({"submit", "--env", "staging", "-N", "x", "-j", (c.tmp.path() / "none.jar").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("none.jar: no such file") != std::string::npos);
  r = c.Run({"submit", "--env", "staging", "-j", "a.jar", "-R", "b.jar"});
  CHECK(r.exit_code == 2);
  CHECK(c.Run({"kill", "--env", "staging", "-n", "from-remote", "--wait", "0"}).exit_code == 0);
  CHECK(c.Run({"kill", "--env", "staging", "-n", "from-local", "--wait", "0"}).exit_code == 0);

  // --config: another config.json, here outside the project.
  fs::path other = c.tmp.path() / "other-config.json";
  json cfg = {{"envs", {{"qa", {{"nimbus", "127.0.0.1:" + std::to_string(c.nimbus.port())}, {"use_virtualenv", false}}}}}};
  std::ofstream(other) << cfg.dump();
  r = c.Run({"list", "--config", other.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("wordcount-canary") != std::string::npos);
  r = c.Run({"list", "--config", (c.tmp.path() / "missing.json").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("topoc list: --config ") == 0);
  CHECK(r.output.find("missing.json: no such file") != std::string::npos);

  // -n/--name, and by default the project's only topology.
  CHECK(c.Run({"deactivate", "--env", "prod", "-n", "wordcount"}).output == "Deactivated wordcount\n");
  CHECK(c.Run({"activate", "--env", "prod"}).output == "Activated wordcount\n");
  CHECK(c.Run({"deactivate", "-e", "prod"}).output == "Deactivated wordcount\n");
  r = c.Run({"rebalance", "--env", "prod", "-w", "2"});
  CHECK(r.output == "Rebalancing wordcount onto 2 worker(s)\n");
  CHECK(c.nimbus.last_rebalance_options()->num_workers == 2);
  r = c.Run({"kill", "--env", "prod", "wordcount", "-n", "other"});
  CHECK(r.exit_code == 2);
  CHECK(r.output == "topoc kill: error: two topology names ('wordcount' and --name 'other'); give one\n");
  // kill waits 5 s by default, as sparse does (Storm deactivates it first).
  r = c.Run({"kill", "--env", "prod"});
  CHECK(r.output == "Killed wordcount (workers stop after 5 s)\n");
  CHECK(c.nimbus.last_kill_options()->wait_secs == 5);
  r = c.Run({"kill", "--env", "prod", "-N", "wordcount-canary", "--wait", "1"});
  CHECK(r.output == "Killed wordcount-canary (workers stop after 1 s)\n");
  CHECK(c.nimbus.topologies().empty());

  // Several topologies: the name cannot be guessed.
  {
    std::ifstream in(c.root / "topologies/wordcount.topo");
    std::stringstream text;
    text << in.rdbuf();
    std::string second = text.str();
    second.replace(second.find("topology wordcount"), 18, "topology second");
    std::ofstream(c.root / "topologies/second.topo") << second;
  }
  r = c.Run({"kill", "--env", "prod"});
  CHECK(r.exit_code == 1);
  CHECK(r.output == "topoc kill: error: several topologies (second, wordcount); choose one with -n/--name\n");
}

TEST_CASE("sparse: stats, slot-usage, worker-uptime against getTopologyInfo / getClusterInfo") {
  Cli c;
  c.nimbus.AddTopology("wordcount", "ACTIVE", 2, 3, 3, 600);
  c.nimbus.AddTopology("clicks", "INACTIVE", 1, 1, 1, 60);
  c.nimbus.SetExecutors("wordcount", {SpoutExecutor(1, "storm-a", 100, 40), SpoutExecutor(2, "storm-b", 60, 60),
                                      BoltExecutor(3, "storm-a", 6000, 50.0)});
  c.nimbus.SetExecutors("clicks", {SpoutExecutor(1, "storm-b", 5, 5)});
  c.nimbus.AddSupervisor("storm-b", 4, 2, 7200);
  c.nimbus.AddSupervisor("storm-a", 4, 1, 59);
  c.nimbus.AddSupervisor("storm-c", 2, 0, 90061);

  ProcessResult r = c.Run({"stats", "--env", "prod", "-n", "wordcount"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK_MESSAGE(r.output.find("wordcount (wordcount-1-1700000000): ACTIVE, up 10m 0s, 3 worker(s), 3 executor(s), "
                              "3 task(s)\n") == 0, r.output);
  // capacity: 6000 x 50 ms in 600 s = 0.5; complete latency 4 ms.
  CHECK_MESSAGE(r.output.find("(topology)  -      10m               3      3      160          160      6000    100"
                              "       2     0.500        4.000") != std::string::npos, r.output);
  CHECK(r.output.find("count-bolt  bolt   10m               1      1        0            0      6000   6000") !=
        std::string::npos);
  CHECK(c.nimbus.calls().back() == "getTopologyInfoByName");

  r = c.Run({"stats", "--env", "prod", "-n", "wordcount", "-c", "word-spout", "--format", "json"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  json j = json::parse(r.output);
  REQUIRE(j["topologies"].size() == 1);
  REQUIRE(j["topologies"][0]["components"].size() == 1);
  CHECK(j["topologies"][0]["components"][0]["windows"]["600"]["emitted"] == 160);
  CHECK(j["topologies"][0]["components"][0]["windows"][":all-time"]["acked"] == 1000);

  // Without -n: every topology, by name (--all: sparse's "every component", always so).
  r = c.Run({"stats", "--env", "prod", "--all"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  auto clicks = r.output.find("clicks (");
  auto wordcount = r.output.find("wordcount (");
  CHECK(clicks != std::string::npos);
  CHECK(wordcount != std::string::npos);
  CHECK(clicks < wordcount);

  r = c.Run({"stats", "--env", "prod", "-n", "wordcount", "-c", "count-blot"});
  CHECK(r.exit_code == 1);
  CHECK(r.output == "topoc stats: error: no component 'count-blot' in topology 'wordcount' (known: count-bolt, word-spout)\n");
  r = c.Run({"stats", "--env", "prod", "-n", "nope"});
  CHECK(r.exit_code == 1);
  CHECK(r.output == "topoc stats: error: no topology named 'nope' on the cluster\n");

  // A Nimbus before 2.3 has no getTopologyInfoByName: the id comes from getClusterInfo.
  c.nimbus.SetFault("getTopologyInfoByName", Fault::kNoSuchMethod);
  r = c.Run({"stats", "--env", "prod", "-n", "wordcount"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("count-bolt  bolt   10m") != std::string::npos);
  CHECK(c.nimbus.calls().back() == "getTopologyInfo");
  c.nimbus.ClearFaults();

  for (const char* cmd : {"slot-usage", "slot_usage"}) {
    r = c.Run({cmd, "--env", "prod"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    CHECK(r.output ==
          "HOST     SLOTS  USED  TOPOLOGIES\n"
          "storm-a      4     1  wordcount\n"
          "storm-b      4     2  clicks, wordcount\n"
          "storm-c      2     0  -\n");
  }
  for (const char* cmd : {"worker-uptime", "worker_uptime"}) {
    r = c.Run({cmd, "--env", "prod"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    CHECK(r.output ==
          "HOST     UPTIME\n"
          "storm-a  59s\n"
          "storm-b  2h 0m\n"
          "storm-c  1d 1h\n");
  }
}

TEST_CASE("sparse: jar, visualize, underscore spellings stay out of --help") {
  Cli c;
  ProcessResult r = c.Run({"jar", "-s"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  fs::path jar = c.root / "_build/wordcount.jar";
  // stdout ends with the path alone ("Built ..." goes to stderr).
  CHECK(r.output.size() > jar.string().size());
  CHECK(r.output.substr(r.output.size() - jar.string().size() - 1) == jar.string() + "\n");
  REQUIRE(fs::exists(jar));
  ProcessResult list = RunProcess({"unzip", "-l", jar.string()});
  CHECK(list.output.find("resources/_topoc/spouts.words.WordSpout.py") != std::string::npos);
  r = c.Run({"jar", "-n", "wordcount", "-N", "canary"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(fs::exists(c.root / "_build/canary.jar"));
  r = c.Run({"jar", "-n", "nope"});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("no topology named 'nope'") != std::string::npos);

  ProcessResult graph = c.Run({"graph", "-n", "wordcount"});
  ProcessResult visualize = c.Run({"visualize", "-n", "wordcount"});
  REQUIRE(graph.exit_code == 0);
  CHECK(visualize.exit_code == 0);
  CHECK(visualize.output == graph.output);
  CHECK(graph.output.find("digraph") != std::string::npos);
  fs::path dot = c.tmp.path() / "wordcount.dot";
  REQUIRE(c.Run({"visualize", "--output_file", dot.string()}).exit_code == 0);
  std::ifstream dot_in(dot);
  std::string dot_text((std::istreambuf_iterator<char>(dot_in)), std::istreambuf_iterator<char>());
  CHECK(dot_text == graph.output);

  ProcessResult help = c.Run({"--help"});
  for (const char* hidden : {"remove_logs", "update_virtualenv", "slot_usage", "worker_uptime"})
    CHECK_MESSAGE(help.output.find(hidden) == std::string::npos, hidden);
  for (const char* shown : {"stats", "slot-usage", "worker-uptime", "jar", "update-virtualenv", "visualize"})
    CHECK_MESSAGE(help.output.find(shown) != std::string::npos, shown);
  help = c.Run({"submit", "--help"});
  CHECK(help.output.find("--override-name") != std::string::npos);
  CHECK(help.output.find("--override_name") == std::string::npos);
  CHECK(help.output.find("--pool_size") == std::string::npos);
}

TEST_CASE("sparse: update-virtualenv over real ssh; tail and remove-logs --pattern, -l, --pool-size") {
  Cli c;
  SshdFixture sshd;
  std::string err;
  REQUIRE_MESSAGE(sshd.Start({"worker-a", "worker-b"}, {}, &err), err);
  setenv("TOPOC_SSH_CONFIG", sshd.client_config().c_str(), 1);
  fs::path wheels = c.tmp.path() / "wheels", venvs = c.tmp.path() / "venvs", logs = c.tmp.path() / "logs";
  fs::create_directories(wheels);
  auto wheel = [&](const std::string& pkg, const std::string& value) {
    ProcessResult whl = RunProcess(
        {"python3", "-c",
         "import sys, zipfile\n"
         "pkg, value = sys.argv[2], sys.argv[3]\n"
         "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
         "    z.writestr(pkg + '/__init__.py', 'VALUE = ' + value + '\\n')\n"
         "    d = pkg + '-1.0.dist-info/'\n"
         "    z.writestr(d + 'METADATA', 'Metadata-Version: 2.1\\nName: ' + pkg + '\\nVersion: 1.0\\n')\n"
         "    z.writestr(d + 'WHEEL', 'Wheel-Version: 1.0\\nGenerator: topoc-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n"
         "    z.writestr(d + 'RECORD', '')\n",
         (wheels / (pkg + "-1.0-py3-none-any.whl")).string(), pkg, value});
    REQUIRE_MESSAGE(whl.ok(), whl.output);
  };
  wheel("topoc_venv_a", "1");
  wheel("topoc_venv_b", "2");
  std::ofstream(c.root / "virtualenvs/wordcount.txt") << "topoc_venv_a\n";
  std::ofstream(c.tmp.path() / "extra.txt") << "topoc_venv_b\n";
  json cfg = {{"envs",
               {{"prod",
                 {{"nimbus", "127.0.0.1:" + std::to_string(c.nimbus.port())},
                  {"workers", {"worker-a", "worker-b"}},
                  {"virtualenv_root", venvs.string()},
                  {"install_virtualenv", false},  // update-virtualenv builds it anyway: it was asked for
                  {"pip_flags", {"--no-index", "--find-links", wheels.string()}},
                  {"log", {{"path", logs.string()}}}}}}}};
  std::ofstream(c.root / "config.json") << cfg.dump(4);
  fs::path python = venvs / "wordcount/bin/python";

  ProcessResult r = c.Run({"update-virtualenv", "--env", "prod", "--pool-size", "1"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("Building virtualenv " + (venvs / "wordcount").string() + " on 2 worker(s)") != std::string::npos);
  CHECK(RunProcess({python.string(), "-c", "import topoc_venv_a; print(topoc_venv_a.VALUE)"}).output == "1\n");
  CHECK(c.nimbus.calls().empty());  // nothing submitted

  // -r: other requirements files; sparse's spelling; the old package stays
  // until --overwrite-virtualenv starts afresh.
  fs::path marker = venvs / "wordcount/marker";
  std::ofstream(marker) << "x";
  r = c.Run({"update_virtualenv", "-n", "wordcount", "-r", (c.tmp.path() / "extra.txt").string(), "--pool_size", "2"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(RunProcess({python.string(), "-c", "import topoc_venv_b; print(topoc_venv_b.VALUE)"}).output == "2\n");
  CHECK(fs::exists(marker));
  r = c.Run({"update-virtualenv", "--overwrite_virtualenv", "-r", (c.tmp.path() / "extra.txt").string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("Rebuilding virtualenv") != std::string::npos);
  CHECK_FALSE(fs::exists(marker));
  CHECK(RunProcess({python.string(), "-c", "import topoc_venv_a"}).exit_code != 0);
  // -N: the virtualenv under another name.
  r = c.Run({"update-virtualenv", "-N", "canary", "--overwrite-virtualenv"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(RunProcess({(venvs / "canary/bin/python").string(), "-c", "import topoc_venv_a"}).exit_code == 0);
  r = c.Run({"update-virtualenv", "-r", "no-such.txt"});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("requirements file ") != std::string::npos);
  CHECK(r.output.find("no-such.txt not found (-r)") != std::string::npos);

  // tail / remove-logs: --pattern picks log files by name (sparse's
  // meaning), --grep lines; -l lines per file.
  fs::create_directories(logs);
  std::ofstream(logs / "streamparse_wordcount_count-bolt_4_999.log") << "bolt 1\nbolt 2\nbolt 3\n";
  std::ofstream(logs / "streamparse_wordcount_word-spout_1_998.log") << "spout 1\n";
  r = c.Run({"tail", "--pattern", "count-bolt", "-l", "2"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  // Both worker names reach the same folder: each prints the file's last 2 lines.
  CHECK(r.output == "worker-a: bolt 2\nworker-a: bolt 3\nworker-b: bolt 2\nworker-b: bolt 3\n");
  r = c.Run({"tail", "-n", "wordcount", "--num_lines", "1", "--grep", "^spout", "--pool-size", "1"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output == "worker-a: spout 1\nworker-b: spout 1\n");
  r = c.Run({"remove_logs", "--pattern", "word-spout", "--pool-size", "1"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("worker-a: removed 1 files\n") != std::string::npos);
  CHECK(fs::exists(logs / "streamparse_wordcount_count-bolt_4_999.log"));
  CHECK_FALSE(fs::exists(logs / "streamparse_wordcount_word-spout_1_998.log"));
  r = c.Run({"remove-logs", "-n", "wordcount"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK_FALSE(fs::exists(logs / "streamparse_wordcount_count-bolt_4_999.log"));
  unsetenv("TOPOC_SSH_CONFIG");
}

TEST_CASE("sparse: run -a/-w reach the components' conf, --env names the env") {
  Cli c;
  fs::path seen = c.tmp.path() / "seen-conf.txt";
  std::ofstream(c.root / "src/spouts/words.py")
      << "from streamparse.spout import Spout\n\n\n"
         "class WordSpout(Spout):\n"
         "    def initialize(self, stormconf, context):\n"
         "        with open(" << json(seen.string()).dump() << ", 'w') as f:\n"
         "            f.write('%s %s' % (stormconf.get('topology.acker.executors'), stormconf.get('topology.workers')))\n\n"
         "    def next_tuple(self):\n"
         "        pass\n";
  ProcessResult r = c.Run({"run", "--env", "prod", "-a", "0", "-w", "3", "--time", "3"});
  CHECK_MESSAGE(r.exit_code == 0, r.output);
  std::ifstream in(seen);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_MESSAGE(text == "0 3", text);
}
