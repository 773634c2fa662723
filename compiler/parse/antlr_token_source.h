// The hand-written Lexer (lexer.h) as an ANTLR TokenSource: exactly the
// tokens of the ANTLR-generated TopoLexer (grammar/Topo.g4 stays the
// specification), about five times faster: ANTLR's C++ lexer simulates its
// DFA with a lock and a hash lookup per character, which dominated checking
// large files. antlr_token_source_test.cc lexes a corpus with both and requires
// identical token streams (type, channel, start, stop).
//
// Token positions are code point indexes, as ANTLR's, so the parser and
// compiler/parse/antlr_parser.cc treat both lexers alike. Internal to
// compiler/parse/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "antlr4-runtime.h"
#include "compiler/parse/lexer.h"

namespace topoc::parse {

class AntlrTokenSource : public antlr4::TokenSource {
 public:
  // `utf8` must be valid UTF-8 and `input` the same text (tokens fetch
  // their text from it on demand). Both must outlive the lexer.
  AntlrTokenSource(std::string_view utf8, antlr4::CharStream* input);

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return column_; }
  antlr4::CharStream* getInputStream() override { return input_; }
  std::string getSourceName() override { return input_->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

  // After `limit` tokens the lexer ends the text early (an EOF token at
  // the next token's position): bounds the memory of ANTLR's token
  // objects and parse tree on a huge file. truncated_at() is then the byte
  // offset where it stopped.
  void set_token_limit(size_t limit) { limit_ = limit; }
  std::optional<size_t> truncated_at() const { return truncated_at_; }

 private:
  // Advances to byte `to`, counting code points, lines and columns.
  void AdvanceTo(size_t to);

  std::string_view text_;
  Lexer lexer_;
  antlr4::CharStream* input_;
  size_t pos_ = 0;   // byte offset
  size_t cp_ = 0;    // code point index of pos_
  size_t line_ = 1;
  size_t column_ = 0;
  size_t limit_ = SIZE_MAX;
  size_t emitted_ = 0;
  std::optional<size_t> truncated_at_;
};

}  // namespace topoc::parse
