#include "runtime/tuple_tree.h"

#include <doctest/doctest.h>

#include <map>

namespace topoc::runtime {

namespace {

struct Outcome {
  int spout_task;
  std::string msg_id;
  bool acked;
};

struct Recorder {
  std::vector<Outcome> done;
  Acker acker{[this](int task, std::string_view id, bool acked) { done.push_back({task, std::string(id), acked}); }};
};

}  // namespace

TEST_CASE("input table: ids find their record until removed; a reused slot gets a new id") {
  InputTable t;
  InputRecord* a;
  InputRecord* b;
  uint64_t ia = t.Add(&a);
  a->ack_val = 11;
  uint64_t ib = t.Add(&b);  // may move `a`: records are found by id
  b->ack_val = 22;
  CHECK(ia != ib);
  REQUIRE(t.Find(ia) != nullptr);
  CHECK(t.Find(ia)->ack_val == 11);
  CHECK(t.Find(ib) == b);
  a = t.Find(ia);
  CHECK(t.live() == 2);
  t.Remove(ia);
  CHECK(t.Find(ia) == nullptr);
  InputRecord* c;
  uint64_t ic = t.Add(&c);
  CHECK(c == a);          // the slot is reused...
  CHECK(ic != ia);        // ...under a new generation
  CHECK(t.Find(ia) == nullptr);
  CHECK(t.Find(ic) == c);
  CHECK(t.Find(12345) == nullptr);
  int live = 0;
  t.ForEachLive([&](InputRecord&) { ++live; });
  CHECK(live == 2);
  t.Clear();
  CHECK(t.live() == 0);
  CHECK(t.Find(ib) == nullptr);
}

TEST_CASE("ack table: insert, find, erase under many keys and collisions") {
  AckTable t;
  std::map<uint64_t, int> shadow;
  Rng rng(7);
  std::vector<uint64_t> keys;
  for (int i = 0; i < 5000; ++i) {
    uint64_t k = rng.Next();
    t.Insert(k)->spout_task = i;
    keys.push_back(k);
    shadow[k] = i;
  }
  for (size_t i = 0; i < keys.size(); i += 2) {
    t.Erase(keys[i]);
    shadow.erase(keys[i]);
  }
  CHECK(t.size() == shadow.size());
  for (uint64_t k : keys) {
    AckEntry* e = t.Find(k);
    if (shadow.count(k)) {
      REQUIRE(e != nullptr);
      CHECK(e->spout_task == shadow[k]);
    } else {
      CHECK(e == nullptr);
    }
  }
}

TEST_CASE("acker: a spout tuple sent to two bolts completes when both copies are acked") {
  Recorder r;
  Rng rng(1);
  r.acker.Track(100, 7, "\"m1\"");
  InputRecord x, y;
  x.anchors.push_back({100, rng.Next()});
  y.anchors.push_back({100, rng.Next()});
  r.acker.Ack(100, x.anchors[0].edge ^ y.anchors[0].edge);  // the spout's emit
  CHECK(r.acker.pending() == 1);
  r.acker.AckInput(x);
  CHECK(r.done.empty());
  r.acker.AckInput(y);
  REQUIRE(r.done.size() == 1);
  CHECK(r.done[0].spout_task == 7);
  CHECK(r.done[0].msg_id == "\"m1\"");
  CHECK(r.done[0].acked);
  CHECK(r.acker.pending() == 0);
  r.acker.AckInput(x);  // late: ignored
  CHECK(r.done.size() == 1);
}

TEST_CASE("acker: a tree stays open while a tuple anchored in it is unacked") {
  Recorder r;
  Rng rng(2);
  r.acker.Track(5, 1, "1");
  InputRecord in;  // at bolt A
  in.anchors.push_back({5, rng.Next()});
  r.acker.Ack(5, in.anchors[0].edge);
  InputRecord out;  // A's emit anchored to `in`, at bolt B
  AnchorTuple(&out, {&in}, &rng);
  REQUIRE(out.anchors.size() == 1);
  CHECK(out.anchors[0].root == 5);
  r.acker.AckInput(in);  // A acks its input: B's copy still open
  CHECK(r.done.empty());
  r.acker.AckInput(out);
  REQUIRE(r.done.size() == 1);
  CHECK(r.done[0].acked);
}

TEST_CASE("acker: a tuple anchored to two trees keeps both open; a fail fails only its trees") {
  Recorder r;
  Rng rng(3);
  InputRecord a, b;
  r.acker.Track(1, 1, "\"a\"");
  r.acker.Track(2, 1, "\"b\"");
  a.anchors.push_back({1, rng.Next()});
  b.anchors.push_back({2, rng.Next()});
  r.acker.Ack(1, a.anchors[0].edge);
  r.acker.Ack(2, b.anchors[0].edge);
  InputRecord joined;
  AnchorTuple(&joined, {&a, &b}, &rng);
  CHECK(joined.anchors.size() == 2);
  r.acker.AckInput(a);
  r.acker.AckInput(b);
  CHECK(r.done.empty());
  r.acker.FailInput(joined);
  REQUIRE(r.done.size() == 2);
  CHECK(!r.done[0].acked);
  CHECK(!r.done[1].acked);
  CHECK(r.acker.pending() == 0);
}

TEST_CASE("acker: no targets completes at once; timeouts fail a tree at its second rotation") {
  Recorder r;
  r.acker.Track(9, 2, "9");
  r.acker.Ack(9, 0);
  REQUIRE(r.done.size() == 1);
  CHECK(r.done[0].acked);
  r.acker.Track(10, 2, "10");
  r.acker.Ack(10, 77);  // open
  r.acker.Rotate();
  CHECK(r.done.size() == 1);
  r.acker.Track(11, 2, "11");  // started after the first rotation
  r.acker.Ack(11, 78);
  r.acker.Rotate();
  REQUIRE(r.done.size() == 2);
  CHECK(r.done[1].msg_id == "10");
  CHECK(!r.done[1].acked);
  r.acker.Rotate();
  REQUIRE(r.done.size() == 3);
  CHECK(r.done[2].msg_id == "11");
}

}  // namespace topoc::runtime
