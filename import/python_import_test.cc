// Reading the streamparse recorders' JSON (stdlib/python/streamparse/dsl)
// into a Topology; python_import_test in tests/import drives the whole
// `topoc import` of .py files.
#include "import/python_import.h"

#include <doctest/doctest.h>

namespace topoc::import {

namespace {

// One recorded component as JSON text, with `extra` members added.
std::string RecordedComp(const std::string& id, const std::string& role, const std::string& extra,
                 const std::string& inputs = "[]") {
  return R"({"id": ")" + id + R"(", "role": ")" + role + R"(", )" + extra +
         R"(, "outputs": [{"stream": "default", "fields": ["word"], "direct": false}], "inputs": )" + inputs +
         R"(, "parallelism": 2, "config": {}, "where": "topo.py:)" + std::to_string(id.size() + 10) + "\"}";
}

std::string RecordingOf(const std::string& components, const std::string& config = "{}") {
  return R"({"class": "WordCount", "config": )" + config + R"(, "components": [)" + components + "]}";
}

struct RecordingResult {
  bool ok;
  Topology topology;
  ImportError error;
};

RecordingResult ReadRecording(const std::string& json) {
  RecordingResult r;
  r.ok = TopologyFromRecording(json, "topo.py", "wordcount", &r.topology, &r.error);
  return r;
}

const std::string kRecordedSpout = RecordedComp("words", "spout", R"("kind": "python", "python_class": "spouts.Words")");

}  // namespace

TEST_CASE("python import: components of every kind, groupings, config, positions") {
  std::string inputs = R"([
    {"source": "words", "stream": "default", "grouping": {"kind": "fields", "fields": ["word"]}},
    {"source": "words", "stream": "default", "grouping": {"kind": "custom", "class": "a.G",
      "args": [{"type": "long", "value": 5}, {"type": "bool", "value": true}]}}])";
  std::string json = RecordingOf(
      kRecordedSpout + ", " +
          RecordedComp("shell", "bolt", R"("kind": "shell", "command": ["node", "x.js"])",
               R"([{"source": "words", "stream": "default", "grouping": {"kind": "local-or-shuffle"}}])") +
          ", " +
          RecordedComp("j", "bolt",
               R"("kind": "java", "java_class": "a.B", "java_args": [{"type": "int", "value": 3},
                  {"type": "double", "value": 0.5}, {"type": "string", "value": "s"}])",
               inputs),
      R"({"topology.workers": 2, "topology.name": "dropped", "a": 1})");
  RecordingResult r = ReadRecording(json);
  REQUIRE_MESSAGE(r.ok, r.error.Render());
  const Topology& t = r.topology;
  CHECK(t.name == "wordcount");
  CHECK(t.source_file == "topo.py");
  CHECK(t.config.dump() == R"({"topology.workers":2,"a":1})");  // order kept, the name left to .topo
  REQUIRE(t.components.size() == 3);
  CHECK(t.components[0].role == ir::Role::kSpout);
  CHECK(t.components[0].python_class == "spouts.Words");
  CHECK(t.components[0].parallelism == 2);
  CHECK(t.components[0].pos.line == 15);  // from "where": "topo.py:15"
  CHECK(t.components[1].shell_command == std::vector<std::string>{"node", "x.js"});
  CHECK(t.components[1].inputs[0].grouping.kind == ir::Grouping::Kind::kLocalOrShuffle);
  CHECK(t.components[1].inputs[0].pos.line == t.components[1].pos.line);
  const Component& j = t.components[2];
  CHECK(j.kind == ir::Kind::kJava);
  REQUIRE(j.java_args.size() == 3);
  CHECK(j.java_args[0].type == ir::JavaArg::Type::kInt);
  CHECK(j.java_args[1].double_value == 0.5);
  CHECK(j.java_args[2].string_value == "s");
  CHECK(j.inputs[0].grouping.fields == std::vector<std::string>{"word"});
  CHECK(j.inputs[1].grouping.custom_class == "a.G");
  REQUIRE(j.inputs[1].grouping.custom_args.size() == 2);
  CHECK(j.inputs[1].grouping.custom_args[0].type == ir::JavaArg::Type::kLong);
  CHECK(j.inputs[1].grouping.custom_args[0].int_value == 5);
}

