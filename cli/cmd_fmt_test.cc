// topoc fmt in process: rewriting in place, --check, --stdout, folders, and
// each usage error with its message and exit 2.
#include "cli/cli_testing.h"

namespace topoc::cli::testing {

namespace {
// A valid topology laid out badly: fmt changes it.
const char kUgly[] =
    "topology t {\nspout s = shell [\"a\"] { output (x) }\n  bolt b = shell [\"b\"] {input s shuffle}\n}\n";
}  // namespace

TEST_CASE("fmt: rewrites a file in place, then finds nothing to change") {
  support::TempDir tmp("topoc-fmt-test");
  fs::path f = tmp.path() / "t.topo";
  WriteFile(f, kUgly);
  CliResult r = RunCli(RegisterFmt, {"fmt", f.string()});
  CHECK(r.exit_code == 0);
  std::string formatted = ReadFile(f);
  CHECK(formatted != kUgly);
  CHECK(formatted.find("    spout s = shell [\"a\"]") != std::string::npos);
  CHECK(!fs::exists(tmp.path() / "t.topo.topoc-fmt.tmp"));
  // Idempotent: --check now finds nothing, and prints nothing.
  CliResult again = RunCli(RegisterFmt, {"fmt", "--check", f.string()});
  CHECK(again.exit_code == 0);
  CHECK(again.out.empty());
}

TEST_CASE("fmt --check lists the files that would change and exits 1; --stdout prints without writing") {
  support::TempDir tmp("topoc-fmt-test");
  WriteFile(tmp.path() / "dir/a.topo", kUgly);
  WriteFile(tmp.path() / "dir/_build/skipped.topo", kUgly);
  WriteFile(tmp.path() / "dir/.hidden/skipped.topo", kUgly);
  CliResult check = RunCli(RegisterFmt, {"fmt", "--check", (tmp.path() / "dir").string()});
  CHECK(check.exit_code == 1);
  CHECK(check.out == (tmp.path() / "dir/a.topo").string() + "\n");
  CHECK(ReadFile(tmp.path() / "dir/a.topo") == kUgly);

  CliResult out = RunCli(RegisterFmt, {"fmt", "--stdout", (tmp.path() / "dir/a.topo").string()});
  CHECK(out.exit_code == 0);
  CHECK(out.out.find("topology t {\n") == 0);
  CHECK(ReadFile(tmp.path() / "dir/a.topo") == kUgly);
}

TEST_CASE("fmt: a syntax error is exit 1 with the diagnostic, the file untouched") {
  support::TempDir tmp("topoc-fmt-test");
  fs::path f = tmp.path() / "bad.topo";
  WriteFile(f, "topology t {\n  spout s = \n");
  CliResult r = RunCli(RegisterFmt, {"fmt", f.string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.topo:") != std::string::npos);
  CHECK(r.err.find("error") != std::string::npos);
  CHECK(ReadFile(f) == "topology t {\n  spout s = \n");
}

TEST_CASE("fmt: usage errors name the problem, exit 2") {
  support::TempDir tmp("topoc-fmt-test");
  fs::path f = tmp.path() / "t.topo";
  WriteFile(f, kUgly);
  CliResult both = RunCli(RegisterFmt, {"fmt", "--check", "--stdout", f.string()});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "topoc fmt: --check and --stdout do not go together\n");
  CliResult missing = RunCli(RegisterFmt, {"fmt", (tmp.path() / "nope.topo").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "topoc fmt: no such file or folder: '" + (tmp.path() / "nope.topo").string() + "'\n");
  CliResult mixed = RunCli(RegisterFmt, {"fmt", "-", f.string()});
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.err == "topoc fmt: '-' (standard input) cannot be mixed with files\n");
  ScopedCwd cwd(tmp.path());
  CliResult none = RunCli(RegisterFmt, {"fmt"});
  CHECK(none.exit_code == 2);
  CHECK(none.err.rfind("topoc fmt: no project found (no config.json or topologies/ in ", 0) == 0);
}

}  // namespace topoc::cli::testing
