// The cluster commands behind `topoc list|kill|activate|deactivate|
// rebalance|tail|remove-logs` (cli/cmd_cluster.cc parses the arguments).
// Each returns the exit code (0 ok, 1 failed) after printing results on
// `out` and one line per problem on `err`.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "deploy/config.h"
#include "deploy/nimbus_client.h"

namespace topoc::deploy {

struct ClusterOptions {
  const EnvConfig* env = nullptr;
  NimbusTimeouts timeouts;
  bool verbose = false;  // print ssh commands
};

// Table of the cluster's topologies (FormatTopologyTable).
int RunList(const ClusterOptions& o, std::FILE* out, std::FILE* err);
// killTopologyWithOpts; wait_secs unset: the topology's message timeout.
int RunKill(const ClusterOptions& o, const std::string& name, std::optional<int> wait_secs, std::FILE* out, std::FILE* err);
int RunActivate(const ClusterOptions& o, const std::string& name, bool activate, std::FILE* out, std::FILE* err);
int RunRebalance(const ClusterOptions& o, const std::string& name, std::optional<int> num_workers,
                 std::optional<int> wait_secs, std::FILE* out, std::FILE* err);

// On every worker (in parallel), the env's log.path files
// streamparse_<topology>_*.log (topology empty: all of them). tail: the
// last `lines` lines of each, each line prefixed with "<worker>: "; with
// follow, `tail -F` streams until interrupted. `pattern` is a grep -E filter.
int RunTail(const ClusterOptions& o, const std::string& topology, bool follow, int lines, const std::string& pattern,
            std::FILE* out, std::FILE* err);
int RunRemoveLogs(const ClusterOptions& o, const std::string& topology, std::FILE* out, std::FILE* err);

}  // namespace topoc::deploy
