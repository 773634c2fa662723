// Double-quoted string literals with backslash escapes, as .topo, Clojure,
// YAML and JSON all write them. What every one escapes: " \ and the control
// characters, with \n \t \r by name. What differs is a QuoteStyle.
#pragma once

#include <string>
#include <string_view>

namespace topoc::support {

struct QuoteStyle {
  bool named_b_f;          // \b and \f by name (else as hex)
  bool escape_del;         // 0x7f as hex (else as is)
  const char* hex_prefix;  // before two lowercase hex digits: "\\u00", "\\x"
};

// .topo and Clojure (Java) strings: \b \f named, other controls and DEL as \u00XX.
inline constexpr QuoteStyle kJavaStyle{true, true, "\\u00"};
// YAML double-quoted scalars: other controls and DEL as \xXX.
inline constexpr QuoteStyle kYamlStyle{false, true, "\\x"};
// JSON (RFC 8259): other controls as \u00XX; DEL and bytes >= 0x80 as they are.
inline constexpr QuoteStyle kJsonStyle{false, false, "\\u00"};

// Appends "text" with the escapes `style` asks for; other bytes (UTF-8 among
// them) are copied as they are.
void AppendQuoted(std::string* out, std::string_view text, const QuoteStyle& style);

// The same, returned.
std::string Quoted(std::string_view text, const QuoteStyle& style);

}  // namespace topoc::support
