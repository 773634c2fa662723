// Helpers shared by the text backends (clojure, flux, dot, json): topology
// selection, backend options, config merging and number formatting. Every
// user-facing failure is reported as a diagnostic in the backend range
// (E0500-E0599, see docs/diagnostics/).
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "backends/backend.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/ir/ir.h"

namespace topoc::backends {

// Backend diagnostic codes (docs/diagnostics/<code>.md).
inline constexpr std::string_view kErrUnsupportedGrouping = "E0501";  // target can't express it
inline constexpr std::string_view kErrBadBackendOption = "E0502";     // unknown --opt key / bad value
inline constexpr std::string_view kErrUnsupportedStormVersion = "E0503";
inline constexpr std::string_view kErrNoSuchTopology = "E0504";       // --name matches nothing
inline constexpr std::string_view kErrOutputClash = "E0505";          // two topologies, one file

// The topologies a backend should generate: all of them, or the one named by
// options.topology_name. Reports E0504 (listing the names there are) and
// returns an empty vector when the name matches nothing.
std::vector<const ir::Topology*> SelectTopologies(const ir::Program& program,
                                                  const BackendOptions& options,
                                                  DiagnosticEngine& diags);

// The --opt pairs meant for `backend`: keys written `<backend>.<key>` are
// the same as `<key>`; keys prefixed with another backend's name and a dot
// (`thrift.launchers` for the clojure backend) are dropped. The same rule
// as backends/thrift, so one `--opt` list can serve several targets.
std::map<std::string, std::string> OwnOptions(const BackendOptions& options,
                                              std::string_view backend);

// The rule of OwnOptions for one key: false when `raw_key` belongs to
// another backend; else true with `*key` set to it without `<backend>.`.
bool IsOwnOptionKey(std::string_view raw_key, std::string_view backend, std::string_view* key);

// Reports E0502 for every key of OwnOptions(options, backend) that is not in
// `known`. Returns false when any key is unknown.
bool CheckOptionKeys(const BackendOptions& options, std::string_view backend,
                     std::initializer_list<std::string_view> known,
                     DiagnosticEngine& diags);

// Reports E0502 "bad value" for option `key`; `expected` lists valid values.
void ReportBadOptionValue(std::string_view backend, std::string_view key,
                          std::string_view value, std::string_view expected,
                          DiagnosticEngine& diags);

// Config entries as one ordered map. A key given twice keeps its first
// position and its last value (Clojure map literals and YAML mappings must
// not repeat keys).
ir::Value MergedConfig(const std::vector<ir::ConfigEntry>& entries);

// The component's config as Storm sees it: MergedConfig, plus
// "topology.tasks" when `tasks` is set (which wins over a config entry).
ir::Value ComponentConf(const ir::Component& component);

// Shortest text that reads back as the same double ("0.1", "1e+100",
// "-0", "nan", "inf"). Callers adapt it to their syntax.
std::string ShortestDouble(double value);

// The punctuation of a JSON-like value syntax (Clojure EDN, YAML flow style).
struct ValueSyntax {
  std::string_view null_literal;        // "nil" / "null"
  std::string_view list_separator;      // between list items
  std::string_view entry_separator;     // between map entries
  std::string_view key_value_separator; // between a key and its value
  std::string (*quote_string)(std::string_view text);
  std::string (*format_double)(double value);
};

// Appends a config value in `syntax`: lists as [a b], maps as {k v}, in the
// value's own (insertion) order, so output is deterministic.
void AppendValue(const ir::Value& value, const ValueSyntax& syntax, std::string& out);

// "int" / "long" / "double" / "string" / "bool".
std::string_view JavaArgTypeName(ir::JavaArg::Type type);

}  // namespace topoc::backends
