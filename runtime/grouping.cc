#include "runtime/grouping.h"

#include <algorithm>
#include <random>

#include "runtime/java_hash.h"

namespace topoc::runtime {

namespace {

void FillRing(GroupState* g, Rng* rng) {
  int64_t sum = 0;
  for (int w : g->weight) sum += w;
  g->ring.clear();
  if (sum > 0) {
    for (size_t i = 0; i < g->weight.size(); ++i) {
      auto count = static_cast<size_t>(static_cast<double>(g->weight[i]) / static_cast<double>(sum) *
                                       static_cast<double>(kLoadAwareRing));
      for (size_t j = 0; j < count && g->ring.size() < kLoadAwareRing; ++j) g->ring.push_back(static_cast<int>(i));
    }
    while (g->ring.size() < kLoadAwareRing) g->ring.push_back(g->ring[rng->Next() % g->ring.size()]);
  } else {
    for (size_t i = 0; i < kLoadAwareRing; ++i) g->ring.push_back(static_cast<int>(i % g->weight.size()));
  }
  for (size_t i = g->ring.size(); i > 1; --i) std::swap(g->ring[i - 1], g->ring[rng->Next() % i]);
  g->pos = 0;
}

}  // namespace

GroupState NewGroupState(const Subscriber& sub, Rng* rng) {
  GroupState g;
  g.order = sub.tasks;
  std::shuffle(g.order.begin(), g.order.end(), std::mt19937_64(rng->Next()));
  g.load.assign(sub.tasks.size(), 0);
  if (sub.load_aware && !sub.tasks.empty()) {
    g.weight.assign(sub.tasks.size(), 100);
    FillRing(&g, rng);
  }
  return g;
}

void RefreshLoad(const Subscriber& sub, GroupState* g, const std::vector<double>& loads, Rng* rng) {
  if (!sub.load_aware || g->weight.empty() || loads.size() != g->weight.size()) return;
  double min = *std::min_element(loads.begin(), loads.end());
  for (size_t i = 0; i < loads.size(); ++i) {
    if (loads[i] <= min + 0.05) {
      g->weight[i] = std::min(100, g->weight[i] + 1);
    } else {
      g->weight[i] = std::max(0, g->weight[i] - 10);
    }
  }
  FillRing(g, rng);
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
      if (!g->ring.empty()) {
        out->push_back(tt[static_cast<size_t>(g->ring[g->pos])]);
        if (++g->pos == g->ring.size()) g->pos = 0;
        return true;
      }
      out->push_back(g->order[g->pos]);
      if (++g->pos == g->order.size()) g->pos = 0;
      return true;
  }
  return true;
}

}  // namespace topoc::runtime
