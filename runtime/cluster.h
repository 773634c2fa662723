// Internal to the runtime: the local cluster's wiring and its one class.
// local_cluster.cc holds the poll loop, the timers and message dispatch;
// cluster_route.cc routes emits and what flows back to spouts;
// cluster_setup.cc builds components, tasks and their subscriptions from the
// topology plan. The parts they use have their own files: tuple_tree.h
// (acker), grouping.h (task choice), multilang.h (wire format),
// task_process.h (one process), spout_driver.h, run_report.h.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "runtime/grouping.h"
#include "runtime/live_stats.h"
#include "runtime/local_cluster.h"
#include "runtime/multilang.h"
#include "runtime/rng.h"
#include "runtime/run_report.h"
#include "runtime/spout_driver.h"
#include "support/process.h"
#include "runtime/task_process.h"
#include "runtime/topology_plan.h"
#include "runtime/tuple_tree.h"

namespace topoc::runtime::cluster {

struct Comp;

struct OutStream {
  std::string id;
  std::string json_id;  // quoted
  std::string mp_id;    // as MessagePack
  size_t field_count = 0;
  std::vector<Subscriber> subs;
  size_t state_offset = 0;  // first GroupState index of this stream's subs
};

struct Task {
  int id = 0;
  Comp* comp = nullptr;
  std::unique_ptr<TaskProcess> proc;
  double restart_at = 0;
  int start_failures = 0;  // deaths before the handshake completed, in a row
  int crash_streak = 0;    // deaths within kHealthySecs of starting, in a row
  std::vector<GroupState> groups;  // per (stream, subscriber)
  SpoutDriver spout;               // spouts
  InputTable inputs;               // bolts: tuples held
  TaskStats live;                  // its counters for the live view
  bool running() const { return proc->state() == TaskProcess::State::kRunning; }
  bool down() const { return proc->state() == TaskProcess::State::kDown; }
};

struct Comp {
  const ir::Component* ir = nullptr;
  int index = 0;  // declaration order; also its RunReport index
  std::string id;
  std::string json_id;
  std::string mp_id;  // as MessagePack
  bool spout = false;
  std::vector<Task*> tasks;  // ascending task id
  std::vector<OutStream> streams;
  std::string conf_json;
  bool msgpack = false;  // topology.multilang.serializer names MessagePack
  int64_t tick_secs = 0;
  int64_t max_pending = 0;  // topology.max.spout.pending; 0: unlimited
  int64_t bolt_max_pending = 0;  // topology.shellbolt.max.pending; 0: unlimited
  double subprocess_timeout = 30;
  std::set<std::string, std::less<>> metrics;  // registered (topoc.metrics)
  bool keeps_dying = false;  // reported as such; its deaths go to logs only
  double next_tick = 0;
  support::SpawnSpec spawn;
  std::deque<LiveError> errors;  // the last kMaxLiveErrors (live view)
};

class Cluster {
 public:
  Cluster(const ir::Topology& topology, const RunOptions& options);
  RunResult Run();

 private:
  // cluster_setup.cc
  bool Setup(std::string* error);

  // local_cluster.cc
  void Loop();
  void Shutdown();
  bool StopCondition(double now);
  void Timers(double now);
  void Start(Task* t, double now);
  void Die(Task* t, const std::string& reason);
  void ScheduleRestart(Task* t, double now);
  void Flush(Task* t);
  void ReadStdout(Task* t);
  void ReadWaitingSpouts();
  // `parsed`: its members, when the reader has them already (MessagePack).
  void HandleMessage(Task* t, std::string_view text, const Msg* parsed = nullptr);
  void HandleMetrics(Task* t, const Msg& m, std::string_view text);

  // cluster_live.cc: the live view (RunOptions::live).
  void NoteError(Comp* c, int task, const std::string& text);
  void PublishLive(double now, bool ended);

  // cluster_route.cc
  bool HandleEmit(Task* t, const Msg& m, std::string_view text, std::string* error);
  bool ChooseTargets(Task* t, const OutStream& s, int64_t direct_task, std::string* error);
  const OutStream* FindStream(const Comp* c, std::string_view stream_raw) const;
  void Deliver(Task* to, uint64_t rec_id, const Comp* src_comp, const OutStream& s, int src_task,
               std::string_view tuple);
  void TreeDone(int spout_task, std::string_view msg_id, bool acked);
  void QueueSpout(Task* spout, SpoutDriver::Command kind, std::string_view msg_id);
  void PumpSpout(Task* t, double now);
  bool MayAskNext(const Task* t) const {
    return !bolts_full_ && t->spout.MayAskNext(t->running(), stopping_, buffered_);
  }
  void UpdateBoltsFull();
  void RefreshLoads();
  ComponentStats& Stats(const Comp* c) { return report_.stats(c->index); }

  const ir::Topology& topo_;
  const RunOptions& opt_;
  TopologyPlan plan_;
  std::vector<std::unique_ptr<Comp>> comps_;  // declaration order
  std::vector<std::unique_ptr<Task>> tasks_;
  std::vector<Task*> by_id_;                  // index: task id
  Acker acker_;
  bool ackers_ = true;
  double message_timeout_ = 30;
  bool message_timeouts_ = true;
  double next_rotation_ = 0;
  double next_heartbeat_ = 0;
  double next_status_ = 0;
  double next_live_ = 0;
  double started_ = 0;
  double last_activity_ = 0;
  // The time of the current wake-up of the poll loop: message handlers read
  // it instead of the clock (a clock read per message was a sixth of the
  // runner's CPU).
  double now_ = 0;
  double stop_at_ = 0;
  bool stopping_ = false;
  bool fatal_ = false;
  size_t buffered_ = 0;  // bytes queued to all children
  bool bolts_full_ = false;  // a bolt task has topology.shellbolt.max.pending tuples queued
  double next_load_ = 0;
  std::vector<double> load_;  // by task id: queued tuples / its max pending
  Rng rng_;
  std::string pid_dir_;
  RunReport report_;
  // Scratch, reused per message.
  std::vector<std::string_view> values_;
  std::vector<std::string_view> anchor_ids_;
  std::vector<int> targets_;
  std::vector<InputRecord*> anchor_recs_;
  std::string scratch_;
  // The emitted tuple as MessagePack, encoded once per emit for the
  // MessagePack tasks it goes to (tuple_mp_state_: 0 not yet, 1 done,
  // -1 not encodable).
  std::string tuple_mp_;
  int tuple_mp_state_ = 0;
};

// Seconds on the monotonic clock.
inline double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A task that ran this long before dying starts a new crash streak.
inline constexpr double kHealthySecs = 10;
// Restart delay: 0.1 s doubling per death in the streak, at most this.
inline constexpr double kMaxBackoffSecs = 5;
// From this many deaths in a streak, a component "keeps dying".
inline constexpr int kKeepsDying = 3;

// Reads an integer (or a float, truncated) config value.
bool ConfInt(const ir::Value& conf, const char* key, int64_t* out);

}  // namespace topoc::runtime::cluster
