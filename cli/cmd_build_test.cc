// cli/cmd_build.cc in process: where outputs go (ResolveBuildInput), targets
// and their summary, files left alone when their bytes are the same, an
// output folder that cannot be made (nothing left behind), --check, and the
// usage errors with their messages.
#include <sys/stat.h>

#include "cli/build_input.h"
#include "cli/cli_testing.h"

namespace topoc::cli::testing {

TEST_CASE("ResolveBuildInput: a project folder, a file inside one, a loose file; what is missing") {
  support::TempDir tmp("topoc-build-test");
  WriteFile(tmp.path() / "p/topologies/a.topo", ShellTopology("a"));
  WriteFile(tmp.path() / "loose/x.topo", ShellTopology("x"));
  int code = 0;
  auto project = ResolveBuildInput("build", (tmp.path() / "p").string(), &code);
  REQUIRE(project);
  CHECK(project->topo_files.size() == 1);
  REQUIRE(project->project_root);
  CHECK(fs::equivalent(*project->project_root, tmp.path() / "p"));
  CHECK(project->default_out == *project->project_root / "_build");

  auto inside = ResolveBuildInput("build", (tmp.path() / "p/topologies/a.topo").string(), &code);
  REQUIRE(inside);
  CHECK(inside->default_out == *project->project_root / "_build");
  auto loose = ResolveBuildInput("build", (tmp.path() / "loose/x.topo").string(), &code);
  REQUIRE(loose);
  CHECK(!loose->project_root);
  CHECK(loose->default_out == tmp.path() / "loose/_build");

  {
    FdCapture err(STDERR_FILENO);
    CHECK(!ResolveBuildInput("graph", (tmp.path() / "nope").string(), &code));
    CHECK(code == 2);
    CHECK(err.Take() == "topoc graph: '" + (tmp.path() / "nope").string() + "' does not exist\n");
  }
  {
    FdCapture err(STDERR_FILENO);
    CHECK(!ResolveBuildInput("build", (tmp.path() / "loose").string(), &code));
    CHECK(code == 2);
    CHECK(err.Take().find("no topoc project at '" + (tmp.path() / "loose").string() + "'") != std::string::npos);
  }
  WriteFile(tmp.path() / "cfg/config.json", "{\"envs\": [}");
  WriteFile(tmp.path() / "cfg/topologies/a.topo", ShellTopology("a"));
  {
    FdCapture err(STDERR_FILENO);
    CHECK(!ResolveBuildInput("build", (tmp.path() / "cfg").string(), &code));
    CHECK(code == 1);  // the input is wrong, not the command line
    CHECK(err.Take().rfind("topoc build: error: ", 0) == 0);
  }
}

TEST_CASE("build: targets and the summary; a second build leaves same-bytes files alone") {
  support::TempDir tmp("topoc-build-test");
  WriteFile(tmp.path() / "p/topologies/wc.topo", ShellTopology("wc"));
  fs::path p = tmp.path() / "p";
  CliResult r = RunCli(RegisterBuild, {"build", p.string(), "-t", "dot,json"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.rfind("topoc build: wrote dot (1 file), json (1 file) to ", 0) == 0);
  CHECK(r.err.size() > 8);
  CHECK(r.err.substr(r.err.size() - 8) == "/_build\n");
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(p / "_build")) files += e.is_regular_file();
  CHECK(files == 2);
  fs::path dot;
  for (const auto& e : fs::recursive_directory_iterator(p / "_build")) {
    if (e.path().extension() == ".dot") dot = e.path();
  }
  REQUIRE(!dot.empty());
  struct stat before {};
  stat(dot.c_str(), &before);

  CliResult again = RunCli(RegisterBuild, {"build", p.string(), "-t", "dot", "-t", "dot"});
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("wrote dot (1 file) to ") != std::string::npos);
  CHECK(again.err.find("(1 of 1 already up to date)") != std::string::npos);
  struct stat after {};
  stat(dot.c_str(), &after);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(after.st_ino == before.st_ino);
}

TEST_CASE("build: an output folder that cannot be made is exit 2, the file in the way untouched") {
  support::TempDir tmp("topoc-build-test");
  WriteFile(tmp.path() / "x.topo", ShellTopology("x"));
  WriteFile(tmp.path() / "a-file", "not a folder");
  fs::path out = tmp.path() / "a-file" / "deep" / "out";
  CliResult r = RunCli(RegisterBuild, {"build", (tmp.path() / "x.topo").string(), "-o", out.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cannot create '") != std::string::npos);
  CHECK(ReadFile(tmp.path() / "a-file") == "not a folder");

}

TEST_CASE("build: errors in the input are exit 1 with nothing written; --check writes nothing either") {
  support::TempDir tmp("topoc-build-test");
  WriteFile(tmp.path() / "bad.topo", "topology t {\n    bolt b = shell [\"b\"] { input nope shuffle }\n}\n");
  CliResult bad = RunCli(RegisterBuild, {"build", (tmp.path() / "bad.topo").string()});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("error[E0201]") != std::string::npos);
  CHECK(!fs::exists(tmp.path() / "_build"));

  WriteFile(tmp.path() / "ok.topo", ShellTopology("ok"));
  CliResult check = RunCli(RegisterBuild, {"build", "--check", (tmp.path() / "ok.topo").string()});
  CHECK(check.exit_code == 0);
  CHECK(check.err.empty());
  CHECK(!fs::exists(tmp.path() / "_build"));
  CliResult json = RunCli(RegisterBuild, {"build", "--check", "--format", "json", (tmp.path() / "bad.topo").string()});
  CHECK(json.exit_code == 1);
  CHECK(json.out.find("\"E0201\"") != std::string::npos);
}

TEST_CASE("build: usage errors") {
  support::TempDir tmp("topoc-build-test");
  WriteFile(tmp.path() / "x.topo", ShellTopology("x"));
  std::string x = (tmp.path() / "x.topo").string();
  CliResult opt = RunCli(RegisterBuild, {"build", x, "--opt", "=v"});
  CHECK(opt.exit_code == 2);
  CHECK(opt.err == "topoc build: --opt '=v' is not of the form key=value\n");
  CHECK(RunCli(RegisterBuild, {"build", x, "-t", "yaml"}).exit_code == 2);
  CHECK(RunCli(RegisterBuild, {"build", x, "--format", "xml"}).exit_code == 2);
  CHECK(RunCli(RegisterBuild, {"build", x, "--storm-version", "2"}).exit_code == 2);
  CHECK(!fs::exists(tmp.path() / "_build"));
}

}  // namespace topoc::cli::testing
