// cli/cmd_test.cc (`topoc test`): the refusals before anything runs (exit
// 2), and the runner it becomes: a stand-in interpreter records the argv,
// PYTHONPATH and folder it was exec'ed with, in a forked child, and its exit
// code is the command's.
#include <sys/wait.h>

#include "cli/cli_testing.h"

namespace topoc::cli::testing {

namespace {

fs::path RuntimeDir() {
  const char* src = std::getenv("TOPOC_SOURCE_DIR");
  return fs::path(src ? src : TOPOC_TEST_SOURCE_DIR) / "stdlib" / "python";
}

// A project with tests/, and a stand-in python: `-c ...` (the pytest probe)
// exits $HAS_PYTEST; otherwise it prints what it was given and exits 7.
struct TestProject {
  support::TempDir tmp{"topoc-cmd-test-test"};
  fs::path root, python;
  EnvVar runtime{"TOPOC_PYTHON_RUNTIME", RuntimeDir().string()};
  TestProject() {
    root = tmp.path() / "p";
    WriteFile(root / "topologies/t.topo", ShellTopology("t"));
    fs::create_directories(root / "tests");
    fs::create_directories(root / "src");
    python = tmp.path() / "fake-python";
    WriteFile(python,
              "#!/bin/sh\n"
              "if [ \"$1\" = -c ]; then exit ${HAS_PYTEST:-1}; fi\n"
              "echo \"argv: $*\"\necho \"PYTHONPATH=$PYTHONPATH\"\necho \"cwd=$(pwd)\"\nexit 7\n");
    fs::permissions(python, fs::perms::owner_all);
  }
};

// `topoc <args>` in a forked child, as main.cc would run it; what the
// process (topoc, then the runner it exec'ed) wrote and its exit status.
std::pair<int, std::string> RunInChild(std::vector<std::string> args) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  std::cout.flush();
  std::fflush(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(out[1], 2);
    close(out[0]);
    CLI::App app{"topoc"};
    int exit_code = 0;
    RegisterTest(app, exit_code);
    args.insert(args.begin(), "topoc");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      _exit(app.exit(e) == 0 ? 0 : 2);
    }
    std::fflush(nullptr);
    _exit(exit_code);  // only when nothing was exec'ed
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

}  // namespace

TEST_CASE("test: unittest discover in the project, src/ and the runtime first on PYTHONPATH, -k passed on") {
  TestProject p;
  auto [code, text] = RunInChild({"test", p.root.string(), "--python", p.python.string(), "--runner", "unittest",
                                  "-k", "counts"});
  CHECK(code == 7);  // the runner's exit code is topoc's
  std::string tests = (p.root / "tests").string();
  CHECK(text.find("topoc test: " + p.python.string() + " unittest in " + tests + "\n") != std::string::npos);
  CHECK(text.find("argv: -m unittest discover -s " + tests + " -t " + tests + " -k counts\n") != std::string::npos);
  CHECK(text.find("PYTHONPATH=" + (p.root / "src").string() + ":" + fs::absolute(RuntimeDir()).string()) !=
        std::string::npos);
  CHECK(text.find("cwd=" + fs::canonical(p.root).string() + "\n") != std::string::npos);
}

TEST_CASE("test: pytest when the interpreter has it, with the project as rootdir") {
  TestProject p;
  EnvVar has("HAS_PYTEST", "0");
  EnvVar py("TOPOC_PYTHON", p.python.string());  // --python's default
  auto [code, text] = RunInChild({"test", p.root.string()});
  CHECK(code == 7);
  CHECK(text.find("argv: -m pytest --rootdir " + p.root.string() + " " + (p.root / "tests").string() + "\n") !=
        std::string::npos);
}

TEST_CASE("test: refusals before anything runs, exit 2") {
  TestProject p;
  std::string nope = (p.tmp.path() / "nope").string();
  CliResult dir = RunCli(RegisterTest, {"test", nope});
  CHECK(dir.exit_code == 2);
  CHECK(dir.err == "topoc test: '" + nope + "' is not a folder\n");

  CliResult tests = RunCli(RegisterTest, {"test", p.root.string(), "--tests", "spec"});
  CHECK(tests.exit_code == 2);
  CHECK(tests.err == "topoc test: no tests folder " + (p.root / "spec").string() +
                         " (write tests of your spouts and bolts there; see docs/testing.md)\n");

  CliResult no_pytest =
      RunCli(RegisterTest, {"test", p.root.string(), "--python", p.python.string(), "--runner", "pytest"});
  CHECK(no_pytest.exit_code == 2);
  CHECK(no_pytest.err.rfind("topoc test: --runner pytest: " + p.python.string() + " cannot import pytest", 0) == 0);

  CliResult no_python = RunCli(RegisterTest, {"test", p.root.string(), "--python", "/nonexistent/python"});
  CHECK(no_python.exit_code == 2);
  CHECK(no_python.err.rfind("topoc test: cannot run the Python interpreter '/nonexistent/python': ", 0) == 0);

  CHECK(RunCli(RegisterTest, {"test", p.root.string(), "--runner", "nose"}).exit_code == 2);

  fs::create_directories(p.tmp.path() / "loose");
  CliResult loose = RunCli(RegisterTest, {"test", (p.tmp.path() / "loose").string()});
  CHECK(loose.exit_code == 2);
  CHECK(loose.err.rfind("topoc test: no project found (no config.json or topologies/ in ", 0) == 0);
}

}  // namespace topoc::cli::testing
