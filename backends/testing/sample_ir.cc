#include "backends/testing/sample_ir.h"

#include <stdexcept>

namespace topoc::backends::testing {

TopologyBuilder::TopologyBuilder(std::string name) : topology_(std::make_unique<ir::Topology>()) {
  topology_->name = std::move(name);
}

ir::Component& TopologyBuilder::Add(std::string id, ir::Role role, ir::Kind kind) {
  auto c = std::make_unique<ir::Component>();
  c->id = std::move(id);
  c->role = role;
  c->kind = kind;
  by_id_[c->id] = c.get();
  topology_->components.push_back(std::move(c));
  return *topology_->components.back();
}

ir::Component& TopologyBuilder::Get(std::string_view id) {
  auto it = by_id_.find(std::string(id));
  if (it != by_id_.end()) return *it->second;
  throw std::logic_error("TopologyBuilder: no component " + std::string(id));
}

ir::Component& TopologyBuilder::Python(std::string id, ir::Role role, std::string cls) {
  auto& c = Add(std::move(id), role, ir::Kind::kPython);
  c.python_class = std::move(cls);
  return c;
}

ir::Component& TopologyBuilder::Shell(std::string id, ir::Role role,
                                      std::vector<std::string> command) {
  auto& c = Add(std::move(id), role, ir::Kind::kShell);
  c.shell_command = std::move(command);
  return c;
}

ir::Component& TopologyBuilder::Java(std::string id, ir::Role role, std::string java_class,
                                     std::vector<ir::JavaArg> args) {
  auto& c = Add(std::move(id), role, ir::Kind::kJava);
  c.java_class = std::move(java_class);
  c.java_args = std::move(args);
  return c;
}

void TopologyBuilder::Output(std::string_view id, std::string stream,
                             std::vector<std::string> fields, bool direct) {
  auto& c = Get(id);
  auto s = std::make_unique<ir::Stream>();
  s->id = std::move(stream);
  s->fields = std::move(fields);
  s->field_spans.resize(s->fields.size());
  s->direct = direct;
  s->owner = &c;
  c.streams.push_back(std::move(s));
}

void TopologyBuilder::Input(std::string_view bolt, std::string_view source,
                            std::string_view stream, ir::Grouping grouping) {
  auto& b = Get(bolt);
  const auto& src = Get(source);
  ir::Input in;
  in.source = &src;
  in.stream = src.FindStream(stream);
  if (!in.stream) throw std::logic_error("TopologyBuilder: no stream " + std::string(stream));
  in.grouping = std::move(grouping);
  b.inputs.push_back(std::move(in));
}

void TopologyBuilder::Config(std::string key, ir::Value value) {
  ir::ConfigEntry e;
  e.key = std::move(key);
  e.value = std::move(value);
  topology_->config.push_back(std::move(e));
}

std::unique_ptr<ir::Topology> TopologyBuilder::Finish() {
  topology_->BuildIndex();
  return std::move(topology_);
}

ir::Grouping Group(ir::Grouping::Kind kind, std::vector<std::string> fields) {
  ir::Grouping g;
  g.kind = kind;
  g.fields = std::move(fields);
  return g;
}

ir::JavaArg IntArg(int32_t v) {
  ir::JavaArg a;
  a.type = ir::JavaArg::Type::kInt;
  a.int_value = v;
  return a;
}
ir::JavaArg LongArg(int64_t v) {
  ir::JavaArg a;
  a.type = ir::JavaArg::Type::kLong;
  a.int_value = v;
  return a;
}
ir::JavaArg DoubleArg(double v) {
  ir::JavaArg a;
  a.type = ir::JavaArg::Type::kDouble;
  a.double_value = v;
  return a;
}
ir::JavaArg StringArg(std::string v) {
  ir::JavaArg a;
  a.type = ir::JavaArg::Type::kString;
  a.string_value = std::move(v);
  return a;
}
ir::JavaArg BoolArg(bool v) {
  ir::JavaArg a;
  a.type = ir::JavaArg::Type::kBool;
  a.bool_value = v;
  return a;
}

namespace {
using K = ir::Grouping::Kind;
using ir::Role;

ir::ConfigEntry Entry(std::string key, ir::Value value) {
  ir::ConfigEntry e;
  e.key = std::move(key);
  e.value = std::move(value);
  return e;
}
}  // namespace

std::unique_ptr<ir::Program> MakeWordcount() {
  TopologyBuilder b("wordcount");
  b.Config("topology.workers", 2);
  b.Config("topology.message.timeout.secs", 30);
  b.Python("word-spout", Role::kSpout, "spouts.words.WordSpout");
  b.Output("word-spout", "default", {"word"});
  auto& count = b.Python("count-bolt", Role::kBolt, "bolts.wordcount.WordCounter");
  count.parallelism = 2;
  b.Output("count-bolt", "default", {"word", "count"});
  b.Input("count-bolt", "word-spout", "default", Group(K::kShuffle));
  auto program = std::make_unique<ir::Program>();
  program->topologies.push_back(b.Finish());
  return program;
}

std::unique_ptr<ir::Program> MakeSentences() {
  TopologyBuilder b("sentences");
  b.Python("sentence-spout-1", Role::kSpout, "spouts.SentenceSpout").parallelism = 2;
  b.Output("sentence-spout-1", "default", {"sentence"});
  b.Shell("sentence-spout-2", Role::kSpout, {"node", "other_sentence_spout.js"});
  b.Output("sentence-spout-2", "default", {"sentence"});
  b.Python("sentence-splitter", Role::kBolt, "bolts.SentenceSplitter").parallelism = 2;
  b.Output("sentence-splitter", "default", {"word"});
  b.Output("sentence-splitter", "errors", {"sentence", "reason"});
  b.Input("sentence-splitter", "sentence-spout-1", "default", Group(K::kShuffle));
  b.Input("sentence-splitter", "sentence-spout-2", "default", Group(K::kShuffle));
  auto& counter = b.Python("word-counter", Role::kBolt, "bolts.WordCounter");
  counter.config.push_back(Entry("topology.tick.tuple.freq.secs", 10));
  b.Output("word-counter", "default", {"word", "count"});
  b.Input("word-counter", "sentence-splitter", "default", Group(K::kFields, {"word"}));
  b.Python("error-log", Role::kBolt, "bolts.ErrorLog");
  b.Input("error-log", "sentence-splitter", "errors", Group(K::kAll));
  b.Python("word-count-saver", Role::kBolt, "bolts.WordSaver");
  b.Input("word-count-saver", "word-counter", "default", Group(K::kShuffle));
  auto program = std::make_unique<ir::Program>();
  program->topologies.push_back(b.Finish());
  return program;
}

std::unique_ptr<ir::Program> MakeEveryFeature() {
  TopologyBuilder b("every-feature");
  b.Config("topology.workers", 4);
  b.Config("topology.debug", true);
  b.Config("topology.stats.sample.rate", 0.05);
  b.Config("topology.environment", ir::Value{{"LANG", "C.UTF-8"}, {"EMPTY", ""}});
  b.Config("topology.kryo.register", ir::Value::array({"com.example.A", "com.example.B"}));
  b.Config("custom.null", nullptr);
  b.Config("custom.text", "quote \" backslash \\ newline \n tab \t unicode \xC3\xA9 $dollar");
  b.Config("custom.big", int64_t{9007199254740993});
  b.Config("custom.negative", -7);
  b.Config("custom.exp", 1e100);
  b.Config("custom.nested", ir::Value{{"list", ir::Value::array({1, 2.5, "x", false, nullptr})},
                                      {"map", ir::Value::object()}});

  auto& py = b.Python("events", Role::kSpout, "spouts.events.EventSpout");
  py.parallelism = 2;
  py.tasks = 4;
  py.config.push_back(Entry("topology.max.spout.pending", 100));
  b.Output("events", "default", {"id", "user", "payload"});
  b.Output("events", "audit", {"id", "ts"});
  b.Output("events", "control", {"cmd"}, /*direct=*/true);

  b.Shell("legacy", Role::kSpout, {"node", "legacy spout.js", "--flag=\"x\""});
  b.Output("legacy", "default", {"user"});

  b.Java("kafka", Role::kSpout, "org.example.kafka.KafkaSpout",
         {IntArg(-5), LongArg(int64_t{1} << 40), DoubleArg(0.25),
          StringArg("topic \"a\""), BoolArg(true), BoolArg(false)});
  b.Output("kafka", "default", {"user"});

  b.Python("by-shuffle", Role::kBolt, "bolts.a.Shuffle");
  b.Input("by-shuffle", "events", "default", Group(K::kShuffle));
  b.Output("by-shuffle", "default", {"user"});
  b.Python("by-fields", Role::kBolt, "bolts.a.Fields");
  b.Input("by-fields", "events", "default", Group(K::kFields, {"user", "id"}));
  b.Python("by-all", Role::kBolt, "bolts.a.All");
  b.Input("by-all", "events", "audit", Group(K::kAll));
  b.Python("by-global", Role::kBolt, "bolts.a.Global");
  b.Input("by-global", "events", "audit", Group(K::kGlobal));
  b.Python("by-none", Role::kBolt, "bolts.a.None");
  b.Input("by-none", "legacy", "default", Group(K::kNone));
  auto& direct = b.Shell("by-direct", Role::kBolt, {"ruby", "direct.rb"});
  direct.parallelism = 3;
  b.Input("by-direct", "events", "control", Group(K::kDirect));
  b.Python("by-local", Role::kBolt, "bolts.a.Local");
  b.Input("by-local", "kafka", "default", Group(K::kLocalOrShuffle));
  b.Python("by-partial-key", Role::kBolt, "bolts.a.PartialKey");
  b.Input("by-partial-key", "by-shuffle", "default", Group(K::kPartialKey, {"user"}));
  auto& sink = b.Java("by-custom", Role::kBolt, "org.example.SinkBolt", {StringArg("jdbc:x")});
  sink.config.push_back(Entry("topology.tick.tuple.freq.secs", 5));
  sink.config.push_back(Entry("sink.options", ir::Value{{"batch", 10}, {"retry", 1.5}}));
  sink.config.push_back(Entry("sink.flags", ir::Value::array({true, nullptr})));
  ir::Grouping custom = Group(K::kCustom);
  custom.custom_class = "org.example.grouping.Sticky";
  custom.custom_args = {IntArg(3), StringArg("zone"), DoubleArg(-1.5), LongArg(-1),
                        BoolArg(false)};
  b.Input("by-custom", "events", "default", std::move(custom));
  b.Input("by-custom", "legacy", "default", Group(K::kShuffle));

  auto program = std::make_unique<ir::Program>();
  program->topologies.push_back(b.Finish());

  TopologyBuilder second("second");
  second.Python("s", Role::kSpout, "spouts.S");
  second.Output("s", "default", {"x"});
  second.Python("b", Role::kBolt, "bolts.B");
  second.Input("b", "s", "default", Group(K::kShuffle));
  program->topologies.push_back(second.Finish());
  return program;
}

std::unique_ptr<ir::Program> MakeGenerated(int n) {
  TopologyBuilder b("generated");
  b.Config("topology.workers", 4);
  b.Python("c0", Role::kSpout, "spouts.gen.Spout");
  b.Output("c0", "default", {"key", "value"});
  for (int i = 1; i < n; ++i) {
    std::string id = "c" + std::to_string(i);
    auto& c = b.Python(id, Role::kBolt, "bolts.gen.Bolt" + std::to_string(i % 10));
    c.parallelism = 1 + i % 4;
    b.Output(id, "default", {"key", "value"});
    std::string src = "c" + std::to_string((i - 1) / 2);
    b.Input(id, src, "default",
            i % 2 ? Group(K::kShuffle) : Group(K::kFields, {"key"}));
  }
  auto program = std::make_unique<ir::Program>();
  program->topologies.push_back(b.Finish());
  return program;
}

}  // namespace topoc::backends::testing
