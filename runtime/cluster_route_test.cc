// runtime/cluster_route.cc: what the router does with each emit a task
// sends, seen from a scripted spout (tests/run/components/script_spout.py)
// that logs every message it gets back: the task ids, the emits it refuses
// (and why, by name), direct emits, need_task_ids, and acking without ackers.
#include <doctest/doctest.h>

#include "tests/run/run_helpers.h"

namespace topoc::runtime {

namespace {

// A spout that sends `messages` on its first next, into a bolt that records
// what it gets (2 tasks, `kind`); the run stops after `secs` (over 10: or
// once 1 s idle).
struct Routed {
  TempDir dir;
  RunResult result;
  std::vector<std::string> spout_log;  // what the spout was sent, one JSON per line
  std::vector<std::string> bolt_log;   // "<task> <source> <stream> <values>"
  Routed(std::vector<std::string> messages, ir::Grouping::Kind kind, double secs, int ackers = -1) {
    Builder b("route");
    std::vector<std::string> args = {dir.File("spout")};
    args.insert(args.end(), messages.begin(), messages.end());
    auto* spout = b.Add("spout", ir::Role::kSpout, Py("script_spout.py", args), 1, {"word"});
    Builder::AddStream(spout, "side", {"a", "b"});
    auto* bolt = b.Add("bolt", ir::Role::kBolt, Py("record_bolt.py", {dir.File("bolt")}), 2, {});
    Builder::Input(bolt, spout, kind);
    if (ackers >= 0) b.Conf("topology.acker.executors", ackers);
    b.Conf("topology.disable.loadaware.messaging", true);
    RunOptions o = Options(dir, secs, secs > 10 ? 1.0 : 0);
    o.console = std::tmpfile();  // the problems are checked in result.problems
    result = RunTopology(*b.topo, o);
    std::fclose(o.console);
    spout_log = ReadLines(dir.File("spout"));
    bolt_log = ReadLines(dir.File("bolt"));
  }
  bool SpoutGot(const std::string& json_line) const {
    return std::find(spout_log.begin(), spout_log.end(), json_line) != spout_log.end();
  }
};

// Task ids: __acker=1, bolt=2,3, spout=4.

}  // namespace

TEST_CASE("an emit goes to its subscribers and the spout is told which tasks got it") {
  Routed r({R"({"command": "emit", "tuple": ["x"], "id": "m1"})"}, ir::Grouping::Kind::kAll, 20);
  REQUIRE(r.result.exit_code == 0);
  CHECK(r.result.problems.empty());
  CHECK(r.SpoutGot("[2, 3]"));
  CHECK(r.SpoutGot(R"({"command": "ack", "id": "m1"})"));
  REQUIRE(r.bolt_log.size() == 2);
  CHECK(r.bolt_log[0].find(" spout default [\"x\"]") != std::string::npos);
  CHECK(r.result.tuples_routed == 2);
}

TEST_CASE("need_task_ids false: no task ids come back; a direct emit never gets them") {
  Routed r({R"({"command": "emit", "tuple": ["x"], "need_task_ids": false})"}, ir::Grouping::Kind::kShuffle, 20);
  REQUIRE(r.result.exit_code == 0);
  CHECK(r.result.problems.empty());
  for (const auto& l : r.spout_log) CHECK(l.front() != '[');
  CHECK(r.bolt_log.size() == 1);
}

TEST_CASE("without ackers a reliable emit is acked at once") {
  Routed r({R"({"command": "emit", "tuple": ["x"], "id": 7})"}, ir::Grouping::Kind::kShuffle, 20, 0);
  REQUIRE(r.result.exit_code == 0);
  CHECK(r.SpoutGot(R"({"command": "ack", "id": 7})"));
  // Task ids: no __acker: bolt=1,2, spout=3.
  CHECK(r.SpoutGot("[1]"));
}

TEST_CASE("emits the router refuses, each named; the task is restarted") {
  struct Case {
    std::string message;
    std::string expect;
  };
  for (const Case& c : {
           Case{R"({"command": "emit", "stream": "nope", "tuple": ["x"]})",
                "emit to stream \"nope\", which component 'spout' does not declare"},
           Case{R"({"command": "emit", "stream": "side", "tuple": ["x"]})",
                "tuple with 1 values on stream 'side', which declares 2 fields"},
           Case{R"({"command": "emit", "tuple": "x"})", "emit without a \"tuple\" list"},
           Case{R"({"command": "emit", "tuple": ["x"], "task": "two"})", "emit with a non-integer \"task\": \"two\""},
           Case{R"({"command": "emit", "tuple": ["x"], "task": 2})",
                "direct emit to task 2 of 'bolt', which subscribes to stream 'default' with a shuffle grouping "
                "(Storm: Cannot emitDirect to a task expecting a regular grouping)"},
       }) {
    CAPTURE(c.message);
    Routed r({c.message}, ir::Grouping::Kind::kShuffle, 6);
    CHECK(r.result.exit_code == 0);
    CHECK(Contains(r.result.problems, c.expect));
    CHECK(Contains(r.result.problems, "component 'spout' task 4"));
    CHECK(r.bolt_log.empty());
    CHECK(r.result.Find("spout")->restarts >= 1);
  }
}

TEST_CASE("a spout's emit after its sync is refused (Storm reads a spout only while it owes a reply)") {
  Routed r({R"({"command": "sync"})", R"({"command": "emit", "tuple": ["x"]})"}, ir::Grouping::Kind::kShuffle, 6);
  CHECK(Contains(r.result.problems, "a spout emitted outside next/ack/fail (before its sync)"));
  CHECK(r.bolt_log.empty());
}

TEST_CASE("a direct emit reaches only the task named; a task that does not subscribe drops it, as in Storm") {
  Routed r({R"({"command": "emit", "tuple": ["x"], "task": 3})", R"({"command": "emit", "tuple": ["y"], "task": 99})",
            R"({"command": "emit", "tuple": ["z"], "task": 4})"},
           ir::Grouping::Kind::kDirect, 20);
  REQUIRE(r.result.exit_code == 0);
  CHECK(r.result.problems.empty());
  REQUIRE(r.bolt_log.size() == 1);
  CHECK(r.bolt_log[0] == "3 spout default [\"x\"]");
  CHECK(r.result.tuples_routed == 1);
}

}  // namespace topoc::runtime
