// ThriftBackend / BuildStormTopology on IR built in C++: every grouping,
// named and direct streams, java args of every type, config values of every
// type, each Storm version, decoding with the generated reader, round trip
// through the JSON view, byte-identical rebuilds, and the diagnostics.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/storm_launch.h"
#include "backends/thrift/storm_codec.h"
#include "backends/thrift/thrift_backend.h"

namespace {

using namespace topoc;
using topoc::backends::BackendOptions;
using topoc::backends::MemorySink;
using topoc::backends::StormVersion;
using topoc::backends::thrift::BuildStormTopology;
using topoc::backends::thrift::DecodeStormTopology;
using topoc::backends::thrift::EncodeStormTopology;
using topoc::backends::thrift::StormTopologyToJson;
using topoc::backends::thrift::ThriftBackend;
using Json = nlohmann::ordered_json;

// Small builder for checked IR.
struct TopoBuilder {
  std::unique_ptr<ir::Program> program = std::make_unique<ir::Program>();
  ir::Topology* topology = nullptr;

  explicit TopoBuilder(std::string name) {
    auto t = std::make_unique<ir::Topology>();
    t->name = std::move(name);
    topology = t.get();
    program->topologies.push_back(std::move(t));
  }

  ir::Component& Add(std::string id, ir::Role role, ir::Kind kind) {
    auto c = std::make_unique<ir::Component>();
    c->id = std::move(id);
    c->role = role;
    c->kind = kind;
    topology->components.push_back(std::move(c));
    topology->BuildIndex();
    return *topology->components.back();
  }

  ir::Component& Python(std::string id, ir::Role role, std::string cls) {
    auto& c = Add(std::move(id), role, ir::Kind::kPython);
    c.python_class = std::move(cls);
    return c;
  }

  static ir::Stream& Output(ir::Component& c, std::string id, std::vector<std::string> fields,
                            bool direct = false) {
    auto s = std::make_unique<ir::Stream>();
    s->id = std::move(id);
    s->fields = std::move(fields);
    s->direct = direct;
    s->owner = &c;
    c.streams.push_back(std::move(s));
    return *c.streams.back();
  }

