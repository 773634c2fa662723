#include "compiler/parse/literals.h"

#include <algorithm>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/parse/lexer.h"
#include "support/utf8.h"

namespace topoc::parse {

using diag::DiagKind;

std::string UnescapeString(std::string_view token, Span span, DiagnosticEngine& diags) {
  std::string out;
  if (token.empty() || token[0] != '"') return std::string(token);
  size_t end = token.size();
  if (StringTokenClosed(token)) --end;  // else unterminated: no closing quote to drop
  // Strings hold UTF-8: a \uXXXX escape is re-encoded (AppendUtf8, 1 to 4 bytes).
  auto hex4 = [&](size_t at, uint32_t& cp) {
    if (at + 4 > end) return false;
    cp = 0;
    for (size_t k = at; k < at + 4; ++k) {
      char c = token[k];
      int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (v < 0) return false;
      cp = cp * 16 + v;
    }
    return true;
  };
  for (size_t i = 1; i < end; ++i) {
    char c = token[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    auto bad = [&](size_t len) {
      len = std::min(len, end - i);
      Span s{span.file, span.begin + uint32_t(i), span.begin + uint32_t(i + len)};
      diags.Report(diag::Make(DiagKind::kInvalidEscape, s, std::string(token.substr(i, len))));
    };
    if (i + 1 >= end) {
      bad(1);
      break;
    }
    char e = token[i + 1];
    switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        uint32_t cp = 0;
        if (!hex4(i + 2, cp)) {
          // Report the escape and keep going: one run reports every bad escape.
          bad(std::min<size_t>(6, end - i));
          i += 1;
          continue;
        }
        size_t used = 6;
        // JSON's escapes: a code point past U+FFFF is a surrogate pair, high then
        // low; a lone half of a pair is an invalid escape (it has no UTF-8 form).
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t low = 0;
          if (i + 12 <= end && token[i + 6] == '\\' && token[i + 7] == 'u' && hex4(i + 8, low) &&
              low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            used = 12;
          } else {
            bad(6);
            i += 5;
            continue;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          bad(6);
          i += 5;
          continue;
        }
        AppendUtf8(cp, out);
        i += used - 1;
        continue;
      }
      default:
        bad(2);
        break;
    }
    ++i;
  }
  return out;
}

}  // namespace topoc::parse
