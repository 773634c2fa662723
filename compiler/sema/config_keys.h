// Storm's topology.* config keys: which exist, and the value types Storm's
// ConfigValidation enforces for some of them (storm-facts.md §4). Sema uses
// this to check config blocks (E0401) and to warn about unknown keys with a
// suggestion (W0401).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace topoc::sema {

enum class ConfigType {
  kAny,                // known, not checked
  kBool,
  kInt,                // integral number in int32 range
  kPositiveInt,        // ... and > 0
  kNonNegativeInt,     // ... and >= 0
  kString,
  kStringOrStringList,
  kStringList,
  kStringMap,          // map of string -> string
  kPositiveNumber,     // any number > 0
  kNonNegativeNumber,  // any number >= 0
  kKryoRegister,       // list of string or {string: string}
};

struct ConfigKeyInfo {
  std::string_view key;
  ConfigType type;
  bool not_null;  // Storm's @NotNull
};

// The entry for `key`, or nullptr when Storm has no such topology.* key.
const ConfigKeyInfo* FindConfigKey(std::string_view key);
// Every known topology.* key (for suggestions).
const std::vector<std::string_view>& KnownConfigKeys();

// Checks `value` against `info`. Returns nullopt when it is fine, else the
// expected type in words ("a positive integer").
std::optional<std::string> CheckConfigValue(const ConfigKeyInfo& info, const ir::Value& value);

// A value's type in words for messages: "a string", "a list", "the integer 0".
std::string DescribeValue(const ir::Value& value);

}  // namespace topoc::sema