  static ir::Input& Input(ir::Component& consumer, const ir::Component& source,
                          std::string_view stream, ir::Grouping::Kind kind,
                          std::vector<std::string> fields = {}) {
    ir::Input in;
    in.source = &source;
    in.stream = source.FindStream(stream);
    REQUIRE(in.stream != nullptr);
    in.grouping.kind = kind;
    in.grouping.fields = std::move(fields);
    consumer.inputs.push_back(std::move(in));
    return consumer.inputs.back();
  }
};

ir::JavaArg Arg(ir::JavaArg::Type type) {
  ir::JavaArg a;
  a.type = type;
  return a;
}

// wordcount as in the seed: a python spout and two python bolts.
TopoBuilder WordCount() {
  TopoBuilder b("wordcount");
  auto& spout = b.Python("word-spout", ir::Role::kSpout, "spouts.words.WordSpout");
  TopoBuilder::Output(spout, "default", {"word"});
  spout.parallelism = 2;
  auto& counter = b.Python("count-bolt", ir::Role::kBolt, "bolts.wordcount.WordCountBolt");
  TopoBuilder::Output(counter, "default", {"word", "count"});
  counter.parallelism = 4;
  TopoBuilder::Input(counter, spout, "default", ir::Grouping::Kind::kFields, {"word"});
  return b;
}

// A topology using every feature the backend maps.
TopoBuilder Everything() {
  TopoBuilder b("everything");
  auto& spout = b.Python("src", ir::Role::kSpout, "spouts.src.Source");
  TopoBuilder::Output(spout, "default", {"key", "value"});
  TopoBuilder::Output(spout, "errors", {"message"});
  TopoBuilder::Output(spout, "targeted", {"key"}, /*direct=*/true);
  spout.tasks = 6;
  spout.parallelism = 3;

  auto& jspout = b.Add("jsrc", ir::Role::kSpout, ir::Kind::kJava);
  jspout.java_class = "com.example.Spout";
  auto i = Arg(ir::JavaArg::Type::kInt);
  i.int_value = -7;
  auto l = Arg(ir::JavaArg::Type::kLong);
  l.int_value = 1LL << 40;
  auto d = Arg(ir::JavaArg::Type::kDouble);
  d.double_value = 2.5;
  auto s = Arg(ir::JavaArg::Type::kString);
  s.string_value = "héllo \"q\"";
  auto t = Arg(ir::JavaArg::Type::kBool);
  t.bool_value = true;
  jspout.java_args = {i, l, d, s, t};
  TopoBuilder::Output(jspout, "default", {"n"});

  auto& sh = b.Add("shelly", ir::Role::kBolt, ir::Kind::kShell);
  sh.shell_command = {"node", "bolt.js"};
  TopoBuilder::Output(sh, "default", {"key", "n"});
  TopoBuilder::Input(sh, spout, "default", ir::Grouping::Kind::kShuffle);
  TopoBuilder::Input(sh, spout, "errors", ir::Grouping::Kind::kAll);
  TopoBuilder::Input(sh, spout, "targeted", ir::Grouping::Kind::kDirect);
  TopoBuilder::Input(sh, jspout, "default", ir::Grouping::Kind::kLocalOrShuffle);

  auto& sink = b.Python("sink", ir::Role::kBolt, "bolts.sink.Sink");
  // no output: no streams
  TopoBuilder::Input(sink, sh, "default", ir::Grouping::Kind::kGlobal);
  TopoBuilder::Input(sink, spout, "default", ir::Grouping::Kind::kPartialKey, {"key"});
  TopoBuilder::Input(sink, spout, "errors", ir::Grouping::Kind::kNone);
  auto& custom = TopoBuilder::Input(sink, jspout, "default", ir::Grouping::Kind::kCustom);
  custom.grouping.custom_class = "com.example.MyGrouping";
  auto cs = Arg(ir::JavaArg::Type::kString);
  cs.string_value = "x";
  custom.grouping.custom_args = {cs, i};

  auto& fb = b.Python("fields-bolt", ir::Role::kBolt, "bolts.f.F");
  TopoBuilder::Input(fb, sh, "default", ir::Grouping::Kind::kFields, {"key", "n"});

  // config values of every type, in declaration order
  auto add = [&](std::string key, ir::Value v) {
    ir::ConfigEntry e;
    e.key = std::move(key);
    e.value = std::move(v);
    sink.config.push_back(std::move(e));
  };
  add("z.null", nullptr);
  add("a.bool", false);
  add("m.int", 42);
  add("b.double", 1.0);
  add("s.string", "text");
  add("l.list", ir::Value::array({1, "two", 3.5}));
  ir::Value map = ir::Value::object();
  map["y"] = 1;
  map["x"] = ir::Value::array();
  add("k.map", map);
  return b;
}

topoc::storm::StormTopology BuildOk(const ir::Topology& t, BackendOptions options = {}) {
  DiagnosticEngine diags;
  topoc::storm::StormTopology out;
  bool ok = BuildStormTopology(t, options, diags, &out);
  for (const auto& d : diags.diagnostics()) INFO(d.code << ": " << d.message);
  REQUIRE(ok);
  REQUIRE(diags.ErrorCount() == 0);
  return out;
}

topoc::storm::StormTopology Reread(const topoc::storm::StormTopology& t) {
  std::string error;
  topoc::storm::StormTopology back;
  REQUIRE(DecodeStormTopology(EncodeStormTopology(t), &back, &error));
  return back;
}

}  // namespace

