#include "deploy/ssh.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

namespace topoc::deploy {

using support::ShellQuote;

namespace {
// For -v output: bare words stay bare.
std::string QuoteForDisplay(std::string_view s) {
  bool plain = !s.empty();
  for (unsigned char c : s)
    if (!(std::isalnum(c) || std::string_view("_@%+=:,./-").find(static_cast<char>(c)) != std::string_view::npos)) plain = false;
  return plain ? std::string(s) : ShellQuote(s);
}
}  // namespace

SshSettings SshSettings::FromEnv(const config::EnvConfig& env) {
  SshSettings s;
  s.user = env.user;
  s.port = env.ssh_port;
  // Tests point ssh at their own sshd's client config (tests/deploy/).
  if (const char* f = std::getenv("TOPOC_SSH_CONFIG"); f && *f) s.config_file = f;
  return s;
}

std::vector<std::string> SshArgv(const SshSettings& s, const std::string& host, const std::string& remote_command,
                                 const std::vector<std::string>& extra_options) {
  std::vector<std::string> argv = {"ssh"};
  if (!s.config_file.empty()) argv.insert(argv.end(), {"-F", s.config_file});
  // BatchMode: never ask for a password or a host key; a worker that would
  // ask fails (exit 255) instead of hanging the command.
  argv.insert(argv.end(), {"-o", "BatchMode=yes", "-o", fmt::format("ConnectTimeout={}", s.connect_timeout_secs)});
  if (s.port) argv.insert(argv.end(), {"-p", std::to_string(*s.port)});
  if (!s.user.empty()) argv.insert(argv.end(), {"-l", s.user});
  argv.insert(argv.end(), extra_options.begin(), extra_options.end());
  // `--`: a host name starting with '-' is not taken for an option.
  argv.push_back("--");
  argv.push_back(host);
  if (!remote_command.empty()) argv.push_back(remote_command);
  return argv;
}

support::ProcessResult RunSsh(const SshSettings& s, const std::string& host, const std::string& remote_command,
                     support::RunOptions options) {
  // The remote login shell may be anything (fish, csh): the script runs under
  // sh, quoted once for the remote side.
  auto argv = SshArgv(s, host, "sh -c " + ShellQuote(remote_command));
  if (s.verbose) {
    std::string line;
    for (const auto& a : argv) line += (line.empty() ? "" : " ") + QuoteForDisplay(a);
    std::fprintf(stderr, "+ %s\n", line.c_str());
  }
  return support::RunProcess(argv, options);
}

std::vector<WorkerResult> RunOnWorkers(const SshSettings& s, const std::vector<std::string>& hosts,
                                       const std::function<std::string(const std::string& host)>& command_for,
                                       const support::RunOptions& options,
                                       const std::function<void(const WorkerResult&)>& on_done) {
  std::vector<WorkerResult> results(hosts.size());
  std::mutex mu;
  size_t next = 0;  // the next host to start, under mu
  // At most `pool` ssh at once (--pool-size): each thread takes the next host
  // until none is left; results keep the hosts' order.
  size_t pool = s.pool_size > 0 ? std::min(hosts.size(), static_cast<size_t>(s.pool_size)) : hosts.size();
  std::vector<std::thread> threads;
  for (size_t t = 0; t < pool; ++t) {
    threads.emplace_back([&] {
      while (true) {
        size_t i;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (next >= hosts.size()) return;
          i = next++;
        }
        auto start = std::chrono::steady_clock::now();
        std::string cmd = command_for(hosts[i]);
        support::ProcessResult r = RunSsh(s, hosts[i], cmd, options);
        WorkerResult w{hosts[i], std::move(r),
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
        std::lock_guard<std::mutex> lock(mu);
        // Under the lock: progress lines from several threads do not interleave.
        if (on_done) on_done(w);
        results[i] = std::move(w);
      }
    });
  }
  for (auto& t : threads) t.join();
  return results;
}

std::string VirtualenvScript(const config::EnvConfig& env, std::string_view topology, bool overwrite) {
  std::string venv = ShellQuote(env.VirtualenvDir(topology));
  std::string flags;
  for (const auto& f : env.virtualenv_flags) flags += " " + ShellQuote(f);
  std::string pip_flags;
  for (const auto& f : env.pip_flags) pip_flags += " " + ShellQuote(f);
  // The requirements arrive on stdin; keep them in a temp file for pip.
  return fmt::format(
      "set -e\n"
      "venv={venv}\n"
      "req=$(mktemp)\n"
      "trap 'rm -f \"$req\"' EXIT\n"
      "cat > \"$req\"\n"
      "mkdir -p \"$(dirname \"$venv\")\"\n"
      "# Workers sharing virtualenv_root (NFS, or one host under two names)\n"
      "# take turns.\n"
      "if command -v flock >/dev/null 2>&1; then exec 9>\"$venv.topoc-lock\" && flock 9; fi\n"
      "{overwrite}"
      "if [ ! -x \"$venv/bin/python\" ]; then\n"
      "  if command -v virtualenv >/dev/null 2>&1; then\n"
      "    echo \"creating $venv with virtualenv\"\n"
      "    virtualenv{flags} \"$venv\"\n"
      "  else\n"
      "    echo \"creating $venv with python3 -m venv\"\n"
      "    python3 -m venv{flags} \"$venv\"\n"
      "  fi\n"
      "fi\n"
      "\"$venv/bin/python\" -m pip install --disable-pip-version-check{pip_flags} -r \"$req\"\n",
      fmt::arg("venv", venv), fmt::arg("flags", flags), fmt::arg("pip_flags", pip_flags),
      fmt::arg("overwrite", overwrite ? "echo \"removing $venv (--overwrite-virtualenv)\"\nrm -rf \"$venv\"\n" : ""));
}

namespace {
std::string LogGlob(std::string_view topology) {
  // The directory part is quoted; the glob stays outside the quotes.
  // streamparse's log names: streamparse_<topology>_<component>_<task>_<pid>.log.
  return topology.empty() ? std::string("streamparse_*.log")
                          : ShellQuote(fmt::format("streamparse_{}_", topology)) + "*.log";
}

// Sets "$@" to the log files (named by the glob, then, with a pattern, only
// those whose name matches it); `none` runs when there are none.
std::string SelectLogs(std::string_view topology, std::string_view file_pattern, const std::string& none) {
  // A glob that matches nothing stays as written: `[ -e "$1" ]` tells.
  std::string s = fmt::format("set -- {}\n[ -e \"$1\" ] || {{ {} }}\n", LogGlob(topology), none);
  if (!file_pattern.empty()) {
    s += fmt::format(
        "for f do shift; if printf '%s\\n' \"$f\" | grep -q -E -- {pat}; then set -- \"$@\" \"$f\"; fi; done\n"
        "[ $# -gt 0 ] || {{ {none} }}\n",
        fmt::arg("pat", ShellQuote(file_pattern)), fmt::arg("none", none));
  }
  return s;
}
}  // namespace

std::string TailScript(std::string_view log_path, std::string_view topology, bool follow, int lines,
                       std::string_view file_pattern, std::string_view grep) {
  std::string what = topology.empty() ? std::string("streamparse_*.log") : fmt::format("streamparse_{}_*.log", topology);
  if (!file_pattern.empty()) what += fmt::format(" matching {}", file_pattern);
  std::string cmd = fmt::format("cd {dir} 2>/dev/null || {{ echo 'no log folder' {dir} >&2; exit 3; }}\n",
                                fmt::arg("dir", ShellQuote(log_path)));
  cmd += SelectLogs(topology, file_pattern,
                    fmt::format("echo 'no log files' {} 'in' {} >&2; exit 4;", ShellQuote(what), ShellQuote(log_path)));
  cmd += fmt::format("tail -n {}{} \"$@\"", lines, follow ? " -F" : "");
  if (!grep.empty()) cmd += " | grep --line-buffered -E -- " + ShellQuote(grep);
  cmd += "\n";
  return cmd;
}

std::string RemoveLogsScript(std::string_view log_path, std::string_view topology, std::string_view file_pattern) {
  return fmt::format("cd {} 2>/dev/null || exit 0\n", ShellQuote(log_path)) +
         SelectLogs(topology, file_pattern, "echo \"removed 0 files\"; exit 0;") +
         "rm -f -- \"$@\"\n"
         "echo \"removed $# files\"\n";
}

int FreeLocalPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

namespace {
bool CanConnect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}
}  // namespace

