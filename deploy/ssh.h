// Running commands on Storm workers with the system OpenSSH client.
//
// topoc never talks SSH itself: it runs `ssh`, so the user's ~/.ssh/config,
// agent and known_hosts apply. Options always passed:
//   -o BatchMode=yes          never prompt (a prompt would hang submit)
//   -o ConnectTimeout=<secs>
//   -F <file>                 when $TOPOC_SSH_CONFIG is set (tests use it to
//                             point at a throw-away key and known_hosts)
//   -p <ssh_port> -l <user>   from the env, when set
// The remote command is a single string built by the caller; every value
// placed in it must go through ShellQuote (support/shell_quote.h: no
// injection through topology names, paths or flags).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "support/process.h"
#include "support/shell_quote.h"

namespace topoc::deploy {

struct SshSettings {
  std::string user;              // empty: ssh's default
  std::optional<int> port;       // unset: ssh's default
  std::string config_file;       // -F; default $TOPOC_SSH_CONFIG
  int connect_timeout_secs = 10;
  bool verbose = false;          // print each ssh command line to stderr
  int pool_size = 0;             // RunOnWorkers: at most this many ssh at once (0: all)

  static SshSettings FromEnv(const config::EnvConfig& env);
};

// argv for `ssh ... host -- remote_command` (extra options go before host).
std::vector<std::string> SshArgv(const SshSettings& s, const std::string& host, const std::string& remote_command,
                                 const std::vector<std::string>& extra_options = {});

// Runs the sh script `remote_command` on host (as `sh -c '<script>'`, so the
// user's login shell does not matter); output captured unless
// options.capture is false.
support::ProcessResult RunSsh(const SshSettings& s, const std::string& host, const std::string& remote_command,
                     support::RunOptions options = {});

struct WorkerResult {
  std::string host;
  support::ProcessResult result;
  double seconds = 0;
};

// Runs `command_for(host)` on every host at once (one ssh each, one thread
// each; at most s.pool_size at a time when it is set) and returns the results in `hosts` order. `on_done` is called (from
// the worker's thread, serialised by a mutex) as each one finishes, for
// progress lines.
std::vector<WorkerResult> RunOnWorkers(const SshSettings& s, const std::vector<std::string>& hosts,
                                       const std::function<std::string(const std::string& host)>& command_for,
                                       const support::RunOptions& options,
                                       const std::function<void(const WorkerResult&)>& on_done = {});

// The remote sh script that makes <virtualenv_root>/<topology> (virtualenv
// when the worker has it, else python3 -m venv; with virtualenv_flags) if it
// has no bin/python yet, then pip-installs the requirements it reads from
// stdin with pip_flags. Everything variable is quoted. Runs under
// `flock <venv>.topoc-lock` where the worker has flock, so workers sharing
// the folder do not build it at the same time. `overwrite` deletes the
// virtualenv first (a fresh one is built).
std::string VirtualenvScript(const config::EnvConfig& env, std::string_view topology, bool overwrite = false);

// Remote commands for `topoc tail` and `topoc remove-logs`: the files
// <log.path>/streamparse_<topology>_*.log (topology empty: every topology)
// whose name matches the extended regex `file_pattern` (sparse's --pattern;
// empty: all). `grep` (grep -E) filters tail's lines; follow = tail -F.
std::string TailScript(std::string_view log_path, std::string_view topology, bool follow, int lines,
                       std::string_view file_pattern, std::string_view grep);
std::string RemoveLogsScript(std::string_view log_path, std::string_view topology, std::string_view file_pattern);

// Forwards 127.0.0.1:<local port> to <remote_host>:<remote_port> as seen from
// `via` (ssh -N -L). Start waits until the local port accepts connections.
class SshTunnel {
 public:
  bool Start(const SshSettings& s, const std::string& via, const std::string& remote_host, int remote_port,
             std::chrono::milliseconds timeout, std::string* error);
  int local_port() const { return local_port_; }
  void Stop() { process_.Stop(); }

 private:
  support::BackgroundProcess process_;
  int local_port_ = 0;
};

// A free TCP port on 127.0.0.1 (bind to port 0, read it back, close).
int FreeLocalPort();

}  // namespace topoc::deploy
