// The .topo printer: quoting, values, layout.
#include "import/topo_writer.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

namespace topoc::import {
namespace {

TEST_CASE("names and strings") {
  CHECK(TopoName("word-spout") == "word-spout");
  CHECK(TopoName("_x1") == "_x1");
  CHECK(TopoName("spout") == "\"spout\"");
  CHECK(TopoName("local-or-shuffle") == "\"local-or-shuffle\"");
  CHECK(TopoName("1st") == "\"1st\"");
  CHECK(TopoName("a.b") == "\"a.b\"");
  CHECK(TopoName("") == "\"\"");
  CHECK(TopoString("q\" b\\ n\n t\t \x01") == R"("q\" b\\ n\n t\t \u0001")");
}

// The writer's keyword list is the grammar's: every word literal of
// grammar/Topo.g4 is written quoted (the LSP's rename and `topoc quickstart`
// spell ids through TopoName too).
TEST_CASE("every keyword of the grammar is quoted") {
  const char* root = std::getenv("TOPOC_SOURCE_DIR");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/grammar/Topo.g4");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  std::string g = text.str();
  std::regex word("'([a-z][a-z-]*)'");
  int seen = 0;
  for (auto it = std::sregex_iterator(g.begin(), g.end(), word); it != std::sregex_iterator(); ++it) {
    std::string w = (*it)[1];
    CAPTURE(w);
    CHECK(TopoName(w) == "\"" + w + "\"");
    ++seen;
  }
  CHECK(seen >= 25);
}

TEST_CASE("config values, floats stay floats, and non-finite numbers are refused") {
  Topology t;
  t.name = "x";
  t.config["topology.workers"] = 2;
  t.config["f"] = 2.0;
  t.config["big"] = 1e100;
  t.config["odd key"] = nullptr;
  t.config["7.spout"] = ir::Value::parse(R"({"k": [true, "s"], "m": {}})");
  Component s;
  s.id = "s";
  s.kind = ir::Kind::kJava;
  s.java_class = "a.B";
  ir::JavaArg d;
  d.type = ir::JavaArg::Type::kDouble;
  d.double_value = 3;
  s.java_args.push_back(d);
  t.components.push_back(s);
  std::string text = WriteTopo(t, "x.py");
  CHECK(text == R"(// Imported by `topoc import` from x.py.
topology x {
    config {
        topology.workers: 2
        f: 2.0
        big: 1e+100
        "odd key": null
        7.spout: { "k": [true, "s"], "m": {} }
    }

    spout s = java "a.B" (3.0)
}
)");
  t.config["nan"] = std::nan("");
  CHECK_THROWS_AS(WriteTopo(t, "x.py"), std::invalid_argument);
}

}  // namespace
}  // namespace topoc::import
