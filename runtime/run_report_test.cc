#include "runtime/run_report.h"

#include <doctest/doctest.h>

#include <cstdlib>

namespace topoc::runtime {

namespace {

// Runs fn(FILE*) on a memory stream and returns what it wrote.
template <typename Fn>
std::string Capture(Fn&& fn) {
  char* buf = nullptr;
  size_t size = 0;
  FILE* f = open_memstream(&buf, &size);
  fn(f);
  std::fclose(f);
  std::string out(buf, size);
  std::free(buf);
  return out;
}

}  // namespace

TEST_CASE("human counts") {
  CHECK(HumanCount(0) == "0");
  CHECK(HumanCount(9999) == "9999");
  CHECK(HumanCount(12345) == "12k");
  CHECK(HumanCount(1500000) == "1.5M");
}

TEST_CASE("report: counters per component, problems kept and printed, status line deltas") {
  std::string out = Capture([](FILE* f) {
    RunReport r(f, true);
    int s = r.AddComponent("spout", true, 1);
    int b = r.AddComponent("bolt", false, 2);
    r.stats(s).emitted = 10;
    r.stats(b).acked = 4;
    r.StatusLine(1);
    r.stats(s).emitted = 15;
    r.StatusLine(2);
    r.Problem("task died");
    CHECK(r.result().problems == std::vector<std::string>{"task died"});
    CHECK(r.result().Find("bolt")->tasks == 2);
    CHECK(r.result().Find("nope") == nullptr);
  });
  CHECK(out.find("1s  spout 10/0/0  bolt 0/4/0  (emitted/acked/failed per s)") != std::string::npos);
  CHECK(out.find("2s  spout 5/0/0  bolt 0/0/0") != std::string::npos);
  CHECK(out.find("\r\033[Ktopoc run: task died\n") != std::string::npos);
}

TEST_CASE("report: no status line unless asked") {
  std::string out = Capture([](FILE* f) {
    RunReport r(f, false);
    r.AddComponent("spout", true, 1);
    r.StatusLine(1);
    r.ClearStatusLine();
  });
  CHECK(out.empty());
}

TEST_CASE("summary table") {
  RunResult r;
  ComponentStats s;
  s.id = "word-spout";
  s.spout = true;
  s.tasks = 2;
  s.emitted = 100;
  s.acked = 98;
  s.failed = 2;
  r.components.push_back(s);
  r.seconds = 2;
  r.tuples_routed = 100;
  r.problems.push_back("x");
  std::string out = Capture([&](FILE* f) { PrintSummary(r, f); });
  CHECK(out ==
        "component   role  tasks    emitted   executed      acked     failed restarts\n"
        "word-spout  spout     2        100          0         98          2        0\n"
        "ran 2.0 s, 100 tuples routed (50/s), 1 problem(s)\n");
}

}  // namespace topoc::runtime

namespace topoc::runtime {

TEST_CASE("summary: metrics counts per component and name") {
  RunResult r;
  ComponentStats s;
  s.id = "count-bolt";
  s.tasks = 1;
  s.metrics = {{"words", 12}, {"batches", 3}};
  r.components.push_back(s);
  ComponentStats quiet;
  quiet.id = "quiet";
  r.components.push_back(quiet);
  std::string out = Capture([&](FILE* f) { PrintSummary(r, f); });
  CHECK(out.find("metrics of count-bolt: batches 3, words 12\n") != std::string::npos);
  CHECK(out.find("metrics of quiet") == std::string::npos);
}

}  // namespace topoc::runtime
