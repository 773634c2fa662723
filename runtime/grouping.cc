#include "runtime/grouping.h"

#include <algorithm>
#include <random>

#include "runtime/java_hash.h"

namespace topoc::runtime {

GroupState NewGroupState(const Subscriber& sub, Rng* rng) {
  GroupState g;
  g.order = sub.tasks;
  std::shuffle(g.order.begin(), g.order.end(), std::mt19937_64(rng->Next()));
  g.load.assign(sub.tasks.size(), 0);
  return g;
}

bool ChooseTasks(const Subscriber& sub, GroupState* g, const std::vector<std::string_view>& values, Rng* rng,
                 std::vector<int>* out) {
  const auto& tt = sub.tasks;
  int n = static_cast<int>(tt.size());
  switch (sub.kind) {
    case ir::Grouping::Kind::kDirect:
      return false;
    case ir::Grouping::Kind::kFields: {
      int32_t h = 1;
      for (int idx : sub.field_index) h = JavaListHashStep(h, JavaHashOfJson(values[static_cast<size_t>(idx)]));
      out->push_back(tt[static_cast<size_t>(FloorMod(h, n))]);
      return true;
    }
    case ir::Grouping::Kind::kGlobal:
      out->push_back(tt.front());
      return true;
    case ir::Grouping::Kind::kAll:
      out->insert(out->end(), tt.begin(), tt.end());
      return true;
    case ir::Grouping::Kind::kNone:
      out->push_back(tt[rng->Next() % static_cast<uint64_t>(n)]);
      return true;
    case ir::Grouping::Kind::kPartialKey: {
      std::vector<int32_t> hashes;
      for (int idx : sub.field_index) hashes.push_back(JavaHashOfJson(values[static_cast<size_t>(idx)]));
      auto [a, b] = PartialKeyCandidates(hashes, n);
      int pick = g->load[static_cast<size_t>(b)] < g->load[static_cast<size_t>(a)] ? b : a;
      g->load[static_cast<size_t>(pick)]++;
      out->push_back(tt[static_cast<size_t>(pick)]);
      return true;
    }
    case ir::Grouping::Kind::kShuffle:
    case ir::Grouping::Kind::kLocalOrShuffle:
    case ir::Grouping::Kind::kCustom:  // rejected by CheckRunnable
      out->push_back(g->order[g->pos]);
      if (++g->pos == g->order.size()) g->pos = 0;
      return true;
  }
  return true;
}

}  // namespace topoc::runtime
