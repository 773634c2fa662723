#include "runtime/ui/storm_api.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace topoc::runtime::ui {

namespace {

constexpr double kMaxWindow = 600;

// A task's counters over a window: now minus then.
TaskStats Minus(const TaskStats& a, const TaskStats& b) {
  TaskStats d;
  d.emitted = a.emitted - b.emitted;
  d.transferred = a.transferred - b.transferred;
  d.acked = a.acked - b.acked;
  d.failed = a.failed - b.failed;
  d.executed = a.executed - b.executed;
  d.restarts = a.restarts - b.restarts;
  d.execute_ms = a.execute_ms - b.execute_ms;
  d.execute_n = a.execute_n - b.execute_n;
  d.process_ms = a.process_ms - b.process_ms;
  d.process_n = a.process_n - b.process_n;
  d.complete_ms = a.complete_ms - b.complete_ms;
  d.complete_n = a.complete_n - b.complete_n;
  d.busy_secs = a.busy_secs - b.busy_secs;
  return d;
}

void AddTo(TaskStats* sum, const TaskStats& d) {
  sum->emitted += d.emitted;
  sum->transferred += d.transferred;
  sum->acked += d.acked;
  sum->failed += d.failed;
  sum->executed += d.executed;
  sum->restarts += d.restarts;
  sum->execute_ms += d.execute_ms;
  sum->execute_n += d.execute_n;
  sum->process_ms += d.process_ms;
  sum->process_n += d.process_n;
  sum->complete_ms += d.complete_ms;
  sum->complete_n += d.complete_n;
  sum->busy_secs += d.busy_secs;
}

double Avg(double sum, uint64_t n) { return n ? sum / static_cast<double>(n) : 0.0; }

std::string Fixed3(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", std::isfinite(v) ? v : 0.0);
  return buf;
}

// One window of one component: per task and summed.
struct Window {
  double span = 0;  // seconds the window covers
  std::vector<TaskStats> tasks;
  TaskStats sum;
  double capacity = 0;  // the largest task's busy share
};

Window ComponentWindow(const LiveHistory& h, size_t ci, double secs) {
  Window w;
  auto cur = h.Latest();
  if (!cur || ci >= cur->components.size()) return w;
  auto base = secs > 0 ? h.Before(secs) : nullptr;
  w.span = cur->uptime_secs - (base ? base->uptime_secs : 0.0);
  const auto& tasks = cur->components[ci].tasks;
  for (size_t ti = 0; ti < tasks.size(); ++ti) {
    TaskStats zero;
    const TaskStats& then = base ? base->components[ci].tasks[ti].stats : zero;
    TaskStats d = Minus(tasks[ti].stats, then);
    if (w.span > 0) w.capacity = std::max(w.capacity, std::min(1.0, d.busy_secs / w.span));
    AddTo(&w.sum, d);
    w.tasks.push_back(d);
  }
  return w;
}

std::string WindowName(double secs) { return secs > 0 ? std::to_string(static_cast<int>(secs)) : ":all-time"; }
std::string WindowPretty(double secs) { return secs > 0 ? PrettySecs(static_cast<int64_t>(secs)) : "All time"; }

// Storm's last-error fields of a component.
void LastError(const ComponentSnapshot* c, double wall_now, Json* out) {
  if (c && !c->errors.empty()) {
    const LiveError& e = c->errors.back();
    (*out)["lastError"] = e.text;
    (*out)["errorHost"] = "localhost";
    (*out)["errorPort"] = nullptr;
    (*out)["errorTime"] = static_cast<int64_t>(e.wall_time);
    (*out)["errorLapsedSecs"] = static_cast<int64_t>(std::max(0.0, wall_now - e.wall_time));
    (*out)["errorWorkerLogLink"] = "";
  } else {
    (*out)["lastError"] = "";
    (*out)["errorHost"] = "";
    (*out)["errorPort"] = nullptr;
    (*out)["errorTime"] = nullptr;
    (*out)["errorLapsedSecs"] = nullptr;
    (*out)["errorWorkerLogLink"] = "";
  }
}

int TasksTotal(const TopologyInfo& info) {
  int n = 0;
  for (const auto& c : info.components) n += static_cast<int>(c.tasks.size());
  return n;
}

std::string Status(const LiveHistory& h) {
  auto cur = h.Latest();
  return cur && (cur->stopping || cur->ended) ? "KILLED" : "ACTIVE";
}

int64_t Uptime(const LiveHistory& h) {
  auto cur = h.Latest();
  return cur ? static_cast<int64_t>(cur->uptime_secs) : 0;
}

Json TopologyStatsEntry(const TopologyInfo& info, const LiveHistory& h, double secs) {
  TaskStats spouts, all;
  for (size_t ci = 0; ci < info.components.size(); ++ci) {
    Window w = ComponentWindow(h, ci, secs);
    AddTo(&all, w.sum);
    if (info.components[ci].spout) AddTo(&spouts, w.sum);
  }
  return {{"windowPretty", WindowPretty(secs)},
          {"window", WindowName(secs)},
          {"emitted", all.emitted},
          {"transferred", all.transferred},
          {"completeLatency", Fixed3(Avg(spouts.complete_ms, spouts.complete_n))},
          {"acked", spouts.acked},
          {"failed", spouts.failed}};
}

}  // namespace

