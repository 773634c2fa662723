#include "compiler/sema/config_keys.h"

#include <algorithm>
#include <limits>

#include <doctest/doctest.h>

namespace topoc::sema {

namespace {

using CV = ir::Value;

// CheckConfigValue on the key's entry: "" when the value is accepted.
std::string CheckKey(std::string_view key, const CV& value) {
  const ConfigKeyInfo* info = FindConfigKey(key);
  REQUIRE(info != nullptr);
  return CheckConfigValue(*info, value).value_or("");
}

}  // namespace

TEST_CASE("FindConfigKey: topology.* keys Storm has, exact spelling only") {
  const ConfigKeyInfo* workers = FindConfigKey("topology.workers");
  REQUIRE(workers != nullptr);
  CHECK(workers->key == "topology.workers");
  CHECK(workers->type == ConfigType::kPositiveInt);
  CHECK(FindConfigKey("topology.worker") == nullptr);
  CHECK(FindConfigKey("Topology.workers") == nullptr);
  CHECK(FindConfigKey("nimbus.seeds") == nullptr);  // not a topology.* key
  CHECK(FindConfigKey("") == nullptr);
  CHECK(FindConfigKey("topology.isolate.machines")->type == ConfigType::kAny);
}

TEST_CASE("FindConfigKey: a typed entry wins over a repeated untyped one") {
  // topology.shellbolt.max.pending is listed typed first, then again among
  // the unchecked keys; the typed (and @NotNull) entry must be the one used.
  const ConfigKeyInfo* info = FindConfigKey("topology.shellbolt.max.pending");
  REQUIRE(info != nullptr);
  CHECK(info->type == ConfigType::kPositiveInt);
  CHECK(info->not_null);
  CHECK(FindConfigKey("topology.stats.sample.rate")->type == ConfigType::kPositiveNumber);
}

TEST_CASE("KnownConfigKeys: sorted, unique, each one found") {
  const auto& keys = KnownConfigKeys();
  REQUIRE(keys.size() > 50);
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());
  for (std::string_view k : keys) {
    INFO(k);
    CHECK(k.substr(0, 9) == "topology.");
    CHECK(FindConfigKey(k) != nullptr);
  }
}

TEST_CASE("CheckConfigValue: null is refused only by @NotNull keys") {
  CHECK(CheckKey("topology.message.timeout.secs", CV()) == "not null");
  CHECK(CheckKey("topology.workers", CV()) == "");
  CHECK(CheckKey("topology.debug", CV()) == "");
}

TEST_CASE("CheckConfigValue: integers are int32, doubles count when whole") {
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(-5)) == "");
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(3.0)) == "");  // 3.0 is integral
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(3.5)) == "an integer");
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(int64_t{1} << 31)) == "an integer");  // past int32
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(std::numeric_limits<int32_t>::max())) == "");
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(std::numeric_limits<int32_t>::min())) == "");
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(std::numeric_limits<double>::infinity())) == "an integer");
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(1e12)) == "an integer");
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV("5")) == "an integer");
  CHECK(CheckKey("topology.tick.tuple.freq.secs", CV(true)) == "an integer");

  CHECK(CheckKey("topology.workers", CV(1)) == "");
  CHECK(CheckKey("topology.workers", CV(0)) == "a positive integer");
  CHECK(CheckKey("topology.workers", CV(-1)) == "a positive integer");
  CHECK(CheckKey("topology.tasks", CV(0)) == "");
  CHECK(CheckKey("topology.tasks", CV(-1)) == "an integer >= 0");
  CHECK(CheckKey("topology.tasks", CV(2.5)) == "an integer >= 0");
}

TEST_CASE("CheckConfigValue: booleans, strings and lists of strings") {
  CHECK(CheckKey("topology.debug", CV(true)) == "");
  CHECK(CheckKey("topology.debug", CV(1)) == "a boolean");
  CHECK(CheckKey("topology.debug", CV("true")) == "a boolean");
  CHECK(CheckKey("topology.name", CV("x")) == "");
  CHECK(CheckKey("topology.name", CV(1)) == "a string");
  CHECK(CheckKey("topology.worker.childopts", CV("-Xmx1g")) == "");
  CHECK(CheckKey("topology.worker.childopts", CV::array({"-Xmx1g", "-Xss1m"})) == "");
  CHECK(CheckKey("topology.worker.childopts", CV::array({"-Xmx1g", 1})) == "a string or a list of strings");
  CHECK(CheckKey("topology.kryo.decorators", CV::array()) == "");  // empty list of strings
  CHECK(CheckKey("topology.kryo.decorators", CV("a.B")) == "a list of strings");
}

TEST_CASE("CheckConfigValue: string maps, numbers, kryo registrations, unchecked keys") {
  CHECK(CheckKey("topology.environment", CV::object({{"A", "1"}})) == "");
  CHECK(CheckKey("topology.environment", CV::object()) == "");
  CHECK(CheckKey("topology.environment", CV::object({{"A", 1}})) == "a map of strings to strings");
  CHECK(CheckKey("topology.environment", CV::array({"A=1"})) == "a map of strings to strings");

  CHECK(CheckKey("topology.worker.max.heap.size.mb", CV(768.5)) == "");
  CHECK(CheckKey("topology.worker.max.heap.size.mb", CV(0)) == "a positive number");
  CHECK(CheckKey("topology.component.cpu.pcore.percent", CV(0.0)) == "");
  CHECK(CheckKey("topology.component.cpu.pcore.percent", CV(-0.5)) == "a number >= 0");
  CHECK(CheckKey("topology.component.cpu.pcore.percent", CV("10")) == "a number >= 0");

  CHECK(CheckKey("topology.kryo.register", CV::array({"a.B", CV::object({{"c.D", "c.DSerializer"}})})) == "");
  CHECK(CheckKey("topology.kryo.register", CV::array({CV::object({{"c.D", 1}})})) ==
        "a list of class names or {class: serializer} maps");
  CHECK(CheckKey("topology.kryo.register", CV::array({1})) == "a list of class names or {class: serializer} maps");
  CHECK(CheckKey("topology.kryo.register", CV("a.B")) == "a list of class names or {class: serializer} maps");

  CHECK(CheckKey("topology.isolate.machines", CV::array({1, "x"})) == "");  // known, not checked
}

TEST_CASE("DescribeValue: a value's type in words") {
  CHECK(DescribeValue(CV()) == "null");
  CHECK(DescribeValue(CV(true)) == "true");
  CHECK(DescribeValue(CV(false)) == "false");
  CHECK(DescribeValue(CV(0)) == "the integer 0");
  CHECK(DescribeValue(CV(-12)) == "the integer -12");
  CHECK(DescribeValue(CV(1.5)) == "the number 1.5");
  CHECK(DescribeValue(CV("s")) == "a string");
  CHECK(DescribeValue(CV::array({1})) == "a list");
  CHECK(DescribeValue(CV::object()) == "a map");
}

}  // namespace topoc::sema
