// The hand-written lexer on its own: token kinds, byte ranges, what it
// skips and hides. antlr_token_source_test.cc holds it equal to ANTLR's
// generated TopoLexer on whole files.
#include "compiler/parse/lexer.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "TopoLexer.h"

namespace topoc::parse {

namespace {

using gen::TopoLexer;

struct LexedTok {
  size_t type;
  std::string text;
  bool hidden;
};

std::vector<LexedTok> LexAll(std::string_view text) {
  Lexer lexer(text);
  std::vector<LexedTok> out;
  while (true) {
    RawToken t = lexer.Next();
    if (t.type == kEofType) break;
    out.push_back(LexedTok{t.type, std::string(text.substr(t.begin, t.end - t.begin)), t.hidden});
  }
  return out;
}

std::vector<size_t> LexedTypes(std::string_view text) {
  std::vector<size_t> out;
  for (const LexedTok& t : LexAll(text)) out.push_back(t.type);
  return out;
}

}  // namespace

TEST_CASE("Lexer: keywords, identifiers with dashes, punctuation") {
  auto toks = LexAll("topology word-count { spout a_1 = python \"m.A\" }");
  REQUIRE(toks.size() == 9);
  CHECK(toks[0].type == LiteralType("topology"));
  CHECK(toks[1].type == TopoLexer::ID);
  CHECK(toks[1].text == "word-count");
  CHECK(toks[2].type == LiteralType("{"));
  CHECK(toks[3].type == LiteralType("spout"));
  CHECK(toks[4].text == "a_1");
  CHECK(toks[5].type == LiteralType("="));
  CHECK(toks[6].type == LiteralType("python"));
  CHECK(toks[7].type == TopoLexer::STRING);
  CHECK(toks[7].text == "\"m.A\"");
  CHECK(toks[8].type == LiteralType("}"));
  // A keyword is a whole identifier: a longer word is an ID.
  CHECK(LexedTypes("spouts local-or-shufflex") == std::vector<size_t>{TopoLexer::ID, TopoLexer::ID});
  CHECK(LexedTypes("local-or-shuffle")[0] == LiteralType("local-or-shuffle"));
}

TEST_CASE("Lexer: numbers: INT, LONG, FLOAT, and where a number stops") {
  auto toks = LexAll("1 -1 2L -3l 1.5 -1.5e3 2E+4 7e-1");
  std::vector<size_t> want = {TopoLexer::INT,   TopoLexer::INT,   TopoLexer::LONG,  TopoLexer::LONG,
                              TopoLexer::FLOAT, TopoLexer::FLOAT, TopoLexer::FLOAT, TopoLexer::FLOAT};
  REQUIRE(toks.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) CHECK(toks[i].type == want[i]);
  CHECK(toks[5].text == "-1.5e3");
  // "1e" is INT then ID (no exponent digits); "1." is INT then '.'; a lone
  // '-' is not a number.
  auto e = LexAll("1e");
  REQUIRE(e.size() == 2);
  CHECK(e[0].text == "1");
  CHECK(e[1].type == TopoLexer::ID);
  auto dot = LexAll("1.x");
  REQUIRE(dot.size() == 3);
  CHECK(dot[0].type == TopoLexer::INT);
  CHECK(dot[1].type == LiteralType("."));
  CHECK(LexAll("-x")[0].type != TopoLexer::INT);
}

TEST_CASE("Lexer: strings end at their quote, a newline, or a lone backslash") {
  auto toks = LexAll("\"a\\\"b\" \"open\n\"tail\\");
  REQUIRE(toks.size() == 3);
  CHECK(toks[0].text == "\"a\\\"b\"");  // an escaped quote does not close it
  CHECK(StringTokenClosed(toks[0].text));
  CHECK(toks[1].text == "\"open");  // runs to the end of its line
  CHECK_FALSE(StringTokenClosed(toks[1].text));
  CHECK(toks[2].text == "\"tail\\");
  CHECK_FALSE(StringTokenClosed(toks[2].text));
  // An escape takes a whole code point, so "\é" stays one escape.
  auto u = LexAll("\"\\\xC3\xA9\"");
  REQUIRE(u.size() == 1);
  CHECK(StringTokenClosed(u[0].text));
}

TEST_CASE("StringTokenClosed counts the backslashes before the final quote") {
  CHECK(StringTokenClosed("\"\""));
  CHECK(StringTokenClosed("\"a\\\\\""));       // "a\\"  : an escaped backslash, then the quote
  CHECK_FALSE(StringTokenClosed("\"a\\\""));   // "a\"   : the quote is escaped
  CHECK_FALSE(StringTokenClosed("\""));
  CHECK_FALSE(StringTokenClosed("\"abc"));
}

TEST_CASE("Lexer: whitespace and line comments skipped, block comments and stray characters hidden") {
  auto toks = LexAll(" \t\r\n\f// a line comment\na /* block */ @ \xC3\xA9 /* open");
  REQUIRE(toks.size() == 5);
  CHECK(toks[0].text == "a");
  CHECK_FALSE(toks[0].hidden);
  CHECK(toks[1].type == TopoLexer::BLOCK_COMMENT);
  CHECK(toks[1].hidden);
  CHECK(BlockCommentClosed(toks[1].text));
  CHECK(toks[2].type == TopoLexer::BAD_CHAR);
  CHECK(toks[2].text == "@");
  CHECK(toks[2].hidden);
  CHECK(toks[3].type == TopoLexer::BAD_CHAR);
  CHECK(toks[3].text == "\xC3\xA9");  // one code point, not one byte
  CHECK(toks[4].type == TopoLexer::BLOCK_COMMENT);
  CHECK(toks[4].text == "/* open");  // unterminated: to the end of the file
  CHECK_FALSE(BlockCommentClosed(toks[4].text));
  CHECK_FALSE(BlockCommentClosed("/*/"));
  CHECK(BlockCommentClosed("/**/"));
}

TEST_CASE("Lexer: offsets are bytes, and EOF repeats at the end") {
  std::string_view text = "a  bc";
  Lexer lexer(text);
  RawToken a = lexer.Next();
  CHECK(a.begin == 0);
  CHECK(a.end == 1);
  RawToken bc = lexer.Next();
  CHECK(bc.begin == 3);
  CHECK(bc.end == 5);
  CHECK(lexer.offset() == 5);
  for (int i = 0; i < 3; ++i) {
    RawToken eof = lexer.Next();
    CHECK(eof.type == kEofType);
    CHECK(eof.begin == 5);
    CHECK(eof.end == 5);
  }
  CHECK(LexAll("").empty());
  CHECK(LexAll("   // only a comment").empty());
}

TEST_CASE("LiteralType: the grammar's literals, 0 for anything else") {
  CHECK(LiteralType("{") != 0);
  CHECK(LiteralType("spout") != 0);
  CHECK(LiteralType("partial-key") != 0);
  CHECK(LiteralType("spout") != LiteralType("bolt"));
  CHECK(LiteralType("") == 0);
  CHECK(LiteralType("@") == 0);
  CHECK(LiteralType("Spout") == 0);
  CHECK(LiteralType("wordcount") == 0);
  CHECK(LiteralType("\xC3\xA9") == 0);
}

TEST_CASE("ValidUtf8Length: valid sequences and each kind of invalid one") {
  CHECK(ValidUtf8Length("a", 0) == 1);
  CHECK(ValidUtf8Length("\xC3\xA9", 0) == 2);
  CHECK(ValidUtf8Length("\xE2\x82\xAC", 0) == 3);      // U+20AC
  CHECK(ValidUtf8Length("\xF0\x9F\x98\x80", 0) == 4);  // U+1F600
  CHECK(ValidUtf8Length("x\xC3\xA9", 1) == 2);
  CHECK(ValidUtf8Length("\xC3", 0) == 0);              // truncated
  CHECK(ValidUtf8Length("\xC0\xAF", 0) == 0);          // overlong
  CHECK(ValidUtf8Length("\xED\xA0\x80", 0) == 0);      // a surrogate
  CHECK(ValidUtf8Length("\xF4\x90\x80\x80", 0) == 0);  // past U+10FFFF
  CHECK(ValidUtf8Length("\xA9", 0) == 0);              // a lone continuation byte
}

}  // namespace topoc::parse
