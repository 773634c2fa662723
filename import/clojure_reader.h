// A reader of Clojure data (the subset of the Clojure reader that topology
// files use), for `topoc import`: lists, vectors, maps, sets, strings,
// characters, keywords, symbols, numbers, nil/true/false, comments (`;`,
// `#!`), commas as whitespace, metadata (`^{...} form`, `^:kw form`,
// `^Type form`, kept on the form), `#_` (discard), quote/syntax-quote/
// unquote/deref/var (`'x` reads as (quote x), ...), regexes `#"..."`,
// `#(...)` and tagged literals `#inst "..."`. Every form carries the line
// and column where it starts. Nothing is evaluated.
//
// Errors (unclosed brackets, a bad string escape, a map with an odd number
// of forms, a stray `)`, ...) are thrown as ReadError with the position.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::import {

// 1-based line and column (bytes, like the compiler's diagnostics).
struct Pos {
  uint32_t line = 1;
  uint32_t column = 1;
};

struct Form {
  enum class Type {
    kNil, kBool, kInteger, kFloat, kBigNumber, kRatio, kString, kChar, kKeyword, kSymbol,
    kRegex, kList, kVector, kMap, kSet,
    kAnonFn,   // #( ... ): items are the body forms
    kTagged,   // #tag form: text = tag, items = {form}
  };
  Type type = Type::kNil;
  Pos pos;
  bool bool_value = false;
  int64_t int_value = 0;     // kInteger
  double float_value = 0;    // kFloat
  // kString/kRegex: the value; kChar: the character (UTF-8); kKeyword: the
  // name without ':' (":ns/k" -> "ns/k", "::k" -> ":k"); kSymbol: the name;
  // kBigNumber/kRatio: the literal as written.
  std::string text;
  std::vector<Form> items;   // collections: the elements (maps: k1 v1 k2 v2 ...)
  std::shared_ptr<Form> meta;  // ^meta, merged into one map (or null)

  bool IsSymbol(std::string_view name) const { return type == Type::kSymbol && text == name; }
  bool IsKeyword(std::string_view name) const { return type == Type::kKeyword && text == name; }
  // A list whose first element is a symbol: its name (else empty).
  std::string_view Head() const;
};

std::string_view TypeName(Form::Type type);  // "list", "vector", "symbol", ...

class ReadError : public std::runtime_error {
 public:
  ReadError(Pos pos, const std::string& message) : std::runtime_error(message), pos(pos) {}
  Pos pos;
};

// Reads every top-level form of `text`. Throws ReadError.
std::vector<Form> ReadAll(std::string_view text);

// A short rendering of a form for messages: `(let [...] ...)`, `foo`,
// `"text"`, `{...}`; at most about `max_chars` characters.
std::string Describe(const Form& form, size_t max_chars = 40);

}  // namespace topoc::import
