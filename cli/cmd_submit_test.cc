// cli/cmd_submit.cc in process against the test Nimbus: submit's options
// reaching the submitted conf and name, `topoc jar` printing only the jar's
// path, and the refusals (bad -o, -j with -R, a missing prebuilt jar,
// update-virtualenv where virtualenvs are off), each with its exit code.
#include "cli/cli_testing.h"
#include "tests/deploy/test_nimbus.h"

namespace topoc::cli::testing {

namespace {

fs::path SourceDir() {
  const char* src = std::getenv("TOPOC_SOURCE_DIR");
  return fs::path(src ? src : TOPOC_TEST_SOURCE_DIR);
}

// A project with one shell topology "wc" and env "prod" on the test Nimbus
// (no virtualenvs, so no ssh).
struct SubmitProject {
  deploy::testing::TestNimbus nimbus;
  support::TempDir tmp{"topoc-cmd-submit-test"};
  fs::path root;
  EnvVar runtime{"TOPOC_PYTHON_RUNTIME", (SourceDir() / "stdlib" / "python").string()};
  SubmitProject() {
    REQUIRE(nimbus.Start());
    root = tmp.path() / "p";
    WriteFile(root / "config.json", "{\"envs\": {\"prod\": {\"nimbus\": \"127.0.0.1:" + std::to_string(nimbus.port()) +
                                        "\", \"use_virtualenv\": false}}}\n");
    WriteFile(root / "topologies/wc.topo", ShellTopology("wc"));
    fs::create_directories(root / "src");
  }
};

}  // namespace

TEST_CASE("submit: the name (-N), -o/-a/-w in the conf, -i, and the jar uploaded") {
  SubmitProject p;
  ScopedCwd cwd(p.root);
  CliResult r = RunCli(RegisterSubmit, {"submit", "-N", "wc-blue", "-o", "custom.key=[1,2]", "-a", "0", "-w", "3",
                                        "-i", "--timeout", "5"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("Virtualenvs: skipped (use_virtualenv is false)\n") != std::string::npos);
  CHECK(r.out.find("Submitted topology wc-blue to 127.0.0.1:" + std::to_string(p.nimbus.port()) +
                   " (env prod, inactive)\n") != std::string::npos);
  auto submitted = p.nimbus.submitted();
  REQUIRE(submitted.size() == 1);
  CHECK(submitted[0].name == "wc-blue");
  CHECK(submitted[0].initial_status == topoc::storm::TopologyInitialStatus::INACTIVE);
  nlohmann::json conf = nlohmann::json::parse(submitted[0].json_conf);
  CHECK(conf["topology.name"] == "wc-blue");
  CHECK(conf["custom.key"] == nlohmann::json::array({1, 2}));
  CHECK(conf["topology.acker.executors"] == 0);
  CHECK(conf["topology.workers"] == 3);
  CHECK(fs::exists(p.root / "_build/wc-blue.jar"));
  CHECK(p.nimbus.finished_uploads().count(submitted[0].jar_location) == 1);
  // The same name again, without --force: refused before anything is built.
  CliResult again = RunCli(RegisterSubmit, {"submit", "-N", "wc-blue"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("topology 'wc-blue' is already on the cluster") != std::string::npos);
}

TEST_CASE("jar: stdout is the jar's path alone; progress goes to stderr") {
  SubmitProject p;
  ScopedCwd cwd(p.root);
  CliResult r = RunCli(RegisterSubmit, {"jar"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == (p.root / "_build/wc.jar").string() + "\n");
  CHECK(r.err.rfind("Built " + (p.root / "_build/wc.jar").string(), 0) == 0);
  CHECK(fs::file_size(p.root / "_build/wc.jar") > 0);

  ScopedCwd away(p.tmp.path());
  CliResult none = RunCli(RegisterSubmit, {"jar"});
  CHECK(none.exit_code == 2);
  CHECK(none.err ==
        "topoc jar: no topologies/ or config.json in this folder or above (run it inside a topoc project)\n");
}

TEST_CASE("submit and update-virtualenv refusals, each with its message and exit code") {
  SubmitProject p;
  ScopedCwd cwd(p.root);
  CliResult bad_o = RunCli(RegisterSubmit, {"submit", "-o", "=3"});
  CHECK(bad_o.exit_code == 2);
  CHECK(bad_o.err == "topoc submit: bad -o '=3': expected key=value\n");

  CHECK(RunCli(RegisterSubmit, {"submit", "-j", "a.jar", "-R", "/nimbus/b.jar"}).exit_code == 2);
  CHECK(RunCli(RegisterSubmit, {"submit", "--storm-version", "3.x"}).exit_code == 2);

  CliResult prebuilt = RunCli(RegisterSubmit, {"submit", "-j", "missing.jar"});
  CHECK(prebuilt.exit_code == 1);
  CHECK(prebuilt.err == "topoc submit: error: --local-jar-path " + (p.root / "missing.jar").string() +
                            ": no such file\n");
  CHECK(p.nimbus.submitted().empty());

  CliResult unknown = RunCli(RegisterSubmit, {"submit", "-n", "nope"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err == "topoc submit: error: no topology named 'nope' (the project has: wc)\n");

  for (const char* cmd : {"update-virtualenv", "update_virtualenv"}) {
    CliResult venv = RunCli(RegisterSubmit, {cmd});
    CHECK(venv.exit_code == 1);
    CHECK(venv.err == "topoc update-virtualenv: error: env 'prod' has \"use_virtualenv\": false; its components "
                      "run the workers' python3\n");
  }
}

}  // namespace topoc::cli::testing
