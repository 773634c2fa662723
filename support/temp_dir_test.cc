#include "support/temp_dir.h"

#include <doctest/doctest.h>

#include <fstream>

using topoc::support::TempDir;

TEST_CASE("TempDir: created with the prefix, removed with what it holds") {
  std::filesystem::path path;
  {
    TempDir dir("topoc-temp-dir-test");
    path = dir.path();
    REQUIRE(std::filesystem::is_directory(path));
    CHECK(path.filename().string().rfind("topoc-temp-dir-test-", 0) == 0);
    std::filesystem::create_directories(path / "a" / "b");
    std::ofstream(path / "a" / "b" / "f") << "x";
  }
  CHECK_FALSE(std::filesystem::exists(path));
}