bool SshTunnel::Start(const SshSettings& s, const std::string& via, const std::string& remote_host, int remote_port,
                      std::chrono::milliseconds timeout, std::string* error) {
  // -L 127.0.0.1:<free port>:<nimbus>:<port> through `via`; the tunnel is
  // ready when the local port accepts a connection (ExitOnForwardFailure makes
  // ssh exit if the forward cannot be set up).
  local_port_ = FreeLocalPort();
  if (local_port_ == 0) {
    *error = "no free local port for the ssh tunnel";
    return false;
  }
  auto argv = SshArgv(s, via, "",
                      {"-N", "-o", "ExitOnForwardFailure=yes", "-L",
                       fmt::format("127.0.0.1:{}:{}:{}", local_port_, remote_host, remote_port)});
  if (s.verbose) {
    std::string line;
    for (const auto& a : argv) line += (line.empty() ? "" : " ") + QuoteForDisplay(a);
    std::fprintf(stderr, "+ %s\n", line.c_str());
  }
  if (!process_.Start(argv, error)) return false;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.Running()) {
      std::string out = process_.Output();
      while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
      *error = fmt::format("ssh tunnel to {} failed: {}", via, out.empty() ? "ssh exited" : out);
      return false;
    }
    if (CanConnect(local_port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *error = fmt::format("ssh tunnel to {} did not open within {} s", via, timeout.count() / 1000);
  process_.Stop();
  return false;
}

}  // namespace topoc::deploy
