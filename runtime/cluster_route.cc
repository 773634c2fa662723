// Routing an emit: its stream, the tasks it goes to, the tuple trees it
// joins, delivery; and what flows back to spouts (tree completions, queued
// commands, back-pressure, load-aware shuffle's loads).
#include <algorithm>
#include <cstdint>

#include "runtime/cluster.h"
#include "runtime/json_scan.h"
#include "runtime/msgpack.h"

namespace topoc::runtime::cluster {

const OutStream* Cluster::FindStream(const Comp* c, std::string_view raw) const {
  // `raw` is the stream as the message spelled it (raw JSON, quotes included):
  // most emits match a stream's quoted id as is, without decoding.
  if (raw.empty() || raw == "null") {
    for (const auto& os : c->streams) {
      if (os.id == ir::kDefaultStream) return &os;
    }
    return nullptr;
  }
  for (const auto& os : c->streams) {
    if (os.json_id == raw) return &os;
  }
  std::string name;
  // Spelled with escapes: compare the decoded name.
  DecodeJsonString(raw, &name);
  for (const auto& os : c->streams) {
    if (os.id == name) return &os;
  }
  return nullptr;
}

// targets_ = the tasks an emit goes to.
bool Cluster::ChooseTargets(Task* t, const OutStream& s, int64_t direct_task, std::string* error) {
  targets_.clear();
  // emitDirect: only subscribers that take the stream with `direct` get it.
  if (direct_task != 0) {
    Task* to = direct_task > 0 && static_cast<size_t>(direct_task) < by_id_.size() ? by_id_[direct_task] : nullptr;
    if (!to) return true;  // a task that does not subscribe: dropped silently, as in Storm
    for (const auto& sub : s.subs) {
      if (sub.comp != to->comp->index) continue;
      if (sub.kind != ir::Grouping::Kind::kDirect) {
        *error = "direct emit to task " + std::to_string(direct_task) + " of '" + to->comp->id +
                 "', which subscribes to stream '" + s.id + "' with a " +
                 std::string(ir::GroupingKindName(sub.kind)) +
                 " grouping (Storm: Cannot emitDirect to a task expecting a regular grouping)";
        return false;
      }
      targets_.push_back(static_cast<int>(direct_task));
    }
    return true;
  }
  for (size_t i = 0; i < s.subs.size(); ++i) {
    const Subscriber& sub = s.subs[i];
    // Each subscriber picks its tasks by its grouping (grouping.h), with this
    // sender's own state (round robin position, load ring).
    if (!ChooseTasks(sub, &t->groups[s.state_offset + i], values_, &rng_, &targets_)) {
      *error = "regular emit to stream '" + s.id + "', which '" + sub.comp_id +
               "' subscribes to with a direct grouping (Storm: Cannot do regular emit to direct stream)";
      return false;
    }
  }
  return true;
}

bool Cluster::HandleEmit(Task* t, const Msg& m, std::string_view text, std::string* error) {
  Comp* c = t->comp;
  if (c->spout && !t->spout.OnEmit()) {
    // Storm reads spout output only while waiting on a command.
    *error = "a spout emitted outside next/ack/fail (before its sync)";
    return false;
  }
  const OutStream* s = FindStream(c, m.stream);
  if (!s) {
    *error = "emit to stream " + (m.stream.empty() || m.stream == "null" ? std::string("\"default\"")
                                                                         : std::string(m.stream)) +
             ", which component '" + c->id + "' does not declare";
    return false;
  }
  if (m.tuple.empty() || !SplitJsonArray(m.tuple, &values_)) {
    *error = "emit without a \"tuple\" list: '" + Snippet(text) + "'";
    return false;
  }
  if (values_.size() != s->field_count) {
    *error = "tuple with " + std::to_string(values_.size()) + " values on stream '" + s->id + "', which declares " +
             std::to_string(s->field_count) + " fields";
    return false;
  }
  Stats(c).emitted++;
  t->live.emitted++;
  last_activity_ = now_;
  tuple_mp_state_ = 0;
  // "task" present: an emitDirect to that task.
  int64_t direct_task = 0;
  if (!m.task.empty() && m.task != "null" && !ParseJsonInt(m.task, &direct_task)) {
    *error = "emit with a non-integer \"task\": " + std::string(m.task);
    return false;
  }
  if (!ChooseTargets(t, *s, direct_task, error)) return false;

  // Reliability.
  // Storm replies to every regular emit with the list of task ids it went to,
  // unless the component said need_task_ids: false; never to emitDirect.
  bool need_ids = direct_task == 0 && m.need_task_ids != "false";
  if (c->spout) {
    bool reliable = !m.id.empty() && m.id != "null";
    if (reliable && ackers_) {
      // A reliable spout tuple starts a tree: a random root; each copy sent gets
      // a random edge, and the root's value is the xor of the edges still open.
      uint64_t root = rng_.Next();
      acker_.Track(root, t->id, m.id, now_);
      t->spout.TreeStarted();
      uint64_t val = 0;
      bool lost = false;
      for (int target : targets_) {
        Task* to = by_id_[static_cast<size_t>(target)];
        if (to->down()) {
          lost = true;  // the target is restarting: this copy is lost
          continue;
        }
        InputRecord* rec;
        uint64_t edge = rng_.Next();
        uint64_t rec_id = to->inputs.Add(&rec);
        rec->anchors.push_back({root, edge});
        val ^= edge;
        Deliver(to, rec_id, c, *s, t->id, m.tuple);
      }
      if (lost) {
        acker_.Fail(root);
      } else {
        // The xor of the edges just sent: each bolt's ack xors its edge back out.
        acker_.Ack(root, val);  // val 0 (no targets): done at once
      }
    } else {
      if (reliable) QueueSpout(t, SpoutDriver::Command::kAck, m.id);  // no ackers: acked at once
      for (int target : targets_) {
        Task* to = by_id_[static_cast<size_t>(target)];
        if (to->down()) continue;
        InputRecord* rec;
        uint64_t rec_id = to->inputs.Add(&rec);
        Deliver(to, rec_id, c, *s, t->id, m.tuple);
      }
    }
  } else {
    // A bolt's emit joins the trees of the inputs it is anchored to (one id or
    // a list); each copy sent gets fresh edges in those trees (AnchorTuple).
    anchor_recs_.clear();
    if (!m.anchors.empty() && m.anchors != "null") {
      // Storm's multilang sends a list; a single id is accepted too.
      if (m.anchors.front() == '[') {
        SplitJsonArray(m.anchors, &anchor_ids_);
      } else {
        anchor_ids_.assign(1, m.anchors);
      }
      for (auto raw : anchor_ids_) {
        uint64_t aid;
        InputRecord* r = nullptr;
        if (ParseTupleId(raw, &aid)) r = t->inputs.Find(aid);
        if (!r) {
          *error = "emit anchored to tuple id " + std::string(raw) +
                   ", which this task never received or already acked or failed";
          return false;
        }
        anchor_recs_.push_back(r);
      }
    }
    for (int target : targets_) {
      Task* to = by_id_[static_cast<size_t>(target)];
      if (to->down()) {
        // Lost copy: fail the trees it belongs to.
        for (InputRecord* a : anchor_recs_) acker_.FailInput(*a);
        continue;
      }
      InputRecord* rec;
      uint64_t rec_id = to->inputs.Add(&rec);
      AnchorTuple(rec, anchor_recs_, &rng_);
      Deliver(to, rec_id, c, *s, t->id, m.tuple);
    }
  }
  if (need_ids) {
    // The sender reads this list right after its emit, before anything else.
    t->proc->AppendWire([&](std::string* out, bool msgpack) {
      if (msgpack) AppendTaskIdsMsgpack(out, targets_);
      else AppendTaskIds(out, targets_);
      return true;
    });
  }
  return true;
}

void Cluster::Deliver(Task* to, uint64_t rec_id, const Comp* src_comp, const OutStream& s, int src_task,
                      std::string_view tuple) {
  to->proc->AppendWire(
      [&](std::string* out, bool msgpack) {
        if (!msgpack) {
          AppendTuple(out, rec_id, src_comp->json_id, s.json_id, src_task, tuple);
          return true;
        }
        // Encoded once per emit, however many MessagePack tasks it goes to.
        if (tuple_mp_state_ == 0) {
          tuple_mp_.clear();
          tuple_mp_state_ = AppendMsgpackFromJson(&tuple_mp_, tuple) ? 1 : -1;
        }
        if (tuple_mp_state_ < 0) return false;
        AppendTupleMsgpack(out, rec_id, src_comp->mp_id, s.mp_id, src_task, tuple_mp_);
        return true;
      },
      true);
  report_.result().tuples_routed++;
  // The live view: when it was written (latencies), who sent it.
  if (InputRecord* r = to->inputs.Find(rec_id)) r->sent_at = now_;
  by_id_[static_cast<size_t>(src_task)]->live.transferred++;
}

void Cluster::TreeDone(int spout_task, std::string_view msg_id, bool acked) {
  Task* spout = by_id_[static_cast<size_t>(spout_task)];
  // One fewer tree in flight for topology.max.spout.pending.
  spout->spout.TreeDone();
  if (acked && acker_.completing_started() > 0) {
    spout->live.complete_ms += (now_ - acker_.completing_started()) * 1e3;
    spout->live.complete_n++;
  }
  QueueSpout(spout, acked ? SpoutDriver::Command::kAck : SpoutDriver::Command::kFail, msg_id);
}

void Cluster::QueueSpout(Task* spout, SpoutDriver::Command kind, std::string_view msg_id) {
  spout->spout.Queue(kind, msg_id);
  last_activity_ = now_;
  // A spout busy with a command gets the ack or fail after its sync
  // (HandleMessage); an idle one gets it now.
  if (spout->running() && !spout->spout.waiting_sync()) PumpSpout(spout, now_);
}

void Cluster::PumpSpout(Task* t, double now) {
  if (!t->running() || t->spout.waiting_sync()) return;
  UpdateBoltsFull();
  // Back-pressure: with a bolt task full, or too many bytes queued to all
  // children, the driver sends queued acks and fails but no `next`.
  size_t buffered = bolts_full_ ? SIZE_MAX : buffered_;  // a full bolt holds `next` back
  t->proc->AppendWire([&](std::string* out, bool) {
    t->spout.Pump(now, true, stopping_, buffered, out);
    return !t->spout.TakeEncodeFailure();
  });
}

// topology.shellbolt.max.pending, per bolt task: while one has that many
// tuples queued that its pipe has not taken, spouts get no `next`.
void Cluster::UpdateBoltsFull() {
  bolts_full_ = false;
  for (const auto& c : comps_) {
    if (c->spout || c->bolt_max_pending <= 0) continue;
    for (const Task* t : c->tasks) {
      if (static_cast<int64_t>(t->proc->queued_tuples()) >= c->bolt_max_pending) {
        bolts_full_ = true;
        return;
      }
    }
  }
}

// Load-aware shuffle: every second, each sender's rings get the loads of
// their targets (queued tuples over the target's max pending).
void Cluster::RefreshLoads() {
  for (const auto& c : comps_) {
    double cap = static_cast<double>(c->bolt_max_pending > 0 ? c->bolt_max_pending : 100);
    for (const Task* t : c->tasks) {
      load_[static_cast<size_t>(t->id)] = std::min(1.0, static_cast<double>(t->proc->queued_tuples()) / cap);
    }
  }
  std::vector<double> loads;
  for (auto& tp : tasks_) {
    for (const auto& os : tp->comp->streams) {
      for (size_t i = 0; i < os.subs.size(); ++i) {
        const Subscriber& sub = os.subs[i];
        if (!sub.load_aware) continue;
        loads.clear();
        for (int target : sub.tasks) loads.push_back(load_[static_cast<size_t>(target)]);
        RefreshLoad(sub, &tp->groups[os.state_offset + i], loads, &rng_);
      }
    }
  }
}

}  // namespace topoc::runtime::cluster
