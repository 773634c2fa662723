// Long explanations of diagnostic codes: the pages docs/diagnostics/CODE.md,
// embedded into the binary at build time by cmake/embed_files.cmake (so
// `topoc explain` works from any directory).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace topoc::diag {

struct Explanation {
  std::string_view code;  // "E0201"
  std::string_view text;  // the Markdown page
};

// The page for `code` (case-insensitive), or nullopt.
std::optional<std::string_view> FindExplanation(std::string_view code);
// Every embedded page, sorted by code.
std::vector<Explanation> AllExplanations();

namespace internal {
extern const Explanation kExplanations[];
extern const size_t kExplanationsCount;
}  // namespace internal

}  // namespace topoc::diag
