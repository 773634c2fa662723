#include "runtime/local_cluster.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <random>

#include "backends/python_launcher.h"
#include "runtime/java_hash.h"
#include "runtime/json_scan.h"
#include "runtime/msgpack.h"
#include "runtime/subprocess.h"
#include "runtime/topology_plan.h"

namespace topoc::runtime {

namespace fs = std::filesystem;

namespace {

volatile sig_atomic_t g_stop_requested = 0;

void OnStopSignal(int) { g_stop_requested = g_stop_requested + 1; }  // twice: skip the drain

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, p);
}

void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, p);
}

constexpr std::string_view kEnd = "\nend\n";

// ---- tuple trees -----------------------------------------------------------

struct Anchor {
  uint64_t root;
  uint64_t edge;
};

// A tuple delivered to a bolt task and not yet acked or failed.
struct InputRecord {
  uint32_t gen = 0;
  bool used = false;
  uint64_t ack_val = 0;         // xor of edge ids of tuples anchored to it
  std::vector<Anchor> anchors;  // root -> this tuple's edge value
};

// Slab of in-flight input tuples of one bolt task. The id sent to the child
// encodes slot and generation, so lookup is O(1) and stale ids are caught.
class InputTable {
 public:
  uint64_t Add(InputRecord** rec) {
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    InputRecord& r = slots_[slot];
    r.gen++;
    if (r.gen == 0) r.gen = 1;
    r.used = true;
    r.ack_val = 0;
    r.anchors.clear();
    ++live_;
    *rec = &r;
    return (static_cast<uint64_t>(r.gen) << 32) | slot;
  }
  InputRecord* Find(uint64_t id) {
    uint32_t slot = static_cast<uint32_t>(id);
    if (slot >= slots_.size()) return nullptr;
    InputRecord& r = slots_[slot];
    if (!r.used || r.gen != static_cast<uint32_t>(id >> 32)) return nullptr;
    return &r;
  }
  void Remove(uint64_t id) {
    uint32_t slot = static_cast<uint32_t>(id);
    slots_[slot].used = false;
    free_.push_back(slot);
    --live_;
  }
  size_t live() const { return live_; }
  template <typename Fn>
  void ForEachLive(Fn&& fn) {
    for (auto& r : slots_) {
      if (r.used) fn(r);
    }
  }
  void Clear() {
    free_.clear();
    for (uint32_t i = 0; i < slots_.size(); ++i) {
      slots_[i].used = false;
      free_.push_back(i);
    }
    live_ = 0;
  }

 private:
  std::vector<InputRecord> slots_;
  std::vector<uint32_t> free_;
  size_t live_ = 0;
};

// The acker's and the spouts' pending map in one: root id -> entry.
struct AckEntry {
  uint64_t root = 0;
  uint64_t val = 0;
  int spout_task = 0;
  uint64_t epoch = 0;
  std::string msg_id;  // raw JSON of the spout's message id
  bool used = false;
};

