#include "support/process.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "support/temp_dir.h"

using namespace topoc::support;

namespace {

// Everything the child writes on `fd` until it closes it (fd is non-blocking).
std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) break;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EAGAIN) {
      break;
    }
  }
  return out;
}

// True once `pid` has exited (gone, or a zombie waiting for its reaper).
bool Exited(pid_t pid) {
  for (int i = 0; i < 250; ++i) {
    FILE* f = fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    if (!f) return true;
    char line[512] = {};
    (void)!fgets(line, sizeof line, f);
    fclose(f);
    std::string s(line);
    auto close_paren = s.rfind(')');
    if (close_paren != std::string::npos && s.size() > close_paren + 2 && s[close_paren + 2] == 'Z') return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST_CASE("Spawn: stdin, stdout and stderr are non-blocking pipes; cwd and env reach the child") {
  TempDir dir("topoc-process-test");
  SpawnSpec spec;
  spec.argv = {"sh", "-c", "read l; echo \"$l $X $(pwd)\"; echo err >&2"};
  spec.cwd = dir.path();
  spec.env = {{"X", "first"}, {"X", "second"}};
  Child child;
  std::string error;
  REQUIRE(Spawn(spec, &child, &error));
  for (int fd : {child.stdin_fd, child.stdout_fd, child.stderr_fd}) {
    CHECK((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  }
  REQUIRE(write(child.stdin_fd, "hi\n", 3) == 3);
  CHECK(ReadAll(child.stdout_fd) == "hi second " + dir.path().string() + "\n");
  CHECK(ReadAll(child.stderr_fd) == "err\n");
  int status;
  REQUIRE(waitpid(child.pid, &status, 0) == child.pid);
  CHECK(DescribeWaitStatus(status) == "exit code 0");
  child.pid = -1;
  CloseChild(&child);
  CHECK(child.stdin_fd == -1);
  CHECK(child.stdout_fd == -1);
}

TEST_CASE("Spawn: the child leads its own process group, and KillAndReap ends the group") {
  SpawnSpec spec;
  spec.argv = {"sh", "-c", "sleep 30 & echo $!; cut -d' ' -f5 /proc/$$/stat; wait"};
  Child child;
  std::string error;
  REQUIRE(Spawn(spec, &child, &error));
  std::string out;
  char buf[256];
  while (std::count(out.begin(), out.end(), '\n') < 2) {
    pollfd p{child.stdout_fd, POLLIN, 0};
    REQUIRE(poll(&p, 1, 5000) == 1);
    ssize_t n = read(child.stdout_fd, buf, sizeof buf);
    REQUIRE(n > 0);
    out.append(buf, static_cast<size_t>(n));
  }
  pid_t grandchild = std::stoi(out);
  CHECK(std::stoi(out.substr(out.find('\n') + 1)) == child.pid);
  int status = KillAndReap(&child);
  CHECK(child.pid == -1);
  CHECK(child.stdin_fd == -1);
  CHECK(child.stdout_fd >= 0);  // still readable until CloseChild
  CHECK(DescribeWaitStatus(status) == "killed by signal 9 (Killed)");
  CHECK(Exited(grandchild));  // the group's SIGKILL reached it too
  CloseChild(&child);
}

TEST_CASE("Spawn: the child dies with its parent (PR_SET_PDEATHSIG)") {
  int pids[2];
  REQUIRE(pipe(pids) == 0);
  pid_t parent = fork();
  if (parent == 0) {
    SpawnSpec spec;
    spec.argv = {"sleep", "30"};
    Child child;
    std::string error;
    pid_t pid = Spawn(spec, &child, &error) ? child.pid : -1;
    (void)!write(pids[1], &pid, sizeof pid);
    _exit(0);  // without killing the child
  }
  close(pids[1]);
  pid_t child = -1;
  REQUIRE(read(pids[0], &child, sizeof child) == sizeof child);
  close(pids[0]);
  REQUIRE(child > 0);
  waitpid(parent, nullptr, 0);
  CHECK(Exited(child));
}

TEST_CASE("Spawn: a missing program or folder is an error naming it, with nothing left running") {
  Child child;
  std::string error;
  SpawnSpec spec;
  CHECK_FALSE(Spawn(spec, &child, &error));
  CHECK(error == "empty command");
  spec.argv = {"/nonexistent/program"};
  CHECK_FALSE(Spawn(spec, &child, &error));
  CHECK(error == "cannot run the command: No such file or directory ('/nonexistent/program')");
  spec.argv = {"true"};
  spec.cwd = "/nonexistent/folder";
  CHECK_FALSE(Spawn(spec, &child, &error));
  CHECK(error == "cannot enter the working folder: No such file or directory ('true' in /nonexistent/folder)");
  CHECK(child.pid == -1);
  CHECK(waitpid(-1, nullptr, WNOHANG) == -1);  // no child to reap
}

TEST_CASE("exit status: one text, and the shell's number") {
  int status;
  pid_t pid = fork();
  if (pid == 0) _exit(3);
  waitpid(pid, &status, 0);
  CHECK(DescribeWaitStatus(status) == "exit code 3");
  CHECK(ExitCodeOf(status) == 3);
  pid = fork();
  if (pid == 0) {
    raise(SIGTERM);
    _exit(0);
  }
  waitpid(pid, &status, 0);
  CHECK(DescribeWaitStatus(status) == "killed by signal 15 (Terminated)");
  CHECK(ExitCodeOf(status) == 128 + SIGTERM);
}

TEST_CASE("RunProcess: exit codes, stdin, timeouts, missing programs") {
  ProcessResult r = RunProcess({"sh", "-c", "cat; exit 3"}, [] { RunOptions o; o.stdin_data = "abc"; return o; }());
  CHECK(r.exit_code == 3);
  CHECK(r.output == "abc");
  RunOptions slow;
  slow.timeout = std::chrono::milliseconds(200);
  r = RunProcess({"sleep", "5"}, slow);
  CHECK(r.timed_out);
  CHECK(r.exit_code == 128 + SIGKILL);
  r = RunProcess({"/nonexistent/program"});
  CHECK_FALSE(r.started);
  CHECK(r.error == "cannot run '/nonexistent/program': No such file or directory");
  RunOptions in_missing;
  in_missing.cwd = "/nonexistent/folder";
  r = RunProcess({"true"}, in_missing);
  CHECK(r.error == "cannot run 'true' in /nonexistent/folder: No such file or directory");
}

TEST_CASE("RunProcess: stdout and stderr merged, env and cwd applied, stdin /dev/null by default") {
  TempDir dir("topoc-process-test");
  RunOptions o;
  o.env["TOPOC_PROCESS_TEST"] = "yes";
  o.cwd = dir.path();
  ProcessResult r = RunProcess({"sh", "-c", "echo $TOPOC_PROCESS_TEST; pwd >&2; cat; echo end"}, o);
  CHECK(r.ok());
  CHECK(r.output == "yes\n" + dir.path().string() + "\nend\n");
  // A large input is written while the output is read: no deadlock.
  RunOptions big;
  big.stdin_data = std::string(1 << 20, 'x');
  r = RunProcess({"cat"}, big);
  CHECK(r.output.size() == (1u << 20));
}

TEST_CASE("BackgroundProcess: runs until stopped; its output is kept in a file") {
  BackgroundProcess p;
  std::string error;
  REQUIRE(p.Start({"sh", "-c", "echo started; exec sleep 30"}, &error));
  CHECK(p.Running());
  for (int i = 0; i < 250 && p.Output().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(p.Output() == "started\n");
  p.Stop();
  CHECK_FALSE(p.Running());
  BackgroundProcess bad;
  CHECK_FALSE(bad.Start({"/nonexistent/program"}, &error));
  CHECK(error == "cannot run '/nonexistent/program': No such file or directory");
}