TEST_CASE("wordcount: python components are shell launchers with streams and inputs") {
  auto b = WordCount();
  BackendOptions options;
  options.python_interpreter = "/venvs/wordcount/bin/python";
  auto t = Reread(BuildOk(*b.topology, options));

  REQUIRE(t.spouts.size() == 1);
  REQUIRE(t.bolts.size() == 1);
  CHECK(t.state_spouts.empty());
  CHECK_FALSE(bool(t.__isset.storm_version));
  CHECK_FALSE(bool(t.__isset.worker_hooks));

  const auto& spout = t.spouts.at("word-spout");
  REQUIRE(bool(spout.spout_object.__isset.shell));
  CHECK(spout.spout_object.shell.execution_command == "/venvs/wordcount/bin/python");
  CHECK(spout.spout_object.shell.script == "_topoc/spouts.words.WordSpout.py");
  CHECK(spout.spout_object.shell.script ==
        topoc::backends::PythonLauncherPath("spouts.words.WordSpout"));
  CHECK(spout.common.inputs.empty());
  CHECK(spout.common.parallelism_hint == 2);
  CHECK(spout.common.json_conf == "{}");
  REQUIRE(spout.common.streams.count("default") == 1);
  CHECK(spout.common.streams.at("default").output_fields == std::vector<std::string>{"word"});
  CHECK_FALSE(spout.common.streams.at("default").direct);

  const auto& bolt = t.bolts.at("count-bolt");
  CHECK(bolt.common.parallelism_hint == 4);
  REQUIRE(bolt.common.inputs.size() == 1);
  const auto& [id, grouping] = *bolt.common.inputs.begin();
  CHECK(id.componentId == "word-spout");
  CHECK(id.streamId == "default");
  REQUIRE(bool(grouping.__isset.fields));
  CHECK(grouping.fields == std::vector<std::string>{"word"});
  CHECK_FALSE(bool(grouping.__isset.shuffle));
}

TEST_CASE("every grouping maps to its Storm member") {
  auto b = Everything();
  auto t = Reread(BuildOk(*b.topology));
  auto input = [&](const std::string& bolt, const std::string& comp, const std::string& stream) {
    topoc::storm::GlobalStreamId id;
    id.componentId = comp;
    id.streamId = stream;
    const auto& inputs = t.bolts.at(bolt).common.inputs;
    REQUIRE(inputs.count(id) == 1);
    return inputs.at(id);
  };
  CHECK(bool(input("shelly", "src", "default").__isset.shuffle));
  CHECK(bool(input("shelly", "src", "errors").__isset.all));
  CHECK(bool(input("shelly", "src", "targeted").__isset.direct));
  CHECK(bool(input("shelly", "jsrc", "default").__isset.local_or_shuffle));
  auto global = input("sink", "shelly", "default");
  REQUIRE(bool(global.__isset.fields));
  CHECK(global.fields.empty());
  CHECK(bool(input("sink", "src", "errors").__isset.none));
  auto fields = input("fields-bolt", "shelly", "default");
  CHECK(fields.fields == std::vector<std::string>{"key", "n"});

  auto custom = input("sink", "jsrc", "default");
  REQUIRE(bool(custom.__isset.custom_object));
  CHECK(custom.custom_object.full_class_name == "com.example.MyGrouping");
  REQUIRE(custom.custom_object.args_list.size() == 2);
  CHECK(custom.custom_object.args_list[0].string_arg == "x");
  CHECK(custom.custom_object.args_list[1].int_arg == -7);

  auto pk = input("sink", "src", "default");
  REQUIRE(bool(pk.__isset.custom_object));
  CHECK(pk.custom_object.full_class_name == "org.apache.storm.grouping.PartialKeyGrouping");
  CHECK(pk.custom_object.args_list.empty());
  CHECK_FALSE(bool(pk.__isset.custom_serialized));
}

TEST_CASE("named and direct streams; no output means no streams") {
  auto b = Everything();
  auto t = Reread(BuildOk(*b.topology));
  const auto& streams = t.spouts.at("src").common.streams;
  REQUIRE(streams.size() == 3);
  CHECK(streams.at("errors").output_fields == std::vector<std::string>{"message"});
  CHECK_FALSE(streams.at("errors").direct);
  CHECK(streams.at("targeted").direct);
  CHECK(t.bolts.at("sink").common.streams.empty());
  CHECK(t.bolts.at("fields-bolt").common.streams.empty());
}

