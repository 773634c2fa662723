#include "support/edit_distance.h"

#include <doctest/doctest.h>

namespace topoc::support {

TEST_CASE("EditDistance counts inserts, deletes and replacements") {
  CHECK(EditDistance("", "") == 0);
  CHECK(EditDistance("abc", "abc") == 0);
  CHECK(EditDistance("abc", "") == 3);
  CHECK(EditDistance("word-spout", "word-spot") == 1);
  CHECK(EditDistance("kitten", "sitting") == 3);
  CHECK(EditDistance("flaw", "lawn") == 2);
  CHECK(EditDistance("wrod", "word") == 1);  // a swap counts once
}

TEST_CASE("EditDistance stops at max_distance") {
  CHECK(EditDistance("aaaaaaaa", "bbbbbbbb", 2) == 3);
  CHECK(EditDistance("a", "abcdef", 1) == 2);
  CHECK(EditDistance("abc", "abd", 1) == 1);
}

TEST_CASE("SuggestName picks the nearest candidate within a third of the length") {
  std::vector<std::string_view> names = {"word-spout", "count-bolt", "sentence-splitter"};
  CHECK(SuggestName("word-spot", names) == std::optional<std::string>("word-spout"));
  CHECK(SuggestName("count_bolt", names) == std::optional<std::string>("count-bolt"));
  CHECK_FALSE(SuggestName("zzz", names).has_value());
  CHECK_FALSE(SuggestName("word-spout", {"word-spout"}).has_value());
  // Short names accept one edit only.
  CHECK(SuggestName("ab", {"ac"}) == std::optional<std::string>("ac"));
  CHECK_FALSE(SuggestName("ab", {"cd"}).has_value());
  CHECK(MaxTypoDistance("topology.workers") == 3);
}

}  // namespace topoc::support
