// End-to-end runs of the local cluster: real subprocesses (Python scripts
// speaking raw multilang from tests/run/components/, and a Perl one) driven
// by RunTopology over IR built here. Each test asserts on what the
// components wrote to files in a temp dir and on the RunResult.
#include <doctest/doctest.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/driver/project.h"
#include "runtime/java_hash.h"
#include "runtime/local_cluster.h"
#include "runtime/topology_plan.h"
#include "tests/run/run_helpers.h"

namespace topoc::runtime {

TEST_CASE("spout -> bolt: every tuple acked once, round-robin shuffle splits evenly, handshake as Storm's") {
  TempDir dir;
  Builder b("simple");
  auto* spout = b.Add("seq-spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "200", "--reliable"}), 1,
                      {"word", "n"});
  auto* bolt = b.Add("record-bolt", ir::Role::kBolt, Py("record_bolt.py", {dir.File("bolt")}), 2, {});
  Builder::Input(bolt, spout, ir::Grouping::Kind::kShuffle);
  b.Conf("topology.message.timeout.secs", 10);
  b.Conf("topology.disable.loadaware.messaging", true);  // ShuffleGrouping: round robin
  spout->config.push_back({"topology.workers", 3, {}, {}});
  RunOptions o = Options(dir, 60, 3.0);
  o.overrides.push_back({"custom.key", "custom value"});
  RunResult r = RunTopology(*b.topo, o);
  REQUIRE(r.exit_code == 0);
  CHECK(r.problems.empty());

  auto spout_lines = ReadLines(dir.File("spout"));
  std::set<int> acked;
  int fails = 0;
  for (const auto& l : spout_lines) {
    if (l.rfind("ack ", 0) == 0) CHECK(acked.insert(std::stoi(l.substr(4))).second);
    if (l.rfind("fail ", 0) == 0) ++fails;
  }
  CHECK(acked.size() == 200);
  CHECK(fails == 0);
  CHECK(spout_lines.front() == "activate");
  CHECK(spout_lines.back() == "deactivate");

  // Task ids: __acker=1, record-bolt=2,3, seq-spout=4.
  std::map<int, int> per_task;
  for (const auto& l : ReadLines(dir.File("bolt"))) per_task[std::stoi(l)]++;
  CHECK(per_task == std::map<int, int>{{2, 100}, {3, 100}});

  const ComponentStats* s = r.Find("seq-spout");
  REQUIRE(s);
  CHECK(s->emitted == 200);
  CHECK(s->acked == 200);
  CHECK(r.Find("record-bolt")->acked == 200);
  CHECK(r.Find("record-bolt")->executed == 200);  // acked + failed by it
  CHECK(r.tuples_routed == 200);

  std::ifstream hf(dir.File("spout.handshake.4"));
  ir::Value hs = ir::Value::parse(hf);
  CHECK(hs["conf"]["topology.name"] == "simple");
  CHECK(hs["conf"]["topology.message.timeout.secs"] == 10);
  CHECK(hs["conf"]["custom.key"] == "custom value");
  // Storm 2.x defaults.yaml under the topology's config, the component's on top.
  CHECK(hs["conf"]["topology.shellbolt.max.pending"] == 100);
  CHECK(hs["conf"]["topology.multilang.serializer"] == "org.apache.storm.multilang.JsonSerializer");
  CHECK(hs["conf"]["topology.workers"] == 3);
  CHECK(hs["conf"]["topology.max.spout.pending"].is_null());
  CHECK(hs["conf"]["topology.disable.loadaware.messaging"] == true);
  CHECK(hs["conf"]["streamparse.log.path"] == fs::absolute(dir.path / "logs").string());
  CHECK(hs["conf"]["streamparse.log.level"] == "info");
  CHECK(hs["context"]["taskid"] == 4);
  CHECK(hs["context"]["componentid"] == "seq-spout");
  CHECK(hs["context"]["task->component"] ==
        ir::Value({{"1", "__acker"}, {"2", "record-bolt"}, {"3", "record-bolt"}, {"4", "seq-spout"}}));
  CHECK(hs["context"]["stream->target->grouping"]["default"]["record-bolt"]["type"] == "SHUFFLE");
  CHECK(fs::exists(dir.path / "logs" / "topoc_simple_record-bolt_2.log"));
  CheckNoOrphans(dir);
}

TEST_CASE("every grouping routes as Storm does") {
  TempDir dir;
  Builder b("groupings");
  const int n = 120;
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), std::to_string(n), "--reliable"}),
                      1, {"word", "n"});
  auto bolt = [&](const char* id, int p, ir::Grouping::Kind kind, std::vector<std::string> fields = {}) {
    auto* c = b.Add(id, ir::Role::kBolt, Py("record_bolt.py", {dir.File(id)}), p, {});
    Builder::Input(c, spout, kind, std::move(fields));
    return c;
  };
  bolt("fields", 4, ir::Grouping::Kind::kFields, {"word"});
  bolt("global", 3, ir::Grouping::Kind::kGlobal);
  bolt("all", 2, ir::Grouping::Kind::kAll);
  bolt("shuffle", 3, ir::Grouping::Kind::kShuffle);
  bolt("none", 2, ir::Grouping::Kind::kNone);
  bolt("partial", 5, ir::Grouping::Kind::kPartialKey, {"word"});
  bolt("local", 2, ir::Grouping::Kind::kLocalOrShuffle);
  b.Conf("topology.disable.loadaware.messaging", true);  // exact round robin below
  RunResult r = RunTopology(*b.topo, Options(dir, 60, 3.0));
  REQUIRE(r.exit_code == 0);
  CHECK(r.problems.empty());

  TopologyPlan plan;
  std::string error;
  REQUIRE(PlanTopology(*b.topo, {}, &plan, &error));
  auto tasks_of = [&](const char* id) { return plan.Find(id)->tasks; };
  struct Row {
    int task;
    std::string word;
    int n;
  };
  auto rows = [&](const char* id) {
    std::vector<Row> out;
    for (const auto& l : ReadLines(dir.File(id))) {
      std::istringstream in(l);
      int task;
      std::string comp, stream, rest;
      in >> task >> comp >> stream;
      std::getline(in, rest);
      ir::Value v = ir::Value::parse(rest);
      out.push_back({task, v[0].get<std::string>(), v[1].get<int>()});
    }
    return out;
  };

  // fields: task = sorted[floorMod(List.hashCode([word]), 4)]; Java says
  // "hello" -> index 1, "storm" -> 0, "cow" -> 2.
  auto ft = tasks_of("fields");
  std::map<std::string, std::set<int>> word_tasks;
  auto fields_rows = rows("fields");
  CHECK(fields_rows.size() == n);
  for (const auto& row : fields_rows) {
    word_tasks[row.word].insert(row.task);
    int32_t h = JavaListHashStep(1, JavaStringHash(row.word));
    CHECK(row.task == ft[static_cast<size_t>(FloorMod(h, 4))]);
  }
  CHECK(word_tasks["hello"] == std::set<int>{ft[1]});
  CHECK(word_tasks["storm"] == std::set<int>{ft[0]});
  CHECK(word_tasks["cow"] == std::set<int>{ft[2]});

  // global: the lowest task only.
  auto global_rows = rows("global");
  CHECK(global_rows.size() == n);
  for (const auto& row : global_rows) CHECK(row.task == tasks_of("global").front());

  // all: every task sees every tuple.
  std::map<int, int> all_count;
  for (const auto& row : rows("all")) all_count[row.task]++;
  CHECK(all_count == std::map<int, int>{{tasks_of("all")[0], n}, {tasks_of("all")[1], n}});

  // shuffle and local-or-shuffle: round robin over a shuffled list, so even.
  for (const char* id : {"shuffle", "local"}) {
    std::map<int, int> count;
    for (const auto& row : rows(id)) count[row.task]++;
    auto tt = tasks_of(id);
    REQUIRE(count.size() == tt.size());
    for (int t : tt) CHECK(count[t] == n / static_cast<int>(tt.size()));
  }

  // none: random, but every tuple lands on one of its tasks.
  auto none_rows = rows("none");
  CHECK(none_rows.size() == n);
  std::set<int> none_tasks;
  for (const auto& row : none_rows) none_tasks.insert(row.task);
  CHECK(none_tasks.size() == 2);  // 120 coin flips

  // partial key: each word goes to one of its two candidates (Java's
  // choice: "hello" -> {1, 0}, "storm" -> {3, 2}), the less loaded one.
  auto pt = tasks_of("partial");
  std::map<std::string, std::set<int>> pk_tasks;
  std::map<int, int> pk_load;
  for (const auto& row : rows("partial")) {
    pk_tasks[row.word].insert(row.task);
    pk_load[row.task]++;
  }
  auto subset = [](const std::set<int>& a, const std::set<int>& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
  };
  CHECK(subset(pk_tasks["hello"], {pt[1], pt[0]}));
  CHECK(subset(pk_tasks["storm"], {pt[3], pt[2]}));
  for (const auto& [word, tasks] : pk_tasks) {
    auto [c1, c2] = PartialKeyCandidates({JavaStringHash(word)}, 5);
    CHECK(subset(tasks, {pt[static_cast<size_t>(c1)], pt[static_cast<size_t>(c2)]}));
  }
  // Balanced: 120 tuples over the 4 tasks the 6 words can reach, none with
  // more than its fair share plus one word's worth.
  for (const auto& [task, count] : pk_load) CHECK(count <= 40);

  // Every tree (8 bolts' copies) acked.
  CHECK(r.Find("spout")->acked == n);
  CheckNoOrphans(dir);
}

