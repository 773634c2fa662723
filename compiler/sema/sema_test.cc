#include "compiler/sema/sema.h"

#include <doctest/doctest.h>

#include "compiler/sema/config_keys.h"
#include "compiler/sema/sema_testing.h"

namespace topoc::sema {

TEST_CASE("structural rules") {
  CHECK(CheckSource("topology t { }")->codes == std::vector<std::string>{"E0308"});
  CHECK(CheckSource("topology t { bolt b = python \"a.B\" { input b shuffle } }")->Has("E0309"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output (x) input s shuffle } }")->Has("E0301"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output (x) } bolt b = python \"a.C\" { } }")->Has("E0302"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { parallelism 0 } }")->Has("E0303"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { tasks 0 } }")->Has("E0304"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { parallelism 4 tasks 2 } }")->codes ==
        std::vector<std::string>{"W0301"});
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output (x) } bolt b = python \"a.C\" { input s shuffle input s all } }")->Has("E0305"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output (x) } bolt b = python \"a.C\" { input s direct } }")->Has("E0306"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output direct (x) } bolt b = python \"a.C\" { input s shuffle } }")->Has("E0307"));
  CHECK(CheckSource("topology t { spout s = python \"a.B\" { output direct (x) } bolt b = python \"a.C\" { input s direct } }")->codes.empty());
  CHECK(CheckSource("topology t { spout s = python \"B\" { } }")->Has("E0311"));
  CHECK(CheckSource("topology \"a.b\" { spout s = python \"a.B\" { } }")->Has("E0209"));
  CHECK(CheckSource("topology t { spout __s = python \"a.B\" { output __x (a) } }")->codes ==
        std::vector<std::string>{"E0207", "E0208"});
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
  auto r = CheckSource(text);
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
