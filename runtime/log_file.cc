#include "runtime/log_file.h"

#include <string>
#include <system_error>

namespace topoc::runtime {

bool LogFile::Open(const std::filesystem::path& path, int64_t max_bytes, int backup_count) {
  Close();
  path_ = path;
  max_bytes_ = max_bytes > 0 ? max_bytes : 0;
  backups_ = backup_count > 0 ? backup_count : 0;
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) return false;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  size_ = ec ? 0 : static_cast<int64_t>(size);
  return true;
}

void LogFile::Write(std::string_view text) {
  if (!file_) return;
  if (max_bytes_ > 0 && size_ > 0 && size_ + static_cast<int64_t>(text.size()) > max_bytes_) Rotate();
  if (!file_) return;
  std::fwrite(text.data(), 1, text.size(), file_);
  size_ += static_cast<int64_t>(text.size());
}

void LogFile::Flush() {
  if (file_) std::fflush(file_);
}

void LogFile::Close() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

void LogFile::Rotate() {
  std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  if (backups_ > 0) {
    auto numbered = [&](int i) { return std::filesystem::path(path_.string() + "." + std::to_string(i)); };
    std::filesystem::remove(numbered(backups_), ec);
    for (int i = backups_ - 1; i >= 1; --i) {
      if (std::filesystem::exists(numbered(i), ec)) std::filesystem::rename(numbered(i), numbered(i + 1), ec);
    }
    std::filesystem::rename(path_, numbered(1), ec);
    file_ = std::fopen(path_.c_str(), "a");
  } else {
    file_ = std::fopen(path_.c_str(), "w");  // no backups: start over
  }
  size_ = 0;
}

}  // namespace topoc::runtime
