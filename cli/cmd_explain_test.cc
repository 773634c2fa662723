// topoc explain: a code's page, --list, and the usage errors (exit 2).
#include "cli/cli_testing.h"

namespace topoc::cli::testing {

TEST_CASE("explain: a code prints its page, ending in a newline") {
  CliResult r = RunCli(RegisterExplain, {"explain", "E0201"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("# E0201: UnknownComponent (error)\n", 0) == 0);
  CHECK(r.out.find("unknown component 'X'") != std::string::npos);
  CHECK(r.out.back() == '\n');
  CHECK(r.err.empty());
}

TEST_CASE("explain --list: one line per code with its message") {
  CliResult r = RunCli(RegisterExplain, {"explain", "--list"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("E0201  unknown component '{0}'\n") != std::string::npos);
  size_t lines = std::count(r.out.begin(), r.out.end(), '\n');
  CHECK(lines >= 40);
  // --list wins over a code.
  CHECK(RunCli(RegisterExplain, {"explain", "--list", "E9999"}).out == r.out);
}

TEST_CASE("explain: no code or an unknown one is a usage error") {
  CliResult none = RunCli(RegisterExplain, {"explain"});
  CHECK(none.exit_code == 2);
  CHECK(none.err == "topoc explain: give a code, e.g. `topoc explain E0201` (or --list)\n");
  CHECK(none.out.empty());
  CliResult bad = RunCli(RegisterExplain, {"explain", "E9999"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "topoc explain: unknown diagnostic code 'E9999' (see `topoc explain --list`)\n");
  CHECK(RunCli(RegisterExplain, {"explain", "--bogus"}).exit_code == 2);
}

}  // namespace topoc::cli::testing
