#include "compiler/diag/explanations.h"

#include <set>
#include <string>

#include <doctest/doctest.h>

#include "compiler/diag/diagnostic_kinds.h"

namespace topoc::diag {

TEST_CASE("every catalogue code has an explanation page") {
  for (const DiagInfo& info : AllDiagInfos()) {
    INFO(info.code);
    CHECK(FindExplanation(info.code).has_value());
  }
  CHECK(FindExplanation("e0201").has_value());
  CHECK_FALSE(FindExplanation("E9999").has_value());
}

TEST_CASE("FindExplanation: case-insensitive, whole codes only") {
  auto upper = FindExplanation("E0201");
  REQUIRE(upper.has_value());
  CHECK(FindExplanation("e0201") == upper);
  CHECK(upper->find("E0201") != std::string_view::npos);  // the page names its code
  CHECK_FALSE(FindExplanation("").has_value());
  CHECK_FALSE(FindExplanation("E020").has_value());
  CHECK_FALSE(FindExplanation("E02011").has_value());
  CHECK_FALSE(FindExplanation(" E0201").has_value());
}

TEST_CASE("AllExplanations: every embedded page once, sorted by code, none empty") {
  std::vector<Explanation> all = AllExplanations();
  REQUIRE(all.size() >= AllDiagInfos().size());
  std::set<std::string_view> codes;
  for (size_t i = 0; i < all.size(); ++i) {
    INFO(all[i].code);
    CHECK(all[i].code.size() == 5);
    CHECK_FALSE(all[i].text.empty());
    CHECK(codes.insert(all[i].code).second);
    if (i > 0) CHECK(all[i - 1].code < all[i].code);
    CHECK(FindExplanation(all[i].code) == all[i].text);
  }
}

}  // namespace topoc::diag
