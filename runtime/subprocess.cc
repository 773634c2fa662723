#include "runtime/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace topoc::runtime {

namespace {

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

bool Spawn(const SpawnSpec& spec, Child* child, std::string* error) {
  if (spec.argv.empty()) {
    *error = "empty command";
    return false;
  }
  int in[2], out[2], err[2], status_pipe[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(status_pipe, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    close(in[0]);
    close(in[1]);
    return false;
  }
  // Everything the child needs, prepared before fork (no allocation after).
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::string cwd = spec.cwd.string();
  pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], status_pipe[0], status_pipe[1]}) close(fd);
    return false;
  }
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // parent already gone
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    auto fail = [&](const char* what) {
      int e = errno;
      char msg[256];
      int n = snprintf(msg, sizeof msg, "%s: %s", what, strerror(e));
      if (n > 0) (void)!write(status_pipe[1], msg, static_cast<size_t>(n));
      _exit(127);
    };
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) fail("cannot enter the working folder");
    for (const auto& [k, v] : spec.env) setenv(k.c_str(), v.c_str(), 1);
    execvp(argv[0], argv.data());
    fail("cannot run the command");
  }
  setpgid(pid, pid);  // also from the parent, so a kill right away reaches the group
  close(in[0]);
  close(out[1]);
  close(err[1]);
  close(status_pipe[1]);
  char buf[256];
  ssize_t n;
  do {
    n = read(status_pipe[0], buf, sizeof buf - 1);
  } while (n < 0 && errno == EINTR);
  close(status_pipe[0]);
  if (n > 0) {
    buf[n] = 0;
    *error = std::string(buf) + " ('" + spec.argv[0] + "'" + (cwd.empty() ? "" : " in " + cwd) + ")";
    int status;
    waitpid(pid, &status, 0);
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return false;
  }
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

}  // namespace topoc::runtime
