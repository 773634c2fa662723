// Tuple trees (storm-facts.md §5): the tuples a bolt task holds, and the XOR
// acker that tracks every spout tuple's tree until it is fully acked, failed
// or timed out.
//
// A spout tuple gets a random root id; every copy sent to a bolt task gets a
// random edge id. The acker keeps root -> xor of edges still open. A bolt
// that acks an input xors in its edge and the edges of the tuples it emitted
// anchored to it; the tree completes when the value returns to 0.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/rng.h"

namespace topoc::runtime {

struct Anchor {
  uint64_t root;
  uint64_t edge;
};

// A tuple delivered to a bolt task and not yet acked or failed.
struct InputRecord {
  uint32_t gen = 0;
  bool used = false;
  uint64_t ack_val = 0;         // xor of edge ids of tuples anchored to it
  double sent_at = 0;           // when the runner queued it (0: a tick, not timed)
  std::vector<Anchor> anchors;  // root -> this tuple's edge value
};

// Slab of in-flight input tuples of one bolt task. The id sent to the child
// encodes slot and generation, so lookup is O(1) and stale ids are caught.
class InputTable {
 public:
  // A fresh record; returns the id to send with the tuple.
  uint64_t Add(InputRecord** rec);
  // nullptr for an id never handed out, or already removed.
  InputRecord* Find(uint64_t id) {
    uint32_t slot = static_cast<uint32_t>(id);
    if (slot >= slots_.size()) return nullptr;
    InputRecord& r = slots_[slot];
    if (!r.used || r.gen != static_cast<uint32_t>(id >> 32)) return nullptr;
    return &r;
  }
  void Remove(uint64_t id);
  size_t live() const { return live_; }
  template <typename Fn>
  void ForEachLive(Fn&& fn) {
    for (auto& r : slots_) {
      if (r.used) fn(r);
    }
  }
  void Clear();

 private:
  std::vector<InputRecord> slots_;
  std::vector<uint32_t> free_;
  size_t live_ = 0;
};

// Gives `out` (a tuple emitted anchored to `anchors`) a fresh edge per
// anchor, recorded in every root the anchors belong to, and xors that edge
// into the anchor's ack value.
void AnchorTuple(InputRecord* out, const std::vector<InputRecord*>& anchors, Rng* rng);

// The acker's and the spouts' pending map in one: root id -> entry.
struct AckEntry {
  uint64_t root = 0;
  uint64_t val = 0;
  int spout_task = 0;
  uint64_t epoch = 0;
  std::string msg_id;  // raw JSON of the spout's message id
  double started = 0;  // when Track was called (complete latency)
  bool used = false;
};

// Open addressing (linear probing) from root id to slot in a slab.
class AckTable {
 public:
  AckTable() { Rehash(1024); }
  AckEntry* Insert(uint64_t root);  // root must be non-zero and not present
  AckEntry* Find(uint64_t root);
  void Erase(uint64_t root);
  size_t size() const { return count_; }
  const std::vector<AckEntry>& entries() const { return entries_; }

 private:
  struct Bucket {
    uint64_t key;
    uint32_t slot;
  };
  void Rehash(size_t n);
  std::vector<Bucket> index_;
  std::vector<AckEntry> entries_;
  std::vector<uint32_t> free_;
  size_t count_ = 0;
};

// The XOR acker. Completion (ack or fail) is reported to `on_done` with the
// spout task and message id, and the tree is forgotten afterwards.
class Acker {
 public:
  using Done = std::function<void(int spout_task, std::string_view msg_id, bool acked)>;
  explicit Acker(Done on_done) : on_done_(std::move(on_done)) {}

  // Starts tracking a spout tuple. Then Ack(root, xor of the edges sent).
  // `now`: kept as the tree's start, read back by completing_started().
  void Track(uint64_t root, int spout_task, std::string_view msg_id, double now = 0);
  void Ack(uint64_t root, uint64_t value);
  void Fail(uint64_t root);
  // A bolt acked / failed `input`: its trees get its edges (and the edges of
  // what it emitted anchored to it) / fail.
  void AckInput(const InputRecord& input) {
    for (const Anchor& a : input.anchors) Ack(a.root, a.edge ^ input.ack_val);
  }
  void FailInput(const InputRecord& input) {
    for (const Anchor& a : input.anchors) Fail(a.root);
  }
  // Message timeouts: call every timeout T; a tree fails at the second
  // rotation after it started (after T..2T).
  void Rotate();
  // Forgets every tree of `spout_task` without reporting it (the task's
  // process died: its successor must not hear of them). Returns how many.
  size_t DropSpout(int spout_task);
  size_t pending() const { return table_.size(); }
  // Inside on_done: the `now` the completing tree was tracked with.
  double completing_started() const { return completing_started_; }

 private:
  void Complete(AckEntry* e, bool ack);
  AckTable table_;
  uint64_t epoch_ = 0;
  double completing_started_ = 0;
  Done on_done_;
};

}  // namespace topoc::runtime
