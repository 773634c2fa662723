#include "runtime/task_process.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace topoc::runtime {

TaskProcess::TaskProcess(int task, std::string comp_id, bool msgpack, size_t* buffered, FILE* console, bool echo)
    : task_(task), comp_id_(std::move(comp_id)), buffered_(buffered), console_(console), echo_(echo),
      msgpack_(msgpack) {
  reader_.set_msgpack(msgpack);
}

TaskProcess::~TaskProcess() { support::CloseChild(&child_); }

void TaskProcess::OpenLog(const std::filesystem::path& path, int64_t max_bytes, int backup_count) {
  if (!log_.is_open()) log_.Open(path, max_bytes, backup_count);
}

bool TaskProcess::Start(const support::SpawnSpec& spec, double now, std::string* error) {
  generation_++;
  if (!support::Spawn(spec, &child_, error)) return false;
  state_ = State::kHandshake;
  started_at_ = now;
  last_heard_ = now;
  DropOutput();
  reader_.Clear();
  err_partial_.clear();
  Note("started task " + std::to_string(task_) + " of '" + comp_id_ + "' (pid " + std::to_string(child_.pid) +
       "): " + (spec.argv.empty() ? std::string() : spec.argv.back()));
  return true;
}

void TaskProcess::DropOutput() {
  *buffered_ -= out_.size() - out_off_;
  erased_ += out_.size();
  out_.clear();
  out_off_ = 0;
  tuple_ends_.clear();
  encode_failed_ = false;
}

void TaskProcess::Transcode() {
  size_t before = out_.size();
  if (JsonMessagesToMsgpack(json_scratch_, &out_) != json_scratch_.size()) {
    out_.resize(before);
    encode_failed_ = true;
  }
}

bool TaskProcess::Flush(std::string* error) {
  if (encode_failed_) {
    *error = "internal error: a message to it could not be encoded as MessagePack";
    return false;
  }
  while (child_.stdin_fd >= 0 && out_off_ < out_.size()) {
    ssize_t n = write(child_.stdin_fd, out_.data() + out_off_, out_.size() - out_off_);
    if (n > 0) {
      out_off_ += static_cast<size_t>(n);
      *buffered_ -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    *error = std::string("cannot write to its stdin: ") + std::strerror(errno);
    return false;
  }
  uint64_t written = erased_ + out_off_;
  while (!tuple_ends_.empty() && tuple_ends_.front() <= written) tuple_ends_.pop_front();
  if (out_off_ == out_.size()) {
    erased_ += out_.size();
    out_.clear();
    out_off_ = 0;
  } else if (out_off_ > (1u << 20) && out_off_ * 2 > out_.size()) {
    erased_ += out_off_;
    out_.erase(0, out_off_);
    out_off_ = 0;
  }
  return true;
}

void TaskProcess::ReadStdout(double now, bool* eof) {
  *eof = false;
  size_t total = 0;
  // Read into a fixed buffer and append what came: growing the reader's
  // buffer by 64 KiB per read would zero-fill it each time.
  static char buf[65536];
  while (total < (1u << 20)) {
    ssize_t n = read(child_.stdout_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) *eof = true;
      break;
    }
    reader_.Append(buf, static_cast<size_t>(n));
    total += static_cast<size_t>(n);
    if (n < static_cast<ssize_t>(sizeof buf)) break;
  }
  if (total > 0) last_heard_ = now;
}

void TaskProcess::StderrLine(std::string_view line) {
  log_.Write(std::string(line) + "\n");
  if (echo_) {
    std::fprintf(console_, "[%s:%d stderr] %.*s\n", comp_id_.c_str(), task_, static_cast<int>(line.size()),
                 line.data());
  }
  err_lines_.emplace_back(line.substr(0, 400));
  if (err_lines_.size() > 15) err_lines_.pop_front();
}

void TaskProcess::ReadStderr(bool to_eof) {
  char buf[16384];
  while (child_.stderr_fd >= 0) {
    ssize_t n = read(child_.stderr_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) {
        close(child_.stderr_fd);
        child_.stderr_fd = -1;
      }
      break;
    }
    err_partial_.append(buf, static_cast<size_t>(n));
    size_t start = 0, nl;
    while ((nl = err_partial_.find('\n', start)) != std::string::npos) {
      StderrLine(std::string_view(err_partial_).substr(start, nl - start));
      start = nl + 1;
    }
    err_partial_.erase(0, start);
    if (err_partial_.size() > 65536) {  // a "line" that never ends
      StderrLine(err_partial_);
      err_partial_.clear();
    }
    if (!to_eof && n < static_cast<ssize_t>(sizeof buf)) break;
  }
  log_.Flush();
}

std::string TaskProcess::Kill(std::string_view reason) {
  int pid = child_.pid;
  int status = support::KillAndReap(&child_);
  ReadStderr(true);
  if (!err_partial_.empty()) {
    StderrLine(err_partial_);
    err_partial_.clear();
  }
  std::string text = "component '" + comp_id_ + "' task " + std::to_string(task_) + " (pid " + std::to_string(pid) +
                     "): " + std::string(reason) + " [" + support::DescribeWaitStatus(status) + "]";
  if (!err_lines_.empty()) {
    text += "\n  last lines of its stderr:";
    for (const auto& l : err_lines_) text += "\n    | " + l;
  }
  return text;
}

void TaskProcess::Reset() {
  err_lines_.clear();
  support::CloseChild(&child_);
  DropOutput();
  reader_.Clear();
  generation_++;
  state_ = State::kDown;
}

void TaskProcess::Note(std::string_view text) {
  log_.Write("---- topoc: " + std::string(text) + "\n");
  log_.Flush();
}

void TaskProcess::ShellLog(std::string_view level, std::string_view msg, bool echo) {
  log_.Write("ShellLog " + std::string(level) + " task " + std::to_string(task_) + ": " + std::string(msg) + "\n");
  if (echo_ && echo) {
    std::fprintf(console_, "[%s:%d] %.*s %.*s\n", comp_id_.c_str(), task_, static_cast<int>(level.size()),
                 level.data(), static_cast<int>(msg.size()), msg.data());
  }
}

void TaskProcess::CloseStdin() {
  std::string ignored;
  if (child_.stdin_fd >= 0 && HasOutput()) Flush(&ignored);
  if (child_.stdin_fd >= 0) {
    close(child_.stdin_fd);
    child_.stdin_fd = -1;
  }
}

bool TaskProcess::Alive() {
  if (child_.pid <= 0) return false;
  if (waitpid(child_.pid, nullptr, WNOHANG) == 0) return true;
  child_.pid = -1;  // reaped (or not ours): never signal that pid again
  return false;
}

void TaskProcess::Stop() {
  if (child_.pid > 0) support::KillAndReap(&child_);
  ReadStderr(true);
  support::CloseChild(&child_);
  state_ = State::kDown;
  log_.Close();
}

}  // namespace topoc::runtime
