// cli/cmd_check.cc: how `topoc check` turns its arguments into inputs (files,
// project folders, the project around the current folder, stdin under a
// name), each usage error with its message and exit 2, a broken config.json
// as exit 1, --werror, and where each format's output goes.
#include "cli/check_common.h"
#include "cli/cli_testing.h"

namespace topoc::cli::testing {

namespace {

const char kUnknownInput[] =
    "topology t {\n"
    "    spout s = shell [\"a\"] { output (x) }\n"
    "    bolt b = shell [\"b\"] { input nope shuffle }\n"
    "}\n";

// A named stream nobody reads: a warning (W0302), not an error.
const char kUnconsumed[] =
    "topology t {\n"
    "    spout s = shell [\"a\"] {\n        output (x)\n        output extra (y)\n    }\n"
    "    bolt b = shell [\"b\"] { input s shuffle }\n"
    "}\n";

}  // namespace

TEST_CASE("check: a clean file says nothing; an error is exit 1 on stderr; json goes to stdout") {
  support::TempDir tmp("topoc-check-test");
  WriteFile(tmp.path() / "ok.topo", ShellTopology("ok"));
  WriteFile(tmp.path() / "bad.topo", kUnknownInput);
  CliResult ok = RunCli(RegisterCheck, {"check", (tmp.path() / "ok.topo").string()});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.empty());
  CHECK(ok.err.empty());

  CliResult bad = RunCli(RegisterCheck, {"check", (tmp.path() / "bad.topo").string()});
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("bad.topo:3:") != std::string::npos);
  CHECK(bad.err.find("error[E0201]") != std::string::npos);

  CliResult json = RunCli(RegisterCheck, {"check", "--format", "json", (tmp.path() / "bad.topo").string()});
  CHECK(json.exit_code == 1);
  CHECK(json.err.empty());
  REQUIRE(!json.out.empty());
  CHECK(nlohmann::json::parse(json.out.substr(0, json.out.find('\n')))["code"] == "E0201");
}

TEST_CASE("check --werror: a warning fails the check") {
  support::TempDir tmp("topoc-check-test");
  WriteFile(tmp.path() / "w.topo", kUnconsumed);
  CliResult plain = RunCli(RegisterCheck, {"check", (tmp.path() / "w.topo").string()});
  CHECK(plain.exit_code == 0);
  CHECK(plain.err.find("warning[W0302]") != std::string::npos);
  CliResult strict = RunCli(RegisterCheck, {"check", "--werror", (tmp.path() / "w.topo").string()});
  CHECK(strict.exit_code == 1);
}

TEST_CASE("check without paths: the project around the current folder, every topologies/*.topo") {
  support::TempDir tmp("topoc-check-test");
  WriteFile(tmp.path() / "p/topologies/a.topo", ShellTopology("a"));
  WriteFile(tmp.path() / "p/topologies/b.topo", kUnknownInput);
  fs::create_directories(tmp.path() / "p/src/deep");
  ScopedCwd cwd(tmp.path() / "p/src/deep");
  CliResult r = RunCli(RegisterCheck, {"check"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("b.topo:3:") != std::string::npos);
  // A project folder as the argument: the same inputs.
  CliResult dir = RunCli(RegisterCheck, {"check", (tmp.path() / "p").string()});
  CHECK(dir.exit_code == 1);
  CHECK(dir.err == r.err);
}

TEST_CASE("check: usage errors (exit 2) and a broken config.json (exit 1), each named") {
  support::TempDir tmp("topoc-check-test");
  WriteFile(tmp.path() / "ok.topo", ShellTopology("ok"));
  {
    CheckArgs a;
    a.format = "xml";
    a.paths = {(tmp.path() / "ok.topo").string()};
    FdCapture err(STDERR_FILENO);
    CHECK(RunCheck(a) == 2);
    CHECK(err.Take() == "topoc check: --format must be 'text' or 'json', not 'xml'\n");
  }
  CliResult missing = RunCli(RegisterCheck, {"check", (tmp.path() / "nope.topo").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "topoc check: no such file or folder: '" + (tmp.path() / "nope.topo").string() + "'\n");

  fs::create_directories(tmp.path() / "loose");
  CliResult loose = RunCli(RegisterCheck, {"check", (tmp.path() / "loose").string()});
  CHECK(loose.exit_code == 2);
  CHECK(loose.err == "topoc check: '" + (tmp.path() / "loose").string() +
                         "' is not inside a project (no config.json or topologies/)\n");
  {
    ScopedCwd cwd(tmp.path() / "loose");
    CliResult none = RunCli(RegisterCheck, {"check"});
    CHECK(none.exit_code == 2);
    CHECK(none.err.rfind("topoc check: no project found (no config.json or topologies/ in ", 0) == 0);
  }

  fs::create_directories(tmp.path() / "empty/topologies");
  CliResult empty = RunCli(RegisterCheck, {"check", (tmp.path() / "empty").string()});
  CHECK(empty.exit_code == 2);
  CHECK(empty.err.rfind("topoc check: no .topo files in ", 0) == 0);

  WriteFile(tmp.path() / "cfg/config.json", "{\"envs\": [}");
  WriteFile(tmp.path() / "cfg/topologies/a.topo", ShellTopology("a"));
  CliResult cfg = RunCli(RegisterCheck, {"check", (tmp.path() / "cfg").string()});
  CHECK(cfg.exit_code == 1);
  CHECK(cfg.err.rfind("topoc check: error: ", 0) == 0);
  CHECK(cfg.err.find("config.json") != std::string::npos);
}

TEST_CASE("RenderDiagnostics: text to stderr, json to stdout") {
  driver::CompileOptions options;
  support::TempDir tmp("topoc-check-test");
  WriteFile(tmp.path() / "x.topo", kUnknownInput);
  options.inputs = {tmp.path() / "x.topo"};
  driver::Compilation compilation;
  driver::Compile(options, compilation);
  REQUIRE(compilation.diags.HadErrors());
  FdCapture out(STDOUT_FILENO), err(STDERR_FILENO);
  RenderDiagnostics(compilation, "json");
  std::string json_out = out.Take();
  RenderDiagnostics(compilation, "text");
  std::string text_err = err.Take();
  CHECK(json_out.find("\"E0201\"") != std::string::npos);
  CHECK(text_err.find("error[E0201]") != std::string::npos);
}

}  // namespace topoc::cli::testing
