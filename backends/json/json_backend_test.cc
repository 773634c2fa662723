#include "backends/json/json_backend.h"

#include <memory>
#include <vector>

#include <doctest/doctest.h>

#include "backends/testing/sample_ir.h"

namespace topoc::backends::json {
namespace {

using Json = nlohmann::ordered_json;

std::map<std::string, std::string> Gen(const ir::Program& program, BackendOptions options = {}) {
  MemorySink sink;
  DiagnosticEngine diags;
  REQUIRE(JsonBackend().Generate(program, options, sink, diags));
  return sink.Files();
}

TEST_CASE("json: wordcount document") {
  auto files = Gen(*testing::MakeWordcount());
  REQUIRE(files.count("wordcount.ir.json"));
  CHECK(files["wordcount.ir.json"] == R"({
  "format": "topoc-ir",
  "version": 1,
  "name": "wordcount",
  "config": {
    "topology.workers": 2,
    "topology.message.timeout.secs": 30
  },
  "components": [
    {
      "id": "word-spout",
      "role": "spout",
      "kind": "python",
      "python_class": "spouts.words.WordSpout",
      "parallelism": 1,
      "tasks": null,
      "config": {},
      "streams": [
        {
          "id": "default",
          "fields": [
            "word"
          ],
          "direct": false
        }
      ],
      "inputs": []
    },
    {
      "id": "count-bolt",
      "role": "bolt",
      "kind": "python",
      "python_class": "bolts.wordcount.WordCounter",
      "parallelism": 2,
      "tasks": null,
      "config": {},
      "streams": [
        {
          "id": "default",
          "fields": [
            "word",
            "count"
          ],
          "direct": false
        }
      ],
      "inputs": [
        {
          "component": "word-spout",
          "stream": "default",
          "grouping": {
            "kind": "shuffle"
          }
        }
      ]
    }
  ]
}
)");
}

TEST_CASE("json: every feature round-trips through a JSON parser with types kept") {
  auto program = testing::MakeEveryFeature();
  auto files = Gen(*program);
  CHECK(files.size() == 2);
  Json doc = Json::parse(files["every-feature.ir.json"]);
  const ir::Topology& t = *program->topologies[0];
  REQUIRE(doc["components"].size() == t.components.size());
  CHECK(doc["config"]["topology.stats.sample.rate"].is_number_float());
  CHECK(doc["config"]["custom.big"] == 9007199254740993);
  CHECK(doc["config"]["custom.null"].is_null());
  const Json& kafka = doc["components"][2];
  CHECK(kafka["java_class"] == "org.example.kafka.KafkaSpout");
  CHECK(kafka["java_args"][0] == Json{{"type", "int"}, {"value", -5}});
  CHECK(kafka["java_args"][1] == Json{{"type", "long"}, {"value", int64_t{1} << 40}});
  CHECK(kafka["java_args"][2]["value"].is_number_float());
  CHECK(kafka["java_args"][4] == Json{{"type", "bool"}, {"value", true}});
  const Json& events = doc["components"][0];
  CHECK(events["tasks"] == 4);
  CHECK(events["streams"][2] == Json{{"id", "control"}, {"fields", {"cmd"}}, {"direct", true}});
  for (size_t i = 0; i < t.components.size(); ++i) {
    const auto& c = *t.components[i];
    const Json& j = doc["components"][i];
    CHECK(j["id"] == c.id);
    REQUIRE(j["inputs"].size() == c.inputs.size());
    for (size_t k = 0; k < c.inputs.size(); ++k) {
      CHECK(j["inputs"][k]["component"] == c.inputs[k].source->id);
      CHECK(j["inputs"][k]["stream"] == c.inputs[k].stream->id);
      CHECK(j["inputs"][k]["grouping"]["kind"] == ir::GroupingKindName(c.inputs[k].grouping.kind));
    }
  }
  const Json& custom = doc["components"].back()["inputs"][0]["grouping"];
  CHECK(custom["class"] == "org.example.grouping.Sticky");
  CHECK(custom["args"].size() == 5);
  CHECK(doc["components"][10]["inputs"][0]["grouping"] ==
        Json{{"kind", "partial-key"}, {"fields", {"user"}}});
}

TEST_CASE("json: the fast writer gives nlohmann's dump(2) byte for byte") {
  std::vector<std::unique_ptr<ir::Program>> programs;
  programs.push_back(testing::MakeWordcount());
  programs.push_back(testing::MakeSentences());
  programs.push_back(testing::MakeEveryFeature());
  programs.push_back(testing::MakeGenerated(50));
  // Odd strings: control characters, quotes, non-ASCII, invalid UTF-8.
  testing::TopologyBuilder b("odd \"name\"\x01\xff");
  auto& c = b.Shell("s\te", ir::Role::kSpout, {"a\nb", "\xc3\xa9", ""});
  c.from_template = "tmpl";
  c.config.push_back({"k\x7f", ir::Value{{"x", ir::Value::array({1.5, -0.0, 1e-7})}}, {}, {}});
  b.Output("s\te", "default", {});
  b.Output("s\te", "x", {"f\""}, true);
  b.Java("j", ir::Role::kBolt, "J", {});
  b.Input("j", "s\te", "x", testing::Group(ir::Grouping::Kind::kDirect));
  programs.push_back(std::make_unique<ir::Program>());
  programs.back()->topologies.push_back(b.Finish());
  for (const auto& p : programs) {
    for (const auto& t : p->topologies) {
      INFO(t->name);
      CHECK(WriteTopologyJson(*t) ==
            TopologyToJson(*t).dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
    }
  }
}

TEST_CASE("json: --name selects one topology") {
  BackendOptions options;
  options.topology_name = "second";
  auto files = Gen(*testing::MakeEveryFeature(), options);
  REQUIRE(files.size() == 1);
  CHECK(files.begin()->first == "second.ir.json");
}

}  // namespace
}  // namespace topoc::backends::json
