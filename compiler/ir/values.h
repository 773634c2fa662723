// The values the AST and the IR share: what a .topo file writes literally
// (config values, java arguments, a grouping's kind, a component's role)
// is carried unchanged from the parser through sema to the backends. Kept
// apart from ir.h so the AST does not depend on the IR.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/source/source_manager.h"

namespace topoc::ir {

// A JSON-like value from a config block: null, bool, integer (int64),
// double, string, list, map (insertion order kept, so output is
// deterministic). Integers and doubles stay distinct (1 vs 1.0).
using Value = nlohmann::ordered_json;

struct ConfigEntry {
  std::string key;      // "topology.message.timeout.secs"
  Value value;
  Span key_span;
  Span value_span;
};

// A typed constructor argument of a java component or custom grouping.
struct JavaArg {
  enum class Type { kInt, kLong, kDouble, kString, kBool };
  Type type = Type::kString;
  int64_t int_value = 0;     // kInt (fits int32) and kLong
  double double_value = 0;   // kDouble
  std::string string_value;  // kString
  bool bool_value = false;   // kBool
  Span span;
};

enum class GroupingKind {
  kShuffle, kFields, kAll, kGlobal, kNone, kDirect, kLocalOrShuffle,
  kPartialKey, kCustom,
};

enum class Role { kSpout, kBolt };

}  // namespace topoc::ir
