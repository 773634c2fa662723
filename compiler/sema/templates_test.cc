#include <doctest/doctest.h>

#include "compiler/sema/sema_testing.h"

namespace topoc::sema {

TEST_CASE("templates: body adds to and overrides the template") {
  auto r = CheckSource(R"(
template base = python "spouts.Base" { output (a) output extra (b) parallelism 2 config { x: 1 y: 2 } }
template derived = base { parallelism 3 }
topology t {
  spout s = derived { output (c, d) config { y: 3 } }
  bolt b = python "a.B" { input s shuffle input s.extra shuffle }
})");
  CHECK(r->codes.empty());
  const ir::Component* s = r->c.program->topologies[0]->FindComponent("s");
  REQUIRE(s);
  CHECK(s->python_class == "spouts.Base");
  CHECK(s->from_template == "derived");
  CHECK(s->parallelism == 3);
  REQUIRE(s->streams.size() == 2);
  CHECK(s->streams[0]->fields == std::vector<std::string>{"c", "d"});
  REQUIRE(s->config.size() == 2);
  CHECK(s->config[1].value == 3);
}

TEST_CASE("template errors") {
  CHECK(CheckSource("topology t { spout s = nope { } }")->Has("E0103"));
  CHECK(CheckSource("template a = b\ntemplate b = a\ntopology t { spout s = a { } }")->Has("E0105"));
  CHECK(CheckSource("template a = python \"a.B\"\ntopology t { spout s = a (1) { } }")->Has("E0106"));
  CHECK(CheckSource("template a = python \"a.B\"\ntemplate a = python \"a.C\"\n")->Has("E0104"));
}

}  // namespace topoc::sema
