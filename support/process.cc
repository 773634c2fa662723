#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>

extern char** environ;

namespace topoc::support {

namespace fs = std::filesystem;

namespace {

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// What the child gets. The fds are the parent's; the child dup2s them.
struct ExecRequest {
  const std::vector<std::string>* argv = nullptr;
  std::string cwd;                                       // empty: inherit
  std::vector<std::pair<std::string, std::string>> env;  // set/override, last wins
  int stdin_fd = -1;   // -1: /dev/null
  int stdout_fd = -1;  // -1: inherit
  int stderr_fd = -1;  // -1: inherit
  bool new_group = false;
  bool die_with_parent = false;
};

// Why ForkExec returned no child: the failing step and its errno.
struct ExecFailure {
  enum Step { kNone, kPipe, kFork, kChdir, kExec } step = kNone;
  int err = 0;
  std::string Describe() const {
    return std::string(step == kPipe ? "pipe: " : "fork: ") + std::strerror(err);
  }
};

// The parent's environment with `extra` set on top: built before fork, so the
// child only swaps `environ`.
std::vector<std::string> BuildEnv(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> overrides;
  for (const auto& [k, v] : extra) overrides[k] = v;
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    std::string key(kv.substr(0, kv.find('=')));
    if (!overrides.count(key)) out.emplace_back(kv);
  }
  for (const auto& [k, v] : overrides) out.push_back(k + "=" + v);
  return out;
}

// Forks and execs; the child's exec failure comes back through a CLOEXEC
// pipe (closed unread when exec succeeds). Returns the pid, or -1 with
// `failure` set and nothing left running.
pid_t ForkExec(const ExecRequest& req, ExecFailure* failure) {
  // Everything the child needs is prepared before fork: no allocation after.
  std::vector<std::string> env = BuildEnv(req.env);
  std::vector<char*> cargv, cenv;
  for (const auto& a : *req.argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  pid_t parent = getpid();

  int status_pipe[2];
  if (pipe2(status_pipe, O_CLOEXEC) != 0) {
    *failure = {ExecFailure::kPipe, errno};
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    *failure = {ExecFailure::kFork, errno};
    close(status_pipe[0]);
    close(status_pipe[1]);
    return -1;
  }
  if (pid == 0) {
    // Its own process group: a kill of -pid reaches whatever it starts too
    // (a python launcher's interpreter, a shell's pipeline).
    if (req.new_group) setpgid(0, 0);
    if (req.die_with_parent) {
      // If topoc dies (even by SIGKILL) the kernel kills the child: no orphans.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);  // parent already gone
    }
    // Ignored signals and the mask survive exec; the child starts clean.
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int in = req.stdin_fd >= 0 ? req.stdin_fd : open("/dev/null", O_RDONLY | O_CLOEXEC);
    dup2(in, 0);
    if (req.stdout_fd >= 0) dup2(req.stdout_fd, 1);
    if (req.stderr_fd >= 0) dup2(req.stderr_fd, 2);
    // After fork only async-signal-safe calls: the failure goes back as two
    // raw ints on the status pipe.
    auto fail = [&](ExecFailure::Step step) {
      ExecFailure f{step, errno};
      (void)!write(status_pipe[1], &f.step, sizeof f.step);
      (void)!write(status_pipe[1], &f.err, sizeof f.err);
      _exit(127);
    };
    if (!req.cwd.empty() && chdir(req.cwd.c_str()) != 0) fail(ExecFailure::kChdir);
    // execvp searches PATH in the environment it is given: set it first.
    environ = cenv.data();
    execvp(cargv[0], cargv.data());
    fail(ExecFailure::kExec);
  }
  if (req.new_group) setpgid(pid, pid);  // also from the parent, so a kill right away reaches the group
  close(status_pipe[1]);
  ExecFailure f;
  ssize_t n;
  // EOF (exec closed the CLOEXEC pipe) means the command runs; bytes mean
  // it never did, and the child is reaped here.
  do {
    n = read(status_pipe[0], &f.step, sizeof f.step);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof f.step) {
    while (read(status_pipe[0], &f.err, sizeof f.err) < 0 && errno == EINTR) {
    }
  }
  close(status_pipe[0]);
  if (n == sizeof f.step) {
    int status;
    waitpid(pid, &status, 0);
    *failure = f;
    return -1;
  }
  return pid;
}

}  // namespace

bool Spawn(const SpawnSpec& spec, Child* child, std::string* error) {
  if (spec.argv.empty()) {
    *error = "empty command";
    return false;
  }
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    close(in[0]);
    close(in[1]);
    return false;
  }
  ExecRequest req;
  req.argv = &spec.argv;
  req.cwd = spec.cwd.string();
  req.env = spec.env;
  req.stdin_fd = in[0];
  req.stdout_fd = out[1];
  req.stderr_fd = err[1];
  req.new_group = true;
  req.die_with_parent = true;
  ExecFailure failure;
  pid_t pid = ForkExec(req, &failure);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    if (failure.step == ExecFailure::kChdir || failure.step == ExecFailure::kExec) {
      *error = std::string(failure.step == ExecFailure::kChdir ? "cannot enter the working folder"
                                                               : "cannot run the command") +
               ": " + std::strerror(failure.err) + " ('" + spec.argv[0] + "'" +
               (req.cwd.empty() ? "" : " in " + req.cwd) + ")";
    } else {
      *error = failure.Describe();
    }
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return false;
  }
  // Our ends are non-blocking: the runner's poll loop never waits on one child.
  for (int fd : {in[1], out[0], err[0]}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  child->pid = pid;
  child->stdin_fd = in[1];
  child->stdout_fd = out[0];
  child->stderr_fd = err[0];
  return true;
}

