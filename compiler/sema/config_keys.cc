#include "compiler/sema/config_keys.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace topoc::sema {

namespace {

using T = ConfigType;

// Storm 2.x Config.java topology.* keys; the typed ones follow the
// validator annotations (storm-facts.md §4), the rest are known but free.
const ConfigKeyInfo kKeys[] = {
    {"topology.debug", T::kBool, false},
    {"topology.enable.message.timeouts", T::kBool, false},
    {"topology.fall.back.on.java.serialization", T::kBool, false},
    {"topology.skip.missing.kryo.registrations", T::kBool, false},
    {"topology.testing.always.try.serialize", T::kBool, false},
    {"topology.workers", T::kPositiveInt, false},
    {"topology.tasks", T::kNonNegativeInt, false},
    {"topology.acker.executors", T::kNonNegativeInt, false},
    {"topology.eventlogger.executors", T::kNonNegativeInt, false},
    {"topology.priority", T::kNonNegativeInt, false},
    {"topology.ras.acker.executors.per.worker", T::kNonNegativeInt, false},
    {"topology.message.timeout.secs", T::kPositiveInt, true},
    {"topology.max.spout.pending", T::kPositiveInt, false},
    {"topology.max.task.parallelism", T::kPositiveInt, false},
    {"topology.subprocess.timeout.secs", T::kPositiveInt, false},
    {"topology.max.error.report.per.interval", T::kPositiveInt, false},
    {"topology.shellbolt.max.pending", T::kPositiveInt, true},
    {"topology.tick.tuple.freq.secs", T::kInt, false},
    {"topology.builtin.metrics.bucket.size.secs", T::kInt, false},
    {"topology.error.throttle.interval.secs", T::kInt, false},
    {"topology.multilang.serializer", T::kString, false},
    {"topology.multilang.log.handler", T::kString, false},
    {"topology.name", T::kString, false},
    {"topology.spout.wait.strategy", T::kString, false},
    {"topology.version", T::kString, false},
    {"topology.worker.childopts", T::kStringOrStringList, false},
    {"topology.users", T::kStringOrStringList, false},
    {"topology.groups", T::kStringOrStringList, false},
    {"topology.classpath", T::kStringOrStringList, false},
    {"topology.kryo.register", T::kKryoRegister, false},
    {"topology.kryo.decorators", T::kStringList, false},
    {"topology.auto-credentials", T::kStringList, false},
    {"topology.environment", T::kStringMap, false},
    {"topology.worker.max.heap.size.mb", T::kPositiveNumber, false},
    {"topology.stats.sample.rate", T::kPositiveNumber, false},
    {"topology.component.resources.onheap.memory.mb", T::kNonNegativeNumber, false},
    {"topology.component.cpu.pcore.percent", T::kNonNegativeNumber, false},
    {"topology.worker.timeout.secs", T::kPositiveInt, true},
    {"topology.producer.batch.size", T::kPositiveInt, true},
    // Known, unchecked.
    {"topology.acker.cpu.pcore.percent", T::kAny, false},
    {"topology.acker.resources.offheap.memory.mb", T::kAny, false},
    {"topology.acker.resources.onheap.memory.mb", T::kAny, false},
    {"topology.backpressure.check.millis", T::kAny, false},
    {"topology.backpressure.wait.park.micros", T::kAny, false},
    {"topology.backpressure.wait.progressive.level1.count", T::kAny, false},
    {"topology.backpressure.wait.progressive.level2.count", T::kAny, false},
    {"topology.backpressure.wait.progressive.level3.sleep.millis", T::kAny, false},
    {"topology.backpressure.wait.strategy", T::kAny, false},
    {"topology.batch.flush.interval.millis", T::kAny, false},
    {"topology.blobstore.map", T::kAny, false},
    {"topology.bolt.wait.park.microsec", T::kAny, false},
    {"topology.bolt.wait.progressive.level1.count", T::kAny, false},
    {"topology.bolt.wait.progressive.level2.count", T::kAny, false},
    {"topology.bolt.wait.progressive.level3.sleep.millis", T::kAny, false},
    {"topology.bolt.wait.strategy", T::kAny, false},
    {"topology.bolts.late.tuple.stream", T::kAny, false},
    {"topology.bolts.message.id.field.name", T::kAny, false},
    {"topology.bolts.outgoing.overflow.buffer.enable", T::kAny, false},
    {"topology.bolts.tuple.timestamp.field.name", T::kAny, false},
    {"topology.bolts.tuple.timestamp.max.lag.ms", T::kAny, false},
    {"topology.bolts.watermark.event.interval.ms", T::kAny, false},
    {"topology.bolts.window.length.count", T::kAny, false},
    {"topology.bolts.window.length.duration.ms", T::kAny, false},
    {"topology.bolts.sliding.interval.count", T::kAny, false},
    {"topology.bolts.sliding.interval.duration.ms", T::kAny, false},
    {"topology.cluster.id", T::kAny, false},
    {"topology.component.resources.offheap.memory.mb", T::kAny, false},
    {"topology.disable.loadaware.messaging", T::kAny, false},
    {"topology.disruptor.batch.size", T::kAny, false},
    {"topology.disruptor.batch.timeout.millis", T::kAny, false},
    {"topology.disruptor.wait.timeout.millis", T::kAny, false},
    {"topology.enable.v2.metrics.tick", T::kAny, false},
    {"topology.executor.overflow.limit", T::kAny, false},
    {"topology.executor.receive.buffer.size", T::kAny, false},
    {"topology.executor.send.buffer.size", T::kAny, false},
    {"topology.kryo.factory", T::kAny, false},
    {"topology.localityaware.higher.bound", T::kAny, false},
    {"topology.localityaware.lower.bound", T::kAny, false},
    {"topology.logging.config", T::kAny, false},
    {"topology.logging.sensitivity", T::kAny, false},
    {"topology.metrics.consumer.register", T::kAny, false},
    {"topology.metrics.reporters", T::kAny, false},
    {"topology.min.replication.count", T::kAny, false},
    {"topology.max.replication.wait.time.sec", T::kAny, false},
    {"topology.scheduler.strategy", T::kAny, false},
    {"topology.ras.constraints", T::kAny, false},
    {"topology.ras.one.component.per.worker", T::kAny, false},
    {"topology.ras.one.executor.per.worker", T::kAny, false},
    {"topology.ras.orderer.strategy", T::kAny, false},
    {"topology.scheduler.favored.nodes", T::kAny, false},
    {"topology.scheduler.unfavored.nodes", T::kAny, false},
    {"topology.shellbolt.max.pending", T::kAny, false},
    {"topology.sleep.spout.wait.strategy.time.ms", T::kAny, false},
    {"topology.spout.recvq.skips", T::kAny, false},
    {"topology.spout.wait.park.microsec", T::kAny, false},
    {"topology.spout.wait.progressive.level1.count", T::kAny, false},
    {"topology.spout.wait.progressive.level2.count", T::kAny, false},
    {"topology.spout.wait.progressive.level3.sleep.millis", T::kAny, false},
    {"topology.state.checkpoint.interval.ms", T::kAny, false},
    {"topology.state.provider", T::kAny, false},
    {"topology.state.provider.config", T::kAny, false},
    {"topology.state.synchronization.timeout.secs", T::kAny, false},
    {"topology.stats.sample.rate", T::kAny, false},
    {"topology.submitter.principal", T::kAny, false},
    {"topology.submitter.user", T::kAny, false},
    {"topology.tick.tuple.freq.ms", T::kAny, false},
    {"topology.trident.batch.emit.interval.millis", T::kAny, false},
    {"topology.trident.windowing.inmemory.cache.limit", T::kAny, false},
    {"topology.transactional.id", T::kAny, false},
    {"topology.transfer.batch.size", T::kAny, false},
    {"topology.transfer.buffer.size", T::kAny, false},
    {"topology.tuple.serializer", T::kAny, false},
    {"topology.worker.gc.childopts", T::kAny, false},
    {"topology.worker.logwriter.childopts", T::kAny, false},
    {"topology.worker.metrics", T::kAny, false},
    {"topology.worker.receiver.thread.count", T::kAny, false},
    {"topology.worker.shared.thread.pool.size", T::kAny, false},
    {"topology.workers.per.supervisor", T::kAny, false},
    {"topology.bolts.watermark.event.interval.ms", T::kAny, false},
    {"topology.isolate.machines", T::kAny, false},
    {"topology.receiver.buffer.size", T::kAny, false},
    {"topology.trident.batch.emit.interval.millis", T::kAny, false},
    {"topology.ras.acker.executors.per.worker", T::kAny, false},
    {"topology.spreadcomponents", T::kAny, false},
    {"topology.scheduler.strategy", T::kAny, false},
};

// First entry wins, so the typed entries above shadow repeated untyped ones.
const std::unordered_map<std::string_view, const ConfigKeyInfo*>& Index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const ConfigKeyInfo*>();
    for (const ConfigKeyInfo& k : kKeys) m->emplace(k.key, &k);
    return m;
  }();
  return *index;
}

