// Helpers shared by the end-to-end run tests (run_test.cc, worker_test.cc):
// IR built in code, temp dirs, the components of tests/run/components/.
#pragma once

#include <doctest/doctest.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/local_cluster.h"

namespace topoc::runtime {
namespace {

namespace fs = std::filesystem;

fs::path ComponentsDir() {
  const char* src = std::getenv("TOPOC_SOURCE_DIR");
  return fs::path(src ? src : TOPOC_TEST_SOURCE_DIR) / "tests" / "run" / "components";
}

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/topoc-run-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    if (!std::getenv("TOPOC_KEEP_TEST_DIRS")) fs::remove_all(path, ec);
  }
  std::string File(const std::string& name) const { return (path / name).string(); }
};

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream f(path);
  for (std::string l; std::getline(f, l);) lines.push_back(l);
  return lines;
}

struct Builder {
  std::unique_ptr<ir::Topology> topo = std::make_unique<ir::Topology>();
  explicit Builder(std::string name) { topo->name = std::move(name); }
  ir::Component* Add(std::string id, ir::Role role, std::vector<std::string> argv, int parallelism,
                     std::vector<std::string> fields, std::string stream = "default") {
    auto c = std::make_unique<ir::Component>();
    c->id = std::move(id);
    c->role = role;
    c->kind = ir::Kind::kShell;
    c->shell_command = std::move(argv);
    c->parallelism = parallelism;
    if (!fields.empty()) AddStream(c.get(), stream, fields);
    topo->components.push_back(std::move(c));
    topo->BuildIndex();
    return topo->components.back().get();
  }
  static void AddStream(ir::Component* c, std::string id, std::vector<std::string> fields) {
    auto s = std::make_unique<ir::Stream>();
    s->id = std::move(id);
    s->fields = std::move(fields);
    s->owner = c;
    c->streams.push_back(std::move(s));
  }
  static void Input(ir::Component* bolt, const ir::Component* src, ir::Grouping::Kind kind,
                    std::vector<std::string> fields = {}, std::string_view stream = "default") {
    ir::Input in;
    in.source = src;
    in.stream = src->FindStream(stream);
    REQUIRE(in.stream != nullptr);
    in.grouping.kind = kind;
    in.grouping.fields = std::move(fields);
    bolt->inputs.push_back(std::move(in));
  }
  void Conf(std::string key, ir::Value v) { topo->config.push_back({std::move(key), std::move(v), {}, {}}); }
};

std::vector<std::string> Py(std::string script, std::vector<std::string> args) {
  std::vector<std::string> argv = {"python3", std::move(script)};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

RunOptions Options(const TempDir& dir, double time_secs, double idle_secs) {
  RunOptions o;
  o.src_dir = ComponentsDir();
  o.logs_dir = dir.path / "logs";
  o.staging_dir = dir.path / "stage";
  o.time_secs = time_secs;
  o.idle_stop_secs = idle_secs;
  o.status_line = RunOptions::StatusLine::kOff;
  o.drain_secs = 1;
  o.seed = 12345;
  return o;
}

// Every pid a component wrote into the pid dir must be gone after the run.
void CheckNoOrphans(const TempDir& dir) {
  int checked = 0;
  for (const auto& e : fs::directory_iterator(dir.path / "stage" / "pids")) {
    pid_t pid = static_cast<pid_t>(std::stol(e.path().filename().string()));
    errno = 0;
    int rc = kill(pid, 0);
    CHECK_MESSAGE((rc == -1 && errno == ESRCH), "process " << pid << " still alive after the run");
    ++checked;
  }
  CHECK(checked > 0);
}

bool Contains(const std::vector<std::string>& problems, std::string_view text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

}  // namespace
}  // namespace topoc::runtime
