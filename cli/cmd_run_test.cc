// cli/cmd_run.cc in process: a project's topology run for --time seconds
// with -o/-a/-w in the components' conf and config.json's log settings (read
// back from the handshake a test spout saves), and every refusal before a
// run starts, each with its message and exit code.
#include "cli/cli_testing.h"

namespace topoc::cli::testing {

namespace {

fs::path RunComponents() {
  const char* src = std::getenv("TOPOC_SOURCE_DIR");
  return fs::path(src ? src : TOPOC_TEST_SOURCE_DIR) / "tests" / "run" / "components";
}

// A project: seq_spout (3 reliable tuples, its handshake saved under
// `out`) into record_bolt, as shell components.
fs::path RunProject(const fs::path& root, const fs::path& out, const std::string& config_json = "") {
  std::string spout = (RunComponents() / "seq_spout.py").string();
  std::string bolt = (RunComponents() / "record_bolt.py").string();
  WriteFile(root / "topologies/runme.topo",
            "topology runme {\n"
            "    spout s = shell [\"python3\", \"" + spout + "\", \"" + (out / "spout").string() +
                "\", \"3\", \"--reliable\"] {\n"
            "        output (word, n)\n"
            "    }\n"
            "    bolt b = shell [\"python3\", \"" + bolt + "\", \"" + (out / "bolt").string() + "\"] {\n"
            "        input s shuffle\n"
            "    }\n"
            "}\n");
  fs::create_directories(root / "src");
  if (!config_json.empty()) WriteFile(root / "config.json", config_json);
  return root;
}

// Long enough for python to start and shake hands on a loaded machine (the
// run stops at the time, whatever happened).
const char kRunSecs[] = "12";

nlohmann::json Handshake(const fs::path& out) {
  // Task ids: __acker=1, b=2, s=3 (none with -a 0: b=1, s=2).
  for (const char* name : {"spout.handshake.3", "spout.handshake.2"}) {
    std::ifstream f(out / name);
    if (f) {
      nlohmann::json j = nlohmann::json::parse(f);
      fs::remove(out / name);  // the next run writes its own
      return j;
    }
  }
  FAIL("the spout wrote no handshake in " << out.string());
  return nullptr;
}

}  // namespace

TEST_CASE("run: the project's topology for --time, with -o, -a and -w in its conf; a summary at the end") {
  support::TempDir tmp("topoc-run-test");
  fs::path p = RunProject(tmp.path() / "p", tmp.path());
  CliResult r = RunCli(RegisterRun, {"run", p.string(), "-t", kRunSecs, "-o", "custom.key=5", "-o", "text=plain",
                                     "-a", "0", "-w", "2"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.find("topoc run: running topology 'runme' locally (logs in " + (p / "logs").string()) !=
        std::string::npos);
  CHECK(r.out.rfind("component  role  tasks", 0) == 0);
  CHECK(r.out.find("\nran ") != std::string::npos);
  nlohmann::json hs = Handshake(tmp.path());
  REQUIRE(!hs.is_null());
  CHECK(hs["conf"]["custom.key"] == 5);
  CHECK(hs["conf"]["text"] == "plain");
  CHECK(hs["conf"]["topology.acker.executors"] == 0);
  CHECK(hs["conf"]["topology.workers"] == 2);
  CHECK(hs["conf"]["topology.name"] == "runme");
  // The run's folders: logs/ and _build/run/<topology>/.
  CHECK(fs::is_directory(p / "logs"));
  CHECK(fs::is_directory(p / "_build/run/runme"));
}

TEST_CASE("run: config.json's log settings, the top-level ones or those of the env -e names") {
  support::TempDir tmp("topoc-run-test");
  fs::path p = RunProject(tmp.path() / "p", tmp.path(),
                          R"({"log": {"level": "warning", "max_bytes": 5000},
                              "envs": {"prod": {"nimbus": "n", "use_virtualenv": false,
                                                "log": {"level": "error", "backup_count": 2}}}})");
  CHECK(RunCli(RegisterRun, {"run", p.string(), "-t", kRunSecs}).exit_code == 0);
  nlohmann::json hs = Handshake(tmp.path());
  CHECK(hs["conf"]["streamparse.log.level"] == "warning");
  CHECK(hs["conf"]["streamparse.log.max_bytes"] == 5000);
  CHECK(!hs["conf"].contains("streamparse.log.backup_count"));
  // -e prod: the env's settings; --debug's level wins.
  CHECK(RunCli(RegisterRun, {"run", p.string(), "-t", kRunSecs, "-e", "prod", "-d"}).exit_code == 0);
  hs = Handshake(tmp.path());
  CHECK(hs["conf"]["streamparse.log.backup_count"] == 2);
  CHECK(!hs["conf"].contains("streamparse.log.max_bytes"));
  CHECK(hs["conf"]["streamparse.log.level"] == "debug");

  CliResult unknown = RunCli(RegisterRun, {"run", p.string(), "-t", kRunSecs, "-e", "staging"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown environment 'staging'") != std::string::npos);
}

TEST_CASE("run: refusals before anything starts, each named, with exit 2 (usage) or 1 (the input)") {
  support::TempDir tmp("topoc-run-test");
  fs::path p = RunProject(tmp.path() / "p", tmp.path());
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string err;
  };
  std::string nope = (tmp.path() / "nope").string();
  for (const Case& c : {
           Case{{"run", nope}, 2, "topoc run: '" + nope + "' is not a folder\n"},
           Case{{"run", p.string(), "-t", "-1"}, 2, "topoc run: --time must be positive\n"},
           Case{{"run", p.string(), "-o", "novalue"}, 2, "topoc run: option 'novalue' is not of the form key=value\n"},
           Case{{"run", p.string(), "-n", "other"}, 1,
                "topoc run: no topology named 'other' (the project has: runme)\n"},
           Case{{"run", p.string(), "-e", "prod"}, 2, "topoc run: -e prod: the project has no config.json\n"},
       }) {
    CAPTURE(c.args);
    CliResult r = RunCli(RegisterRun, c.args);
    CHECK(r.exit_code == c.code);
    CHECK(r.err == c.err);
  }
  for (std::vector<std::string> args : {std::vector<std::string>{"run", p.string(), "--ui-port", "70000"},
                                        {"run", p.string(), "--storm-version", "3.x"},
                                        {"run", p.string(), "-a", "-1"},
                                        {"run", p.string(), "-w", "0"}}) {
    CAPTURE(args);
    CHECK(RunCli(RegisterRun, args).exit_code == 2);
  }
  CHECK(!fs::exists(tmp.path() / "spout.handshake.3"));

  fs::create_directories(tmp.path() / "loose");
  CliResult loose = RunCli(RegisterRun, {"run", (tmp.path() / "loose").string()});
  CHECK(loose.exit_code == 2);
  CHECK(loose.err.rfind("topoc run: no project found (no config.json or topologies/ in ", 0) == 0);

  WriteFile(tmp.path() / "two/topologies/a.topo", ShellTopology("a"));
  WriteFile(tmp.path() / "two/topologies/b.topo", ShellTopology("b"));
  CliResult two = RunCli(RegisterRun, {"run", (tmp.path() / "two").string()});
  CHECK(two.exit_code == 2);
  CHECK(two.err == "topoc run: the project has several topologies (a, b); choose one with --name\n");

  WriteFile(tmp.path() / "java/topologies/j.topo",
            "topology j {\n    spout k = java \"org.apache.storm.kafka.KafkaSpout\" { output (x) }\n"
            "    bolt b = shell [\"b\"] { input k shuffle }\n}\n");
  CliResult java = RunCli(RegisterRun, {"run", (tmp.path() / "java").string()});
  CHECK(java.exit_code == 1);
  CHECK(java.err.rfind("topoc run: component 'k' is a java component (org.apache.storm.kafka.KafkaSpout)", 0) == 0);

  WriteFile(tmp.path() / "cfg/config.json", "{\"envs\": [}");
  WriteFile(tmp.path() / "cfg/topologies/a.topo", ShellTopology("a"));
  CliResult cfg = RunCli(RegisterRun, {"run", (tmp.path() / "cfg").string()});
  CHECK(cfg.exit_code == 1);
  CHECK(cfg.err.rfind("topoc run: error: ", 0) == 0);
}

}  // namespace topoc::cli::testing
