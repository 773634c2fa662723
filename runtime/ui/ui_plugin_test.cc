// runtime/ui/ui_plugin.cc: what the live view is told about a topology
// (DescribeTopology), and loading the module: each way it can be missing or
// wrong gives its message; the built module binds, serves and stops.
#include "runtime/ui/ui_plugin.h"

#include <stdlib.h>

#include <doctest/doctest.h>

#include <fstream>

#include "compiler/driver/compilation.h"
#include "runtime/ui/http_testing.h"
#include "support/temp_dir.h"

namespace topoc::runtime::ui {

namespace {

// Sets an environment variable for one scope.
struct ScopedEnv {
  std::string name;
  explicit ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name.c_str()); }
};

namespace fs = std::filesystem;

// The topology of `text`, compiled as `topoc check` would.
struct Compiled {
  driver::Compilation compilation;
  const ir::Topology* topology = nullptr;
  explicit Compiled(std::string text) {
    driver::CompileOptions options;
    options.inputs = {"wc.topo"};
    options.first_input_text = std::move(text);
    driver::Compile(options, compilation);
    REQUIRE(!compilation.diags.HadErrors());
    topology = compilation.program->topologies.at(0).get();
  }
};

const char kSample[] =
    "topology wc {\n"
    "    config { topology.message.timeout.secs: 45 }\n"
    "    spout word-spout = shell [\"python3\", \"s.py\"] { output (word) }\n"
    "    bolt count-bolt = shell [\"python3\", \"c.py\"] {\n"
    "        input word-spout fields(word)\n"
    "        output (word, n)\n"
    "        parallelism 2\n"
    "    }\n"
    "    bolt total = shell [\"python3\", \"t.py\"] { input count-bolt global }\n"
    "}\n";

}  // namespace

TEST_CASE("DescribeTopology: Storm-like id, task ids as the cluster numbers them, Storm's grouping names") {
  Compiled c(kSample);
  const ir::Topology* topo = c.topology;
  TopologyInfo info;
  std::string error;
  REQUIRE(DescribeTopology(*topo, {{"custom.key", "v"}}, backends::StormVersion::k1_x, &info, &error));
  CHECK(info.name == "wc");
  CHECK(info.id.rfind("wc-1-", 0) == 0);
  CHECK(std::stoll(info.id.substr(5)) > 1700000000);
  CHECK(info.storm_version == "1.x (topoc local run)");
  CHECK(info.message_timeout_secs == 45);
  CHECK(info.configuration["storm.id"] == info.id);
  CHECK(info.configuration["custom.key"] == "v");
  // Storm 1.x's defaults.yaml is under the topology's config.
  CHECK(info.configuration["topology.executor.receive.buffer.size"] == 1024);
  CHECK(info.configuration["topology.fall.back.on.java.serialization"] == false);
  REQUIRE(info.components.size() == 3);
  // Task ids by component id, sorted (__acker=1): count-bolt 2,3; total 4; word-spout 5.
  CHECK(info.components[0].id == "word-spout");
  CHECK(info.components[0].spout);
  CHECK(info.components[0].tasks == std::vector<int>{5});
  CHECK(info.components[1].tasks == std::vector<int>{2, 3});
  CHECK(info.components[2].tasks == std::vector<int>{4});
  REQUIRE(info.components[1].inputs.size() == 1);
  CHECK(info.components[1].inputs[0].component == "word-spout");
  CHECK(info.components[1].inputs[0].stream == "default");
  CHECK(info.components[1].inputs[0].grouping == "fields");
  // A global grouping is Storm's fields grouping on no field.
  CHECK(info.components[2].inputs[0].grouping == "fields");
}

TEST_CASE("DescribeTopology: a bad override is the plan's error") {
  Compiled c(kSample);
  const ir::Topology* topo = c.topology;
  TopologyInfo info;
  std::string error;
  CHECK(!DescribeTopology(*topo, {{"topology.workers", "many"}}, backends::kDefaultStormVersion, &info, &error));
  CHECK(error == "topology.workers must be a non-negative integer, got \"many\"");
}

TEST_CASE("Load: a missing module, one that does not load, and one without topoc's API, each named") {
  TopologyInfo info;
  std::string error;
  {
    ScopedEnv env("TOPOC_UI_PLUGIN", "/nonexistent/topoc-ui.so");
    UiPlugin p;
    CHECK(!p.Load(info, "digraph {}", "/tmp", &error));
    CHECK(error == "the live view's module topoc-ui.so was not found (looked at /nonexistent/topoc-ui.so; set "
                   "TOPOC_UI_PLUGIN to its path)");
  }
  {
    support::TempDir dir("topoc-ui-plugin-test");
    std::ofstream((dir.path() / "topoc-ui.so").string()) << "not an ELF file\n";
    ScopedEnv env("TOPOC_UI_PLUGIN", (dir.path() / "topoc-ui.so").string());
    UiPlugin p;
    CHECK(!p.Load(info, "digraph {}", dir.path(), &error));
    CHECK(error.rfind("cannot load the live view's module " + (dir.path() / "topoc-ui.so").string() + ": ", 0) == 0);
    CHECK(error.find("(Debian: apt-get install libcpp-httplib") != std::string::npos);
  }
  // A real shared library, but not the live view's.
  if (fs::exists("/lib/x86_64-linux-gnu/libm.so.6")) {
    ScopedEnv env("TOPOC_UI_PLUGIN", "/lib/x86_64-linux-gnu/libm.so.6");
    UiPlugin p;
    CHECK(!p.Load(info, "digraph {}", "/tmp", &error));
    CHECK(error == "the live view's module does not match this topoc (rebuild or reinstall topoc)");
  }
}

#ifdef TOPOC_UI_MODULE
TEST_CASE("the built module loads, binds a free port, serves the snapshots it is given and stops twice safely") {
  support::TempDir dir("topoc-ui-plugin-test");
  ScopedEnv plugin("TOPOC_UI_PLUGIN", TOPOC_UI_MODULE);
  ScopedEnv dot("TOPOC_DOT", "/nonexistent/dot");
  Compiled c(kSample);
  const ir::Topology* topo = c.topology;
  TopologyInfo info;
  std::string error;
  REQUIRE(DescribeTopology(*topo, {}, backends::kDefaultStormVersion, &info, &error));
  UiPlugin p;
  REQUIRE_MESSAGE(p.Load(info, "digraph { a -> b }", dir.path(), &error), error);
  int port = p.Bind(0, &error);
  REQUIRE_MESSAGE(port > 0, error);
  p.Publish(std::make_shared<RunSnapshot>());  // before Start: dropped, no crash
  p.Start();
  auto snap = std::make_shared<RunSnapshot>();
  snap->ended = true;
  p.Publish(snap);
  // The snapshot reaches the module's server: the run shows as ended.
  bool ended = false;
  for (int i = 0; i < 250 && !ended; ++i) {
    testing::HttpResponse r = testing::HttpGet(port, "/topoc/live");
    ended = r.status == 200 && r.body.find("\"ended\":true") != std::string::npos;
    if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(ended);
  p.Stop();
  p.Stop();
}
#endif

}  // namespace topoc::runtime::ui
