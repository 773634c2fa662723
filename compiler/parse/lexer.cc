#include "compiler/parse/lexer.h"

#include <array>
#include <string>

#include "TopoLexer.h"
#include "support/utf8.h"

namespace topoc::parse {

namespace {

using gen::TopoLexer;

// Literal token types ('{', 'spout', 'local-or-shuffle', ...) by their text,
// read from the generated vocabulary so the two lexers cannot drift.
// Keywords sit in a small open-addressing table keyed by a cheap hash of
// length and end characters: identifier lookups were a fifth of parsing
// with std::unordered_map.
struct Literals {
  static constexpr size_t kSlots = 256;  // a power of two, well above the ~25 keywords
  struct Slot {
    std::string text;
    size_t type = 0;  // 0: empty
  };
  std::array<Slot, kSlots> words{};
  std::array<size_t, 128> punct{};  // single characters

  // Length, first, middle and last byte tell the ~25 keywords apart with few
  // collisions; linear probing handles the rest.
  static size_t Hash(std::string_view w) {
    return (w.size() * 31 + static_cast<unsigned char>(w[0]) * 7 +
            static_cast<unsigned char>(w[w.size() - 1]) * 3 + static_cast<unsigned char>(w[w.size() / 2])) &
           (kSlots - 1);
  }
  size_t Keyword(std::string_view w) const {
    for (size_t i = Hash(w);; i = (i + 1) & (kSlots - 1)) {
      const Slot& slot = words[i];
      if (slot.type == 0) return 0;
      if (slot.text == w) return slot.type;
    }
  }