TEST_CASE("direct grouping: emitDirect reaches the chosen task; a regular emit to a direct stream is an error") {
  TempDir dir;
  Builder b("direct");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "30", "--reliable"}), 1,
                      {"word", "n"});
  auto* relay = b.Add("relay", ir::Role::kBolt, Py("record_bolt.py", {dir.File("relay"), "--direct-to", "sink"}), 1,
                      {"word", "n"});
  Builder::Input(relay, spout, ir::Grouping::Kind::kShuffle);
  auto* sink = b.Add("sink", ir::Role::kBolt, Py("record_bolt.py", {dir.File("sink")}), 3, {});
  Builder::Input(sink, relay, ir::Grouping::Kind::kDirect);
  RunResult r = RunTopology(*b.topo, Options(dir, 60, 3.0));
  REQUIRE(r.exit_code == 0);
  CHECK(r.problems.empty());
  TopologyPlan plan;
  std::string error;
  REQUIRE(PlanTopology(*b.topo, {}, &plan, &error));
  int lowest = plan.Find("sink")->tasks.front();
  auto lines = ReadLines(dir.File("sink"));
  CHECK(lines.size() == 30);
  for (const auto& l : lines) CHECK(std::stoi(l) == lowest);
  CHECK(r.Find("spout")->acked == 30);

  // The spout's plain emit on a stream that a bolt takes with `direct`.
  TempDir dir2;
  Builder b2("direct-misuse");
  auto* s2 = b2.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir2.File("spout"), "5"}), 1, {"word", "n"});
  auto* k2 = b2.Add("sink", ir::Role::kBolt, Py("record_bolt.py", {dir2.File("sink")}), 1, {});
  Builder::Input(k2, s2, ir::Grouping::Kind::kDirect);
  RunResult r2 = RunTopology(*b2.topo, Options(dir2, 4.0, 0));
  CHECK(Contains(r2.problems, "Cannot do regular emit to direct stream"));
  CHECK(Contains(r2.problems, "component 'spout' task"));
  CheckNoOrphans(dir2);
}

