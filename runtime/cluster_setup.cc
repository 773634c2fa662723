// Cluster::Setup: components, their streams and subscribers, tasks, spawn
// specs and the conf each task gets in its handshake.
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "backends/storm_launch.h"
#include "runtime/cluster.h"
#include "runtime/json_scan.h"
#include "runtime/msgpack.h"
#include "runtime/storm_defaults.h"

namespace topoc::runtime {

namespace cluster {

namespace fs = std::filesystem;

bool ConfInt(const ir::Value& conf, const char* key, int64_t* out) {
  auto it = conf.find(key);
  if (it == conf.end() || it->is_null()) return false;
  if (it->is_number_integer()) {
    *out = it->get<int64_t>();
    return true;
  }
  // Storm takes 30.0 where it wants 30 (YAML and Python write numbers so).
  if (it->is_number_float()) {
    *out = static_cast<int64_t>(it->get<double>());
    return true;
  }
  return false;
}

bool Cluster::Setup(std::string* error) {
  if (!CheckRunnable(topo_, error)) return false;
  if (!PlanTopology(topo_, opt_.overrides, &plan_, error)) return false;

  std::error_code ec;
  fs::create_directories(opt_.logs_dir, ec);
  if (ec) {
    *error = "cannot create the log folder " + opt_.logs_dir.string() + ": " + ec.message();
    return false;
  }
  fs::path pid_dir = opt_.staging_dir / "pids";
  pid_dir_ = fs::absolute(pid_dir).string();
  fs::create_directories(pid_dir, ec);
  // Pid files of earlier runs: their processes are gone (PR_SET_PDEATHSIG).
  for (const auto& e : fs::directory_iterator(pid_dir, ec)) fs::remove(e.path(), ec);
  ec.clear();
  fs::create_directories(opt_.staging_dir / backends::kLauncherDir, ec);
  if (ec) {
    *error = "cannot create the staging folder " + opt_.staging_dir.string() + ": " + ec.message();
    return false;
  }

  rng_.Seed(opt_.seed ? opt_.seed : std::random_device{}() * 0x100000001ULL + std::random_device{}());

  // Storm's defaults under the topology's config (and so under every
  // component's).
  AddDefaults(StormDefaultConf(opt_.storm_version), &plan_.topology_conf);
  const ir::Value& tconf = plan_.topology_conf;
  int64_t v;
  if (ConfInt(tconf, "topology.message.timeout.secs", &v) && v > 0) message_timeout_ = static_cast<double>(v);
  if (auto it = tconf.find("topology.enable.message.timeouts"); it != tconf.end() && it->is_boolean()) {
    message_timeouts_ = it->get<bool>();
  }
  // topology.acker.executors 0: no trees; spouts' emits are acked at once.
  const PlannedComponent* acker = plan_.Find("__acker");
  ackers_ = acker && !acker->tasks.empty();

  // Log keys for the Python runtime (agreement 5).
  ir::Value log = ir::Value::object();
  log["streamparse.log.path"] = fs::absolute(opt_.logs_dir).string();
  for (const char* k : {"max_bytes", "backup_count"}) {
    if (opt_.log_settings.is_object() && opt_.log_settings.contains(k)) {
      log[std::string("streamparse.log.") + k] = opt_.log_settings[k];
    }
  }
  std::string level = "info";
  if (opt_.log_settings.is_object() && opt_.log_settings.contains("level") &&
      opt_.log_settings["level"].is_string()) {
    level = opt_.log_settings["level"].get<std::string>();
  }
  if (opt_.debug) level = "debug";
  log["streamparse.log.level"] = level;

  bool load_aware = true;
  if (auto it = tconf.find("topology.disable.loadaware.messaging"); it != tconf.end() && it->is_boolean()) {
    load_aware = !it->get<bool>();
  }
  // A Storm line without load-aware messaging (storm_version.h): plain round
  // robin.
  if (!backends::HasFeature(opt_.storm_version, backends::StormFeature::kLoadAwareMessaging)) {
    load_aware = false;
  }
  int64_t log_max_bytes = kDefaultLogMaxBytes, log_backups = kDefaultLogBackups;
  ConfInt(opt_.log_settings, "max_bytes", &log_max_bytes);
  ConfInt(opt_.log_settings, "backup_count", &log_backups);

  // The project first, then the bundled streamparse runtime, then the user's
  // own PYTHONPATH: the project's modules win, as in the jar's resources/.
  std::string python_path = fs::absolute(opt_.src_dir).string();
  if (!opt_.python_runtime_dir.empty()) python_path += ":" + fs::absolute(opt_.python_runtime_dir).string();
  if (const char* existing = getenv("PYTHONPATH"); existing && *existing) python_path += std::string(":") + existing;

  int max_id = 0;
  for (const auto& pc : plan_.components) {
    if (!pc.tasks.empty()) max_id = std::max(max_id, pc.tasks.back());
  }
  // Tasks are looked up by id on every emit: a vector, not a map.
  by_id_.assign(static_cast<size_t>(max_id) + 1, nullptr);
  load_.assign(by_id_.size(), 0.0);

  std::map<const ir::Component*, Comp*> comp_of;
  for (const auto& c : topo_.components) {
    auto comp = std::make_unique<Comp>();
    comp->ir = c.get();
    comp->id = c->id;
    AppendJsonString(&comp->json_id, c->id);
    AppendMsgpackStr(&comp->mp_id, c->id);
    comp->spout = c->role == ir::Role::kSpout;
    ir::Value conf = plan_.ComponentConf(*c, log);
    comp->conf_json = conf.dump();
    if (conf.is_object() && conf.contains("topology.multilang.serializer") &&
        conf["topology.multilang.serializer"].is_string()) {
      comp->msgpack = IsMsgpackSerializerName(conf["topology.multilang.serializer"].get<std::string>());
    }
    if (ConfInt(conf, "topology.tick.tuple.freq.secs", &v) && v > 0) comp->tick_secs = v;
    if (ConfInt(conf, "topology.max.spout.pending", &v) && v > 0) comp->max_pending = v;
    if (ConfInt(conf, "topology.shellbolt.max.pending", &v) && v > 0) comp->bolt_max_pending = v;
    if (auto it = conf.find("topoc.metrics"); it != conf.end()) {
      if (it->is_string()) comp->metrics.insert(it->get<std::string>());
      if (it->is_array()) {
        for (const auto& name : *it) {
          if (name.is_string()) comp->metrics.insert(name.get<std::string>());
        }
      }
    }
    if (ConfInt(conf, "topology.subprocess.timeout.secs", &v) && v > 0) comp->subprocess_timeout = static_cast<double>(v);
    for (const auto& s : c->streams) {
      OutStream os;
      os.id = s->id;
      AppendJsonString(&os.json_id, s->id);
      AppendMsgpackStr(&os.mp_id, s->id);
      os.field_count = s->fields.size();
      comp->streams.push_back(std::move(os));
    }
    // Spawn spec: the user's environment; python components also get the
    // project and the bundled streamparse runtime on PYTHONPATH.
    comp->spawn.cwd = opt_.src_dir;
    if (c->kind == ir::Kind::kPython) {
      comp->spawn.env.push_back({"PYTHONPATH", python_path});
      comp->spawn.env.push_back({"PYTHONUNBUFFERED", "1"});
      fs::path launcher = fs::absolute(opt_.staging_dir) / backends::PythonLauncherPath(c->python_class);
      std::ofstream f(launcher, std::ios::binary | std::ios::trunc);
      f << backends::PythonLauncherSource(c->python_class);
      if (!f) {
        *error = "cannot write the python launcher " + launcher.string();
        return false;
      }
      comp->spawn.argv = {opt_.python, launcher.string()};
    } else {
      comp->spawn.argv = c->shell_command;
    }
    comp->index = static_cast<int>(comps_.size());
    comp_of[c.get()] = comp.get();
    comps_.push_back(std::move(comp));
  }
  // Tasks.
  for (const auto& pc : plan_.components) {
    if (!pc.ir) continue;
    Comp* comp = comp_of[pc.ir];
    for (int id : pc.tasks) {
      auto t = std::make_unique<Task>();
      t->id = id;
      t->comp = comp;
      t->proc = std::make_unique<TaskProcess>(id, comp->id, comp->msgpack, &buffered_, opt_.console, opt_.debug);
      t->spout = SpoutDriver(comp->max_pending);
      t->spout.set_msgpack(comp->msgpack);
      by_id_[static_cast<size_t>(id)] = t.get();
      comp->tasks.push_back(t.get());
      tasks_.push_back(std::move(t));
    }
  }
  for (auto& comp : comps_) {
    report_.AddComponent(comp->id, comp->spout, static_cast<int>(comp->tasks.size()));
  }
  // Subscribers.
  for (const auto& c : topo_.components) {
    for (const auto& in : c->inputs) {
      Comp* src = comp_of[in.source];
      Comp* target = comp_of[c.get()];
      for (auto& os : src->streams) {
        if (os.id != in.stream->id) continue;
        Subscriber sub;
        sub.comp = target->index;
        sub.comp_id = target->id;
        sub.kind = in.grouping.kind;
        sub.load_aware = load_aware && (sub.kind == ir::Grouping::Kind::kShuffle ||
                                        sub.kind == ir::Grouping::Kind::kLocalOrShuffle);
        // Field names become positions once: a fields grouping then hashes
        // values_[i] without looking names up per tuple.
        for (const auto& f : in.grouping.fields) {
          auto it = std::find(in.stream->fields.begin(), in.stream->fields.end(), f);
          sub.field_index.push_back(static_cast<int>(it - in.stream->fields.begin()));
        }
        for (Task* tt : target->tasks) sub.tasks.push_back(tt->id);
        os.subs.push_back(std::move(sub));
      }
    }
  }
  // Grouping state per sender task.
  for (auto& comp : comps_) {
    size_t n = 0;
    for (auto& os : comp->streams) {
      os.state_offset = n;
      n += os.subs.size();
    }
    // Each sender task keeps its own grouping state (as each Storm executor
    // does): round robin positions are per sender.
    for (Task* t : comp->tasks) {
      t->groups.clear();
      for (auto& os : comp->streams) {
        for (const Subscriber& sub : os.subs) t->groups.push_back(NewGroupState(sub, &rng_));
      }
      std::string name = "topoc_" + topo_.name + "_" + comp->id + "_" + std::to_string(t->id) + ".log";
      t->proc->OpenLog(opt_.logs_dir / name, log_max_bytes, static_cast<int>(log_backups));
    }
  }
  return true;
}

}  // namespace cluster

bool CheckRunnable(const ir::Topology& topology, std::string* error) {
  for (const auto& c : topology.components) {
    if (c->kind == ir::Kind::kJava) {
      *error = "component '" + c->id + "' is a java component (" + c->java_class +
               "); `topoc run` runs only python and shell components over multilang. "
               "Run this topology on a real Storm cluster (`topoc submit`)";
      return false;
    }
    if (c->kind == ir::Kind::kShell && c->shell_command.empty()) {
      *error = "component '" + c->id + "' has an empty shell command";
      return false;
    }
    for (const auto& in : c->inputs) {
      if (in.grouping.kind == ir::Grouping::Kind::kCustom) {
        *error = "component '" + c->id + "' uses a custom grouping (" + in.grouping.custom_class +
                 "), a Java class that only a real Storm cluster can run";
        return false;
      }
    }
  }
  return true;
}

}  // namespace topoc::runtime
