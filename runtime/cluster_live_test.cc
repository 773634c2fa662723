// runtime/cluster_live.cc: the snapshots a run hands to RunOptions::live
// (`topoc run --ui`): about one a second and a last one marked ended, every
// component in declaration order with its tasks' state, pid, counters and
// log file, and only the last kMaxLiveErrors errors of each component.
#include <mutex>

#include <doctest/doctest.h>

#include "tests/run/run_helpers.h"

namespace topoc::runtime {

namespace {

struct Collect : LiveSink {
  std::mutex mu;
  std::vector<std::shared_ptr<const RunSnapshot>> got;
  void Publish(std::shared_ptr<const RunSnapshot> s) override {
    std::lock_guard<std::mutex> lock(mu);
    got.push_back(std::move(s));
  }
};

}  // namespace

TEST_CASE("snapshots: one a second, the last one ended, components and tasks with their counters") {
  TempDir dir;
  Builder b("live");
  // Declared bolt first: snapshots keep declaration order, not task order.
  auto* bolt = b.Add("bolt", ir::Role::kBolt, Py("record_bolt.py", {dir.File("bolt")}), 2, {});
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "20", "--reliable"}), 1,
                      {"word", "n"});
  Builder::Input(bolt, spout, ir::Grouping::Kind::kShuffle);
  Collect sink;
  RunOptions o = Options(dir, 5, 0);
  o.live = &sink;
  RunResult r = RunTopology(*b.topo, o);
  REQUIRE(r.exit_code == 0);
  REQUIRE(sink.got.size() >= 2);
  for (size_t i = 0; i + 1 < sink.got.size(); ++i) CHECK(!sink.got[i]->ended);
  const RunSnapshot& mid = *sink.got.front();
  REQUIRE(mid.components.size() == 2);
  CHECK(mid.components[0].id == "bolt");
  CHECK(!mid.components[0].spout);
  CHECK(mid.components[1].spout);
  REQUIRE(mid.components[0].tasks.size() == 2);
  // Task ids: __acker=1, bolt=2,3, spout=4.
  CHECK(mid.components[0].tasks[0].id == 2);
  CHECK(mid.components[1].tasks[0].id == 4);
  for (const auto& c : mid.components) {
    for (const auto& t : c.tasks) {
      CHECK(t.state != "down");
      CHECK(t.pid > 0);
      CHECK(t.log_file == (dir.path / "logs" / ("topoc_live_" + c.id + "_" + std::to_string(t.id) + ".log")).string());
    }
  }

  const RunSnapshot& last = *sink.got.back();
  CHECK(last.ended);
  CHECK(last.stopping);
  CHECK(last.uptime_secs >= 5);
  CHECK(last.tuples_routed == r.tuples_routed);
  const TaskStats& spout_stats = last.components[1].tasks[0].stats;
  CHECK(spout_stats.emitted == 20);
  CHECK(spout_stats.transferred == 20);
  CHECK(spout_stats.acked == 20);
  CHECK(spout_stats.complete_n == 20);
  uint64_t executed = 0;
  for (const auto& t : last.components[0].tasks) executed += t.stats.executed;
  CHECK(executed == 20);
}

TEST_CASE("errors: each component keeps its last kMaxLiveErrors, oldest first, with the task") {
  TempDir dir;
  std::vector<std::string> args = {dir.File("spout")};
  const int n = static_cast<int>(kMaxLiveErrors) + 5;
  for (int i = 1; i <= n; ++i) args.push_back(R"({"command": "error", "msg": "boom )" + std::to_string(i) + "\"}");
  Builder b("errors");
  b.Add("spout", ir::Role::kSpout, Py("script_spout.py", args), 1, {"word"});
  Collect sink;
  RunOptions o = Options(dir, 5, 0);
  o.live = &sink;
  o.console = std::tmpfile();
  RunResult r = RunTopology(*b.topo, o);
  std::fclose(o.console);
  REQUIRE(r.exit_code == 0);
  CHECK(r.Find("spout")->errors == static_cast<uint64_t>(n));
  REQUIRE(!sink.got.empty());
  const auto& errors = sink.got.back()->components[0].errors;
  REQUIRE(errors.size() == kMaxLiveErrors);
  CHECK(errors.front().text == "boom 6");
  CHECK(errors.back().text == "boom " + std::to_string(n));
  CHECK(errors.front().task == 2);
  CHECK(errors.front().wall_time > 1700000000);
}

}  // namespace topoc::runtime