TEST_CASE("java component args keep their Thrift types") {
  auto b = Everything();
  auto t = Reread(BuildOk(*b.topology));
  const auto& obj = t.spouts.at("jsrc").spout_object;
  REQUIRE(bool(obj.__isset.java_object));
  CHECK_FALSE(bool(obj.__isset.shell));
  CHECK(obj.java_object.full_class_name == "com.example.Spout");
  const auto& args = obj.java_object.args_list;
  REQUIRE(args.size() == 5);
  CHECK(bool(args[0].__isset.int_arg));
  CHECK(args[0].int_arg == -7);
  CHECK(bool(args[1].__isset.long_arg));
  CHECK(args[1].long_arg == (1LL << 40));
  CHECK_FALSE(bool(args[1].__isset.int_arg));
  CHECK(bool(args[2].__isset.double_arg));
  CHECK(args[2].double_arg == 2.5);
  CHECK(bool(args[3].__isset.string_arg));
  CHECK(args[3].string_arg == "héllo \"q\"");
  CHECK(bool(args[4].__isset.bool_arg));
  CHECK(args[4].bool_arg == true);
}

TEST_CASE("shell component argv and json_conf with every value type and tasks") {
  auto b = Everything();
  auto t = Reread(BuildOk(*b.topology));
  const auto& shell = t.bolts.at("shelly").bolt_object.shell;
  CHECK(shell.execution_command == "node");
  CHECK(shell.script == "bolt.js");

  CHECK(t.bolts.at("sink").common.json_conf ==
        R"({"z.null":null,"a.bool":false,"m.int":42,"b.double":1.0,"s.string":"text",)"
        R"("l.list":[1,"two",3.5],"k.map":{"y":1,"x":[]}})");
  CHECK(t.spouts.at("src").common.json_conf == R"({"topology.tasks":6})");
  CHECK(t.spouts.at("src").common.parallelism_hint == 3);
}

TEST_CASE("Storm versions: same bytes for 0.9/1.x/2.x; storm_version only on request") {
  auto b = WordCount();
  BackendOptions v09, v1, v2;
  v09.storm_version = StormVersion::k0_9;
  v1.storm_version = StormVersion::k1_x;
  v2.storm_version = StormVersion::k2_x;
  std::string b09 = EncodeStormTopology(BuildOk(*b.topology, v09));
  std::string b1 = EncodeStormTopology(BuildOk(*b.topology, v1));
  std::string b2 = EncodeStormTopology(BuildOk(*b.topology, v2));
  CHECK(b09 == b1);
  CHECK(b1 == b2);

  v2.extra["storm_version"] = "2.8.0";
  auto t2 = Reread(BuildOk(*b.topology, v2));
  CHECK(bool(t2.__isset.storm_version));
  CHECK(t2.storm_version == "2.8.0");
  CHECK_FALSE(bool(t2.__isset.shared_memory));

  v1.extra["thrift.storm_version"] = "1.2.4";
  CHECK(Reread(BuildOk(*b.topology, v1)).storm_version == "1.2.4");

  // Partial-key is 1.x/2.x only.
  auto e = Everything();
  CHECK(EncodeStormTopology(BuildOk(*e.topology, v1)) !=
        EncodeStormTopology(BuildOk(*e.topology, BackendOptions{})) );  // storm_version set in v1
  DiagnosticEngine diags;
  topoc::storm::StormTopology out;
  CHECK_FALSE(BuildStormTopology(*e.topology, v09, diags, &out));
  REQUIRE(diags.ErrorCount() == 1);
  CHECK(diags.diagnostics()[0].code == "E0501");
  CHECK(diags.diagnostics()[0].message.find("Storm 0.9") != std::string::npos);
}

TEST_CASE("rebuilds are byte-identical") {
  auto a = Everything();
  auto b = Everything();
  std::string first = EncodeStormTopology(BuildOk(*a.topology));
  CHECK(first == EncodeStormTopology(BuildOk(*a.topology)));
  CHECK(first == EncodeStormTopology(BuildOk(*b.topology)));

  ThriftBackend backend;
  MemorySink s1, s2;
  DiagnosticEngine d1, d2;
  REQUIRE(backend.Generate(*a.program, {}, s1, d1));
  REQUIRE(backend.Generate(*b.program, {}, s2, d2));
  CHECK(s1.Files() == s2.Files());
  CHECK(s1.Files().at("everything.stormtopology") == first);
}

