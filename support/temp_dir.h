// A temporary directory removed (recursively) by the destructor.
#pragma once

#include <filesystem>
#include <string_view>

namespace topoc::support {

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

}  // namespace topoc::support