TEST_CASE("at-least-once: a bolt that crashes every N tuples loses nothing") {
  TempDir dir;
  Builder b("faults");
  const int n = 300;
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), std::to_string(n), "--reliable"}),
                      1, {"word", "n"});
  auto* crasher = b.Add("crasher", ir::Role::kBolt,
                        Py("record_bolt.py", {dir.File("crasher"), "--emit", "--crash-every", "37"}), 2, {"word", "n"});
  Builder::Input(crasher, spout, ir::Grouping::Kind::kShuffle);
  auto* sink = b.Add("sink", ir::Role::kBolt, Py("record_bolt.py", {dir.File("sink")}), 2, {});
  Builder::Input(sink, crasher, ir::Grouping::Kind::kFields, {"word"});
  b.Conf("topology.message.timeout.secs", 5);
  RunResult r = RunTopology(*b.topo, Options(dir, 120, 3.0));
  REQUIRE(r.exit_code == 0);

  std::set<int> acked, failed;
  for (const auto& l : ReadLines(dir.File("spout"))) {
    if (l.rfind("ack ", 0) == 0) acked.insert(std::stoi(l.substr(4)));
    if (l.rfind("fail ", 0) == 0) failed.insert(std::stoi(l.substr(5)));
  }
  CHECK(acked.size() == n);  // every id eventually acked
  for (int i = 0; i < n; ++i) CHECK(acked.count(i) == 1);
  CHECK(!failed.empty());  // the crashes did fail trees
  // Every id reached the sink at least once.
  std::set<int> sunk;
  for (const auto& l : ReadLines(dir.File("sink"))) {
    auto pos = l.rfind(", ");
    sunk.insert(std::stoi(l.substr(pos + 2)));
  }
  CHECK(sunk.size() == n);
  CHECK(r.Find("crasher")->restarts >= 4);
  CHECK(Contains(r.problems, "component 'crasher' task"));
  CHECK(Contains(r.problems, "crashing on purpose"));  // stderr tail
  CHECK(Contains(r.problems, "exit code 3"));
  CheckNoOrphans(dir);
}

