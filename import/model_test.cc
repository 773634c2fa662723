// ImportError's rendering and CheckReferences, the checks both importers
// run on what they read.
#include "import/model.h"

#include <doctest/doctest.h>

namespace topoc::import {

namespace {

Component ModelSpout(std::string id, std::vector<std::string> streams = {"default"}) {
  Component c;
  c.id = std::move(id);
  c.role = ir::Role::kSpout;
  for (auto& s : streams) c.outputs.push_back(Output{std::move(s), {"x"}, false});
  return c;
}

Component ModelBolt(std::string id, std::string source, std::string stream = "default") {
  Component c;
  c.id = std::move(id);
  c.role = ir::Role::kBolt;
  Input in;
  in.source = std::move(source);
  in.stream = std::move(stream);
  in.pos = {7, 3};
  c.inputs.push_back(in);
  return c;
}

Topology ModelTopology(std::vector<Component> components, std::string file = "t.clj") {
  Topology t;
  t.name = "t";
  t.source_file = std::move(file);
  t.components = std::move(components);
  return t;
}

}  // namespace

TEST_CASE("ImportError::Render: file:line:col, or the file alone on line 0") {
  CHECK((ImportError{"t.clj", {3, 9}, "bad"}).Render() == "t.clj:3:9: error: bad");
  CHECK((ImportError{"t.py", {0, 0}, "bad"}).Render() == "t.py: error: bad");
}

TEST_CASE("CheckReferences: a stream the source does not declare; the fixed topology passes") {
  ImportError error;
  CHECK(CheckReferences(ModelTopology({ModelSpout("s", {"default", "errors"}), ModelBolt("a", "s"), ModelBolt("b", "s", "errors"),
                            ModelBolt("c", "a")}),
                        &error) == false);  // "a" declares no stream
  CHECK(error.message == "bolt 'c' subscribes to stream 'default' of 'a', which 'a' does not declare");
  CHECK(error.pos.line == 7);
  Component a = ModelBolt("a", "s");
  a.outputs.push_back(Output{"default", {"y"}, false});
  CHECK(CheckReferences(ModelTopology({ModelSpout("s", {"default", "errors"}), a, ModelBolt("b", "s", "errors"), ModelBolt("c", "a")}),
                        &error));
  CHECK(CheckReferences(ModelTopology({}), &error));
}

TEST_CASE("CheckReferences: a duplicate id, at the second declaration") {
  Component second = ModelSpout("s");
  second.pos = {4, 1};
  ImportError error;
  CHECK_FALSE(CheckReferences(ModelTopology({ModelSpout("s"), second}), &error));
  CHECK(error.Render() == "t.clj:4:1: error: component 's' is declared twice");
}

TEST_CASE("CheckReferences: an unknown source lists the components there are") {
  ImportError error;
  CHECK_FALSE(CheckReferences(ModelTopology({ModelSpout("words"), ModelSpout("lines"), ModelBolt("count", "word")}), &error));
  CHECK(error.message ==
        "bolt 'count' subscribes to 'word', which the topology does not declare (its components: count, lines, words)");
}

TEST_CASE("CheckReferences: a java source's undeclared stream says how to declare it, per file type") {
  Component java = ModelSpout("j", {});
  java.kind = ir::Kind::kJava;
  ImportError error;
  CHECK_FALSE(CheckReferences(ModelTopology({java, ModelBolt("b", "j")}, "t.clj"), &error));
  CHECK(error.message.find("of the java spout 'j', whose streams only its Java class declares") !=
        std::string::npos);
  CHECK(error.message.find("^{:topoc/outputs") != std::string::npos);
  CHECK_FALSE(CheckReferences(ModelTopology({java, ModelBolt("b", "j")}, "topo.py"), &error));
  CHECK(error.message.find("outputs=[...] in JavaSpout.spec / JavaBolt.spec") != std::string::npos);
}

}  // namespace topoc::import
