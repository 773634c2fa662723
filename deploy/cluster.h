// The cluster commands behind `topoc list|kill|activate|deactivate|
// rebalance|tail|remove-logs|stats|slot-usage|worker-uptime`
// (cli/cmd_cluster.cc parses the arguments).
// Each returns the exit code (0 ok, 1 failed) after printing results on
// `out` and one line per problem on `err`.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "config/config.h"
#include "deploy/nimbus_client.h"

namespace topoc::deploy {

struct ClusterOptions {
  const config::EnvConfig* env = nullptr;
  NimbusTimeouts timeouts;
  bool verbose = false;  // print ssh commands
  int pool_size = 0;     // at most this many ssh at once (0: every worker)
};

// Table of the cluster's topologies (FormatTopologyTable).
int RunList(const ClusterOptions& o, std::FILE* out, std::FILE* err);
// killTopologyWithOpts; wait_secs unset: the topology's message timeout.
int RunKill(const ClusterOptions& o, const std::string& name, std::optional<int> wait_secs, std::FILE* out, std::FILE* err);
int RunActivate(const ClusterOptions& o, const std::string& name, bool activate, std::FILE* out, std::FILE* err);
int RunRebalance(const ClusterOptions& o, const std::string& name, std::optional<int> num_workers,
                 std::optional<int> wait_secs, std::FILE* out, std::FILE* err);

// On every worker (in parallel), the env's log.path files
// streamparse_<topology>_*.log (topology empty: all of them) whose name
// matches the extended regex `file_pattern` (empty: all). tail: the last
// `lines` lines of each, each line prefixed with "<worker>: "; with follow,
// `tail -F` streams until interrupted. `grep` is a grep -E line filter.
int RunTail(const ClusterOptions& o, const std::string& topology, bool follow, int lines,
            const std::string& file_pattern, const std::string& grep, std::FILE* out, std::FILE* err);
int RunRemoveLogs(const ClusterOptions& o, const std::string& topology, const std::string& file_pattern,
                  std::FILE* out, std::FILE* err);

// getTopologyInfo(ByName) of `name` (empty: every topology getClusterInfo
// lists), summed as deploy/topology_stats.h says; a table, or JSON with
// format "json". `component` non-empty: only that component (an unknown one
// is an error naming the known ones).
int RunStats(const ClusterOptions& o, const std::string& name, const std::string& component, const std::string& format,
             std::FILE* out, std::FILE* err);
// getClusterInfo's supervisors: slots and used slots per host, and (from
// getTopologyInfo of each topology) which topologies have executors there.
int RunSlotUsage(const ClusterOptions& o, std::FILE* out, std::FILE* err);
// getClusterInfo's supervisors: each host's uptime.
int RunWorkerUptime(const ClusterOptions& o, std::FILE* out, std::FILE* err);

}  // namespace topoc::deploy
