// The bolts' input tables and the XOR acker (tuple_tree.h; storm-facts.md §5).
#include "runtime/tuple_tree.h"

#include <algorithm>

namespace topoc::runtime {

uint64_t InputTable::Add(InputRecord** rec) {
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  // A reused slot gets a new generation, so an ack that names the old
  // tuple's id no longer matches (InputTable::Find); 0 is never a generation.
  InputRecord& r = slots_[slot];
  r.gen++;
  if (r.gen == 0) r.gen = 1;
  r.used = true;
  r.ack_val = 0;
  r.sent_at = 0;
  r.anchors.clear();
  ++live_;
  *rec = &r;
  // The tuple id the child sees: generation in the high half, slot below.
  return (static_cast<uint64_t>(r.gen) << 32) | slot;
}

void InputTable::Remove(uint64_t id) {
  uint32_t slot = static_cast<uint32_t>(id);
  slots_[slot].used = false;
  free_.push_back(slot);
  --live_;
}

void InputTable::Clear() {
  free_.clear();
  for (uint32_t i = 0; i < slots_.size(); ++i) {
    slots_[i].used = false;
    free_.push_back(i);
  }
  live_ = 0;
}

void AnchorTuple(InputRecord* out, const std::vector<InputRecord*>& anchors, Rng* rng) {
  for (InputRecord* a : anchors) {
    // One edge per anchor: the anchor's ack carries it (ack_val), and the
    // new tuple's own ack will cancel it in every root they share.
    uint64_t edge = rng->Next();
    a->ack_val ^= edge;
    for (const Anchor& an : a->anchors) {
      auto it = std::find_if(out->anchors.begin(), out->anchors.end(),
                             [&](const Anchor& x) { return x.root == an.root; });
      // Two anchors of the same tree: both edges go into that root's one entry.
      if (it == out->anchors.end()) {
        out->anchors.push_back({an.root, edge});
      } else {
        it->edge ^= edge;
      }
    }
  }
}

namespace {

// Roots come from Rng and are spread already; the mix (murmur3's finalizer
// step) keeps the probing sound for any key.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

// Open addressing with linear probing, at most half full; key 0 marks an
// empty bucket (a root of 0 is never drawn: Rng never returns it).
AckEntry* AckTable::Insert(uint64_t root) {
  if ((count_ + 1) * 2 > index_.size()) Rehash(index_.size() * 2);
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  }
  size_t mask = index_.size() - 1;
  size_t i = Mix(root) & mask;
  while (index_[i].key != 0) i = (i + 1) & mask;
  index_[i] = {root, slot};
  ++count_;
  AckEntry& e = entries_[slot];
  e.root = root;
  e.used = true;
  return &e;
}

AckEntry* AckTable::Find(uint64_t root) {
  size_t mask = index_.size() - 1;
  for (size_t i = Mix(root) & mask; index_[i].key != 0; i = (i + 1) & mask) {
    if (index_[i].key == root) return &entries_[index_[i].slot];
  }
  return nullptr;
}

void AckTable::Erase(uint64_t root) {
  size_t mask = index_.size() - 1;
  size_t i = Mix(root) & mask;
  while (index_[i].key != root) {
    if (index_[i].key == 0) return;
    i = (i + 1) & mask;
  }
  uint32_t slot = index_[i].slot;
  entries_[slot].used = false;
  free_.push_back(slot);
  --count_;
  // Backward-shift deletion: no tombstones, so lookups stay short after many
  // trees come and go. An entry moves into the hole unless its home bucket
  // lies cyclically in (i, j], where it would no longer be found.
  size_t j = i;
  while (true) {
    j = (j + 1) & mask;
    if (index_[j].key == 0) break;
    size_t home = Mix(index_[j].key) & mask;
    bool between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
    if (between) continue;
    index_[i] = index_[j];
    i = j;
  }
  index_[i] = {0, 0};
}

void AckTable::Rehash(size_t n) {
  std::vector<Bucket> old = std::move(index_);
  index_.assign(n, Bucket{0, 0});
  size_t mask = n - 1;
  for (const auto& b : old) {
    if (b.key == 0) continue;
    size_t i = Mix(b.key) & mask;
    while (index_[i].key != 0) i = (i + 1) & mask;
    index_[i] = b;
  }
}

void Acker::Track(uint64_t root, int spout_task, std::string_view msg_id, double now) {
  AckEntry* e = table_.Insert(root);
  e->val = 0;
  e->started = now;
  e->spout_task = spout_task;
  e->epoch = epoch_;
  e->msg_id.assign(msg_id);
}

void Acker::Ack(uint64_t root, uint64_t value) {
  AckEntry* e = table_.Find(root);
  if (!e) return;  // timed out or failed already
  // Every edge is xored in twice (when sent, when acked): 0 means no
  // tuple of the tree is still open.
  e->val ^= value;
  if (e->val == 0) Complete(e, true);
}

void Acker::Fail(uint64_t root) {
  AckEntry* e = table_.Find(root);
  if (e) Complete(e, false);
}

void Acker::Complete(AckEntry* e, bool ack) {
  uint64_t root = e->root;
  // on_done_ may read completing_started() (complete latency) and may
  // start new trees, so the entry goes only after it returns.
  completing_started_ = e->started;
  on_done_(e->spout_task, e->msg_id, ack);
  table_.Erase(root);
}

// Called every message timeout: a tree still open two epochs after it
// started has been open between T and 2T, and fails (Storm's RotatingMap).
void Acker::Rotate() {
  ++epoch_;
  std::vector<uint64_t> expired;
  for (const auto& e : table_.entries()) {
    if (e.used && e.epoch + 2 <= epoch_) expired.push_back(e.root);
  }
  for (uint64_t root : expired) Fail(root);
}

// A dead spout's trees are forgotten without an ack or fail: the restarted
// task is a new process that never emitted them.
size_t Acker::DropSpout(int spout_task) {
  std::vector<uint64_t> roots;
  for (const auto& e : table_.entries()) {
    if (e.used && e.spout_task == spout_task) roots.push_back(e.root);
  }
  for (uint64_t root : roots) table_.Erase(root);
  return roots.size();
}

}  // namespace topoc::runtime
