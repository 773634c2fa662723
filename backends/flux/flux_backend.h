// The Flux backend: Storm Flux YAML (storm-facts.md §6), one file per
// topology: <out>/<topology>.flux.yaml.
//
// Layout: name, config (topology config), components (bean definitions,
// only when a partial-key grouping needs a Fields object), spouts, bolts,
// streams. Python and shell components become Flux's shell wrappers
// (org.apache.storm.flux.wrappers.spouts.FluxShellSpout /
// ...bolts.FluxShellBolt) with constructorArgs [[command...], [default
// stream fields]]; named streams are added with configMethods setNamedStream
// and component config with addComponentConfig (`tasks` goes to numTasks).
// Java components get className + constructorArgs (Flux matches int, long,
// double, string and bool to the constructor's types). Groupings map to
// Flux types SHUFFLE FIELDS ALL GLOBAL NONE DIRECT LOCAL_OR_SHUFFLE; custom
// and partial-key become CUSTOM with a customClass bean.
//
// Limits: Flux's shell wrappers declare every stream non-direct (Storm does
// not enforce the flag outside Trident), so a direct stream of a shell or
// python component is written as a plain stream with a YAML comment. Flux
// first shipped with Storm 0.10: --storm-version 0.9 is E0503.
//
// Values are written so that YAML 1.1 readers (SnakeYAML in Flux, PyYAML)
// give back the same types: strings double-quoted, doubles always with a '.'
// and a signed exponent, NaN/Inf as .nan/.inf. No options.
#pragma once

#include <string>
#include <string_view>

#include "backends/backend.h"

namespace topoc::backends::flux {

class FluxBackend : public Backend {
 public:
  std::string_view Name() const override { return "flux"; }
  std::string_view Description() const override {
    return "Storm Flux YAML: <name>.flux.yaml";
  }
  bool Generate(const ir::Program& program, const BackendOptions& options, OutputSink& out,
                DiagnosticEngine& diags) const override;
};

// A config value in YAML flow style ("a", 1, 2.5, [..], {"k": v}, null).
std::string YamlValue(const ir::Value& value);
// A double-quoted YAML scalar.
std::string YamlString(std::string_view text);

}  // namespace topoc::backends::flux
