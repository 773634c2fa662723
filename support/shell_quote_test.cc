#include "support/shell_quote.h"

#include <doctest/doctest.h>

#include <string>

#include "support/process.h"

using namespace topoc::support;

TEST_CASE("ShellQuote quotes for POSIX sh") {
  CHECK(ShellQuote("abc") == "'abc'");
  CHECK(ShellQuote("") == "''");
  CHECK(ShellQuote("it's") == "'it'\\''s'");
}

TEST_CASE("ShellQuote survives sh for hostile strings") {
  for (std::string s : {"plain", "", "it's", "$(touch /tmp/pwned)", "`id`", "a b\tc\nd", "'\"\\$x'", "-rf"}) {
    ProcessResult r = RunProcess({"sh", "-c", "printf %s " + ShellQuote(s)});
    REQUIRE(r.ok());
    CHECK(r.output == s);
  }
}
