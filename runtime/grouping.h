// Task choice (storm-facts.md §7): which tasks of a subscribing component get
// a tuple, given the subscription, the sender's grouping state and the
// tuple's values. A pure function of its arguments; the runner keeps one
// GroupState per (sender task, stream, subscriber).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/rng.h"

namespace topoc::runtime {

// One component subscribed to one stream.
struct Subscriber {
  int comp = 0;                  // the runner's index of the subscriber
  std::string comp_id;           // its id, for messages
  ir::Grouping::Kind kind = ir::Grouping::Kind::kShuffle;
  std::vector<int> field_index;  // into the stream's fields
  std::vector<int> tasks;        // its task ids, ascending
  // shuffle / local-or-shuffle: Storm 2.x's LoadAwareShuffleGrouping (the
  // default) rather than round robin over a shuffled list (ShuffleGrouping,
  // topology.disable.loadaware.messaging).
  bool load_aware = false;
};

// Per (sender task, stream, subscriber) grouping state.
struct GroupState {
  std::vector<int> order;     // shuffle: a shuffled copy of the target tasks
  size_t pos = 0;
  std::vector<int64_t> load;  // partial key: tuples sent per target index
  // load-aware shuffle: a ring of kLoadAwareRing target indexes, each
  // target present in proportion to its weight (0..100), walked in order.
  std::vector<int> ring;
  std::vector<int> weight;
};

inline constexpr size_t kLoadAwareRing = 1000;

// Fresh state for one sender task (shuffle order drawn from `rng`).
GroupState NewGroupState(const Subscriber& sub, Rng* rng);

// Load-aware shuffle: new loads (0..1, per target index) reweigh the ring.
// A target within 0.05 of the least loaded gains 1 weight (up to 100), any
// other loses 10 (down to 0); the ring is refilled in proportion, shuffled,
// and walked from its start. No-op for other groupings.
void RefreshLoad(const Subscriber& sub, GroupState* state, const std::vector<double>& loads, Rng* rng);

// Appends to `out` the task ids that a regular (not direct) emit of `values`
// goes to. `values` are the tuple's raw JSON values. False for a direct
// subscription (a regular emit cannot go there); `out` is then unchanged.
bool ChooseTasks(const Subscriber& sub, GroupState* state, const std::vector<std::string_view>& values, Rng* rng,
                 std::vector<int>* out);

}  // namespace topoc::runtime