bool IsIntegral(const ir::Value& v, int64_t* out) {
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) return false;
    *out = i;
    return true;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) return false;
    if (d < std::numeric_limits<int32_t>::min() || d > std::numeric_limits<int32_t>::max()) return false;
    *out = static_cast<int64_t>(d);
    return true;
  }
  return false;
}

bool IsStringList(const ir::Value& v) {
  if (!v.is_array()) return false;
  for (const auto& e : v) {
    if (!e.is_string()) return false;
  }
  return true;
}

}  // namespace

const ConfigKeyInfo* FindConfigKey(std::string_view key) {
  auto it = Index().find(key);
  return it == Index().end() ? nullptr : it->second;
}

const std::vector<std::string_view>& KnownConfigKeys() {
  static const auto* keys = [] {
    auto* v = new std::vector<std::string_view>();
    for (const auto& [key, info] : Index()) v->push_back(key);
    std::sort(v->begin(), v->end());
    return v;
  }();
  return *keys;
}

std::optional<std::string> CheckConfigValue(const ConfigKeyInfo& info, const ir::Value& v) {
  if (v.is_null()) {
    if (info.not_null) return std::string("not null");
    return std::nullopt;
  }
  int64_t i = 0;
  switch (info.type) {
    case T::kAny: return std::nullopt;
    case T::kBool:
      if (v.is_boolean()) return std::nullopt;
      return std::string("a boolean");
    case T::kInt:
      if (IsIntegral(v, &i)) return std::nullopt;
      return std::string("an integer");
    case T::kPositiveInt:
      if (IsIntegral(v, &i) && i > 0) return std::nullopt;
      return std::string("a positive integer");
    case T::kNonNegativeInt:
      if (IsIntegral(v, &i) && i >= 0) return std::nullopt;
      return std::string("an integer >= 0");
    case T::kString:
      if (v.is_string()) return std::nullopt;
      return std::string("a string");
    case T::kStringOrStringList:
      if (v.is_string() || IsStringList(v)) return std::nullopt;
      return std::string("a string or a list of strings");
    case T::kStringList:
      if (IsStringList(v)) return std::nullopt;
      return std::string("a list of strings");
    case T::kStringMap:
      if (v.is_object()) {
        bool ok = true;
        for (const auto& [k, e] : v.items()) ok = ok && e.is_string();
        if (ok) return std::nullopt;
      }
      return std::string("a map of strings to strings");
    case T::kPositiveNumber:
      if (v.is_number() && v.get<double>() > 0) return std::nullopt;
      return std::string("a positive number");
    case T::kNonNegativeNumber:
      if (v.is_number() && v.get<double>() >= 0) return std::nullopt;
      return std::string("a number >= 0");
    case T::kKryoRegister:
      if (v.is_array()) {
        bool ok = true;
        for (const auto& e : v) {
          if (e.is_string()) continue;
          if (e.is_object()) {
            for (const auto& [k, c] : e.items()) ok = ok && c.is_string();
            continue;
          }
          ok = false;
        }
        if (ok) return std::nullopt;
      }
      return std::string("a list of class names or {class: serializer} maps");
  }
  return std::nullopt;
}

std::string DescribeValue(const ir::Value& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return "the integer " + v.dump();
  if (v.is_number_float()) return "the number " + v.dump();
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "a map";
}

}  // namespace topoc::sema