TEST_CASE("round trip: build -> bytes -> dump JSON matches the IR") {
  auto b = Everything();
  auto built = BuildOk(*b.topology);
  std::string bytes = EncodeStormTopology(built);
  topoc::storm::StormTopology back;
  std::string error;
  REQUIRE(DecodeStormTopology(bytes, &back, &error));
  CHECK(back == built);
  // Re-encoding the decoded struct gives the same bytes.
  CHECK(EncodeStormTopology(back) == bytes);

  Json j = StormTopologyToJson(back);
  CHECK(j["spouts"].size() == 2);
  CHECK(j["bolts"].size() == 3);
  CHECK(j["state_spouts"].empty());
  CHECK(j["spouts"]["src"]["spout_object"]["shell"]["script"] == "_topoc/spouts.src.Source.py");
  CHECK(j["spouts"]["src"]["common"]["json_conf"]["topology.tasks"] == 6);
  CHECK(j["spouts"]["src"]["common"]["streams"]["targeted"]["direct"] == true);
  const Json& sink_inputs = j["bolts"]["sink"]["common"]["inputs"];
  REQUIRE(sink_inputs.size() == 4);
  // inputs in key order: (jsrc, default), (shelly, default), (src, default), (src, errors)
  CHECK(sink_inputs[0]["component"] == "jsrc");
  CHECK(sink_inputs[0]["grouping"]["custom_object"]["full_class_name"] ==
        "com.example.MyGrouping");
  CHECK(sink_inputs[1]["grouping"]["fields"] == Json::array());
  CHECK(sink_inputs[3]["grouping"].contains("none"));
  const Json& args = j["spouts"]["jsrc"]["spout_object"]["java_object"]["args_list"];
  CHECK(args[0]["int_arg"] == -7);
  CHECK(args[1]["long_arg"] == (1LL << 40));
  CHECK(args[2]["double_arg"] == 2.5);
  CHECK(args[3]["string_arg"] == "héllo \"q\"");
  CHECK(args[4]["bool_arg"] == true);
  // The json_conf view keeps declaration order and value types.
  const Json& conf = j["bolts"]["sink"]["common"]["json_conf"];
  CHECK(conf.begin().key() == "z.null");
  CHECK(conf["b.double"].is_number_float());
  CHECK(conf["m.int"].is_number_integer());
  CHECK(conf["k.map"]["x"].is_array());

  // The dump of the same bytes is stable text.
  CHECK(topoc::backends::thrift::StormTopologyToJsonText(back) ==
        topoc::backends::thrift::StormTopologyToJsonText(built));
}

TEST_CASE("Generate writes the topology file and python launchers") {
  auto b = WordCount();
  ThriftBackend backend;
  MemorySink sink;
  DiagnosticEngine diags;
  REQUIRE(backend.Generate(*b.program, {}, sink, diags));
  auto files = sink.Files();
  REQUIRE(files.size() == 3);
  CHECK(files.count("wordcount.stormtopology") == 1);
  CHECK(files.at("resources/_topoc/spouts.words.WordSpout.py") ==
        topoc::backends::PythonLauncherSource("spouts.words.WordSpout"));
  CHECK(files.count("resources/_topoc/bolts.wordcount.WordCountBolt.py") == 1);

  BackendOptions no_launchers;
  no_launchers.extra["launchers"] = "false";
  MemorySink sink2;
  REQUIRE(backend.Generate(*b.program, no_launchers, sink2, diags));
  CHECK(sink2.Files().size() == 1);
  CHECK(sink2.Files().at("wordcount.stormtopology") == files.at("wordcount.stormtopology"));
}

TEST_CASE("Generate selects one topology by name, or reports an unknown one") {
  auto a = WordCount();
  auto e = Everything();
  a.program->topologies.push_back(std::move(e.program->topologies[0]));
  ThriftBackend backend;
  {
    MemorySink sink;
    DiagnosticEngine diags;
    REQUIRE(backend.Generate(*a.program, {}, sink, diags));
    CHECK(sink.Files().count("wordcount.stormtopology") == 1);
    CHECK(sink.Files().count("everything.stormtopology") == 1);
  }
  {
    BackendOptions o;
    o.topology_name = "everything";
    o.extra["launchers"] = "false";
    MemorySink sink;
    DiagnosticEngine diags;
    REQUIRE(backend.Generate(*a.program, o, sink, diags));
    REQUIRE(sink.Files().size() == 1);
    CHECK(sink.Files().count("everything.stormtopology") == 1);
  }
  {
    BackendOptions o;
    o.topology_name = "nope";
    MemorySink sink;
    DiagnosticEngine diags;
    CHECK_FALSE(backend.Generate(*a.program, o, sink, diags));
    REQUIRE(diags.ErrorCount() == 1);
    CHECK(diags.diagnostics()[0].code == "E0504");
    CHECK(sink.Files().empty());
  }
}

