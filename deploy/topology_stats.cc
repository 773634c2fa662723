#include "deploy/topology_stats.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "deploy/nimbus_client.h"

namespace topoc::deploy {

namespace {

using json = nlohmann::ordered_json;
using topoc::storm::ExecutorStats;
using topoc::storm::GlobalStreamId;

// Storm's own components and streams (__acker, __system, __ack_ack, ...):
// left out, as Storm UI leaves them out of the user's numbers.
bool IsSystemId(const std::string& id) { return id.rfind("__", 0) == 0; }

// Sum of a window's counts over the user's streams.
template <typename Key>
int64_t Sum(const std::map<std::string, std::map<Key, int64_t>>& m, const std::string& window) {
  auto it = m.find(window);
  if (it == m.end()) return 0;
  int64_t n = 0;
  for (const auto& [key, v] : it->second) {
    if constexpr (std::is_same_v<Key, std::string>) {
      if (IsSystemId(key)) continue;
    } else {
      if (IsSystemId(key.streamId)) continue;
    }
    n += v;
  }
  return n;
}

// A running weighted mean (weights: the counts the averages are over).
// Storm reports a mean per (window, stream); the component's mean is the
// streams' means weighted by their counts, not their plain average.
struct Weighted {
  double total = 0;
  int64_t weight = 0;
  template <typename Key>
  void Add(const std::map<std::string, std::map<Key, double>>& avgs,
           const std::map<std::string, std::map<Key, int64_t>>& counts, const std::string& window) {
    auto a = avgs.find(window);
    auto c = counts.find(window);
    if (a == avgs.end() || c == counts.end()) return;
    for (const auto& [key, avg] : a->second) {
      auto n = c->second.find(key);
      if (n == c->second.end()) continue;
      total += avg * static_cast<double>(n->second);
      weight += n->second;
    }
  }
  void Merge(const Weighted& o) {
    total += o.total;
    weight += o.weight;
  }
  std::optional<double> Mean() const {
    return weight > 0 ? std::optional<double>(total / static_cast<double>(weight)) : std::nullopt;
  }
};

struct Accumulator {
  WindowStats w;
  Weighted complete, execute, process;
  void Finish() {
    w.complete_ms = complete.Mean();
    w.execute_ms = execute.Mean();
    w.process_ms = process.Mean();
  }
};

void MaxInto(std::optional<double>& into, std::optional<double> v) {
  if (v && (!into || *v > *into)) into = v;
}

std::string Count(int64_t n) { return std::to_string(n); }
std::string Ms(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : "-"; }

json Nullable(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json WindowJson(const WindowStats& w) {
  return json{{"emitted", w.emitted},         {"transferred", w.transferred},
              {"executed", w.executed},       {"acked", w.acked},
              {"failed", w.failed},           {"capacity", Nullable(w.capacity)},
              {"complete_latency_ms", Nullable(w.complete_ms)},
              {"execute_latency_ms", Nullable(w.execute_ms)},
              {"process_latency_ms", Nullable(w.process_ms)}};
}

json WindowsJson(const std::array<WindowStats, kStatsWindows.size()>& ws) {
  json out = json::object();
  for (size_t i = 0; i < ws.size(); ++i) out[kStatsWindows[i]] = WindowJson(ws[i]);
  return out;
}

bool Wanted(const ComponentStats& c, const std::string& component) { return component.empty() || c.id == component; }

}  // namespace

TopologyStats SummarizeTopology(const topoc::storm::TopologyInfo& info) {
  TopologyStats t;
  t.id = info.id;
  t.name = info.name;
  t.status = info.status;
  t.uptime_secs = info.uptime_secs;
  std::map<std::string, ComponentStats> by_id;
  std::map<std::string, std::array<Accumulator, kStatsWindows.size()>> acc;
  std::set<std::pair<std::string, int>> slots;
  for (const auto& e : info.executors) {
    // One executor per entry; its task range says how many tasks it runs.
    if (IsSystemId(e.component_id)) continue;
    ComponentStats& c = by_id[e.component_id];
    c.id = e.component_id;
    ++c.executors;
    c.tasks += std::max(0, e.executor_info.task_end - e.executor_info.task_start + 1);
    // A worker is a (host, port) slot; its executors share it.
    slots.insert({e.host, e.port});
    if (!e.__isset.stats) continue;
    const ExecutorStats& s = e.stats;
    bool spout = s.specific.__isset.spout;
    bool bolt = s.specific.__isset.bolt;
    if (spout) c.kind = "spout";
    if (bolt) c.kind = "bolt";
    auto& a = acc[e.component_id];
    for (size_t i = 0; i < kStatsWindows.size(); ++i) {
      const std::string window = kStatsWindows[i];
      WindowStats& w = a[i].w;
      w.emitted += Sum(s.emitted, window);
      w.transferred += Sum(s.transferred, window);
      if (spout) {
        w.acked += Sum(s.specific.spout.acked, window);
        w.failed += Sum(s.specific.spout.failed, window);
        a[i].complete.Add(s.specific.spout.complete_ms_avg, s.specific.spout.acked, window);
      } else if (bolt) {
        const auto& b = s.specific.bolt;
        int64_t executed = Sum(b.executed, window);
        w.executed += executed;
        w.acked += Sum(b.acked, window);
        w.failed += Sum(b.failed, window);
        // This executor's own mean is needed for its capacity below.
        Weighted execute;
        execute.Add(b.execute_ms_avg, b.executed, window);
        a[i].execute.Merge(execute);
        a[i].process.Add(b.process_ms_avg, b.acked, window);
        // Storm UI's capacity: the share of the last 10 minutes (or of the
        // executor's uptime, if shorter) spent executing; the component shows its
        // busiest executor.
        if (window == "600") {
          int secs = std::min(600, std::max(1, e.uptime_secs));
          double busy_ms = execute.Mean().value_or(0) * static_cast<double>(executed);
          MaxInto(w.capacity, busy_ms / (secs * 1000.0));
        }
      }
    }
  }
  for (auto& [id, c] : by_id) {
    auto it = acc.find(id);
    if (it != acc.end()) {
      for (size_t i = 0; i < kStatsWindows.size(); ++i) {
        it->second[i].Finish();
        c.windows[i] = it->second[i].w;
      }
    }
    t.executors += c.executors;
    t.tasks += c.tasks;
    t.components.push_back(c);
  }
  // Spouts first, then bolts, each in component id order (by_id is sorted).
  std::stable_sort(t.components.begin(), t.components.end(), [](const ComponentStats& a, const ComponentStats& b) {
    auto rank = [](const std::string& k) { return k == "spout" ? 0 : k == "bolt" ? 1 : 2; };
    return rank(a.kind) < rank(b.kind);
  });
  // The topology: every component's traffic, its spouts' acks.
  for (size_t i = 0; i < kStatsWindows.size(); ++i) {
    WindowStats& w = t.windows[i];
    Weighted complete;
    for (const auto& c : t.components) {
      const WindowStats& cw = c.windows[i];
      w.emitted += cw.emitted;
      w.transferred += cw.transferred;
      w.executed += cw.executed;
      if (c.kind == "spout") {
        w.acked += cw.acked;
        w.failed += cw.failed;
        if (cw.complete_ms) {
          complete.total += *cw.complete_ms * static_cast<double>(cw.acked);
          complete.weight += cw.acked;
        }
      }
      MaxInto(w.capacity, cw.capacity);
    }
    w.complete_ms = complete.Mean();
  }
  t.workers = static_cast<int>(slots.size());
  return t;
}

std::string FormatStatsTable(const std::vector<TopologyStats>& topologies, const std::string& component) {
  std::string out;
  for (const auto& t : topologies) {
    if (!out.empty()) out += "\n";
    out += fmt::format("{} ({}): {}, up {}, {} worker(s), {} executor(s), {} task(s)\n", t.name, t.id, t.status,
                       FormatUptime(t.uptime_secs), t.workers, t.executors, t.tasks);
    std::vector<std::vector<std::string>> rows = {{"COMPONENT", "KIND", "WINDOW", "EXECUTORS", "TASKS", "EMITTED",
                                                   "TRANSFERRED", "EXECUTED", "ACKED", "FAILED", "CAPACITY",
                                                   "COMPLETE_MS", "EXECUTE_MS", "PROCESS_MS"}};
    auto add = [&](const std::string& id, const std::string& kind, int executors, int tasks,
                   const std::array<WindowStats, kStatsWindows.size()>& ws) {
      for (size_t i = 0; i < ws.size(); ++i) {
        const WindowStats& w = ws[i];
        rows.push_back({id, kind.empty() ? "-" : kind, kStatsWindowLabels[i], std::to_string(executors),
                        std::to_string(tasks), Count(w.emitted), Count(w.transferred), Count(w.executed),
                        Count(w.acked), Count(w.failed), Ms(w.capacity), Ms(w.complete_ms), Ms(w.execute_ms),
                        Ms(w.process_ms)});
      }
    };
    if (component.empty()) add("(topology)", "", t.executors, t.tasks, t.windows);
    for (const auto& c : t.components) {
      if (Wanted(c, component)) add(c.id, c.kind, c.executors, c.tasks, c.windows);
    }
    std::vector<bool> right(rows[0].size(), true);
    right[0] = right[1] = right[2] = false;
    out += FormatColumns(rows, right);
  }
  return out;
}

json StatsJson(const std::vector<TopologyStats>& topologies, const std::string& component) {
  json list = json::array();
  for (const auto& t : topologies) {
    json components = json::array();
    for (const auto& c : t.components) {
      if (!Wanted(c, component)) continue;
      components.push_back({{"id", c.id},
                            {"kind", c.kind.empty() ? json(nullptr) : json(c.kind)},
                            {"executors", c.executors},
                            {"tasks", c.tasks},
                            {"windows", WindowsJson(c.windows)}});
    }
    list.push_back({{"name", t.name},
                    {"id", t.id},
                    {"status", t.status},
                    {"uptime_secs", t.uptime_secs},
                    {"workers", t.workers},
                    {"executors", t.executors},
                    {"tasks", t.tasks},
                    {"windows", WindowsJson(t.windows)},
                    {"components", std::move(components)}});
  }
  return json{{"topologies", std::move(list)}};
}

std::string FormatSlotUsage(const std::vector<topoc::storm::SupervisorSummary>& supervisors,
                            const std::vector<std::pair<std::string, std::vector<std::string>>>& topologies_on) {
  std::map<std::string, std::vector<std::string>> on(topologies_on.begin(), topologies_on.end());
  auto sorted = supervisors;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.host < b.host; });
  std::vector<std::vector<std::string>> rows = {{"HOST", "SLOTS", "USED", "TOPOLOGIES"}};
  for (const auto& s : sorted) {
    std::string names;
    for (const auto& n : on[s.host]) names += (names.empty() ? "" : ", ") + n;
    rows.push_back({s.host, std::to_string(s.num_workers), std::to_string(s.num_used_workers),
                    names.empty() ? "-" : names});
  }
  return FormatColumns(rows, {false, true, true, false});
}

std::string FormatWorkerUptime(const std::vector<topoc::storm::SupervisorSummary>& supervisors) {
  auto sorted = supervisors;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.host < b.host; });
  std::vector<std::vector<std::string>> rows = {{"HOST", "UPTIME"}};
  for (const auto& s : sorted) rows.push_back({s.host, FormatUptime(s.uptime_secs)});
  return FormatColumns(rows, {false, false});
}

}  // namespace topoc::deploy
