// The Clojure reader: every kind of form, positions, and errors with
// positions.
#include "import/clojure_reader.h"

#include <doctest/doctest.h>

namespace topoc::import {
namespace {

using T = Form::Type;

Form ReadOne(std::string_view text) {
  auto forms = ReadAll(text);
  REQUIRE(forms.size() == 1);
  return forms[0];
}

// The position of the ReadError `text` raises, and its message.
std::pair<Pos, std::string> ReadErrorOf(std::string_view text) {
  try {
    ReadAll(text);
  } catch (const ReadError& e) {
    return {e.pos, e.what()};
  }
  FAIL("no error for: " << text);
  return {};
}

TEST_CASE("atoms") {
  CHECK(ReadOne("nil").type == T::kNil);
  CHECK(ReadOne("true").bool_value);
  CHECK(ReadOne("false").type == T::kBool);
  CHECK(ReadOne("42").int_value == 42);
  CHECK(ReadOne("-7").int_value == -7);
  CHECK(ReadOne("+3").int_value == 3);
  CHECK(ReadOne("0x1F").int_value == 31);
  CHECK(ReadOne("017").int_value == 15);
  CHECK(ReadOne("2r101").int_value == 5);
  CHECK(ReadOne("2.5").float_value == 2.5);
  CHECK(ReadOne("-1e3").float_value == -1000.0);
  CHECK(ReadOne("9223372036854775807").int_value == INT64_MAX);
  CHECK(ReadOne("-9223372036854775808").int_value == INT64_MIN);
  CHECK(ReadOne("9223372036854775808").type == T::kBigNumber);
  CHECK(ReadOne("12N").type == T::kBigNumber);
  CHECK(ReadOne("1.5M").type == T::kBigNumber);
  CHECK(ReadOne("1/2").type == T::kRatio);
  CHECK(ReadOne("##Inf").float_value > 1e308);
  Form kw = ReadOne(":local-or-shuffle");
  CHECK(kw.type == T::kKeyword);
  CHECK(kw.text == "local-or-shuffle");
  CHECK(ReadOne(":topoc/outputs").text == "topoc/outputs");
  Form sym = ReadOne("storm/topology");
  CHECK(sym.type == T::kSymbol);
  CHECK(sym.text == "storm/topology");
  CHECK(ReadOne("KafkaSpout.").text == "KafkaSpout.");
  CHECK(ReadOne("-main").type == T::kSymbol);
  CHECK(ReadOne("->x").type == T::kSymbol);
}

TEST_CASE("strings and characters") {
  CHECK(ReadOne(R"("a \"b\" \\ \n\t \u00e9 \101")").text == "a \"b\" \\ \n\t \xc3\xa9 A");
  CHECK(ReadOne("\"two\nlines\"").text == "two\nlines");
  CHECK(ReadOne(R"("\ud83d\ude00")").text == "\xf0\x9f\x98\x80");
  CHECK(ReadOne("\\a").text == "a");
  CHECK(ReadOne("\\newline").text == "\n");
  CHECK(ReadOne("\\space").text == " ");
  CHECK(ReadOne("\\u0041").text == "A");
  CHECK(ReadOne("\\(").text == "(");
  Form re = ReadOne(R"(#"\d+")");
  CHECK(re.type == T::kRegex);
  CHECK(re.text == "\\d+");
}

TEST_CASE("collections, comments, commas and positions") {
  auto forms = ReadAll(";; header\n(ns wordcount\n  (:use [streamparse.specs]))\n\n{\"a\" 1, \"b\" [2 3]} #{:x}");
  REQUIRE(forms.size() == 3);
  CHECK(forms[0].type == T::kList);
  CHECK(forms[0].Head() == "ns");
  CHECK(forms[0].pos.line == 2);
  CHECK(forms[0].pos.column == 1);
  CHECK(forms[0].items[2].pos.line == 3);
  CHECK(forms[0].items[2].pos.column == 3);
  CHECK(forms[0].items[2].items[1].type == T::kVector);
  CHECK(forms[1].type == T::kMap);
  CHECK(forms[1].items.size() == 4);
  CHECK(forms[1].items[3].items[1].int_value == 3);
  CHECK(forms[1].items[3].pos.line == 5);
  CHECK(forms[1].items[3].pos.column == 13);
  CHECK(forms[2].type == T::kSet);
  CHECK(ReadAll("#!/usr/bin/env clojure\n; only comments\n").empty());
}

TEST_CASE("reader macros: quote, discard, metadata, anonymous fns, tags") {
  Form q = ReadOne("'(1 2)");
  CHECK(q.Head() == "quote");
  CHECK(q.items[1].type == T::kList);
  CHECK(ReadOne("`x").Head() == "syntax-quote");
  CHECK(ReadOne("~x").Head() == "unquote");
  CHECK(ReadOne("~@x").Head() == "unquote-splicing");
  CHECK(ReadOne("@x").Head() == "deref");
  CHECK(ReadOne("#'x").Head() == "var");
  // #_ drops the next form, wherever it is.
  Form v = ReadOne("[1 #_2 3 #_ #_ 4 5 6]");
  REQUIRE(v.items.size() == 3);
  CHECK(v.items[1].int_value == 3);
  CHECK(v.items[2].int_value == 6);
  CHECK(ReadAll("#_(drop me) ").empty());
  // Metadata is kept on the form it precedes, merged.
  Form m = ReadOne("^:private ^{:doc \"d\"} ^String x");
  CHECK(m.IsSymbol("x"));
  REQUIRE(m.meta);
  CHECK(m.meta->items.size() == 6);
  CHECK(m.meta->items[0].IsKeyword("private"));
  CHECK(m.meta->items[2].IsKeyword("doc"));
  CHECK(m.meta->items[4].IsKeyword("tag"));
  CHECK(m.meta->items[5].IsSymbol("String"));
  Form f = ReadOne("#(inc %)");
  CHECK(f.type == T::kAnonFn);
  Form tag = ReadOne("#inst \"2020-01-01\"");
  CHECK(tag.type == T::kTagged);
  CHECK(tag.text == "inst");
}

TEST_CASE("Describe shortens forms for messages") {
  CHECK(Describe(ReadOne("(let [x (f (g 1))] x)")) == "(let [x (...)] x)");
  CHECK(Describe(ReadOne("(let [x 1] (topology {} {}))")) == "(let [x 1] (topology {} {}))");
  CHECK(Describe(ReadOne("foo")) == "foo");
  CHECK(Describe(ReadOne(":all")) == ":all");
}

TEST_CASE("errors carry the position") {
  auto [p1, m1] = ReadErrorOf("(defn x []\n  [{\"a\" 1}");
  CHECK(p1.line == 2);
  CHECK(p1.column == 3);
  CHECK(m1.find("never closed") != std::string::npos);

  auto [p2, m2] = ReadErrorOf("(a\n  b])");
  CHECK(p2.line == 2);
  CHECK(p2.column == 4);
  CHECK(m2.find("']' closes the '(' opened at 1:1") != std::string::npos);

  auto [p3, m3] = ReadErrorOf("\n\n  {\"a\" 1 \"b\"}");
  CHECK(p3.line == 3);
  CHECK(p3.column == 3);
  CHECK(m3.find("even number") != std::string::npos);

  auto [p4, m4] = ReadErrorOf("x )");
  CHECK(p4.column == 3);
  CHECK(m4 == "unmatched ')'");

  auto [p5, m5] = ReadErrorOf("[\"ok\" \"bad \\q escape\"]");
  CHECK(p5.column == 12);
  CHECK(m5.find("'\\q'") != std::string::npos);

  auto [p6, m6] = ReadErrorOf("\"open");
  CHECK(p6.column == 1);
  CHECK(m6.find("string never closed") != std::string::npos);

  CHECK(ReadErrorOf("12abc").second == "invalid number '12abc'");

  // Invalid UTF-8 in a form's text is refused at the form (found by
  // fuzz/clojure_fuzzer.cc: it reached the .topo text, which then failed
  // to lex); in a comment it is harmless.
  auto [p7, m7] = ReadErrorOf("[\"ok\"\n \"a\xcf b\"]");
  CHECK(p7.line == 2);
  CHECK(p7.column == 2);
  CHECK(m7 == "invalid UTF-8 in this string (byte 0xcf)");
  CHECK(ReadErrorOf("(foo\xff)").second == "invalid UTF-8 in this symbol (byte 0xff)");
  CHECK(ReadErrorOf(":k\xed\xa0\x80").second == "invalid UTF-8 in this keyword (byte 0xed)");
  CHECK(ReadErrorOf("\"\xc0\xaf\"").second.find("byte 0xc0") != std::string::npos);
  CHECK(ReadAll("; caf\xe9\n\"caf\xc3\xa9\"").at(0).text == "caf\xc3\xa9");
  CHECK(ReadErrorOf("[1 #_]").second.find("'#_'") == std::string::npos);
  CHECK(ReadErrorOf("[1 #_]").first.column == 6);
  CHECK(ReadErrorOf("#?(:clj 1)").second.find("reader conditionals") != std::string::npos);
  CHECK(ReadErrorOf("^ 1 x").second.find("metadata must be") != std::string::npos);
  CHECK(ReadErrorOf("\\bogus").second == "invalid character literal \\bogus");
  CHECK(ReadErrorOf(":").second == "invalid keyword ':'");
  std::string deep(1000, '[');
  CHECK(ReadErrorOf(deep).second.find("nested more than") != std::string::npos);
}

}  // namespace
}  // namespace topoc::import