TEST_CASE("shell commands that are not exactly two strings run through a /bin/sh wrapper") {
  struct Case {
    std::string id;
    std::vector<std::string> argv;
  };
  for (const Case& k : {Case{"sh", {"./bolt"}}, Case{"node bolt/1", {"node", "a.js", "--x", "it's"}}}) {
    auto b = WordCount();
    auto& sh = b.Add(k.id, ir::Role::kBolt, ir::Kind::kShell);
    sh.shell_command = k.argv;
    TopoBuilder::Input(sh, *b.topology->FindComponent("word-spout"), "default",
                       ir::Grouping::Kind::kShuffle);
    ThriftBackend backend;
    MemorySink sink;
    DiagnosticEngine diags;
    REQUIRE(backend.Generate(*b.program, {}, sink, diags));
    CHECK(diags.ErrorCount() == 0);
    std::string wrapper = topoc::backends::ShellWrapperPath(k.id);
    CHECK(wrapper.rfind("_topoc/", 0) == 0);
    CHECK(wrapper.find(' ') == std::string::npos);
    auto files = sink.Files();
    REQUIRE(files.count("resources/" + wrapper) == 1);
    CHECK(files.at("resources/" + wrapper) == topoc::backends::ShellWrapperSource(k.argv));
    topoc::storm::StormTopology t;
    std::string error;
    REQUIRE(DecodeStormTopology(files.at("wordcount.stormtopology"), &t, &error));
    const auto& shell = t.bolts.at(k.id).bolt_object.shell;
    CHECK(shell.execution_command == "/bin/sh");
    CHECK(shell.script == wrapper);

    // launchers=false: the same topology, no wrapper file.
    BackendOptions no_launchers;
    no_launchers.extra["launchers"] = "false";
    MemorySink sink2;
    REQUIRE(backend.Generate(*b.program, no_launchers, sink2, diags));
    CHECK(sink2.Files().size() == 1);
    CHECK(sink2.Files().at("wordcount.stormtopology") == files.at("wordcount.stormtopology"));
  }
}

TEST_CASE("one shell id with two commands in two topologies is E0505; same command is shared") {
  for (bool same : {false, true}) {
    auto a = WordCount();
    auto b = WordCount();
    b.topology->name = "other";
    a.Add("sh", ir::Role::kSpout, ir::Kind::kShell).shell_command = {"./a"};
    b.Add("sh", ir::Role::kSpout, ir::Kind::kShell).shell_command = {same ? "./a" : "./b"};
    a.program->topologies.push_back(std::move(b.program->topologies[0]));
    ThriftBackend backend;
    MemorySink sink;
    DiagnosticEngine diags;
    CHECK(backend.Generate(*a.program, {}, sink, diags) == same);
    if (same) {
      CHECK(sink.Files().count("resources/_topoc/sh.sh") == 1);
    } else {
      REQUIRE(diags.ErrorCount() == 1);
      CHECK(diags.diagnostics()[0].code == "E0505");
      CHECK(diags.diagnostics()[0].message.find("_topoc/sh.sh") != std::string::npos);
      CHECK(sink.Files().empty());
    }
  }
}

TEST_CASE("a two-string shell command gets no wrapper") {
  auto b = WordCount();
  auto& sh = b.Add("two", ir::Role::kBolt, ir::Kind::kShell);
  sh.shell_command = {"node", "a.js"};
  TopoBuilder::Input(sh, *b.topology->FindComponent("word-spout"), "default",
                     ir::Grouping::Kind::kShuffle);
  ThriftBackend backend;
  MemorySink sink;
  DiagnosticEngine diags;
  REQUIRE(backend.Generate(*b.program, {}, sink, diags));
  for (const auto& [path, _] : sink.Files()) CHECK(path.find(".sh") == std::string::npos);
}