// Open addressing (linear probing) from root id to slot in a slab.
class AckTable {
 public:
  AckTable() { Rehash(1024); }
  AckEntry* Insert(uint64_t root) {
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
  AckEntry* Find(uint64_t root) {
    size_t mask = index_.size() - 1;
    for (size_t i = Mix(root) & mask; index_[i].key != 0; i = (i + 1) & mask) {
      if (index_[i].key == root) return &entries_[index_[i].slot];
    }
    return nullptr;
  }
  void Erase(uint64_t root) {
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
    // Backward-shift deletion.
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
  size_t size() const { return count_; }
  std::vector<AckEntry>& entries() { return entries_; }

 private:
  struct Bucket {
    uint64_t key;
    uint32_t slot;
  };
  static uint64_t Mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
  void Rehash(size_t n) {
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
  std::vector<Bucket> index_;
  std::vector<AckEntry> entries_;
  std::vector<uint32_t> free_;
  size_t count_ = 0;
};

// ---- components and tasks ---------------------------------------------------

struct Comp;

struct Subscriber {
  Comp* target = nullptr;
  ir::Grouping::Kind kind = ir::Grouping::Kind::kShuffle;
  std::vector<int> field_index;  // into the stream's fields
};

struct OutStream {
  std::string id;
  std::string json_id;  // quoted
  size_t field_count = 0;
  std::vector<Subscriber> subs;
  size_t state_offset = 0;  // first GroupState index of this stream's subs
};

// Per (sender task, stream, subscriber) grouping state.
struct GroupState {
  std::vector<int> order;     // shuffle: a shuffled copy of the target tasks
  size_t pos = 0;
  std::vector<int64_t> load;  // partial key: tuples sent per target index
};

struct SpoutCommand {
  enum Kind { kAck, kFail, kDeactivate } kind;
  std::string msg_id;
};

struct Task {
  int id = 0;
  Comp* comp = nullptr;
  Child child;
  enum class State { kDown, kHandshake, kRunning } state = State::kDown;
  uint64_t generation = 0;  // bumped on every death
  std::string wbuf;
  size_t woff = 0;
  size_t wconv = 0;  // msgpack tasks: wbuf[woff, wconv) is MessagePack, the rest JSON + "\nend\n"
  std::string rbuf;
  size_t rstart = 0;  // start of the current (unfinished) message
  size_t rscan = 0;   // where to continue looking for "\nend\n"
  std::string ebuf;   // partial stderr line
  std::deque<std::string> err_lines;
  FILE* log = nullptr;
  double started_at = 0;
  double restart_at = 0;
  int start_failures = 0;
  double last_heard = 0;
  std::vector<GroupState> groups;
  // spout
  bool waiting_sync = false;
  double wait_since = 0;
  bool last_was_next = false;
  int emits_in_command = 0;
  double next_at = 0;
  bool active = false;
  bool deactivated = false;
  std::deque<SpoutCommand> commands;
  int64_t pending = 0;  // trees not yet acked/failed
  // bolt
  InputTable inputs;
};

struct Comp {
  const ir::Component* ir = nullptr;
  std::string id;
  std::string json_id;
  bool spout = false;
  std::vector<Task*> tasks;  // ascending task id
  std::vector<OutStream> streams;
  size_t group_state_count = 0;
  std::string conf_json;
  bool msgpack = false;  // topology.multilang.serializer names MessagePack
  int64_t tick_secs = 0;
  int64_t max_pending = 0;  // 0: unlimited
  double subprocess_timeout = 30;
  double next_tick = 0;
  SpawnSpec spawn;
  ComponentStats stats;
  ComponentStats last_stats;  // for the status line rates
};

struct Msg {
  std::string_view command, id, tuple, stream, task, anchors, need_task_ids, msg, level, pid;
};

class Cluster {
 public:
  Cluster(const ir::Topology& topology, const RunOptions& options) : topo_(topology), opt_(options) {}
  RunResult Run();

 private:
  bool Setup(std::string* error);
  void Loop();
  void Shutdown();
  bool StopCondition(double now);

  void Start(Task* t, double now);
  void Die(Task* t, const std::string& reason);
  void ScheduleRestart(Task* t, double now);

  void ReadStdout(Task* t);
  void ReadStderr(Task* t, bool to_eof);
  void StderrLine(Task* t, std::string_view line);
  void HandleMessage(Task* t, std::string_view text);
  bool HandleEmit(Task* t, const Msg& m, std::string_view text, std::string* error);
  void Flush(Task* t);
  bool EncodeMsgpack(Task* t);  // wbuf's pending JSON messages -> MessagePack
  void PumpSpout(Task* t, double now);
  void SendSpoutCommand(Task* t, const char* cmd, std::string_view id_raw);
  // Whether an idle spout task may get `next` (time back-off aside).
  bool MayAskNext(const Task* t) const {
    if (t->state != Task::State::kRunning || t->waiting_sync || !t->active || stopping_) return false;
    if (t->comp->max_pending > 0 && t->pending >= t->comp->max_pending) return false;
    return buffered_ <= (16u << 20);  // above: bolts are behind, back-pressure
  }

  void Deliver(Task* to, InputRecord* rec, uint64_t rec_id, const Comp* src_comp, const OutStream& s,
               int src_task, std::string_view tuple);
  void AckerAck(uint64_t root, uint64_t value);
  void AckerFail(uint64_t root);
  void Complete(AckEntry* e, bool ack);
  void QueueSpout(Task* spout, SpoutCommand::Kind kind, std::string_view msg_id);
  void FailRecord(InputRecord& r);

  void Timers(double now);
  void StatusLine(double now, bool final);
  void Log(Task* t, std::string_view level, std::string_view msg);
  void Problem(const std::string& text);

  uint64_t Rand() {
    uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z ? z : 1;
  }
  void AppendToWbuf(Task* t, std::string_view s) {
    t->wbuf.append(s);
    buffered_ += s.size();
  }

  const ir::Topology& topo_;
  const RunOptions& opt_;
  TopologyPlan plan_;
  std::vector<std::unique_ptr<Comp>> comps_;      // declaration order
  std::vector<std::unique_ptr<Task>> tasks_;
  std::vector<Task*> by_id_;                      // index: task id
  AckTable acks_;
  bool ackers_ = true;
  double message_timeout_ = 30;
  bool message_timeouts_ = true;
  uint64_t epoch_ = 0;
  double next_rotation_ = 0;
  double next_heartbeat_ = 0;
  double next_status_ = 0;
  double started_ = 0;
  double last_activity_ = 0;
  double stop_at_ = 0;
  bool stopping_ = false;
  bool fatal_ = false;
  bool status_line_ = false;
  bool status_shown_ = false;
  size_t buffered_ = 0;  // bytes waiting in all wbufs
  std::string mp_scratch_;  // MessagePack being encoded
  std::string mp_json_;     // a MessagePack message as JSON text
  uint64_t rng_ = 0;
  fs::path pid_dir_;
  RunResult result_;
  // Scratch, reused per message.
  std::vector<std::string_view> values_;
  std::vector<std::string_view> anchor_ids_;
  std::vector<int> targets_;
  std::vector<int32_t> hashes_;
  std::vector<InputRecord*> anchor_recs_;
  std::string scratch_;
};

// ---- setup --------------------------------------------------------------

bool ConfInt(const ir::Value& conf, const char* key, int64_t* out) {
  auto it = conf.find(key);
  if (it == conf.end() || it->is_null()) return false;
  if (it->is_number_integer()) {
    *out = it->get<int64_t>();
    return true;
  }
  if (it->is_number_float()) {
    *out = static_cast<int64_t>(it->get<double>());
    return true;
  }
  return false;
}

bool Cluster::Setup(std::string* error) {
  if (!CheckRunnable(topo_, error)) return false;
  if (!PlanTopology(topo_, opt_.overrides, &plan_, error)) return false;

  std::error_code ec;
  fs::create_directories(opt_.logs_dir, ec);
  if (ec) {
    *error = "cannot create the log folder " + opt_.logs_dir.string() + ": " + ec.message();
    return false;
  }
  pid_dir_ = opt_.staging_dir / "pids";
  fs::create_directories(pid_dir_, ec);
  fs::create_directories(opt_.staging_dir / backends::kLauncherDir, ec);
  if (ec) {
    *error = "cannot create the staging folder " + opt_.staging_dir.string() + ": " + ec.message();
    return false;
  }

  rng_ = opt_.seed ? opt_.seed : std::random_device{}() * 0x100000001ULL + std::random_device{}();

  const ir::Value& tconf = plan_.topology_conf;
  int64_t v;
  if (ConfInt(tconf, "topology.message.timeout.secs", &v) && v > 0) message_timeout_ = static_cast<double>(v);
  if (auto it = tconf.find("topology.enable.message.timeouts"); it != tconf.end() && it->is_boolean()) {
    message_timeouts_ = it->get<bool>();
  }
  const PlannedComponent* acker = plan_.Find("__acker");
  ackers_ = acker && !acker->tasks.empty();

  // Log keys for the Python runtime (agreement 5).
  ir::Value log = ir::Value::object();
  log["streamparse.log.path"] = fs::absolute(opt_.logs_dir).string();
  for (const char* k : {"max_bytes", "backup_count"}) {
    if (opt_.log_settings.is_object() && opt_.log_settings.contains(k)) {
      log[std::string("streamparse.log.") + k] = opt_.log_settings[k];
    }
  }
  std::string level = "info";
  if (opt_.log_settings.is_object() && opt_.log_settings.contains("level") &&
      opt_.log_settings["level"].is_string()) {
    level = opt_.log_settings["level"].get<std::string>();
  }
  if (opt_.debug) level = "debug";
  log["streamparse.log.level"] = level;

  std::string python_path = fs::absolute(opt_.src_dir).string();
  if (!opt_.python_runtime_dir.empty()) python_path += ":" + fs::absolute(opt_.python_runtime_dir).string();
  if (const char* existing = getenv("PYTHONPATH"); existing && *existing) python_path += std::string(":") + existing;

  int max_id = 0;
  for (const auto& pc : plan_.components) {
    if (!pc.tasks.empty()) max_id = std::max(max_id, pc.tasks.back());
  }
  by_id_.assign(static_cast<size_t>(max_id) + 1, nullptr);

  std::map<const ir::Component*, Comp*> comp_of;
  for (const auto& c : topo_.components) {
    auto comp = std::make_unique<Comp>();
    comp->ir = c.get();
    comp->id = c->id;
    AppendJsonString(&comp->json_id, c->id);
    comp->spout = c->role == ir::Role::kSpout;
    comp->stats.id = c->id;
    comp->stats.spout = comp->spout;
    ir::Value conf = plan_.ComponentConf(*c, log);
    comp->conf_json = conf.dump();
    if (conf.is_object() && conf.contains("topology.multilang.serializer") &&
        conf["topology.multilang.serializer"].is_string()) {
      comp->msgpack = IsMsgpackSerializerName(conf["topology.multilang.serializer"].get<std::string>());
    }
    if (ConfInt(conf, "topology.tick.tuple.freq.secs", &v) && v > 0) comp->tick_secs = v;
    if (ConfInt(conf, "topology.max.spout.pending", &v) && v > 0) comp->max_pending = v;
    if (ConfInt(conf, "topology.subprocess.timeout.secs", &v) && v > 0) comp->subprocess_timeout = static_cast<double>(v);
    for (const auto& s : c->streams) {
      OutStream os;
      os.id = s->id;
      AppendJsonString(&os.json_id, s->id);
      os.field_count = s->fields.size();
      comp->streams.push_back(std::move(os));
    }
    // Spawn spec.
    comp->spawn.cwd = opt_.src_dir;
    comp->spawn.env.push_back({"PYTHONPATH", python_path});
    comp->spawn.env.push_back({"PYTHONUNBUFFERED", "1"});
    if (c->kind == ir::Kind::kPython) {
      fs::path launcher = fs::absolute(opt_.staging_dir) / backends::PythonLauncherPath(c->python_class);
      std::ofstream f(launcher, std::ios::binary | std::ios::trunc);
      f << backends::PythonLauncherSource(c->python_class);
      if (!f) {
        *error = "cannot write the python launcher " + launcher.string();
        return false;
      }
      comp->spawn.argv = {opt_.python, launcher.string()};
    } else {
      comp->spawn.argv = c->shell_command;
    }
    comp_of[c.get()] = comp.get();
    comps_.push_back(std::move(comp));
  }
  // Subscribers.
  for (const auto& c : topo_.components) {
    for (const auto& in : c->inputs) {
      Comp* src = comp_of[in.source];
      for (auto& os : src->streams) {
        if (os.id != in.stream->id) continue;
        Subscriber sub;
        sub.target = comp_of[c.get()];
        sub.kind = in.grouping.kind;
        for (const auto& f : in.grouping.fields) {
          auto it = std::find(in.stream->fields.begin(), in.stream->fields.end(), f);
          sub.field_index.push_back(static_cast<int>(it - in.stream->fields.begin()));
        }
        os.subs.push_back(std::move(sub));
      }
    }
  }
  // Tasks.
  for (const auto& pc : plan_.components) {
    if (!pc.ir) continue;
    Comp* comp = comp_of[pc.ir];
    for (int id : pc.tasks) {
      auto t = std::make_unique<Task>();
      t->id = id;
      t->comp = comp;
      by_id_[static_cast<size_t>(id)] = t.get();
      comp->tasks.push_back(t.get());
      tasks_.push_back(std::move(t));
    }
    comp->stats.tasks = static_cast<int>(pc.tasks.size());
  }
  // Grouping state per sender task.
  for (auto& comp : comps_) {
    size_t n = 0;
    for (auto& os : comp->streams) {
      os.state_offset = n;
      n += os.subs.size();
    }
    comp->group_state_count = n;
    for (Task* t : comp->tasks) {
      t->groups.resize(n);
      for (auto& os : comp->streams) {
        for (size_t i = 0; i < os.subs.size(); ++i) {
          GroupState& g = t->groups[os.state_offset + i];
          const Comp* target = os.subs[i].target;
          for (Task* tt : target->tasks) g.order.push_back(tt->id);
          std::shuffle(g.order.begin(), g.order.end(), std::mt19937_64(Rand()));
          g.load.assign(target->tasks.size(), 0);
        }
      }
      std::string name = "topoc_" + topo_.name + "_" + comp->id + "_" + std::to_string(t->id) + ".log";
      t->log = std::fopen((opt_.logs_dir / name).c_str(), "a");
    }
  }
  return true;
}

// ---- process lifecycle --------------------------------------------------

void Cluster::Start(Task* t, double now) {
  std::string error;
  t->generation++;
  if (!Spawn(t->comp->spawn, &t->child, &error)) {
    Problem("component '" + t->comp->id + "' task " + std::to_string(t->id) + ": " + error);
    t->start_failures++;
    ScheduleRestart(t, now);
    return;
  }
  t->state = Task::State::kHandshake;
  t->started_at = now;
  t->last_heard = now;
  t->wbuf.clear();
  t->woff = t->wconv = 0;
  t->rbuf.clear();
  t->rstart = t->rscan = 0;
  t->ebuf.clear();
  t->waiting_sync = false;
  t->active = false;
  t->deactivated = false;
  if (t->log) {
    std::fprintf(t->log, "---- topoc: started task %d of '%s' (pid %d): %s\n", t->id, t->comp->id.c_str(),
                 static_cast<int>(t->child.pid), t->comp->spawn.argv.back().c_str());
    std::fflush(t->log);
  }
  // Handshake: conf, pidDir, context.
  std::string msg = "{\"conf\":" + t->comp->conf_json + ",\"pidDir\":";
  AppendJsonString(&msg, fs::absolute(pid_dir_).string());
  msg += ",\"context\":" + TaskContext(plan_, *t->comp->ir, t->id).dump() + "}";
  msg += kEnd;
  AppendToWbuf(t, msg);
  Flush(t);
}

void Cluster::ScheduleRestart(Task* t, double now) {
  t->state = Task::State::kDown;
  if (t->start_failures >= opt_.max_start_failures && !stopping_) {
    result_.exit_code = 1;
    result_.error = "component '" + t->comp->id + "' task " + std::to_string(t->id) + " failed to start " +
                    std::to_string(t->start_failures) + " times in a row; stopping";
    fatal_ = true;
    return;
  }
  double delay = std::min(2.0, 0.05 * (1 << std::min(t->start_failures, 6)));
  t->restart_at = now + delay;
}

void Cluster::Die(Task* t, const std::string& reason) {
  if (t->state == Task::State::kDown) return;
  double now = Now();
  bool in_handshake = t->state == Task::State::kHandshake;
  int pid = t->child.pid;
  int status = KillAndReap(&t->child);
  ReadStderr(t, true);
  if (!t->ebuf.empty()) {
    StderrLine(t, t->ebuf);
    t->ebuf.clear();
  }
  std::string text = "component '" + t->comp->id + "' task " + std::to_string(t->id) + " (pid " +
                     std::to_string(pid) + "): " + reason + " [" + DescribeWaitStatus(status) + "]";
  if (!t->err_lines.empty()) {
    text += "\n  last lines of its stderr:";
    for (const auto& l : t->err_lines) text += "\n    | " + l;
  }
  if (!stopping_) {
    text += "\n  its in-flight tuples fail back to their spouts; restarting it";
    Problem(text);
  }
  if (t->log) {
    std::fprintf(t->log, "---- topoc: %s\n", text.c_str());
    std::fflush(t->log);
  }
  t->err_lines.clear();
  CloseChild(&t->child);
  buffered_ -= t->wbuf.size() - t->woff;
  t->wbuf.clear();
  t->woff = t->wconv = 0;
  t->rbuf.clear();
  t->rstart = t->rscan = 0;
  t->generation++;
  t->waiting_sync = false;
  // Fail what it held.
  t->inputs.ForEachLive([&](InputRecord& r) { FailRecord(r); });
  t->inputs.Clear();
  t->comp->stats.restarts += stopping_ ? 0 : 1;
  if (in_handshake) {
    t->start_failures++;
  }
  if (stopping_) {
    t->state = Task::State::kDown;
    t->restart_at = 1e300;
    return;
  }
  ScheduleRestart(t, now);
}

// ---- I/O ------------------------------------------------------------------

bool Cluster::EncodeMsgpack(Task* t) {
  std::string& w = t->wbuf;
  size_t start = std::max(t->wconv, t->woff);
  size_t pos = start;
  mp_scratch_.clear();
  while (true) {
    size_t e = w.find(kEnd, pos);
    if (e == std::string::npos) break;
    if (!AppendMsgpackFromJson(&mp_scratch_, std::string_view(w).substr(pos, e - pos))) {
      Die(t, "internal error: a message to it could not be encoded as MessagePack");
      return false;
    }
    pos = e + kEnd.size();
  }
  w.replace(start, pos - start, mp_scratch_);
  buffered_ = buffered_ + mp_scratch_.size() - (pos - start);
  t->wconv = start + mp_scratch_.size();
  return true;
}

void Cluster::Flush(Task* t) {
  if (t->comp->msgpack && t->wconv < t->wbuf.size() && !EncodeMsgpack(t)) return;
  while (t->child.stdin_fd >= 0 && t->woff < t->wbuf.size()) {
    ssize_t n = write(t->child.stdin_fd, t->wbuf.data() + t->woff, t->wbuf.size() - t->woff);
    if (n > 0) {
      t->woff += static_cast<size_t>(n);
      buffered_ -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    Die(t, std::string("cannot write to its stdin: ") + std::strerror(errno));
    return;
  }
  if (t->woff == t->wbuf.size()) {
    t->wbuf.clear();
    t->woff = t->wconv = 0;
  } else if (t->woff > (1u << 20) && t->woff * 2 > t->wbuf.size()) {
    t->wbuf.erase(0, t->woff);
    t->wconv -= std::min(t->wconv, t->woff);
    t->woff = 0;
  }
}

void Cluster::StderrLine(Task* t, std::string_view line) {
  if (t->log) {
    std::fwrite(line.data(), 1, line.size(), t->log);
    std::fputc('\n', t->log);
  }
  if (opt_.debug) {
    std::fprintf(opt_.console, "[%s:%d stderr] %.*s\n", t->comp->id.c_str(), t->id, static_cast<int>(line.size()),
                 line.data());
  }
  t->err_lines.emplace_back(line.substr(0, 400));
  if (t->err_lines.size() > 15) t->err_lines.pop_front();
}

void Cluster::ReadStderr(Task* t, bool to_eof) {
  char buf[16384];
  while (t->child.stderr_fd >= 0) {
    ssize_t n = read(t->child.stderr_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) {
        close(t->child.stderr_fd);
        t->child.stderr_fd = -1;
      }
      break;
    }
    t->ebuf.append(buf, static_cast<size_t>(n));
    size_t start = 0, nl;
    while ((nl = t->ebuf.find('\n', start)) != std::string::npos) {
      StderrLine(t, std::string_view(t->ebuf).substr(start, nl - start));
      start = nl + 1;
    }
    t->ebuf.erase(0, start);
    if (t->ebuf.size() > 65536) {  // a "line" that never ends
      StderrLine(t, t->ebuf);
      t->ebuf.clear();
    }
    if (!to_eof && n < static_cast<ssize_t>(sizeof buf)) break;
  }
  if (t->log) std::fflush(t->log);
}

void Cluster::ReadStdout(Task* t) {
  uint64_t gen = t->generation;
  size_t total = 0;
  bool eof = false;
  // Read into a fixed buffer and append what came: growing rbuf by 64 KiB
  // per read would zero-fill it each time.
  static char buf[65536];
  while (total < (1u << 20)) {
    ssize_t n = read(t->child.stdout_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) eof = true;
      break;
    }
    t->rbuf.append(buf, static_cast<size_t>(n));
    total += static_cast<size_t>(n);
    if (n < static_cast<ssize_t>(sizeof buf)) break;
  }
  if (total > 0) t->last_heard = Now();
  if (t->comp->msgpack) {
    // Back-to-back MessagePack objects, each transcoded to JSON text.
    while (t->rstart < t->rbuf.size()) {
      size_t used = 0;
      std::string why;
      MsgpackStatus st = MsgpackToJson(t->rbuf.data() + t->rstart, t->rbuf.data() + t->rbuf.size(), &mp_json_,
                                       &used, &why);
      if (st == MsgpackStatus::kIncomplete) break;
      if (st == MsgpackStatus::kInvalid) {
        Die(t, "protocol error: invalid MessagePack (" + why + ")");
        return;
      }
      HandleMessage(t, mp_json_);
      if (t->generation != gen) return;
      t->rstart += used;
    }
    t->rscan = t->rstart;
  }
  // Split into messages: lines up to a line that is exactly "end".
  while (!t->comp->msgpack) {
    std::string_view buf(t->rbuf);
    size_t from = std::max(t->rscan, t->rstart);
    size_t pos;
    if (from == t->rstart && buf.substr(t->rstart).starts_with("end\n")) {
      pos = t->rstart;  // an empty message
      HandleMessage(t, std::string_view());
      if (t->generation != gen) return;
      t->rstart = pos + 4;
      t->rscan = t->rstart;
      continue;
    }
    pos = buf.find(kEnd, from > 0 ? from - 1 : 0);
    if (pos == std::string_view::npos || pos < t->rstart) {
      t->rscan = buf.size() >= 4 ? buf.size() - 4 : 0;
      break;
    }
    HandleMessage(t, buf.substr(t->rstart, pos - t->rstart));
    if (t->generation != gen) return;
    t->rstart = pos + kEnd.size();
    t->rscan = t->rstart;
  }
  if (t->rstart == t->rbuf.size()) {
    t->rbuf.clear();
    t->rstart = t->rscan = 0;
  } else if (t->rstart > 65536) {
    t->rbuf.erase(0, t->rstart);
    t->rscan -= std::min(t->rscan, t->rstart);
    t->rstart = 0;
  }
  if (t->rbuf.size() - t->rstart > (64u << 20)) {
    Die(t, t->comp->msgpack ? "protocol error: a MessagePack message over 64 MiB"
                            : "protocol error: more than 64 MiB without an \"end\" line");
    return;
  }
  if (eof && t->comp->msgpack) {
    Die(t, t->rstart < t->rbuf.size() ? "pipe closed in the middle of a MessagePack message" : "process exited");
    return;
  }
  if (eof) {
    std::string_view rest = TrimJson(std::string_view(t->rbuf).substr(t->rstart));
    if (!rest.empty()) {
      Die(t, "pipe closed in the middle of a message (no \"end\" line after: " +
                 std::string(rest.substr(0, 120)) + ")");
    } else {
      Die(t, "process exited");
    }
  }
}

// ---- messages ---------------------------------------------------------------



bool ParseMsg(std::string_view text, Msg* m) {
  *m = Msg{};
  return ForEachJsonMember(text, [&](std::string_view k, std::string_view v) {
    switch (k.size()) {
      case 2:
        if (k == "id") m->id = v;
        break;
      case 3:
        if (k == "msg") m->msg = v;
        else if (k == "pid") m->pid = v;
        break;
      case 4:
        if (k == "task") m->task = v;
        break;
      case 5:
        if (k == "tuple") m->tuple = v;
        else if (k == "level") m->level = v;
        break;
      case 6:
        if (k == "stream") m->stream = v;
        break;
      case 7:
        if (k == "command") m->command = v;
        else if (k == "anchors") m->anchors = v;
        break;
      case 13:
        if (k == "need_task_ids") m->need_task_ids = v;
        break;
    }
  });
}

bool ParseTupleId(std::string_view raw, uint64_t* out) {
  std::string_view digits = raw;
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') digits = raw.substr(1, raw.size() - 2);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  return ec == std::errc() && p == digits.data() + digits.size() && !digits.empty();
}

std::string Snippet(std::string_view text) {
  std::string s(text.substr(0, 160));
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return text.size() > 160 ? s + "..." : s;
}

void Cluster::HandleMessage(Task* t, std::string_view text) {
  Msg m;
  if (!ParseMsg(text, &m)) {
    std::string why = "sent a message that is not a JSON object: '" + Snippet(text) + "'";
    // Two JSON values before one "end" line means a missing "end".
    const char* p = text.data();
    const char* end = p + text.size();
    const char* e = SkipJsonValue(p, end);
    if (e && !TrimJson(std::string_view(e, static_cast<size_t>(end - e))).empty()) {
      why += " (two messages without an \"end\" line between them?)";
    }
    Die(t, "protocol error: " + why);
    return;
  }
  if (t->state == Task::State::kHandshake) {
    int64_t pid;
    if (m.pid.empty() || !ParseJsonInt(m.pid, &pid)) {
      Die(t, "protocol error: expected the handshake reply {\"pid\": N}, got '" + Snippet(text) + "'");
      return;
    }
    t->state = Task::State::kRunning;
    t->start_failures = 0;
    last_activity_ = Now();
    if (t->comp->spout) {
      t->active = true;
      SendSpoutCommand(t, "activate", "\"\"");
    }
    return;
  }
  std::string_view cmd = m.command;
  if (cmd.size() >= 2 && cmd.front() == '"') cmd = cmd.substr(1, cmd.size() - 2);
  std::string error;
  if (cmd == "emit") {
    if (!HandleEmit(t, m, text, &error)) Die(t, "protocol error: " + error);
    return;
  }
  if (cmd == "sync") {
    if (t->comp->spout) {
      if (!t->waiting_sync) return;  // stray sync: harmless
      t->waiting_sync = false;
      if (t->last_was_next && t->emits_in_command == 0) t->next_at = Now() + 0.001;
      PumpSpout(t, Now());
    }
    return;
  }
  if (cmd == "ack" || cmd == "fail") {
    if (t->comp->spout) {
      Die(t, "protocol error: a spout sent '" + std::string(cmd) + "' (only bolts ack or fail tuples)");
      return;
    }
    uint64_t id;
    InputRecord* r = nullptr;
    if (ParseTupleId(m.id, &id)) r = t->inputs.Find(id);
    if (!r) {
      Die(t, "protocol error: " + std::string(cmd) + " of unknown tuple id " +
                 (m.id.empty() ? std::string("(missing)") : std::string(m.id)) +
                 " (never sent to this task, or already acked or failed)");
      return;
    }
    if (cmd == "ack") {
      t->comp->stats.acked++;
      for (const Anchor& a : r->anchors) AckerAck(a.root, a.edge ^ r->ack_val);
    } else {
      t->comp->stats.failed++;
      for (const Anchor& a : r->anchors) AckerFail(a.root);
    }
    t->inputs.Remove(id);
    last_activity_ = Now();
    return;
  }
  if (cmd == "log") {
    int64_t level = 2;
    if (!m.level.empty()) ParseJsonInt(m.level, &level);
    static const char* kNames[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
    std::string msg;
    if (!DecodeJsonString(m.msg, &msg)) msg = std::string(m.msg);
    Log(t, level >= 0 && level <= 4 ? kNames[level] : "INFO", msg);
    if (opt_.debug) {
      std::fprintf(opt_.console, "[%s:%d] %s %s\n", t->comp->id.c_str(), t->id,
                   level >= 0 && level <= 4 ? kNames[level] : "INFO", msg.c_str());
    }
    return;
  }
  if (cmd == "error") {
    std::string msg;
    if (!DecodeJsonString(m.msg, &msg)) msg = std::string(m.msg);
    t->comp->stats.errors++;
    Log(t, "ERROR", "Shell Process Exception: " + msg);
    std::fprintf(opt_.console, "[%s:%d] reported an error: %s\n", t->comp->id.c_str(), t->id, msg.c_str());
    return;
  }
  if (cmd == "metrics") return;  // no metrics consumers locally
  Die(t, "protocol error: unknown command " + (m.command.empty() ? std::string("(none)") : std::string(m.command)) +
             " in '" + Snippet(text) + "'");
}

bool Cluster::HandleEmit(Task* t, const Msg& m, std::string_view text, std::string* error) {
  Comp* c = t->comp;
  if (c->spout && !t->waiting_sync) {
    *error = "a spout emitted outside next/ack/fail (before its sync)";
    // Storm reads spout output only while waiting on a command; be lenient
    // but strict about protocol: report it.
    return false;
  }
  // Stream.
  const OutStream* s = nullptr;
  if (m.stream.empty() || m.stream == "null") {
    for (const auto& os : c->streams) {
      if (os.id == ir::kDefaultStream) s = &os;
    }
    if (!s) {
      *error = "emit to stream \"default\", which component '" + c->id + "' does not declare";
      return false;
    }
  } else {
    for (const auto& os : c->streams) {
      if (os.json_id == m.stream) s = &os;
    }
    if (!s) {
      std::string name;
      DecodeJsonString(m.stream, &name);
      for (const auto& os : c->streams) {
        if (os.id == name) s = &os;
      }
      if (!s) {
        *error = "emit to stream " + std::string(m.stream) + ", which component '" + c->id + "' does not declare";
        return false;
      }
    }
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
  c->stats.emitted++;
  t->emits_in_command++;
  last_activity_ = Now();

  // Targets.
  targets_.clear();
  int64_t direct_task = 0;
  if (!m.task.empty() && m.task != "null") {
    if (!ParseJsonInt(m.task, &direct_task)) {
      *error = "emit with a non-integer \"task\": " + std::string(m.task);
      return false;
    }
  }
  if (direct_task != 0) {
    Task* to = direct_task > 0 && static_cast<size_t>(direct_task) < by_id_.size() ? by_id_[direct_task] : nullptr;
    if (to) {
      for (const auto& sub : s->subs) {
        if (sub.target != to->comp) continue;
        if (sub.kind != ir::Grouping::Kind::kDirect) {
          *error = "direct emit to task " + std::to_string(direct_task) + " of '" + to->comp->id +
                   "', which subscribes to stream '" + s->id + "' with a " +
                   std::string(ir::GroupingKindName(sub.kind)) +
                   " grouping (Storm: Cannot emitDirect to a task expecting a regular grouping)";
          return false;
        }
        targets_.push_back(static_cast<int>(direct_task));
      }
    }
    // A task that does not subscribe: dropped silently, as in Storm.
  } else {
    for (size_t i = 0; i < s->subs.size(); ++i) {
      const Subscriber& sub = s->subs[i];
      GroupState& g = t->groups[s->state_offset + i];
      const auto& tt = sub.target->tasks;
      int n = static_cast<int>(tt.size());
      switch (sub.kind) {
        case ir::Grouping::Kind::kDirect:
          *error = "regular emit to stream '" + s->id + "', which '" + sub.target->id +
                   "' subscribes to with a direct grouping (Storm: Cannot do regular emit to direct stream)";
          return false;
        case ir::Grouping::Kind::kFields: {
          int32_t h = 1;
          for (int idx : sub.field_index) h = JavaListHashStep(h, JavaHashOfJson(values_[static_cast<size_t>(idx)]));
          targets_.push_back(tt[static_cast<size_t>(FloorMod(h, n))]->id);
          break;
        }
        case ir::Grouping::Kind::kGlobal:
          targets_.push_back(tt.front()->id);
          break;
        case ir::Grouping::Kind::kAll:
          for (Task* x : tt) targets_.push_back(x->id);
          break;
        case ir::Grouping::Kind::kNone:
          targets_.push_back(tt[Rand() % static_cast<uint64_t>(n)]->id);
          break;
        case ir::Grouping::Kind::kPartialKey: {
          hashes_.clear();
          for (int idx : sub.field_index) hashes_.push_back(JavaHashOfJson(values_[static_cast<size_t>(idx)]));
          auto [a, b] = PartialKeyCandidates(hashes_, n);
          int pick = g.load[static_cast<size_t>(b)] < g.load[static_cast<size_t>(a)] ? b : a;
          g.load[static_cast<size_t>(pick)]++;
          targets_.push_back(tt[static_cast<size_t>(pick)]->id);
          break;
        }
        case ir::Grouping::Kind::kShuffle:
        case ir::Grouping::Kind::kLocalOrShuffle:
        case ir::Grouping::Kind::kCustom:  // rejected by CheckRunnable
          targets_.push_back(g.order[g.pos]);
          if (++g.pos == g.order.size()) g.pos = 0;
          break;
      }
    }
  }

  // Reliability.
  bool need_ids = direct_task == 0 && m.need_task_ids != "false";
  if (c->spout) {
    bool reliable = !m.id.empty() && m.id != "null";
    if (reliable && ackers_) {
      uint64_t root = Rand();
      AckEntry* e = acks_.Insert(root);
      e->spout_task = t->id;
      e->epoch = epoch_;
      e->msg_id.assign(m.id);
      t->pending++;
      uint64_t val = 0;
      bool lost = false;
      for (int target : targets_) {
        Task* to = by_id_[static_cast<size_t>(target)];
        if (to->state == Task::State::kDown) {
          lost = true;  // the target is restarting: this copy is lost
          continue;
        }
        InputRecord* rec;
        uint64_t edge = Rand();
        uint64_t rec_id = to->inputs.Add(&rec);
        rec->anchors.push_back({root, edge});
        val ^= edge;
        Deliver(to, rec, rec_id, c, *s, t->id, m.tuple);
      }
      e->val = val;
      if (lost) {
        AckerFail(root);
      } else if (val == 0) {
        Complete(e, true);  // no targets: done at once
      }
    } else {
      if (reliable) QueueSpout(t, SpoutCommand::kAck, m.id);  // no ackers: acked at once
      for (int target : targets_) {
        Task* to = by_id_[static_cast<size_t>(target)];
        if (to->state == Task::State::kDown) continue;
        InputRecord* rec;
        uint64_t rec_id = to->inputs.Add(&rec);
        Deliver(to, rec, rec_id, c, *s, t->id, m.tuple);
      }
    }
  } else {
    anchor_recs_.clear();
    if (!m.anchors.empty() && m.anchors != "null") {
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
      if (to->state == Task::State::kDown) {
        // Lost copy: fail the trees it belongs to.
        for (InputRecord* a : anchor_recs_) {
          for (const Anchor& an : a->anchors) AckerFail(an.root);
        }
        continue;
      }
      InputRecord* rec;
      uint64_t rec_id = to->inputs.Add(&rec);
      for (InputRecord* a : anchor_recs_) {
        uint64_t edge = Rand();
        a->ack_val ^= edge;
        for (const Anchor& an : a->anchors) {
          auto it = std::find_if(rec->anchors.begin(), rec->anchors.end(),
                                 [&](const Anchor& x) { return x.root == an.root; });
          if (it == rec->anchors.end()) {
            rec->anchors.push_back({an.root, edge});
          } else {
            it->edge ^= edge;
          }
        }
      }
      Deliver(to, rec, rec_id, c, *s, t->id, m.tuple);
    }
  }
  if (need_ids) {
    scratch_.clear();
    scratch_.push_back('[');
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (i) scratch_.push_back(',');
      AppendInt(&scratch_, targets_[i]);
    }
    scratch_.push_back(']');
    scratch_.append(kEnd);
    AppendToWbuf(t, scratch_);
  }
  return true;
}

void Cluster::Deliver(Task* to, InputRecord*, uint64_t rec_id, const Comp* src_comp, const OutStream& s,
                      int src_task, std::string_view tuple) {
  std::string& w = to->wbuf;
  size_t before = w.size();
  w.append("{\"id\":\"");
  AppendUint(&w, rec_id);
  w.append("\",\"comp\":");
  w.append(src_comp->json_id);
  w.append(",\"stream\":");
  w.append(s.json_id);
  w.append(",\"task\":");
  AppendInt(&w, src_task);
  w.append(",\"tuple\":");
  w.append(tuple);
  w.append("}");
  w.append(kEnd);
  buffered_ += w.size() - before;
  to->comp->stats.executed++;
  result_.tuples_routed++;
}

void Cluster::FailRecord(InputRecord& r) {
  for (const Anchor& a : r.anchors) AckerFail(a.root);
}

void Cluster::AckerAck(uint64_t root, uint64_t value) {
  AckEntry* e = acks_.Find(root);
  if (!e) return;  // timed out or failed already
  e->val ^= value;
  if (e->val == 0) Complete(e, true);
}

void Cluster::AckerFail(uint64_t root) {
  AckEntry* e = acks_.Find(root);
  if (!e) return;
  Complete(e, false);
}

void Cluster::Complete(AckEntry* e, bool ack) {
  Task* spout = by_id_[static_cast<size_t>(e->spout_task)];
  spout->pending--;
  QueueSpout(spout, ack ? SpoutCommand::kAck : SpoutCommand::kFail, e->msg_id);
  acks_.Erase(e->root);
}

void Cluster::QueueSpout(Task* spout, SpoutCommand::Kind kind, std::string_view msg_id) {
  spout->commands.push_back({kind, std::string(msg_id)});
  if (kind == SpoutCommand::kAck) spout->comp->stats.acked++;
  if (kind == SpoutCommand::kFail) spout->comp->stats.failed++;
  last_activity_ = Now();
  if (spout->state == Task::State::kRunning && !spout->waiting_sync) PumpSpout(spout, last_activity_);
}

void Cluster::SendSpoutCommand(Task* t, const char* cmd, std::string_view id_raw) {
  scratch_.assign("{\"command\":\"");
  scratch_.append(cmd);
  scratch_.append("\",\"id\":");
  scratch_.append(id_raw);
  scratch_.append("}");
  scratch_.append(kEnd);
  AppendToWbuf(t, scratch_);
  t->waiting_sync = true;
  t->wait_since = Now();
  t->last_was_next = std::strcmp(cmd, "next") == 0;
  t->emits_in_command = 0;
}

void Cluster::PumpSpout(Task* t, double now) {
  if (t->state != Task::State::kRunning || t->waiting_sync) return;
  if (!t->commands.empty()) {
    SpoutCommand c = std::move(t->commands.front());
    t->commands.pop_front();
    switch (c.kind) {
      case SpoutCommand::kAck: SendSpoutCommand(t, "ack", c.msg_id); break;
      case SpoutCommand::kFail: SendSpoutCommand(t, "fail", c.msg_id); break;
      case SpoutCommand::kDeactivate:
        SendSpoutCommand(t, "deactivate", "\"\"");
        t->active = false;
        t->deactivated = true;
        break;
    }
    return;
  }
  if (!MayAskNext(t) || now < t->next_at) return;
  SendSpoutCommand(t, "next", "\"\"");
}

void Cluster::Log(Task* t, std::string_view level, std::string_view msg) {
  if (!t->log) return;
  std::fprintf(t->log, "ShellLog %s task %d: %.*s\n", std::string(level).c_str(), t->id, static_cast<int>(msg.size()),
               msg.data());
}

void Cluster::Problem(const std::string& text) {
  if (status_shown_) {
    std::fputs("\r\033[K", opt_.console);
    status_shown_ = false;
  }
  std::fprintf(opt_.console, "topoc run: %s\n", text.c_str());
  std::fflush(opt_.console);
  result_.problems.push_back(text);
}

// ---- timers and the loop ----------------------------------------------------

void Cluster::Timers(double now) {
  // Restarts.
  for (auto& tp : tasks_) {
    Task* t = tp.get();
    if (t->state == Task::State::kDown && !stopping_ && now >= t->restart_at && !fatal_) {
      Start(t, now);
    }
  }
  // Heartbeats and subprocess timeouts.
  if (now >= next_heartbeat_) {
    next_heartbeat_ = now + 1;
    for (auto& tp : tasks_) {
      Task* t = tp.get();
      if (t->state == Task::State::kDown) continue;
      double timeout = t->comp->subprocess_timeout;
      if (t->state == Task::State::kHandshake) {
        if (now - t->started_at > timeout) Die(t, "no handshake reply within " + std::to_string(int(timeout)) + " s");
        continue;
      }
      if (t->comp->spout) {
        if (t->waiting_sync && now - t->wait_since > timeout) {
          Die(t, "subprocess heartbeat timeout: no sync within " + std::to_string(int(timeout)) + " s");
        }
        continue;
      }
      if (now - t->last_heard > timeout) {
        Die(t, "subprocess heartbeat timeout: silent for " + std::to_string(int(timeout)) + " s");
        continue;
      }
      scratch_.assign("{\"id\":\"");
      AppendUint(&scratch_, Rand() >> 1);
      scratch_.append("\",\"comp\":null,\"stream\":\"__heartbeat\",\"task\":-1,\"tuple\":[]}");
      scratch_.append(kEnd);
      AppendToWbuf(t, scratch_);
    }
  }
  // Tick tuples.
  for (auto& c : comps_) {
    if (c->spout || c->tick_secs <= 0 || now < c->next_tick) continue;
    if (c->next_tick == 0) {
      c->next_tick = now + static_cast<double>(c->tick_secs);
      continue;
    }
    c->next_tick = now + static_cast<double>(c->tick_secs);
    for (Task* t : c->tasks) {
      if (t->state != Task::State::kRunning) continue;
      InputRecord* rec;
      uint64_t id = t->inputs.Add(&rec);
      scratch_.assign("{\"id\":\"");
      AppendUint(&scratch_, id);
      scratch_.append("\",\"comp\":\"__system\",\"stream\":\"__tick\",\"task\":-1,\"tuple\":[");
      AppendInt(&scratch_, c->tick_secs);
      scratch_.append("]}");
      scratch_.append(kEnd);
      AppendToWbuf(t, scratch_);
      c->stats.executed++;
    }
  }
  // Message timeouts: rotate every T; a tree expires at the second rotation.
  if (message_timeouts_ && ackers_ && now >= next_rotation_) {
    next_rotation_ = now + message_timeout_;
    ++epoch_;
    std::vector<uint64_t> expired;
    for (const auto& e : acks_.entries()) {
      if (e.used && e.epoch + 2 <= epoch_) expired.push_back(e.root);
    }
    for (uint64_t root : expired) AckerFail(root);
  }
  // Spouts.
  for (auto& tp : tasks_) {
    if (tp->comp->spout) PumpSpout(tp.get(), now);
  }
  if (status_line_ && now >= next_status_) {
    StatusLine(now, false);
    next_status_ = now + 1;
  }
}

std::string Human(double v) {
  char buf[32];
  if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
  } else if (v >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.0fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  return buf;
}

void Cluster::StatusLine(double now, bool final) {
  std::string line = "\r\033[K" + Human(now - started_) + "s";
  for (auto& c : comps_) {
    ComponentStats& s = c->stats;
    ComponentStats& l = c->last_stats;
    line += "  " + c->id + " " + Human(double(s.emitted - l.emitted)) + "/" + Human(double(s.acked - l.acked)) +
            "/" + Human(double(s.failed - l.failed));
    l = s;
  }
  line += "  (emitted/acked/failed per s)";
  std::fputs(line.c_str(), opt_.console);
  std::fflush(opt_.console);
  status_shown_ = !final;
}

bool Cluster::StopCondition(double now) {
  if (g_stop_requested || fatal_) return true;
  if (stop_at_ > 0 && now >= stop_at_) return true;
  if (opt_.idle_stop_secs > 0 && now - last_activity_ >= opt_.idle_stop_secs && acks_.size() == 0) {
    // Idle only counts once every task is up (python start-up is slow).
    for (auto& tp : tasks_) {
      if (tp->state != Task::State::kRunning) return false;
    }
    return true;
  }
  return false;
}

void Cluster::Loop() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Task*, int>> owners;  // task, which fd (0 in, 1 out, 2 err)
  while (true) {
    double now = Now();
    if (!stopping_ && StopCondition(now)) return;
    Timers(now);
    if (fatal_) return;
    fds.clear();
    owners.clear();
    for (auto& tp : tasks_) {
      Task* t = tp.get();
      if (t->child.stdout_fd >= 0) {
        fds.push_back({t->child.stdout_fd, POLLIN, 0});
        owners.push_back({t, 1});
      }
      if (t->child.stderr_fd >= 0) {
        fds.push_back({t->child.stderr_fd, POLLIN, 0});
        owners.push_back({t, 2});
      }
      if (t->child.stdin_fd >= 0 && t->woff < t->wbuf.size()) {
        fds.push_back({t->child.stdin_fd, POLLOUT, 0});
        owners.push_back({t, 0});
      }
    }
    // Sleep until the next timer: spout back-off, heartbeats, restarts, ticks.
    double wake = now + 0.05;
    for (auto& tp : tasks_) {
      Task* t = tp.get();
      if (t->comp->spout && MayAskNext(t)) wake = std::min(wake, std::max(now, t->next_at));
      if (t->state == Task::State::kDown) wake = std::min(wake, t->restart_at);
    }
    wake = std::min(wake, next_heartbeat_);
    int timeout_ms = std::max(0, static_cast<int>((wake - now) * 1000 + 0.5));
    int n = poll(fds.data(), fds.size(), timeout_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      result_.exit_code = 2;
      result_.error = std::string("poll: ") + std::strerror(errno);
      fatal_ = true;
      return;
    }
    for (size_t i = 0; i < fds.size() && n > 0; ++i) {
      if (!fds[i].revents) continue;
      auto [t, which] = owners[i];
      // The fd may have been closed by a Die earlier in this round.
      int current = which == 0 ? t->child.stdin_fd : which == 1 ? t->child.stdout_fd : t->child.stderr_fd;
      if (current != fds[i].fd) continue;
      if (which == 1) ReadStdout(t);
      else if (which == 2) ReadStderr(t, false);
      else Flush(t);
    }
    for (auto& tp : tasks_) {
      if (tp->woff < tp->wbuf.size()) Flush(tp.get());
    }
    if (stopping_) return;  // one round per call while draining
  }
}

void Cluster::Shutdown() {
  stopping_ = true;
  double now = Now();
  // Deactivate spouts, then drain.
  for (auto& tp : tasks_) {
    Task* t = tp.get();
    if (t->comp->spout && t->state == Task::State::kRunning && t->active) {
      t->commands.push_back({SpoutCommand::kDeactivate, ""});
      PumpSpout(t, now);
    }
  }
  double until = now + std::max(0.0, opt_.drain_secs);
  while (!fatal_) {
    now = Now();
    bool busy = acks_.size() > 0;
    for (auto& tp : tasks_) {
      Task* t = tp.get();
      if (t->comp->spout && t->state == Task::State::kRunning && (t->waiting_sync || !t->commands.empty()))
        busy = true;
    }
    if (!busy || now >= until || g_stop_requested > 1) break;
    Loop();
  }
  // EOF on stdin, a moment to exit, then SIGKILL every process group.
  for (auto& tp : tasks_) {
    if (tp->child.stdin_fd >= 0 && tp->woff < tp->wbuf.size()) Flush(tp.get());
    if (tp->child.stdin_fd >= 0) {
      close(tp->child.stdin_fd);
      tp->child.stdin_fd = -1;
    }
  }
  double deadline = Now() + 0.3;
  while (Now() < deadline) {
    bool alive = false;
    for (auto& tp : tasks_) {
      if (tp->child.pid > 0 && waitpid(tp->child.pid, nullptr, WNOHANG) == 0) alive = true;
    }
    if (!alive) break;
    usleep(10000);
  }
  for (auto& tp : tasks_) {
    Task* t = tp.get();
    if (t->child.pid > 0) {
      KillAndReap(&t->child);
      ReadStderr(t, true);
    }
    CloseChild(&t->child);
    t->state = Task::State::kDown;
    if (t->log) {
      std::fclose(t->log);
      t->log = nullptr;
    }
  }
}

RunResult Cluster::Run() {
  std::string error;
  g_stop_requested = 0;
  if (!Setup(&error)) {
    result_.exit_code = 1;
    result_.error = error;
    for (auto& tp : tasks_) {
      if (tp->log) std::fclose(tp->log);
    }
    return result_;
  }
  struct sigaction sa {}, old_int{}, old_term{}, old_pipe{};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old_pipe);

  status_line_ = opt_.status_line == RunOptions::StatusLine::kOn ||
                 (opt_.status_line == RunOptions::StatusLine::kAuto && isatty(fileno(opt_.console)));
  started_ = Now();
  last_activity_ = started_;
  stop_at_ = opt_.time_secs > 0 ? started_ + opt_.time_secs : 0;
  next_rotation_ = started_ + message_timeout_;
  next_heartbeat_ = started_ + 1;
  next_status_ = started_ + 1;
  for (auto& tp : tasks_) Start(tp.get(), started_);
  Loop();
  Shutdown();
  result_.seconds = Now() - started_;
  if (status_shown_) {
    std::fputs("\r\033[K", opt_.console);
    status_shown_ = false;
  }
  for (auto& c : comps_) result_.components.push_back(c->stats);

  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGPIPE, &old_pipe, nullptr);
  return result_;
}

}  // namespace

