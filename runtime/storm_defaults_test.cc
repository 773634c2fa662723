#include "runtime/storm_defaults.h"

#include <doctest/doctest.h>

namespace topoc::runtime {

TEST_CASE("Storm defaults per line: the documented defaults.yaml values") {
  using V = backends::StormVersion;
  ir::Value d2 = StormDefaultConf(V::k2_x);
  CHECK(d2["topology.message.timeout.secs"] == 30);
  CHECK(d2["topology.workers"] == 1);
  CHECK(d2["topology.multilang.serializer"] == "org.apache.storm.multilang.JsonSerializer");
  CHECK(d2["topology.shellbolt.max.pending"] == 100);
  CHECK(d2["topology.enable.message.timeouts"] == true);
  CHECK(d2["topology.disable.loadaware.messaging"] == false);
  CHECK(d2.contains("topology.max.spout.pending"));
  CHECK(d2["topology.max.spout.pending"].is_null());
  CHECK(!d2.contains("topology.subprocess.timeout.secs"));  // unset in defaults.yaml
  ir::Value d1 = StormDefaultConf(V::k1_x);
  CHECK(d1["topology.fall.back.on.java.serialization"] == false);
  CHECK(d1["topology.executor.receive.buffer.size"] == 1024);
  ir::Value d09 = StormDefaultConf(V::k0_9);
  CHECK(d09["topology.multilang.serializer"] == "backtype.storm.multilang.JsonSerializer");
  CHECK(!d09.contains("topology.shellbolt.max.pending"));  // unbounded before 1.0
  CHECK(!d09.contains("topology.disable.loadaware.messaging"));
}

TEST_CASE("AddDefaults fills only what the conf lacks") {
  ir::Value conf = {{"topology.message.timeout.secs", 5}, {"x", 1}};
  AddDefaults(StormDefaultConf(backends::StormVersion::k2_x), &conf);
  CHECK(conf["topology.message.timeout.secs"] == 5);
  CHECK(conf["topology.workers"] == 1);
  CHECK(conf["x"] == 1);
}

}  // namespace topoc::runtime