int KillAndReap(Child* child) {
  int status = 0;
  CloseFd(child->stdin_fd);
  if (child->pid > 0) {
    // The group first (what the child started), then the child in case it
    // left the group.
    kill(-child->pid, SIGKILL);
    kill(child->pid, SIGKILL);
    while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {
    }
    child->pid = -1;
  }
  return status;
}

void CloseChild(Child* child) {
  if (child->pid > 0) KillAndReap(child);
  CloseFd(child->stdin_fd);
  CloseFd(child->stdout_fd);
  CloseFd(child->stderr_fd);
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "status " + std::to_string(status);
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  // As a shell reports it.
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

namespace {

// RunProcess's and BackgroundProcess's start: stdout and stderr both to
// `out_fd` (inherited when -1). Returns -1 with `error` when it cannot start.
pid_t StartProcess(const std::vector<std::string>& argv, const RunOptions& opt, int in_fd, int out_fd,
                   bool new_group, std::string* error) {
  if (argv.empty()) {
    *error = "empty command";
    return -1;
  }
  ExecRequest req;
  req.argv = &argv;
  req.cwd = opt.cwd ? opt.cwd->string() : std::string();
  req.env.assign(opt.env.begin(), opt.env.end());
  req.stdin_fd = in_fd;
  req.stdout_fd = out_fd;
  req.stderr_fd = out_fd;
  req.new_group = new_group;
  ExecFailure failure;
  pid_t pid = ForkExec(req, &failure);
  if (pid < 0) {
    if (failure.step == ExecFailure::kChdir || failure.step == ExecFailure::kExec) {
      *error = "cannot run '" + argv[0] + "'" + (req.cwd.empty() ? "" : " in " + req.cwd) + ": " +
               std::strerror(failure.err);
    } else {
      *error = failure.Describe();
    }
  }
  return pid;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const RunOptions& options) {
  ProcessResult r;
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1};
  if (options.stdin_data && pipe2(in_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  // One pipe for stdout and stderr together: the caller shows what the
  // command said, in the order it said it.
  if (options.capture && pipe2(out_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    if (in_pipe[0] >= 0) close(in_pipe[0]), close(in_pipe[1]);
    return r;
  }
  // Without capture the child shares our terminal (Ctrl-C reaches it), so it
  // stays in our process group; with capture it gets its own, for timeouts.
  pid_t pid = StartProcess(argv, options, in_pipe[0], out_pipe[1], options.capture, &r.error);
  if (in_pipe[0] >= 0) close(in_pipe[0]);
  if (out_pipe[1] >= 0) close(out_pipe[1]);
  if (pid < 0) {
    if (in_pipe[1] >= 0) close(in_pipe[1]);
    if (out_pipe[0] >= 0) close(out_pipe[0]);
    return r;
  }
  r.started = true;

  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool has_deadline = options.timeout.count() > 0;
  int in_fd = in_pipe[1], out_fd = out_pipe[0];
  size_t in_off = 0;
  const std::string empty;
  const std::string& in_data = options.stdin_data ? *options.stdin_data : empty;
  // Non-blocking: a write takes what the pipe has room for, never stalls the
  // loop.
  if (in_fd >= 0) fcntl(in_fd, F_SETFL, O_NONBLOCK);
  if (in_fd >= 0 && in_data.empty()) close(in_fd), in_fd = -1;
  bool child_done = false;
  int status = 0;

  // stdin is fed and the output drained in one poll loop: a child that writes
  // much before reading all its input would otherwise deadlock with us.
  while (in_fd >= 0 || out_fd >= 0 || !child_done) {
    int wait_ms = 100;
    if (has_deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        r.timed_out = true;
        // Captured children have their own group: kill all of it.
        kill(options.capture ? -pid : pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(std::min<long long>(left.count(), 100));
    }
    // Both pipes closed: only the exit is left to wait for (polling, so the
    // deadline still holds).
    if (in_fd < 0 && out_fd < 0) {
      pid_t w = waitpid(pid, &status, WNOHANG);
      if (w == pid) {
        child_done = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(wait_ms, 20)));
      continue;
    }
    pollfd fds[2];
    int nfds = 0;
    if (out_fd >= 0) fds[nfds++] = {out_fd, POLLIN, 0};
    if (in_fd >= 0) fds[nfds++] = {in_fd, POLLOUT, 0};
    int pr = poll(fds, nfds, wait_ms);
    if (pr < 0 && errno != EINTR) break;
    for (int i = 0; i < nfds && pr > 0; ++i) {
      if (fds[i].fd == out_fd && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        char buf[8192];
        ssize_t n = read(out_fd, buf, sizeof buf);
        if (n > 0) {
          r.output.append(buf, static_cast<size_t>(n));
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          close(out_fd);
          out_fd = -1;
        }
      } else if (fds[i].fd == in_fd && (fds[i].revents & (POLLOUT | POLLHUP | POLLERR))) {
        ssize_t n = write(in_fd, in_data.data() + in_off, in_data.size() - in_off);
        if (n > 0) in_off += static_cast<size_t>(n);
        if ((n < 0 && errno != EAGAIN && errno != EINTR) || in_off >= in_data.size()) {
          close(in_fd);
          in_fd = -1;
        }
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  if (out_fd >= 0) close(out_fd);
  if (!child_done) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  r.wait_status = status;
  r.exit_code = ExitCodeOf(status);
  return r;
}

BackgroundProcess::~BackgroundProcess() { Stop(); }

bool BackgroundProcess::Start(const std::vector<std::string>& argv, std::string* error) {
  // Output goes to a file, not a pipe: nobody reads it while the process runs
  // (an ssh tunnel), and a full pipe would block it.
  char tmpl[] = "/tmp/topoc-bg-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) {
    *error = std::string("mkstemp: ") + std::strerror(errno);
    return false;
  }
  log_ = tmpl;
  pid_ = StartProcess(argv, RunOptions(), -1, fd, true, error);
  close(fd);
  return pid_ > 0;
}

bool BackgroundProcess::Running() {
  if (pid_ <= 0) return false;
  int status;
  pid_t w = waitpid(pid_, &status, WNOHANG);
  if (w == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::string BackgroundProcess::Output() const {
  std::ifstream in(log_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void BackgroundProcess::Stop() {
  if (pid_ > 0) {
    // SIGTERM first, up to a second to exit, then SIGKILL.
    kill(-pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (pid_ > 0) {
      kill(-pid_, SIGKILL);
      int status;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
  if (!log_.empty()) {
    std::error_code ec;
    fs::remove(log_, ec);
    log_.clear();
  }
}

}  // namespace topoc::support
