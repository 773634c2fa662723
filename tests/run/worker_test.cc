// End-to-end: what a Storm worker does around the tuples (issue 13 §2):
// a dead spout's acks and fails, restart back-off, the handshake conf per
// Storm line, topology.shellbolt.max.pending, load-aware shuffle, metrics,
// log rotation, pid files, and the environment of shell components.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "runtime/local_cluster.h"
#include "tests/run/run_helpers.h"

namespace topoc::runtime {

namespace {

int CountContaining(const std::vector<std::string>& problems, std::string_view text) {
  return static_cast<int>(std::count_if(problems.begin(), problems.end(),
                                        [&](const std::string& p) { return p.find(text) != std::string::npos; }));
}

}  // namespace

TEST_CASE("a dead spout's acks and fails never reach its successor; its open trees count as failed") {
  TempDir dir;
  Builder b("spout-death");
  auto* spout = b.Add("spout", ir::Role::kSpout,
                      Py("seq_spout.py", {dir.File("spout"), "60", "--reliable", "--pid-ids", "--die-once",
                                          dir.File("died"), "20"}),
                      1, {"word", "n"});
  // Slow bolt: when the spout dies, most of its 20 trees are still open.
  // Task ids: Slow 1 (odd: it sleeps), __acker 2, spout 3.
  auto* bolt = b.Add("Slow", ir::Role::kBolt, Py("record_bolt.py", {dir.File("bolt"), "--sleep-odd", "0.05"}), 1, {});
  Builder::Input(bolt, spout, ir::Grouping::Kind::kShuffle);
  RunResult r = RunTopology(*b.topo, Options(dir, 60, 3.0));
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.problems, "dying on purpose after 20 emits"));
  int ack_lines = 0, fail_lines = 0;
  for (const auto& l : ReadLines(dir.File("spout"))) {
    CHECK_MESSAGE(l.rfind("foreign", 0) != 0, "the successor heard of its predecessor's tuple: " << l);
    ack_lines += l.rfind("ack ", 0) == 0;
    fail_lines += l.rfind("fail ", 0) == 0;
  }
  const ComponentStats* s = r.Find("spout");
  REQUIRE(s);
  CHECK(s->restarts == 1);
  CHECK(s->emitted == 80);                 // 20 by the first process, 60 by its successor
  CHECK(s->acked == static_cast<uint64_t>(ack_lines));  // acks delivered, exactly
  CHECK(s->acked >= 60);                   // every tree of the successor
  CHECK(s->failed > static_cast<uint64_t>(fail_lines));  // trees lost with the first process
  CHECK(s->acked + s->failed == s->emitted);
  // The bolt's executed is what it acked or failed, not what reached its pipe.
  const ComponentStats* k = r.Find("Slow");
  CHECK(k->executed == k->acked + k->failed);
  CHECK(k->executed == 80);
  CheckNoOrphans(dir);
}

TEST_CASE("restarts back off; a component that keeps dying is reported once with its stderr") {
  TempDir dir;
  Builder b("flapping");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "5"}), 1, {"word", "n"});
  auto* bad = b.Add("bad", ir::Role::kBolt, Py("bad_bolt.py", {"die-at-start"}), 1, {});
  Builder::Input(bad, spout, ir::Grouping::Kind::kShuffle);
  RunResult r = RunTopology(*b.topo, Options(dir, 5.0, 0));
  CHECK(r.exit_code == 0);
  // 0.1, 0.2, 0.4, 0.8, 1.6, 3.2 s between starts: about 6 in 5 s, where
  // restarting at once would make dozens.
  uint64_t restarts = r.Find("bad")->restarts;
  CHECK(restarts >= 3);
  CHECK(restarts <= 8);
  CHECK(CountContaining(r.problems, "component 'bad'") == 2);  // the first death, then "keeps dying"
  CHECK(CountContaining(r.problems, "keeps dying") == 1);
  for (const auto& p : r.problems) {
    if (p.find("keeps dying") != std::string::npos) CHECK(p.find("| bad_bolt: dying at start") != std::string::npos);
  }
  // Every death is still in the task's log.
  std::string log;
  for (const auto& l : ReadLines((dir.path / "logs" / "topoc_flapping_bad_2.log").string())) log += l + "\n";
  size_t deaths = 0;
  for (size_t pos = 0; (pos = log.find("[exit code 4]", pos)) != std::string::npos; ++pos) ++deaths;
  CHECK(deaths >= restarts);  // one more if it died while the run was stopping
  CHECK(deaths <= restarts + 1);
}

