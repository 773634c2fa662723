// RunSnapshot and TopologyInfo as JSON: how they cross from `topoc` to the
// live view's module (ui_plugin_api.h). Both sides compile this file.
#pragma once

#include "runtime/live_stats.h"
#include "runtime/ui/storm_api.h"

namespace topoc::runtime::ui {

Json SnapshotToJson(const RunSnapshot& s);
// False when `j` is not what SnapshotToJson writes.
bool SnapshotFromJson(const Json& j, RunSnapshot* s);

Json InfoToJson(const TopologyInfo& info);
bool InfoFromJson(const Json& j, TopologyInfo* info);

}  // namespace topoc::runtime::ui