TEST_CASE("an empty shell command (hand-built IR; sema refuses it) is E0550; nothing written") {
  for (std::vector<std::string> argv : {std::vector<std::string>{}, std::vector<std::string>{""}}) {
    auto b = WordCount();
    auto& sh = b.Add("sh", ir::Role::kBolt, ir::Kind::kShell);
    sh.shell_command = argv;
    sh.span = Span{0, 10, 20};
    TopoBuilder::Input(sh, *b.topology->FindComponent("word-spout"), "default",
                       ir::Grouping::Kind::kShuffle);
    ThriftBackend backend;
    MemorySink sink;
    DiagnosticEngine diags;
    CHECK_FALSE(backend.Generate(*b.program, {}, sink, diags));
    REQUIRE(diags.ErrorCount() == 1);
    const auto& d = diags.diagnostics()[0];
    CHECK(d.code == "E0550");
    CHECK(d.primary.begin == 10);
    CHECK(d.message.find("'sh'") != std::string::npos);
    CHECK(d.message.find("empty") != std::string::npos);
    CHECK_FALSE(d.notes.empty());
    CHECK(sink.Files().empty());
  }
}

TEST_CASE("partial-key on other than the first field is E0501") {
  TopoBuilder b("pk");
  auto& spout = b.Python("s", ir::Role::kSpout, "a.S");
  TopoBuilder::Output(spout, "default", {"a", "b"});
  auto& bolt = b.Python("t", ir::Role::kBolt, "a.T");
  auto& in = TopoBuilder::Input(bolt, spout, "default", ir::Grouping::Kind::kPartialKey, {"b"});
  in.grouping.span = Span{0, 3, 4};
  auto& bolt2 = b.Python("u", ir::Role::kBolt, "a.U");
  TopoBuilder::Input(bolt2, spout, "default", ir::Grouping::Kind::kPartialKey, {"a", "b"});
  DiagnosticEngine diags;
  topoc::storm::StormTopology out;
  CHECK_FALSE(BuildStormTopology(*b.topology, {}, diags, &out));
  REQUIRE(diags.ErrorCount() == 2);  // both reported in one run
  CHECK(diags.diagnostics()[0].code == "E0501");
  CHECK(diags.diagnostics()[0].primary.begin == 3);
  CHECK(diags.diagnostics()[0].message.find("partial-key(b)") != std::string::npos);
  CHECK(diags.diagnostics()[1].message.find("partial-key(a, b)") != std::string::npos);
}

TEST_CASE("options: unknown key or bad value is E0502, other backends' keys ignored") {
  auto b = WordCount();
  auto run = [&](std::map<std::string, std::string> extra, StormVersion v = StormVersion::k2_x) {
    BackendOptions o;
    o.storm_version = v;
    o.extra = std::move(extra);
    DiagnosticEngine diags;
    topoc::storm::StormTopology out;
    bool ok = BuildStormTopology(*b.topology, o, diags, &out);
    std::vector<std::string> codes;
    for (const auto& d : diags.diagnostics()) codes.push_back(d.code);
    return std::make_pair(ok, codes);
  };
  CHECK(run({{"bogus", "1"}}).second == std::vector<std::string>{"E0502"});
  CHECK(run({{"thrift.bogus", "1"}}).second == std::vector<std::string>{"E0502"});
  CHECK(run({{"launchers", "maybe"}}).second == std::vector<std::string>{"E0502"});
  CHECK(run({{"storm_version", "1.2.4"}}).second == std::vector<std::string>{"E0502"});
  CHECK(run({{"storm_version", "2.x"}}).second == std::vector<std::string>{"E0502"});
  CHECK(run({{"storm_version", "1.2.4"}}, StormVersion::k0_9).second ==
        std::vector<std::string>{"E0502"});
  CHECK(run({{"storm_version", "2.9.0-SNAPSHOT"}}).first);
  CHECK(run({{"clojure.dialect", "streamparse"}}).first);
  CHECK(run({}).first);
}
