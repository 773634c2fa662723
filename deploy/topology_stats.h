// `topoc stats`, `topoc slot-usage` and `topoc worker-uptime`: what Nimbus's
// getTopologyInfo and getClusterInfo report, summed the way Storm's UI sums
// it, and laid out as tables (or JSON).
//
// Sums (per window: "600" = the last 10 minutes, ":all-time"):
//   emitted, transferred  over every stream but Storm's own (ids "__...")
//   executed              bolts' executed tuples
//   acked, failed         spouts' (for a spout and for the topology) or
//                         bolts' (for a bolt)
//   complete latency      spouts' complete_ms_avg weighted by acked
//   execute latency       bolts' execute_ms_avg weighted by executed
//   process latency       bolts' process_ms_avg weighted by acked
//   capacity              "600" only: per executor executed x execute
//                         latency / min(600 s, its uptime); a component's is
//                         its busiest executor's, the topology's its busiest
//                         bolt's
// Storm's own components (__acker, __system, __metrics..., __eventlogger)
// are left out. An executor that has not reported yet counts in executors
// and tasks only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "thrift/gen-cpp/storm_types.h"

namespace topoc::deploy {

// The windows `topoc stats` shows, in order, and their labels.
inline constexpr std::array<const char*, 2> kStatsWindows = {"600", ":all-time"};
inline constexpr std::array<const char*, 2> kStatsWindowLabels = {"10m", "all-time"};

struct WindowStats {
  int64_t emitted = 0;
  int64_t transferred = 0;
  int64_t executed = 0;
  int64_t acked = 0;
  int64_t failed = 0;
  std::optional<double> complete_ms;
  std::optional<double> execute_ms;
  std::optional<double> process_ms;
  std::optional<double> capacity;
};

struct ComponentStats {
  std::string id;
  std::string kind;  // "spout", "bolt", or "" while no executor has reported
  int executors = 0;
  int tasks = 0;
  std::array<WindowStats, kStatsWindows.size()> windows;
};

struct TopologyStats {
  std::string id;
  std::string name;
  std::string status;
  int uptime_secs = 0;
  int workers = 0;  // distinct host:port of its executors
  int executors = 0;
  int tasks = 0;
  std::array<WindowStats, kStatsWindows.size()> windows;
  std::vector<ComponentStats> components;  // spouts, then bolts, each by id
};

TopologyStats SummarizeTopology(const topoc::storm::TopologyInfo& info);

// One table per topology: a header line, then rows "(topology)" and one per
// component, one row per window. `component` non-empty: only its rows.
std::string FormatStatsTable(const std::vector<TopologyStats>& topologies, const std::string& component);
// {"topologies": [{"name", "id", "status", "uptime_secs", "workers",
// "executors", "tasks", "windows": {"600": {...}, ":all-time": {...}},
// "components": [{"id", "kind", "executors", "tasks", "windows"}]}]};
// latencies in ms, unset values null.
nlohmann::ordered_json StatsJson(const std::vector<TopologyStats>& topologies, const std::string& component);

// `topoc slot-usage`: HOST SLOTS USED TOPOLOGIES, by host. `topologies_on`
// gives each supervisor host the names of the topologies with executors
// there.
std::string FormatSlotUsage(const std::vector<topoc::storm::SupervisorSummary>& supervisors,
                            const std::vector<std::pair<std::string, std::vector<std::string>>>& topologies_on);
// `topoc worker-uptime`: HOST UPTIME, by host.
std::string FormatWorkerUptime(const std::vector<topoc::storm::SupervisorSummary>& supervisors);

}  // namespace topoc::deploy
