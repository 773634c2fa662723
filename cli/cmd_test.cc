// topoc test [PROJECT_DIR] [--tests DIR] [--runner auto|pytest|unittest]
//            [--python PY] [-k PATTERN]
// Runs the project's own tests of its spouts and bolts (streamparse.testing,
// docs/testing.md) with src/ and the streamparse runtime on PYTHONPATH:
// pytest when the interpreter has it, else `unittest discover`. topoc
// becomes the test runner (exec), so the exit code, the output naming the
// failing tests and Ctrl-C are the runner's own. Exit 2 (nothing run) when
// there is no project, no tests folder, no runtime or no interpreter.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "compiler/driver/project.h"
#include "support/process.h"

namespace topoc::cli {
namespace {

namespace fs = std::filesystem;

struct TestArgs {
  std::string project_dir;
  std::string tests = "tests";
  std::string runner = "auto";
  std::string python;
  std::string keyword;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "topoc test: %s\n", message.c_str());
  return 2;
}

int RunTests(const TestArgs& args) {
  std::error_code ec;
  fs::path start = args.project_dir.empty() ? fs::current_path(ec) : fs::path(args.project_dir);
  if (!args.project_dir.empty() && !fs::is_directory(start, ec)) {
    return Fail("'" + args.project_dir + "' is not a folder");
  }
  auto project = driver::FindProject(start);
  if (!project) {
    return Fail("no project found (no config.json or topologies/ in " + fs::absolute(start, ec).string() +
                " or above)");
  }
  fs::path tests = fs::path(args.tests).is_absolute() ? fs::path(args.tests) : project->root / args.tests;
  if (!fs::is_directory(tests, ec)) {
    return Fail("no tests folder " + tests.string() +
                " (write tests of your spouts and bolts there; see docs/testing.md)");
  }
  fs::path runtime_dir = driver::BuiltinPythonRuntimeDir();
  if (runtime_dir.empty()) {
    return Fail("the streamparse Python runtime was not found (set TOPOC_PYTHON_RUNTIME to the folder "
                "holding streamparse/)");
  }
  std::string python = args.python;
  if (python.empty()) {
    const char* env = std::getenv("TOPOC_PYTHON");
    python = env && *env ? env : "python3";
  }

  std::string path = project->src_dir().string() + ":" + fs::absolute(runtime_dir).string();
  if (const char* existing = std::getenv("PYTHONPATH"); existing && *existing) path += std::string(":") + existing;

  std::string runner = args.runner;
  if (runner != "unittest") {
    support::RunOptions probe;
    probe.env["PYTHONPATH"] = path;
    support::ProcessResult r = support::RunProcess({python, "-c", "import pytest"}, probe);
    if (!r.started) return Fail("cannot run the Python interpreter '" + python + "': " + r.error);
    bool has_pytest = r.exit_code == 0;
    if (runner == "pytest" && !has_pytest) {
      return Fail("--runner pytest: " + python +
                  " cannot import pytest (Debian: apt-get install python3-pytest; else pip install pytest), "
                  "or use --runner unittest");
    }
    runner = has_pytest ? "pytest" : "unittest";
  }

  std::vector<std::string> argv = {python, "-m"};
  if (runner == "pytest") {
    // rootdir = the project, so test ids read tests/test_x.py::test_y.
    argv.insert(argv.end(), {"pytest", "--rootdir", project->root.string(), tests.string()});
  } else {
    argv.insert(argv.end(), {"unittest", "discover", "-s", tests.string(), "-t", tests.string()});
  }
  // Both runners select tests with -k (pytest: an expression; unittest: a
  // substring or wildcard pattern of the test names).
  if (!args.keyword.empty()) argv.insert(argv.end(), {"-k", args.keyword});

  std::fprintf(stderr, "topoc test: %s %s in %s\n", python.c_str(), runner.c_str(), tests.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
  if (::setenv("PYTHONPATH", path.c_str(), 1) != 0 || ::chdir(project->root.c_str()) != 0) {
    return Fail(std::string("cannot prepare the test run: ") + std::strerror(errno));
  }
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  ::execvp(cargv[0], cargv.data());
  return Fail("cannot run '" + python + "': " + std::strerror(errno));
}

}  // namespace

void RegisterTest(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TestArgs>();
  auto* cmd = app.add_subcommand(
      "test", "Run the project's tests of its spouts and bolts (pytest, else unittest) with src/ and streamparse on the path");
  cmd->add_option("PROJECT_DIR", args->project_dir, "project folder (default: found from the current folder)");
  cmd->add_option("--tests", args->tests, "tests folder, relative to the project (default: tests)")->option_text("DIR");
  cmd->add_option("--runner", args->runner, "test runner (default: auto = pytest when the interpreter has it)")
      ->check(CLI::IsMember({"auto", "pytest", "unittest"}));
  cmd->add_option("--python", args->python, "Python interpreter (default: $TOPOC_PYTHON or python3)");
  cmd->add_option("-k", args->keyword, "run only the tests matching PATTERN (passed to the runner's -k)")
      ->option_text("PATTERN");
  cmd->callback([args, &exit_code] { exit_code = RunTests(*args); });
}

}  // namespace topoc::cli
