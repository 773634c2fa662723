#include "runtime/ui/snapshot_json.h"

namespace topoc::runtime::ui {

namespace {

// TaskStats as an array, in member order (compact: sent every second).
Json StatsToJson(const TaskStats& t) {
  return Json::array({t.emitted, t.transferred, t.acked, t.failed, t.executed, t.restarts, t.execute_ms, t.execute_n,
                      t.process_ms, t.process_n, t.complete_ms, t.complete_n, t.busy_secs});
}

void StatsFromJson(const Json& j, TaskStats* t) {
  t->emitted = j.at(0).get<uint64_t>();
  t->transferred = j.at(1).get<uint64_t>();
  t->acked = j.at(2).get<uint64_t>();
  t->failed = j.at(3).get<uint64_t>();
  t->executed = j.at(4).get<uint64_t>();
  t->restarts = j.at(5).get<uint64_t>();
  t->execute_ms = j.at(6).get<double>();
  t->execute_n = j.at(7).get<uint64_t>();
  t->process_ms = j.at(8).get<double>();
  t->process_n = j.at(9).get<uint64_t>();
  t->complete_ms = j.at(10).get<double>();
  t->complete_n = j.at(11).get<uint64_t>();
  t->busy_secs = j.at(12).get<double>();
}

}  // namespace

Json SnapshotToJson(const RunSnapshot& s) {
  Json comps = Json::array();
  for (const auto& c : s.components) {
    Json tasks = Json::array();
    for (const auto& t : c.tasks) {
      tasks.push_back({{"id", t.id},
                       {"pid", t.pid},
                       {"state", t.state},
                       {"uptime", t.uptime_secs},
                       {"stats", StatsToJson(t.stats)},
                       {"log", t.log_file}});
    }
    Json errors = Json::array();
    for (const auto& e : c.errors) errors.push_back({{"time", e.wall_time}, {"task", e.task}, {"text", e.text}});
    comps.push_back({{"id", c.id}, {"spout", c.spout}, {"tasks", std::move(tasks)}, {"errors", std::move(errors)}});
  }
  return {{"uptime", s.uptime_secs},       {"wall", s.wall_time},
          {"stopping", s.stopping},        {"ended", s.ended},
          {"routed", s.tuples_routed},     {"components", std::move(comps)}};
}

bool SnapshotFromJson(const Json& j, RunSnapshot* s) {
  try {
    s->uptime_secs = j.at("uptime").get<double>();
    s->wall_time = j.at("wall").get<double>();
    s->stopping = j.at("stopping").get<bool>();
    s->ended = j.at("ended").get<bool>();
    s->tuples_routed = j.at("routed").get<uint64_t>();
    s->components.clear();
    for (const auto& cj : j.at("components")) {
      ComponentSnapshot& c = s->components.emplace_back();
      c.id = cj.at("id").get<std::string>();
      c.spout = cj.at("spout").get<bool>();
      for (const auto& tj : cj.at("tasks")) {
        TaskSnapshot& t = c.tasks.emplace_back();
        t.id = tj.at("id").get<int>();
        t.pid = tj.at("pid").get<int>();
        t.state = tj.at("state").get<std::string>();
        t.uptime_secs = tj.at("uptime").get<double>();
        StatsFromJson(tj.at("stats"), &t.stats);
        t.log_file = tj.at("log").get<std::string>();
      }
      for (const auto& ej : cj.at("errors")) {
        c.errors.push_back({ej.at("time").get<double>(), ej.at("task").get<int>(), ej.at("text").get<std::string>()});
      }
    }
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

Json InfoToJson(const TopologyInfo& info) {
  Json comps = Json::array();
  for (const auto& c : info.components) {
    Json inputs = Json::array();
    for (const auto& in : c.inputs) {
      inputs.push_back({{"component", in.component}, {"stream", in.stream}, {"grouping", in.grouping}});
    }
    comps.push_back({{"id", c.id}, {"spout", c.spout}, {"tasks", c.tasks}, {"inputs", std::move(inputs)}});
  }
  return {{"id", info.id},
          {"name", info.name},
          {"stormVersion", info.storm_version},
          {"msgTimeout", info.message_timeout_secs},
          {"configuration", info.configuration},
          {"components", std::move(comps)}};
}

bool InfoFromJson(const Json& j, TopologyInfo* info) {
  try {
    info->id = j.at("id").get<std::string>();
    info->name = j.at("name").get<std::string>();
    info->storm_version = j.at("stormVersion").get<std::string>();
    info->message_timeout_secs = j.at("msgTimeout").get<int64_t>();
    info->configuration = j.at("configuration");
    info->components.clear();
    for (const auto& cj : j.at("components")) {
      TopologyInfo::Component& c = info->components.emplace_back();
      c.id = cj.at("id").get<std::string>();
      c.spout = cj.at("spout").get<bool>();
      c.tasks = cj.at("tasks").get<std::vector<int>>();
      for (const auto& ij : cj.at("inputs")) {
        c.inputs.push_back({ij.at("component").get<std::string>(), ij.at("stream").get<std::string>(),
                            ij.at("grouping").get<std::string>()});
      }
    }
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

}  // namespace topoc::runtime::ui
