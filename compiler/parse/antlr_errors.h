// ANTLR's side of syntax errors: the error recovery the reference parser
// runs (ANTLR's default, made cheaper) and the words of its messages.
// Internal to compiler/parse/ (antlr_parser.cc); includes the ANTLR runtime.
#pragma once

#include <string>

#include "antlr4-runtime.h"

namespace topoc::parse {

// A token as a message names it: 'text' (cut at 40 bytes) or "end of file".
std::string DescribeToken(const antlr4::Token* t);

// The names of the tokens in `set`, in the words of the language reference
// ("identifier", "string", '{', ...), joined with commas and "or".
std::string DescribeExpected(const antlr4::misc::IntervalSet& set, const antlr4::dfa::Vocabulary& vocab);

// DescribeExpected of the parser's expected tokens where it stands, kept per
// (ATN state, rule invocation stack) for the thread.
std::string ExpectedText(antlr4::Parser* parser);

// ANTLR's DefaultErrorStrategy with the same decisions and reports, but no
// message text built for the listener (it writes its own; of ANTLR's it
// reads only whether it starts with "missing ") and single-token
// insertion's lookahead set kept per (state, stack).
class ErrorStrategy : public antlr4::DefaultErrorStrategy {
 protected:
  void reportNoViableAlternative(antlr4::Parser* recognizer, const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* recognizer, const antlr4::InputMismatchException& e) override;
  void reportUnwantedToken(antlr4::Parser* recognizer) override;
  void reportMissingToken(antlr4::Parser* recognizer) override;
  bool singleTokenInsertion(antlr4::Parser* recognizer) override;
};

}  // namespace topoc::parse
