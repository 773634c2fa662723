#include <doctest/doctest.h>

#include "compiler/sema/sema_testing.h"

namespace topoc::sema {

namespace {

const char* kWordcount = R"(
topology wordcount {
  config { topology.workers: 2 }
  spout word-spout = python "spouts.words.WordSpout" { output (word) }
  bolt count-bolt = python "bolts.wordcount.WordCounter" {
    input word-spout fields(word)
    output (word, count)
    parallelism 2
  }
})";

}  // namespace

TEST_CASE("a clean topology lowers to the IR") {
  auto r = CheckSource(kWordcount);
  CHECK(r->codes.empty());
  REQUIRE(r->c.program->topologies.size() == 1);
  const ir::Topology& t = *r->c.program->topologies[0];
  CHECK(t.name == "wordcount");
  const ir::Component* bolt = t.FindComponent("count-bolt");
  REQUIRE(bolt);
  CHECK(bolt->parallelism == 2);
  REQUIRE(bolt->inputs.size() == 1);
  CHECK(bolt->inputs[0].source == t.FindComponent("word-spout"));
  CHECK(bolt->inputs[0].stream->owner == bolt->inputs[0].source);
  CHECK(bolt->inputs[0].grouping.fields == std::vector<std::string>{"word"});
  CHECK(t.config[0].value == 2);
}

TEST_CASE("config types and unknown keys") {
  auto r = CheckSource(R"(topology t {
    config { topology.workers: "two" topology.wrokers: 2 topology.debug: 1 my.own.key: [1] }
    spout s = python "a.B" { config { topology.tick.tuple.freq.secs: 1.5 } }
  })");
  CHECK(r->codes == std::vector<std::string>{"E0401", "W0401", "E0401", "E0401"});
  CHECK(r->c.diags.diagnostics()[0].message == "config 'topology.workers' must be a positive integer, got a string");
  CHECK(r->c.diags.diagnostics()[1].notes[0].message == "did you mean 'topology.workers'?");
}

TEST_CASE("duplicates") {
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output (x, x) } }")->Has("E0206"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output (x) output (y) } }")->Has("E0205"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { } spout s = python \"a.B\" { } }")->Has("E0204"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { } } topology t { spout s = python \"a.B\" { } }")->Has("E0210"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { parallelism 1 parallelism 2 } }")->Has("E0310"));
  CHECK(CheckSource("topology t { config { a: 1 a: 2 } spout s = python \"a.B\" { } }")->Has("E0402"));
}

}  // namespace topoc::sema
