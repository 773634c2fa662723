#include "runtime/grouping.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "runtime/java_hash.h"

namespace topoc::runtime {

namespace {

Subscriber Sub(ir::Grouping::Kind kind, std::vector<int> tasks, std::vector<int> fields = {}) {
  Subscriber s;
  s.kind = kind;
  s.tasks = std::move(tasks);
  s.field_index = std::move(fields);
  return s;
}

}  // namespace

TEST_CASE("fields grouping: Java's List.hashCode of the field values, floor-mod the task count") {
  Subscriber s = Sub(ir::Grouping::Kind::kFields, {4, 5, 6}, {1});
  Rng rng(1);
  GroupState g = NewGroupState(s, &rng);
  std::map<std::string, int> seen;
  for (std::string w : {"\"apple\"", "\"pear\"", "\"fig\"", "\"kiwi\"", "\"apple\""}) {
    std::vector<std::string_view> values = {"1", w};
    std::vector<int> out;
    REQUIRE(ChooseTasks(s, &g, values, &rng, &out));
    REQUIRE(out.size() == 1);
    int32_t h = JavaListHashStep(1, JavaHashOfJson(w));
    CHECK(out[0] == s.tasks[static_cast<size_t>(FloorMod(h, 3))]);
    if (seen.count(w)) CHECK(seen[w] == out[0]);  // same word, same task
    seen[w] = out[0];
  }
  // "apple": hashCode 93029210, List hash 31 + that = 93029241; mod 3 = 0.
  std::vector<std::string_view> apple = {"1", "\"apple\""};
  std::vector<int> out;
  ChooseTasks(s, &g, apple, &rng, &out);
  CHECK(out[0] == 4);
}

TEST_CASE("shuffle grouping: each task once per round, in a fixed shuffled order") {
  Subscriber s = Sub(ir::Grouping::Kind::kShuffle, {2, 3, 4, 5});
  Rng rng(5);
  GroupState g = NewGroupState(s, &rng);
  std::vector<int> first, second;
  for (int i = 0; i < 4; ++i) ChooseTasks(s, &g, {}, &rng, &first);
  for (int i = 0; i < 4; ++i) ChooseTasks(s, &g, {}, &rng, &second);
  CHECK(first == second);
  std::vector<int> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == s.tasks);
}

TEST_CASE("global, all, none and direct") {
  Rng rng(9);
  std::vector<int> out;
  Subscriber global = Sub(ir::Grouping::Kind::kGlobal, {7, 8});
  GroupState g1 = NewGroupState(global, &rng);
  REQUIRE(ChooseTasks(global, &g1, {}, &rng, &out));
  CHECK(out == std::vector<int>{7});
  out.clear();
  Subscriber all = Sub(ir::Grouping::Kind::kAll, {7, 8, 9});
  GroupState g2 = NewGroupState(all, &rng);
  REQUIRE(ChooseTasks(all, &g2, {}, &rng, &out));
  CHECK(out == std::vector<int>{7, 8, 9});
  out.clear();
  Subscriber none = Sub(ir::Grouping::Kind::kNone, {7, 8, 9});
  GroupState g3 = NewGroupState(none, &rng);
  for (int i = 0; i < 50; ++i) REQUIRE(ChooseTasks(none, &g3, {}, &rng, &out));
  for (int t : out) CHECK((t >= 7 && t <= 9));
  out.clear();
  Subscriber direct = Sub(ir::Grouping::Kind::kDirect, {7});
  GroupState g4 = NewGroupState(direct, &rng);
  CHECK(!ChooseTasks(direct, &g4, {}, &rng, &out));
  CHECK(out.empty());
}

TEST_CASE("partial key grouping: a hot key is split between its two candidates") {
  Subscriber s = Sub(ir::Grouping::Kind::kPartialKey, {1, 2, 3, 4, 5}, {0});
  Rng rng(3);
  GroupState g = NewGroupState(s, &rng);
  std::map<int, int> count;
  std::vector<std::string_view> values = {"\"hot\""};
  for (int i = 0; i < 100; ++i) {
    std::vector<int> out;
    REQUIRE(ChooseTasks(s, &g, values, &rng, &out));
    count[out[0]]++;
  }
  auto [a, b] = PartialKeyCandidates({JavaHashOfJson("\"hot\"")}, 5);
  if (a == b) {
    CHECK(count.size() == 1);
  } else {
    CHECK(count.size() == 2);
    CHECK(count[s.tasks[static_cast<size_t>(a)]] == 50);
    CHECK(count[s.tasks[static_cast<size_t>(b)]] == 50);
  }
}

}  // namespace topoc::runtime

namespace topoc::runtime {

TEST_CASE("load-aware shuffle: equal weights split a ring pass evenly; load moves weight away") {
  Subscriber s = Sub(ir::Grouping::Kind::kShuffle, {3, 4});
  s.load_aware = true;
  Rng rng(11);
  GroupState g = NewGroupState(s, &rng);
  REQUIRE(g.ring.size() == kLoadAwareRing);
  std::map<int, int> count;
  std::vector<int> out;
  for (size_t i = 0; i < kLoadAwareRing; ++i) ChooseTasks(s, &g, {}, &rng, &out);
  for (int t : out) count[t]++;
  CHECK(count == std::map<int, int>{{3, 500}, {4, 500}});
  // Not round robin: the ring is shuffled.
  bool alternates = true;
  for (size_t i = 1; i < 50; ++i) alternates &= out[i] != out[i - 1];
  CHECK(!alternates);

  // Task 4 loaded: its weight drops by 10 per refresh, task 3 stays at 100.
  for (int i = 0; i < 5; ++i) RefreshLoad(s, &g, {0.0, 0.9}, &rng);
  CHECK(g.weight == std::vector<int>{100, 50});
  out.clear();
  count.clear();
  for (size_t i = 0; i < kLoadAwareRing; ++i) ChooseTasks(s, &g, {}, &rng, &out);
  for (int t : out) count[t]++;
  // 100/150 and 50/150 of 1000 slots (666 + 333, one slot filled at random).
  CHECK(count[3] >= 666);
  CHECK(count[3] <= 667);
  CHECK(count[3] + count[4] == 1000);
  // Within 0.05 of the least loaded counts as not loaded: it grows back.
  RefreshLoad(s, &g, {0.5, 0.54}, &rng);
  CHECK(g.weight == std::vector<int>{100, 51});
  // Fully loaded to 0: every slot goes to the other task.
  for (int i = 0; i < 10; ++i) RefreshLoad(s, &g, {0.0, 1.0}, &rng);
  CHECK(g.weight == std::vector<int>{100, 0});
  out.clear();
  for (int i = 0; i < 100; ++i) ChooseTasks(s, &g, {}, &rng, &out);
  CHECK(std::all_of(out.begin(), out.end(), [](int t) { return t == 3; }));
}

TEST_CASE("load-aware shuffle is off for round-robin subscribers: RefreshLoad leaves them alone") {
  Subscriber s = Sub(ir::Grouping::Kind::kShuffle, {3, 4, 5});
  Rng rng(4);
  GroupState g = NewGroupState(s, &rng);
  CHECK(g.ring.empty());
  RefreshLoad(s, &g, {0, 1, 1}, &rng);
  std::vector<int> out;
  for (int i = 0; i < 6; ++i) ChooseTasks(s, &g, {}, &rng, &out);
  std::map<int, int> count;
  for (int t : out) count[t]++;
  CHECK(count == std::map<int, int>{{3, 2}, {4, 2}, {5, 2}});
}

}  // namespace topoc::runtime
