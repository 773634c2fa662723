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
#include "deploy/subprocess.h"
#include "tests/deploy/sshd_fixture.h"
#include "tests/deploy/test_nimbus.h"

using namespace topoc::deploy;
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
  r = c.Run({"tail", "--name", "wordcount", "--pattern", "WARN"});
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
