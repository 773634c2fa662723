#include "support/escape.h"

namespace topoc::support {

void AppendQuoted(std::string* out, std::string_view text, const QuoteStyle& style) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  // Runs of bytes that need no escape are appended whole (the common case:
  // a word is one run); this sits on `topoc run`'s hot path.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && (c != 0x7f || !style.escape_del)) continue;
    out->append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); continue;
      case '\\': out->append("\\\\"); continue;
      case '\n': out->append("\\n"); continue;
      case '\r': out->append("\\r"); continue;
      case '\t': out->append("\\t"); continue;
      case '\b':
        if (style.named_b_f) {
          out->append("\\b");
          continue;
        }
        break;
      case '\f':
        if (style.named_b_f) {
          out->append("\\f");
          continue;
        }
        break;
    }
    out->append(style.hex_prefix);
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 15]);
  }
  out->append(text.data() + run, text.size() - run);
  out->push_back('"');
}

std::string Quoted(std::string_view text, const QuoteStyle& style) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendQuoted(&out, text, style);
  return out;
}

}  // namespace topoc::support
