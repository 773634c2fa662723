// Child processes for `topoc submit` and the cluster commands: the system
// `ssh`, hook scripts, `python3`. POSIX only (fork/exec).
//
// Nothing here goes through a shell: argv is passed as is. Callers that
// build a remote shell command (ssh) quote each argument with ShellQuote
// (deploy/ssh.h).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace topoc::deploy {

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
  int exit_code = -1;     // exit status; 128+N when killed by signal N
  bool timed_out = false;
  std::string output;     // merged stdout+stderr when captured
  std::string error;      // why it did not start
  bool ok() const { return started && !timed_out && exit_code == 0; }
};

// Runs argv[0] (looked up on PATH) and waits for it. Never throws.
ProcessResult RunProcess(const std::vector<std::string>& argv, const RunOptions& options = {});

// A child left running in the background (an `ssh -N -L` tunnel). Its
// stdout/stderr go to a temp file readable with Output(). The destructor
// kills it (SIGTERM, then SIGKILL) and reaps it.
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

// Temporary directory removed (recursively) by the destructor.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "topoc");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace topoc::deploy
