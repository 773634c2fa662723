// The words of ANTLR's syntax errors (antlr_errors.h); the recovery itself
// is held to ANTLR's stock strategy by parse_test.cc ("syntax errors:
// messages of each recovery kind, the same on every parse").
#include "compiler/parse/antlr_errors.h"

#include <doctest/doctest.h>

#include "TopoLexer.h"

namespace topoc::parse {

using gen::TopoLexer;

TEST_CASE("DescribeToken: quoted text cut at 40 bytes, or end of file") {
  antlr4::CommonToken word(TopoLexer::ID, "spout-a");
  CHECK(DescribeToken(&word) == "'spout-a'");
  antlr4::CommonToken long_one(TopoLexer::STRING, std::string(60, 'x'));
  CHECK(DescribeToken(&long_one) == "'" + std::string(37, 'x') + "...'");
  antlr4::CommonToken eof(antlr4::Token::EOF, "<EOF>");
  CHECK(DescribeToken(&eof) == "end of file");
  CHECK(DescribeToken(nullptr) == "end of file");
}

TEST_CASE("DescribeExpected names tokens in the language's words") {
  antlr4::ANTLRInputStream input("");
  TopoLexer lexer(&input);
  const antlr4::dfa::Vocabulary& vocab = lexer.getVocabulary();
  antlr4::misc::IntervalSet set;
  set.add(TopoLexer::STRING);
  set.add(TopoLexer::INT);
  CHECK(DescribeExpected(set, vocab) == "integer or string");  // in token type order
  // Where an identifier is expected, keywords are ids too: not listed.
  antlr4::misc::IntervalSet ids;
  ids.add(TopoLexer::ID);
  for (size_t t = 1; t <= vocab.getMaxTokenType(); ++t) {
    std::string lit = vocab.getLiteralName(t);
    if (lit == "'spout'" || lit == "'{'") ids.add(static_cast<ssize_t>(t));
  }
  CHECK(DescribeExpected(ids, vocab) == "'{' or identifier");
  antlr4::misc::IntervalSet eof;
  eof.add(antlr4::Token::EOF);
  CHECK(DescribeExpected(eof, vocab) == "end of file");
  CHECK(DescribeExpected(antlr4::misc::IntervalSet(), vocab).empty());
}

}  // namespace topoc::parse
