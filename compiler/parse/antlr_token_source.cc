#include "compiler/parse/antlr_token_source.h"

#include <algorithm>

namespace topoc::parse {

AntlrTokenSource::AntlrTokenSource(std::string_view utf8, antlr4::CharStream* input)
    : text_(utf8), lexer_(utf8), input_(input) {}

void AntlrTokenSource::AdvanceTo(size_t to) {
  size_t end = std::min(to, text_.size());
  while (pos_ < end) {
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    // ANTLR counts positions in code points: count every byte but UTF-8
    // continuation bytes (10xxxxxx). Columns count code points too.
    if ((c & 0xC0) != 0x80) {
      ++cp_;
      ++column_;
    }
    if (c == '\n') {
      ++line_;
      column_ = 0;
    }
    ++pos_;
  }
}

std::unique_ptr<antlr4::Token> AntlrTokenSource::nextToken() {
  RawToken raw = truncated_at_ ? RawToken{kEofType, uint32_t(*truncated_at_), uint32_t(*truncated_at_)}
                               : lexer_.Next();
  // Past the token limit the file "ends" here; ParseFileWithAntlr says so in a
  // diagnostic, and the listener ignores the syntax error this fake end causes.
  if (raw.type != kEofType && ++emitted_ > limit_) {
    truncated_at_ = raw.begin;
    raw = RawToken{kEofType, raw.begin, raw.begin};
  }
  AdvanceTo(raw.begin);  // skipped whitespace and comments
  size_t start_cp = cp_, line = line_, column = column_;
  AdvanceTo(raw.end);
  size_t type = raw.type == kEofType ? antlr4::Token::EOF : raw.type;
  size_t channel = raw.hidden ? antlr4::Token::HIDDEN_CHANNEL : antlr4::Token::DEFAULT_CHANNEL;
  auto token = std::make_unique<antlr4::CommonToken>(std::make_pair(this, input_), type, channel,
                                                     // ANTLR's stop index is inclusive (an empty EOF token stops before it starts).
                                                     start_cp, cp_ - 1);
  token->setLine(line);
  token->setCharPositionInLine(column);
  return token;
}

}  // namespace topoc::parse
