#include "compiler/diag/explanations.h"

#include <cctype>

namespace topoc::diag {

std::optional<std::string_view> FindExplanation(std::string_view code) {
  for (size_t i = 0; i < internal::kExplanationsCount; ++i) {
    const Explanation& e = internal::kExplanations[i];
    if (e.code.size() != code.size()) continue;
    bool same = true;
    for (size_t k = 0; k < code.size() && same; ++k) {
      same = std::toupper(static_cast<unsigned char>(code[k])) == e.code[k];
    }
    if (same) return e.text;
  }
  return std::nullopt;
}

std::vector<Explanation> AllExplanations() {
  return std::vector<Explanation>(internal::kExplanations,
                                  internal::kExplanations + internal::kExplanationsCount);
}

}  // namespace topoc::diag
