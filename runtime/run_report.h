// What a run reports: per-component counters, the problems seen, the live
// status line on a terminal, and the end-of-run table.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace topoc::runtime {

struct ComponentStats {
  std::string id;
  bool spout = false;
  int tasks = 0;
  uint64_t emitted = 0;    // emit commands from its tasks
  // spout: acks delivered (its task synced after `ack`); bolt: acks it sent
  uint64_t acked = 0;
  // spout: fails delivered, plus the trees and acks/fails lost with a task
  // that died (they never reach its successor); bolt: fails it sent
  uint64_t failed = 0;
  uint64_t executed = 0;   // bolt: tuples it acked or failed (ticks included)
  uint64_t restarts = 0;   // task restarts after a death or protocol error
  uint64_t errors = 0;     // `error` commands it sent
  std::map<std::string, uint64_t> metrics;  // `metrics` commands per name
};

struct RunResult {
  // 0: ran and stopped cleanly; 1: could not run (java component, a task
  // that never completes its handshake, bad config); 2: I/O trouble.
  int exit_code = 0;
  std::string error;                       // why exit_code != 0
  std::vector<ComponentStats> components;  // in declaration order
  std::vector<std::string> problems;       // deaths / protocol errors seen
  double seconds = 0;
  uint64_t tuples_routed = 0;              // tuples delivered to bolt tasks
  const ComponentStats* Find(std::string_view id) const;
};

// Writes the end-of-run table (per component: tasks, emitted, executed,
// acked, failed, restarts), the metrics counts and the totals.
void PrintSummary(const RunResult& result, FILE* out);

// "950", "12k", "1.5M".
std::string HumanCount(double v);

// Builds a RunResult during a run and writes to the console.
class RunReport {
 public:
  // status_line: keep a one-line rate display (a terminal) updated.
  RunReport(FILE* console, bool status_line) : console_(console), status_line_(status_line) {}

  // Adds a component's counters; returns its index for stats().
  int AddComponent(std::string id, bool spout, int tasks);
  ComponentStats& stats(int index) { return result_.components[static_cast<size_t>(index)]; }
  RunResult& result() { return result_; }

  // Prints "topoc run: <text>" (over the status line) and keeps it.
  void Problem(const std::string& text);
  // Refreshes the status line: per component, emitted/acked/failed since
  // the last call. No-op without a status line.
  void StatusLine(double elapsed);
  // Erases the status line if it is shown.
  void ClearStatusLine();

 private:
  FILE* console_;
  bool status_line_;
  bool status_shown_ = false;
  RunResult result_;
  std::vector<ComponentStats> last_;
};

}  // namespace topoc::runtime
