#include "cli/quickstart_files.h"

#include <doctest/doctest.h>

#include <set>

namespace topoc::cli {
namespace {

const QuickstartFile* Find(const std::vector<QuickstartFile>& files, const std::string& path) {
  for (const QuickstartFile& f : files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

TEST_CASE("project names: Storm topology names that are .topo identifiers") {
  for (const char* good : {"wordcount", "word-count", "_x", "A1", "all", "x_y-z9"}) {
    CAPTURE(good);
    CHECK_FALSE(InvalidProjectNameReason(good).has_value());
  }
  CHECK(InvalidProjectNameReason("") == "it is empty");
  for (const char* storm_bad : {"a.b", "a/b", "a:b", "a\\b"}) {
    CAPTURE(storm_bad);
    auto reason = InvalidProjectNameReason(storm_bad);
    REQUIRE(reason.has_value());
    CHECK(reason->find("Storm refuses") != std::string::npos);
  }
  for (const char* not_id : {"9lives", "-x", "has space", "caf\xc3\xa9", "a+b"}) {
    CAPTURE(not_id);
    auto reason = InvalidProjectNameReason(not_id);
    REQUIRE(reason.has_value());
    CHECK_FALSE(reason->empty());
  }
  CHECK(InvalidProjectNameReason("a+b")->find("'+'") != std::string::npos);
}

TEST_CASE("the project's files, parents before children, named after the project") {
  auto files = RenderQuickstartFiles("demo");
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.path);
  CHECK(paths == std::vector<std::string>{".gitignore", "config.json", "README.md",
                                          "src/bolts/__init__.py", "src/bolts/wordcount.py",
                                          "src/spouts/__init__.py", "src/spouts/words.py",
                                          "tests/test_demo.py", "topologies/demo.topo", "virtualenvs/demo.txt"});
  const QuickstartFile* topo = Find(files, "topologies/demo.topo");
  REQUIRE(topo != nullptr);
  CHECK(topo->contents.find("topology demo {") != std::string::npos);
  CHECK(topo->contents.find("{{") == std::string::npos);
  for (const auto& f : files) {
    CAPTURE(f.path);
    CHECK(f.contents.find("{{") == std::string::npos);  // every hole filled
  }
  CHECK(Find(files, "README.md")->contents.rfind("# demo\n", 0) == 0);
}

TEST_CASE("the first test is named after the project, as a Python module") {
  CHECK(Find(RenderQuickstartFiles("word-count"), "tests/test_word_count.py") != nullptr);
}

TEST_CASE("a name that is a word of the language becomes a quoted id") {
  auto files = RenderQuickstartFiles("global");
  CHECK(Find(files, "topologies/global.topo")->contents.find("topology \"global\" {") !=
        std::string::npos);
  auto plain = RenderQuickstartFiles("globalx");
  CHECK(Find(plain, "topologies/globalx.topo")->contents.find("topology globalx {") !=
        std::string::npos);
}

}  // namespace
}  // namespace topoc::cli
