#include "runtime/json_scan.h"

#include <doctest/doctest.h>

#include <map>
#include <string>

namespace topoc::runtime {

static bool Valid(std::string_view s) {
  const char* e = SkipJsonValue(s.data(), s.data() + s.size());
  return e && TrimJson(std::string_view(e, static_cast<size_t>(s.data() + s.size() - e))).empty();
}

TEST_CASE("validation") {
  CHECK(Valid("{\"command\": \"emit\", \"tuple\": [1, 2.5e3, -0, \"a\\\"b\", null, true, {}]}"));
  CHECK(Valid("  [ ]  "));
  CHECK_FALSE(Valid("{\"a\": }"));
  CHECK_FALSE(Valid("{\"a\" 1}"));
  CHECK_FALSE(Valid("[1,]"));
  CHECK_FALSE(Valid("\"unterminated"));
  CHECK_FALSE(Valid("01"));
  CHECK_FALSE(Valid("\"bad \\x escape\""));
  CHECK_FALSE(Valid("tru"));
  CHECK_FALSE(Valid("{\"a\":1}{\"b\":2}"));
  std::string deep(300, '[');
  deep += std::string(300, ']');
  CHECK_FALSE(Valid(deep));
}

TEST_CASE("object members keep raw values") {
  std::map<std::string, std::string> got;
  bool ok = ForEachJsonMember("{\"command\":\"emit\", \"tuple\": [\"a b\", 1], \"anchors\": [\"12\"]}\n",
                              [&](std::string_view k, std::string_view v) { got[std::string(k)] = v; });
  CHECK(ok);
  CHECK(got["command"] == "\"emit\"");
  CHECK(got["tuple"] == "[\"a b\", 1]");
  CHECK(got["anchors"] == "[\"12\"]");
  CHECK_FALSE(ForEachJsonMember("[1]", [](auto, auto) {}));
  CHECK_FALSE(ForEachJsonMember("{\"a\":1} x", [](auto, auto) {}));
  CHECK(ForEachJsonMember(" {} ", [](auto, auto) {}));
}

TEST_CASE("arrays, strings, ints") {
  std::vector<std::string_view> items;
  REQUIRE(SplitJsonArray("[ \"x\" , [1,2], {\"k\":[]}, 3 ]", &items));
  REQUIRE(items.size() == 4);
  CHECK(items[1] == "[1,2]");
  CHECK(items[2] == "{\"k\":[]}");
  CHECK(SplitJsonArray("[]", &items));
  CHECK(items.empty());

  std::string s;
  CHECK(DecodeJsonString("\"a\\n\\u00e9\\ud83d\\ude00\\\"\"", &s));
  CHECK(s == "a\n\xc3\xa9\xf0\x9f\x98\x80\"");
  std::string out;
  AppendJsonString(&out, "q\"\\\n\x01");
  CHECK(out == "\"q\\\"\\\\\\n\\u0001\"");

  int64_t v;
  CHECK(ParseJsonInt("-42", &v));
  CHECK(v == -42);
  CHECK_FALSE(ParseJsonInt("4.2", &v));
  CHECK_FALSE(ParseJsonInt("99999999999999999999", &v));
}

}  // namespace topoc::runtime
