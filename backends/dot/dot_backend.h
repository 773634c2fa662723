// The DOT backend: a Graphviz graph per topology, <out>/<topology>.dot.
//
// Spouts are drawn as `invhouse` nodes, bolts as rounded boxes; each node
// shows the id, the kind with its class or command, and the parallelism
// (plus tasks when set). One edge per input, labelled with the stream id and
// the grouping (fields listed); edges of direct groupings are dashed.
// `topoc graph` renders this with Graphviz's `dot` to SVG or PNG.
// No options.
#pragma once

#include <string>
#include <string_view>

#include "backends/backend.h"

namespace topoc::backends::dot {

class DotBackend : public Backend {
 public:
  std::string_view Name() const override { return "dot"; }
  std::string_view Description() const override { return "Graphviz DOT graph: <name>.dot"; }
  bool Generate(const ir::Program& program, const BackendOptions& options, OutputSink& out,
                DiagnosticEngine& diags) const override;
};

// The DOT text of one topology.
std::string WriteDot(const ir::Topology& topology);

// A DOT double-quoted string ("a \"b\"").
std::string DotString(std::string_view text);

}  // namespace topoc::backends::dot
