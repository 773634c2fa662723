#include "compiler/sema/sema.h"


#include <doctest/doctest.h>

#include "compiler/driver/compilation.h"
#include "compiler/driver/module_loader.h"
#include "compiler/sema/config_keys.h"

namespace topoc::sema {

namespace {

// Compiles `text` as one file; returns the diagnostic codes in order.
struct Result {
  driver::Compilation c;
  std::vector<std::string> codes;
  bool Has(std::string_view code) const {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  }
};

std::unique_ptr<Result> Check(const std::string& text) {
  auto r = std::make_unique<Result>();
  ast::Arena arena;
  r->c.program = std::make_unique<ir::Program>();
  driver::ModuleLoader loader(r->c.sources, arena, r->c.diags, {});
  FileId id = r->c.sources.AddFile("t.topo", text);
  const ast::File* f = loader.LoadRoot(id, "", ".");
  ScopeOf scopes;
  scopes[id] = &loader.Scope(f);
  CheckProgram({f}, scopes, r->c.sources, SemaOptions{}, r->c.diags, *r->c.program);
  for (const auto& d : r->c.diags.diagnostics()) r->codes.push_back(d.code);
  return r;
}

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
  auto r = Check(kWordcount);
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

TEST_CASE("unknown component suggests the nearest id and notes nothing else") {
  auto r = Check(R"(topology t {
    spout word-spout = python "a.B" { output (word) }
    bolt b = python "a.C" { input word-spot shuffle }
  })");
  REQUIRE(r->codes == std::vector<std::string>{"E0201"});
  const Diagnostic& d = r->c.diags.diagnostics()[0];
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "did you mean 'word-spout'?");
  CHECK(d.notes[0].fixits[0].replacement == "word-spout");
}

TEST_CASE("unknown field notes where the stream is declared") {
  auto r = Check(R"(topology t {
    spout s = python "a.B" { output (word) }
    bolt b = python "a.C" { input s fields(wrod) }
  })");
  REQUIRE(r->codes == std::vector<std::string>{"E0203"});
  const Diagnostic& d = r->c.diags.diagnostics()[0];
  CHECK(d.notes[0].message == "'s' declares (word) here");
  CHECK(d.notes[1].message == "did you mean 'word'?");
}

TEST_CASE("structural rules") {
  CHECK(Check("topology t { }")->codes == std::vector<std::string>{"E0308"});
  CHECK(Check("topology t { bolt b = python \"a.B\" { input b shuffle } }")->Has("E0309"));
  CHECK(Check("topology t { spout s = python \"a.B\" { output (x) input s shuffle } }")->Has("E0301"));
  CHECK(Check("topology t { spout s = python \"a.B\" { output (x) } bolt b = python \"a.C\" { } }")->Has("E0302"));
  CHECK(Check("topology t { spout s = python \"a.B\" { parallelism 0 } }")->Has("E0303"));
  CHECK(Check("topology t { spout s = python \"a.B\" { tasks 0 } }")->Has("E0304"));
  CHECK(Check("topology t { spout s = python \"a.B\" { parallelism 4 tasks 2 } }")->codes ==
        std::vector<std::string>{"W0301"});
  CHECK(Check("topology t { spout s = python \"a.B\" { output (x) } bolt b = python \"a.C\" { input s shuffle input s all } }")->Has("E0305"));
  CHECK(Check("topology t { spout s = python \"a.B\" { output (x) } bolt b = python \"a.C\" { input s direct } }")->Has("E0306"));
  CHECK(Check("topology t { spout s = python \"a.B\" { output direct (x) } bolt b = python \"a.C\" { input s shuffle } }")->Has("E0307"));
  CHECK(Check("topology t { spout s = python \"a.B\" { output direct (x) } bolt b = python \"a.C\" { input s direct } }")->codes.empty());
  CHECK(Check("topology t { spout s = python \"B\" { } }")->Has("E0311"));
  CHECK(Check("topology \"a.b\" { spout s = python \"a.B\" { } }")->Has("E0209"));
  CHECK(Check("topology t { spout __s = python \"a.B\" { output __x (a) } }")->codes ==
        std::vector<std::string>{"E0207", "E0208"});
}

TEST_CASE("unreachable bolts and unconsumed streams warn") {
  auto r = Check(R"(topology t {
    spout s = python "a.B" { output (x) output extra (y) }
    bolt b1 = python "a.C" { input s shuffle input b2 shuffle output (z) }
    bolt b2 = python "a.C" { input b3 shuffle output (z) }
    bolt b3 = python "a.C" { input b2 shuffle output (z) }
  })");
  CHECK(r->codes == std::vector<std::string>{"W0303", "W0303", "W0302"});
}

