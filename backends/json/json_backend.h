// The JSON backend (`--target json`): the checked IR as JSON, one file per
// topology, <out>/<topology>.ir.json. This is topoc's stable interface for
// other tools; the format is documented in docs/ir-json.md (format
// "topoc-ir", version 1). Output is pretty-printed (2 spaces), keys in a
// fixed order, config in declaration order, so it is byte-stable.
// No options.
#pragma once

#include <string>
#include <string_view>

#include "backends/backend.h"

namespace topoc::backends::json {

class JsonBackend : public Backend {
 public:
  std::string_view Name() const override { return "json"; }
  std::string_view Description() const override {
    return "the checked IR as JSON (docs/ir-json.md): <name>.ir.json";
  }
  bool Generate(const ir::Program& program, const BackendOptions& options, OutputSink& out,
                DiagnosticEngine& diags) const override;
};

inline constexpr int kIrJsonVersion = 1;

// One topology as a JSON document (see docs/ir-json.md).
nlohmann::ordered_json TopologyToJson(const ir::Topology& topology);

// The file text: the same as TopologyToJson(t).dump(2) plus a newline
// (invalid UTF-8 replaced by U+FFFD), written without building the tree.
std::string WriteTopologyJson(const ir::Topology& topology);

}  // namespace topoc::backends::json
