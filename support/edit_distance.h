// "Did you mean": edit distance between names, and the closest candidate.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::support {

// Edit distance with insert, delete, replace and swap of two neighbours,
// each costing 1 (optimal string alignment). Stops early
// and returns max_distance + 1 once the distance must exceed max_distance.
size_t EditDistance(std::string_view a, std::string_view b, size_t max_distance = SIZE_MAX);

// The largest distance accepted as a typo of `name`: (length + 1) / 3,
// at least 1, at most 3.
size_t MaxTypoDistance(std::string_view name);

// The candidate nearest to `name` within MaxTypoDistance(name), or nullopt.
// Ties go to the earliest candidate; `name` itself is never suggested.
std::optional<std::string> SuggestName(std::string_view name,
                                       const std::vector<std::string_view>& candidates);

}  // namespace topoc::support
