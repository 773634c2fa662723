#include "compiler/parse/fast_lexer.h"

#include <array>
#include <unordered_map>

#include "TopoLexer.h"

namespace topoc::parse {

namespace {

using gen::TopoLexer;

// Literal token types ('{', 'spout', 'local-or-shuffle', ...) by their text,
// read from the generated vocabulary so the two lexers cannot drift.
struct Literals {
  std::unordered_map<std::string, size_t> words;  // keywords
  std::array<size_t, 128> punct{};                // single characters
  Literals() {
    antlr4::ANTLRInputStream empty(std::string{});
    TopoLexer lexer(&empty);
    const antlr4::dfa::Vocabulary& vocab = lexer.getVocabulary();
    for (size_t type = 1; type <= vocab.getMaxTokenType(); ++type) {
      std::string lit = vocab.getLiteralName(type);
      if (lit.size() < 3) continue;
      std::string text = lit.substr(1, lit.size() - 2);
      if (text.size() == 1 && !std::isalpha(static_cast<unsigned char>(text[0]))) {
        punct[static_cast<unsigned char>(text[0])] = type;
      } else {
        words.emplace(text, type);
      }
    }
  }
};

const Literals& GetLiterals() {
  static const Literals* literals = new Literals();
  return *literals;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdPart(char c) { return IsIdStart(c) || IsDigit(c) || c == '-'; }

size_t Utf8Length(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

}  // namespace

FastLexer::FastLexer(std::string_view utf8, antlr4::CharStream* input) : text_(utf8), input_(input) {
  GetLiterals();
}

void FastLexer::Advance(size_t n) {
  size_t end = std::min(pos_ + n, text_.size());
  while (pos_ < end) {
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
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

std::unique_ptr<antlr4::Token> FastLexer::Make(size_t type, size_t channel, size_t start_cp,
                                               size_t start_byte, size_t line, size_t column) {
  auto token = std::make_unique<antlr4::CommonToken>(std::make_pair(this, input_), type, channel,
                                                     start_cp, cp_ - 1);
  token->setLine(line);
  token->setCharPositionInLine(column);
  return token;
}

std::unique_ptr<antlr4::Token> FastLexer::nextToken() {
  const Literals& lit = GetLiterals();
  const std::string_view t = text_;
  while (true) {
    // Skipped: whitespace and line comments.
    while (pos_ < t.size() && (t[pos_] == ' ' || t[pos_] == '\t' || t[pos_] == '\r' ||
                               t[pos_] == '\n' || t[pos_] == '\f')) {
      Advance(1);
    }
    if (pos_ + 1 < t.size() && t[pos_] == '/' && t[pos_ + 1] == '/') {
      size_t end = t.find_first_of("\r\n", pos_);
      Advance((end == std::string_view::npos ? t.size() : end) - pos_);
      continue;
    }
    break;
  }
  size_t start_cp = cp_, start = pos_, line = line_, column = column_;
  if (pos_ >= t.size()) {
    auto eof = std::make_unique<antlr4::CommonToken>(std::make_pair(this, input_), antlr4::Token::EOF,
                                                     antlr4::Token::DEFAULT_CHANNEL, cp_, cp_ - 1);
    eof->setLine(line_);
    eof->setCharPositionInLine(column_);
    return eof;
  }
  char c = t[pos_];
  // Block comment (to '*/' or the end of the file).
  if (c == '/' && pos_ + 1 < t.size() && t[pos_ + 1] == '*') {
    size_t end = t.find("*/", pos_ + 2);
    Advance((end == std::string_view::npos ? t.size() : end + 2) - pos_);
    return Make(TopoLexer::BLOCK_COMMENT, antlr4::Token::HIDDEN_CHANNEL, start_cp, start, line, column);
  }
  // String: (ESCAPE | ~["\\\r\n])* ('"' | '\\')?
  if (c == '"') {
    size_t i = pos_ + 1;
    while (i < t.size()) {
      char d = t[i];
      if (d == '"') {
        ++i;
        break;
      }
      if (d == '\r' || d == '\n') break;
      if (d == '\\') {
        if (i + 1 < t.size() && t[i + 1] != '\r' && t[i + 1] != '\n') {
          i += 1 + Utf8Length(static_cast<unsigned char>(t[i + 1]));
          continue;
        }
        ++i;  // a lone trailing backslash
        break;
      }
      ++i;
    }
    Advance(std::min(i, t.size()) - pos_);
    return Make(TopoLexer::STRING, antlr4::Token::DEFAULT_CHANNEL, start_cp, start, line, column);
  }
  // Numbers: INT, LONG, FLOAT.
  if (IsDigit(c) || (c == '-' && pos_ + 1 < t.size() && IsDigit(t[pos_ + 1]))) {
    size_t i = pos_ + (c == '-' ? 1 : 0);
    while (i < t.size() && IsDigit(t[i])) ++i;
    size_t type = TopoLexer::INT;
    auto exponent = [&](size_t at) -> size_t {  // end of [eE][+-]?[0-9]+ at `at`, or 0
      if (at >= t.size() || (t[at] != 'e' && t[at] != 'E')) return 0;
      size_t k = at + 1;
      if (k < t.size() && (t[k] == '+' || t[k] == '-')) ++k;
      if (k >= t.size() || !IsDigit(t[k])) return 0;
      while (k < t.size() && IsDigit(t[k])) ++k;
      return k;
    };
    if (i < t.size() && (t[i] == 'l' || t[i] == 'L')) {
      ++i;
      type = TopoLexer::LONG;
    } else if (i + 1 < t.size() && t[i] == '.' && IsDigit(t[i + 1])) {
      i += 1;
      while (i < t.size() && IsDigit(t[i])) ++i;
      if (size_t e = exponent(i)) i = e;
      type = TopoLexer::FLOAT;
    } else if (size_t e = exponent(i)) {
      i = e;
      type = TopoLexer::FLOAT;
    }
    Advance(i - pos_);
    return Make(type, antlr4::Token::DEFAULT_CHANNEL, start_cp, start, line, column);
  }
  // Identifiers and keywords.
  if (IsIdStart(c)) {
    size_t i = pos_ + 1;
    while (i < t.size() && IsIdPart(t[i])) ++i;
    size_t type = TopoLexer::ID;
    if (auto it = lit.words.find(std::string(t.substr(pos_, i - pos_))); it != lit.words.end()) {
      type = it->second;
    }
    Advance(i - pos_);
    return Make(type, antlr4::Token::DEFAULT_CHANNEL, start_cp, start, line, column);
  }
  auto uc = static_cast<unsigned char>(c);
  if (uc < 128 && lit.punct[uc] != 0) {
    Advance(1);
    return Make(lit.punct[uc], antlr4::Token::DEFAULT_CHANNEL, start_cp, start, line, column);
  }
  // Anything else: one code point on the hidden channel.
  Advance(Utf8Length(uc));
  return Make(TopoLexer::BAD_CHAR, antlr4::Token::HIDDEN_CHANNEL, start_cp, start, line, column);
}

}  // namespace topoc::parse
