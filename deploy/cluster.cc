#include "deploy/cluster.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "deploy/ssh.h"
#include "deploy/submit.h"
#include "deploy/topology_stats.h"

namespace topoc::deploy {

namespace {

int Fail(const char* cmd, const std::string& msg, std::FILE* err) {
  std::fprintf(err, "topoc %s: error: %s\n", cmd, msg.c_str());
  return 1;
}

// Connects and runs f(client, error); prints the error on failure.
template <typename F>
int WithNimbus(const char* cmd, const ClusterOptions& o, std::FILE* err, F&& f) {
  // One connection per command; through an ssh tunnel when the env says
  // use_ssh_for_nimbus (ConnectNimbus).
  SshSettings ssh = SshSettings::FromEnv(*o.env);
  ssh.verbose = o.verbose;
  NimbusClient client;
  SshTunnel tunnel;
  std::string error;
  if (!ConnectNimbus(*o.env, ssh, o.timeouts, &client, &tunnel, &error)) return Fail(cmd, error, err);
  if (!f(client, &error)) return Fail(cmd, error, err);
  return 0;
}

bool NeedLogPath(const char* cmd, const ClusterOptions& o, std::FILE* err) {
  if (o.env->log.path) return true;
  Fail(cmd, fmt::format("env '{}' has no \"log\": {{\"path\": ...}} in config.json, so topoc does not know where the "
                        "workers' logs are", o.env->name), err);
  return false;
}

bool NeedWorkers(const char* cmd, const ClusterOptions& o, std::FILE* err) {
  if (!o.env->workers.empty()) return true;
  Fail(cmd, fmt::format("env '{}' lists no workers in config.json", o.env->name), err);
  return false;
}

std::string WhyFailed(const support::ProcessResult& r) {
  if (!r.started) return r.error;
  if (r.timed_out) return "timed out";
  if (r.exit_code == 255) return "ssh could not connect (exit 255)";
  return fmt::format("exit {}", r.exit_code);
}

std::string LastLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  auto nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

}  // namespace

int RunList(const ClusterOptions& o, std::FILE* out, std::FILE* err) {
  return WithNimbus("list", o, err, [&](NimbusClient& c, std::string* error) {
    topoc::storm::ClusterSummary cs;
    if (!c.GetClusterInfo(&cs, error)) return false;
    if (cs.topologies.empty()) {
      std::fprintf(out, "No topologies running on %s:%d.\n", o.env->nimbus_host.c_str(), o.env->nimbus_port);
    } else {
      std::fputs(FormatTopologyTable(cs.topologies).c_str(), out);
    }
    return true;
  });
}

int RunKill(const ClusterOptions& o, const std::string& name, std::optional<int> wait_secs, std::FILE* out,
            std::FILE* err) {
  return WithNimbus("kill", o, err, [&](NimbusClient& c, std::string* error) {
    if (!c.KillTopology(name, wait_secs, error)) return false;
    if (wait_secs)
      std::fprintf(out, "Killed %s (workers stop after %d s)\n", name.c_str(), *wait_secs);
    else
      std::fprintf(out, "Killed %s (workers stop after its message timeout)\n", name.c_str());
    return true;
  });
}

int RunActivate(const ClusterOptions& o, const std::string& name, bool activate, std::FILE* out, std::FILE* err) {
  return WithNimbus(activate ? "activate" : "deactivate", o, err, [&](NimbusClient& c, std::string* error) {
    if (!(activate ? c.Activate(name, error) : c.Deactivate(name, error))) return false;
    std::fprintf(out, "%s %s\n", activate ? "Activated" : "Deactivated", name.c_str());
    return true;
  });
}

int RunRebalance(const ClusterOptions& o, const std::string& name, std::optional<int> num_workers,
                 std::optional<int> wait_secs, std::FILE* out, std::FILE* err) {
  // Refused before connecting: there is nothing to ask Nimbus.
  if (num_workers && *num_workers < 1) return Fail("rebalance", "--workers must be at least 1", err);
  return WithNimbus("rebalance", o, err, [&](NimbusClient& c, std::string* error) {
    if (!c.Rebalance(name, num_workers, wait_secs, error)) return false;
    std::fprintf(out, "Rebalancing %s%s\n", name.c_str(),
                 num_workers ? fmt::format(" onto {} worker(s)", *num_workers).c_str() : "");
    return true;
  });
}

int RunTail(const ClusterOptions& o, const std::string& topology, bool follow, int lines,
            const std::string& file_pattern, const std::string& grep, std::FILE* out, std::FILE* err) {
  if (!NeedLogPath("tail", o, err) || !NeedWorkers("tail", o, err)) return 1;
  SshSettings ssh = SshSettings::FromEnv(*o.env);
  ssh.verbose = o.verbose;
  ssh.pool_size = o.pool_size;
  // One script, run on every worker at once (RunOnWorkers); each output line
  // is shown under its worker's name.
  std::string script = TailScript(*o.env->log.path, topology, follow, lines, file_pattern, grep);
  support::RunOptions opt;
  if (follow) {
    std::fflush(out);
    opt.capture = false;  // stream straight to the terminal until Ctrl-C
  } else {
    opt.timeout = std::chrono::minutes(2);
  }
  auto results = RunOnWorkers(ssh, o.env->workers, [&](const std::string&) { return script; }, opt);
  int failures = 0;
  for (const auto& w : results) {
    // A worker that failed prints nothing of what it may have read: the error
    // line says why.
    bool no_match = !grep.empty() && w.result.exit_code == 1;  // grep found nothing
    if (!follow) {
      std::istringstream in(w.result.output);
      std::string line;
      bool ok = w.result.ok() || no_match;
      while (ok && std::getline(in, line)) std::fprintf(out, "%s: %s\n", w.host.c_str(), line.c_str());
    }
    if (!w.result.ok() && !no_match) {
      ++failures;
      std::string detail = LastLine(w.result.output);
      std::fprintf(err, "topoc tail: error: worker %s: %s%s\n", w.host.c_str(), WhyFailed(w.result).c_str(),
                   detail.empty() ? "" : (": " + detail).c_str());
    }
  }
  return failures ? 1 : 0;
}

int RunRemoveLogs(const ClusterOptions& o, const std::string& topology, const std::string& file_pattern,
                  std::FILE* out, std::FILE* err) {
  if (!NeedLogPath("remove-logs", o, err) || !NeedWorkers("remove-logs", o, err)) return 1;
  SshSettings ssh = SshSettings::FromEnv(*o.env);
  ssh.verbose = o.verbose;
  ssh.pool_size = o.pool_size;
  std::string script = RemoveLogsScript(*o.env->log.path, topology, file_pattern);
  support::RunOptions opt;
  opt.timeout = std::chrono::minutes(2);
  auto results = RunOnWorkers(ssh, o.env->workers, [&](const std::string&) { return script; }, opt);
  int failures = 0;
  for (const auto& w : results) {
    if (w.result.ok()) {
      std::fprintf(out, "%s: %s\n", w.host.c_str(), LastLine(w.result.output).c_str());
    } else {
      ++failures;
      std::string detail = LastLine(w.result.output);
      std::fprintf(err, "topoc remove-logs: error: worker %s: %s%s\n", w.host.c_str(), WhyFailed(w.result).c_str(),
                   detail.empty() ? "" : (": " + detail).c_str());
    }
  }
  return failures ? 1 : 0;
}

int RunStats(const ClusterOptions& o, const std::string& name, const std::string& component, const std::string& format,
             std::FILE* out, std::FILE* err) {
  return WithNimbus("stats", o, err, [&](NimbusClient& c, std::string* error) {
    std::vector<topoc::storm::TopologyInfo> infos;
    if (!name.empty()) {
      infos.emplace_back();
      // (getTopologyInfoByName falls back to getClusterInfo on Storm before 2.3.)
      if (!c.GetTopologyInfoByName(name, &infos.back(), error)) return false;
    } else {
      topoc::storm::ClusterSummary cs;
      if (!c.GetClusterInfo(&cs, error)) return false;
      auto sorted = cs.topologies;
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
      for (const auto& t : sorted) {
        infos.emplace_back();
        if (!c.GetTopologyInfo(t.id, &infos.back(), error)) return false;
      }
    }
    std::vector<TopologyStats> stats;
    for (const auto& info : infos) stats.push_back(SummarizeTopology(info));
    if (!component.empty()) {
      std::set<std::string> known;
      for (const auto& t : stats)
        for (const auto& comp : t.components) known.insert(comp.id);
      if (!known.count(component)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        *error = fmt::format("no component '{}' in {} (known: {})", component,
                             name.empty() ? std::string("any running topology") : "topology '" + name + "'",
                             list.empty() ? "none" : list);
        return false;
      }
    }
    if (format == "json") {
      std::fprintf(out, "%s\n", StatsJson(stats, component).dump(2).c_str());
    } else if (stats.empty()) {
      std::fprintf(out, "No topologies running on %s:%d.\n", o.env->nimbus_host.c_str(), o.env->nimbus_port);
    } else {
      std::fputs(FormatStatsTable(stats, component).c_str(), out);
    }
    return true;
  });
}

int RunSlotUsage(const ClusterOptions& o, std::FILE* out, std::FILE* err) {
  return WithNimbus("slot-usage", o, err, [&](NimbusClient& c, std::string* error) {
    topoc::storm::ClusterSummary cs;
    if (!c.GetClusterInfo(&cs, error)) return false;
    // Which topologies run on each host: from the executors of every topology.
    std::map<std::string, std::set<std::string>> on;
    for (const auto& t : cs.topologies) {
      topoc::storm::TopologyInfo info;
      if (!c.GetTopologyInfo(t.id, &info, error)) return false;
      for (const auto& e : info.executors) on[e.host].insert(t.name);
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> list;
    for (const auto& [host, names] : on) list.push_back({host, {names.begin(), names.end()}});
    if (cs.supervisors.empty()) {
      std::fprintf(out, "No supervisors in the cluster of %s:%d.\n", o.env->nimbus_host.c_str(), o.env->nimbus_port);
    } else {
      std::fputs(FormatSlotUsage(cs.supervisors, list).c_str(), out);
    }
    return true;
  });
}

int RunWorkerUptime(const ClusterOptions& o, std::FILE* out, std::FILE* err) {
  return WithNimbus("worker-uptime", o, err, [&](NimbusClient& c, std::string* error) {
    topoc::storm::ClusterSummary cs;
    if (!c.GetClusterInfo(&cs, error)) return false;
    if (cs.supervisors.empty()) {
      std::fprintf(out, "No supervisors in the cluster of %s:%d.\n", o.env->nimbus_host.c_str(), o.env->nimbus_port);
    } else {
      std::fputs(FormatWorkerUptime(cs.supervisors).c_str(), out);
    }
    return true;
  });
}

}  // namespace topoc::deploy
