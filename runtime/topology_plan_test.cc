#include "runtime/topology_plan.h"

#include <doctest/doctest.h>

namespace topoc::runtime {

namespace {

// spout "word-spout" (2 tasks) -> "count-bolt" (3, fields word) ; "Zeta" (1)
std::unique_ptr<ir::Topology> MakeTopology() {
  auto t = std::make_unique<ir::Topology>();
  t->name = "wordcount";
  auto spout = std::make_unique<ir::Component>();
  spout->id = "word-spout";
  spout->role = ir::Role::kSpout;
  spout->kind = ir::Kind::kPython;
  spout->python_class = "spouts.words.WordSpout";
  spout->parallelism = 2;
  auto s = std::make_unique<ir::Stream>();
  s->id = "default";
  s->fields = {"word"};
  s->owner = spout.get();
  spout->streams.push_back(std::move(s));
  auto bolt = std::make_unique<ir::Component>();
  bolt->id = "count-bolt";
  bolt->kind = ir::Kind::kShell;
  bolt->shell_command = {"perl", "count.pl"};
  bolt->parallelism = 1;
  bolt->tasks = 3;
  bolt->config.push_back({"topology.tick.tuple.freq.secs", 5, {}, {}});
  ir::Input in;
  in.source = spout.get();
  in.stream = spout->streams[0].get();
  in.grouping.kind = ir::Grouping::Kind::kFields;
  in.grouping.fields = {"word"};
  bolt->inputs.push_back(in);
  auto zeta = std::make_unique<ir::Component>();
  zeta->id = "Zeta";
  zeta->kind = ir::Kind::kShell;
  zeta->shell_command = {"true"};
  ir::Input in2 = in;
  in2.grouping.kind = ir::Grouping::Kind::kGlobal;
  in2.grouping.fields.clear();
  zeta->inputs.push_back(in2);
  t->components.push_back(std::move(spout));
  t->components.push_back(std::move(bolt));
  t->components.push_back(std::move(zeta));
  t->config.push_back({"topology.message.timeout.secs", 10, {}, {}});
  t->BuildIndex();
  return t;
}

}  // namespace

TEST_CASE("task ids follow Java String order of all component ids, system ones included") {
  auto topo = MakeTopology();
  TopologyPlan plan;
  std::string error;
  REQUIRE(PlanTopology(*topo, {}, &plan, &error));
  // "Zeta" < "__acker" < "count-bolt" < "word-spout" ('Z' < '_' < 'c' < 'w').
  REQUIRE(plan.components.size() == 4);
  CHECK(plan.components[0].id == "Zeta");
  CHECK(plan.components[0].tasks == std::vector<int>{1});
  CHECK(plan.components[1].id == "__acker");
  CHECK(plan.components[1].tasks == std::vector<int>{2});
  CHECK(plan.components[2].id == "count-bolt");
  CHECK(plan.components[2].tasks == std::vector<int>{3, 4, 5});
  CHECK(plan.components[3].id == "word-spout");
  CHECK(plan.components[3].tasks == std::vector<int>{6, 7});

  TopologyPlan no_ackers;
  REQUIRE(PlanTopology(*topo, {{"topology.acker.executors", 0}}, &no_ackers, &error));
  CHECK(no_ackers.Find("__acker")->tasks.empty());
  CHECK(no_ackers.Find("count-bolt")->tasks == std::vector<int>{2, 3, 4});

  CHECK_FALSE(PlanTopology(*topo, {{"topology.acker.executors", "two"}}, &plan, &error));
  CHECK(error.find("topology.acker.executors") != std::string::npos);
}

TEST_CASE("Java String order compares UTF-16 units") {
  CHECK(JavaStringLess("B", "a"));
  CHECK(JavaStringLess("a", "ab"));
  // U+FF5E (one unit 0xFF5E) sorts after U+1F600 (0xD83D 0xDE00) in Java,
  // though its UTF-8 bytes sort first.
  CHECK(JavaStringLess("\xf0\x9f\x98\x80", "\xef\xbd\x9e"));
}

TEST_CASE("conf merges topology, component and -o, plus topology.name and extras") {
  auto topo = MakeTopology();
  TopologyPlan plan;
  std::string error;
  std::pair<std::string, ir::Value> o;
  REQUIRE(ParseOverride("topology.message.timeout.secs=60", &o, &error));
  CHECK(o.second == 60);
  REQUIRE(PlanTopology(*topo, {o}, &plan, &error));
  ir::Value extra = {{"streamparse.log.level", "debug"}};
  ir::Value conf = plan.ComponentConf(*topo->components[1], extra);
  CHECK(conf["topology.message.timeout.secs"] == 60);
  CHECK(conf["topology.tick.tuple.freq.secs"] == 5);
  CHECK(conf["topology.name"] == "wordcount");
  CHECK(conf["streamparse.log.level"] == "debug");

  REQUIRE(ParseOverride("x=plain text", &o, &error));
  CHECK(o.second == "plain text");
  CHECK_FALSE(ParseOverride("novalue", &o, &error));
  CHECK(error.find("key=value") != std::string::npos);
}

TEST_CASE("context carries every Storm 2.x key") {
  auto topo = MakeTopology();
  TopologyPlan plan;
  std::string error;
  REQUIRE(PlanTopology(*topo, {}, &plan, &error));
  ir::Value ctx = TaskContext(plan, *topo->components[0], 6);
  CHECK(ctx["taskid"] == 6);
  CHECK(ctx["componentid"] == "word-spout");
  CHECK(ctx["task->component"]["2"] == "__acker");
  CHECK(ctx["task->component"].size() == 7);
  CHECK(ctx["streams"] == ir::Value::array({"default"}));
  CHECK(ctx["stream->outputfields"]["default"] == ir::Value::array({"word"}));
  CHECK(ctx["stream->target->grouping"]["default"]["count-bolt"]["type"] == "FIELDS");
  CHECK(ctx["stream->target->grouping"]["default"]["count-bolt"]["fields"] == ir::Value::array({"word"}));
  CHECK(ctx["stream->target->grouping"]["default"]["Zeta"]["fields"] == ir::Value::array());
  CHECK(ctx["source->stream->grouping"].empty());

  ir::Value bctx = TaskContext(plan, *topo->components[1], 3);
  CHECK(bctx["source->stream->grouping"]["word-spout"]["default"]["type"] == "FIELDS");
  CHECK(bctx["source->stream->fields"]["word-spout"]["default"] == ir::Value::array({"word"}));
  CHECK(bctx["streams"].empty());
}

}  // namespace topoc::runtime