TEST_CASE("config types and unknown keys") {
  auto r = Check(R"(topology t {
    config { topology.workers: "two" topology.wrokers: 2 topology.debug: 1 my.own.key: [1] }
    spout s = python "a.B" { config { topology.tick.tuple.freq.secs: 1.5 } }
  })");
  CHECK(r->codes == std::vector<std::string>{"E0401", "W0401", "E0401", "E0401"});
  CHECK(r->c.diags.diagnostics()[0].message == "config 'topology.workers' must be a positive integer, got a string");
  CHECK(r->c.diags.diagnostics()[1].notes[0].message == "did you mean 'topology.workers'?");
}

TEST_CASE("templates: body adds to and overrides the template") {
  auto r = Check(R"(
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
  CHECK(Check("topology t { spout s = nope { } }")->Has("E0103"));
  CHECK(Check("template a = b\ntemplate b = a\ntopology t { spout s = a { } }")->Has("E0105"));
  CHECK(Check("template a = python \"a.B\"\ntopology t { spout s = a (1) { } }")->Has("E0106"));
  CHECK(Check("template a = python \"a.B\"\ntemplate a = python \"a.C\"\n")->Has("E0104"));
}

TEST_CASE("duplicates") {
  CHECK(Check("topology t { spout s = python \"a.B\" { output (x, x) } }")->Has("E0206"));
  CHECK(Check("topology t { spout s = python \"a.B\" { output (x) output (y) } }")->Has("E0205"));
  CHECK(Check("topology t { spout s = python \"a.B\" { } spout s = python \"a.B\" { } }")->Has("E0204"));
  CHECK(Check("topology t { spout s = python \"a.B\" { } } topology t { spout s = python \"a.B\" { } }")->Has("E0210"));
  CHECK(Check("topology t { spout s = python \"a.B\" { parallelism 1 parallelism 2 } }")->Has("E0310"));
  CHECK(Check("topology t { config { a: 1 a: 2 } spout s = python \"a.B\" { } }")->Has("E0402"));
}

TEST_CASE("100k components check without a diagnostic") {
  std::string text = "topology big {\n spout s0 = python \"a.B\" { output (x) }\n";
  const int n = 100000;
  for (int i = 1; i < n; ++i) {
    text += " bolt c" + std::to_string(i) + " = python \"a.B\" { input c" + std::to_string(i - 1) +
            (i == 1 ? "" : "") + " shuffle output (x) }\n";
  }
  text.replace(text.find("input c0"), 8, "input s0");
  text += "}\n";
  // Speed is measured in bench/check (docs/benchmarks.md), not here: a timed
  // check fails under a sanitizer build or a loaded machine.
  auto r = Check(text);
  CHECK(r->codes.empty());
  CHECK(r->c.program->topologies[0]->components.size() == n);
}

TEST_CASE("IsValidTopologyName and IsPythonClassPath") {
  std::string why;
  CHECK(IsValidTopologyName("wordcount", &why));
  CHECK_FALSE(IsValidTopologyName("a/b", &why));
  CHECK_FALSE(IsValidTopologyName(" ", &why));
  CHECK(IsPythonClassPath("spouts.words.WordSpout"));
  CHECK_FALSE(IsPythonClassPath("WordSpout"));
  CHECK_FALSE(IsPythonClassPath("a..B"));
  CHECK_FALSE(IsPythonClassPath("a.1B"));
}

TEST_CASE("CheckConfigValue follows Storm's validators") {
  const ConfigKeyInfo* workers = FindConfigKey("topology.workers");
  REQUIRE(workers);
  CHECK_FALSE(CheckConfigValue(*workers, 2).has_value());
  CHECK_FALSE(CheckConfigValue(*workers, 2.0).has_value());
  CHECK(CheckConfigValue(*workers, 0).has_value());
  CHECK(CheckConfigValue(*workers, 2.5).has_value());
  CHECK(CheckConfigValue(*FindConfigKey("topology.message.timeout.secs"), nullptr).has_value());
  CHECK_FALSE(CheckConfigValue(*FindConfigKey("topology.workers"), nullptr).has_value());
  CHECK_FALSE(CheckConfigValue(*FindConfigKey("topology.environment"), ir::Value{{"A", "b"}}).has_value());
  CHECK(FindConfigKey("topology.nonsense") == nullptr);
}

}  // namespace topoc::sema
