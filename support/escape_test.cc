#include "support/escape.h"

#include <doctest/doctest.h>

#include <string>

using namespace topoc::support;

TEST_CASE("Quoted: what every style escapes") {
  for (const QuoteStyle* style : {&kJavaStyle, &kYamlStyle, &kJsonStyle}) {
    CHECK(Quoted("", *style) == "\"\"");
    CHECK(Quoted("plain words", *style) == "\"plain words\"");
    CHECK(Quoted("a\"b\\c\nd\te\rf", *style) == "\"a\\\"b\\\\c\\nd\\te\\rf\"");
    CHECK(Quoted("caf\xc3\xa9", *style) == "\"caf\xc3\xa9\"");  // UTF-8 as is
  }
}

TEST_CASE("Quoted: where the styles differ") {
  std::string odd("\x01\b\f\x1f\x7f", 5);
  CHECK(Quoted(odd, kJavaStyle) == "\"\\u0001\\b\\f\\u001f\\u007f\"");
  CHECK(Quoted(odd, kYamlStyle) == "\"\\x01\\x08\\x0c\\x1f\\x7f\"");
  CHECK(Quoted(odd, kJsonStyle) == "\"\\u0001\\u0008\\u000c\\u001f\x7f\"");
  std::string nul("a\0b", 3);
  CHECK(Quoted(nul, kJsonStyle) == "\"a\\u0000b\"");
}

TEST_CASE("AppendQuoted appends") {
  std::string out = "x=";
  AppendQuoted(&out, "it's \"q\"", kJsonStyle);
  CHECK(out == "x=\"it's \\\"q\\\"\"");
}
