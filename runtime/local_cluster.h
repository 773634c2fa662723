// `topoc run`'s engine: a local Storm cluster in one thread. It runs one
// subprocess per task of a checked ir::Topology and speaks Storm's multilang
// protocol to each (storm-facts.md §2), routing every emit by its grouping
// (§7) and tracking anchored tuple trees with an XOR acker (§5).
//
// What a run does:
//  - numbers tasks as Storm does (topology_plan.h), writes python launchers
//    (backends/storm_launch.h) under options.staging_dir/_topoc/, starts
//    each task with cwd = options.src_dir (python components with
//    PYTHONPATH = src_dir, python_runtime_dir, then the user's; shell
//    components with the user's environment as is), and sends the handshake
//    (conf = the Storm line's defaults.yaml, topology config, component
//    config; pidDir; context);
//  - spouts are driven synchronously (activate, next/ack/fail until sync,
//    1 ms back-off after an empty next, topology.max.spout.pending, no next
//    while a bolt task has topology.shellbolt.max.pending tuples queued,
//    deactivate at shutdown); bolts get tuples, `__heartbeat` tuples every
//    second and tick tuples (topology.tick.tuple.freq.secs); shuffle is
//    load-aware unless topology.disable.loadaware.messaging;
//  - message timeouts (topology.message.timeout.secs, default 30, a tuple
//    fails after T..2T), subprocess timeouts
//    (topology.subprocess.timeout.secs, default 30);
//  - a task that dies or breaks the protocol is killed (its process group),
//    reported with component, task, reason and the last lines of its
//    stderr (a component that keeps dying: once more, then only in its
//    log); its in-flight tuples fail back to their spouts; a dead spout's
//    acks and fails are dropped (counted as failed); it restarts with a
//    fresh handshake after a back-off (0.1 s doubling, at most 5 s). A task
//    that dies before finishing its handshake `max_start_failures` times in
//    a row ends the run (exit 1).
//  - every task's stderr and multilang log messages go to
//    logs_dir/topoc_<topology>_<component>_<task>.log, rotated at
//    log_settings' max_bytes / backup_count (default 1 MiB x 10).
// Stopping (time_secs, idle_stop_secs, SIGINT/SIGTERM): spouts are
// deactivated, pending trees drain up to drain_secs, children get EOF on
// stdin, then SIGKILL on their process groups, and all are reaped.
//
// RunTopology installs SIGINT/SIGTERM handlers for its duration (restoring
// the previous ones) and ignores SIGPIPE. Not reentrant; one run at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "backends/storm_version.h"
#include "compiler/ir/ir.h"
#include "runtime/live_stats.h"
#include "runtime/run_report.h"

namespace topoc::runtime {

struct RunOptions {
  std::filesystem::path src_dir;             // cwd of every component
  std::filesystem::path logs_dir;            // created if missing
  std::filesystem::path staging_dir;         // _topoc/ launchers, pids/; created
  std::filesystem::path python_runtime_dir;  // holds the streamparse package
  std::string python = "python3";            // interpreter for python components
  std::vector<std::pair<std::string, ir::Value>> overrides;  // -o key=value
  // streamparse.log.* values besides the path: "max_bytes", "backup_count",
  // "level" (from config.json's "log" section). --debug forces level debug.
  ir::Value log_settings = ir::Value::object();
  bool debug = false;          // also echo component stderr and logs
  double time_secs = 0;        // stop after this long; 0: until a signal
  double idle_stop_secs = 0;   // stop once nothing moved this long; 0: never
  double drain_secs = 2;       // after deactivate, wait this long for acks
  enum class StatusLine { kAuto, kOn, kOff };
  StatusLine status_line = StatusLine::kAuto;  // kAuto: when console is a tty
  FILE* console = stderr;      // problems, status line, summary
  uint64_t seed = 0;           // tuple ids / shuffle; 0: random
  // Whose defaults.yaml is the base of every component's conf.
  backends::StormVersion storm_version = backends::kDefaultStormVersion;
  int max_start_failures = 5;
  // Gets a snapshot of every task's counters about once a second and at the
  // end (`topoc run --ui`); nullptr: none taken.
  LiveSink* live = nullptr;
};

// Whether `topology` can run locally: only python and shell components and
// no custom (Java) groupings. On false, `error` says which and why.
bool CheckRunnable(const ir::Topology& topology, std::string* error);

// Runs the topology until a stop condition. Never throws on bad input.
RunResult RunTopology(const ir::Topology& topology, const RunOptions& options);

// Asks a running RunTopology to stop as on SIGINT (async-signal-safe).
void RequestStop();

}  // namespace topoc::runtime
