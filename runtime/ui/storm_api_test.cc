#include "runtime/ui/storm_api.h"

#include <doctest/doctest.h>

#include "runtime/ui/snapshot_json.h"

namespace topoc::runtime::ui {

namespace {

TopologyInfo Info() {
  TopologyInfo info;
  info.id = "wc-1-1700000000";
  info.name = "wc";
  info.storm_version = "2.x (topoc local run)";
  info.components.push_back({"words", true, {3}, {}});
  info.components.push_back({"count", false, {1, 2}, {{"words", "default", "fields"}}});
  return info;
}

// A snapshot at `t` seconds: the spout emitted 100/s and every tree took
// 4 ms; each counter task executed 50/s at 2 ms, busy a quarter of the time.
std::shared_ptr<RunSnapshot> At(double t) {
  auto s = std::make_shared<RunSnapshot>();
  s->uptime_secs = t;
  s->wall_time = 1700000000 + t;
  s->tuples_routed = static_cast<uint64_t>(100 * t);
  ComponentSnapshot spout{"words", true, {}, {}};
  TaskSnapshot st;
  st.id = 3;
  st.state = "running";
  st.stats.emitted = st.stats.transferred = st.stats.acked = static_cast<uint64_t>(100 * t);
  st.stats.complete_ms = 4.0 * 100 * t;
  st.stats.complete_n = static_cast<uint64_t>(100 * t);
  spout.tasks.push_back(st);
  ComponentSnapshot bolt{"count", false, {}, {}};
  for (int id : {1, 2}) {
    TaskSnapshot bt;
    bt.id = id;
    bt.state = "running";
    bt.stats.executed = bt.stats.acked = bt.stats.execute_n = bt.stats.process_n = static_cast<uint64_t>(50 * t);
    bt.stats.execute_ms = bt.stats.process_ms = 2.0 * 50 * t;
    bt.stats.busy_secs = t / 4;
    bolt.tasks.push_back(bt);
  }
  s->components = {spout, bolt};
  return s;
}

}  // namespace

TEST_CASE("windows and pretty durations as Storm writes them") {
  double secs = -1;
  CHECK(ParseWindow("", &secs));
  CHECK(secs == 0);
  CHECK(ParseWindow(":all-time", &secs));
  CHECK(ParseWindow("600", &secs));
  CHECK(secs == 600);
  CHECK_FALSE(ParseWindow("10800", &secs));
  CHECK_FALSE(ParseWindow("0", &secs));
  CHECK_FALSE(ParseWindow("abc", &secs));
  CHECK(PrettySecs(365) == "6m 5s");
  CHECK(PrettySecs(600) == "10m 0s");
  CHECK(PrettySecs(3600) == "1h 0m 0s");
  CHECK(PrettySecs(0) == "0s");
}

TEST_CASE("topology page: Storm's keys, all-time and 600-second windows") {
  TopologyInfo info = Info();
  LiveHistory h;
  for (int t = 1; t <= 700; ++t) h.Add(At(t));
  Json all = TopologyJson(info, h, ":all-time");
  CHECK(all["id"] == "wc-1-1700000000");
  CHECK(all["status"] == "ACTIVE");
  CHECK(all["uptimeSeconds"] == 700);
  CHECK(all["uptime"] == "11m 40s");
  CHECK(all["tasksTotal"] == 3);
  REQUIRE(all["spouts"].size() == 1);
  const Json& sp = all["spouts"][0];
  CHECK(sp["spoutId"] == "words");
  CHECK(sp["emitted"] == 70000);
  CHECK(sp["acked"] == 70000);
  CHECK(sp["completeLatency"] == "4.000");
  for (const char* k : {"transferred", "failed", "executors", "tasks", "lastError"}) CHECK(sp.contains(k));
  REQUIRE(all["bolts"].size() == 1);
  const Json& b = all["bolts"][0];
  CHECK(b["boltId"] == "count");
  CHECK(b["executed"] == 70000);
  CHECK(b["executeLatency"] == "2.000");
  CHECK(b["processLatency"] == "2.000");
  CHECK(b["capacity"] == "0.250");
  REQUIRE(all["topologyStats"].size() == 2);
  CHECK(all["topologyStats"][0]["window"] == "600");
  CHECK(all["topologyStats"][0]["windowPretty"] == "10m 0s");
  CHECK(all["topologyStats"][0]["acked"] == 60000);
  CHECK(all["topologyStats"][1]["window"] == ":all-time");
  CHECK(all["topologyStats"][1]["acked"] == 70000);
  Json w = TopologyJson(info, h, "600");
  CHECK(w["window"] == "600");
  CHECK(w["spouts"][0]["emitted"] == 60000);
  CHECK(w["bolts"][0]["executed"] == 60000);
}

TEST_CASE("component page: one executor per task, errors newest first") {
  TopologyInfo info = Info();
  LiveHistory h;
  auto s = At(10);
  s->components[1].errors.push_back({1700000005, 2, "first"});
  s->components[1].errors.push_back({1700000008, 1, "second"});
  h.Add(s);
  Json c = ComponentJson(info, h, info.components[1], "");
  CHECK(c["componentType"] == "bolt");
  CHECK(c["topologyId"] == "wc-1-1700000000");
  REQUIRE(c["executorStats"].size() == 2);
  CHECK(c["executorStats"][0]["id"] == "[1-1]");
  CHECK(c["executorStats"][1]["executed"] == 500);
  REQUIRE(c["componentErrors"].size() == 2);
  CHECK(c["componentErrors"][0]["error"] == "second");
  CHECK(c["componentErrors"][0]["errorLapsedSecs"] == 2);
  Json t = TopologyJson(info, h, "");
  CHECK(t["bolts"][0]["lastError"] == "second");
  CHECK(t["bolts"][0]["errorTime"] == 1700000008);
}

TEST_CASE("visualization and the page's feed") {
  TopologyInfo info = Info();
  LiveHistory h;
  for (int t = 1; t <= 20; ++t) h.Add(At(t));
  Json v = VisualizationJson(info, h, "600");
  CHECK(v["words"][":type"] == "spout");
  CHECK(v["count"][":inputs"][0][":component"] == "words");
  CHECK(v["count"][":inputs"][0][":grouping"] == "fields");
  Json live = LiveJson(info, h, 5);
  CHECK(live["components"][0]["emittedRate"].get<double>() == doctest::Approx(100));
  CHECK(live["components"][1]["executedRate"].get<double>() == doctest::Approx(100));
  CHECK(live["components"][1]["capacity"].get<double>() == doctest::Approx(0.25));
  CHECK(live["components"][1]["states"]["running"] == 2);
}

TEST_CASE("snapshots and the topology cross to the module as JSON unchanged") {
  auto s = At(3);
  s->components[0].errors.push_back({1.5, 3, "boom"});
  RunSnapshot back;
  REQUIRE(SnapshotFromJson(Json::parse(SnapshotToJson(*s).dump()), &back));
  CHECK(SnapshotToJson(back) == SnapshotToJson(*s));
  CHECK_FALSE(SnapshotFromJson(Json::parse("{\"uptime\": 1}"), &back));
  TopologyInfo info = Info(), info_back;
  REQUIRE(InfoFromJson(InfoToJson(info), &info_back));
  CHECK(InfoToJson(info_back) == InfoToJson(info));
  CHECK(ErrorJson("Not Found", "x")["errorMessage"] == "x");
}

}  // namespace topoc::runtime::ui
