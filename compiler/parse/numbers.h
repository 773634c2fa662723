// The values of INT, LONG and FLOAT tokens, shared by both parsers
// (parser.cc). Internal to compiler/parse/.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace topoc::parse
