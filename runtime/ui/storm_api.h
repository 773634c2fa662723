// Storm UI's REST API (v1 subset) over a local run's snapshots: the same
// paths' JSON with Storm's key names, so scripts written against Storm UI
// read a `topoc run --ui` too. Pure functions of a LiveHistory; the HTTP
// side is ui_server.h.
//
// Windows: "600" (the last ten minutes, or the whole run while it is
// younger) and ":all-time" (the default, as in Storm); any other whole
// number of seconds up to 600 works too. Latencies are in milliseconds,
// strings with three decimals as Storm writes them; capacity is the share
// of the window a bolt task spent with a tuple in hand (the largest of its
// tasks), also a string.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/live_stats.h"

namespace topoc::runtime::ui {

using Json = nlohmann::json;

// What does not change during a run.
struct TopologyInfo {
  std::string id;    // Storm-like: <name>-1-<start, seconds since the epoch>
  std::string name;
  std::string storm_version;  // e.g. "2.x (topoc local run)"
  int64_t message_timeout_secs = 30;
  Json configuration = Json::object();  // the topology conf (defaults included)
  struct Input {
    std::string component;
    std::string stream;
    std::string grouping;  // Storm's name: shuffle, fields, all, ...
  };
  struct Component {
    std::string id;
    bool spout = false;
    std::vector<int> tasks;  // ascending
    std::vector<Input> inputs;
  };
  std::vector<Component> components;  // declaration order, as in snapshots
  const Component* Find(const std::string& id) const;
};

// The snapshots of a run, one a second, the last ten minutes of them.
class LiveHistory {
 public:
  void Add(std::shared_ptr<const RunSnapshot> s);
  // The newest, or nullptr before the first.
  std::shared_ptr<const RunSnapshot> Latest() const { return snaps_.empty() ? nullptr : snaps_.back(); }
  // The newest snapshot at least `secs` older than the latest; nullptr when
  // the run is younger than that (then the window starts at zero).
  std::shared_ptr<const RunSnapshot> Before(double secs) const;

 private:
  std::deque<std::shared_ptr<const RunSnapshot>> snaps_;
};

// Parses a window parameter ("" means ":all-time"). Returns false for
// anything else than ":all-time" or 1..600 seconds.
bool ParseWindow(const std::string& text, double* secs /* 0: all time */);

// "1h 2m 5s" (Storm's pretty uptime).
std::string PrettySecs(int64_t secs);

// {"error": ..., "errorMessage": ...}, as Storm UI answers an error.
Json ErrorJson(const std::string& error, const std::string& message);

Json ClusterSummaryJson(const TopologyInfo& info, const LiveHistory& h);
Json TopologySummaryJson(const TopologyInfo& info, const LiveHistory& h);
Json TopologyJson(const TopologyInfo& info, const LiveHistory& h, const std::string& window);
// nullptr-safe: `component` must be in info.
Json ComponentJson(const TopologyInfo& info, const LiveHistory& h, const TopologyInfo::Component& component,
                   const std::string& window);
Json VisualizationJson(const TopologyInfo& info, const LiveHistory& h, const std::string& window);
// The page's once-a-second update: per component, rates over the last
// `secs` seconds, capacity, latencies, totals, restarts, task states, the
// last error.
Json LiveJson(const TopologyInfo& info, const LiveHistory& h, double secs = 5);

}  // namespace topoc::runtime::ui