TEST_CASE("handshake conf: the targeted Storm line's defaults, then topology, then component config") {
  for (auto [version, serializer, max_pending] :
       {std::tuple{backends::StormVersion::k0_9, "backtype.storm.multilang.JsonSerializer", -1},
        std::tuple{backends::StormVersion::k1_x, "org.apache.storm.multilang.JsonSerializer", 100},
        std::tuple{backends::StormVersion::k2_x, "org.apache.storm.multilang.JsonSerializer", 7}}) {
    TempDir dir;
    Builder b("conf");
    auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "2"}), 1, {"word", "n"});
    spout->config.push_back({"topology.message.timeout.secs", 12, {}, {}});
    b.Conf("topology.message.timeout.secs", 20);
    if (max_pending == 7) b.Conf("topology.shellbolt.max.pending", 7);
    RunOptions o = Options(dir, 1.5, 0);
    o.storm_version = version;
    RunResult r = RunTopology(*b.topo, o);
    REQUIRE(r.exit_code == 0);
    std::ifstream hf(dir.File("spout.handshake.2"));
    ir::Value conf = ir::Value::parse(hf)["conf"];
    CHECK(conf["topology.multilang.serializer"] == serializer);
    CHECK(conf["topology.workers"] == 1);
    CHECK(conf["topology.message.timeout.secs"] == 12);  // component over topology over default
    CHECK(conf["topology.enable.message.timeouts"] == true);
    if (max_pending < 0) {
      CHECK(!conf.contains("topology.shellbolt.max.pending"));
    } else {
      CHECK(conf["topology.shellbolt.max.pending"] == max_pending);
    }
  }
}

TEST_CASE("topology.shellbolt.max.pending bounds the tuples queued for a bolt task: spouts wait") {
  TempDir dir;
  Builder b("bolt-pending");
  std::string word(1000, 'w');  // 1 KB tuples: the pipe holds about 64 of them
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "100000", "--words", word}), 1,
                      {"word", "n"});
  auto* stuck = b.Add("stuck", ir::Role::kBolt, Py("bad_bolt.py", {"stuck"}), 1, {});
  Builder::Input(stuck, spout, ir::Grouping::Kind::kShuffle);
  b.Conf("topology.shellbolt.max.pending", 20);
  RunResult r = RunTopology(*b.topo, Options(dir, 3.0, 0));
  REQUIRE(r.exit_code == 0);
  // Pipe (64 KiB) + 20 queued, not the 16 MiB byte budget (~16,000).
  uint64_t emitted = r.Find("spout")->emitted;
  CHECK(emitted >= 20);
  CHECK(emitted <= 200);
}

TEST_CASE("shuffle is load-aware by default: a slow task gets less; disabled, it is round robin") {
  for (bool disabled : {false, true}) {
    CAPTURE(disabled);
    TempDir dir;
    Builder b("load");
    std::string word(2000, 'w');  // big tuples fill the slow task's pipe quickly
    auto* spout = b.Add("spout", ir::Role::kSpout,
                        Py("seq_spout.py", {dir.File("spout"), "100000", "--reliable", "--words", word}), 1,
                        {"word", "n"});
    auto* bolt = b.Add("bolt", ir::Role::kBolt, Py("record_bolt.py", {dir.File("bolt"), "--sleep-odd", "0.01"}), 2,
                       {});
    Builder::Input(bolt, spout, ir::Grouping::Kind::kShuffle);
    b.Conf("topology.shellbolt.max.pending", 5);
    if (disabled) b.Conf("topology.disable.loadaware.messaging", true);
    RunOptions o = Options(dir, 8.0, 0);
    o.drain_secs = 0;
    RunResult r = RunTopology(*b.topo, o);
    REQUIRE(r.exit_code == 0);
    // Task ids: __acker 1, bolt 2 (fast) and 3 (sleeps), spout 4.
    std::map<int, int> per_task;
    for (const auto& l : ReadLines(dir.File("bolt"))) per_task[std::stoi(l)]++;
    double emitted = static_cast<double>(r.Find("spout")->emitted);
    REQUIRE(emitted > 100);
    double fast_share = per_task[2] / emitted;  // the fast task records all it gets
    MESSAGE("fast task got " << per_task[2] << " of " << emitted);
    if (disabled) {
      CHECK(fast_share <= 0.51);  // round robin: half, whatever the loads
    } else {
      CHECK(fast_share >= 0.55);
    }
  }
}