const ComponentStats* RunResult::Find(std::string_view id) const {
  for (const auto& c : components) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

bool CheckRunnable(const ir::Topology& topology, std::string* error) {
  for (const auto& c : topology.components) {
    if (c->kind == ir::Kind::kJava) {
      *error = "component '" + c->id + "' is a java component (" + c->java_class +
               "); `topoc run` runs only python and shell components over multilang. "
               "Run this topology on a real Storm cluster (`topoc submit`)";
      return false;
    }
    if (c->kind == ir::Kind::kShell && c->shell_command.empty()) {
      *error = "component '" + c->id + "' has an empty shell command";
      return false;
    }
    for (const auto& in : c->inputs) {
      if (in.grouping.kind == ir::Grouping::Kind::kCustom) {
        *error = "component '" + c->id + "' uses a custom grouping (" + in.grouping.custom_class +
                 "), a Java class that only a real Storm cluster can run";
        return false;
      }
    }
  }
  return true;
}

RunResult RunTopology(const ir::Topology& topology, const RunOptions& options) {
  Cluster cluster(topology, options);
  return cluster.Run();
}

void RequestStop() { g_stop_requested = 1; }

void PrintSummary(const RunResult& result, FILE* out) {
  size_t width = 9;
  for (const auto& c : result.components) width = std::max(width, c.id.size());
  std::fprintf(out, "%-*s  %-5s %5s %10s %10s %10s %10s %8s\n", static_cast<int>(width), "component", "role", "tasks",
               "emitted", "executed", "acked", "failed", "restarts");
  for (const auto& c : result.components) {
    std::fprintf(out, "%-*s  %-5s %5d %10llu %10llu %10llu %10llu %8llu\n", static_cast<int>(width), c.id.c_str(),
                 c.spout ? "spout" : "bolt", c.tasks, static_cast<unsigned long long>(c.emitted),
                 static_cast<unsigned long long>(c.executed), static_cast<unsigned long long>(c.acked),
                 static_cast<unsigned long long>(c.failed), static_cast<unsigned long long>(c.restarts));
  }
  std::fprintf(out, "ran %.1f s, %llu tuples routed (%.0f/s), %zu problem(s)\n", result.seconds,
               static_cast<unsigned long long>(result.tuples_routed),
               result.seconds > 0 ? static_cast<double>(result.tuples_routed) / result.seconds : 0.0,
               result.problems.size());
}

}  // namespace topoc::runtime
