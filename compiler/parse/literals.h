// The values of literal tokens (STRING, INT, LONG, FLOAT), shared by both
// parsers (fast_parser.cc, antlr_parser.cc). Internal to compiler/parse/.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source_manager.h"

namespace topoc::parse {

// An INT or LONG token's value; nullopt when it does not fit 64 bits.
inline std::optional<int64_t> IntTokenValue(std::string_view text) {
  if (!text.empty() && (text.back() == 'l' || text.back() == 'L')) text.remove_suffix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// Whether an INT constructor argument is a Java int (else it is a long).
inline bool FitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

// A FLOAT token's value; nullopt when it is not finite (1e999).
inline std::optional<double> FloatTokenValue(std::string_view text) {
  std::string copy(text);  // strtod needs a terminated string
  double v = std::strtod(copy.c_str(), nullptr);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

// Unescapes the text of a STRING token (quotes included). Bad escapes are
// reported against `span` (which covers the token).
std::string UnescapeString(std::string_view token, Span span, DiagnosticEngine& diags);

}  // namespace topoc::parse
