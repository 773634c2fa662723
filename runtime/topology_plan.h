// What `topoc run` starts for a topology: task ids numbered as Storm numbers
// them, each component's effective conf, and the handshake context a Storm
// 2.x worker sends (storm-facts.md §2.2).
//
// Task ids: all component ids, system components included (`__acker` with
// topology.acker.executors tasks, default topology.workers = 1), sorted in
// Java String order, tasks numbered consecutively from 1.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"

namespace topoc::runtime {

// Java String.compareTo order (UTF-16 code units) for UTF-8 strings.
bool JavaStringLess(std::string_view a, std::string_view b);

struct PlannedComponent {
  std::string id;
  const ir::Component* ir = nullptr;  // nullptr for system components
  std::vector<int> tasks;             // ascending
};

struct TopologyPlan {
  const ir::Topology* topology = nullptr;
  // Sorted by id in Java String order.
  std::vector<PlannedComponent> components;
  std::map<int, std::string> task_to_component;
  // Topology config, then the -o overrides, then topology.name.
  ir::Value topology_conf = ir::Value::object();
  std::vector<std::pair<std::string, ir::Value>> overrides;

  const PlannedComponent* Find(std::string_view id) const;
  // Conf a component's tasks see: topology conf, component config, the -o
  // overrides again (they win), topology.name, then `extra` (log keys).
  ir::Value ComponentConf(const ir::Component& c, const ir::Value& extra) const;
};

// Builds the plan. Returns false with `error` set when the topology cannot
// be planned (e.g. a non-integer topology.acker.executors).
bool PlanTopology(const ir::Topology& topology,
                  const std::vector<std::pair<std::string, ir::Value>>& overrides,
                  TopologyPlan* plan, std::string* error);

// Storm's grouping type name in the context: FIELDS (also global, with no
// fields), SHUFFLE, ALL, NONE, DIRECT, LOCAL_OR_SHUFFLE, CUSTOM_SERIALIZED
// (partial key), CUSTOM_OBJECT.
ir::Value GroupingContextJson(const ir::Grouping& g);

// The handshake "context" for one task of `c`.
ir::Value TaskContext(const TopologyPlan& plan, const ir::Component& c, int task);

// Parses "key=value" from -o: the value is JSON when it parses as JSON,
// else the plain string. Returns false on a missing '=' or empty key.
bool ParseOverride(std::string_view text, std::pair<std::string, ir::Value>* out, std::string* error);

}  // namespace topoc::runtime