TEST_CASE("protocol errors are reported with component, task and stderr, and the task restarts") {
  struct Case {
    const char* mode;
    const char* expect;
  };
  for (const Case& c : {Case{"bad-json", "not a JSON object: '{this is not json'"},
                        Case{"bad-utf8", "not valid UTF-8 (byte 34): '{\"command\": \"emit\", \"tuple\": [\"caf\\xff\"]}'"},
                        Case{"unknown-ack", "ack of unknown tuple id \"12345\""},
                        Case{"missing-end", "no \"end\" line"},
                        Case{"unknown-command", "unknown command \"dance\""},
                        Case{"bad-anchor", "anchored to tuple id \"777\""},
                        Case{"wrong-arity", "tuple with 3 values on stream 'default', which declares 1 fields"}}) {
    CAPTURE(c.mode);
    TempDir dir;
    Builder b("protocol");
    auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "3", "--reliable"}), 1,
                        {"word", "n"});
    auto* bad = b.Add("bad", ir::Role::kBolt, Py("bad_bolt.py", {c.mode}), 1, {"x"});
    Builder::Input(bad, spout, ir::Grouping::Kind::kShuffle);
    b.Conf("topology.message.timeout.secs", 30);
    RunResult r = RunTopology(*b.topo, Options(dir, 4.0, 0));
    CHECK(r.exit_code == 0);
    REQUIRE(!r.problems.empty());
    CHECK(Contains(r.problems, c.expect));
    CHECK(Contains(r.problems, "component 'bad' task 2"));
    CHECK(Contains(r.problems, "about to misbehave"));
    CHECK(r.Find("bad")->restarts >= 1);
    // The tuple it held failed back to the spout at once (not after 30 s).
    bool saw_fail = false;
    for (const auto& l : ReadLines(dir.File("spout"))) saw_fail |= l.rfind("fail ", 0) == 0;
    CHECK(saw_fail);
    CheckNoOrphans(dir);
  }
}

TEST_CASE("a shell component in Perl runs") {
  TempDir dir;
  Builder b("perl");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "50", "--reliable"}), 1,
                      {"word", "n"});
  auto* bolt = b.Add("perl-count", ir::Role::kBolt, {"perl", "count_bolt.pl", dir.File("counts")}, 2, {});
  Builder::Input(bolt, spout, ir::Grouping::Kind::kFields, {"word"});
  RunResult r = RunTopology(*b.topo, Options(dir, 60, 3.0));
  REQUIRE(r.exit_code == 0);
  CHECK(r.problems.empty());
  std::map<std::string, int> counts;
  for (const auto& l : ReadLines(dir.File("counts"))) counts[l.substr(l.find(' ') + 1)]++;
  // 50 ids over 6 words: the first 2 words get 9, the others 8.
  CHECK(counts == std::map<std::string, int>{{"hello", 9}, {"storm", 9}, {"apple", 8},
                                             {"zebra", 8}, {"the", 8}, {"cow", 8}});
  CHECK(r.Find("spout")->acked == 50);
  CheckNoOrphans(dir);
}

