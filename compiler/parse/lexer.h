// The .topo lexer proper: text -> tokens, as byte ranges. It produces
// exactly the tokens of the ANTLR-generated TopoLexer (grammar/Topo.g4 stays
// the specification): the same types, the same skipped text (whitespace,
// line comments) and the same hidden tokens (block comments, stray
// characters). Two users:
//   - AntlrTokenSource (antlr_token_source.h) wraps it as an ANTLR TokenSource for the
//     generated parser, adding code point positions, lines and columns;
//   - FastParser (fast_parser.h) reads its tokens directly.
// antlr_token_source_test.cc proves the tokens equal to the generated lexer's.
// Internal to compiler/parse/ and the formatter (compiler/format/), which
// re-prints its tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace topoc::parse {

// One token. `type` is a TopoLexer token type (TopoLexer::ID, ...), or
// kEofType at the end of the text.
struct RawToken {
  size_t type = 0;
  uint32_t begin = 0;  // byte offsets into the text: [begin, end)
  uint32_t end = 0;
  bool hidden = false;  // on ANTLR's hidden channel (BLOCK_COMMENT, BAD_CHAR)
};

inline constexpr size_t kEofType = static_cast<size_t>(-1);  // antlr4::Token::EOF

// The length of the valid UTF-8 sequence at text[i], or 0 if it is
// invalid (truncated, overlong, a surrogate, past U+10FFFF).
size_t ValidUtf8Length(std::string_view text, size_t i);

// The token type of a literal of the grammar ("{", "spout",
// "local-or-shuffle", ...), or 0 when `text` is none.
size_t LiteralType(std::string_view text);

// Whether a STRING token's text ends with its closing quote (an
// unterminated string runs to the end of its line, or ends in a lone
// backslash).
bool StringTokenClosed(std::string_view token);

// Whether a BLOCK_COMMENT token ends with "*/" (an unterminated one runs to
// the end of the file).
inline bool BlockCommentClosed(std::string_view token) {
  return token.size() >= 4 && token.substr(token.size() - 2) == "*/";
}

class Lexer {
 public:
  // `text` must outlive the lexer; the driver caps files at
  // driver::kMaxFileSize, so byte offsets fit 32 bits.
  explicit Lexer(std::string_view text);

  // The next token, skipping whitespace and line comments. After the end
  // it keeps returning kEofType tokens at the text's size.
  RawToken Next();

  // Bytes [0, offset) have been consumed.
  size_t offset() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace topoc::parse
