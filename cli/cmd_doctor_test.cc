// cli/cmd_doctor.cc in process: the report as JSON and as a table, a missing
// interpreter turning the verdict (exit 1), Nimbus asked through -e (the
// test Nimbus of tests/deploy/), and each usage error (exit 2).
#include "cli/cli_testing.h"
#include "tests/deploy/test_nimbus.h"

namespace topoc::cli::testing {

namespace {

fs::path DoctorRuntime() {
  const char* src = std::getenv("TOPOC_SOURCE_DIR");
  return fs::path(src ? src : TOPOC_TEST_SOURCE_DIR) / "stdlib" / "python";
}

const nlohmann::json* FindCheck(const nlohmann::json& report, const std::string& name) {
  for (const auto& c : report["checks"]) {
    if (c["check"] == name) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("doctor --format json: every check with job, need and detail; where the runtime comes from") {
  support::TempDir tmp("topoc-doctor-test");
  WriteFile(tmp.path() / "p/topologies/a.topo", ShellTopology("a"));
  EnvVar runtime("TOPOC_PYTHON_RUNTIME", DoctorRuntime().string());
  CliResult r = RunCli(RegisterDoctor, {"doctor", (tmp.path() / "p").string(), "--format", "json"});
  nlohmann::json report = nlohmann::json::parse(r.out);
  CHECK(report["ok"] == (r.exit_code == 0));
  CHECK(report["python_runtime"] == DoctorRuntime().string());
  REQUIRE(FindCheck(report, "binary") != nullptr);
  CHECK((*FindCheck(report, "binary"))["ok"] == true);
  const nlohmann::json* rt = FindCheck(report, "python runtime folder");
  REQUIRE(rt != nullptr);
  CHECK((*rt)["ok"] == true);
  CHECK((*rt)["detail"].get<std::string>().find("TOPOC_PYTHON_RUNTIME") != std::string::npos);
  const nlohmann::json* project = FindCheck(report, "project");
  REQUIRE(project != nullptr);
  CHECK((*project)["detail"] == report["project"]);
  // No envs: ssh is not needed.
  const nlohmann::json* ssh = FindCheck(report, "ssh");
  REQUIRE(ssh != nullptr);
  CHECK((*ssh)["needed"] == false);
}

TEST_CASE("doctor: an interpreter that is not there is needed and missing: exit 1, said in the table") {
  support::TempDir tmp("topoc-doctor-test");
  WriteFile(tmp.path() / "p/topologies/a.topo", ShellTopology("a"));
  CliResult r = RunCli(RegisterDoctor, {"doctor", (tmp.path() / "p").string(), "--python", "/nonexistent/python9"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("JOB", 0) == 0);
  CHECK(r.out.find("python: /nonexistent/python9") != std::string::npos);
  CHECK(r.out.find("MISSING") != std::string::npos);
  CHECK(r.out.find("\nSomething topoc needs is missing or failed (above).\n") != std::string::npos);
}

TEST_CASE("doctor -e: Nimbus asked for its cluster summary") {
  deploy::testing::TestNimbus nimbus;
  REQUIRE(nimbus.Start());
  nimbus.AddSupervisor("storm-a", 4, 1, 60);
  support::TempDir tmp("topoc-doctor-test");
  WriteFile(tmp.path() / "p/config.json",
            "{\"envs\": {\"prod\": {\"nimbus\": \"127.0.0.1:" + std::to_string(nimbus.port()) +
                "\", \"use_virtualenv\": false}}}");
  WriteFile(tmp.path() / "p/topologies/a.topo", ShellTopology("a"));
  CliResult r = RunCli(RegisterDoctor, {"doctor", (tmp.path() / "p").string(), "-e", "prod", "--format", "json",
                                        "--timeout", "3"});
  nlohmann::json report = nlohmann::json::parse(r.out);
  const nlohmann::json* n = FindCheck(report, "nimbus 127.0.0.1:" + std::to_string(nimbus.port()));
  REQUIRE(n != nullptr);
  CHECK((*n)["ok"] == true);
  CHECK((*n)["detail"].get<std::string>().rfind("getClusterInfo answered: 1 supervisor(s), 0 topolog", 0) == 0);
  CHECK((*FindCheck(report, "ssh"))["needed"] == true);  // the project has an env to submit to

  nimbus.Stop();
  CliResult down = RunCli(RegisterDoctor, {"doctor", (tmp.path() / "p").string(), "-e", "prod", "--timeout", "2"});
  CHECK(down.exit_code == 1);
  CHECK(down.out.find("FAILED") != std::string::npos);
}

TEST_CASE("doctor: usage errors and a bad config.json or env are exit 2") {
  support::TempDir tmp("topoc-doctor-test");
  std::string nope = (tmp.path() / "nope").string();
  CliResult dir = RunCli(RegisterDoctor, {"doctor", nope});
  CHECK(dir.exit_code == 2);
  CHECK(dir.err == "topoc doctor: '" + nope + "' is not a folder\n");

  fs::create_directories(tmp.path() / "loose");
  CliResult no_project = RunCli(RegisterDoctor, {"doctor", (tmp.path() / "loose").string(), "-e", "prod"});
  CHECK(no_project.exit_code == 2);
  CHECK(no_project.err == "topoc doctor: --environment prod: no project found (no config.json here or above)\n");

  WriteFile(tmp.path() / "p/config.json", "{\"envs\": {\"prod\": {\"nimbus\": \"n\", \"use_virtualenv\": false}}}");
  CliResult env = RunCli(RegisterDoctor, {"doctor", (tmp.path() / "p").string(), "-e", "beta"});
  CHECK(env.exit_code == 2);
  CHECK(env.err.find("unknown environment 'beta' (known: prod)") != std::string::npos);

  WriteFile(tmp.path() / "bad/config.json", "{\"envs\": 1}");
  CliResult cfg = RunCli(RegisterDoctor, {"doctor", (tmp.path() / "bad").string()});
  CHECK(cfg.exit_code == 2);
  CHECK(cfg.err.rfind("topoc doctor: ", 0) == 0);

  CHECK(RunCli(RegisterDoctor, {"doctor", "--format", "xml"}).exit_code == 2);
  CHECK(RunCli(RegisterDoctor, {"doctor", "--timeout", "0"}).exit_code == 2);
}

}  // namespace topoc::cli::testing
