// runtime/ui/ui_server.cc through its C interface (ui_plugin_api.h): the
// built module topoc-ui.so loaded with dlopen, as `topoc run --ui` does,
// answering plain HTTP on 127.0.0.1: a bad description refused, a port in
// use named, the 404s and the JSONP of Storm UI, log tails, and a graph
// that cannot be drawn. The page in a browser is tests/run/ui_test.py.
#include <dlfcn.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "runtime/ui/http_testing.h"
#include "runtime/ui/snapshot_json.h"
#include "runtime/ui/ui_plugin_api.h"
#include "support/temp_dir.h"

namespace topoc::runtime::ui {

namespace {

namespace fs = std::filesystem;

const TopocUiApi* Api() {
  static const TopocUiApi* api = [] {
    void* handle = dlopen(TOPOC_UI_MODULE, RTLD_NOW | RTLD_LOCAL);
    REQUIRE_MESSAGE(handle != nullptr, dlerror());
    auto fn = reinterpret_cast<TopocUiApiFn>(dlsym(handle, "topoc_ui_api"));
    REQUIRE(static_cast<bool>(fn));
    return fn();
  }();
  return api;
}

using testing::HttpGet;
using testing::WaitUntilServing;

TopologyInfo SampleInfo() {
  TopologyInfo info;
  info.id = "wc-1-1700000000";
  info.name = "wc";
  info.storm_version = "2.x (topoc local run)";
  TopologyInfo::Component& spout = info.components.emplace_back();
  spout.id = "word-spout";
  spout.spout = true;
  spout.tasks = {2};
  return info;
}

std::string Description(const fs::path& work) {
  Json j = InfoToJson(SampleInfo());
  j["dot"] = "digraph { a -> b }";
  j["workDir"] = work.string();
  return j.dump();
}

// A server of the module, destroyed with the test.
struct Served {
  void* server = nullptr;
  int port = -1;
  bool started = false;
  explicit Served(const std::string& description) {
    char err[512] = "";
    server = Api()->create(description.c_str(), err, sizeof err);
    REQUIRE_MESSAGE(server != nullptr, err);
  }
  void Start() {
    char err[512] = "";
    port = Api()->bind(server, 0, err, sizeof err);
    REQUIRE_MESSAGE(port > 0, err);
    Api()->start(server);
    started = true;
    REQUIRE(WaitUntilServing(port));
  }
  ~Served() {
    if (started) Api()->stop(server);
    Api()->destroy(server);
  }
};

}  // namespace

TEST_CASE("the module speaks this API version; a description it cannot read is refused with a message") {
  CHECK(Api()->version == TOPOC_UI_API_VERSION);
  char err[512] = "";
  CHECK(Api()->create("not json", err, sizeof err) == nullptr);
  CHECK(std::string(err) == "topoc-ui: bad topology description");
  Json no_dot = InfoToJson(SampleInfo());
  err[0] = '\0';
  CHECK(Api()->create(no_dot.dump().c_str(), err, sizeof err) == nullptr);
  CHECK(std::string(err) == "topoc-ui: bad topology description");
  // The message is cut to the buffer, never past it.
  char small[8];
  CHECK(Api()->create("{}", small, sizeof small) == nullptr);
  CHECK(std::string(small) == "topoc-u");
}

TEST_CASE("a server stopped right after it starts stops (a run that ends at once)") {
  support::TempDir work("topoc-ui-server-test");
  setenv("TOPOC_DOT", "/nonexistent/dot", 1);
  for (int i = 0; i < 20; ++i) {
    Served s(Description(work.path()));
    char err[512] = "";
    REQUIRE(Api()->bind(s.server, 0, err, sizeof err) > 0);
    Api()->start(s.server);
    Api()->stop(s.server);  // before its thread has begun to listen: must return
  }
}

TEST_CASE("a port in use is named with what to do") {
  support::TempDir work("topoc-ui-server-test");
  setenv("TOPOC_DOT", "/nonexistent/dot", 1);
  Served first(Description(work.path()));
  first.Start();
  Served second(Description(work.path()));
  char err[512] = "";
  CHECK(Api()->bind(second.server, first.port, err, sizeof err) == -1);
  CHECK(std::string(err) == "cannot listen on 127.0.0.1:" + std::to_string(first.port) +
                                " (in use by another program?); choose another with --ui-port N, or 0 for any free "
                                "port");
}

TEST_CASE("REST answers: the topology by id or name, 404 otherwise, JSONP only with a safe callback") {
  support::TempDir work("topoc-ui-server-test");
  setenv("TOPOC_DOT", "/nonexistent/dot", 1);
  Served s(Description(work.path()));
  s.Start();

  testing::HttpResponse by_id = HttpGet(s.port, "/api/v1/topology/wc-1-1700000000");
  CHECK(by_id.status == 200);
  CHECK(Json::parse(by_id.body)["name"] == "wc");
  CHECK(HttpGet(s.port, "/api/v1/topology/wc").status == 200);

  testing::HttpResponse other = HttpGet(s.port, "/api/v1/topology/nope");
  CHECK(other.status == 404);
  CHECK(Json::parse(other.body)["errorMessage"] ==
        "topology 'nope' is not running here (this run: 'wc-1-1700000000')");

  testing::HttpResponse jsonp = HttpGet(s.port, "/api/v1/cluster/summary?callback=cb_1");
  CHECK(jsonp.body.rfind("cb_1({", 0) == 0);
  CHECK(jsonp.body.substr(jsonp.body.size() - 2) == ");");
  CHECK(jsonp.headers.find("application/javascript") != std::string::npos);
  testing::HttpResponse unsafe = HttpGet(s.port, "/api/v1/cluster/summary?callback=alert(1)");
  CHECK(unsafe.body.front() == '{');
  CHECK(unsafe.headers.find("application/json") != std::string::npos);

  // No Graphviz: the graph is a 404 that says why; the page still loads.
  testing::HttpResponse graph = HttpGet(s.port, "/topoc/graph.svg");
  CHECK(graph.status == 404);
  CHECK(graph.body.find("Graphviz's `dot` was not found") == 0);
  CHECK(HttpGet(s.port, "/").status == 200);
}

TEST_CASE("log tails: the last lines of a task's log, once a snapshot names it") {
  support::TempDir work("topoc-ui-server-test");
  setenv("TOPOC_DOT", "/nonexistent/dot", 1);
  fs::path log = work.path() / "topoc_wc_word-spout_2.log";
  {
    std::ofstream f(log);
    for (int i = 1; i <= 100; ++i) f << "line " << i << "\n";
  }
  Served s(Description(work.path()));
  s.Start();
  CHECK(HttpGet(s.port, "/topoc/log?component=word-spout&task=2").status == 404);

  RunSnapshot snap;
  ComponentSnapshot& c = snap.components.emplace_back();
  c.id = "word-spout";
  c.spout = true;
  TaskSnapshot& t = c.tasks.emplace_back();
  t.id = 2;
  t.state = "running";
  t.log_file = log.string();
  Api()->publish(s.server, SnapshotToJson(snap).dump().c_str());
  testing::HttpResponse r;
  // The module reads snapshots on a thread of its own: a moment.
  for (int i = 0; i < 100; ++i) {
    r = HttpGet(s.port, "/topoc/log?component=word-spout&task=2&lines=3");
    if (r.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(r.status == 200);
  CHECK(r.body == "line 98\nline 99\nline 100\n");
  CHECK(r.headers.find("X-Log-File: " + log.string()) != std::string::npos);
  // Without lines=, the last 60.
  testing::HttpResponse dflt = HttpGet(s.port, "/topoc/log?component=word-spout&task=2");
  CHECK(dflt.body.rfind("line 41\n", 0) == 0);
  CHECK(HttpGet(s.port, "/topoc/log?component=word-spout&task=9").status == 404);
}

}  // namespace topoc::runtime::ui
