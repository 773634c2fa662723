#include "runtime/ui/ui_plugin.h"

#include <dlfcn.h>

#include <chrono>
#include <cstdlib>

#include "runtime/storm_defaults.h"
#include "runtime/topology_plan.h"
#include "runtime/ui/snapshot_json.h"
#include "runtime/ui/ui_plugin_api.h"

namespace topoc::runtime::ui {

namespace {

namespace fs = std::filesystem;

// Storm's name of a grouping (the Grouping union's field in storm.thrift).
const char* StormGroupingName(ir::Grouping::Kind k) {
  switch (k) {
    case ir::Grouping::Kind::kShuffle: return "shuffle";
    case ir::Grouping::Kind::kFields: return "fields";
    case ir::Grouping::Kind::kAll: return "all";
    case ir::Grouping::Kind::kGlobal: return "fields";  // fields with no field
    case ir::Grouping::Kind::kNone: return "none";
    case ir::Grouping::Kind::kDirect: return "direct";
    case ir::Grouping::Kind::kLocalOrShuffle: return "local_or_shuffle";
    case ir::Grouping::Kind::kPartialKey: return "custom_serialized";
    case ir::Grouping::Kind::kCustom: return "custom_serialized";
  }
  return "shuffle";
}

std::vector<fs::path> PluginCandidates() {
  std::vector<fs::path> out;
  if (const char* env = std::getenv("TOPOC_UI_PLUGIN"); env && *env) return {fs::path(env)};
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back(exe.parent_path().parent_path() / "lib" / "topoc" / "topoc-ui.so");
    out.push_back(exe.parent_path().parent_path() / "runtime" / "ui" / "topoc-ui.so");
  }
  return out;
}

}  // namespace

bool DescribeTopology(const ir::Topology& topology, const std::vector<std::pair<std::string, ir::Value>>& overrides,
                      backends::StormVersion version, TopologyInfo* info, std::string* error) {
  TopologyPlan plan;
  if (!PlanTopology(topology, overrides, &plan, error)) return false;
  AddDefaults(StormDefaultConf(version), &plan.topology_conf);
  auto start = std::chrono::system_clock::now().time_since_epoch();
  info->name = topology.name;
  info->id = topology.name + "-1-" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(start).count());
  info->storm_version = std::string(backends::StormVersionName(version)) + " (topoc local run)";
  info->configuration = plan.topology_conf;
  info->configuration["storm.id"] = info->id;
  auto it = plan.topology_conf.find("topology.message.timeout.secs");
  if (it != plan.topology_conf.end() && it->is_number()) info->message_timeout_secs = it->get<int64_t>();
  info->components.clear();
  for (const auto& c : topology.components) {
    TopologyInfo::Component& tc = info->components.emplace_back();
    tc.id = c->id;
    tc.spout = c->role == ir::Role::kSpout;
    if (const PlannedComponent* pc = plan.Find(c->id)) tc.tasks = pc->tasks;
    for (const auto& in : c->inputs) {
      tc.inputs.push_back({in.source->id, in.stream->id, StormGroupingName(in.grouping.kind)});
    }
  }
  return true;
}

UiPlugin::~UiPlugin() {
  Stop();
  if (api_ && server_) api_->destroy(server_);
  // The module stays loaded: its threads are joined, but unloading C++
  // code with static state at exit buys nothing.
}

bool UiPlugin::Load(const TopologyInfo& info, const std::string& dot_text, const fs::path& work_dir,
                    std::string* error) {
  std::string tried;
  for (const fs::path& p : PluginCandidates()) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      tried += (tried.empty() ? "" : ", ") + p.string();
      continue;
    }
    handle_ = dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
      *error = "cannot load the live view's module " + p.string() + ": " + dlerror() +
               " (Debian: apt-get install libcpp-httplib0.11)";
      return false;
    }
    break;
  }
  if (!handle_) {
    *error = "the live view's module topoc-ui.so was not found (looked at " + tried +
             "; set TOPOC_UI_PLUGIN to its path)";
    return false;
  }
  auto fn = reinterpret_cast<TopocUiApiFn>(dlsym(handle_, "topoc_ui_api"));
  api_ = fn ? fn() : nullptr;
  if (!api_ || api_->version != TOPOC_UI_API_VERSION) {
    *error = "the live view's module does not match this topoc (rebuild or reinstall topoc)";
    api_ = nullptr;
    return false;
  }
  Json j = InfoToJson(info);
  j["dot"] = dot_text;
  j["workDir"] = work_dir.string();
  char err[512] = "";
  server_ = api_->create(j.dump().c_str(), err, sizeof err);
  if (!server_) {
    *error = err;
    return false;
  }
  return true;
}

int UiPlugin::Bind(int port, std::string* error) {
  char err[512] = "";
  int bound = api_->bind(server_, port, err, sizeof err);
  if (bound < 0) *error = err;
  return bound;
}

void UiPlugin::Start() {
  api_->start(server_);
  started_ = true;
}

void UiPlugin::Stop() {
  if (!started_) return;
  started_ = false;
  api_->stop(server_);
}

void UiPlugin::Publish(std::shared_ptr<const RunSnapshot> snapshot) {
  if (!started_) return;
  // About 1 KB of JSON a second; the module parses it on its own thread.
  api_->publish(server_, SnapshotToJson(*snapshot).dump().c_str());
}

}  // namespace topoc::runtime::ui