TEST_CASE("python import: topology.tasks moves out of the component config") {
  std::string spout = kRecordedSpout;
  spout.replace(spout.find("\"config\": {}"), 12, R"("config": {"topology.tasks": 4, "k": "v"})");
  RecordingResult r = ReadRecording(RecordingOf(spout));
  REQUIRE(r.ok);
  CHECK(r.topology.components[0].tasks == 4);
  CHECK(r.topology.components[0].config.dump() == R"({"k":"v"})");
}

TEST_CASE("python import: parallelism and tasks must be positive 32-bit integers, at the spec's line") {
  for (const char* par : {"0", "-1", "2147483648", "1.5", "\"2\""}) {
    std::string spout = kRecordedSpout;
    spout.replace(spout.find("\"parallelism\": 2"), 16, std::string("\"parallelism\": ") + par);
    RecordingResult r = ReadRecording(RecordingOf(spout));
    INFO(par);
    CHECK_FALSE(r.ok);
    CHECK(r.error.Render() == "topo.py:15:1: error: par of 'words' must be a positive 32-bit integer");
  }
  std::string spout = kRecordedSpout;
  spout.replace(spout.find("\"config\": {}"), 12, R"("config": {"topology.tasks": 0})");
  RecordingResult r = ReadRecording(RecordingOf(spout));
  CHECK_FALSE(r.ok);
  CHECK(r.error.message == "topology.tasks of 'words' must be a positive 32-bit integer");
}

TEST_CASE("python import: a malformed recording is a bug in topoc, said so, never a crash") {
  auto error_of = [](const std::string& json) {
    RecordingResult r = ReadRecording(json);
    CHECK_FALSE(r.ok);
    CHECK(r.error.pos.line == 0);
    return r.error.message;
  };
  const std::string prefix = "the recorded topology could not be read (a bug in topoc): ";
  CHECK(error_of("not json").rfind(prefix, 0) == 0);
  CHECK(error_of(R"({"components": []})") == prefix + "the recording lacks \"config\"");
  CHECK(error_of(R"({"config": [], "components": []})") == prefix + "the topology config is not an object");
  CHECK(error_of(RecordingOf(RecordedComp("w", "spout", R"("kind": "ruby")"))) == prefix + "unknown component kind ruby");
  CHECK(error_of(RecordingOf(RecordedComp("w", "spout", R"("kind": "python", "python_class": 3)"))) ==
        prefix + "\"python_class\" is not a string");
  CHECK(error_of(RecordingOf(RecordedComp("w", "spout", R"("kind": "shell", "command": ["a", 1])"))) ==
        prefix + "the command holds a non-string");
  CHECK(error_of(RecordingOf(RecordedComp("w", "spout", R"("kind": "java", "java_class": "a.B",
                                                 "java_args": [{"type": "char", "value": 1}])"))) ==
        prefix + "unknown java argument type char");
  CHECK(error_of(RecordingOf(RecordedComp("w", "spout", R"("kind": "java", "java_class": "a.B",
                                                 "java_args": [{"type": "int", "value": 1.5}])"))) ==
        prefix + "an integer java argument is not an integer");
  CHECK(error_of(RecordingOf(kRecordedSpout + ", " +
                           RecordedComp("b", "bolt", R"("kind": "python", "python_class": "m.B")",
                                R"([{"source": "words", "stream": "default", "grouping": {"kind": "random"}}])"))) ==
        prefix + "unknown grouping random");
}

TEST_CASE("python import: references are checked after reading") {
  RecordingResult r = ReadRecording(RecordingOf(RecordedComp("b", "bolt", R"("kind": "python", "python_class": "m.B")",
                                 R"([{"source": "nope", "stream": "default", "grouping": {"kind": "shuffle"}}])")));
  CHECK_FALSE(r.ok);
  CHECK(r.error.message.find("subscribes to 'nope', which the topology does not declare") != std::string::npos);
  CHECK(r.error.pos.line == 11);
}

TEST_CASE("python import: a missing or odd \"where\" leaves the position unknown") {
  std::string spout = kRecordedSpout;
  spout.replace(spout.find("\"where\": \"topo.py:15\""), 21, R"("where": "topo.py:x")");
  RecordingResult r = ReadRecording(RecordingOf(spout));
  REQUIRE(r.ok);
  CHECK(r.topology.components[0].pos.line == 0);
}

}  // namespace topoc::import
