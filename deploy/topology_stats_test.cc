// topoc stats' sums, checked against numbers worked out by hand, and the
// slot-usage / worker-uptime tables.
#include "deploy/topology_stats.h"

#include <doctest/doctest.h>

using namespace topoc::deploy;
using namespace topoc::storm;

namespace {

ExecutorSummary Executor(const std::string& component, int first_task, int last_task, const std::string& host,
                         int port, int uptime) {
  ExecutorSummary e;
  e.executor_info.task_start = first_task;
  e.executor_info.task_end = last_task;
  e.component_id = component;
  e.host = host;
  e.port = port;
  e.uptime_secs = uptime;
  return e;
}

GlobalStreamId From(const std::string& component) {
  GlobalStreamId g;
  g.componentId = component;
  g.streamId = "default";
  return g;
}

TopologyInfo Wordcount() {
  TopologyInfo info;
  info.id = "wc-1-1700000000";
  info.name = "wc";
  info.status = "ACTIVE";
  info.uptime_secs = 300;

  ExecutorSummary s1 = Executor("words", 1, 1, "host-a", 6700, 300);
  SpoutStats sp1;
  sp1.acked = {{"600", {{"default", 80}}}, {":all-time", {{"default", 900}}}};
  sp1.failed = {{"600", {{"default", 2}}}};
  sp1.complete_ms_avg = {{"600", {{"default", 10.0}}}, {":all-time", {{"default", 12.0}}}};
  s1.stats.emitted = {{"600", {{"default", 100}, {"__ack_init", 100}}}, {":all-time", {{"default", 1000}}}};
  s1.stats.transferred = s1.stats.emitted;
  s1.stats.specific.__set_spout(sp1);
  s1.__isset.stats = true;

  ExecutorSummary s2 = Executor("words", 2, 2, "host-b", 6700, 300);
  SpoutStats sp2;
  sp2.acked = {{"600", {{"default", 20}}}};
  sp2.complete_ms_avg = {{"600", {{"default", 20.0}}}};
  s2.stats.emitted = {{"600", {{"default", 50}}}};
  s2.stats.specific.__set_spout(sp2);
  s2.__isset.stats = true;

  ExecutorSummary b1 = Executor("count", 3, 4, "host-a", 6701, 300);
  BoltStats bs;
  bs.executed = {{"600", {{From("words"), 1000}}}, {":all-time", {{From("words"), 5000}}}};
  bs.execute_ms_avg = {{"600", {{From("words"), 0.5}}}, {":all-time", {{From("words"), 0.25}}}};
  bs.acked = {{"600", {{From("words"), 990}}}};
  bs.failed = {{"600", {{From("words"), 10}}}};
  bs.process_ms_avg = {{"600", {{From("words"), 0.4}}}};
  b1.stats.specific.__set_bolt(bs);
  b1.__isset.stats = true;

  ExecutorSummary b2 = Executor("count", 5, 5, "host-b", 6701, 10);  // has not reported yet
  ExecutorSummary acker = Executor("__acker", 6, 6, "host-a", 6700, 300);
  info.executors = {b1, s1, acker, s2, b2};
  return info;
}

}  // namespace

