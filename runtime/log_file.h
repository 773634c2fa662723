// A size-capped log file, rotated as Python's RotatingFileHandler does (the
// streamparse runtime's logs follow the same config.json settings): once a
// write would take it past max_bytes, <path> becomes <path>.1, <path>.1
// becomes <path>.2, ... up to backup_count files; with backup_count 0 the
// file starts over instead. max_bytes 0: no cap.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace topoc::runtime {

// The caps when config.json's log section gives none (those of the Python
// runtime, stdlib/python/streamparse/log.py).
inline constexpr int64_t kDefaultLogMaxBytes = 1 << 20;
inline constexpr int kDefaultLogBackups = 10;

class LogFile {
 public:
  LogFile() = default;
  ~LogFile() { Close(); }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Opens `path` for appending. False if it cannot be opened (writes are
  // then dropped).
  bool Open(const std::filesystem::path& path, int64_t max_bytes = kDefaultLogMaxBytes,
            int backup_count = kDefaultLogBackups);
  bool is_open() const { return file_ != nullptr; }
  void Write(std::string_view text);
  void Flush();
  void Close();

 private:
  void Rotate();
  std::filesystem::path path_;
  FILE* file_ = nullptr;
  int64_t size_ = 0;
  int64_t max_bytes_ = 0;
  int backups_ = 0;
};

}  // namespace topoc::runtime
