// runtime/ui/snapshot_json.cc: a snapshot and a topology's description cross
// from topoc to the live view's module as JSON; every member must come back
// as it went, and anything else must be refused, not half read.
#include "runtime/ui/snapshot_json.h"

#include <doctest/doctest.h>

namespace topoc::runtime::ui {

namespace {

RunSnapshot SampleSnapshot() {
  RunSnapshot s;
  s.uptime_secs = 12.5;
  s.wall_time = 1700000000.25;
  s.stopping = true;
  s.ended = false;
  s.tuples_routed = 1234567890123ull;
  ComponentSnapshot& c = s.components.emplace_back();
  c.id = "count-bolt";
  c.spout = false;
  TaskSnapshot& t = c.tasks.emplace_back();
  t.id = 3;
  t.pid = 4242;
  t.state = "running";
  t.uptime_secs = 11.0;
  t.log_file = "/tmp/logs/topoc_wc_count-bolt_3.log";
  // Every counter a different value, so a swapped pair shows.
  t.stats.emitted = 1;
  t.stats.transferred = 2;
  t.stats.acked = 3;
  t.stats.failed = 4;
  t.stats.executed = 5;
  t.stats.restarts = 6;
  t.stats.execute_ms = 7.5;
  t.stats.execute_n = 8;
  t.stats.process_ms = 9.5;
  t.stats.process_n = 10;
  t.stats.complete_ms = 11.5;
  t.stats.complete_n = 12;
  t.stats.busy_secs = 13.5;
  c.errors.push_back({1700000001.5, 3, "ValueError: \"bad\"\nline two"});
  ComponentSnapshot& spout = s.components.emplace_back();
  spout.id = "word-spout";
  spout.spout = true;
  spout.tasks.push_back({});
  spout.tasks.back().state = "down";
  return s;
}

}  // namespace

TEST_CASE("a snapshot survives the trip to JSON text and back") {
  RunSnapshot in = SampleSnapshot();
  Json j = Json::parse(SnapshotToJson(in).dump());
  RunSnapshot out;
  out.components.emplace_back();  // read replaces, never appends
  REQUIRE(SnapshotFromJson(j, &out));
  CHECK(out.uptime_secs == 12.5);
  CHECK(out.wall_time == 1700000000.25);
  CHECK(out.stopping);
  CHECK(!out.ended);
  CHECK(out.tuples_routed == 1234567890123ull);
  REQUIRE(out.components.size() == 2);
  const ComponentSnapshot& c = out.components[0];
  CHECK(c.id == "count-bolt");
  CHECK(!c.spout);
  REQUIRE(c.tasks.size() == 1);
  const TaskSnapshot& t = c.tasks[0];
  CHECK(t.id == 3);
  CHECK(t.pid == 4242);
  CHECK(t.state == "running");
  CHECK(t.uptime_secs == 11.0);
  CHECK(t.log_file == "/tmp/logs/topoc_wc_count-bolt_3.log");
  const TaskStats& st = t.stats;
  CHECK(st.emitted == 1);
  CHECK(st.transferred == 2);
  CHECK(st.acked == 3);
  CHECK(st.failed == 4);
  CHECK(st.executed == 5);
  CHECK(st.restarts == 6);
  CHECK(st.execute_ms == 7.5);
  CHECK(st.execute_n == 8);
  CHECK(st.process_ms == 9.5);
  CHECK(st.process_n == 10);
  CHECK(st.complete_ms == 11.5);
  CHECK(st.complete_n == 12);
  CHECK(st.busy_secs == 13.5);
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].wall_time == 1700000001.5);
  CHECK(c.errors[0].task == 3);
  CHECK(c.errors[0].text == "ValueError: \"bad\"\nline two");
  CHECK(out.components[1].spout);
  CHECK(out.components[1].tasks[0].state == "down");
  CHECK(out.components[1].tasks[0].pid == -1);
  // The counters go as one compact array, in TaskStats' member order.
  CHECK(j["components"][0]["tasks"][0]["stats"] == Json::array({1, 2, 3, 4, 5, 6, 7.5, 8, 9.5, 10, 11.5, 12, 13.5}));
}

TEST_CASE("what SnapshotToJson does not write is refused") {
  Json good = SnapshotToJson(SampleSnapshot());
  RunSnapshot out;
  CHECK(!SnapshotFromJson(Json::array(), &out));
  CHECK(!SnapshotFromJson(Json::parse("{}"), &out));
  Json no_routed = good;
  no_routed.erase("routed");
  CHECK(!SnapshotFromJson(no_routed, &out));
  Json short_stats = good;
  short_stats["components"][0]["tasks"][0]["stats"].erase(12);
  CHECK(!SnapshotFromJson(short_stats, &out));
  Json wrong_type = good;
  wrong_type["components"][0]["tasks"][0]["pid"] = "4242";
  CHECK(!SnapshotFromJson(wrong_type, &out));
}

TEST_CASE("a topology's description survives the trip; a broken one is refused") {
  TopologyInfo in;
  in.id = "wc-1-1700000000";
  in.name = "wc";
  in.storm_version = "2.x (topoc local run)";
  in.message_timeout_secs = 45;
  in.configuration = {{"topology.workers", 2}, {"topology.debug", false}};
  TopologyInfo::Component& spout = in.components.emplace_back();
  spout.id = "word-spout";
  spout.spout = true;
  spout.tasks = {4};
  TopologyInfo::Component& bolt = in.components.emplace_back();
  bolt.id = "count-bolt";
  bolt.tasks = {2, 3};
  bolt.inputs.push_back({"word-spout", "default", "fields"});

  Json j = Json::parse(InfoToJson(in).dump());
  TopologyInfo out;
  REQUIRE(InfoFromJson(j, &out));
  CHECK(out.id == in.id);
  CHECK(out.name == "wc");
  CHECK(out.storm_version == in.storm_version);
  CHECK(out.message_timeout_secs == 45);
  CHECK(out.configuration == in.configuration);
  REQUIRE(out.components.size() == 2);
  CHECK(out.components[0].spout);
  CHECK(out.components[0].tasks == std::vector<int>{4});
  CHECK(out.components[1].tasks == std::vector<int>{2, 3});
  REQUIRE(out.components[1].inputs.size() == 1);
  CHECK(out.components[1].inputs[0].component == "word-spout");
  CHECK(out.components[1].inputs[0].stream == "default");
  CHECK(out.components[1].inputs[0].grouping == "fields");
  REQUIRE(out.Find("count-bolt") != nullptr);

  Json broken = j;
  broken["components"][1]["inputs"][0].erase("grouping");
  CHECK(!InfoFromJson(broken, &out));
  CHECK(!InfoFromJson(Json::parse("{\"id\": 1}"), &out));
}

}  // namespace topoc::runtime::ui
