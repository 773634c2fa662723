#include "compiler/driver/project.h"

#include <cstdlib>
#include <fstream>

#include <doctest/doctest.h>

#include "support/temp_dir.h"

namespace topoc::driver {

namespace {

namespace fs = std::filesystem;

void WriteProjectFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Sets an environment variable for one scope.
class ScopedProjectEnv {
 public:
  ScopedProjectEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedProjectEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("FindProject: walks up to the folder with config.json, lists its .topo files sorted") {
  support::TempDir dir;
  const fs::path root = fs::weakly_canonical(dir.path());
  WriteProjectFile(root / "config.json", "{}");
  WriteProjectFile(root / "topologies" / "b.topo", "");
  WriteProjectFile(root / "topologies" / "a.topo", "");
  WriteProjectFile(root / "topologies" / "notes.txt", "");
  fs::create_directories(root / "topologies" / "dir.topo");  // a folder, not a file
  fs::create_directories(root / "src" / "bolts");
  auto p = FindProject(root / "src" / "bolts");
  REQUIRE(p.has_value());
  CHECK(p->root == root);
  CHECK(p->topologies_dir == root / "topologies");
  CHECK(p->config_error.empty());
  // Outside the current folder, the files are named in full.
  REQUIRE(p->topo_files.size() == 2);
  CHECK(p->topo_files[0] == root / "topologies" / "a.topo");
  CHECK(p->topo_files[1] == root / "topologies" / "b.topo");
  CHECK(p->src_dir() == root / "src");
  CHECK(p->logs_dir() == root / "logs");
}

TEST_CASE("FindProject: files under the current folder are named relative to it") {
  support::TempDir dir;
  const fs::path root = fs::weakly_canonical(dir.path());
  WriteProjectFile(root / "topologies" / "x.topo", "");  // a topologies/ folder alone marks a project
  fs::path cwd = fs::current_path();
  fs::current_path(root);
  auto p = FindProject(".");
  fs::current_path(cwd);
  REQUIRE(p.has_value());
  CHECK(fs::equivalent(p->root, root));
  REQUIRE(p->topo_files.size() == 1);
  CHECK(p->topo_files[0] == fs::path("topologies") / "x.topo");
}

TEST_CASE("FindProject: nullopt when no folder above holds a project") {
  support::TempDir dir;
  fs::create_directories(dir.path() / "a" / "b");
  // The walk goes on to / ; a machine with /config.json or /topologies would
  // find that, so only check when it has neither.
  if (!fs::exists("/config.json") && !fs::exists("/topologies") && !fs::exists("/tmp/config.json") &&
      !fs::exists("/tmp/topologies")) {
    CHECK_FALSE(FindProject(dir.path() / "a" / "b").has_value());
  }
}

TEST_CASE("FindProject: topology_specs names the folder of the .topo files") {
  support::TempDir dir;
  const fs::path root = fs::weakly_canonical(dir.path());
  WriteProjectFile(root / "config.json", R"({"topology_specs": "specs//"})");
  WriteProjectFile(root / "specs" / "t.topo", "");
  auto p = FindProject(root);
  REQUIRE(p.has_value());
  CHECK(p->config_error.empty());
  CHECK(p->topologies_dir == root / "specs");  // trailing slashes dropped
  CHECK(p->topo_files.size() == 1);

  WriteProjectFile(root / "config.json", R"({"topology_specs": null, "envs": {}})");
  CHECK(FindProject(root)->topologies_dir == root / "topologies");
  WriteProjectFile(root / "config.json", R"([1, 2])");  // not an object: left to the config reader
  CHECK(FindProject(root)->config_error.empty());
}

TEST_CASE("FindProject: a bad config.json is one line naming where") {
  support::TempDir dir;
  const fs::path root = fs::weakly_canonical(dir.path());
  const std::string config = (root / "config.json").string();

  WriteProjectFile(root / "config.json", "{\n  \"envs\": {,\n}");
  auto p = FindProject(root);
  REQUIRE(p.has_value());
  CHECK(p->config_error.rfind(config + ":2:12: invalid JSON: syntax error", 0) == 0);
  CHECK(p->topologies_dir == root / "topologies");  // the default, for what can still run

  WriteProjectFile(root / "config.json", "{\n \"topology_specs\": 3}");
  CHECK(FindProject(root)->config_error ==
        config + ":2:2: topology_specs: expected a string (a folder relative to the project), found number");
  WriteProjectFile(root / "config.json", "{\"topology_specs\": \"\"}");
  CHECK(FindProject(root)->config_error ==
        config + ":1:2: topology_specs: expected a string (a folder relative to the project), found an empty string");
  WriteProjectFile(root / "config.json", "{\"topology_specs\": \"/\"}");  // "/" is kept: a folder name
  CHECK(FindProject(root)->config_error.empty());
}

TEST_CASE("BuiltinStdlibDir and BuiltinPythonRuntimeDir honour their environment variables") {
  support::TempDir dir;
  {
    ScopedProjectEnv env("TOPOC_STDLIB", dir.path().string());
    CHECK(BuiltinStdlibDir() == dir.path());
  }
  {
    ScopedProjectEnv env("TOPOC_STDLIB", "");  // empty: as if unset
    CHECK(BuiltinStdlibDir() != fs::path());
    CHECK(BuiltinStdlibDir().filename() == "topo");
  }
  {
    // A folder without a streamparse/ package is no runtime.
    ScopedProjectEnv env("TOPOC_PYTHON_RUNTIME", dir.path().string());
    CHECK(BuiltinPythonRuntimeDir() == fs::path());
    fs::create_directories(dir.path() / "streamparse");
    CHECK(BuiltinPythonRuntimeDir() == dir.path());
  }
}

}  // namespace topoc::driver
