// cli/cmd_quickstart.cc: the project it writes (every file of
// quickstart_files.h, each folder announced once, outermost first), a project
// that checks clean, and each refusal with its message and exit 2: a bad
// name, a missing --dir, a target that exists (never overwritten).
#include <set>

#include "cli/cli_testing.h"
#include "cli/quickstart_files.h"

namespace topoc::cli::testing {

TEST_CASE("quickstart NAME --dir PARENT: every file written and announced; the project checks clean") {
  support::TempDir tmp("topoc-quickstart-test");
  CliResult r = RunCli(RegisterQuickstart, {"quickstart", "wc2", "--dir", tmp.path().string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  fs::path root = tmp.path() / "wc2";
  std::string shown = root.generic_string();
  CHECK(r.out.rfind("Creating your wc2 topoc project...\n    create    " + shown + "\n", 0) == 0);
  std::set<std::string> announced_dirs;
  for (const QuickstartFile& f : RenderQuickstartFiles("wc2")) {
    CAPTURE(f.path);
    CHECK(ReadFile(root / f.path) == f.contents);
    CHECK(r.out.find("    create    " + shown + "/" + f.path + "\n") != std::string::npos);
    std::string dir = fs::path(f.path).parent_path().generic_string();
    if (!dir.empty()) {
      // Announced once, and before the file.
      size_t at = r.out.find("    create    " + shown + "/" + dir + "/\n");
      CHECK(at != std::string::npos);
      CHECK(at < r.out.find("    create    " + shown + "/" + f.path + "\n"));
      CHECK(r.out.find("    create    " + shown + "/" + dir + "/\n", at + 1) == std::string::npos);
    }
  }
  CHECK(r.out.find("cd " + shown + " && topoc run\n") != std::string::npos);

  ScopedCwd cwd(root);
  CliResult check = RunCli(RegisterCheck, {"check"});
  CHECK(check.exit_code == 0);
  CHECK(check.err.empty());
}

TEST_CASE("quickstart in the current folder shows relative paths") {
  support::TempDir tmp("topoc-quickstart-test");
  ScopedCwd cwd(tmp.path());
  CliResult r = RunCli(RegisterQuickstart, {"quickstart", "here"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("    create    here\n") != std::string::npos);
  CHECK(r.out.find("cd here && topoc run\n") != std::string::npos);
  CHECK(fs::is_directory(tmp.path() / "here" / "topologies"));
}

TEST_CASE("quickstart refuses a bad name, a missing parent and an existing target (exit 2, nothing written)") {
  support::TempDir tmp("topoc-quickstart-test");
  CliResult bad = RunCli(RegisterQuickstart, {"quickstart", "9lives", "--dir", tmp.path().string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err ==
        "topoc quickstart: '9lives' is not a valid project name: it must start with a letter or '_' to be a .topo "
        "identifier\n");
  CHECK(fs::is_empty(tmp.path()));

  CliResult dots = RunCli(RegisterQuickstart, {"quickstart", "a.b", "--dir", tmp.path().string()});
  CHECK(dots.exit_code == 2);
  CHECK(dots.err.find("it contains '.', which Storm refuses in topology names") != std::string::npos);

  CliResult parent = RunCli(RegisterQuickstart, {"quickstart", "ok", "--dir", (tmp.path() / "nope").string()});
  CHECK(parent.exit_code == 2);
  CHECK(parent.err == "topoc quickstart: --dir '" + (tmp.path() / "nope").string() + "' is not an existing folder\n");

  WriteFile(tmp.path() / "taken" / "keep.txt", "mine");
  CliResult taken = RunCli(RegisterQuickstart, {"quickstart", "taken", "--dir", tmp.path().string()});
  CHECK(taken.exit_code == 2);
  CHECK(taken.err == "topoc quickstart: '" + (tmp.path() / "taken").generic_string() +
                         "' already exists; refusing to overwrite it (choose another name or remove it first)\n");
  CHECK(ReadFile(tmp.path() / "taken" / "keep.txt") == "mine");
  CHECK(!fs::exists(tmp.path() / "taken" / "topologies"));

  // A dangling symlink counts as existing too.
  fs::create_symlink(tmp.path() / "nowhere", tmp.path() / "link");
  CHECK(RunCli(RegisterQuickstart, {"quickstart", "link", "--dir", tmp.path().string()}).exit_code == 2);

  CHECK(RunCli(RegisterQuickstart, {"quickstart"}).exit_code == 2);  // NAME is required
}

}  // namespace topoc::cli::testing