const TopologyInfo::Component* TopologyInfo::Find(const std::string& cid) const {
  for (const auto& c : components) {
    if (c.id == cid) return &c;
  }
  return nullptr;
}

void LiveHistory::Add(std::shared_ptr<const RunSnapshot> s) {
  snaps_.push_back(std::move(s));
  // Keep one snapshot older than the longest window.
  while (snaps_.size() > 2 && snaps_.back()->uptime_secs - snaps_[1]->uptime_secs >= kMaxWindow) snaps_.pop_front();
}

std::shared_ptr<const RunSnapshot> LiveHistory::Before(double secs) const {
  if (snaps_.empty()) return nullptr;
  double want = snaps_.back()->uptime_secs - secs;
  for (auto it = snaps_.rbegin(); it != snaps_.rend(); ++it) {
    if ((*it)->uptime_secs <= want + 1e-9) return *it;
  }
  return nullptr;
}

bool ParseWindow(const std::string& text, double* secs) {
  if (text.empty() || text == ":all-time") {
    *secs = 0;
    return true;
  }
  if (text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  int v = std::atoi(text.c_str());
  if (v < 1 || v > kMaxWindow) return false;
  *secs = v;
  return true;
}

std::string PrettySecs(int64_t secs) {
  static const struct {
    const char* unit;
    int64_t div;
  } kUnits[] = {{"s", 60}, {"m", 60}, {"h", 24}, {"d", 0}};
  if (secs <= 0) return "0s";
  std::string out;
  for (const auto& u : kUnits) {
    if (secs <= 0) break;
    int64_t part = u.div ? secs % u.div : secs;
    out = std::to_string(part) + u.unit + (out.empty() ? "" : " ") + out;
    secs = u.div ? secs / u.div : 0;
  }
  return out;
}

Json ErrorJson(const std::string& error, const std::string& message) {
  return {{"error", error}, {"errorMessage", message}};
}

Json ClusterSummaryJson(const TopologyInfo& info, const LiveHistory&) {
  int tasks = TasksTotal(info);
  return {{"stormVersion", info.storm_version},
          {"supervisors", 1},
          {"topologies", 1},
          {"slotsTotal", 1},
          {"slotsUsed", 1},
          {"slotsFree", 0},
          {"executorsTotal", tasks},
          {"tasksTotal", tasks},
          {"schedulerDisplayResource", false}};
}

// The members Storm's topology summary and topology page share.
static Json TopologyHeadJson(const TopologyInfo& info, const LiveHistory& h) {
  int tasks = TasksTotal(info);
  return {{"id", info.id},
          {"name", info.name},
          {"status", Status(h)},
          {"uptime", PrettySecs(Uptime(h))},
          {"uptimeSeconds", Uptime(h)},
          {"tasksTotal", tasks},
          {"workersTotal", 1},
          {"executorsTotal", tasks},
          {"replicationCount", 1}};
}

Json TopologySummaryJson(const TopologyInfo& info, const LiveHistory& h) {
  return {{"topologies", Json::array({TopologyHeadJson(info, h)})}, {"schedulerDisplayResource", false}};
}

Json TopologyJson(const TopologyInfo& info, const LiveHistory& h, const std::string& window) {
  double secs = 0;
  ParseWindow(window, &secs);
  auto cur = h.Latest();
  double wall = cur ? cur->wall_time : 0;
  Json out = TopologyHeadJson(info, h);
  out.update({{"msgTimeout", info.message_timeout_secs},
              {"window", WindowName(secs)},
              {"windowHint", WindowPretty(secs)},
              {"schedulerDisplayResource", false},
              {"debug", false},
              {"configuration", info.configuration}});
  out["topologyStats"] = Json::array({TopologyStatsEntry(info, h, kMaxWindow), TopologyStatsEntry(info, h, 0)});
  Json spouts = Json::array(), bolts = Json::array();
  for (size_t ci = 0; ci < info.components.size(); ++ci) {
    const auto& c = info.components[ci];
    Window w = ComponentWindow(h, ci, secs);
    const ComponentSnapshot* cs = cur && ci < cur->components.size() ? &cur->components[ci] : nullptr;
    Json j;
    int n = static_cast<int>(c.tasks.size());
    if (c.spout) {
      j = {{"spoutId", c.id},
           {"encodedSpoutId", c.id},
           {"executors", n},
           {"tasks", n},
           {"emitted", w.sum.emitted},
           {"transferred", w.sum.transferred},
           {"acked", w.sum.acked},
           {"failed", w.sum.failed},
           {"completeLatency", Fixed3(Avg(w.sum.complete_ms, w.sum.complete_n))}};
    } else {
      j = {{"boltId", c.id},
           {"encodedBoltId", c.id},
           {"executors", n},
           {"tasks", n},
           {"emitted", w.sum.emitted},
           {"transferred", w.sum.transferred},
           {"executed", w.sum.executed},
           {"acked", w.sum.acked},
           {"failed", w.sum.failed},
           {"capacity", Fixed3(w.capacity)},
           {"executeLatency", Fixed3(Avg(w.sum.execute_ms, w.sum.execute_n))},
           {"processLatency", Fixed3(Avg(w.sum.process_ms, w.sum.process_n))}};
    }
    LastError(cs, wall, &j);
    (c.spout ? spouts : bolts).push_back(std::move(j));
  }
  out["spouts"] = std::move(spouts);
  out["bolts"] = std::move(bolts);
  return out;
}

Json ComponentJson(const TopologyInfo& info, const LiveHistory& h, const TopologyInfo::Component& c,
                   const std::string& window) {
  double secs = 0;
  ParseWindow(window, &secs);
  size_t ci = static_cast<size_t>(&c - info.components.data());
  auto cur = h.Latest();
  const ComponentSnapshot* cs = cur && ci < cur->components.size() ? &cur->components[ci] : nullptr;
  int n = static_cast<int>(c.tasks.size());
  Json out = {{"id", c.id},
              {"encodedId", c.id},
              {"name", info.name},
              {"componentType", c.spout ? "spout" : "bolt"},
              {"executors", n},
              {"tasks", n},
              {"topologyId", info.id},
              {"encodedTopologyId", info.id},
              {"topologyStatus", Status(h)},
              {"window", WindowName(secs)},
              {"windowHint", WindowPretty(secs)},
              {"debug", false},
              {"schedulerDisplayResource", false}};
  Json errors = Json::array();
  if (cs) {
    for (auto it = cs->errors.rbegin(); it != cs->errors.rend(); ++it) {
      errors.push_back({{"errorTime", static_cast<int64_t>(it->wall_time * 1000)},
                        {"errorHost", "localhost"},
                        {"errorPort", nullptr},
                        {"error", it->text},
                        {"errorLapsedSecs", static_cast<int64_t>(std::max(0.0, cur->wall_time - it->wall_time))},
                        {"errorWorkerLogLink", ""},
                        {"task", it->task}});
    }
  }
  out["componentErrors"] = std::move(errors);
  Json summary = Json::array();
  for (double s : {kMaxWindow, 0.0}) {
    Window w = ComponentWindow(h, ci, s);
    Json j = {{"windowPretty", WindowPretty(s)},
              {"window", WindowName(s)},
              {"emitted", w.sum.emitted},
              {"transferred", w.sum.transferred},
              {"acked", w.sum.acked},
              {"failed", w.sum.failed}};
    if (c.spout) {
      j["completeLatency"] = Fixed3(Avg(w.sum.complete_ms, w.sum.complete_n));
    } else {
      j["executed"] = w.sum.executed;
      j["executeLatency"] = Fixed3(Avg(w.sum.execute_ms, w.sum.execute_n));
      j["processLatency"] = Fixed3(Avg(w.sum.process_ms, w.sum.process_n));
      j["capacity"] = Fixed3(w.capacity);
    }
    summary.push_back(std::move(j));
  }
  out[c.spout ? "spoutSummary" : "boltStats"] = std::move(summary);
  Window w = ComponentWindow(h, ci, secs);
  Json execs = Json::array();
  for (size_t ti = 0; ti < c.tasks.size(); ++ti) {
    int task = c.tasks[ti];
    const TaskSnapshot* ts = cs && ti < cs->tasks.size() ? &cs->tasks[ti] : nullptr;
    TaskStats d = ti < w.tasks.size() ? w.tasks[ti] : TaskStats{};
    int64_t up = ts ? static_cast<int64_t>(ts->uptime_secs) : 0;
    Json e = {{"id", "[" + std::to_string(task) + "-" + std::to_string(task) + "]"},
              {"host", "localhost"},
              {"port", nullptr},
              {"uptime", PrettySecs(up)},
              {"uptimeSeconds", up},
              {"workerLogLink", ""},
              {"emitted", d.emitted},
              {"transferred", d.transferred},
              {"acked", d.acked},
              {"failed", d.failed},
              // topoc's own: the task's process.
              {"task", task},
              {"pid", ts && ts->pid > 0 ? Json(ts->pid) : Json(nullptr)},
              {"state", ts ? ts->state : "starting"},
              {"restarts", ts ? ts->stats.restarts : 0},
              {"logFile", ts ? ts->log_file : ""}};
    if (c.spout) {
      e["completeLatency"] = Fixed3(Avg(d.complete_ms, d.complete_n));
    } else {
      e["executed"] = d.executed;
      e["executeLatency"] = Fixed3(Avg(d.execute_ms, d.execute_n));
      e["processLatency"] = Fixed3(Avg(d.process_ms, d.process_n));
      e["capacity"] = Fixed3(w.span > 0 ? std::min(1.0, d.busy_secs / w.span) : 0.0);
    }
    execs.push_back(std::move(e));
  }
  out["executorStats"] = std::move(execs);
  return out;
}

Json VisualizationJson(const TopologyInfo& info, const LiveHistory& h, const std::string& window) {
  double secs = 0;
  ParseWindow(window, &secs);
  auto cur = h.Latest();
  Json out = Json::object();
  for (size_t ci = 0; ci < info.components.size(); ++ci) {
    const auto& c = info.components[ci];
    Window w = ComponentWindow(h, ci, secs);
    Json stats = Json::array();
    const ComponentSnapshot* cs = cur && ci < cur->components.size() ? &cur->components[ci] : nullptr;
    for (size_t ti = 0; ti < c.tasks.size(); ++ti) {
      const TaskSnapshot* ts = cs && ti < cs->tasks.size() ? &cs->tasks[ti] : nullptr;
      uint64_t sent = ti < w.tasks.size() ? w.tasks[ti].transferred : 0;
      stats.push_back({{":host", "localhost"},
                       {":port", nullptr},
                       {":uptime_secs", ts ? static_cast<int64_t>(ts->uptime_secs) : 0},
                       {":transferred", {{WindowName(secs), {{"default", sent}}}}}});
    }
    Json inputs = Json::array();
    for (const auto& in : c.inputs) {
      inputs.push_back({{":component", in.component},
                        {":stream", in.stream},
                        {":sani-stream", in.stream},
                        {":grouping", in.grouping}});
    }
    Json latency = c.spout ? Avg(w.sum.complete_ms, w.sum.complete_n) : Avg(w.sum.process_ms, w.sum.process_n);
    out[c.id] = {{":type", c.spout ? "spout" : "bolt"},
                 {":capacity", c.spout ? 0.0 : w.capacity},
                 {":latency", latency},
                 {":transferred", w.sum.transferred},
                 {":stats", std::move(stats)},
                 {":link", "/component.html?id=" + c.id + "&topology_id=" + info.id},
                 {":inputs", std::move(inputs)}};
  }
  return out;
}

Json LiveJson(const TopologyInfo& info, const LiveHistory& h, double secs) {
  auto cur = h.Latest();
  Json comps = Json::array();
  for (size_t ci = 0; ci < info.components.size(); ++ci) {
    const auto& c = info.components[ci];
    Window recent = ComponentWindow(h, ci, secs);
    Window all = ComponentWindow(h, ci, 0);
    const ComponentSnapshot* cs = cur && ci < cur->components.size() ? &cur->components[ci] : nullptr;
    double span = recent.span > 0 ? recent.span : 1;
    Json states = {{"running", 0}, {"starting", 0}, {"down", 0}};
    if (cs) {
      for (const auto& t : cs->tasks) states[t.state] = states[t.state].get<int>() + 1;
    }
    Json j = {{"id", c.id},
              {"type", c.spout ? "spout" : "bolt"},
              {"tasks", c.tasks.size()},
              {"emittedRate", static_cast<double>(recent.sum.emitted) / span},
              {"executedRate", static_cast<double>(recent.sum.executed) / span},
              {"ackedRate", static_cast<double>(recent.sum.acked) / span},
              {"failedRate", static_cast<double>(recent.sum.failed) / span},
              {"capacity", c.spout ? 0.0 : recent.capacity},
              {"executeLatency", Avg(recent.sum.execute_ms, recent.sum.execute_n)},
              {"completeLatency", Avg(recent.sum.complete_ms, recent.sum.complete_n)},
              {"emitted", all.sum.emitted},
              {"executed", all.sum.executed},
              {"acked", all.sum.acked},
              {"failed", all.sum.failed},
              {"restarts", all.sum.restarts},
              {"errors", cs ? cs->errors.size() : 0},
              {"states", states}};
    LastError(cs, cur ? cur->wall_time : 0, &j);
    comps.push_back(std::move(j));
  }
  return {{"id", info.id},
          {"name", info.name},
          {"status", Status(h)},
          {"uptimeSeconds", cur ? cur->uptime_secs : 0.0},
          {"tuplesRouted", cur ? cur->tuples_routed : 0},
          {"ended", cur && cur->ended},
          {"components", std::move(comps)}};
}

}  // namespace topoc::runtime::ui
