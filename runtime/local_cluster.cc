#include "runtime/local_cluster.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "support/utf8.h"
#include "runtime/cluster.h"
#include "runtime/json_scan.h"

namespace topoc::runtime {

namespace {

// Set by the SIGINT/SIGTERM handlers and RequestStop, read by the loop between
// rounds (a handler may do no more than this).
volatile sig_atomic_t g_stop_requested = 0;

void OnStopSignal(int) { g_stop_requested = g_stop_requested + 1; }  // twice: skip the drain

}  // namespace

namespace cluster {

namespace {

bool StatusLineWanted(const RunOptions& o) {
  return o.status_line == RunOptions::StatusLine::kOn ||
         (o.status_line == RunOptions::StatusLine::kAuto && isatty(fileno(o.console)));
}

}  // namespace

Cluster::Cluster(const ir::Topology& topology, const RunOptions& options)
    : topo_(topology),
      opt_(options),
      acker_([this](int spout_task, std::string_view msg_id, bool acked) { TreeDone(spout_task, msg_id, acked); }),
      report_(options.console, StatusLineWanted(options)) {}

// ---- process lifecycle --------------------------------------------------

void Cluster::Start(Task* t, double now) {
  std::string error;
  if (!t->proc->Start(t->comp->spawn, now, &error)) {
    report_.Problem("component '" + t->comp->id + "' task " + std::to_string(t->id) + ": " + error);
    t->start_failures++;
    ScheduleRestart(t, now);
    return;
  }
  // A fresh process: the spout's driver forgets what the old one owed.
  t->spout.Restart();
  // Handshake: conf, pidDir, context.
  std::string context = TaskContext(plan_, *t->comp->ir, t->id).dump();
  t->proc->Append([&](std::string* out) { AppendHandshake(out, t->comp->conf_json, pid_dir_, context); });
  Flush(t);
}

void Cluster::ScheduleRestart(Task* t, double now) {
  if (t->start_failures >= opt_.max_start_failures && !stopping_) {
    report_.result().exit_code = 1;
    report_.result().error = "component '" + t->comp->id + "' task " + std::to_string(t->id) + " failed to start " +
                             std::to_string(t->start_failures) + " times in a row; stopping";
    fatal_ = true;
    return;
  }
  // The back-off grows with whichever streak is longer: failed starts, or
  // deaths soon after starting.
  int streak = std::max(1, std::max(t->start_failures, t->crash_streak));
  t->restart_at = now + std::min(kMaxBackoffSecs, 0.1 * static_cast<double>(1 << std::min(streak - 1, 16)));
}

void Cluster::Die(Task* t, const std::string& reason) {
  if (t->down()) return;
  double now = Now();
  bool in_handshake = t->proc->state() == TaskProcess::State::kHandshake;
  Comp* comp = t->comp;
  // A task that lived kHealthySecs starts a new streak; only handshake deaths
  // count toward max_start_failures.
  t->crash_streak = now - t->proc->started_at() < kHealthySecs ? t->crash_streak + 1 : 1;
  if (in_handshake) t->start_failures++;
  std::string text = t->proc->Kill(reason);
  if (!stopping_) {
    NoteError(comp, t->id, text);
    // Each component's deaths are reported once per streak: the first, then
    // once more when it keeps dying; the rest go only to its task log.
    if (t->crash_streak == 1) comp->keeps_dying = false;
    double delay = 0;
    ScheduleRestart(t, now);
    delay = t->restart_at - now;
    char when[32];
    std::snprintf(when, sizeof when, "%.1f", delay);
    if (t->crash_streak >= kKeepsDying && !comp->keeps_dying) {
      comp->keeps_dying = true;
      text += "\n  it keeps dying (" + std::to_string(t->crash_streak) +
              " times in a row, each within " + std::to_string(int(kHealthySecs)) +
              " s of starting); its in-flight tuples fail back to their spouts; restarts back off up to " +
              std::to_string(int(kMaxBackoffSecs)) + " s; further deaths of '" + comp->id +
              "' are only written to its task logs";
      report_.Problem(text);
    } else {
      text += std::string("\n  its in-flight tuples fail back to their spouts; restarting it in ") + when + " s";
      if (t->crash_streak == 1 && !comp->keeps_dying) report_.Problem(text);
    }
  }
  t->proc->Note(text);
  t->proc->Reset();
  if (comp->spout) {
    // Its acks and fails never reach its successor (Storm: they die with the
    // executor); those roots count as failed.
    uint64_t lost = static_cast<uint64_t>(t->spout.Drop()) + acker_.DropSpout(t->id);
    Stats(comp).failed += lost;
    t->live.failed += lost;
  }
  // Fail what it held now, not at the message timeout: its spouts replay
  // sooner.
  t->inputs.ForEachLive([&](InputRecord& r) { acker_.FailInput(r); });
  t->inputs.Clear();
  Stats(comp).restarts += stopping_ ? 0 : 1;
  t->live.restarts += stopping_ ? 0 : 1;
  // Never restarted once the run is stopping.
  if (stopping_) t->restart_at = 1e300;
}

// ---- I/O ------------------------------------------------------------------

void Cluster::Flush(Task* t) {
  std::string error;
  if (!t->proc->Flush(&error)) Die(t, error);
}

void Cluster::ReadStdout(Task* t) {
  uint64_t gen = t->proc->generation();
  bool eof = false;
  t->proc->ReadStdout(now_, &eof);
  MessageReader& reader = t->proc->reader();
  std::string_view message;
  std::string error;
  while (true) {
    MessageReader::Status st = reader.Next(&message, &error);
    if (st == MessageReader::Status::kMore) break;
    if (st == MessageReader::Status::kInvalid) {
      Die(t, "protocol error: " + error);
      return;
    }
    Msg m;
    HandleMessage(t, message, reader.Parsed(&m) ? &m : nullptr);
    // The message killed the task (Die resets it): what is left in the reader
    // belonged to the dead process.
    if (t->proc->generation() != gen) return;
  }
  // Keeps only the unread tail of the buffer; an unfinished message past
  // 64 MiB is a protocol error.
  if (!reader.Compact(&error)) {
    Die(t, "protocol error: " + error);
    return;
  }
  if (eof) {
    Die(t, reader.EofReason());
    return;
  }
  // A spout waits for its next command (and task ids) in a round trip per
  // tuple: it gets them now, not after every other pipe of this round.
  if (t->comp->spout && t->proc->HasOutput()) Flush(t);
}

// A spout waits for its next command in a round trip per call of
// nextTuple: between the bolts' reads of a busy round, its reply is looked
// for (a read that finds nothing costs less than a round's wait).
void Cluster::ReadWaitingSpouts() {
  for (const auto& c : comps_) {
    if (!c->spout) continue;
    for (Task* s : c->tasks) {
      if (s->running() && s->spout.waiting_sync()) ReadStdout(s);
    }
  }
}

// ---- messages ---------------------------------------------------------------

void Cluster::HandleMessage(Task* t, std::string_view text, const Msg* parsed) {
  Msg m;
  if (parsed) {
    m = *parsed;
  } else if (!ParseMsg(text, &m)) {
    std::string why = "sent a message that is not a JSON object: '" + Snippet(text) + "'";
    if (size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
      why = "sent a message that is not valid UTF-8 (byte " + std::to_string(bad) + "): '" + Snippet(text) + "'";
    }
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
  // The first message of a task answers the handshake with its pid; a spout is
  // then activated, as Storm's ShellSpout does.
  if (t->proc->state() == TaskProcess::State::kHandshake) {
    int64_t pid;
    if (m.pid.empty() || !ParseJsonInt(m.pid, &pid)) {
      Die(t, "protocol error: expected the handshake reply {\"pid\": N}, got '" + Snippet(text) + "'");
      return;
    }
    t->proc->set_running();
    t->start_failures = 0;
    last_activity_ = Now();
    if (t->comp->spout) {
      t->proc->AppendWire([&](std::string* out, bool) {
        t->spout.Activate(last_activity_, out);
        return !t->spout.TakeEncodeFailure();
      });
    }
    return;
  }
  std::string_view cmd = CommandName(m);
  std::string error;
  if (cmd == "emit") {
    if (!HandleEmit(t, m, text, &error)) Die(t, "protocol error: " + error);
    return;
  }
  if (cmd == "sync") {
    if (t->comp->spout) {
      SpoutDriver::Sent done;
      // A spout's sync ends the command it was given (next, ack, fail, ...): an
      // ack or fail counts only now that the spout has taken it.
      if (!t->spout.OnSync(now_, &done)) return;  // a stray sync: harmless
      if (done == SpoutDriver::Sent::kAck) {
        Stats(t->comp).acked++;
        t->live.acked++;
      }
      if (done == SpoutDriver::Sent::kFail) {
        Stats(t->comp).failed++;
        t->live.failed++;
      }
      PumpSpout(t, now_);
    }
    return;
  }
  // A bolt's ack or fail names the id the runner sent with the tuple
  // (InputTable): its edge closes in every tree the tuple belongs to.
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
    ComponentStats& stats = Stats(t->comp);
    stats.executed++;
    last_activity_ = now_;
    t->live.BoltDone(r->sent_at, now_, cmd == "ack");
    if (cmd == "ack") {
      stats.acked++;
      acker_.AckInput(*r);
    } else {
      stats.failed++;
      acker_.FailInput(*r);
    }
    t->inputs.Remove(id);
    return;
  }
  if (cmd == "log") {
    int64_t level = 2;
    if (!m.level.empty()) ParseJsonInt(m.level, &level);
    static const char* kNames[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
    std::string msg;
    if (!DecodeJsonString(m.msg, &msg)) msg = std::string(m.msg);
    t->proc->ShellLog(level >= 0 && level <= 4 ? kNames[level] : "INFO", msg);
    return;
  }
  if (cmd == "error") {
    std::string msg;
    if (!DecodeJsonString(m.msg, &msg)) msg = std::string(m.msg);
    Stats(t->comp).errors++;
    NoteError(t->comp, t->id, msg);
    t->proc->ShellLog("ERROR", "Shell Process Exception: " + msg, false);
    std::fprintf(opt_.console, "[%s:%d] reported an error: %s\n", t->comp->id.c_str(), t->id, msg.c_str());
    return;
  }
  if (cmd == "metrics") {
    HandleMetrics(t, m, text);
    return;
  }
  Die(t, "protocol error: unknown command " + (m.command.empty() ? std::string("(none)") : std::string(m.command)) +
             " in '" + Snippet(text) + "'");
}

// Storm hands `metrics` to the IShellMetric registered under that name and
// kills the process for an unknown one; here names are registered with
// topoc.metrics and counted.
void Cluster::HandleMetrics(Task* t, const Msg& m, std::string_view text) {
  std::string name;
  if (m.name.empty() || m.name == "null" || !DecodeJsonString(m.name, &name)) {
    Die(t, "protocol error: metrics without a \"name\" string in '" + Snippet(text) + "'");
    return;
  }
  if (!t->comp->metrics.contains(name)) {
    Die(t, "protocol error: metrics for '" + name + "', which is not registered (Storm: Could not find metric by name[" +
               name + "]); register it in the topology's or the component's config: \"topoc.metrics\" = [\"" +
               name + "\"]");
    return;
  }
  Stats(t->comp).metrics[name]++;
}

// ---- timers and the loop ----------------------------------------------------

void Cluster::Timers(double now) {
  // Restarts.
  for (auto& tp : tasks_) {
    Task* t = tp.get();
    if (t->down() && !stopping_ && now >= t->restart_at && !fatal_) Start(t, now);
  }
  // Heartbeats and subprocess timeouts.
  if (now >= next_heartbeat_) {
    next_heartbeat_ = now + 1;
    for (auto& tp : tasks_) {
      Task* t = tp.get();
      if (t->down()) continue;
      // Storm's ShellBolt heartbeat: a bolt gets a __heartbeat tuple each second
      // and must answer (sync) within topology.subprocess.timeout.secs; a spout is
      // judged only while it owes a sync.
      double timeout = t->comp->subprocess_timeout;
      if (t->proc->state() == TaskProcess::State::kHandshake) {
        if (now - t->proc->started_at() > timeout) {
          Die(t, "no handshake reply within " + std::to_string(int(timeout)) + " s");
        }
        continue;
      }
      if (t->comp->spout) {
        if (t->spout.waiting_sync() && now - t->spout.wait_since() > timeout) {
          Die(t, "subprocess heartbeat timeout: no sync within " + std::to_string(int(timeout)) + " s");
        }
        continue;
      }
      if (now - t->proc->last_heard() > timeout) {
        Die(t, "subprocess heartbeat timeout: silent for " + std::to_string(int(timeout)) + " s");
        continue;
      }
      // Any id: a heartbeat is answered with sync, never acked, so it is not in
      // the input table.
      uint64_t id = rng_.Next() >> 1;
      t->proc->Append([&](std::string* out) { AppendTuple(out, id, "null", "\"__heartbeat\"", -1, "[]"); });
    }
  }
  // Tick tuples.
  for (auto& c : comps_) {
    if (c->spout || c->tick_secs <= 0 || now < c->next_tick) continue;
    // The first pass only schedules: the first tick comes tick_secs after the
    // start, as in Storm.
    if (c->next_tick == 0) {
      c->next_tick = now + static_cast<double>(c->tick_secs);
      continue;
    }
    c->next_tick = now + static_cast<double>(c->tick_secs);
    std::string tuple = "[" + std::to_string(c->tick_secs) + "]";
    for (Task* t : c->tasks) {
      if (!t->running()) continue;
      InputRecord* rec;
      // A tick is acked like any tuple, so it is in the input table; it has no
      // anchors, so no tree waits for it.
      uint64_t id = t->inputs.Add(&rec);
      t->proc->Append([&](std::string* out) { AppendTuple(out, id, "\"__system\"", "\"__tick\"", -1, tuple); },
                      true);
    }
  }
  // Message timeouts: rotate every T; a tree expires at the second rotation.
  if (message_timeouts_ && ackers_ && now >= next_rotation_) {
    next_rotation_ = now + message_timeout_;
    acker_.Rotate();
  }
  if (now >= next_load_) {
    next_load_ = now + 1;
    RefreshLoads();
  }
  // Spouts.
  for (auto& tp : tasks_) {
    if (tp->comp->spout) PumpSpout(tp.get(), now);
  }
  if (now >= next_status_) {
    report_.StatusLine(now - started_);
    next_status_ = now + 1;
  }
  if (opt_.live && now >= next_live_) {
    PublishLive(now, false);
    next_live_ = now + 1;
  }
}

bool Cluster::StopCondition(double now) {
  if (g_stop_requested || fatal_) return true;
  if (stop_at_ > 0 && now >= stop_at_) return true;
  // Idle: nothing emitted, acked or started for idle_stop_secs and no tree
  // open.
  if (opt_.idle_stop_secs > 0 && now - last_activity_ >= opt_.idle_stop_secs && acker_.pending() == 0) {
    // Idle only counts once every task is up (python start-up is slow).
    for (auto& tp : tasks_) {
      if (!tp->running()) return false;
    }
    return true;
  }
  return false;
}

void Cluster::Loop() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Task*, int>> owners;  // task, which fd (0 in, 1 out, 2 err)
  while (true) {
    double now = now_ = Now();
    // One round: check the stop conditions, fire the timers, then one poll over
    // every child's stdout and stderr, and its stdin when bytes wait for it.
    if (!stopping_ && StopCondition(now)) return;
    Timers(now);
    if (fatal_) return;
    fds.clear();
    owners.clear();
    for (auto& tp : tasks_) {
      Task* t = tp.get();
      const Child& child = t->proc->child();
      if (child.stdout_fd >= 0) {
        fds.push_back({child.stdout_fd, POLLIN, 0});
        owners.push_back({t, 1});
      }
      if (child.stderr_fd >= 0) {
        fds.push_back({child.stderr_fd, POLLIN, 0});
        owners.push_back({t, 2});
      }
      // Back-pressure: the pipes are non-blocking, so a child that does not read
      // keeps its bytes queued here (buffered_); while they pile up, spouts get no
      // `next` (SpoutDriver::MayAskNext).
      if (child.stdin_fd >= 0 && t->proc->HasOutput()) {
        fds.push_back({child.stdin_fd, POLLOUT, 0});
        owners.push_back({t, 0});
      }
    }
    // Sleep until the next timer: spout back-off, heartbeats, restarts, ticks.
    double wake = now + 0.05;
    for (auto& tp : tasks_) {
      Task* t = tp.get();
      if (t->comp->spout && MayAskNext(t)) wake = std::min(wake, std::max(now, t->spout.next_at()));
      if (t->down()) wake = std::min(wake, t->restart_at);
    }
    wake = std::min(wake, next_heartbeat_);
    // At most 50 ms: the stop conditions are checked between polls.
    int timeout_ms = std::max(0, static_cast<int>((wake - now) * 1000 + 0.5));
    int n = poll(fds.data(), fds.size(), timeout_ms);
    now_ = Now();
    if (n < 0) {
      if (errno == EINTR) continue;
      report_.result().exit_code = 2;
      report_.result().error = std::string("poll: ") + std::strerror(errno);
      fatal_ = true;
      return;
    }
    for (size_t i = 0; i < fds.size() && n > 0; ++i) {
      if (!fds[i].revents) continue;
      auto [t, which] = owners[i];
      // The fd may have been closed by a Die earlier in this round.
      const Child& child = t->proc->child();
      int current = which == 0 ? child.stdin_fd : which == 1 ? child.stdout_fd : child.stderr_fd;
      if (current != fds[i].fd) continue;
      if (which == 1) {
        ReadStdout(t);
        // A spout's round trip per tuple is the run's pace: answer it between bolt
        // reads instead of at the next poll.
        if (!t->comp->spout) ReadWaitingSpouts();
      } else if (which == 2) {
        t->proc->ReadStderr(false);
      } else {
        Flush(t);
      }
    }
    // What the round queued (tuples, acks, commands) goes out now, as far as
    // each pipe takes it.
    for (auto& tp : tasks_) {
      if (tp->proc->HasOutput()) Flush(tp.get());
    }
    if (bolts_full_) {
      // Pipes took tuples: a spout held back may go on.
      UpdateBoltsFull();
      if (!bolts_full_) {
        for (auto& tp : tasks_) {
          if (tp->comp->spout) PumpSpout(tp.get(), now_);
        }
      }
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
    if (t->comp->spout && t->running() && t->spout.active()) {
      t->spout.Queue(SpoutDriver::Command::kDeactivate, "");
      PumpSpout(t, now);
    }
  }
  // Drain: a round at a time until no tree is open and no spout owes a reply,
  // or drain_secs pass (a second Ctrl-C cuts it short).
  double until = now + std::max(0.0, opt_.drain_secs);
  while (!fatal_) {
    now = Now();
    bool busy = acker_.pending() > 0;
    for (auto& tp : tasks_) {
      if (tp->comp->spout && tp->running() && tp->spout.busy()) busy = true;
    }
    if (!busy || now >= until || g_stop_requested > 1) break;
    Loop();
  }
  // EOF on stdin, a moment to exit, then SIGKILL every process group.
  for (auto& tp : tasks_) tp->proc->CloseStdin();
  double deadline = Now() + 0.3;
  while (Now() < deadline) {
    bool alive = false;
    for (auto& tp : tasks_) {
      if (tp->proc->Alive()) alive = true;
    }
    if (!alive) break;
    usleep(10000);
  }
  for (auto& tp : tasks_) tp->proc->Stop();
}

RunResult Cluster::Run() {
  std::string error;
  g_stop_requested = 0;
  if (!Setup(&error)) {
    report_.result().exit_code = 1;
    report_.result().error = error;
    report_.result().components.clear();
    return report_.result();
  }
  struct sigaction sa {}, old_int{}, old_term{}, old_pipe{};
  // For the run only: SIGINT/SIGTERM ask the loop to stop; SIGPIPE is ignored
  // so a write to a dead child fails with EPIPE (its death is read from its
  // pipes) instead of killing topoc.
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old_pipe);

  started_ = now_ = Now();
  last_activity_ = started_;
  stop_at_ = opt_.time_secs > 0 ? started_ + opt_.time_secs : 0;
  // First rotation after one timeout: a tree then fails between T and 2T
  // (Acker::Rotate).
  next_rotation_ = started_ + message_timeout_;
  next_heartbeat_ = started_ + 1;
  next_status_ = started_ + 1;
  next_load_ = started_ + 1;
  for (auto& tp : tasks_) Start(tp.get(), started_);
  Loop();
  Shutdown();
  report_.result().seconds = Now() - started_;
  report_.ClearStatusLine();
  if (opt_.live) PublishLive(Now(), true);

  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGPIPE, &old_pipe, nullptr);
  return report_.result();
}

}  // namespace cluster

RunResult RunTopology(const ir::Topology& topology, const RunOptions& options) {
  cluster::Cluster c(topology, options);
  return c.Run();
}

void RequestStop() { g_stop_requested = 1; }

}  // namespace topoc::runtime
