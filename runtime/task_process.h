// One task's process: its pipes and their buffers, its log file, its start
// and its death. Knows nothing of tuples or groupings; the cluster decides
// what to send and what a message means.
//
// Output to the child is queued (Send / Append) and written by Flush without
// blocking; the bytes queued over all tasks are summed in a counter shared
// by the cluster (spout back-pressure), and the tuples not yet taken by the
// pipe are counted per task (topology.shellbolt.max.pending, load). A
// MessagePack task's JSON messages (Send, Append) are transcoded as they are
// queued; AppendWire takes them already in the task's format.
#pragma once

#include <cstdio>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>

#include "runtime/log_file.h"
#include "runtime/multilang.h"
#include "support/process.h"

namespace topoc::runtime {

// The cluster reads a task's pid and pipes through child().
using support::Child;

class TaskProcess {
 public:
  enum class State { kDown, kHandshake, kRunning };

  // `buffered`: the cluster's count of bytes queued to all children.
  // `console`/`echo`: --debug echoes stderr and log messages there.
  TaskProcess(int task, std::string comp_id, bool msgpack, size_t* buffered, FILE* console, bool echo);
  ~TaskProcess();
  TaskProcess(const TaskProcess&) = delete;
  TaskProcess& operator=(const TaskProcess&) = delete;

  int task() const { return task_; }
  const std::string& comp_id() const { return comp_id_; }
  State state() const { return state_; }
  void set_running() { state_ = State::kRunning; }
  // Bumped on every start and death: a caller holding an older value knows
  // the process it was talking to is gone.
  uint64_t generation() const { return generation_; }
  const Child& child() const { return child_; }

  // Appends to `path` (opened once, kept across restarts), rotated past
  // max_bytes (log_file.h).
  void OpenLog(const std::filesystem::path& path, int64_t max_bytes = kDefaultLogMaxBytes,
               int backup_count = kDefaultLogBackups);

  // Starts the process (state kHandshake) with empty buffers. False with
  // `error` when it could not be started (state stays kDown).
  bool Start(const support::SpawnSpec& spec, double now, std::string* error);

  // Queues whole JSON messages.
  void Send(std::string_view messages) {
    Append([&](std::string* out) { out->append(messages); });
  }
  // Queues the whole JSON messages that fn(std::string*) appends; a tuple
  // (`tuple` true) is counted in queued_tuples() until the pipe takes it.
  template <typename Fn>
  void Append(Fn&& fn, bool tuple = false) {
    size_t before = out_.size();
    if (msgpack_) {
      json_scratch_.clear();
      fn(&json_scratch_);
      Transcode();
    } else {
      fn(&out_);
    }
    *buffered_ += out_.size() - before;
    if (tuple) tuple_ends_.push_back(erased_ + out_.size());
  }
  // Queues the messages fn(std::string* out, bool msgpack) appends in the
  // task's own wire format: MessagePack when `msgpack`, else JSON text (no
  // transcoding). fn returns false when a message could not be encoded
  // (what it appended is dropped and Flush reports the error).
  template <typename Fn>
  void AppendWire(Fn&& fn, bool tuple = false) {
    size_t before = out_.size();
    if (!fn(&out_, msgpack_)) {
      out_.resize(before);
      encode_failed_ = true;
      return;
    }
    *buffered_ += out_.size() - before;
    if (tuple) tuple_ends_.push_back(erased_ + out_.size());
  }
  bool msgpack() const { return msgpack_; }
  bool HasOutput() const { return out_off_ < out_.size(); }
  // Tuples queued and not yet written to the pipe.
  size_t queued_tuples() const { return tuple_ends_.size(); }
  // Writes what the pipe takes now. False with `error` when the process
  // must die (broken pipe, a message that cannot be transcoded).
  bool Flush(std::string* error);

  // Reads what is there (up to 1 MiB) into reader(). *eof: the pipe closed.
  void ReadStdout(double now, bool* eof);
  MessageReader& reader() { return reader_; }
  double last_heard() const { return last_heard_; }
  double started_at() const { return started_at_; }
  // Reads stderr into the log (and the last lines kept for reports).
  void ReadStderr(bool to_eof);

  // Kills the process group and reaps it, reads the rest of its stderr, and
  // returns "component 'C' task N (pid P): <reason> [exit status]" followed by
  // the last lines of its stderr. Reset() must follow.
  std::string Kill(std::string_view reason);
  // Forgets the dead process: pipes closed, buffers dropped, state kDown.
  void Reset();

  // Writes what the log holds in its buffer to the file (the live view
  // shows its tail).
  void FlushLog() { log_.Flush(); }
  // Writes "---- topoc: <text>" to the log.
  void Note(std::string_view text);
  // A multilang `log` command (echoed with --debug unless `echo` is false).
  void ShellLog(std::string_view level, std::string_view msg, bool echo = true);

  // Shutdown: EOF on stdin (after writing what is queued, if it goes).
  void CloseStdin();
  // Whether the process is still running (reaps it if not).
  bool Alive();
  // Kills, reaps, reads the rest of stderr, closes pipes and the log.
  void Stop();

 private:
  void StderrLine(std::string_view line);
  void DropOutput();
  void Transcode();  // json_scratch_ -> MessagePack at the end of out_

  int task_;
  std::string comp_id_;
  size_t* buffered_;
  FILE* console_;
  bool echo_;
  bool msgpack_;
  Child child_;
  State state_ = State::kDown;
  uint64_t generation_ = 0;
  std::string out_;
  size_t out_off_ = 0;          // written up to here
  uint64_t erased_ = 0;         // bytes dropped from out_'s front so far
  std::deque<uint64_t> tuple_ends_;  // erased_-based end offsets of queued tuples
  std::string json_scratch_;    // msgpack: messages before transcoding
  bool encode_failed_ = false;
  MessageReader reader_;
  std::string err_partial_;  // partial stderr line
  std::deque<std::string> err_lines_;
  LogFile log_;
  double started_at_ = 0;
  double last_heard_ = 0;
  std::string argv_tail_;
};

}  // namespace topoc::runtime
