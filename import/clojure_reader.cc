#include "import/clojure_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "support/utf8.h"

namespace topoc::import {

std::string_view Form::Head() const {
  if (type != Type::kList || items.empty() || items[0].type != Type::kSymbol) return {};
  return items[0].text;
}

std::string_view TypeName(Form::Type type) {
  using T = Form::Type;
  switch (type) {
    case T::kNil: return "nil";
    case T::kBool: return "boolean";
    case T::kInteger: return "integer";
    case T::kFloat: return "number";
    case T::kBigNumber: return "big number";
    case T::kRatio: return "ratio";
    case T::kString: return "string";
    case T::kChar: return "character";
    case T::kKeyword: return "keyword";
    case T::kSymbol: return "symbol";
    case T::kRegex: return "regex";
    case T::kList: return "list";
    case T::kVector: return "vector";
    case T::kMap: return "map";
    case T::kSet: return "set";
    case T::kAnonFn: return "function literal";
    case T::kTagged: return "tagged literal";
  }
  return "form";
}

namespace {

// Deeper nesting is refused (bounds the reader's recursion on hostile input).
constexpr int kMaxDepth = 200;

// Commas are whitespace in Clojure: [1, 2] and [1 2] are one vector.
bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == ','; }

bool IsDelimiter(char c) {
  return IsWhitespace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' ||
         c == '"' || c == ';' || c == '\\' || c == '^' || c == '`' || c == '~' || c == '@';
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  std::vector<Form> ReadAll() {
    std::vector<Form> out;
    for (;;) {
      SkipSpace();
      if (AtEnd()) break;
      if (Peek() == ')' || Peek() == ']' || Peek() == '}') {
        throw ReadError(Here(), fmt::format("unmatched '{}'", Peek()));
      }
      Form f;
      if (ReadForm(0, &f)) out.push_back(std::move(f));
    }
    return out;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  Pos Here() const { return {line_, column_}; }
  char Next() {
    char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    return c;
  }

  void SkipSpace() {
    while (!AtEnd()) {
      char c = Peek();
      if (IsWhitespace(c)) {
        Next();
      // `#!` starts a comment line too (Clojure reads it so scripts can have a
      // shebang line).
      } else if (c == ';' || (c == '#' && Peek(1) == '!')) {
        while (!AtEnd() && Peek() != '\n') Next();
      } else {
        break;
      }
    }
  }

  // Reads one form into `out`; false when the form was discarded (#_).
  // A form whose text (a string's value, a symbol's or keyword's name, ...)
  // is not valid UTF-8 is refused: .topo text must be UTF-8, and a name
  // with a stray byte is a damaged file, not something to guess at.
  bool ReadForm(int depth, Form* out) {
    if (!ReadFormText(depth, out)) return false;
    for (size_t i = 0; i < out->text.size();) {
      size_t n = Utf8SequenceLength(out->text, i);
      if (n == 0) {
        throw ReadError(out->pos, fmt::format("invalid UTF-8 in this {} (byte 0x{:02x})", TypeName(out->type),
                                              static_cast<unsigned char>(out->text[i])));
      }
      i += n;
    }
    return true;
  }

  bool ReadFormText(int depth, Form* out) {
    if (depth > kMaxDepth) throw ReadError(Here(), fmt::format("forms nested more than {} deep", kMaxDepth));
    SkipSpace();
    if (AtEnd()) throw ReadError(Here(), "end of file where a form was expected");
    Pos start = Here();
    char c = Peek();
    out->pos = start;
    switch (c) {
      case '(': Next(); ReadSeq(')', depth, out); out->type = Form::Type::kList; return true;
      case '[': Next(); ReadSeq(']', depth, out); out->type = Form::Type::kVector; return true;
      case '{':
        Next();
        ReadSeq('}', depth, out);
        out->type = Form::Type::kMap;
        // Refused here rather than in the importer: Clojure's reader refuses it too.
        if (out->items.size() % 2 != 0) {
          throw ReadError(start, "a map needs an even number of forms (a value for every key)");
        }
        return true;
      case ')': case ']': case '}':
        throw ReadError(start, fmt::format("unmatched '{}'", c));
      case '"': Next(); out->type = Form::Type::kString; out->text = ReadString(start); return true;
      case '\\': ReadChar(out); return true;
      // Reader macros become the lists they stand for: 'x is (quote x), so the
      // importer sees one shape whichever way the user wrote it.
      case '\'': Next(); return Wrap("quote", depth, out);
      case '`': Next(); return Wrap("syntax-quote", depth, out);
      case '@': Next(); return Wrap("deref", depth, out);
      case '~':
        Next();
        if (Peek() == '@') {
          Next();
          return Wrap("unquote-splicing", depth, out);
        }
        return Wrap("unquote", depth, out);
      case '^':
        Next();
        ReadMeta(depth, out);
        return true;
      case '#': return ReadDispatch(depth, out);
      default: break;
    }
    ReadAtom(out);
    return true;
  }

  // After `^` (or `#^`): the metadata, then the form it applies to, which
  // becomes *out with the metadata attached.
  void ReadMeta(int depth, Form* out) {
    Form meta;
    ReadRequired(depth + 1, &meta, "metadata");
    Form target;
    ReadRequired(depth + 1, &target, "the form the metadata applies to");
    *out = std::move(target);
    AddMeta(out, std::move(meta));
  }

  // Reads a form that must be there (skipping #_ discards).
  void ReadRequired(int depth, Form* out, std::string_view what) {
    for (;;) {
      SkipSpace();
      if (AtEnd()) throw ReadError(Here(), fmt::format("end of file where {} was expected", what));
      char c = Peek();
      if (c == ')' || c == ']' || c == '}') {
        throw ReadError(Here(), fmt::format("'{}' where {} was expected", c, what));
      }
      if (ReadForm(depth, out)) return;
    }
  }

  bool Wrap(const char* symbol, int depth, Form* out) {
    Pos start = out->pos;
    Form inner;
    ReadRequired(depth + 1, &inner, "a form");
    out->type = Form::Type::kList;
    Form sym;
    sym.type = Form::Type::kSymbol;
    sym.text = symbol;
    sym.pos = start;
    out->items.push_back(std::move(sym));
    out->items.push_back(std::move(inner));
    return true;
  }

  static void AddMeta(Form* target, Form meta) {
    // ^:kw is {:kw true}; ^Type / ^"Type" is {:tag Type}.
    Form map;
    map.type = Form::Type::kMap;
    map.pos = meta.pos;
    if (meta.type == Form::Type::kMap) {
      map = std::move(meta);
    } else if (meta.type == Form::Type::kKeyword) {
      Form t;
      t.type = Form::Type::kBool;
      t.bool_value = true;
      t.pos = meta.pos;
      map.items.push_back(std::move(meta));
      map.items.push_back(std::move(t));
    } else if (meta.type == Form::Type::kSymbol || meta.type == Form::Type::kString) {
      Form k;
      k.type = Form::Type::kKeyword;
      k.text = "tag";
      k.pos = meta.pos;
      map.items.push_back(std::move(k));
      map.items.push_back(std::move(meta));
    } else {
      throw ReadError(meta.pos, "metadata must be a map, a keyword, a symbol or a string, not a " +
                                    std::string(TypeName(meta.type)));
    }
    // ^:a ^:b x stacks both maps onto x, as Clojure merges them.
    if (target->meta) {
      for (auto& item : target->meta->items) map.items.push_back(std::move(item));
    }
    target->meta = std::make_shared<Form>(std::move(map));
  }

  void ReadSeq(char close, int depth, Form* out) {
    for (;;) {
      SkipSpace();
      if (AtEnd()) {
        throw ReadError(out->pos, fmt::format("'{}' is never closed (end of file reached)", Opener(close)));
      }
      char c = Peek();
      if (c == close) {
        Next();
        return;
      }
      if (c == ')' || c == ']' || c == '}') {
        throw ReadError(Here(), fmt::format("'{}' closes the '{}' opened at {}:{}", c, Opener(close),
                                            out->pos.line, out->pos.column));
      }
      Form item;
      if (ReadForm(depth + 1, &item)) out->items.push_back(std::move(item));
    }
  }

  static char Opener(char close) { return close == ')' ? '(' : close == ']' ? '[' : '{'; }

  uint32_t HexDigits(int count, Pos start) {
    uint32_t v = 0;
    for (int i = 0; i < count; ++i) {
      char h = Peek();
      int d = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
      if (d < 0) throw ReadError(start, "\\u needs four hexadecimal digits");
      Next();
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return v;
  }

  // After the opening quote. Strings may span lines.
  std::string ReadString(Pos start, bool raw = false) {
    std::string out;
    for (;;) {
      if (AtEnd()) throw ReadError(start, "string never closed (end of file reached)");
      char c = Next();
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (AtEnd()) throw ReadError(start, "string never closed (end of file reached)");
      Pos esc = {line_, column_ - 1};
      char e = Next();
      if (raw) {  // regex: escapes are kept for the regex engine
        out += '\\';
        out += e;
        continue;
      }
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          uint32_t cp = HexDigits(4, esc);
          if (cp >= 0xD800 && cp <= 0xDBFF && Peek() == '\\' && Peek(1) == 'u') {
            Next();
            Next();
            uint32_t low = HexDigits(4, esc);
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              // A high surrogate not followed by a low one: Java would keep the lone
              // half; it has no UTF-8 form, so it becomes U+FFFD.
              AppendUtf8(0xFFFD, out);
              cp = low;
            }
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {  // octal \0 .. \377
            uint32_t v = static_cast<uint32_t>(e - '0');
            for (int i = 0; i < 2 && Peek() >= '0' && Peek() <= '7'; ++i) v = v * 8 + static_cast<uint32_t>(Next() - '0');
            if (v > 0377) throw ReadError(esc, "octal escape above \\377");
            AppendUtf8(v, out);
            break;
          }
          throw ReadError(esc, fmt::format("unsupported escape '\\{}' in a string", e));
      }
    }
  }

  std::string ReadToken() {
    std::string out;
    while (!AtEnd() && !IsDelimiter(Peek())) out += Next();
    return out;
  }

  void ReadChar(Form* out) {
    Pos start = Here();
    Next();  // backslash
    if (AtEnd()) throw ReadError(start, "end of file after '\\'");
    std::string tok;
    tok += Next();  // the first character is taken even if it is a delimiter: \( \space
    while (!AtEnd() && !IsDelimiter(Peek())) tok += Next();
    out->type = Form::Type::kChar;
    static const std::pair<std::string_view, char> kNamed[] = {
        {"newline", '\n'}, {"space", ' '}, {"tab", '\t'}, {"backspace", '\b'}, {"formfeed", '\f'},
        {"return", '\r'}};
    if (tok.size() == 1) {
      out->text = tok;
      return;
    }
    for (const auto& [name, ch] : kNamed) {
      if (tok == name) {
        out->text = std::string(1, ch);
        return;
      }
    }
    if (tok[0] == 'u' && tok.size() == 5) {
      uint32_t v = 0;
      for (size_t i = 1; i < 5; ++i) {
        char h = tok[i];
        int d = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
        if (d < 0) throw ReadError(start, "invalid character literal \\" + tok);
        v = v * 16 + static_cast<uint32_t>(d);
      }
      AppendUtf8(v, out->text);
      return;
    }
    if (tok[0] == 'o' && tok.size() >= 2 && tok.size() <= 4) {
      uint32_t v = 0;
      for (size_t i = 1; i < tok.size(); ++i) {
        if (tok[i] < '0' || tok[i] > '7') throw ReadError(start, "invalid character literal \\" + tok);
        v = v * 8 + static_cast<uint32_t>(tok[i] - '0');
      }
      AppendUtf8(v, out->text);
      return;
    }
    // One UTF-8 character written raw (\é) is a single character too.
    unsigned char lead = static_cast<unsigned char>(tok[0]);
    size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (tok.size() == len) {
      out->text = tok;
      return;
    }
    throw ReadError(start, "invalid character literal \\" + tok);
  }

  bool ReadDispatch(int depth, Form* out) {
    Pos start = Here();
    Next();  // '#'
    if (AtEnd()) throw ReadError(start, "end of file after '#'");
    char c = Peek();
    switch (c) {
      case '{':
        Next();
        ReadSeq('}', depth, out);
        out->type = Form::Type::kSet;
        out->pos = start;
        return true;
      case '_': {
        Next();
        Form discarded;
        ReadRequired(depth + 1, &discarded, "the form #_ discards");
        return false;
      }
      case '"':
        Next();
        out->type = Form::Type::kRegex;
        out->text = ReadString(start, /*raw=*/true);
        return true;
      case '(':
        Next();
        ReadSeq(')', depth, out);
        out->type = Form::Type::kAnonFn;
        out->pos = start;
        return true;
      case '\'':
        Next();
        out->pos = start;
        return Wrap("var", depth, out);
      case '#': {
        Next();
        std::string tok = ReadToken();
        out->type = Form::Type::kFloat;
        if (tok == "Inf") out->float_value = HUGE_VAL;
        else if (tok == "-Inf") out->float_value = -HUGE_VAL;
        else if (tok == "NaN") out->float_value = std::nan("");
        else throw ReadError(start, "unknown symbolic value ##" + tok);
        return true;
      }
      case '^':  // old metadata syntax #^
        Next();
        ReadMeta(depth, out);
        return true;
      case '?':
        throw ReadError(start, "reader conditionals (#?) are not supported: write the topology as plain data");
      case ':':
        throw ReadError(start, "namespaced maps (#:ns{...}) are not supported");
      case '=':
        throw ReadError(start, "read-time evaluation (#=) is not supported");
      default: break;
    }
    if (IsDelimiter(c)) throw ReadError(start, fmt::format("unexpected '{}' after '#'", c));
    std::string tag = ReadToken();
    Form value;
    ReadRequired(depth + 1, &value, "the value of the tagged literal #" + tag);
    out->type = Form::Type::kTagged;
    out->text = tag;
    out->pos = start;
    out->items.push_back(std::move(value));
    return true;
  }

  void ReadAtom(Form* out) {
    Pos start = Here();
    std::string tok = ReadToken();
    if (tok.empty()) throw ReadError(start, fmt::format("unexpected character '{}'", Peek()));
    char c0 = tok[0];
    bool numeric = (c0 >= '0' && c0 <= '9') ||
                   ((c0 == '-' || c0 == '+') && tok.size() > 1 && tok[1] >= '0' && tok[1] <= '9');
    if (numeric) {
      ReadNumber(tok, start, out);
      return;
    }
    if (c0 == ':') {
      if (tok.size() == 1 || tok.back() == ':' || tok.find("::", 1) != std::string::npos) {
        throw ReadError(start, "invalid keyword '" + tok + "'");
      }
      out->type = Form::Type::kKeyword;
      out->text = tok.substr(1);
      return;
    }
    if (tok == "nil") {
      out->type = Form::Type::kNil;
      return;
    }
    if (tok == "true" || tok == "false") {
      out->type = Form::Type::kBool;
      out->bool_value = tok == "true";
      return;
    }
    if (tok.back() == ':' && tok.size() > 1) throw ReadError(start, "invalid symbol '" + tok + "'");
    out->type = Form::Type::kSymbol;
    out->text = tok;
  }

  static void ReadNumber(const std::string& tok, Pos start, Form* out) {
    auto bad = [&]() -> ReadError { return ReadError(start, "invalid number '" + tok + "'"); };
    size_t i = 0;
    bool negative = false;
    if (tok[i] == '+' || tok[i] == '-') negative = tok[i++] == '-';
    std::string body = tok.substr(i);
    // Ratio 1/2.
    if (auto slash = body.find('/'); slash != std::string::npos) {
      for (size_t k = 0; k < body.size(); ++k) {
        if (k != slash && !(body[k] >= '0' && body[k] <= '9')) throw bad();
      }
      if (slash == 0 || slash + 1 == body.size()) throw bad();
      out->type = Form::Type::kRatio;
      out->text = tok;
      return;
    }
    // Bigint / bigdecimal suffixes.
    if (body.back() == 'N' || body.back() == 'M') {
      out->type = Form::Type::kBigNumber;
      out->text = tok;
      std::string digits = body.substr(0, body.size() - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789.eE+-") != std::string::npos) throw bad();
      return;
    }
    int base = 10;
    std::string digits = body;
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
      base = 16;
      digits = body.substr(2);
    } else if (auto r = body.find_first_of("rR"); r != std::string::npos && r > 0 && r <= 2 &&
                                                 body.find_first_not_of("0123456789") == r) {
      base = std::atoi(body.substr(0, r).c_str());
      if (base < 2 || base > 36) throw bad();
      digits = body.substr(r + 1);
    } else if (body.find_first_of(".eE") != std::string::npos) {
      errno = 0;
      char* end = nullptr;
      double v = std::strtod(body.c_str(), &end);
      if (end != body.c_str() + body.size() || body.find_first_of("xXpP") != std::string::npos) throw bad();
      out->type = Form::Type::kFloat;
      out->float_value = negative ? -v : v;
      return;
    } else if (body.size() > 1 && body[0] == '0') {
      base = 8;
      digits = body.substr(1);
    }
    if (digits.empty()) throw bad();
    uint64_t v = 0;
    bool overflow = false;
    for (char ch : digits) {
      int d = (ch >= '0' && ch <= '9') ? ch - '0' : (ch >= 'a' && ch <= 'z') ? ch - 'a' + 10 : (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 10 : 99;
      if (d >= base) throw bad();
      if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) overflow = true;
      v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    }
    uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (overflow || v > limit) {  // Clojure reads it as a BigInt
      out->type = Form::Type::kBigNumber;
      out->text = tok;
      return;
    }
    out->type = Form::Type::kInteger;
    out->int_value = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  }

  std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

void DescribeInto(const Form& f, std::string& out, size_t budget, int depth) {
  using T = Form::Type;
  if (out.size() > budget) return;
  auto seq = [&](const char* open, const char* close) {
    out += open;
    for (size_t i = 0; i < f.items.size(); ++i) {
      if (i) out += ' ';
      if (out.size() > budget || depth >= 2) {
        out += "...";
        break;
      }
      DescribeInto(f.items[i], out, budget, depth + 1);
    }
    out += close;
  };
  switch (f.type) {
    case T::kNil: out += "nil"; break;
    case T::kBool: out += f.bool_value ? "true" : "false"; break;
    case T::kInteger: out += std::to_string(f.int_value); break;
    case T::kFloat: out += fmt::format("{}", f.float_value); break;
    case T::kBigNumber: case T::kRatio: case T::kSymbol: out += f.text; break;
    case T::kString: out += '"' + f.text + '"'; break;
    case T::kRegex: out += "#\"" + f.text + '"'; break;
    case T::kChar: out += "\\" + f.text; break;
    case T::kKeyword: out += ':' + f.text; break;
    case T::kList: seq("(", ")"); break;
    case T::kVector: seq("[", "]"); break;
    case T::kMap: seq("{", "}"); break;
    case T::kSet: seq("#{", "}"); break;
    case T::kAnonFn: seq("#(", ")"); break;
    case T::kTagged: out += '#' + f.text + ' '; if (!f.items.empty()) DescribeInto(f.items[0], out, budget, depth + 1); break;
  }
}

}  // namespace

std::vector<Form> ReadAll(std::string_view text) { return Reader(text).ReadAll(); }

std::string Describe(const Form& form, size_t max_chars) {
  std::string out;
  DescribeInto(form, out, max_chars, 0);
  if (out.size() > max_chars + 10) out = out.substr(0, max_chars) + "...";
  return out;
}

}  // namespace topoc::import
