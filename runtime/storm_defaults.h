// The topology.* defaults of Storm's conf/defaults.yaml for one Storm line
// (storm-facts.md §5): the base of the conf a component gets in its
// handshake, under the topology's config and the component's own.
#pragma once

#include "backends/storm_version.h"
#include "compiler/ir/ir.h"

namespace topoc::runtime {

// A JSON object; keys that defaults.yaml sets to null are present as null,
// as in the conf Storm hands to a multilang component.
ir::Value StormDefaultConf(backends::StormVersion version);

// `conf` with every key of `defaults` that it lacks added.
void AddDefaults(const ir::Value& defaults, ir::Value* conf);

}  // namespace topoc::runtime
