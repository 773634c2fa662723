// runtime/local_cluster.cc: the poll loop's stop conditions (--time, idle,
// RequestStop from another thread), the signal handlers it installs for a
// run and gives back, and the messages it handles itself (log, error, a
// spout's ack). Components: tests/run/components/ (run_helpers.h).
#include <signal.h>

#include <chrono>
#include <thread>

#include <doctest/doctest.h>

#include "tests/run/run_helpers.h"

namespace topoc::runtime {

namespace {

void MarkHandler(int) {}

std::string ReadAll(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// A spout that emits for ever (unreliably, nothing to drain) into a bolt.
std::unique_ptr<ir::Topology> Endless(const TempDir& dir) {
  Builder b("endless");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "100000000"}), 1,
                      {"word", "n"});
  Builder::Input(b.Add("bolt", ir::Role::kBolt, Py("record_bolt.py", {"/dev/null"}), 1, {}), spout,
                 ir::Grouping::Kind::kShuffle);
  return std::move(b.topo);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

TEST_CASE("--time stops a run that would go on for ever") {
  TempDir dir;
  auto topo = Endless(dir);
  auto t0 = std::chrono::steady_clock::now();
  RunResult r = RunTopology(*topo, Options(dir, 1.5, 0));
  CHECK(r.exit_code == 0);
  CHECK(r.problems.empty());
  CHECK(Seconds(t0) >= 1.5);
  CHECK(r.seconds >= 1.5);
  CHECK(r.Find("spout")->emitted > 0);
  CheckNoOrphans(dir);
}

TEST_CASE("RequestStop from another thread ends a run with no time limit, as Ctrl-C does") {
  TempDir dir;
  auto topo = Endless(dir);
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    RequestStop();
  });
  RunResult r = RunTopology(*topo, Options(dir, 0, 0));
  stopper.join();
  CHECK(r.exit_code == 0);
  CHECK(r.seconds >= 1.0);
  // The spout was deactivated before the end.
  auto lines = ReadLines(dir.File("spout"));
  REQUIRE(!lines.empty());
  CHECK(lines.back() == "deactivate");
  CheckNoOrphans(dir);
}

TEST_CASE("idle stop: once every tree is done and nothing moved for idle_stop_secs") {
  TempDir dir;
  Builder b("idle");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "5", "--reliable"}), 1,
                      {"word", "n"});
  Builder::Input(b.Add("bolt", ir::Role::kBolt, Py("record_bolt.py", {dir.File("bolt")}), 1, {}), spout,
                 ir::Grouping::Kind::kShuffle);
  RunResult r = RunTopology(*b.topo, Options(dir, 60, 1.0));
  CHECK(r.exit_code == 0);
  CHECK(r.seconds < 30);
  CHECK(r.Find("spout")->acked == 5);
}

TEST_CASE("a run's SIGINT and SIGTERM handlers are given back when it ends") {
  struct sigaction mine {}, before_pipe {};
  mine.sa_handler = MarkHandler;
  sigemptyset(&mine.sa_mask);
  sigaction(SIGINT, &mine, nullptr);
  sigaction(SIGTERM, &mine, nullptr);
  sigaction(SIGPIPE, nullptr, &before_pipe);
  TempDir dir;
  auto topo = Endless(dir);
  RunResult r = RunTopology(*topo, Options(dir, 0.5, 0));
  CHECK(r.exit_code == 0);
  struct sigaction now_int {}, now_term {}, now_pipe {};
  sigaction(SIGINT, nullptr, &now_int);
  sigaction(SIGTERM, nullptr, &now_term);
  sigaction(SIGPIPE, nullptr, &now_pipe);
  CHECK((now_int.sa_handler == MarkHandler));
  CHECK((now_term.sa_handler == MarkHandler));
  CHECK((now_pipe.sa_handler == before_pipe.sa_handler));
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
}

TEST_CASE("log and error commands go to the task's log, errors also to the console; a spout's ack is refused") {
  TempDir dir;
  Builder b("commands");
  b.Add("spout", ir::Role::kSpout,
        Py("script_spout.py", {dir.File("spout"), R"({"command": "log", "msg": "hello from the spout", "level": 3})",
                               R"({"command": "error", "msg": "it went wrong"})"}),
        1, {"word"});
  RunOptions o = Options(dir, 20, 1.0);
  o.console = std::tmpfile();
  RunResult r = RunTopology(*b.topo, o);
  std::rewind(o.console);
  std::string console;
  for (int c; (c = std::fgetc(o.console)) != EOF;) console.push_back(static_cast<char>(c));
  std::fclose(o.console);
  CHECK(r.exit_code == 0);
  CHECK(r.problems.empty());
  CHECK(r.Find("spout")->errors == 1);
  // Task ids: __acker=1, spout=2.
  CHECK(console.find("[spout:2] reported an error: it went wrong\n") != std::string::npos);
  std::string log = ReadAll(dir.path / "logs" / "topoc_commands_spout_2.log");
  CHECK(log.find("WARN") != std::string::npos);
  CHECK(log.find("hello from the spout") != std::string::npos);
  CHECK(log.find("Shell Process Exception: it went wrong") != std::string::npos);

  TempDir dir2;
  Builder b2("spout-ack");
  b2.Add("spout", ir::Role::kSpout, Py("script_spout.py", {dir2.File("spout"), R"({"command": "ack", "id": "1"})"}),
         1, {"word"});
  RunOptions o2 = Options(dir2, 6, 0);
  o2.console = std::tmpfile();
  RunResult r2 = RunTopology(*b2.topo, o2);
  std::fclose(o2.console);
  CHECK(Contains(r2.problems, "protocol error: a spout sent 'ack' (only bolts ack or fail tuples)"));
  CHECK(r2.Find("spout")->restarts >= 1);
}

}  // namespace topoc::runtime
