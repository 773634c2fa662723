// `topoc run --ui` on topoc's side: finds and loads the live view's module
// (topoc-ui.so, ui_plugin_api.h) with dlopen, describes the topology to it,
// binds its port before anything starts, and hands it every snapshot the
// cluster publishes (LiveSink).
//
// The module is $TOPOC_UI_PLUGIN when set, else
// <prefix>/lib/topoc/topoc-ui.so next to the installed binary, else the
// build tree's (runtime/ui/ beside cli/).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backends/storm_version.h"
#include "compiler/ir/ir.h"
#include "runtime/live_stats.h"
#include "runtime/ui/storm_api.h"

struct TopocUiApi;

namespace topoc::runtime::ui {

// What the REST API says of the topology: Storm-like id, task ids as the
// cluster numbers them, the conf with Storm's defaults, the inputs.
bool DescribeTopology(const ir::Topology& topology, const std::vector<std::pair<std::string, ir::Value>>& overrides,
                      backends::StormVersion version, TopologyInfo* info, std::string* error);

class UiPlugin : public LiveSink {
 public:
  ~UiPlugin() override;

  // Loads the module and gives it the topology (it draws the graph with
  // Graphviz into work_dir). False with `error` when the module is missing.
  bool Load(const TopologyInfo& info, const std::string& dot_text, const std::filesystem::path& work_dir,
            std::string* error);
  // Binds 127.0.0.1:port (0: any). Returns the port, or -1 with `error`.
  int Bind(int port, std::string* error);
  void Start();
  // Stops serving (the event streams end); idempotent.
  void Stop();

  void Publish(std::shared_ptr<const RunSnapshot> snapshot) override;

 private:
  void* handle_ = nullptr;  // dlopen
  const TopocUiApi* api_ = nullptr;
  void* server_ = nullptr;
  bool started_ = false;
};

}  // namespace topoc::runtime::ui
