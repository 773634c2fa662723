#include "support/edit_distance.h"

#include <algorithm>

namespace topoc::support {

size_t EditDistance(std::string_view a, std::string_view b, size_t max_distance) {
  size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > max_distance) return max_distance + 1;
  // Three rows: i-2, i-1, i (the transposition looks two rows back).
  std::vector<size_t> back2(b.size() + 1), back1(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) back1[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    size_t best = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({back1[j] + 1, row[j - 1] + 1, back1[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], back2[j - 2] + 1);
      }
      best = std::min(best, row[j]);
    }
    if (best > max_distance) return max_distance + 1;
    std::swap(back2, back1);
    std::swap(back1, row);
  }
  return back1[b.size()];
}

size_t MaxTypoDistance(std::string_view name) {
  return std::clamp<size_t>((name.size() + 1) / 3, 1, 3);
}

std::optional<std::string> SuggestName(std::string_view name,
                                       const std::vector<std::string_view>& candidates) {
  size_t limit = MaxTypoDistance(name);
  size_t best = limit + 1;
  std::optional<std::string> out;
  for (std::string_view c : candidates) {
    if (c == name) continue;
    size_t d = EditDistance(name, c, std::min(limit, best - 1 < limit ? best - 1 : limit));
    if (d < best && d <= limit) {
      best = d;
      out = std::string(c);
      if (d == 1) break;
    }
  }
  return out;
}

}  // namespace topoc::support
