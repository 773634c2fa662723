#include "runtime/storm_defaults.h"

namespace topoc::runtime {

ir::Value StormDefaultConf(backends::StormVersion version) {
  using V = backends::StormVersion;
  bool v2 = version == V::k2_x;
  std::string pkg(backends::StormJavaPackage(version));
  ir::Value c = ir::Value::object();
  c["topology.debug"] = false;
  c["topology.workers"] = 1;
  c["topology.tasks"] = nullptr;
  c["topology.acker.executors"] = nullptr;
  c["topology.message.timeout.secs"] = 30;
  c["topology.enable.message.timeouts"] = true;
  c["topology.max.spout.pending"] = nullptr;
  c["topology.max.task.parallelism"] = nullptr;
  c["topology.tick.tuple.freq.secs"] = nullptr;
  c["topology.multilang.serializer"] = pkg + ".multilang.JsonSerializer";
  c["topology.skip.missing.kryo.registrations"] = false;
  c["topology.kryo.factory"] = pkg + ".serialization.DefaultKryoFactory";
  c["topology.tuple.serializer"] = pkg + ".serialization.types.ListDelegateSerializer";
  c["topology.fall.back.on.java.serialization"] = version != V::k1_x;
  c["topology.stats.sample.rate"] = 0.05;
  c["topology.builtin.metrics.bucket.size.secs"] = 60;
  c["topology.error.throttle.interval.secs"] = 10;
  c["topology.max.error.report.per.interval"] = 5;
  c["topology.trident.batch.emit.interval.millis"] = 500;
  c["topology.sleep.spout.wait.strategy.time.ms"] = 1;
  c["topology.executor.receive.buffer.size"] = v2 ? 32768 : 1024;
  c["topology.transfer.buffer.size"] = v2 ? 1000 : 1024;
  if (backends::HasFeature(version, backends::StormFeature::kShellBoltMaxPending)) {
    c["topology.shellbolt.max.pending"] = 100;
    c["topology.eventlogger.executors"] = 0;
  }
  if (backends::HasFeature(version, backends::StormFeature::kLoadAwareMessaging)) {
    c["topology.disable.loadaware.messaging"] = false;
  }
  return c;
}

void AddDefaults(const ir::Value& defaults, ir::Value* conf) {
  if (!conf->is_object()) return;
  for (auto it = defaults.begin(); it != defaults.end(); ++it) {
    if (!conf->contains(it.key())) (*conf)[it.key()] = it.value();
  }
}

}  // namespace topoc::runtime
