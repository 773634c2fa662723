// One child process with its stdin, stdout and stderr as non-blocking pipes
// (POSIX). Each child leads its own process group, so killing the group
// also ends whatever it started, and gets PR_SET_PDEATHSIG(SIGKILL), so it
// dies with topoc even when topoc is killed with SIGKILL.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace topoc::runtime {

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

// Human text for a wait status: "exit code 1", "killed by signal 9 (Killed)".
std::string DescribeWaitStatus(int status);

}  // namespace topoc::runtime
