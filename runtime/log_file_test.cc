#include "runtime/log_file.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace topoc::runtime {

namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("log file: rotates past max_bytes, keeping backup_count numbered files") {
  char tmpl[] = "/tmp/topoc_log_file_XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  fs::path path = dir / "t.log";
  {
    LogFile log;
    REQUIRE(log.Open(path, 20, 2));
    for (int i = 0; i < 5; ++i) log.Write("line " + std::to_string(i) + " 0123456\n");  // 15 bytes each
  }
  // Each write would pass 20 bytes with the one before: one line per file.
  CHECK(Slurp(path) == "line 4 0123456\n");
  CHECK(Slurp(dir / "t.log.1") == "line 3 0123456\n");
  CHECK(Slurp(dir / "t.log.2") == "line 2 0123456\n");
  CHECK(!fs::exists(dir / "t.log.3"));
  {
    LogFile log;  // reopening counts what is there
    REQUIRE(log.Open(path, 20, 2));
    log.Write("more 0123456789\n");
  }
  CHECK(Slurp(path) == "more 0123456789\n");
  CHECK(Slurp(dir / "t.log.1") == "line 4 0123456\n");
  {
    LogFile log;  // no backups: the file starts over
    REQUIRE(log.Open(dir / "u.log", 10, 0));
    log.Write("aaaaaaaa\n");
    log.Write("bbbbbbbb\n");
  }
  CHECK(Slurp(dir / "u.log") == "bbbbbbbb\n");
  CHECK(!fs::exists(dir / "u.log.1"));
  {
    LogFile log;  // no cap
    REQUIRE(log.Open(dir / "v.log", 0, 3));
    for (int i = 0; i < 100; ++i) log.Write("xxxxxxxxx\n");
  }
  CHECK(fs::file_size(dir / "v.log") == 1000);
  CHECK(!fs::exists(dir / "v.log.1"));
  LogFile bad;
  CHECK(!bad.Open(dir / "missing" / "x.log"));
  bad.Write("dropped");
  fs::remove_all(dir);
}

}  // namespace topoc::runtime
