#include "runtime/topology_plan.h"

#include <algorithm>

namespace topoc::runtime {

namespace {

std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len > 1 && i + len <= s.size()) {
      cp = c & (0x7F >> len);
      for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    } else {
      len = 1;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void Merge(ir::Value& into, std::string_view key, const ir::Value& v) { into[std::string(key)] = v; }

}  // namespace

bool JavaStringLess(std::string_view a, std::string_view b) { return ToUtf16(a) < ToUtf16(b); }

const PlannedComponent* TopologyPlan::Find(std::string_view id) const {
  for (const auto& c : components) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

ir::Value TopologyPlan::ComponentConf(const ir::Component& c, const ir::Value& extra) const {
  ir::Value conf = topology_conf;
  for (const auto& e : c.config) Merge(conf, e.key, e.value);
  for (const auto& [k, v] : overrides) Merge(conf, k, v);
  conf["topology.name"] = topology->name;
  if (extra.is_object()) {
    for (auto it = extra.begin(); it != extra.end(); ++it) conf[it.key()] = it.value();
  }
  return conf;
}

bool PlanTopology(const ir::Topology& topology,
                  const std::vector<std::pair<std::string, ir::Value>>& overrides,
                  TopologyPlan* plan, std::string* error) {
  plan->topology = &topology;
  plan->overrides = overrides;
  plan->topology_conf = ir::Value::object();
  for (const auto& e : topology.config) Merge(plan->topology_conf, e.key, e.value);
  for (const auto& [k, v] : overrides) Merge(plan->topology_conf, k, v);
  plan->topology_conf["topology.name"] = topology.name;

  auto int_conf = [&](const char* key, int64_t fallback, int64_t* out) {
    auto it = plan->topology_conf.find(key);
    if (it == plan->topology_conf.end() || it->is_null()) {
      *out = fallback;
      return true;
    }
    if (!it->is_number_integer() || it->get<int64_t>() < 0) {
      *error = std::string(key) + " must be a non-negative integer, got " + it->dump();
      return false;
    }
    *out = it->get<int64_t>();
    return true;
  };
  int64_t workers = 1, ackers = 1, max_parallelism = 0;
  if (!int_conf("topology.workers", 1, &workers)) return false;
  if (!int_conf("topology.acker.executors", workers, &ackers)) return false;
  if (!int_conf("topology.max.task.parallelism", 0, &max_parallelism)) return false;

  struct Entry {
    std::string id;
    const ir::Component* ir;
    int count;
  };
  std::vector<Entry> entries;
  for (const auto& c : topology.components) {
    int n = c->TaskCount();
    if (max_parallelism > 0) n = std::min<int>(n, static_cast<int>(max_parallelism));
    entries.push_back({c->id, c.get(), n});
  }
  entries.push_back({"__acker", nullptr, static_cast<int>(ackers)});
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return JavaStringLess(a.id, b.id); });
  plan->components.clear();
  plan->task_to_component.clear();
  int next = 1;
  for (const auto& e : entries) {
    PlannedComponent pc;
    pc.id = e.id;
    pc.ir = e.ir;
    for (int i = 0; i < e.count; ++i) {
      pc.tasks.push_back(next);
      plan->task_to_component[next] = e.id;
      ++next;
    }
    plan->components.push_back(std::move(pc));
  }
  return true;
}

ir::Value GroupingContextJson(const ir::Grouping& g) {
  ir::Value out = ir::Value::object();
  using K = ir::Grouping::Kind;
  switch (g.kind) {
    case K::kFields:
      out["type"] = "FIELDS";
      out["fields"] = g.fields;
      break;
    case K::kGlobal:
      out["type"] = "FIELDS";
      out["fields"] = ir::Value::array();
      break;
    case K::kShuffle: out["type"] = "SHUFFLE"; break;
    case K::kAll: out["type"] = "ALL"; break;
    case K::kNone: out["type"] = "NONE"; break;
    case K::kDirect: out["type"] = "DIRECT"; break;
    case K::kLocalOrShuffle: out["type"] = "LOCAL_OR_SHUFFLE"; break;
    case K::kPartialKey: out["type"] = "CUSTOM_SERIALIZED"; break;
    case K::kCustom: out["type"] = "CUSTOM_OBJECT"; break;
  }
  return out;
}

ir::Value TaskContext(const TopologyPlan& plan, const ir::Component& c, int task) {
  ir::Value ctx = ir::Value::object();
  ir::Value t2c = ir::Value::object();
  for (const auto& [t, id] : plan.task_to_component) t2c[std::to_string(t)] = id;
  ctx["task->component"] = std::move(t2c);
  ctx["taskid"] = task;
  ctx["componentid"] = c.id;
  ir::Value streams = ir::Value::array();
  ir::Value fields = ir::Value::object();
  for (const auto& s : c.streams) {
    streams.push_back(s->id);
    fields[s->id] = s->fields;
  }
  ctx["streams"] = std::move(streams);
  ctx["stream->outputfields"] = std::move(fields);

  // stream -> target component -> grouping, over every subscriber of c.
  ir::Value targets = ir::Value::object();
  for (const auto& s : c.streams) targets[s->id] = ir::Value::object();
  for (const auto& other : plan.topology->components) {
    for (const auto& in : other->inputs) {
      if (in.source != &c) continue;
      targets[in.stream->id][other->id] = GroupingContextJson(in.grouping);
    }
  }
  ctx["stream->target->grouping"] = std::move(targets);

  ir::Value sources = ir::Value::object();
  ir::Value source_fields = ir::Value::object();
  for (const auto& in : c.inputs) {
    sources[in.source->id][in.stream->id] = GroupingContextJson(in.grouping);
    if (!source_fields.contains(in.source->id)) {
      ir::Value all = ir::Value::object();
      for (const auto& s : in.source->streams) all[s->id] = s->fields;
      source_fields[in.source->id] = std::move(all);
    }
  }
  ctx["source->stream->grouping"] = std::move(sources);
  ctx["source->stream->fields"] = std::move(source_fields);
  return ctx;
}

bool ParseOverride(std::string_view text, std::pair<std::string, ir::Value>* out, std::string* error) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    *error = "option '" + std::string(text) + "' is not of the form key=value";
    return false;
  }
  out->first = std::string(text.substr(0, eq));
  std::string value(text.substr(eq + 1));
  ir::Value parsed = ir::Value::parse(value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    out->second = value;
  } else {
    out->second = std::move(parsed);
  }
  return true;
}

}  // namespace topoc::runtime