  Literals() {
    // A lexer over empty text, only to read the generated vocabulary: the
    // literal names are the grammar's quoted literals ("'spout'", "'{'").
    antlr4::ANTLRInputStream empty(std::string{});
    TopoLexer lexer(&empty);
    const antlr4::dfa::Vocabulary& vocab = lexer.getVocabulary();
    for (size_t type = 1; type <= vocab.getMaxTokenType(); ++type) {
      std::string lit = vocab.getLiteralName(type);
      // Token types without a literal (ID, STRING, ...) have no literal name.
      if (lit.size() < 3) continue;
      std::string text = lit.substr(1, lit.size() - 2);
      if (text.size() == 1 && !std::isalpha(static_cast<unsigned char>(text[0]))) {
        punct[static_cast<unsigned char>(text[0])] = type;
        continue;
      }
      size_t i = Hash(text);
      while (words[i].type != 0) i = (i + 1) & (kSlots - 1);
      words[i] = Slot{std::move(text), type};
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
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// Length of the code point starting with byte `c` (1 for a stray byte: the
// text is valid UTF-8 wherever it matters).
size_t Utf8Length(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

}  // namespace

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 if invalid.
size_t ValidUtf8Length(std::string_view text, size_t i) { return Utf8SequenceLength(text, i); }

size_t LiteralType(std::string_view text) {
  const Literals& lit = GetLiterals();
  if (text.size() == 1 && static_cast<unsigned char>(text[0]) < 128 && lit.punct[text[0]] != 0) {
    return lit.punct[text[0]];
  }
  return text.empty() ? 0 : lit.Keyword(text);
}

bool StringTokenClosed(std::string_view token) {
  if (token.size() < 2 || token.back() != '"') return false;
  size_t slashes = 0;  // backslashes right before the final quote
  for (size_t k = token.size() - 2; k > 0 && token[k] == '\\'; --k) ++slashes;
  return slashes % 2 == 0;
}

Lexer::Lexer(std::string_view text) : text_(text) { GetLiterals(); }

RawToken Lexer::Next() {
  const std::string_view t = text_;
  const size_t n = t.size();
  while (true) {
    // Skipped: whitespace and line comments.
    // WS and LINE_COMMENT are `-> skip` in the grammar: no token at all.
    while (pos_ < n && IsSpace(t[pos_])) ++pos_;
    if (pos_ + 1 < n && t[pos_] == '/' && t[pos_ + 1] == '/') {
      size_t end = t.find_first_of("\r\n", pos_);
      pos_ = end == std::string_view::npos ? n : end;
      continue;
    }
    break;
  }
  const size_t start = pos_;
  auto make = [&](size_t type, size_t end, bool hidden = false) {
    pos_ = std::min(end, n);
    return RawToken{type, static_cast<uint32_t>(start), static_cast<uint32_t>(pos_), hidden};
  };
  if (pos_ >= n) return make(kEofType, n);
  const char c = t[pos_];
  // Block comment (to '*/' or the end of the file).
  if (c == '/' && pos_ + 1 < n && t[pos_ + 1] == '*') {
    // "/*/" does not close: the search for "*/" starts after the opening.
    size_t end = t.find("*/", pos_ + 2);
    return make(TopoLexer::BLOCK_COMMENT, end == std::string_view::npos ? n : end + 2, true);
  }
  // String: (ESCAPE | ~["\\\r\n])* ('"' | '\\')?
  if (c == '"') {
    size_t i = pos_ + 1;
    while (i < n) {
      char d = t[i];
      if (d == '"') {
        ++i;
        break;
      }
      if (d == '\r' || d == '\n') break;
      if (d == '\\') {
        // A backslash takes the next code point whatever it is (escapes are
        // checked later, by UnescapeString); before a newline it ends the token.
        if (i + 1 < n && t[i + 1] != '\r' && t[i + 1] != '\n') {
          i += 1 + Utf8Length(static_cast<unsigned char>(t[i + 1]));
          continue;
        }
        ++i;  // a lone trailing backslash
        break;
      }
      ++i;
    }
    return make(TopoLexer::STRING, i);
  }
  // Numbers: INT, LONG, FLOAT.
  // The sign is part of the number token, as in the grammar ('-'? [0-9]+).
  if (IsDigit(c) || (c == '-' && pos_ + 1 < n && IsDigit(t[pos_ + 1]))) {
    size_t i = pos_ + (c == '-' ? 1 : 0);
    while (i < n && IsDigit(t[i])) ++i;
    auto exponent = [&](size_t at) -> size_t {  // end of [eE][+-]?[0-9]+ at `at`, or 0
      if (at >= n || (t[at] != 'e' && t[at] != 'E')) return 0;
      size_t k = at + 1;
      if (k < n && (t[k] == '+' || t[k] == '-')) ++k;
      if (k >= n || !IsDigit(t[k])) return 0;
      while (k < n && IsDigit(t[k])) ++k;
      return k;
    };
    // ANTLR takes the longest match: 1L is LONG, 1.5 and 1e3 are FLOAT, and
    // "1." or "1e" stop before the '.' or 'e' (INT, then the next token).
    if (i < n && (t[i] == 'l' || t[i] == 'L')) return make(TopoLexer::LONG, i + 1);
    if (i + 1 < n && t[i] == '.' && IsDigit(t[i + 1])) {
      i += 1;
      while (i < n && IsDigit(t[i])) ++i;
      if (size_t e = exponent(i)) i = e;
      return make(TopoLexer::FLOAT, i);
    }
    if (size_t e = exponent(i)) return make(TopoLexer::FLOAT, e);
    return make(TopoLexer::INT, i);
  }
  // Identifiers and keywords.
  if (IsIdStart(c)) {
    size_t i = pos_ + 1;
    // Keywords are found after scanning the whole identifier, so
    // "local-or-shufflex" is an ID, like ANTLR's longest match.
    while (i < n && IsIdPart(t[i])) ++i;
    const Literals& lit = GetLiterals();
    size_t keyword = lit.Keyword(t.substr(pos_, i - pos_));
    return make(keyword != 0 ? keyword : TopoLexer::ID, i);
  }
  auto uc = static_cast<unsigned char>(c);
  if (uc < 128) {
    if (size_t type = GetLiterals().punct[uc]) return make(type, pos_ + 1);
  }
  // Anything else: one code point on the hidden channel.
  return make(TopoLexer::BAD_CHAR, pos_ + Utf8Length(uc), true);
}

}  // namespace topoc::parse