TEST_CASE("message timeout fails unacked trees after T..2T; tick tuples arrive") {
  TempDir dir;
  Builder b("timeouts");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "1", "--reliable"}), 1,
                      {"word", "n"});
  auto* bolt = b.Add("sloth", ir::Role::kBolt, Py("record_bolt.py", {dir.File("sloth"), "--no-ack"}), 1, {});
  Builder::Input(bolt, spout, ir::Grouping::Kind::kShuffle);
  bolt->config.push_back({"topology.tick.tuple.freq.secs", 1, {}, {}});
  b.Conf("topology.message.timeout.secs", 1);
  RunResult r = RunTopology(*b.topo, Options(dir, 5.0, 0));
  REQUIRE(r.exit_code == 0);
  // Id 0 is never acked: it fails by timeout and the spout replays it.
  int fails = 0;
  for (const auto& l : ReadLines(dir.File("spout"))) fails += l == "fail 0";
  CHECK(fails >= 1);
  int ticks = 0, tuples = 0;
  for (const auto& l : ReadLines(dir.File("sloth"))) {
    if (l.find(" tick [1]") != std::string::npos) ++ticks;
    else ++tuples;
  }
  CHECK(ticks >= 2);
  CHECK(tuples >= 2);  // first delivery and at least one replay
}

TEST_CASE("topology.max.spout.pending holds back next; a silent bolt dies of heartbeat timeout") {
  TempDir dir;
  Builder b("pending");
  auto* spout = b.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir.File("spout"), "100", "--reliable"}), 1,
                      {"word", "n"});
  auto* bolt = b.Add("sloth", ir::Role::kBolt, Py("record_bolt.py", {dir.File("sloth"), "--no-ack"}), 1, {});
  Builder::Input(bolt, spout, ir::Grouping::Kind::kShuffle);
  b.Conf("topology.max.spout.pending", 3);
  RunResult r = RunTopology(*b.topo, Options(dir, 4.0, 0));
  REQUIRE(r.exit_code == 0);
  CHECK(ReadLines(dir.File("sloth")).size() == 3);  // nothing acks: 3 trees stay pending
  CHECK(r.Find("spout")->emitted == 3);

  TempDir dir2;
  Builder b2("silent");
  auto* s2 = b2.Add("spout", ir::Role::kSpout, Py("seq_spout.py", {dir2.File("spout"), "5", "--reliable"}), 1,
                    {"word", "n"});
  auto* k2 = b2.Add("mute", ir::Role::kBolt, Py("bad_bolt.py", {"silent"}), 1, {});
  Builder::Input(k2, s2, ir::Grouping::Kind::kShuffle);
  b2.Conf("topology.subprocess.timeout.secs", 2);
  RunResult r2 = RunTopology(*b2.topo, Options(dir2, 6.0, 0));
  CHECK(Contains(r2.problems, "component 'mute' task 2"));
  CHECK(Contains(r2.problems, "subprocess heartbeat timeout: silent for 2 s"));
  CHECK(Contains(r2.problems, "going silent"));
  CHECK(r2.Find("mute")->restarts >= 1);
  CheckNoOrphans(dir2);
}

TEST_CASE("components that cannot run give clear errors") {
  TempDir dir;
  Builder b("bad");
  auto* spout = b.Add("spout", ir::Role::kSpout, {"no-such-program-xyz"}, 1, {"word"});
  (void)spout;
  RunOptions o = Options(dir, 30, 0);
  o.max_start_failures = 3;
  RunResult r = RunTopology(*b.topo, o);
  CHECK(r.exit_code == 1);
  CHECK(r.error.find("component 'spout' task") != std::string::npos);
  CHECK(r.error.find("failed to start 3 times") != std::string::npos);
  CHECK(Contains(r.problems, "cannot run the command: No such file or directory"));

  Builder j("java");
  auto* jc = j.Add("kafka", ir::Role::kSpout, {}, 1, {"x"});
  jc->kind = ir::Kind::kJava;
  jc->java_class = "org.apache.storm.kafka.KafkaSpout";
  RunResult rj = RunTopology(*j.topo, Options(dir, 1, 0));
  CHECK(rj.exit_code == 1);
  CHECK(rj.error.find("'kafka' is a java component (org.apache.storm.kafka.KafkaSpout)") != std::string::npos);
  CHECK(rj.error.find("real Storm cluster") != std::string::npos);
}