TEST_CASE("SummarizeTopology sums executors the way Storm's UI does") {
  TopologyStats t = SummarizeTopology(Wordcount());
  CHECK(t.name == "wc");
  CHECK(t.executors == 4);  // __acker left out
  CHECK(t.tasks == 5);
  CHECK(t.workers == 4);    // host-a:6700, host-a:6701, host-b:6700, host-b:6701
  REQUIRE(t.components.size() == 2);
  const ComponentStats& words = t.components[0];  // spouts first
  CHECK(words.id == "words");
  CHECK(words.kind == "spout");
  CHECK(words.executors == 2);
  const WindowStats& w600 = words.windows[0];
  CHECK(w600.emitted == 150);  // __ack_init is Storm's own stream
  CHECK(w600.transferred == 100);
  CHECK(w600.acked == 100);
  CHECK(w600.failed == 2);
  REQUIRE(w600.complete_ms);
  CHECK(*w600.complete_ms == doctest::Approx((80 * 10.0 + 20 * 20.0) / 100));
  CHECK_FALSE(w600.capacity);
  CHECK(words.windows[1].emitted == 1000);
  CHECK(*words.windows[1].complete_ms == doctest::Approx(12.0));

  const ComponentStats& count = t.components[1];
  CHECK(count.kind == "bolt");
  CHECK(count.executors == 2);
  CHECK(count.tasks == 3);
  CHECK(count.windows[0].executed == 1000);
  CHECK(count.windows[0].acked == 990);
  CHECK(*count.windows[0].execute_ms == doctest::Approx(0.5));
  CHECK(*count.windows[0].process_ms == doctest::Approx(0.4));
  // 1000 tuples x 0.5 ms in a 300 s old executor.
  CHECK(*count.windows[0].capacity == doctest::Approx(1000 * 0.5 / 300000));
  CHECK_FALSE(count.windows[1].capacity);  // only the 10-minute window has one
  CHECK(count.windows[1].executed == 5000);

  // The topology: all traffic, the spouts' acks, the busiest bolt.
  CHECK(t.windows[0].emitted == 150);
  CHECK(t.windows[0].acked == 100);
  CHECK(t.windows[0].failed == 2);
  CHECK(*t.windows[0].complete_ms == doctest::Approx(12.0));
  CHECK(*t.windows[0].capacity == doctest::Approx(1000 * 0.5 / 300000));
}

TEST_CASE("stats table and JSON") {
  std::vector<TopologyStats> stats = {SummarizeTopology(Wordcount())};
  std::string table = FormatStatsTable(stats, "");
  CHECK_MESSAGE(table.find("wc (wc-1-1700000000): ACTIVE, up 5m 0s, 4 worker(s), 4 executor(s), 5 task(s)\n"
                           "COMPONENT   KIND   WINDOW    EXECUTORS  TASKS  EMITTED  TRANSFERRED  EXECUTED  ACKED  "
                           "FAILED  CAPACITY  COMPLETE_MS  EXECUTE_MS  PROCESS_MS\n"
                           "(topology)  -      10m               4      5      150          100      1000    100  "
                           "     2     0.002       12.000           -           -\n") == 0,
                table);
  CHECK(table.find("words       spout  all-time          2      2     1000         1000         0    900       0"
                   "         -       12.000           -           -\n") != std::string::npos);
  CHECK(table.find("count       bolt   10m               2      3        0            0      1000    990      10"
                   "     0.002            -       0.500       0.400\n") != std::string::npos);

  std::string only = FormatStatsTable(stats, "count");
  CHECK(only.find("(topology)") == std::string::npos);
  CHECK(only.find("words") == std::string::npos);
  CHECK(only.find("count      bolt  all-time") != std::string::npos);

  auto j = StatsJson(stats, "");
  CHECK(j["topologies"][0]["name"] == "wc");
  CHECK(j["topologies"][0]["windows"]["600"]["acked"] == 100);
  CHECK(j["topologies"][0]["windows"][":all-time"]["capacity"].is_null());
  CHECK(j["topologies"][0]["components"][1]["id"] == "count");
  CHECK(j["topologies"][0]["components"][1]["windows"]["600"]["execute_latency_ms"] == 0.5);
  CHECK(StatsJson(stats, "words")["topologies"][0]["components"].size() == 1);
}

TEST_CASE("slot-usage and worker-uptime tables") {
  SupervisorSummary a, b;
  a.host = "storm-b";
  a.num_workers = 4;
  a.num_used_workers = 2;
  a.uptime_secs = 90061;
  b.host = "storm-a";
  b.num_workers = 4;
  b.num_used_workers = 0;
  b.uptime_secs = 59;
  CHECK(FormatSlotUsage({a, b}, {{"storm-b", {"wc", "clicks"}}}) ==
        "HOST     SLOTS  USED  TOPOLOGIES\n"
        "storm-a      4     0  -\n"
        "storm-b      4     2  wc, clicks\n");
  CHECK(FormatWorkerUptime({a, b}) ==
        "HOST     UPTIME\n"
        "storm-a  59s\n"
        "storm-b  1d 1h\n");
}
