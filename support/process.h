// Child processes (POSIX fork/exec), the one place topoc starts them.
//
// Two shapes over one fork/exec:
// - Spawn: a long-lived child with its stdin, stdout and stderr as
//   non-blocking pipes (`topoc run`'s tasks). It leads its own process group,
//   so killing the group also ends whatever it started, and gets
//   PR_SET_PDEATHSIG(SIGKILL), so it dies with topoc even when topoc is
//   killed with SIGKILL.
// - RunProcess: run to completion, optionally feeding stdin, capturing
//   output and timing out (ssh, hook scripts, python3, Graphviz); and
//   BackgroundProcess, a child left running (an `ssh -N -L` tunnel).
//
// Nothing goes through a shell: argv is passed as is (argv[0] is looked up
// on PATH). Callers that build a shell command quote with ShellQuote
// (support/shell_quote.h).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace topoc::support {

// ---- A long-lived child with pipes ----

struct SpawnSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH
  std::filesystem::path cwd;      // empty: inherit
  std::vector<std::pair<std::string, std::string>> env;  // set/override
};

struct Child {
  pid_t pid = -1;
  int stdin_fd = -1;   // we write; O_NONBLOCK, O_CLOEXEC
  int stdout_fd = -1;  // we read; O_NONBLOCK, O_CLOEXEC
  int stderr_fd = -1;  // we read; O_NONBLOCK, O_CLOEXEC
};

// Starts the child. On failure (no such program, cwd missing, ...) returns
// false with `error` naming the cause; nothing is left running.
bool Spawn(const SpawnSpec& spec, Child* child, std::string* error);

// SIGKILLs the child's process group, waits for the child, closes stdin.
// Returns the wait status (as from waitpid). stdout/stderr stay open so
// what the child wrote can still be read; CloseChild closes them.
int KillAndReap(Child* child);

// Closes any fds still open and resets the struct.
void CloseChild(Child* child);

// ---- Exit status ----

// Human text for a wait status: "exit code 1", "killed by signal 9 (Killed)".
std::string DescribeWaitStatus(int status);

// A wait status as a shell shows it: the exit status, or 128+N when killed
// by signal N; -1 otherwise.
int ExitCodeOf(int status);

// ---- Run to completion ----

struct RunOptions {
  // Written to the child's stdin, which is then closed. Unset: /dev/null.
  std::optional<std::string> stdin_data;
  // Working directory of the child (unset: ours).
  std::optional<std::filesystem::path> cwd;
  // Added to (or replacing entries of) our environment.
  std::map<std::string, std::string> env;
  // Kill the child (SIGKILL to its process group) after this long; 0 = never.
  std::chrono::milliseconds timeout{0};
  // true: stdout and stderr are merged and captured into ProcessResult.output.
  // false: the child writes to our stdout/stderr directly.
  bool capture = true;
};

struct ProcessResult {
  bool started = false;   // false: fork/exec failed, `error` says why
  int exit_code = -1;     // ExitCodeOf(wait_status)
  int wait_status = 0;    // as from waitpid
  bool timed_out = false;
  std::string output;     // merged stdout+stderr when captured
  std::string error;      // why it did not start
  bool ok() const { return started && !timed_out && exit_code == 0; }
};

// Runs argv and waits for it. Never throws.
ProcessResult RunProcess(const std::vector<std::string>& argv, const RunOptions& options = {});

// A child left running in the background. Its stdout/stderr go to a temp
// file readable with Output(). The destructor kills it (SIGTERM, then
// SIGKILL) and reaps it.
class BackgroundProcess {
 public:
  BackgroundProcess() = default;
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Returns false with `error` when it cannot start.
  bool Start(const std::vector<std::string>& argv, std::string* error);
  // True while the child has not exited (reaps it when it has).
  bool Running();
  // What it printed so far.
  std::string Output() const;
  void Stop();

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

}  // namespace topoc::support