TEST_CASE("metrics commands are counted per name; an unregistered name kills the task as in Storm") {
  TempDir dir;
  Builder b("metrics");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "40", "--reliable"}), 1,
                      {"word", "n"});
  auto* good = b.Add("good", ir::Role::kBolt, Py("record_bolt.py", {dir.File("good"), "--metric", "seen"}), 1, {});
  Builder::Input(good, spout, ir::Grouping::Kind::kShuffle);
  good->config.push_back({"topoc.metrics", ir::Value::array({"seen"}), {}, {}});
  RunResult r = RunTopology(*b.topo, Options(dir, 60, 2.0));
  REQUIRE(r.exit_code == 0);
  CHECK(r.problems.empty());
  CHECK(r.Find("good")->metrics == std::map<std::string, uint64_t>{{"seen", 40}});

  TempDir dir2;
  Builder b2("metrics-bad");
  auto* s2 = b2.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir2.File("spout"), "3", "--reliable"}), 1,
                    {"word", "n"});
  auto* bad = b2.Add("bad", ir::Role::kBolt, Py("record_bolt.py", {dir2.File("bad"), "--metric", "nope"}), 1, {});
  Builder::Input(bad, s2, ir::Grouping::Kind::kShuffle);
  b2.Conf("topoc.metrics", ir::Value::array({"other"}));
  RunResult r2 = RunTopology(*b2.topo, Options(dir2, 3.0, 0));
  CHECK(Contains(r2.problems, "metrics for 'nope', which is not registered"));
  CHECK(Contains(r2.problems, "Could not find metric by name[nope]"));
  CHECK(r2.Find("bad")->metrics.empty());
}

TEST_CASE("topoc logs rotate at log.max_bytes; pid files of earlier runs are removed") {
  TempDir dir;
  fs::create_directories(dir.path / "stage" / "pids");
  std::ofstream(dir.path / "stage" / "pids" / "999999").put('\n');
  Builder b("logs");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "300", "--reliable"}), 1,
                      {"word", "n"});
  auto* bolt = b.Add("chatty", ir::Role::kBolt, Py("record_bolt.py", {dir.File("bolt"), "--stderr-lines"}), 1, {});
  Builder::Input(bolt, spout, ir::Grouping::Kind::kShuffle);
  RunOptions o = Options(dir, 60, 2.0);
  o.log_settings = {{"max_bytes", 4000}, {"backup_count", 2}};
  RunResult r = RunTopology(*b.topo, o);
  REQUIRE(r.exit_code == 0);
  CHECK(!fs::exists(dir.path / "stage" / "pids" / "999999"));
  fs::path log = dir.path / "logs" / "topoc_logs_chatty_2.log";
  REQUIRE(fs::exists(log));
  CHECK(fs::exists(log.string() + ".1"));
  CHECK(fs::exists(log.string() + ".2"));
  CHECK(!fs::exists(log.string() + ".3"));
  for (const char* suffix : {"", ".1", ".2"}) CHECK(fs::file_size(log.string() + suffix) <= 4000);
  // The latest lines are in the current file.
  auto lines = ReadLines(log.string());
  REQUIRE(!lines.empty());
  CHECK(lines.back().find("tuple 300 at task 2") != std::string::npos);
  CheckNoOrphans(dir);
}

TEST_CASE("shell components get the user's environment; only python components get the bundled runtime") {
  TempDir dir;
  const char* old = std::getenv("PYTHONPATH");
  std::string saved = old ? old : "";
  setenv("PYTHONPATH", "/tmp/users-own-path", 1);
  Builder b("env");
  std::string script = "echo \"PYTHONPATH=$PYTHONPATH\" > '" + dir.File("env") + "'; exec python3 seq_spout.py '" +
                       dir.File("spout") + "' 2";
  b.Add("spout", ir::Role::kSpout, {"sh", "-c", script}, 1, {"word", "n"});
  RunOptions o = Options(dir, 1.5, 0);
  o.python_runtime_dir = dir.path / "runtime-not-for-shell";
  RunResult r = RunTopology(*b.topo, o);
  if (old) setenv("PYTHONPATH", saved.c_str(), 1); else unsetenv("PYTHONPATH");
  REQUIRE(r.exit_code == 0);
  auto lines = ReadLines(dir.File("env"));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "PYTHONPATH=/tmp/users-own-path");
}

}  // namespace topoc::runtime
