#include "backends/backend_util.h"

#include <cstdlib>

#include <doctest/doctest.h>

#include "backends/testing/sample_ir.h"

namespace topoc::backends {
namespace {

TEST_CASE("ShortestDouble round-trips") {
  for (double v : {0.1, 1e100, -2.5, 1.0, 123456789.125, 5e-324, 0.05}) {
    CHECK(std::strtod(ShortestDouble(v).c_str(), nullptr) == v);
  }
  CHECK(ShortestDouble(0.5) == "0.5");
  CHECK(ShortestDouble(1.0 / 0.0) == "inf");
}

TEST_CASE("MergedConfig keeps first position and last value; ComponentConf adds tasks") {
  ir::Component c;
  ir::ConfigEntry a{"a", 1, {}, {}}, b{"b", "x", {}, {}}, a2{"a", 2.5, {}, {}};
  c.config = {a, b, a2};
  ir::Value m = MergedConfig(c.config);
  CHECK(m.dump() == R"({"a":2.5,"b":"x"})");
  c.tasks = 7;
  c.config.push_back({"topology.tasks", 3, {}, {}});
  CHECK(ComponentConf(c)["topology.tasks"] == 7);
}

TEST_CASE("SelectTopologies filters by name and reports a missing one") {
  auto program = testing::MakeEveryFeature();
  DiagnosticEngine diags;
  BackendOptions options;
  CHECK(SelectTopologies(*program, options, diags).size() == 2);
  options.topology_name = "second";
  auto one = SelectTopologies(*program, options, diags);
  REQUIRE(one.size() == 1);
  CHECK(one[0]->name == "second");
  options.topology_name = "nope";
  CHECK(SelectTopologies(*program, options, diags).empty());
  REQUIRE(diags.ErrorCount() == 1);
  CHECK(diags.diagnostics()[0].code == "E0504");
  CHECK(diags.diagnostics()[0].notes[0].message == "the input declares: 'every-feature', 'second'");
}

TEST_CASE("CheckOptionKeys reports unknown keys") {
  DiagnosticEngine diags;
  BackendOptions options;
  options.extra = {{"dialect", "storm"}, {"colour", "red"}};
  CHECK_FALSE(CheckOptionKeys(options, "clojure", {"dialect"}, diags));
  REQUIRE(diags.ErrorCount() == 1);
  CHECK(diags.diagnostics()[0].code == "E0502");
  CHECK(diags.diagnostics()[0].message == "unknown option 'colour' for the clojure backend");
}

TEST_CASE("OwnOptions strips this backend's prefix and drops other backends' keys") {
  BackendOptions options;
  options.extra = {{"clojure.dialect", "streamparse"}, {"thrift.launchers", "false"},
                   {"project-name", "p"}, {"my.key", "v"}};
  auto own = OwnOptions(options, "clojure");
  CHECK(own == std::map<std::string, std::string>{
                   {"dialect", "streamparse"}, {"project-name", "p"}, {"my.key", "v"}});
  CHECK(OwnOptions(options, "flux").size() == 2);
}

TEST_CASE("IsOwnOptionKey: the rule for one key, as the thrift backend reads its options") {
  std::string_view key;
  CHECK(IsOwnOptionKey("thrift.launchers", "thrift", &key));
  CHECK(key == "launchers");
  CHECK(IsOwnOptionKey("launchers", "thrift", &key));
  CHECK(key == "launchers");
  CHECK_FALSE(IsOwnOptionKey("clojure.dialect", "thrift", &key));
  CHECK(IsOwnOptionKey("my.key", "thrift", &key));  // "my" is no backend
  CHECK(key == "my.key");
}

}  // namespace
}  // namespace topoc::backends
