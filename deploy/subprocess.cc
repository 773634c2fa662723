#include "deploy/subprocess.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace topoc::deploy {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> BuildEnv(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    std::string key(kv.substr(0, eq));
    if (!extra.count(key)) out.emplace_back(kv);
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Forks and execs. In the child: stdin from `in_fd` (or /dev/null when -1),
// stdout/stderr to `out_fd` (inherited when -1). Returns -1 with `error` on
// failure to fork or exec.
pid_t Spawn(const std::vector<std::string>& argv, const RunOptions& opt, int in_fd, int out_fd,
            bool new_group, std::string* error) {
  if (argv.empty()) {
    *error = "empty command";
    return -1;
  }
  std::vector<std::string> env = BuildEnv(opt.env);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  std::string cwd = opt.cwd ? opt.cwd->string() : std::string();

  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    close(errpipe[0]);
    close(errpipe[1]);
    return -1;
  }
  if (pid == 0) {
    if (new_group) setpgid(0, 0);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(in_fd >= 0 ? in_fd : devnull, 0);
    if (out_fd >= 0) {
      dup2(out_fd, 1);
      dup2(out_fd, 2);
    }
    signal(SIGPIPE, SIG_DFL);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
      int e = errno;
      (void)!write(errpipe[1], &e, sizeof e);
      _exit(127);
    }
    environ = cenv.data();
    execvp(cargv[0], cargv.data());
    int e = errno;
    (void)!write(errpipe[1], &e, sizeof e);
    _exit(127);
  }
  close(errpipe[1]);
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(errpipe[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close(errpipe[0]);
  if (n == sizeof child_errno) {
    int status;
    waitpid(pid, &status, 0);
    *error = (!cwd.empty() ? "cannot run '" + argv[0] + "' in " + cwd : "cannot run '" + argv[0] + "'") +
             ": " + std::strerror(child_errno);
    return -1;
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
  if (options.capture && pipe2(out_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    if (in_pipe[0] >= 0) close(in_pipe[0]), close(in_pipe[1]);
    return r;
  }
  // Without capture the child shares our terminal (Ctrl-C reaches it), so it
  // stays in our process group; with capture it gets its own, for timeouts.
  pid_t pid = Spawn(argv, options, in_pipe[0], out_pipe[1], options.capture, &r.error);
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
  if (in_fd >= 0) fcntl(in_fd, F_SETFL, O_NONBLOCK);
  if (in_fd >= 0 && in_data.empty()) close(in_fd), in_fd = -1;
  bool child_done = false;
  int status = 0;

  while (in_fd >= 0 || out_fd >= 0 || !child_done) {
    int wait_ms = 100;
    if (has_deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        r.timed_out = true;
        kill(options.capture ? -pid : pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(std::min<long long>(left.count(), 100));
    }
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
  r.exit_code = DecodeStatus(status);
  return r;
}

BackgroundProcess::~BackgroundProcess() { Stop(); }

bool BackgroundProcess::Start(const std::vector<std::string>& argv, std::string* error) {
  char tmpl[] = "/tmp/topoc-bg-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) {
    *error = std::string("mkstemp: ") + std::strerror(errno);
    return false;
  }
  log_ = tmpl;
  RunOptions opt;
  pid_ = Spawn(argv, opt, -1, fd, true, error);
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

TempDir::TempDir(std::string_view prefix) {
  std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (mkdtemp(tmpl.data())) path_ = tmpl;
}

TempDir::~TempDir() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

}  // namespace topoc::deploy