TEST_CASE("MessagePack serializer: streamparse components on /usr/bin/python3, counts and acks") {
  if (std::system("/usr/bin/python3 -c 'import msgpack' >/dev/null 2>&1") != 0) {
    MESSAGE("SKIPPED: /usr/bin/python3 has no msgpack module (Debian: python3-msgpack)");
    return;
  }
  TempDir dir;
  Builder b("mp");
  auto* spout = b.Add("mp-spout", ir::Role::kSpout, {}, 1, {"word", "n", "x", "flag", "m"});
  spout->kind = ir::Kind::kPython;
  spout->python_class = "mp_components.MpSpout";
  auto* bolt = b.Add("mp-bolt", ir::Role::kBolt, {}, 3, {});
  bolt->kind = ir::Kind::kPython;
  bolt->python_class = "mp_components.MpBolt";
  Builder::Input(bolt, spout, ir::Grouping::Kind::kFields, {"word"});
  b.Conf("topology.multilang.serializer", "org.apache.storm.multilang.MsgpackSerializer");
  b.Conf("test.out", dir.File("out"));
  b.Conf("test.count", 300);
  RunOptions o = Options(dir, 60, 3.0);
  o.python = "/usr/bin/python3";
  o.python_runtime_dir = topoc::driver::BuiltinPythonRuntimeDir();
  RunResult r = RunTopology(*b.topo, o);
  REQUIRE(r.exit_code == 0);
  CHECK(r.problems.empty());

  auto spout_lines = ReadLines(dir.File("out.spout"));
  REQUIRE(!spout_lines.empty());
  CHECK(spout_lines.front() == "serializer msgpack");
  std::set<int> acked;
  for (const auto& l : spout_lines) {
    if (l.rfind("ack ", 0) == 0) CHECK(acked.insert(std::stoi(l.substr(4))).second);
    CHECK(l.rfind("fail ", 0) != 0);
  }
  CHECK(acked.size() == 300);
  CHECK(r.Find("mp-spout")->emitted == 300);
  CHECK(r.Find("mp-spout")->acked == 300);
  CHECK(r.Find("mp-bolt")->acked == 300);
  CHECK(r.tuples_routed == 300);

  // Fields grouping: each word at one task, the one Storm's hash picks
  // (task ids: __acker=1, mp-bolt=2..4, mp-spout=5).
  std::map<std::string, std::set<int>> tasks_of;
  int tuples = 0, bolts = 0;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    if (e.path().filename().string().rfind("out.bolt.", 0) != 0) continue;
    ++bolts;
    auto lines = ReadLines(e.path().string());
    REQUIRE(!lines.empty());
    CHECK(lines.front() == "serializer msgpack");
    for (size_t i = 1; i < lines.size(); ++i) {
      std::istringstream in(lines[i]);
      int task = 0;
      long long n = 0;
      std::string word, x;
      in >> task >> word >> n >> x;
      CHECK(n % 1000003 == 0);
      CHECK(x == std::to_string(n / 1000003) + ".5");
      tasks_of[word].insert(task);
      ++tuples;
    }
  }
  CHECK(bolts == 3);
  CHECK(tuples == 300);
  CHECK(tasks_of.size() == 7);
  for (const auto& [word, tasks] : tasks_of) {
    REQUIRE(tasks.size() == 1);
    int32_t h = JavaListHashStep(1, JavaStringHash(word));
    int want = 2 + static_cast<int>(((h % 3) + 3) % 3);
    CHECK_MESSAGE(*tasks.begin() == want, "word " << word);
  }
  CheckNoOrphans(dir);
}

TEST_CASE("MessagePack serializer: garbage from a task is a protocol error and the task restarts") {
  TempDir dir;
  Builder b("mpbad");
  // A JSON-speaking spout under a MessagePack conf: its `{"pid": N}\nend\n`
  // decodes as small ints, not a map; then 0xc1 never decodes.
  auto* spout = b.Add("bad-spout", ir::Role::kSpout,
                      {"/bin/sh", "-c", "cat >/dev/null & printf '\\301\\301'; sleep 30"}, 1, {"word"});
  (void)spout;
  b.Conf("topology.multilang.serializer", "MsgpackSerializer");
  RunOptions o = Options(dir, 2.5, 0);
  o.max_start_failures = 100;
  RunResult r = RunTopology(*b.topo, o);
  CHECK(r.exit_code == 0);
  CHECK(Contains(r.problems, "invalid MessagePack"));
  CHECK(Contains(r.problems, "0xc1"));
  CHECK(Contains(r.problems, "'bad-spout' task"));
  CHECK(r.Find("bad-spout")->restarts >= 1);
}

}  // namespace topoc::runtime
