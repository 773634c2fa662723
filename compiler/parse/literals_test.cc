#include "compiler/parse/literals.h"

#include <doctest/doctest.h>

namespace topoc::parse {

TEST_CASE("UnescapeString handles JSON escapes and surrogate pairs") {
  DiagnosticEngine diags;
  Span s{0, 0, 0};
  CHECK(UnescapeString(R"("a\"b\\c\n\t\u0041")", s, diags) == "a\"b\\c\n\tA");
  CHECK(UnescapeString(R"("\ud83d\ude00")", s, diags) == "\xF0\x9F\x98\x80");
  CHECK(UnescapeString(R"("\u00e9")", s, diags) == "\xC3\xA9");
  CHECK(diags.diagnostics().empty());
  UnescapeString(R"("\ud83d")", s, diags);
  CHECK(diags.diagnostics().size() == 1);
}

TEST_CASE("UnescapeString reports each bad escape at its bytes and keeps going") {
  DiagnosticEngine diags;
  Span s{0, 10, 20};
  CHECK(UnescapeString(R"("a\qb\u12")", s, diags) == "ab12");
  REQUIRE(diags.diagnostics().size() == 2);
  CHECK(diags.diagnostics()[0].primary.begin == 12);
  CHECK(diags.diagnostics()[0].primary.end == 14);
  // An unterminated string has no closing quote to drop.
  DiagnosticEngine quiet;
  CHECK(UnescapeString(R"("abc)", s, quiet) == "abc");
  CHECK(quiet.diagnostics().empty());
}

TEST_CASE("number tokens: 64-bit range, long suffix, finite doubles") {
  CHECK(IntTokenValue("42") == 42);
  CHECK(IntTokenValue("-7L") == -7);
  CHECK(IntTokenValue("9223372036854775807") == INT64_MAX);
  CHECK_FALSE(IntTokenValue("9223372036854775808").has_value());
  CHECK(FitsInt32(2147483647));
  CHECK_FALSE(FitsInt32(2147483648LL));
  CHECK(FloatTokenValue("1.5e3") == 1500.0);
  CHECK_FALSE(FloatTokenValue("1e999").has_value());
}

}  // namespace topoc::parse
